"""Config validation (schema, cross-field rules, canonical form) and loading (the wildcards' names: socflow.names).

:func:`validate_config` is what the Snakefile and :func:`load_config` run before any job: the JSON schema
(config/schema.yaml) checks types, ranges, enums and unknown keys and fills defaults; :func:`check_config` adds
the rules a schema cannot express. Two details are ours rather than jsonschema's defaults: an integer setting
must be written as an integer (JSON Schema accepts ``8.0`` as the integer 8, and ``b8.0_s20`` then names no
file), and the result is canonical (a number setting is a float, mapping keys are sorted), because Snakemake
compares a rule's params by their ``repr``: a reordered or restated config must rerun nothing (for the same reason
a fixed-point type is written one way: ``ap_fixed<16, 6>`` is ``ap_fixed<16,6>``).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from jsonschema.exceptions import ValidationError, best_match

from socflow import RESOURCES
from socflow.budget import budget_of
from socflow.errors import ConfigError
from socflow.families import APPLICATIONS, BUILT_IN_SHAPES, IMAGE_STUDENTS, SIGNALS, is_user_model
from socflow.fixed import FixedType
from socflow.names import reuse_factors, target_name, variant_name
from socflow.parts import ECP5_FASTEST_MHZ, board_for, family_of, is_ecp5, nextpnr_ecp5_args, yosys_family
from socflow.settings import Target

SCHEMA = RESOURCES / "config.schema.yaml"  # also config/schema.yaml in the repository
MAX_REPORTED = 10  # schema errors listed, one line each


def _is_number_only(schema: Mapping[str, Any]) -> bool:
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds or []
    return "number" in kinds and "integer" not in kinds


def _as_float(value: Any) -> Any:
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _fill_defaults(
    validator: Any, properties: Mapping[str, Any], instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    """`properties` that first fills each missing key's default (a copy) and writes number settings as
    floats, then validates as usual, so defaults inside defaults are filled too (jsonschema's FAQ recipe)."""
    if isinstance(instance, dict):
        for name, subschema in properties.items():
            if name not in instance and "default" in subschema:
                instance[name] = copy.deepcopy(subschema["default"])
            if name in instance and _is_number_only(subschema):
                instance[name] = _as_float(instance[name])
            items = subschema.get("items")
            if isinstance(instance.get(name), list) and isinstance(items, Mapping) and _is_number_only(items):
                instance[name] = [_as_float(v) for v in instance[name]]
    yield from _PROPERTIES(validator, properties, instance, schema)


_PROPERTIES = jsonschema.Draft202012Validator.VALIDATORS["properties"]
# JSON Schema counts 8.0 as an integer; a bits or seed setting written 8.0 would name files b8.0_s20
_TYPES = jsonschema.Draft202012Validator.TYPE_CHECKER.redefine(
    "integer", lambda _checker, value: isinstance(value, int) and not isinstance(value, bool)
)
_Validator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator, validators={"properties": _fill_defaults}, type_checker=_TYPES
)


