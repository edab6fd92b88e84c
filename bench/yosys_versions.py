"""One Yosys: Debian's Yosys 0.23 (rtl_synth's for Xilinx parts) against PyPI's YoWASP Yosys 0.70 (rtl_synth's and
rtl_pnr's for ECP5 parts) on the same designs, `synth_xilinx -flatten -noiopad -family xc7` for the Basys 3's
xc7a35t: LUT, FF, DSP, LUT-RAM, seconds and peak memory of each run.

Designs: the folded generator's Verilog of random integer students (bench/common.random_student) at several reuse
factors, and, where bench/out/pnr holds the ECP5 preset's run, its MLP student's designs (da4ml's R = 1 among them).

    .venv/bin/python bench/yosys_versions.py
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from common import ROOT, random_student, table

from socflow.rtl.designs import verilog_sources
from socflow.rtl.folded import design, write_project
from socflow.rtl.synth import local_copies, parse_stat, yosys_script
from socflow.tools import ECP5_YOSYS, open_tool_path, run_tool, tool_version, yosys

PART = "xc7a35tcpg236-1"
RANDOM = [([30, 15, 4], 0.2, 2), ([30, 15, 4], 0.2, 10), ([30, 15, 4], 0.2, 30), ([64, 20, 10], 0.5, 8)]


def run(tool: str, sources: list[Path], top: str) -> dict[str, float]:
    """One synth_xilinx run of `tool` in a scratch folder (copies of the sources): resources, seconds, peak MB."""
    import json

    with tempfile.TemporaryDirectory() as scratch:
        names = local_copies(sources, Path(scratch))
        Path(scratch, "s.ys").write_text(yosys_script(names, top, "xc7", "stat.json"))
        start = time.perf_counter()
        # GNU time's maximum resident set size (KB) of the run
        command = ["/usr/bin/time", "-o", "rss.txt", "-f", "%M", tool, "-q", "-s", "s.ys"]
        run_tool(command, Path(scratch) / "out.log", f"Yosys ({tool})", cwd=scratch)
        seconds = time.perf_counter() - start
        peak = int(Path(scratch, "rss.txt").read_text().split()[-1])
        stat = parse_stat(json.loads(Path(scratch, "stat.json").read_text()), PART)["resources"]
    used = {k: stat[k]["used"] for k in ("LUT", "FF", "DSP", "LUTRAM")}
    return used | {"s": seconds, "MB": peak / 1024}


def designs(scratch: Path) -> dict[str, tuple[list[Path], str]]:
    found = {}
    for sizes, sparsity, reuse in RANDOM:
        name = f"random {'-'.join(map(str, sizes))} R={reuse}"
        files = write_project(design(random_student(sizes, sparsity, 1), reuse, "folded"), "student", scratch / name)
        found[name] = (files, "student")
    pnr = ROOT / "bench" / "out" / "pnr" / "results" / "pulses_ecp5" / "rtl" / "b8_s20"
    for verilog in sorted(pnr.glob("*/verilog")):
        found[f"pulses {verilog.parent.name}"] = (verilog_sources(verilog), "student")
    return found


def main() -> None:
    tools = {"0.23 (Debian)": yosys(), "0.70 (YoWASP)": open_tool_path(ECP5_YOSYS, "bench")}
    print(", ".join(tool_version(t) for t in tools.values()))
    scratch = Path(tempfile.mkdtemp())
    rows = []
    try:
        for name, (sources, top) in designs(scratch).items():
            for label, tool in tools.items():
                r = run(tool, sources, top)
                rows.append([name, label, r["LUT"], r["FF"], r["DSP"], r["LUTRAM"], round(r["s"], 1), round(r["MB"])])
    finally:
        shutil.rmtree(scratch)
    print(table(["design", "Yosys", "LUT", "FF", "DSP", "LUT-RAM", "seconds", "peak MB"], rows))


if __name__ == "__main__":
    main()
