"""The fast lane answers exactly as the full Typer CLI does, and hands everything else over."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CLEAN_ENV

from errcli.cli.app import app
from errcli.cli.fast import parse
from errcli.cli.spec import COMMANDS

FULL = "import sys; from errcli.cli.app import main; sys.argv[0] = 'errcode'; main()"
FAST = "import sys; from errcli.cli.fast import main; sys.argv[0] = 'errcode'; main()"

MATRIX = [
    ["1001"],
    ["1001", "--brief"],
    ["1001", "--json"],
    ["--json", "1001", "429"],
    ["1001", "--format", "yaml"],
    ["1001", "--format=markdown"],
    ["1001", "-f", "plain", "--lang", "zh"],
    ["1001", "--format", "table", "--color", "never"],
    ["qaexchange:1001", "-l", "en"],
    ["-c", "qaexchange", "1001"],
    ["1001", "-c", "nope"],
    ["ztdx:INVALID_AMOUNT"],
    ["insufficient-balance", "-b"],
    ["0x3E9", "3xxx", "--brief"],
    ["8888"],
    ["INSUFICIENT_BALANCE"],
    ["ztdx:"],
    ["nope:1001"],
    [""],
    ["insufficient", "balance"],
    ["资金不足", "--json"],
    ["--", "1001"],
    ["1001", "--format", "xml"],
    ["1001", "--lang", "fr"],
    ["--version"],
    ["search", "insufficient", "balance"],
    ["search", "rate", "limit", "--limit", "2", "--json"],
    ["search", "资金", "-n", "3", "--min-score", "50", "-c", "qaexchange"],
    ["search", "zzzzqqqq"],
    ["search", "  "],
    ["search", "x", "--limit", "0"],
    ["search", "x", "--min-score", "101"],
    ["search", "x", "-c", "nope"],
    ["--catalog-path", "/nonexistent", "1001"],
    ["lookup", "--catalog-path", "/nonexistent", "1001"],
    ["search", "funds", "--catalog-path", "/nonexistent"],
    ["explain", '{"code": 1001, "message": "Invalid or expired token"}'],
    ["explain", '{"code": 1001}', "--json"],
    ["explain", "--brief", '{"error": "余额不足", "code": "INSUFFICIENT_BALANCE"}', "-c", "ztdx"],
    ["explain", '{"code": 9999}', "--summary", "--format", "yaml"],
    ["explain", "{", "--summary"],
    ["explain", "/nonexistent/app.log"],
    ["explain", "--", '{"code": 429}'],
    ["-1021"],
    ["-1021", "--brief"],
    ["search", "-1021"],
    ["explain", "-1021"],
]


def _run(code: str, args: list[str], home: Path, stdin: str = "") -> tuple[int, str, str]:
    env = {**os.environ, **CLEAN_ENV, "XDG_CONFIG_HOME": str(home / "cfg"), "XDG_CACHE_HOME": str(home)}
    proc = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the whole matrix, built once (catalogs and search index)."""
    home = tmp_path_factory.mktemp("warm")
    assert _run(FAST, ["search", "warm"], home)[0] in (0, 1)
    return home


@pytest.mark.parametrize("args", MATRIX, ids=[" ".join(a) or "empty" for a in MATRIX])
def test_fast_lane_matches_full_cli(args: list[str], warm: Path) -> None:
    assert _run(FAST, args, warm) == _run(FULL, args, warm)


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["search"],
        ["search", "x", "--limit", "0"],
        ["search", "x", "--limit", "many"],
        ["list"],
        ["--help"],
        ["1001", "--help"],
        ["1001", "--debug"],
        ["1001", "--format"],
        ["1001", "--lang", "fr"],
        ["1001", "--unknown"],
        ["explain", "a.log", "b.log"],
        ["explain", "--help"],
        ["explain", "--summary", "--bogus"],
        ["explain", "-bv"],
        ["explain", "-1021"],
        ["search", "-1021"],
    ],
)
def test_everything_else_goes_to_the_full_cli(args: list[str]) -> None:
    assert parse(args) is None


def test_explain_takes_the_fast_lane() -> None:
    assert parse(["explain"]) == ("explain", {**parse(["explain", "-"])[1], "source": None})  # type: ignore[index]
    parsed = parse(["explain", "app.log", "--summary", "-c", "qaexchange"])
    assert parsed is not None
    name, values = parsed
    assert (name, values["source"], values["summary"], values["catalog"]) == (
        "explain",
        "app.log",
        True,
        ["qaexchange"],
    )


LOG = (
    "2025-10-14 07:30:00,126 ERROR [ztdx.api] (e9791519) <- 400 "
    '{"error": "无效的数量: -0.01", "code": "INVALID_AMOUNT"}\n'
    "plain text line\n"
    '{"success":false,"data":null,"error":{"code":1001,"message":"Insufficient funds: need 1200.50"}}\n'
    '{"success":true,"data":{"order_id":"O17"},"error":null}\n'
)