def key_path(path: Any) -> str:
    """`experiments.tiny.student.variants[0].bits` for jsonschema's path deque."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text or "config"


def _describe(error: ValidationError) -> str:
    return f"{key_path(error.absolute_path)}: {error.message}"


def schema_errors(config: Any, schema: Mapping[str, Any]) -> list[str]:
    """One line per schema violation, key path first (the most specific reason of each)."""
    errors = sorted(_Validator(schema).iter_errors(config), key=lambda e: [str(p) for p in e.absolute_path])
    return [_describe(best_match([error])) for error in errors]


def canonical(value: Any) -> Any:
    """The same config with every mapping's keys sorted (recursively, in place, so Snakemake's `config`
    object is the canonical one)."""
    if isinstance(value, dict):
        items = {key: canonical(value[key]) for key in sorted(value)}
        value.clear()
        value.update(items)
    elif isinstance(value, list):
        value[:] = [canonical(v) for v in value]
    return value


def validate_config(config: dict[str, Any], schema: str | Path = SCHEMA) -> dict[str, Any]:
    """Validate ``config`` in place: schema (defaults filled), cross-field rules, canonical form.

    Raises :class:`ConfigError` whose message leads with the key path and the reason of each violation
    (not a dump of the schema)."""
    with open(schema) as handle:
        schema_doc = yaml.safe_load(handle)
    problems = schema_errors(config, schema_doc)
    if problems:
        more = f"\n(and {len(problems) - MAX_REPORTED} more)" if len(problems) > MAX_REPORTED else ""
        raise ConfigError("invalid config:\n" + "\n".join(problems[:MAX_REPORTED]) + more)
    check_config(config)
    experiments = config["experiments"]
    for name in experiments:  # the experiments keep the user's order (the order of Table I's rows)
        experiments[name]["rtl"]["pnr_seeds"] = pnr_seeds(experiments[name]["rtl"]["pnr_seeds"])
        canonical(experiments[name])
        _spell_types(experiments[name]["hls"])
    return config


def _spell_types(hls: dict[str, Any]) -> None:
    """The hls section's fixed-point types in their one spelling (FixedType.spelled), so that 'ap_fixed<16, 6>' is
    the params of 'ap_fixed<16,6>' and reruns nothing."""
    hls["default_precision"] = FixedType.parse(hls["default_precision"]).spelled
    precision = hls["input_precision"]
    hls["input_precision"] = (
        [FixedType.parse(t).spelled for t in precision]
        if isinstance(precision, list)
        else FixedType.parse(precision).spelled
    )


def split_fractions(cfg: Mapping[str, Any]) -> tuple[float, float, float]:
    """(train, val, test) from the config's split section; they must sum to 1."""
    fractions = tuple(float(cfg[p]) for p in ("train", "val", "test"))
    if abs(sum(fractions) - 1.0) > 1e-6:
        raise ConfigError(
            f"split: train + val + test must be 1, got {' + '.join(map(str, fractions))} = {sum(fractions):g}"
        )
    return fractions  # type: ignore[return-value]


def _unique(names: list[str], key: str) -> None:
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigError(f"{key}: entries {duplicates} appear more than once (each needs its own name)")


def _range(values: list[int], key: str) -> None:
    if values[0] > values[1]:
        raise ConfigError(f"{key}: minimum {values[0]} is larger than maximum {values[1]}")


