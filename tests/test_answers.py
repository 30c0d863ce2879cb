"""Kept answers (errcli.store.answers): a replayed answer is the full path's, byte for byte, and
anything that could change the answer (a catalog file or folder, the environment, errcode itself)
means the full path is taken again."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from errcli import __version__, env
from errcli.catalog import load_all
from errcli.cli import fast
from errcli.store import answers

BIN = Path(sys.executable).parent / "errcode"
USER = "id: mine\nname: {en: Mine}\nentries:\n  - code: 7001\n    title: {en: first title}\n"


class Pipe(io.StringIO):
    """stdout as a pipe: not a terminal, UTF-8."""

    encoding = "utf-8"
    errors = "strict"

    def isatty(self) -> bool:
        return False


def errcode(args: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    """One run of the command in this process, stdout a pipe: (status, stdout, stderr)."""
    out, err = Pipe(), Pipe()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    status = fast._main(list(args))
    return status, out.getvalue(), err.getvalue()


def replayed(args: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    """The same, where answering the full way fails the test: the answer must be a kept one."""

    def no_parse(_: Any) -> None:
        raise AssertionError("answered the full way")

    with monkeypatch.context() as m:
        m.setattr(fast, "parse", no_parse)
        return errcode(args, monkeypatch)


def counted_parse(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The arguments the full way was asked to parse, from now on."""
    calls: list[Any] = []
    real = fast.parse

    def parse(args: list[str]) -> Any:
        calls.append(args)
        return real(args)

    monkeypatch.setattr(fast, "parse", parse)
    return calls


def kept_file(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "errcode" / answers.FILE


def kept_keys(tmp_path: Path) -> list[Any]:
    """The keys of the answers kept, in the order they were kept (none when there is no file)."""
    data = answers._read(str(kept_file(tmp_path)))
    return list(data["answers"]) if data is not None else []


@pytest.fixture(autouse=True)
def _cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _every_code() -> list[list[str]]:
    cs = load_all(environ={})
    codes = sorted({str(e.code) for e in cs.entries()})
    qualified = [f"{e.catalog}:{e.code}" for e in cs.entries()]
    return [[c] for c in codes] + [[q, "--json"] for q in qualified] + [[c, "--lang", "zh"] for c in codes[::5]]


def test_every_bundled_code_replays_as_the_full_path_printed_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The differential test: for every bundled code (and a share of them as JSON, qualified, in
    Chinese), the kept answer is what the full path printed, and its exit status."""
    cases = _every_code()
    assert len(cases) > 300
    for args in cases:
        full = errcode(args, monkeypatch)
        assert full[0] == 0, (args, full)
        assert full[2] == ""
        assert replayed(args, monkeypatch) == full, args


@pytest.mark.parametrize(
    "args",
    [
        ["search", "资金"],
        ["search", "insufficient", "balance", "--limit", "3", "--json"],
        ["search", "zijin", "-c", "qaexchange"],
        ["资金不足", "--json"],
        ["1001", "429", "--brief"],
        ["0x3E9"],
        ["4xx"],
        ["INSUFFICIENT_BALANCE", "--format", "yaml"],
        ["1001", "--format", "markdown"],
        ["1001", "--color", "always"],
    ],
)
def test_searches_and_other_forms_replay_as_printed(args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    full = errcode(args, monkeypatch)
    assert full[0] == 0
    assert replayed(args, monkeypatch) == full


def test_the_kept_answer_is_the_typer_apps_answer(tmp_path: Path) -> None:
    """Whole processes, through the installed command: the first run (full way, kept), the second
    (replayed) and the Typer app print the same."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    full_app = "import sys; from errcli.cli.app import main; sys.argv[0] = 'errcode'; main()"

    def run(argv: list[str]) -> tuple[int, str, str]:
        done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60, check=False)
        return done.returncode, done.stdout, done.stderr

    for args in (["1001"], ["search", "资金"], ["ztdx:INVALID_AMOUNT", "--json"]):
        first = run([str(BIN), *args])
        assert first[0] == 0
        assert run([str(BIN), *args]) == first
        assert run([sys.executable, "-c", full_app, *args]) == first
    assert len(kept_keys(tmp_path)) == 3


@pytest.mark.parametrize(
    "args",
    [
        ["99999"],  # no such code: stderr says so
        ["1001", "99999"],
        ["search", "zzzzqqqqxxxx"],
        ["--catalog-path", "{user}", "mine:7001"],  # a one-off catalog
    ],
)
def test_answers_with_problems_or_one_off_catalogs_are_not_kept(
    args: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "mine.yaml").write_text(USER, encoding="utf-8")
    argv = [a.format(user=tmp_path / "mine.yaml") for a in args]
    errcode(argv, monkeypatch)
    assert [k for k in kept_keys(tmp_path) if k[2] == tuple(argv)] == []