@pytest.mark.parametrize(
    "args", [["--summary"], ["--summary", "--json"], ["--verbose"], ["--format", "ndjson"], ["--brief", "--lang", "zh"]]
)
def test_fast_lane_explains_files_and_stdin_as_the_full_cli(args: list[str], warm: Path, tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text(LOG, encoding="utf-8")
    assert _run(FAST, ["explain", str(log), *args], warm) == _run(FULL, ["explain", str(log), *args], warm)
    assert _run(FAST, ["explain", *args], warm, stdin=LOG) == _run(FULL, ["explain", *args], warm, stdin=LOG)


def test_explain_answers_are_never_replayed(warm: Path) -> None:
    """A piped run's answer may be kept for the same arguments; an explanation depends on its input."""
    first = _run(FAST, ["explain", "--json"], warm, stdin='{"code": 1001}')
    second = _run(FAST, ["explain", "--json"], warm, stdin='{"code": 2002}')
    assert '"code": 1001' in first[1]
    assert '"code": 2002' in second[1]


def test_plain_lookups_stay_in_the_fast_lane() -> None:
    parsed = parse(["-c", "ztdx", "--json", "INSUFFICIENT_BALANCE", "--catalog-path=/x"])
    assert parsed is not None
    name, values = parsed
    assert name == "lookup"
    assert values["query"] == ["INSUFFICIENT_BALANCE"]
    assert values["catalog"] == ["ztdx"]
    assert values["catalog_path"] == ["/x"]
    assert values["as_json"] is True
    assert values["limit"] == 10


def test_command_list_matches_the_app() -> None:
    names = [c.name for c in app.registered_commands]
    assert names == list(COMMANDS)


def test_fast_lane_does_not_import_typer_or_rich(tmp_path: Path) -> None:
    heavy = "{'typer', 'rich', 'yaml', 'rapidfuzz', 'click'}"
    report = f"print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy}))"
    code = FAST.replace("main()", f"\ntry:\n    main()\nfinally:\n    {report}")
    status, out, _ = _run(code, ["1001", "--brief"], tmp_path)  # builds the cache
    status, out, _ = _run(code, ["1001", "--brief"], tmp_path)  # uses it
    assert status == 0
    assert out.splitlines()[-1] == "[]"


BROKEN = "id: broken\nname: {en: Broken}\nentries:\n  - code: 1\n    title: {en: One}\n    severity: fatal\n"


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["--catalog-path", "{missing}", "1001"], 2),
        (["lookup", "--catalog-path", "{missing}", "1001"], 2),
        (["--catalog-path", "{broken}", "1001", "--json"], 2),
        (["lookup", "--catalog-path", "{broken}", "1001"], 2),
        (["search", "funds", "--catalog-path", "{broken}"], 2),
        (["--catalog-path", "{folder}", "1001", "--brief"], 0),  # a folder's broken file is skipped
    ],
    ids=["missing", "lookup-missing", "broken", "lookup-broken", "search-broken", "folder"],
)
def test_fast_lane_matches_full_cli_on_catalog_paths(args: list[str], status: int, tmp_path: Path) -> None:
    folder = tmp_path / "catalogs"
    folder.mkdir()
    broken = folder / "broken.yaml"
    broken.write_text(BROKEN, encoding="utf-8")
    paths = {"missing": str(tmp_path / "nonexistent"), "broken": str(broken), "folder": str(folder)}
    argv = [a.format(**paths) for a in args]
    fast = _run(FAST, argv, tmp_path)
    assert fast == _run(FULL, argv, tmp_path)
    assert fast[0] == status, fast
    assert "Traceback" not in fast[2]
    named = argv[argv.index("--catalog-path") + 1]
    assert (named if status else str(broken)) in fast[2]


def test_ctrl_c_inside_a_class_made_during_an_import_is_a_quiet_130(monkeypatch: pytest.MonkeyPatch) -> None:
    """Python wraps what ``__set_name__`` raises while a class is made (``platform.uname_result``
    during an import) in a RuntimeError: Ctrl-C at that moment is still Ctrl-C."""
    from errcli.cli import fast

    def interrupted(_args: list[str]) -> int:
        raise RuntimeError("Error calling __set_name__") from KeyboardInterrupt()

    monkeypatch.setattr(fast, "_main", interrupted)
    with pytest.raises(SystemExit) as done:
        fast.main(["1001"])
    assert done.value.code == 130

    def broken(_args: list[str]) -> int:
        raise RuntimeError("a real bug")

    monkeypatch.setattr(fast, "_main", broken)
    with pytest.raises(RuntimeError, match="a real bug"):  # anything else is not hidden
        fast.main(["1001"])