def check_config(config: Mapping[str, Any]) -> None:
    """Cross-field checks of a schema-validated config; raises :class:`ConfigError` naming the key."""
    for exp, experiment in config["experiments"].items():
        key = f"experiments.{exp}"
        try:
            split_fractions(experiment["split"])
        except ConfigError as error:
            raise ConfigError(f"{key}.{error}") from None
        for section in ("teacher", "student"):
            _range(experiment[section]["units"], f"{key}.{section}.units")
        relu_bits = experiment["student"]["activation_integer_bits"]
        for v in experiment["student"]["variants"]:
            if max(v["integer_bits"], relu_bits) >= v["bits"]:
                raise ConfigError(
                    f"{key}.student.variants: integer_bits {v['integer_bits']} and student.activation_integer_bits "
                    f"{relu_bits} must be below bits {v['bits']}"
                )
        _unique([variant_name(v) for v in experiment["student"]["variants"]], f"{key}.student.variants")
        _unique([target_name(t) for t in experiment["hls"]["targets"]], f"{key}.hls.targets")
        if experiment["board"]["ip"] == "rtl" and not has_rtl(experiment):
            raise ConfigError(f"{key}.board.ip: rtl needs the RTL path (rtl.enabled: true); use auto or hls")
        _named(f"{key}.teacher", check_application, experiment["teacher"])
        for stage, models in (("student", IMAGE_STUDENTS), ("teacher", APPLICATIONS)):
            if experiment[stage]["model"] in models and experiment["dataset"]["kind"] in SIGNALS:
                raise ConfigError(
                    f"{key}.{stage}.model: {experiment[stage]['model']} {stage}s take images; the "
                    f"{experiment['dataset']['kind']} are 1D signals (use cnn, which convolves them in 1D, or mlp)"
                )
        _named(f"{key}.hls.default_precision", FixedType.parse, experiment["hls"]["default_precision"])
        inputs = experiment["hls"]["input_precision"]
        inputs = inputs if isinstance(inputs, list) else [inputs]
        for text in inputs:
            _named(f"{key}.hls.input_precision", FixedType.parse, text)
        pareto = experiment["student"]["search"]["objective"] == "pareto"
        if experiment["teacher"]["search"]["objective"] != "accuracy":
            raise ConfigError(f"{key}.teacher.search.objective: the teacher's search maximizes accuracy (it is not "
                              "built in hardware); pareto is for the student's")  # fmt: skip
        if pareto and not has_rtl(experiment):
            raise ConfigError(f"{key}.student.search.objective: pareto costs every trial on the RTL path, which "
                              "needs rtl.enabled: true")  # fmt: skip
        select = experiment["student"]["select"]
        if (select["rule"] == "trial") != (select["trial"] is not None):
            raise ConfigError(f"{key}.student.select: rule trial takes a trial number (select.trial), and only it")
        if len(inputs) > 1 and not pareto and not any(t.get("budget") for t in experiment["hls"]["targets"]):
            raise ConfigError(
                f"{key}.hls.input_precision: a list of input types is chosen by the budgeted or Pareto student "
                "search; give a target a budget, or one input type, or student.search.objective: pareto"
            )
        if len({FixedType.parse(t).width for t in inputs}) < len(inputs):
            raise ConfigError(f"{key}.hls.input_precision: the types of a list need distinct widths (trials.csv "
                              "records the chosen one's width)")  # fmt: skip
        _named(f"{key}.student.quantizer", check_hgq, experiment)
        for i, target in enumerate(experiment["hls"]["targets"]):
            where = f"{key}.hls.targets[{i}]"
            _named(f"{where}.part", family_of, target["part"])
            if isinstance(target["reuse_factor"], list) and not target.get("budget") and not pareto:
                raise ConfigError(
                    f"{where}.reuse_factor: a list of reuse factors is searched by the budgeted or Pareto student "
                    "search; give the target a budget, or one reuse factor, or student.search.objective: pareto"
                )
            if has_rtl(experiment):
                _named(f"{where}.part", yosys_family, target["part"])
                _named(where, lambda t: check_reuse_factor(t, experiment), target)
            elif target.get("budget"):
                raise ConfigError(f"{where}.budget: a budget is costed on the RTL path, which needs rtl.enabled: true")
            if is_ecp5(target["part"]):
                _named(f"{where}.part", nextpnr_ecp5_args, target["part"])
                if target.get("budget"):
                    raise ConfigError(
                        f"{where}.budget: the search's cost models are calibrated on Xilinx parts (Yosys "
                        "synth_xilinx); an ECP5 target takes no budget yet: give the budget to a Xilinx target and "
                        "place and route the chosen student on this one"
                    )
                if has_rtl(experiment):
                    check_reachable_clock(target, experiment["rtl"], where)
            if target.get("budget"):
                _named(f"{where}.budget", budget_of, target)
            _named(where, board_for, target)


