"""The checks made when the workflow is planned, before any job: everything that depends only on the config and on
files that exist then.

Snakemake deletes a job's outputs before it runs the job, so a check made inside a job has already cost the user
the job's last good outputs (and, through their times, every job after it). Here: the data (socflow.data: a user
file read and checked, the built-in data's class counts and size from the config), a pretrained teacher (loaded,
its input shape and classes against the data's), a user's teacher hypermodel (imported from the folder Snakemake
runs in, built once with its default hyperparameters, its input and outputs against the data's), the IP's input
types against the normalized training data's range (:func:`check_input_range`), each budget against the cheapest
student of the search space (:func:`check_budget_floor`), a convolutional student's reuse factors against the
largest (:func:`check_conv_reuse`), and a Pareto search's selected trial against the search
(:func:`check_selection`).

The checks that load TensorFlow take a few seconds; a pass is remembered in the cache folder under a key of all it
depends on (the settings, the data's shape, the files' sizes and times, socflow's version), so an unchanged
workflow is checked once, not at every start of Snakemake. A failure is not remembered: it is named every time.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from socflow import __version__
from socflow.budget import budget_of
from socflow.data import check_sources, scaled_range
from socflow.errors import ConfigError, DataError, ToolError
from socflow.families import is_user_model
from socflow.fixed import FixedType
from socflow.io import read_json, sha256_json, write_json
from socflow.names import input_precisions, input_types, reuse_factors, target_name, variant_name
from socflow.settings import Student, Teacher, Variant

Shape = tuple[tuple[int, ...], int]  # a sample's shape, the number of classes


def _keras() -> Any:
    """Keras 2: socflow._keras, imported before keras_tuner or QKeras."""
    from socflow._keras import keras

    return keras


def _file_stamp(path: str | Path) -> list[Any]:
    stat = Path(path).stat()
    return [str(Path(path).resolve()), stat.st_size, stat.st_mtime_ns]


def check_pretrained(teacher: Teacher, shape: Shape) -> None:
    """A pretrained teacher's .h5 loads as a Keras model that takes the data's samples and gives one output per
    class (a missing, truncated or foreign file, a wrong input shape or class count: ConfigError)."""
    _keras()
    from socflow.models import load_model
    from socflow.train.hypermodels import check_model_io

    path = teacher["pretrained"]
    if not Path(path).is_file():
        raise ConfigError(f"{path}: pretrained teacher file not found")
    try:
        model = load_model(path)
    except DataError as error:
        raise ConfigError(str(error)) from None
    check_model_io(model, *shape, str(path))


def check_hypermodel(teacher: Teacher, shape: Shape) -> None:
    """A user's teacher hypermodel (`module:function`) imports, and builds with its default hyperparameters a Keras
    model that takes the data's samples and gives one output per class."""
    keras = _keras()
    import keras_tuner as kt

    from socflow.train.hypermodels import teacher_builder

    teacher_builder(teacher, *shape)(kt.HyperParameters())
    keras.backend.clear_session()


def extreme_student(student: Student, variant: Variant, shape: Shape, largest: bool = False) -> Any:
    """The student of the search space with every choice and integer at its smallest (or largest) value."""
    _keras()
    import keras_tuner as kt

    from socflow.train.compression import student_model

    pick = max if largest else min

    class Extreme(kt.HyperParameters):
        def Choice(self, name: str, values: list[Any], **kwargs: Any) -> Any:  # noqa: N802 (keras-tuner's name)
            return super().Choice(name, values, default=pick(values), **kwargs)

        def Int(self, name: str, min_value: int, max_value: int, **kwargs: Any) -> Any:  # noqa: N802
            return super().Int(name, min_value, max_value, **(kwargs | {"default": pick(min_value, max_value)}))

    return student_model(Extreme(), student, variant, *shape, plan=None)


