from functools import cache

from socflow.config import has_rtl, targets, validate_config, variants
from socflow.data import check_source
from socflow.errors import DataError
from socflow.opentools import which as open_tool
from socflow.stages import HLS_TOOLS, include_stage, require_tool

validate_config(
    config
)  # defaults filled, canonical (sorted keys): equal configs give equal params

EXPERIMENTS = config["experiments"]
for (
    exp,
    cfg,
) in (
    EXPERIMENTS.items()
):  # a bad data file stops here, before any job can delete a good split
    try:
        check_source(cfg["dataset"], cfg["split"], ".snakemake/socflow/data_checks")
    except DataError as error:
        raise DataError(f"experiments.{exp}.dataset: {error}") from None
ENV = "../../envs/socflow.yaml"


wildcard_constraints:
    exp="|".join(EXPERIMENTS),
    variant=r"b\d+_s\d+(_i\d+)?",
    target=r"[A-Za-z0-9][A-Za-z0-9_.-]*",
    worker=r"\d+",


def section(name, drop=()):
    """Params function: the experiment's config section less the `drop` keys (lists that have their
    own wildcard), so only edits that matter to a rule rerun it."""
    return lambda wildcards: {
        k: v for k, v in EXPERIMENTS[wildcards.exp][name].items() if k not in drop
    }


def variant_cfg(wildcards):
    return variants(EXPERIMENTS[wildcards.exp])[wildcards.variant]


def search_workers(stage, pattern):
    """Input function of a tune rule: the files of the search's worker jobs when `search.workers` > 1 (the
    tune job then collects their trials), none with 1 worker (the tune job searches itself).
    """

    def files(wildcards):
        n = EXPERIMENTS[wildcards.exp][stage]["search"]["workers"]
        return expand(pattern, worker=range(n), **wildcards) if n > 1 else []

    return files


def target_cfg(wildcards):
    return targets(EXPERIMENTS[wildcards.exp])[wildcards.target]


def pretrained_exps(pretrained):
    """Regex of the experiments with (True) or without (False) a pretrained teacher."""
    names = [
        e
        for e, c in EXPERIMENTS.items()
        if bool(c["teacher"]["pretrained"]) == pretrained
    ]
    return "|".join(names) or "(?!)"


def rtl_stage(exp, stage, tool):
    """The open-tool RTL stages: run when enabled, for dense students, where their tool is installed."""
    cfg = EXPERIMENTS[exp]
    if not has_rtl(cfg):
        return False, "needs rtl.enabled: true and student.model: mlp (dense students)"
    return include_stage(stage, "auto", tool, which=open_tool)


@cache
def ip_kind(exp):
    """The assessment design's inference IP (board.ip): rtl (da4ml RTL) or hls (the HLS IP socflow_ip)."""
    choice = EXPERIMENTS[exp]["board"]["ip"]
    if choice != "auto":
        return choice
    return "rtl" if rtl_stage(exp, "rtl_sim", "verilator")[0] else "hls"


@cache  # the config and the tools on PATH do not change during a run; input functions ask per job
def stage_plan(exp, every_stage=False):
    """{stage: (included, reason)} for one experiment; `every_stage` includes every stage the config allows
    (the RTL path only for dense students), tools or not."""
    tools = {
        "hls_synth": HLS_TOOLS[EXPERIMENTS[exp]["hls"]["backend"]],
        "vivado_bitstream": "vivado",
    }
    open_tools = {"rtl_generate": None, "rtl_sim": "verilator", "rtl_synth": "yosys"}
    stages = (
        "prepare_data",
        "train_teacher",
        "train_student",
        "hls_csim",
        "hls_synth",
        *open_tools,
        "vivado_project",
        "vivado_bitstream",
        "board_eval",
        "board_package",
        "report",
    )
    if every_stage:  # every stage the config allows, tools or not
        return {
            stage: (
                rtl_stage(exp, stage, None)
                if stage in open_tools and not has_rtl(EXPERIMENTS[exp])
                else (True, "asked for")
            )
            for stage in stages
        }
    plan = {
        stage: (
            rtl_stage(exp, stage, open_tools[stage])
            if stage in open_tools
            else include_stage(stage, config["toolchain"], tools.get(stage))
        )
        for stage in stages
    }
    # the assessment design needs its IP: the RTL, or the HLS IP that hls_synth exports
    needed, what = {
        "rtl": ("rtl_sim", "the RTL"),
        "hls": ("hls_synth", "the HLS IP exported by hls_synth"),
    }[ip_kind(exp)]
    if not plan[needed][0]:
        for stage in ("vivado_project", "vivado_bitstream", "board_package"):
            plan[stage] = (
                False,
                f"needs {what} (board.ip), left out here: {plan[needed][1]}",
            )
    return plan


