"""The Jinja2 templates of socflow's RTL designs (resources/rtl): the folded and the conv cores. They are fill-ins:
every number and name they print is computed by the generator; the logic shared by both cores is a hand-written
module (resources/hdl/socflow_banks.v), not a copy in each template."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from socflow import RESOURCES

SHARED_HDL = [RESOURCES / "hdl" / "socflow_banks.v"]  # hand-written modules the templates instantiate


@cache
def environment() -> Environment:
    """The environment of the RTL templates (strict: a name the generator does not give is an error)."""
    return Environment(
        loader=FileSystemLoader(RESOURCES / "rtl"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(template: str, **values: Any) -> str:
    """The Verilog of a template with these values."""
    return environment().get_template(template).render(**values)