def test_a_terminal_is_answered_the_full_way(monkeypatch: pytest.MonkeyPatch) -> None:
    errcode(["1001"], monkeypatch)
    monkeypatch.setattr(env, "stdout_is_terminal", lambda: True)
    calls = counted_parse(monkeypatch)
    errcode(["1001"], monkeypatch)
    assert calls == [["1001"]]


def test_an_edited_user_catalog_is_seen(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(USER, encoding="utf-8")
    monkeypatch.setenv("ERRCODE_PATH", str(path))
    assert "first title" in errcode(["mine:7001"], monkeypatch)[1]
    assert "first title" in replayed(["mine:7001"], monkeypatch)[1]
    before = path.stat()
    time.sleep(0.02)
    path.write_text(USER.replace("first", "zebra"), encoding="utf-8")  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the mtime put back: the ctime moved
    assert "zebra title" in errcode(["mine:7001"], monkeypatch)[1]
    assert "zebra title" in replayed(["mine:7001"], monkeypatch)[1]


def test_a_catalog_added_to_the_user_folder_is_seen(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    before = errcode(["7001", "--brief"], monkeypatch)[1]  # the folder is not there yet
    assert "mine" not in before
    folder = tmp_path / "config" / "errcode" / "catalogs"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(USER, encoding="utf-8")
    assert "first title" in errcode(["7001", "--brief"], monkeypatch)[1]
    (folder / "other.yaml").write_text(USER.replace("mine", "other").replace("first", "second"), encoding="utf-8")
    assert "second title" in errcode(["7001", "--brief"], monkeypatch)[1]
    (folder / "other.yaml").unlink()
    assert "second title" not in errcode(["7001", "--brief"], monkeypatch)[1]


@pytest.mark.parametrize(
    ("name", "value"),
    [("ERRCODE_LANG", "zh"), ("LANG", "zh_CN.UTF-8"), ("COLUMNS", "60"), ("FORCE_COLOR", "1"), ("ERRCODE_X", "1")],
)
def test_the_environment_is_part_of_the_answer(name: str, value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    errcode(["1001"], monkeypatch)
    monkeypatch.setenv(name, value)
    calls = counted_parse(monkeypatch)
    errcode(["1001"], monkeypatch)
    assert calls == [["1001"]]  # not the answer kept for the other environment


def test_another_version_does_not_replay(monkeypatch: pytest.MonkeyPatch) -> None:
    errcode(["1001"], monkeypatch)
    assert answers.recall(["1001"], os.environ, "utf-8:strict", __version__) is not None
    assert answers.recall(["1001"], os.environ, "utf-8:strict", __version__ + ".1") is None
    assert answers.recall(["1001"], os.environ, "ascii:strict", __version__) is None  # another encoding


@pytest.mark.parametrize("damage", [b"", b"garbage", b"\xda\x00\x00\x00", None])
def test_a_damaged_file_means_the_full_way_then_it_is_written_again(
    damage: bytes | None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    full = errcode(["1001"], monkeypatch)
    path = kept_file(tmp_path)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2] if damage is None else damage)
    assert errcode(["1001"], monkeypatch) == full
    assert replayed(["1001"], monkeypatch) == full


def test_answers_kept_are_bounded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(answers, "MAX_ANSWERS", 3)
    for code in ("1001", "1002", "1003", "1004"):
        errcode([code], monkeypatch)
    assert [k[2] for k in kept_keys(tmp_path)] == [("1002",), ("1003",), ("1004",)]  # the oldest went


def test_a_source_that_changes_during_the_run_keeps_nothing(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(USER, encoding="utf-8")
    sources = answers.snapshot([str(path)])
    assert sources is not None
    time.sleep(0.02)
    path.write_text(USER.replace("first", "other"), encoding="utf-8")
    assert not answers.keep(["1001"], os.environ, "utf-8:strict", __version__, ("text", 0), sources)


def test_a_kept_answer_that_cannot_be_written_fails_as_a_full_run_does(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    subprocess.run([str(BIN), "1001"], env=env, capture_output=True, timeout=60, check=True)
    assert len(kept_keys(tmp_path)) == 1
    with Path("/dev/full").open("w") as full:
        argv = [str(BIN), "1001"]
        done = subprocess.run(argv, env=env, stdout=full, stderr=subprocess.PIPE, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stderr == "errcode: cannot write the output: No space left on device\n"
