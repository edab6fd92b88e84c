"""The documentation names what exists: every `bench/...` script and `config/examples/...` preset, every
`make <target>`, every preset and every config key where a reader looks for it. Reads text only: no workflow, no
tool, a second or so."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

DOCS = ["README.md", "config/README.md", "docs/*.md"]
# bench/out/ is what the bench scripts write (ignored by git): a place the docs send a reader to, not a file; a
# path after "commit:" (`git show 4cec9c9^:bench/yosys_versions.py`) is one in the history, not here
GENERATED = ("bench/out/",)
PATH = re.compile(r"(?<![\w./:-])((?:bench|config/examples)/[\w./-]*[\w/])")


def make_targets(text: str) -> set[str]:
    """The targets of `make X` in backticks, and of the lines of code blocks that start with make."""
    blocks = "\n".join(re.findall(r"^```[^\n]*\n(.*?)^```", text, re.M | re.S))
    return set(re.findall(r"`make ([A-Za-z][\w-]*)", text) + re.findall(r"^\s*make ([A-Za-z][\w-]*)", blocks, re.M))


def docs(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text() for pattern in DOCS for p in sorted(root.glob(pattern))}


def test_every_bench_and_preset_path_the_docs_name_exists(root):
    missing = {
        f"{name}: {path}"
        for name, text in docs(root).items()
        for path in PATH.findall(text)
        if not path.startswith(GENERATED) and not (root / path).exists()
    }
    assert missing == set()


def test_every_make_target_the_docs_name_is_in_the_makefile(root):
    targets = set(re.findall(r"^([A-Za-z][\w-]*)\s*:(?!=)", (root / "Makefile").read_text(), re.M))
    assert {"install", "run", "test"} <= targets
    named = {f"{name}: make {t}" for name, text in docs(root).items() for t in make_targets(text) - targets}
    assert named == set()


def test_the_paths_the_check_reads_are_found(root):
    """The checks above see the docs and the names in them (a moved docs folder would pass them vacuously)."""
    texts = docs(root)
    assert {"README.md", "config/README.md", "docs/benchmarks.md", "docs/rtl.md"} <= set(texts)
    assert "bench/rtl.py" in PATH.findall(texts["docs/benchmarks.md"])
    assert PATH.findall("`git show 4cec9c9^:bench/old.py`, then bench/rtl.py.") == ["bench/rtl.py"]
    assert make_targets("`make run CORES=8` uses\nmake does\n```bash\nmake test  # x\n```\n") == {"run", "test"}
    assert {"run", "test"} <= make_targets(texts["README.md"])


def test_config_readme_names_every_preset_and_every_key(root):
    """config/README.md is where a user looks up a preset or a key: each of config/examples/*.yaml, and each key
    of the schema (in backticks, alone or as a dotted path), is there."""
    text = (root / "config" / "README.md").read_text()
    presets = {p.name for p in (root / "config" / "examples").glob("*.yaml")}
    assert {p for p in presets if f"`{p}`" not in text} == set()
    words = {w for span in re.findall(r"`([^`]+)`", text) for w in re.findall(r"\w+", span)}

    def keys(node: object) -> set[str]:
        if isinstance(node, dict):
            found = set(node.get("properties", {})) if isinstance(node.get("properties"), dict) else set()
            return found | {k for value in node.values() for k in keys(value)}
        return {k for value in node for k in keys(value)} if isinstance(node, list) else set()

    schema = yaml.safe_load((root / "src" / "socflow" / "resources" / "config.schema.yaml").read_text())
    assert {"timing_slack", "pnr_seeds", "soc_clock_mhz", "quantizer"} <= keys(schema)
    assert keys(schema) - words == set()
