from pathlib import Path

from socflow.config import validate_config
from socflow.fingerprint import fingerprint
from socflow.hgq.env import require_hgq
from socflow.names import targets, variants
from socflow.plan import Plan, costed_targets, is_pareto, teacher_dir
from socflow.soc.needs import require_soc_tools
from socflow.tools import require_tools
from socflow.train.preflight import check_experiments

# defaults filled, canonical (sorted keys): equal configs give equal params
validate_config(config)
EXPERIMENTS = config["experiments"]
# bad data, a pretrained teacher or hypermodel that does not fit them, a budget no student can meet: named here,
# before any job can delete what an earlier run made (socflow.train.preflight)
FINDINGS = check_experiments(EXPERIMENTS, ".snakemake/socflow/checks")
# an HGQ2 student needs .venv-hgq: a ToolNotFoundError naming `make install` now, not after the teacher
require_hgq(EXPERIMENTS)
# tools are looked up once per run; a user's student hypermodel gets RTL where its layers map (FINDINGS)
PLAN = Plan(config, findings=FINDINGS)
ENV = "../../envs/socflow.yaml"


wildcard_constraints:
    exp="|".join(EXPERIMENTS),
    variant=r"b\d+_s\d+(_i\d+)?",
    target=r"[A-Za-z0-9][A-Za-z0-9_.-]*",
    worker=r"\d+",


def section(name, drop=()):
    """Params function: the experiment's config section less the `drop` keys (lists that have their
    own wildcard), so only edits that matter to a rule rerun it."""
    return lambda w: {
        k: v for k, v in EXPERIMENTS[w.exp][name].items() if k not in drop
    }


def setting(name, key):
    """Params function: one setting of the experiment's config section."""
    return lambda w: EXPERIMENTS[w.exp][name][key]


INPUT_PRECISION = setting("hls", "input_precision")

# the rtl settings only rtl_pnr reads: editing them reruns no other rule
PNR_SETTINGS = ("timing", "timing_slack", "pnr_seeds")


def input_accuracy(w):
    """Params function of hls_csim and rtl_sim: what the input type may cost the student in accuracy."""
    hls = EXPERIMENTS[w.exp]["hls"]
    return {k: hls[k] for k in ("input_max_accuracy_loss", "input_accuracy_check")}


def variant_cfg(w):
    return variants(EXPERIMENTS[w.exp])[w.variant]


def target_cfg(w):
    return targets(EXPERIMENTS[w.exp])[w.target]


def budget_cfg(w):
    """Params function of the student search: the targets it costs its trials on (socflow.plan.costed_targets:
    the budgeted ones, or every one for a Pareto search), the input precision and the rtl section; None when it
    costs none."""
    experiment = EXPERIMENTS[w.exp]
    costed = costed_targets(experiment)
    return (
        {
            "targets": costed,
            "input_precision": experiment["hls"]["input_precision"],
            "rtl": experiment["rtl"],
        }
        if costed
        else None
    )


def selected_student(w):
    """Input function of train_student: a Pareto search's selected student (select_student), none otherwise."""
    if is_pareto(EXPERIMENTS[w.exp]):
        return {"selected": f"results/{w.exp}/student/{w.variant}/selected.json"}
    return {}


def deployed_student(w):
    """Input function of train_student: a Pareto search's selection, the design fit_student settled on."""
    return PLAN.deploy_inputs(w.exp, w.variant)


def fitted_design(w):
    """Input function of plot_budget: the design fit_student settled on (chosen.json), where it runs."""
    return PLAN.fitted_inputs(w.exp, w.variant)


def synth_cache(w):
    """Params function: the folder of Yosys's reports by their Verilog's hash, which fit_student fills and rtl_synth
    reads (socflow.rtl.synth.synthesized); no rule's output, so Snakemake deletes none of it.
    """
    return f"results/{w.exp}/rtl/{w.variant}/yosys_cache"


def search_workers(stage, pattern):
    """Input function of a tune rule: the files of the search's worker jobs when `search.workers` > 1 (the
    tune job then collects their trials), none with 1 worker (the tune job searches itself).
    """

    def files(w):
        n = EXPERIMENTS[w.exp][stage]["search"]["workers"]
        return expand(pattern, worker=range(n), **w) if n > 1 else []

    return files


