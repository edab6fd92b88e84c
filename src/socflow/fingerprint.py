"""The fingerprint of the socflow code a workflow script runs, so that results follow the code.

Snakemake reruns a job when its params, inputs or script change; the scripts only import and call a stage, the logic is
here, so every rule's params carry :func:`fingerprint` of its script (``workflow/rules/common.smk``): a hash of
the socflow modules the script imports, followed transitively, and of the templates under ``resources/`` that
they name. Editing a generator (``rtl/folded.py``, ``resources/rtl/folded.v.j2``) reruns ``rtl_generate`` and what
follows it; upgrading socflow reruns what the upgrade changed.

Two choices keep the reruns to what the code decides:

- An import is followed only back in the data flow (:data:`STAGES`) or into the base modules: a stage's results
  come from its own package and the stages before it. The two imports that look ahead (a budgeted search costs
  its trials with ``rtl.cost``, training draws its curves with ``report.figures``) are not followed, so editing a
  generator or its cost model does not search and train the students again: the search's cost is an estimate
  that ``budget_check`` measures against synthesis, and ``--forcerun tune_student`` searches again on purpose.
- A module is hashed as its syntax tree less docstrings, so a comment, a docstring or a reformatting reruns
  nothing; a template is hashed byte for byte (its text is the output's).

All of it reads source text (:mod:`ast`), never imports a stage: planning stays free of TensorFlow.
"""

from __future__ import annotations

import ast
import hashlib
from functools import cache
from pathlib import Path
from typing import NamedTuple

from socflow import PACKAGE

# the stage packages in data-flow order (tests/test_packaging.py holds the import graph to it); every module
# directly under socflow/ is a base module, which any stage may use
STAGES = ("data", "train", "hgq", "hls", "rtl", "board", "soc", "vivado", "report")
RESOURCES_NAME = "RESOURCES"  # socflow.RESOURCES: a module names the templates it reads as RESOURCES / "dir" / ...


def _path(module: str, package: Path) -> Path | None:
    """The source file of a socflow module (a package's __init__.py), None when there is none."""
    base = package.joinpath(*module.split(".")[1:])
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _stage(module: str) -> int:
    """A module's place in the data flow: -1 for the base (socflow and the modules directly under it)."""
    parts = module.split(".")
    return STAGES.index(parts[1]) if len(parts) > 1 and parts[1] in STAGES else -1


class Source(NamedTuple):
    """What the fingerprint reads from one source file."""

    imports: frozenset[str]  # the socflow names it imports: module, or module.name where name may be a module
    resources: frozenset[tuple[str, ...]]  # the templates it names
    code: str  # the hash of what it does


def _source(path: Path) -> Source:
    """A source file read once per version of it (a run plans every rule from the same few dozen modules)."""
    stat = path.stat()
    return _read(path, stat.st_mtime_ns, stat.st_size)


@cache
def _read(path: Path, mtime_ns: int, size: int) -> Source:
    tree = ast.parse(path.read_text(), filename=str(path))
    return Source(_imports(tree), _resources(tree), _code(tree))


def _imports(tree: ast.AST) -> frozenset[str]:
    """The socflow names a source file imports anywhere (a lazy import inside a function counts)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "socflow"}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "socflow":
            found |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    return frozenset(found)


def _resources(tree: ast.AST) -> frozenset[tuple[str, ...]]:
    """The templates a module names as ``RESOURCES / "dir" / "file"``: the whole literal path of each use (a
    folder, HDL = RESOURCES / "hdl", stands for its files)."""

    def path(node: ast.AST) -> tuple[str, ...] | None:
        if isinstance(node, ast.Name):
            return () if node.id == RESOURCES_NAME else None
        if _joins(node):
            head = path(node.left)
            return None if head is None else (*head, str(node.right.value))
        return None

    inner = {id(node.left) for node in ast.walk(tree) if _joins(node)}  # RESOURCES / "hdl" in RESOURCES / "hdl" / "x.v"
    return frozenset(p for node in ast.walk(tree) if id(node) not in inner and (p := path(node)))


def _joins(node: ast.AST) -> bool:
    """Whether a node is `path / "literal"`."""
    return isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) and isinstance(node.right, ast.Constant)


def _code(tree: ast.Module) -> str:
    """The hash of a module's syntax tree without its docstrings: what it does, not how it is written or
    explained. Strips the tree it is given."""
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
    return hashlib.sha256(ast.dump(tree).encode()).hexdigest()


def _parents(module: str) -> list[str]:
    """The packages Python runs first when it imports a module (socflow, socflow.rtl for socflow.rtl.folded)."""
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def modules(script: str | Path, package: Path = PACKAGE) -> set[str]:
    """The socflow modules a workflow script runs: its imports and theirs, each import followed where it goes
    back in the data flow or to the base (see the module docstring), with the packages that import them."""
    todo = [m for m in _source(Path(script)).imports if _path(m, package)]
    seen: set[str] = set()
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        todo += _parents(module)
        todo += [
            m for m in _source(_path(module, package)).imports if _path(m, package) and _stage(m) <= _stage(module)
        ]
    return seen


def _files(root: Path) -> list[Path]:
    """The files of a template folder, or the template file itself."""
    return (
        sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts) if root.is_dir() else [root]
    )


def fingerprint(script: str | Path, package: Path = PACKAGE) -> str:
    """16 hex digits that change when the socflow code a workflow script runs changes (modules, templates),
    and only then; the same for an editable and a regular install of the same source."""
    digest = hashlib.sha256()
    templates: set[tuple[str, ...]] = set()
    for module in sorted(modules(script, package)):
        source = _source(_path(module, package))
        digest.update(f"{module} {source.code}\n".encode())
        templates |= source.resources
    resources = package / "resources"
    for path in sorted({f for t in templates for f in _files(resources.joinpath(*t))}):
        if path.is_file():  # a path built at run time from a literal folder may not exist as written
            digest.update(f"{path.relative_to(resources).as_posix()}\n".encode() + path.read_bytes())
    return digest.hexdigest()[:16]
