"""The benchmark suite (bench/, `python -m bench`) without running a benchmark: every script listed with its time,
docs/benchmarks.md's generated tables equal to the stored results, a run stored with its provenance, two runs
compared, and the cost models' coefficients what their stored measurements refit to. A few seconds."""

from __future__ import annotations

import json
import os
import re
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest

# the tables the docs generate from bench/results (the others are prose: see docs/benchmarks.md's first section)
GENERATED = {
    "student_search/runs", "kd_seeds/kinds", "hls_csim/csim", "parallel_trials/workers", "rtl/designs",
    "conv_rtl/table1", "folded_conv/sweep", "folded_conv/budgets", "budget/searches", "board/board", "soc/designs",
    "soc/bitstreams", "pareto/budgets", "guided/searches",
}  # fmt: skip


@pytest.fixture
def suite(root: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.syspath_prepend(str(root))
    from bench import suite

    return suite


def record(date: str, rows: list[list[Any]], **more: Any) -> dict[str, Any]:
    """A stored result as `python -m bench run` writes it."""
    table = {"columns": ["design", "LUT", "note"], "rows": rows, "align": "lrl"}
    return {"benchmark": "x", "commit": "a" * 40, "dirty": False, "date": date, "cores": 2, "quick": False,
            "command": "python -m bench run x", "tables": {"t": table}} | more  # fmt: skip


def test_every_script_is_listed_with_its_summary_and_time(suite, root):
    listed = suite.benchmarks()
    scripts = {p.stem for p in (root / "bench").glob("*.py")} - {"common", "suite", "__init__", "__main__"}
    assert set(listed) == scripts
    assert all(b.summary and b.time for b in listed.values())
    assert listed["cost_model"].quick == ("--cached",) and listed["cost_model"].emits
    assert listed["soc"].quick == ("--no-bitstream",) and listed["soc"].time == "about 30 min"
    assert not listed["pnr"].emits  # prints only


def test_a_script_s_suite_entry_is_read_from_its_source(suite, tmp_path):
    (tmp_path / "common.py").write_text("")
    (tmp_path / "fast.py").write_text(
        '"""Something fast: measured over 3 seeds. More text."""\n'
        'SUITE = {"time": "2 min", "quick": ["--seeds", "1"], "quick_time": "40 s"}\n'
        'emit("t", ["a"], [[1]])\n'
    )
    (tmp_path / "plain.py").write_text('"""Does it pay? Over seeds."""\nprint(1)\n')
    listed = suite.benchmarks(tmp_path)
    assert set(listed) == {"fast", "plain"}
    fast, plain = listed["fast"], listed["plain"]
    assert (fast.summary, fast.time, fast.quick, fast.quick_time, fast.emits) == (
        "Something fast", "2 min", ("--seeds", "1"), "40 s", True,
    )  # fmt: skip
    assert (plain.summary, plain.time, plain.quick, plain.emits) == ("Does it pay?", "not timed", (), False)


def test_the_docs_tables_are_the_stored_data(suite):
    text = suite.DOCS.read_text()
    assert GENERATED <= set(suite.generated(text))
    assert suite.out_of_date(text) == [], "python -m bench render regenerates them"


def test_render_shows_the_newest_full_run_and_names_its_data(suite, tmp_path):
    folder = tmp_path / "results"
    (folder / "x").mkdir(parents=True)
    stored = {
        "2026-12-01-imported.json": record(
            "2026-12-01", [["a", "1,000", "old"]], imported_from="docs", commit=None, documented_in="1234567 2026-12-01"
        ),  # fmt: skip
        "2026-12-05-abcdef0.json": record("2026-12-05T10:00:00+00:00", [["a", 1100, None]]),
        "2026-12-06-abcdef0-quick.json": record("2026-12-06T10:00:00+00:00", [["a", 5, "quick"]], quick=True),
    }
    for name, data in stored.items():
        (folder / "x" / name).write_text(json.dumps(data))
    text = "before\n<!-- bench:x/t -->\n| stale |\n<!-- /bench:x/t -->\nafter\n"
    rendered = suite.render(text, folder)
    assert rendered.startswith(
        "before\n<!-- bench:x/t -->\n| design | LUT | note |\n| --- | ---: | --- |\n| a | 1100 |  |"
    )
    assert "2026-12-05-abcdef0.json" in rendered and "`python -m bench run x` at aaaaaaa, 2026-12-05" in rendered
    assert rendered.endswith("<!-- /bench:x/t -->\nafter\n") and suite.render(rendered, folder) == rendered
    assert suite.out_of_date(text, folder) == ["x/t"] and suite.out_of_date(rendered, folder) == []
    (folder / "x" / "2026-12-05-abcdef0.json").unlink()
    assert "| a | 1,000 | old |" in suite.render(text, folder)
    assert "imported from docs, where commit 1234567 put it" in suite.render(text, folder)


def test_a_run_stores_the_tables_a_script_emits_with_their_provenance(suite, root, tmp_path):
    bench = tmp_path / "bench"
    bench.mkdir()
    (bench / "emits.py").write_text(textwrap.dedent(f"""\
        \"\"\"A benchmark that emits a table.\"\"\"
        import sys
        sys.path.insert(0, {str(root / "bench")!r})
        from common import emit
        emit("t", ["design", "LUT"], [[sys.argv[1], 2.5]], "lr")
        """))  # fmt: skip
    (bench / "prints.py").write_text('"""Prints only."""\nprint("| a |")\n')
    (bench / "fails.py").write_text('"""Fails."""\nraise SystemExit(3)\n')
    listed = suite.benchmarks(bench)
    path = suite.run(listed["emits"], False, ["R2"], tmp_path / "results")
    data = json.loads(path.read_text())
    assert path.parent == tmp_path / "results" / "emits" and path.name.endswith(f"-{data['commit'][:7]}.json")
    assert re.fullmatch("[0-9a-f]{40}", data["commit"]) and data["cores"] == os.cpu_count()
    assert data["command"] == "python -m bench run emits -- R2" and data["script"][1:] == ["R2"]
    assert data["tables"] == {"t": {"columns": ["design", "LUT"], "rows": [["R2", 2.5]], "align": "lr"}}
    assert suite.run(listed["prints"], False, [], tmp_path / "results") is None
    with pytest.raises(SystemExit, match="exit 3"):
        suite.run(listed["fails"], False, [], tmp_path / "results")
    with pytest.raises(SystemExit, match="no --quick"):
        suite.run(listed["emits"], True, [], tmp_path / "results")


def test_compare_shows_each_changed_cell_and_by_how_much(suite):
    old = record("2026-12-01", [["a", "1,000", "x"], ["b", 7, "y"]])
    new = record("2026-12-02", [["a", 1100, "x"], ["b", 7, "z"]])
    new["tables"]["t"]["columns"][2] = "remark"
    shown = suite.compare(old, new)
    assert "t: 1 of 2 rows changed; columns only in A: note" in shown
    assert "| a | 1,000 → 1100 (+10.0 %) |" in shown and "| b |" not in shown
    assert suite.compare(new, new).endswith("t: 0 of 2 rows changed")
    assert [suite.number(v) for v in ("−2.9 %", "**96.0**", "11,497", "yes", True, 3)] == [-2.9, 96.0, 11497.0,
                                                                                          None, None, 3.0]  # fmt: skip


def test_the_cost_models_are_what_their_stored_measurements_refit_to(root, monkeypatch):
    """src/socflow/resources/cost_models.json names, per model, the stored run that measured its designs by Yosys:
    refitting them (bench/common.py's fit, as bench/cost_model.py and bench/conv_cost.py do) gives the coefficients
    the file marks reproduced, to the 3 decimals they are kept at, and the coefficients the run stored for the
    others (a model the generator has moved away from: the file says why it is kept); socflow.rtl.cost ranks with
    the file's coefficients."""
    from socflow.rtl import cost

    monkeypatch.syspath_prepend(str(root / "bench"))
    from common import fit

    models = json.loads((root / "src" / "socflow" / "resources" / "cost_models.json").read_text())
    assert (cost.LUT_MODEL, cost.FF_MODEL) == (models["folded"]["LUT"], models["folded"]["FF"])
    assert (cost.FOLDED_CONV_LUT_MODEL, cost.FOLDED_CONV_FF_MODEL) == (
        models["folded_conv"]["LUT"], models["folded_conv"]["FF"],
    )  # fmt: skip
    assert models["folded"]["measurements"]
    for model in (m for m in models.values() if m["measurements"]):
        tables = json.loads((root / model["measurements"]).read_text())["tables"]
        rows = [dict(zip(tables["features"]["columns"], row)) for row in tables["features"]["rows"]]
        assert len(rows) == model["designs"]
        for resource in ("LUT", "FF"):
            # a folded conv design's structure is counted in LUTs for the LUT model, in FFs for the FF model
            inputs = [row | {"structure": row.get(f"structure {resource}", 0.0)} for row in rows]
            measured = np.array([row[f"{resource} Yosys"] for row in rows], dtype=float)
            refit = dict(
                zip(model[resource], (round(float(c), 3) for c in fit(inputs, measured, list(model[resource]))))
            )
            stored = {feature: c for what, feature, c in tables["coefficients"]["rows"] if what == resource}
            assert refit == (model[resource] if resource in model["reproduced"] else stored), resource
