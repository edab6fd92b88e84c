"""FPGA parts and boards: capacities checked against real Vivado reports, families, boards by part and name."""

from __future__ import annotations

from pathlib import Path

import pytest

from socflow.errors import ConfigError
from socflow.parts import board_for

REPORTS = Path(__file__).parent / "fixtures" / "reports"


@pytest.mark.parametrize(
    "report,part",
    [
        ("vivado2018_zynq7020_conv64_utilization_placed.rpt", "xc7z020clg400-1"),
        ("vivado2024_zu48dr_rfsoc_utilization_placed.rpt", "xczu48dr-ffvg1517-2-e"),
    ],
)
def test_part_capacities_match_real_vivado_reports(report, part):
    from socflow.parts import part_info
    from socflow.vivado.report import parse_utilization

    available = {name: r["available"] for name, r in parse_utilization(REPORTS / report)["resources"].items()}
    info = part_info(part)
    assert (info.lut, info.ff, info.dsp, info.bram18) == (
        available["LUT"],
        available["FF"],
        available["DSP"],
        2 * available["BRAM_36K"],
    )


def test_part_names_and_families():
    from socflow.parts import yosys_family

    parts = (
        "xc7a100tcsg324-1",
        "xc7z020clg400-1",
        "xc7k325tffg900-2",
        "xc7vx485tffg1761-2",
        "xc7s50csga324-1",
        "xczu9eg-ffvb1156-2-e",
        "xcku040-ffva1156-2-e",
        "xcvu9p-flga2104-2L-e",
        "LFE5U-85F-6BG381C",
        "lfe5um5g-45f-8bg554i",
    )
    assert [yosys_family(p) for p in parts] == [
        "xc7",
        "xc7",
        "xc7",
        "xc7",
        "xc7",
        "xcup",
        "xcu",
        "xcup",
        "ecp5",
        "ecp5",
    ]
    with pytest.raises(ConfigError, match="not a part number of a family socflow knows"):
        yosys_family("EP4CE22F17C6")
    with pytest.raises(ConfigError, match=r"\(Versal\): stage rtl_synth \(Yosys\) supports Artix-7, Kintex-7"):
        yosys_family("xcvc1902-vsva2197-2MP-e-S")


def test_ecp5_part_numbers_give_nextpnr_its_device_package_and_speed():
    from socflow.parts import is_ecp5, nextpnr_ecp5_args, part_info

    assert nextpnr_ecp5_args("LFE5U-85F-6BG381C") == ["--85k", "--package", "CABGA381", "--speed", "6"]
    assert nextpnr_ecp5_args("LFE5U-25F-8MG285C") == ["--25k", "--package", "CSFBGA285", "--speed", "8"]
    assert nextpnr_ecp5_args("LFE5UM5G-45F-8BG554I") == ["--um5g-45k", "--package", "CABGA554", "--speed", "8"]
    assert part_info("LFE5UM-85F-8BG756C") == part_info("LFE5U-85F-6BG381C")  # the same fabric
    assert is_ecp5("LFE5U-25F-6BG256C") and not is_ecp5("xc7a35tcpg236-1")
    with pytest.raises(ConfigError, match="an ECP5 part number with its speed grade and package"):
        nextpnr_ecp5_args("LFE5U-85F")


def test_boards_from_parts_and_names():
    assert board_for({"part": "xc7a35tcpg236-1"}).name == "basys3"
    assert board_for({"part": "xc7z020clg400-1"}).name == "pynq-z1"  # the paper's board first
    with pytest.raises(ConfigError, match="board pynq-z2 carries xc7z020clg400-1, the target asks for xc7a35tcpg236-1"):
        board_for({"part": "xc7a35tcpg236-1", "board": "pynq-z2"})
    assert board_for({"part": "xc7k325tffg900-2"}).name == "kc705"
    with pytest.raises(ConfigError, match="no known board carries xc7a200tfbg676-2; set `board`"):
        board_for({"part": "xc7a200tfbg676-2"})
    assert board_for({"part": "lfe5u-85f-6bg381c"}).name == "ulx3s"
    assert board_for({"part": "LFE5U-25F-8MG285C"}).name == "orangecrab"
