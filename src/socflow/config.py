"""Config checks the JSON schema cannot express, names of the {variant}/{target} wildcards, and loading.

The schema (config/schema.yaml) checks types, ranges, enums and unknown keys and fills defaults;
:func:`check_config` adds the cross-field rules. Both run before any job starts.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from socflow.data.split import split_fractions
from socflow.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]  # the repository (socflow is installed editable, with the workflow)
SCHEMA = ROOT / "config" / "schema.yaml"


def variant_name(variant: Mapping[str, Any]) -> str:
    """Wildcard name of a student compression point, e.g. ``b8_s20`` (8 bits, 20 % sparsity)."""
    name = f"b{variant['bits']}_s{round(variant['sparsity'] * 100)}"
    return name + (f"_i{variant['integer_bits']}" if variant.get("integer_bits") else "")


def target_name(target: Mapping[str, Any]) -> str:
    """Wildcard name of a hardware target, e.g. ``xc7a100tcsg324-1_200mhz_rf1_latency_stream``."""
    if target.get("name"):
        return str(target["name"])
    mhz = f"{1000.0 / target['clock_period']:.6g}"
    io = target["io_type"].removeprefix("io_")
    return f"{target['part'].lower()}_{mhz}mhz_rf{target['reuse_factor']}_{target['strategy'].lower()}_{io}"


def variants(experiment: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The experiment's student variants by wildcard name."""
    return {variant_name(v): dict(v) for v in experiment["student"]["variants"]}


def targets(experiment: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The experiment's hardware targets by wildcard name."""
    return {target_name(t): dict(t) for t in experiment["hls"]["targets"]}


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
            raise ConfigError(f"{key}.board.ip: rtl needs the RTL path (rtl.enabled: true and student.model: mlp); use auto or hls")


def has_rtl(experiment: Mapping[str, Any]) -> bool:
    """Whether the experiment's students get da4ml RTL: the RTL path is enabled and covers dense students only."""
    return bool(experiment["rtl"]["enabled"]) and experiment["student"]["model"] == "mlp"


def load_config(path: str | Path, schema: str | Path = SCHEMA) -> dict[str, Any]:
    """Read a config file, validate it against the schema (filling defaults) and check it.

    The same validation the Snakefile runs, for use outside Snakemake (tests, benchmarks, notebooks).
    """
    from snakemake.utils import validate

    with open(path) as handle:
        config = yaml.safe_load(handle)
    validate(config, str(schema))
    check_config(config)
    return config