def check_vendor_tools():
    """onstart, before any job: each planned job that needs a vendor tool (toolchain: force, or its file asked
    for by name) finds it on PATH, else a ToolNotFoundError naming the tool, the stage and the setting. With a
    cluster executor the tools are on the nodes, so there each job checks its own tool when it starts.
    """
    if not workflow.local_exec:
        return
    for job in workflow.dag.needrun_jobs():
        if job.rule.name == "hls_synth":
            backend = EXPERIMENTS[job.wildcards.exp]["hls"]["backend"]
            require_tool(HLS_TOOLS[backend], "hls_synth")
        elif job.rule.name == "vivado_bitstream":
            require_tool("vivado", "vivado_bitstream")


def write_stage_plan(path="results/stage_plan.json"):
    """Record, for the user and the report, which stages rule all runs here and why others are left out
    (e.g. "vitis-run not found on PATH (toolchain: auto)")."""
    import json
    from pathlib import Path

    plan = {
        exp: {
            stage: {"included": ok, "reason": why}
            for stage, (ok, why) in stage_plan(exp).items()
        }
        for exp in EXPERIMENTS
    }
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(plan, indent=2, sort_keys=True) + "\n")
    for exp, stages in plan.items():
        left_out = {s: v["reason"] for s, v in stages.items() if not v["included"]}
        if left_out:
            logger.info(f"{exp}: stages left out of `all`: {left_out}")


def get_final_output(every_stage=False):
    """Targets of the default target: the last file of every stage that this config and machine can run."""
    outputs = []
    for exp, cfg in EXPERIMENTS.items():
        plan = {s: ok for s, (ok, _) in stage_plan(exp, every_stage).items()}
        backends = [
            b
            for b in cfg["board"]["backends"]
            if b == "emulated" or plan["vivado_bitstream"]
        ]
        pattern = {
            "prepare_data": ["data/summary.json"],
            "train_teacher": ["teacher/metrics.json"],
            "train_student": [
                "student/{variant}/metrics.json",
                "student/pareto.png",
            ],
            "hls_csim": ["hls/{variant}/{target}/csim.json"],
            "hls_synth": ["hls/{variant}/{target}/synth/report.json"],
            "rtl_generate": ["rtl/{variant}/{target}/rtl.json"],
            "rtl_sim": ["rtl/{variant}/{target}/rtl_sim.json"],
            "rtl_synth": ["rtl/{variant}/{target}/yosys.json"],
            "vivado_project": ["hw/{variant}/{target}/vivado_check.json"],
            "board_package": ["deploy/{variant}/{target}.zip"],
            "vivado_bitstream": ["hw/{variant}/{target}/utilization.json"],
            "board_eval": [f"board/{{variant}}/{{target}}/{b}.json" for b in backends],
        }
        for stage, files in pattern.items():
            if plan[stage]:
                outputs += expand(
                    [f"results/{exp}/{f}" for f in files],
                    variant=variants(cfg),
                    target=targets(cfg),
                )
        if plan["report"]:
            outputs.append("results/report/table1.csv")
            outputs += expand(
                f"results/{exp}/figures/{{variant}}/{{figure}}.png",
                variant=variants(cfg),
                figure=["confusion"]
                + (["fig5_latency"] if plan["hls_synth"] or plan["rtl_sim"] else []),
            )
    return sorted(set(outputs))


def dataset_source(wildcards):
    """The user's data file (so a missing file stops the DAG with its name); none for built-in kinds."""
    dataset = EXPERIMENTS[wildcards.exp]["dataset"]
    return dataset["path"] if "path" in dataset else []


def ip_folders(wildcards):
    """The RTL and the hls4ml folders of one variant and target."""
    where = f"{wildcards.variant}/{wildcards.target}"
    return (
        f"results/{wildcards.exp}/rtl/{where}",
        f"results/{wildcards.exp}/hls/{where}",
    )


