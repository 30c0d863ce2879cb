"""The package's layers, read from the source: who may import whom, who prints, how big a module is.

argv → cli → commands → core → leaves, and output beside commands: a module imports only what lies
below it (or in its own package), so the design stays the one the folders show.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "errcli"
LEAVES = ("errcli._text", "errcli._version", "errcli.errors", "errcli.model", "errcli.env", "errcli.store")
CORE = ("errcli.catalog", "errcli.lookup", "errcli.listing", "errcli.search", "errcli.explain", "errcli.importer")
# Each layer may import the layers after it (and itself); output reads the commands' answers only as types.
RANK = {
    "errcli": 9,  # the package itself: load() and the API's names
    "errcli.cli": 8,  # the command line and the MCP server
    "errcli.api": 7,  # the Python API: the commands' answers and the JSON documents
    "errcli.output": 6,
    "errcli.commands": 5,
    "errcli.explain": 4,
    "errcli.importer": 4,
    "errcli.search": 3,
    "errcli.listing": 2,
    "errcli.lookup": 2,
    "errcli.catalog": 1,
    **dict.fromkeys(LEAVES, 0),
}
MAX_LINES = 600


def modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if name != "errcli.__main__":
            found.append((name, path))
    return found


def layer(name: str) -> str:
    """The layer of a module: the longest key of RANK it falls under."""
    return max((key for key in RANK if name == key or name.startswith(key + ".")), key=len)


def imports(path: Path, *, runtime_only: bool = False) -> Iterator[tuple[str, int]]:
    """(module, line) of each import; ``runtime_only`` leaves out ``if TYPE_CHECKING:`` blocks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    if runtime_only:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                skipped.update(id(n) for child in node.body for n in ast.walk(child))
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            yield from ((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module, node.lineno
            if node.module == "errcli":  # `from errcli import x`: the submodule x, when there is one
                yield from ((f"errcli.{a.name}", node.lineno) for a in node.names if (ROOT / a.name).exists())


MODULES = modules()


@pytest.mark.parametrize(("name", "path"), MODULES, ids=[n for n, _ in MODULES])
def test_imports_go_down(name: str, path: Path) -> None:
    mine = layer(name)
    for target, line in imports(path):
        if not target.startswith("errcli") or target == "errcli._version":
            continue
        theirs = layer(target)
        if name.startswith(theirs + ".") and theirs in ("errcli", *LEAVES):  # inside one's own package
            continue
        if theirs == mine:
            assert mine not in LEAVES or target.startswith(mine), f"{name}:{line} leaf imports {target}"
            continue
        assert RANK[theirs] < RANK[mine], f"{name}:{line} imports {target}, which lies above it"


@pytest.mark.parametrize(("name", "path"), MODULES, ids=[n for n, _ in MODULES])
def test_leaves_import_nothing_of_errcli(name: str, path: Path) -> None:
    if layer(name) not in LEAVES:
        return
    package = layer(name)
    others = [t for t, _ in imports(path) if t.startswith("errcli") and not t.startswith(package)]
    assert others == [], f"{name} imports {others}"


@pytest.mark.parametrize(("name", "path"), MODULES, ids=[n for n, _ in MODULES])
def test_owners_of_typer_and_rich(name: str, path: Path) -> None:
    used = {t.split(".")[0] for t, _ in imports(path)}
    if "typer" in used or "click" in used:
        assert name.startswith("errcli.cli."), f"{name} imports typer"
    if "rich" in used:
        assert name.startswith(("errcli.output.", "errcli.cli.")), f"{name} imports rich"


@pytest.mark.parametrize(("name", "path"), MODULES, ids=[n for n, _ in MODULES])
def test_heavy_dependencies_have_one_owner(name: str, path: Path) -> None:
    used = {t.split(".")[0] for t, _ in imports(path)}
    if used & {"opencc", "pypinyin"}:
        assert name == "errcli.search.tables", name
    if "yaml" in used:  # reading catalogs, writing drafts, and --format yaml
        assert name in ("errcli.catalog.loader", "errcli.importer.draft", "errcli.output.json"), name


@pytest.mark.parametrize(("name", "path"), MODULES, ids=[n for n, _ in MODULES])
def test_output_never_calls_the_core(name: str, path: Path) -> None:
    """output/ reads the core's results as types only (``if TYPE_CHECKING:``); it never runs the core."""
    if not name.startswith("errcli.output"):
        return
    for target, line in imports(path, runtime_only=True):
        if target.startswith("errcli"):
            assert layer(target) in (*LEAVES, "errcli.output"), f"{name}:{line} imports {target} at run time"


def _writes(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            call = ast.unparse(node.func)
            if call == "print" or call.startswith(("sys.stdout", "sys.stderr", "os.write")):
                lines.append(node.lineno)
    return lines


@pytest.mark.parametrize(("name", "path"), MODULES, ids=[n for n, _ in MODULES])
def test_only_output_and_cli_print(name: str, path: Path) -> None:
    if name.startswith(("errcli.output", "errcli.cli")):
        return
    assert _writes(path) == [], f"{name} writes to stdout/stderr at lines {_writes(path)}"


@pytest.mark.parametrize(("name", "path"), MODULES, ids=[n for n, _ in MODULES])
def test_modules_stay_small(name: str, path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines"


def test_no_import_cycles() -> None:
    graph: dict[str, set[str]] = {}
    names = {n for n, _ in MODULES}
    for name, path in MODULES:
        graph[name] = {t for t, _ in imports(path) if t in names and t != name}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                cycle = [*trail[trail.index(nxt) :], nxt] if nxt in trail else [node, nxt]
                pytest.fail(f"import cycle: {' → '.join(cycle)}")
            if nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])


def test_the_checks_see_the_whole_package() -> None:
    """The rules are read from real files: a wrong folder would make every check pass vacuously."""
    names = {n for n, _ in MODULES}
    assert {"errcli.cli.app", "errcli.cli.spec", "errcli.output.json", "errcli.commands.lookup"} <= names
    assert len(names) > 40