def check_hgq(experiment: Mapping[str, Any]) -> None:
    """What an HGQ2 student (student.quantizer: hgq) is built for so far, named with every setting it is not: the
    mlp student, trained without a search from the teacher's stored logits (no scaled KD, no budget, no Pareto
    search), at reuse factor 1 (da4ml's parallel design; a folded design that honours per-weight widths is not
    written yet). Refused here, before any job, rather than by the job that would meet it after the training."""
    student = experiment["student"]
    if student["quantizer"] != "hgq":
        return
    kinds = student["kd"] if isinstance(student["kd"], list) else [student["kd"]]
    folded = [
        target_name(t)
        for t in experiment["hls"]["targets"]
        if reuse_factors(t) != [1] or t["rtl_architecture"] == "stream"
    ]
    missing = [
        f"student.model {student['model']} (mlp only so far)" if student["model"] != "mlp" else "",
        "student.kd scaled (it needs the teacher model; HGQ2 students distil from stored logits)"
        if "scaled" in kinds else "",
        "student.search.objective pareto" if student["search"]["objective"] == "pareto" else "",
        "a target's budget" if any(t.get("budget") for t in experiment["hls"]["targets"]) else "",
        f"reuse factors above 1 or rtl_architecture stream (targets {folded}: the folded designs take one width "
        "for all weights)" if folded else "",
    ]  # fmt: skip
    missing = [m for m in missing if m]
    if missing:
        raise ConfigError(
            "hgq: the HGQ2 student is built for the mlp student, trained without a search and distilled from the "
            "teacher's stored logits, on targets of reuse factor 1 (da4ml's parallel design) without a budget; "
            "not for " + "; ".join(missing) + " (use student.quantizer: qkeras for those)"
        )


def check_reachable_clock(target: Target, rtl: Mapping[str, Any], where: str) -> None:
    """Before any job: an ECP5 target's clock, with the slack rtl_pnr requires, at most the fastest any design
    reaches on the family (:data:`socflow.parts.ECP5_FASTEST_MHZ`, measured), else rtl_pnr would fail only after
    the training; with rtl.timing: warn the miss is measured and kept, so the clock is the user's to ask."""
    required = 1000.0 / target["clock_period"] * (1.0 + rtl["timing_slack"])
    if rtl["timing"] == "fail" and required > ECP5_FASTEST_MHZ:
        fastest = 1000.0 * (1.0 + rtl["timing_slack"]) / ECP5_FASTEST_MHZ
        raise ConfigError(
            f"{where}.clock_period: {target['clock_period']:g} ns with rtl.timing_slack {rtl['timing_slack']:g} "
            f"asks for {required:.1f} MHz after place and route; no design reaches more than {ECP5_FASTEST_MHZ:g} "
            f"MHz on an ECP5 (measured, docs/rtl.md): set clock_period to {math.ceil(fastest * 10) / 10:g} ns or "
            "more, or rtl.timing: warn to measure the design anyway"
        )


def pnr_seeds(setting: int | list[int]) -> list[int]:
    """rtl.pnr_seeds as the seeds: a count n is seeds 1 to n (canonical, so that 3 and [1, 2, 3] give the same
    params)."""
    return list(range(1, setting + 1)) if isinstance(setting, int) else list(setting)


def check_reuse_factor(target: Target, experiment: Mapping[str, Any]) -> None:
    """Before any job, where the inputs are known (built-in datasets): a reuse factor must be one some layer of
    some student of the search space can use (at most its largest layer's n_in x n_out products), and a
    streaming target's must be the number of inputs. User data are checked by rtl_generate, with the student.
    A convolutional student's RTL (the line-buffered conv design, folded where R > 1) takes no streaming design;
    its reuse factors are checked against the largest student of its space by socflow.train.preflight. A user's
    student hypermodel's are checked by rtl_generate, on the student."""
    if is_user_model(experiment["student"]["model"]):
        return
    if experiment["student"]["model"] != "mlp":
        if target["rtl_architecture"] == "stream":
            raise ConfigError(
                f"a {experiment['student']['model']} student's RTL is the line-buffered conv design (folded at a "
                "reuse factor above 1): rtl_architecture: stream is the dense students' design"
            )
        return
    if experiment["dataset"]["kind"] not in BUILT_IN_SHAPES:
        return
    shape, n_classes = BUILT_IN_SHAPES[experiment["dataset"]["kind"]]
    n_in = math.prod(shape)
    layers, units = experiment["student"]["layers"], experiment["student"]["units"][1]
    layers = max(layers) if isinstance(layers, list) else layers
    reuse = reuse_factors(target)
    if target["rtl_architecture"] == "stream" and reuse != [n_in]:
        raise ConfigError(f"rtl_architecture stream takes one input per clock: reuse_factor must be n_inputs = {n_in}")
    widths = [n_in, *[units] * layers, n_classes]
    largest = max(a * b for a, b in zip(widths, widths[1:]))
    if max(reuse) > largest:
        raise ConfigError(
            f"reuse_factor {max(reuse)}: no layer of these students can use it; valid values are 1 to {largest} "
            f"(the largest layer of inputs, units and classes {widths})"
        )