def smallest_student(student: Student, variant: Variant, shape: Shape, seed: int = 0) -> Any:
    """The cheapest student of the search space: the fewest layers, units and filters, the smallest kernels (every
    choice at its smallest), its kernels at the variant's sparsity with every kept weight a single power of two
    (the cheapest product a multiplier or an adder graph can have) and its biases zero."""
    import numpy as np

    from socflow.train.compression import _kernel, weight_layers

    model = extreme_student(student, variant, shape)
    rng = np.random.default_rng(seed)
    fraction_bits = variant["bits"] - 1 - variant["integer_bits"]
    for layer in weight_layers(model):
        kernel = _kernel(layer)
        size = int(np.prod(kernel.shape))
        values = rng.choice([-1.0, 1.0], size) * 2.0 ** -rng.integers(1, max(2, fraction_bits + 1), size)
        values[rng.permutation(size)[: round(variant["sparsity"] * size)]] = 0.0
        kernel.assign(values.reshape(kernel.shape))
        if getattr(layer, "bias", None) is not None:
            layer.bias.assign(np.zeros(layer.bias.shape))
    return model


# The fewest steps of its type an input's range must span: a type coarser than that puts every input on one or two
# values (ap_fixed<4,8>, a step of 16, put every standardized pulse sample on 0 or -16: the IP answered one class).
MIN_INPUT_STEPS = 4


def holding_type(like: FixedType, low: float, high: float) -> FixedType:
    """The type of `like`'s width and modes with the fewest integer bits that holds [low, high] (signed where
    `low` is negative)."""
    signed = like.signed or low < 0
    integer = 1
    while True:
        held = FixedType(like.width, integer, signed, like.rounding, like.overflow)
        if held.min_code * held.lsb <= low and high <= held.max_code * held.lsb:
            return held
        integer += 1


