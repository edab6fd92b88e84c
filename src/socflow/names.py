"""The names of the {variant} and {target} wildcards, and what a target's name stands for: the student variants and
hardware targets of an experiment by name, and the reuse factors and input types a target may take.

Kept apart from socflow.config (which validates a config) so that what both config and budget need imports in one
direction: config checks budgets, and a budget names its target.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from socflow.fixed import FixedType
from socflow.settings import Hls, Target, Variant


def variant_name(variant: Variant) -> str:
    """Wildcard name of a student compression point, e.g. ``b8_s20`` (8 bits, 20 % sparsity)."""
    name = f"b{variant['bits']}_s{round(variant['sparsity'] * 100)}"
    return name + (f"_i{variant['integer_bits']}" if variant.get("integer_bits") else "")


def target_name(target: Target) -> str:
    """Wildcard name of a hardware target, e.g. ``xc7a100tcsg324-1_200mhz_rf1_latency_stream``."""
    if target.get("name"):
        return str(target["name"])
    mhz = f"{1000.0 / target['clock_period']:.6g}"
    io = target["io_type"].removeprefix("io_")
    rtl = "_rtlstream" if target.get("rtl_architecture") == "stream" else ""
    rf = "-".join(map(str, reuse_factors(target)))  # a searched list: rf10-30-60
    return f"{target['part'].lower()}_{mhz}mhz_rf{rf}_{target['strategy'].lower()}_{io}{rtl}"


def input_precisions(hls: Hls) -> list[str]:
    """The input types the IP may take: the hls section's one, or the list a budgeted search chooses from
    (narrowest first, so that of equally accurate types the cheapest is chosen)."""
    precision = hls["input_precision"]
    return sorted(precision, key=lambda t: FixedType.parse(t).width) if isinstance(precision, list) else [precision]


def input_types(hls: Hls) -> list[FixedType]:
    """:func:`input_precisions` parsed: the input types the IP may take, narrowest first."""
    return [FixedType.parse(t) for t in input_precisions(hls)]


def reuse_factors(target: Target) -> list[int]:
    """The reuse factors a target's design may take: its one, or the list a budgeted search chooses from."""
    reuse = target.get("reuse_factor", 1)
    return sorted(int(r) for r in reuse) if isinstance(reuse, list) else [int(reuse)]


def variants(experiment: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The experiment's student variants by wildcard name."""
    return {variant_name(v): dict(v) for v in experiment["student"]["variants"]}


def targets(experiment: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The experiment's hardware targets by wildcard name."""
    return {target_name(t): dict(t) for t in experiment["hls"]["targets"]}