def ip_inputs(wildcards):
    """The IP model behind the stream protocol (board.ip): the da4ml RTL, or the hls4ml project with its
    socflow_ip top and its C simulation, and the exported socflow_ip where hls_synth runs (then simulated as RTL).
    """
    rtl, hls = ip_folders(wildcards)
    if ip_kind(wildcards.exp) == "rtl":
        return {"verilog": f"{rtl}/verilog", "ip_json": f"{rtl}/rtl.json"}
    exported = (
        {"hls_ip": f"{hls}/synth/board_ip"}
        if stage_plan(wildcards.exp)["hls_synth"][0]
        else {}
    )
    return exported | {
        "hls_config": f"{hls}/hls_config.yml",
        "project": f"{hls}/project",
        "ip_json": f"{hls}/csim.json",
    }


def design_ip(wildcards):
    """The IP's HDL for the Vivado project: the da4ml Verilog, or the HLS IP's exported Verilog."""
    rtl, hls = ip_folders(wildcards)
    if ip_kind(wildcards.exp) == "rtl":
        return {"verilog": f"{rtl}/verilog"}
    return {"hls_ip": f"{hls}/synth/board_ip"}


def board_inputs(wildcards):
    """The emulated board runs the IP model; a real board needs the bitstream (its answers are checked
    against the same IP model's)."""
    if wildcards.backend == "emulated":
        return ip_inputs(wildcards)
    hw = f"results/{wildcards.exp}/hw/{wildcards.variant}/{wildcards.target}"
    return ip_inputs(wildcards) | {"bit": f"{hw}/design.bit", "hwh": f"{hw}/design.hwh"}


def package_hardware(wildcards):
    """The bitstream and its hardware handoff, where vivado_bitstream runs."""
    if not stage_plan(wildcards.exp)["vivado_bitstream"][0]:
        return {}
    hw = f"results/{wildcards.exp}/hw/{wildcards.variant}/{wildcards.target}"
    return {"bit": f"{hw}/design.bit", "hwh": f"{hw}/design.hwh"}


def report_entries():
    """One Table I entry per experiment x variant x target: the files its numbers come from, the synthesis
    report only where hls_synth runs (else why not)."""
    entries = []
    for exp, cfg in EXPERIMENTS.items():
        plan = stage_plan(exp)
        for variant in variants(cfg):
            for target, tcfg in targets(cfg).items():
                hls = f"results/{exp}/hls/{variant}/{target}"
                rtl = f"results/{exp}/rtl/{variant}/{target}"
                optional = {
                    "synth": ("hls_synth", f"{hls}/synth/report.json"),
                    "rtl_sim": ("rtl_sim", f"{rtl}/rtl_sim.json"),
                    "yosys": ("rtl_synth", f"{rtl}/yosys.json"),
                    "vivado": (
                        "vivado_bitstream",
                        f"results/{exp}/hw/{variant}/{target}/utilization.json",
                    ),
                }
                entries.append(
                    {
                        "exp": exp,
                        "variant": variant,
                        "target": target,
                        "part": tcfg["part"],
                        "ip": ip_kind(exp),
                        "teacher": f"results/{exp}/teacher/metrics.json",
                        "student": f"results/{exp}/student/{variant}/metrics.json",
                        "csim": f"{hls}/csim.json",
                        **{
                            k: f if plan[s][0] else None
                            for k, (s, f) in optional.items()
                        },
                        "missing": {k: plan[s][1] for k, (s, _) in optional.items()},
                    }
                )
    return entries


def figure_inputs(wildcards):
    """Per-target files of one variant for its figures: C sim always, HLS and RTL reports where they run."""
    cfg = EXPERIMENTS[wildcards.exp]
    plan = stage_plan(wildcards.exp)
    files = {
        "csim": "hls/{variant}/{target}/csim.json",
        "synth": "hls/{variant}/{target}/synth/report.json",
        "rtl_sim": "rtl/{variant}/{target}/rtl_sim.json",
    }
    stage = {"csim": "hls_csim", "synth": "hls_synth", "rtl_sim": "rtl_sim"}
    return {
        key: expand(
            f"results/{wildcards.exp}/{f}",
            variant=wildcards.variant,
            target=targets(cfg),
        )
        for key, f in files.items()
        if plan[stage[key]][0]
    }


def report_files(wildcards):
    files = set()
    for entry in report_entries():
        files |= {
            entry[k]
            for k in (
                "teacher",
                "student",
                "csim",
                "synth",
                "rtl_sim",
                "yosys",
                "vivado",
            )
            if entry[k]
        }
    return sorted(files)