def teacher_file(name):
    """Input function: a file of the experiment's teacher, trained (teacher/) or imported (teacher/pretrained/)."""
    return lambda w: f"results/{w.exp}/{teacher_dir(EXPERIMENTS[w.exp])}/{name}"


def pretrained_exps(pretrained):
    """Regex of the experiments with (True) or without (False) a pretrained teacher."""
    names = [
        e
        for e, c in EXPERIMENTS.items()
        if bool(c["teacher"]["pretrained"]) == pretrained
    ]
    return "|".join(names) or "(?!)"


def quantizer_exps(quantizer):
    """Regex of the experiments whose student.quantizer is `quantizer` (qkeras: train_student; hgq:
    train_hgq_student), so that exactly one rule writes each student's metrics.json."""
    names = [
        e for e, c in EXPERIMENTS.items() if c["student"]["quantizer"] == quantizer
    ]
    return "|".join(names) or "(?!)"


def student_model(w):
    """The student's model file: a QKeras student's model.h5, an HGQ2 student's model.keras (Keras 3); the
    stages that read it run the HGQ2 one in its own process (socflow.hgq.files)."""
    hgq = EXPERIMENTS[w.exp]["student"]["quantizer"] == "hgq"
    return f"results/{w.exp}/student/{w.variant}/model.{'keras' if hgq else 'h5'}"


def dataset_source(w):
    """The user's data file (so a missing file stops the DAG with its name); none for built-in kinds."""
    dataset = EXPERIMENTS[w.exp]["dataset"]
    return dataset["path"] if "path" in dataset else []


def ip_inputs(w):
    return PLAN.ip_inputs(w.exp, w.variant, w.target)


def design_ip(w):
    return PLAN.design_ip(w.exp, w.variant, w.target)


def board_inputs(w):
    return PLAN.board_inputs(w.exp, w.variant, w.target, w.backend)


def timing_report(w):
    return PLAN.timing(w.exp, w.variant, w.target)


def package_hardware(w):
    return PLAN.hardware(w.exp, w.variant, w.target)


def figure_inputs(w):
    return PLAN.figure_inputs(w.exp, w.variant)


def report_files(w):
    return PLAN.report_files()


def fingerprint_rules():
    """Give every rule's params the fingerprint of the socflow code its script runs (socflow.fingerprint), so that
    Snakemake's params trigger reruns a job when that code changes, and only then. Called once, after the
    rules are defined."""
    for r in workflow.rules:
        if r.script:
            script = Path(r.snakefile).parent / r.script
            r.set_params(code=fingerprint(script))


def check_vendor_tools():
    """onstart, before any job: each planned job that needs a vendor tool (toolchain: force, or its file asked
    for by name) finds it on PATH, else a ToolNotFoundError naming the tool, the stage and the setting; a
    simulated SoC's job finds the Debian packages it builds with (socflow.soc.needs). With a
    cluster executor the tools are on the nodes, so there each job checks its own tool when it starts.
    """
    if workflow.local_exec:
        needrun = list(workflow.dag.needrun_jobs())
        require_tools(
            PLAN.vendor_tools([(j.rule.name, j.wildcards.get("exp")) for j in needrun])
        )
        if any(j.wildcards.get("backend") == "soc_sim" for j in needrun):
            require_soc_tools("board_eval (soc_sim)")
        if any(j.rule.name == "soc_bitstream" for j in needrun):
            require_soc_tools("soc_bitstream")


def write_stage_plan(path="results/stage_plan.json"):
    """Record, for the user and the report, which stages rule all runs here and why others are left out
    (e.g. "vitis-run not found on PATH (toolchain: auto)")."""
    import json

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(PLAN.summary(), indent=2, sort_keys=True) + "\n")
    for exp, stages in PLAN.summary().items():
        left_out = {s: v["reason"] for s, v in stages.items() if not v["included"]}
        if left_out:
            logger.info(f"{exp}: stages left out of `all`: {left_out}")
