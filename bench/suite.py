"""socflow's benchmarks as one suite (`python -m bench`): what each measures and how long it takes, a run's tables
stored as data with the commit, date and machine they were measured on, two stored runs compared, and the tables of
docs/benchmarks.md generated from the stored data.

Every script in bench/ stays runnable alone (`python bench/NAME.py` prints its tables). `python -m bench run NAME`
runs the same script in its own process (its TensorFlow, threads and failures stay out of the runner), collects the
tables it emits (`common.emit`, through the file TABLES names) and writes them with their provenance to
bench/results/NAME/<date>-<commit>.json. A table of docs/benchmarks.md between `<!-- bench:NAME/TABLE -->` and
`<!-- /bench:NAME/TABLE -->` is the newest full (not --quick) run's table of that name; tests/test_bench.py holds
the docs to the data. A result with "imported_from" holds measurements the docs printed before this suite existed,
cell for cell; its commit is null where the docs did not name one.

This module imports the standard library only: `python -m bench list` and `render` run in a second.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
DOCS = ROOT / "docs" / "benchmarks.md"
NOT_BENCHMARKS = ("common", "suite")  # the modules of bench/ that are not benchmarks (nor `_*.py`)
TABLES = "SOCFLOW_BENCH_TABLES"  # the file a script run by `python -m bench run` writes its tables to
MARKER = re.compile(
    r"(?P<open><!-- bench:(?P<name>\w+)/(?P<table>[\w-]+) -->\n).*?(?P<close><!-- /bench:(?P=name)/(?P=table) -->)",
    re.S,
)
NUMBER = re.compile(r"^\**([+−-]?)(\d[\d,]*\.?\d*|\.\d+)")  # a cell's leading number: 11,497 / −2.9 % / **96.0**

Cell = str | int | float | bool | None


@dataclass(frozen=True)
class Benchmark:
    """A script of bench/: its one-line summary (its docstring's headline), its time on 2 cores, and what
    `--quick` passes it and takes (its SUITE constant), and whether it emits its tables as data."""

    name: str
    path: Path
    summary: str
    time: str
    quick: tuple[str, ...]
    quick_time: str
    emits: bool


def benchmarks(folder: Path = BENCH) -> dict[str, Benchmark]:
    """Every benchmark script in `folder`, read as source (no import: TensorFlow and Yosys stay unloaded)."""
    found = {}
    for path in sorted(folder.glob("*.py")):
        if path.stem in NOT_BENCHMARKS or path.name.startswith("_"):
            continue
        tree = ast.parse(path.read_text())
        suite = next(
            (
                ast.literal_eval(node.value)
                for node in tree.body
                if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "SUITE" for t in node.targets)
            ),
            {},
        )
        headline = (ast.get_docstring(tree) or "").splitlines()[0]
        emits = any(isinstance(n, ast.Call) and getattr(n.func, "id", "") == "emit" for n in ast.walk(tree))
        found[path.stem] = Benchmark(
            name=path.stem,
            path=path,
            summary=re.split(r": |(?<=[.?]) ", headline)[0].rstrip("."),
            time=suite.get("time", "not timed"),
            quick=tuple(suite.get("quick", ())),
            quick_time=suite.get("quick_time", ""),
            emits=emits,
        )
    return found


def cell(value: Cell) -> str:
    """A table cell as the docs show it: floats to one decimal, None empty, the rest as they are."""
    if value is None:
        return ""
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def table(header: list[str], rows: list[list[Cell]], align: str = "") -> str:
    """A Markdown table; `align` has an "r" for each right-aligned column (numbers), "l" or nothing for the rest."""
    rule = ["---:" if align[k : k + 1] == "r" else "---" for k in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(rule) + " |"]
    return "\n".join(lines + ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows])


def shown(path: Path) -> Path:
    """A path as the docs and the results name it: from the repository's root where it is inside."""
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def git(*args: str) -> str:
    """A git command's output in the repository: which code a run measured."""
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()


def results(name: str, folder: Path = RESULTS) -> list[tuple[Path, dict[str, Any]]]:
    """A benchmark's stored results, oldest first (by the date they were measured, then by file name)."""
    found = [(path, json.loads(path.read_text())) for path in (folder / name).glob("*.json")]
    return sorted(found, key=lambda item: (item[1]["date"], item[0].name))


def newest(name: str, folder: Path = RESULTS) -> tuple[Path, dict[str, Any]]:
    """The newest full run of a benchmark (a --quick run is a smaller measurement: never what the docs show)."""
    full = [item for item in results(name, folder) if not item[1].get("quick")]
    if not full:
        raise SystemExit(f"no stored full result of {name} in {folder / name}")
    return full[-1]


def run(bench: Benchmark, quick: bool, extra: list[str], folder: Path = RESULTS) -> Path | None:
    """Run a benchmark script in its own process and store the tables it emits with their provenance; None when
    it emits none (a script whose tables are still only printed)."""
    if quick and not bench.quick:
        raise SystemExit(f"{bench.name} has no --quick")
    args = [*(bench.quick if quick else ()), *extra]
    started, load = datetime.now().astimezone(), os.getloadavg()
    commit = git("rev-parse", "HEAD")  # the code as it starts (a commit made meanwhile is not what ran)
    dirty = bool(git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench/results"))
    with tempfile.TemporaryDirectory() as scratch:
        emitted = Path(scratch) / "tables.json"
        start = time.perf_counter()
        command = [sys.executable, str(bench.path), *args]
        done = subprocess.run(command, cwd=ROOT, env=os.environ | {TABLES: str(emitted)}, check=False)
        seconds = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"{bench.name} failed (exit {done.returncode}): nothing stored")
        if not emitted.is_file():
            print(f"{bench.name} prints its tables only (they are not data yet): nothing stored")
            return None
        tables = json.loads(emitted.read_text())
    record = {
        "benchmark": bench.name,
        "commit": commit,
        "dirty": dirty,
        "date": started.isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "load_average": [round(v, 1) for v in load],
        "command": " ".join(
            ["python -m bench run", bench.name, *(["--quick"] if quick else [])] + (["--", *extra] if extra else [])
        ),  # fmt: skip
        "script": [str(shown(bench.path)), *args],
        "quick": quick,
        "seconds": round(seconds, 1),
        "tables": tables,
    }
    path = folder / bench.name / f"{started:%Y-%m-%d}-{commit[:7]}{'-quick' if quick else ''}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(encode(record) + "\n")
    return path


def encode(value: Any, indent: str = "") -> str:
    """JSON with objects and lists of lists indented and every list of plain values (a table's row, its columns)
    on one line: a stored result reads, and diffs, row by row."""
    inner = indent + " "
    if isinstance(value, dict) and value:
        items = [f"{inner}{json.dumps(k)}: {encode(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        return "[\n" + ",\n".join(inner + encode(v, inner) for v in value) + f"\n{indent}]"
    return json.dumps(value, ensure_ascii=False)


def number(value: Cell) -> float | None:
    """The number a cell shows (11,497; −2.9 %; **96.0**), None for text."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    match = NUMBER.match(value)
    return float(match[1].replace("−", "-") + match[2].replace(",", "")) if match else None


def changed(a: Cell, b: Cell) -> str:
    """A cell of the comparison: the value where both runs agree, else `a → b` and the relative change."""
    if cell(a) == cell(b):
        return cell(b)
    x, y = number(a), number(b)
    delta = f" ({100 * (y / x - 1):+.1f} %)" if x and y is not None else ""
    return f"{cell(a)} → {cell(b)}{delta}"


def compare(a: dict[str, Any], b: dict[str, Any]) -> str:
    """Two results of a benchmark: per table, the rows (in order) where a cell of a column both runs have changed,
    each changed cell as `old → new (change)`; a table without a change in one line."""
    out = [f"A: {describe(a)}", f"B: {describe(b)}"]
    for name, new in b["tables"].items():
        old = a["tables"].get(name)
        if old is None:
            out.append(f"\n{name}: only in B")
            continue
        shared = [c for c in new["columns"] if c in old["columns"]]
        rows = []
        for k in range(max(len(old["rows"]), len(new["rows"]))):
            before = dict(zip(old["columns"], old["rows"][k])) if k < len(old["rows"]) else {}
            after = dict(zip(new["columns"], new["rows"][k])) if k < len(new["rows"]) else {}
            if any(cell(before.get(c)) != cell(after.get(c)) for c in shared):
                rows.append([changed(before.get(c), after.get(c)) for c in shared])
        dropped = [c for c in old["columns"] if c not in shared]
        note = f"; columns only in A: {', '.join(dropped)}" if dropped else ""
        count = f"{len(rows)} of {max(len(old['rows']), len(new['rows']))} rows changed{note}"
        out.append(f"\n{name}: {count}" + (f"\n\n{table(shared, rows)}" if rows else ""))
    return "\n".join(out)


def describe(record: dict[str, Any]) -> str:
    """Where a result comes from, in a line: measured when, at which commit, by what."""
    date = record["date"][:10]
    if "imported_from" in record:
        when = record.get("date_is", "measured").split(" (")[0]
        return (
            f"{when} {date}; imported from {record['imported_from']}, where commit {record['documented_in'][:7]} put it"
        )
    dirty = " with uncommitted changes" if record["dirty"] else ""
    return f"`{record['command']}` at {record['commit'][:7]}{dirty}, {date}, {record['cores']} cores"


def render(text: str, folder: Path = RESULTS) -> str:
    """`text` with every marked table replaced by its benchmark's newest full result, and a line naming the data."""

    def block(match: re.Match[str]) -> str:
        path, record = newest(match["name"], folder)
        data = record["tables"][match["table"]]
        source = f"Data: `{shown(path)}` ({describe(record)})."
        body = table(data["columns"], data["rows"], data.get("align", ""))
        return f"{match['open']}{body}\n\n{source}\n{match['close']}"

    return MARKER.sub(block, text)


def generated(text: str) -> list[str]:
    """The tables of `text` that render writes (NAME/TABLE)."""
    return [f"{m['name']}/{m['table']}" for m in MARKER.finditer(text)]


def out_of_date(text: str, folder: Path = RESULTS) -> list[str]:
    """The generated tables of `text` that differ from what render writes from the stored results."""
    pairs = zip(generated(text), MARKER.finditer(text), MARKER.finditer(render(text, folder)))
    return [name for name, old, new in pairs if old[0] != new[0]]


def result_file(name: str, given: str) -> Path:
    """A result named on the command line: a path, or a file name in bench/results/NAME/."""
    for path in (Path(given), RESULTS / name / given):
        if path.is_file():
            return path
    raise SystemExit(f"no result {given} (nor {RESULTS / name / given})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="every benchmark, its time on 2 cores and what it measures")
    running = commands.add_parser("run", help="run a benchmark and store its tables under bench/results/NAME/")
    running.add_argument("name")
    running.add_argument("--quick", action="store_true", help="the benchmark's shorter form (list shows it)")
    running.add_argument("extra", nargs="*", help="after --: more arguments for the script")
    comparing = commands.add_parser("compare", help="two stored results of a benchmark (default: the two newest)")
    comparing.add_argument("name")
    comparing.add_argument("files", nargs="*", help="A and B: result files (paths or names in bench/results/NAME/)")
    rendering = commands.add_parser("render", help="regenerate docs/benchmarks.md's tables from the stored results")
    rendering.add_argument("--check", action="store_true", help="only say whether the docs match the data")
    args = parser.parse_args(argv)
    known = benchmarks()
    if args.command == "list":
        print(f"{'benchmark':<16} {'2 cores':<14} {'--quick':<16} {'stored':<7} what it measures")
        for bench in known.values():
            stored = str(len(results(bench.name))) if bench.emits else "prints"
            print(f"{bench.name:<16} {bench.time:<14} {bench.quick_time or '-':<16} {stored:<7} {bench.summary}")
    elif args.command == "run":
        if args.name not in known:
            raise SystemExit(f"no benchmark {args.name}; python -m bench list names them")
        stored = run(known[args.name], args.quick, args.extra)
        if stored:
            print(f"stored {shown(stored)}")
    elif args.command == "compare":
        stored = results(args.name)
        if args.files:
            if len(args.files) != 2:
                raise SystemExit("compare takes two result files, or none (the two newest)")
            pair = [json.loads(result_file(args.name, f).read_text()) for f in args.files]
        elif len(stored) < 2:
            raise SystemExit(f"{args.name} has {len(stored)} stored result(s); compare needs two")
        else:
            pair = [record for _, record in stored[-2:]]
        print(compare(*pair))
    else:
        text = DOCS.read_text()
        stale = out_of_date(text)
        if args.check:
            print(f"{len(generated(text))} generated tables; out of date: {', '.join(stale) or 'none'}")
            raise SystemExit(1 if stale else 0)
        DOCS.write_text(render(text))
        print(f"{len(generated(text))} tables rendered, {len(stale)} changed: {', '.join(stale) or 'none'}")