def check_input_range(experiment: Mapping[str, Any], low: float, high: float) -> None:
    """Every input type the IP may take (hls.input_precision) holds the normalized training data, [low, high]
    (socflow.data.scaled_range). Every hardware check compares the hardware with the model on the same inputs put
    on the type's grid, so a type that cannot hold the data passes them all while the hardware answers wrongly:
    a value beyond an AP_WRAP type's range (the default mode) turns into one of the other sign (ap_fixed<8,3> on
    standardized pulses reaching 4.46: 44 % right where the float student is 69 %), a step coarser than the data's
    span puts them on a few values. Both are a ConfigError naming the type's range and the data's, with a type that
    holds them and the saturating variant; a saturating type (AP_SAT...) clips the few beyond it, and is taken
    (socflow.hls.csim then checks what that costs in accuracy)."""
    data = f"the normalized ({experiment['normalize']['method']}) training data span [{low:.4g}, {high:.4g}]"
    for text in input_precisions(experiment["hls"]):
        kind = FixedType.parse(text)
        lowest, highest = kind.min_code * kind.lsb, kind.max_code * kind.lsb
        where = f"hls.input_precision: {text} holds [{lowest:g}, {highest:g}] in steps of {kind.lsb:g}, {data}"
        holding = holding_type(kind, low, high)
        if (low < lowest or high > highest) and kind.overflow == "WRAP":
            saturating = FixedType(kind.width, kind.integer, kind.signed, kind.rounding, "SAT")
            raise ConfigError(
                f"{where}: the values beyond it wrap around to the other sign. Take {holding.spelled}, or saturate "
                f"them with {saturating.spelled}"
            )
        if high - low < MIN_INPUT_STEPS * kind.lsb:
            steps = int((high - low) // kind.lsb) + 1
            raise ConfigError(
                f"{where}: it puts every input on at most {steps} value{'s' * (steps > 1)}. Take {holding.spelled}"
            )


def check_budget_floor(experiment: Mapping[str, Any], shape: Shape) -> None:
    """Every budgeted target's limits can be met by the cheapest student of the search space
    (:func:`smallest_student`) at some reuse factor the target may take, costed as the search costs its trials but
    without the margin for the estimate's error. If even it cannot fit, no trial will: a ConfigError naming the
    limits it is over and what it costs, before the teacher and the whole student search have run."""
    keras = _keras()
    from socflow.train.budget import costs_at

    student, hls = experiment["student"], experiment["hls"]
    narrowest = FixedType.parse(input_precisions(hls)[0])
    budgeted = [(i, target, budget_of(target)) for i, target in enumerate(hls["targets"]) if target.get("budget")]
    for variant in student["variants"]:
        model = smallest_student(student, variant, shape)
        for i, target, budget in budgeted:
            try:
                costs = costs_at(model, narrowest, target, experiment["rtl"])
            except ConfigError as error:
                raise ConfigError(
                    f"hls.targets[{i}].reuse_factor: the smallest student of the space: {error}"
                ) from None
            over = {reuse: {k: v for k, v in budget.excess(cost).items() if v > 0} for reuse, cost in costs.items()}
            if any(not excess for excess in over.values()):
                continue
            reuse = min(over, key=lambda r: max(over[r].values()))
            cost, limits = costs[reuse], budget.limits
            spent = {"lut": cost.lut, "ff": cost.ff, "dsp": cost.dsp, "bram_18k": cost.bram_18k,
                     "latency_clocks": cost.latency_clocks, "min_throughput": 1e9 / (cost.initiation_interval
                                                                                    * budget.clock_period)}  # fmt: skip
            named = ", ".join(f"{k} {spent[k]:,.0f} (limit {limits[k]:,.0f})" for k in over[reuse])
            raise ConfigError(
                f"hls.targets[{i}].budget: even the smallest student of the search space ({model.count_params()} "
                f"parameters, variant {variant_name(variant)}, {narrowest} inputs, reuse factor {reuse}) does not "
                f"fit {target_name(target)}: {named}. Widen the budget, or make student.units / student.layers "
                "smaller"
            )
        keras.backend.clear_session()


def check_conv_reuse(experiment: Mapping[str, Any], shape: Shape) -> None:
    """A convolutional student's reuse factors (a target's, or the largest of its list) can be used by the largest
    student of the search space: at most its largest kernel's or dense layer's products (socflow.rtl.conv)."""
    keras = _keras()
    from socflow.rtl.conv import check_reuse, largest_layer

    student = experiment["student"]
    model = extreme_student(student, student["variants"][0], shape, largest=True)
    largest = largest_layer(model)
    keras.backend.clear_session()
    for i, target in enumerate(experiment["hls"]["targets"]):
        reuse = max(reuse_factors(target))
        if reuse > 1:
            try:
                check_reuse(reuse, largest)
            except ConfigError as error:
                raise ConfigError(f"hls.targets[{i}] ({target_name(target)}): {error}") from None


def check_student_model(experiment: Mapping[str, Any], shape: Shape) -> dict[str, Any]:
    """A user's student hypermodel (`module:function`) imports and builds with its default hyperparameters a QKeras
    model of the data's shape and classes (socflow.train.compression.user_student); the finding: why its layers
    have no RTL design, the first target's reason (None: every target's design can be written)."""
    keras = _keras()
    import keras_tuner as kt

    from socflow.errors import ModelError
    from socflow.rtl.designs import estimate
    from socflow.train.compression import student_model

    student = experiment["student"]
    model = student_model(kt.HyperParameters(), student, student["variants"][0], *shape, plan=None)
    reason = None
    if experiment["rtl"]["enabled"]:
        in_type = input_types(experiment["hls"])[0]
        for target in experiment["hls"]["targets"]:
            try:
                estimate(model, in_type, dict(target, reuse_factor=reuse_factors(target)[0]), experiment["rtl"])
            except (ModelError, ConfigError) as error:
                reason = f"{target_name(target)}: {error}"
                break
    keras.backend.clear_session()
    return {"rtl": reason}


# the checks that load TensorFlow, by the name a pending check carries to the child process; a check may return a
# finding the plan uses (the RTL path of a user's student), remembered with its pass
MODEL_CHECKS: dict[str, Callable[[Mapping[str, Any], Shape], dict[str, Any] | None]] = {
    "teacher.pretrained": lambda experiment, shape: check_pretrained(experiment["teacher"], shape),
    "teacher.model": lambda experiment, shape: check_hypermodel(experiment["teacher"], shape),
    "student.model": check_student_model,
    "budget": check_budget_floor,
    "reuse": check_conv_reuse,
}


def model_checks(experiment: Mapping[str, Any], shape: Shape) -> list[tuple[str, dict[str, Any]]]:
    """The model checks an experiment needs, each with the key a pass is remembered by."""
    teacher, checks = experiment["teacher"], []
    data = {"shape": [list(shape[0]), shape[1]]}
    if teacher["pretrained"]:
        stamp = _file_stamp(teacher["pretrained"]) if Path(teacher["pretrained"]).is_file() else None
        checks.append(("teacher.pretrained", data | {"pretrained": stamp}))
    elif is_user_model(teacher["model"]):
        checks.append(("teacher.model", data | {"hypermodel": teacher["model"], "file": hypermodel_stamp(teacher)}))
    student = experiment["student"]
    if is_user_model(student["model"]):
        settings = {k: experiment[k] for k in ("student", "hls", "rtl")}
        checks.append(("student.model", data | settings | {"file": hypermodel_stamp(student)}))
    targets = experiment["hls"]["targets"]
    # the reuse factors first: a budget's floor is costed at them, on the smallest student, whose range is narrower
    if student["model"] in ("cnn", "vgg", "mobilenet") and any(max(reuse_factors(t)) > 1 for t in targets):
        checks.append(("reuse", data | {"student": experiment["student"], "targets": targets}))
    if any(t.get("budget") for t in targets):
        checks.append(("budget", data | {k: experiment[k] for k in ("student", "hls", "rtl")}))
    return checks


def check_selection(experiment: Mapping[str, Any], exp_dir: str | Path) -> None:
    """A Pareto search's `student.select: {rule: trial}` names a trial the search will have: numbered from 0, below
    `search.trials` (a search that dropped repeated proposals numbers its trials on past them: a number its
    trials.csv, in exp_dir/student/{variant}/, lists as completed is taken too). Else the search would run to the
    end before select_student found no such trial."""
    student = experiment["student"]
    select, trials = student["select"], student["search"]["trials"]
    if student["search"]["objective"] != "pareto" or select["rule"] != "trial" or select["trial"] < trials:
        return
    for variant in student["variants"]:
        table = Path(exp_dir) / "student" / variant_name(variant) / "trials.csv"
        done = pd.read_csv(table) if table.is_file() else None
        if done is None or select["trial"] not in set(done.loc[done["status"] == "COMPLETE", "trial_id"]):
            raise ConfigError(
                f"student.select.trial: {select['trial']} is not a trial of a search of {trials} trials (numbered 0 "
                f"to {trials - 1}); name one of them (front.csv lists the search's points), or raise "
                "student.search.trials"
            )


def check_experiments(
    experiments: Mapping[str, Mapping[str, Any]], cache_dir: str | Path, results: str | Path = "results"
) -> dict[str, Any]:
    """Every check of this module for every experiment; an error leads with the experiment's key. The findings the
    plan uses, by experiment and check (e.g. {"e": {"student.model": {"rtl": None}}}). `results` holds the
    experiments' results (a finished search's trials, for :func:`check_selection`).

    The data are checked here; the model checks not passed before run in a child Python process, so that
    TensorFlow (its threads, its memory, its logging handlers, which take over Snakemake's console) never loads in
    Snakemake's own process."""
    for exp, experiment in experiments.items():
        try:
            check_selection(experiment, Path(results) / exp)
        except ConfigError as error:
            raise ConfigError(f"experiments.{exp}.{error}") from None
    shapes = check_sources(experiments, Path(cache_dir) / "data")
    for exp, experiment in experiments.items():
        span = scaled_range(
            experiment["dataset"], experiment["split"], experiment["normalize"], Path(cache_dir) / "data"
        )
        try:
            check_input_range(experiment, *span)
        except ConfigError as error:
            raise ConfigError(f"experiments.{exp}.{error}") from None
    checks = [
        {"exp": exp, "check": check, "key": key, "shape": [list(shapes[exp][0]), shapes[exp][1]]}
        for exp, experiment in experiments.items()
        for check, key in model_checks(experiment, shapes[exp])
    ]
    pending = [entry for entry in checks if not _passed(cache_dir, entry["key"]).exists()]
    if pending:
        request = json.dumps({"experiments": experiments, "pending": pending})
        child = subprocess.run([sys.executable, "-m", __name__], input=request, capture_output=True, text=True)
        answer = child.stdout.strip().splitlines()[-1:] if child.returncode == 0 else []
        if not answer:
            raise ToolError(
                f"the checks before any job did not finish (exit {child.returncode}):\n{child.stderr[-3000:]}"
            )
        outcome = json.loads(answer[0])
        if outcome["failed"]:
            raise ConfigError(f"experiments.{outcome['failed']['exp']}.{outcome['failed']['message']}")
        for entry, finding in zip(pending, outcome["findings"]):
            write_json(_passed(cache_dir, entry["key"]), {"key": entry["key"], "finding": finding})
    findings: dict[str, Any] = {}
    for entry in checks:
        finding = read_json(_passed(cache_dir, entry["key"])).get("finding")
        if finding is not None:
            findings.setdefault(entry["exp"], {})[entry["check"]] = finding
    return findings


def _passed(cache_dir: str | Path, key: Mapping[str, Any]) -> Path:
    """The file that remembers a passed check of this `key` (and this socflow), with its finding."""
    return Path(cache_dir) / "models" / f"{sha256_json(dict(key) | {'socflow': __version__})}.json"


def run_pending(request: Mapping[str, Any]) -> dict[str, Any]:
    """In the child process: each pending check; the first failure as {exp, key path, message} (`failed`, else
    None) and the findings of the checks that passed. Any error of a user's code (a hypermodel that raises, a model
    file Keras cannot read) is a failure of its check."""
    findings = []
    for entry in request["pending"]:
        shape = (tuple(entry["shape"][0]), int(entry["shape"][1]))
        where = "hls.targets" if entry["check"] in ("budget", "reuse") else entry["check"]
        try:
            findings.append(MODEL_CHECKS[entry["check"]](request["experiments"][entry["exp"]], shape))
        except ConfigError as error:  # a budget's or reuse factor's names its target: hls.targets[i]...
            message = str(error) if entry["check"] in ("budget", "reuse") else f"{where}: {error}"
            return {"failed": {"exp": entry["exp"], "message": message}, "findings": findings}
        except Exception as error:  # noqa: BLE001 (the user's code may fail in any way: name it)
            failed = {"exp": entry["exp"], "message": f"{where}: the check failed ({type(error).__name__}: {error})"}
            return {"failed": failed, "findings": findings}
    return {"failed": None, "findings": findings}


def hypermodel_stamp(section: Teacher | Student) -> list[Any]:
    """The size and time of a `module:function` hypermodel's file, when it is a module of the folder Snakemake runs
    in (a change to it is checked again); none for an installed module."""
    module = section["model"].partition(":")[0]
    path = Path(*module.split(".")).with_suffix(".py")
    return _file_stamp(path) if path.is_file() else []


if __name__ == "__main__":
    print(json.dumps(run_pending(json.load(sys.stdin))))