def check_application(teacher: Mapping[str, Any]) -> None:
    """Before any job: a transfer-learning teacher's weights are a file on this machine, or `none`."""
    if teacher["model"] not in APPLICATIONS or teacher["pretrained"]:
        return
    expected = APPLICATIONS[teacher["model"]][2]
    if teacher["weights"] is None:
        raise ConfigError(
            f"weights: a {teacher['model']} teacher starts from ImageNet weights in a local file (nothing is "
            f"downloaded at run time): put Keras's {expected} (keras-applications' releases on GitHub) on this "
            "machine and give its path here, or set weights: none to train the backbone from scratch"
        )
    if teacher["weights"] != "none" and not Path(teacher["weights"]).is_file():
        raise ConfigError(f"weights: {teacher['weights']} not found; it should be Keras's {expected}")


def _named(key: str, check: Callable[[Any], Any], value: Any) -> None:
    """Run a check of one config value; its ConfigError is re-raised with the key path in front."""
    try:
        check(value)
    except ConfigError as error:
        raise ConfigError(f"{key}: {error}") from None


def has_rtl(experiment: Mapping[str, Any]) -> bool:
    """Whether the experiment's students get open RTL (every student model has a design: socflow.rtl)."""
    return bool(experiment["rtl"]["enabled"])


class _StrictLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a mapping that gives a key twice (PyYAML keeps the last one, silently)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.MarkedYAMLError(
                    problem=f"key {key!r} appears twice in one mapping (first at line {seen[key]})",
                    problem_mark=key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep)


def read_config_file(path: str | Path) -> dict[str, Any]:
    """A config file as a mapping; a file YAML cannot read (a tab in the indentation, a ``!!python/...`` tag, a key
    given twice) is a ConfigError naming the file, the line and the column (Snakemake says only "Config file is not
    valid JSON or YAML")."""
    try:
        text = Path(path).read_text()
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the config file ({error.strerror})") from None
    try:
        config = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 (a SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        tab = " (YAML indents with spaces, never tabs)" if "\t" in text.splitlines()[mark.line if mark else 0] else ""
        raise ConfigError(f"{where}: {error.problem}{tab}") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not a YAML file ({error})") from None
    if not isinstance(config, dict):
        raise ConfigError(f"{path}: a config is a mapping (experiments: ...), got a {type(config).__name__}")
    return config


def load_config(path: str | Path, schema: str | Path = SCHEMA) -> dict[str, Any]:
    """Read a config file and validate it as the Snakefile does, for use outside Snakemake (tests, benchmarks)."""
    return validate_config(read_config_file(path), schema)


def main(paths: list[str]) -> int:
    """`python -m socflow.config FILE...`: read and validate config files as the Snakefile does (the line of a
    syntax error that Snakemake, reading a --configfile itself, does not name); 0 when every file is valid."""
    failed = 0
    for path in paths:
        try:
            load_config(path)
            print(f"{path}: valid")
        except ConfigError as error:
            print(f"ConfigError: {error}")
            failed = 1
    return failed


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
