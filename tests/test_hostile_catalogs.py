"""Hostile catalogs, folders and caches: each is reported or repaired, never a traceback."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, process_env, run

from errcli.catalog import parse_catalog
from errcli.errors import CatalogError

BIN = Path(sys.executable).parent / "errcode"
BEYOND = 2**64  # one past what msgpack (and so the cache) can hold


def errcode(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """errcode as a whole process, in a clean environment under ``tmp_path``."""
    clean = process_env(tmp_path, env)
    done = subprocess.run([BIN, *args], env=clean, capture_output=True, text=True, timeout=60, check=False)
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done


# --- 4. numbers the cache cannot hold ------------------------------------------------------------

CATALOG = """\
schema_version: {schema}
id: big
name: {{en: Big}}
envelopes:
  - {{name: plain, keys: [code], error_when: {{code: {when}}}}}
categories:
  - {{id: funds, title: {{en: Funds}}, range: [1000, {high}]}}
entries:
  - code: {code}
    title: {{en: Huge}}
    retry_after: {retry}
"""
FINE = {"schema": 1, "when": 1, "high": 1999, "code": 77, "retry": 5}
TOO_BIG = {  # field: (value, line)
    "schema": (BEYOND, 1),
    "when": (BEYOND, 5),
    "high": (BEYOND, 7),
    "code": (BEYOND, 9),
    "retry": (-(2**63) - 1, 11),
}


def big_catalog(tmp_path: Path, field: str) -> tuple[Path, int]:
    value, line = TOO_BIG[field]
    path = tmp_path / "big.yaml"
    path.write_text(CATALOG.format(**{**FINE, field: value}), encoding="utf-8")
    return path, line


@pytest.mark.parametrize(
    ("value", "message"),
    [("1" + "0" * 5000, "the number is out of range"), ("2025-13-45", "`2025-13-45` is no valid timestamp")],
)
def test_a_scalar_yaml_cannot_read_is_an_error_at_its_line(tmp_path: Path, value: str, message: str) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text(f"id: odd\nname: {{en: Odd}}\ndate: {value}\nentries: []\n", encoding="utf-8")
    checked = errcode(tmp_path, "validate", str(path))
    assert checked.returncode == 2, checked.stdout
    assert f"{path}:3: {message}" in checked.stdout


def test_the_catalog_template_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "fine.yaml"
    path.write_text(CATALOG.format(**FINE), encoding="utf-8")
    assert run("validate", str(path)).exit_code == 0


@pytest.mark.parametrize("field", sorted(TOO_BIG))
def test_validate_rejects_a_number_the_cache_cannot_hold(tmp_path: Path, field: str) -> None:
    path, line = big_catalog(tmp_path, field)
    with pytest.raises(CatalogError, match="64 bits") as caught:
        parse_catalog(path.read_text(encoding="utf-8"), str(path))
    assert caught.value.line == line
    checked = errcode(tmp_path, "validate", str(path))
    assert checked.returncode == 2, checked.stdout
    assert f"{path}:{line}:" in checked.stdout


def test_a_number_too_big_in_a_named_catalog_is_an_error(tmp_path: Path) -> None:
    path, line = big_catalog(tmp_path, "code")
    named = errcode(tmp_path, "1001", "--catalog-path", str(path))
    assert named.returncode == 2, named.stderr
    assert f"{path}:{line}:" in named.stderr


@pytest.mark.parametrize(
    "args",
    [["1001"], ["list", "-c", "http"], ["search", "funds"], ["explain", '{"code": 1001}'], ["catalogs"]],
)
def test_a_number_too_big_in_a_user_catalog_is_skipped_with_a_warning(tmp_path: Path, args: list[str]) -> None:
    path, _ = big_catalog(tmp_path, "code")
    done = errcode(tmp_path, *args, env={"ERRCODE_PATH": str(path)})
    assert done.returncode == 0, done.stderr
    assert str(path) in done.stderr + done.stdout
    if args == ["1001"]:
        assert "market-data 1001" in done.stdout


@pytest.mark.parametrize("code", ["99999999999999999999999", "²", "-5"])
def test_a_text_code_that_looks_like_a_number_is_kept(tmp_path: Path, code: str) -> None:
    path = tmp_path / "text.yaml"
    path.write_text(CATALOG.format(**{**FINE, "code": json.dumps(code)}), encoding="utf-8")
    listed = errcode(tmp_path, "list", "-c", "big", "--json", "--catalog-path", str(path))
    assert listed.returncode == 0, listed.stderr
    assert [e["code"] for e in json.loads(listed.stdout)["entries"]] == [code]


# --- 6. a damaged catalogs cache -----------------------------------------------------------------


def catalogs_cache(root: Path) -> Path:
    (path,) = (root / "errcode").glob("catalogs-*.msgpack")
    return path


def rename_field(data: bytes) -> bytes:
    """Every entry's ``category`` field renamed (same length): valid msgpack, the wrong fields."""
    assert b"\xa8category" in data
    return data.replace(b"\xa8category", b"\xa8categorz")


def change_text(data: bytes) -> bytes:
    """One letter of a title changed: still valid msgpack and a valid entry, but not what the file says."""
    at = data.index(b"API key invalid or expired")
    return data[:at] + b"B" + data[at + 1 :]


def flip_bytes(seed: int) -> Any:
    def damage(data: bytes) -> bytes:
        rng = random.Random(seed)  # noqa: S311 - the same damage on every run
        damaged = bytearray(data)
        for _ in range(3):
            at = rng.randrange(200, len(data))  # past the key: what is read back
            damaged[at] ^= 1 << rng.randrange(8)
        return bytes(damaged)

    return damage


DAMAGE = {"rename": rename_field, "text": change_text, **{f"flip{seed}": flip_bytes(seed) for seed in range(12)}}


@pytest.mark.parametrize("how", sorted(DAMAGE))
def test_a_damaged_cache_gives_the_right_answer_and_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    clean = {args: run(*args) for args in (("1001", "--json"), ("list", "--json"))}
    path = catalogs_cache(tmp_path)
    good = path.read_bytes()
    for args, expected in clean.items():
        damaged = DAMAGE[how](good)
        path.write_bytes(damaged)
        result = run(*args)
        assert result.exception is None, result.exception
        assert (result.exit_code, result.stdout) == (expected.exit_code, expected.stdout)
        if not how.startswith("flip"):  # damage where it is read (a flip may land where nothing reads it)
            assert catalogs_cache(tmp_path).read_bytes() != damaged  # dropped and built again
    assert run("1001", "--json").stdout == clean["1001", "--json"].stdout


def test_a_renamed_field_in_the_cache_is_repaired_in_a_real_run(tmp_path: Path) -> None:
    expected = errcode(tmp_path, "1001", "--json")
    for args in (["1001", "--json"], ["list", "--json"], ["list", "--json"]):
        before = errcode(tmp_path, *args).stdout
        path = catalogs_cache(tmp_path / "cache")
        path.write_bytes(rename_field(path.read_bytes()))
        done = errcode(tmp_path, *args)
        assert done.returncode == 0, done.stderr
        assert done.stdout == before
    assert errcode(tmp_path, "1001", "--json").stdout == expected.stdout


# --- 7. folders that cannot be read --------------------------------------------------------------


@contextlib.contextmanager
def locked(monkeypatch: pytest.MonkeyPatch, folder: Path) -> Iterator[None]:
    """``folder`` as mode 000 is for anyone but root: it can be looked at, not listed, nor anything in it."""
    inside = str(folder) + os.sep

    def denied(path: Any) -> bool:
        return isinstance(path, (str, os.PathLike)) and os.fspath(path).startswith(inside)

    def refuse(path: Any) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))

    real = {name: getattr(os, name) for name in ("stat", "lstat", "open", "listdir", "scandir")}

    def guard(name: str, inner: bool) -> Any:
        def call(path: Any = ".", *args: Any, **kwargs: Any) -> Any:
            if denied(path) or (not inner and isinstance(path, (str, os.PathLike)) and Path(path) == folder):
                refuse(path)
            return real[name](path, *args, **kwargs)

        return call

    with monkeypatch.context() as patch:
        for name in ("stat", "lstat", "open"):
            patch.setattr(os, name, guard(name, inner=True))
        for name in ("listdir", "scandir"):
            patch.setattr(os, name, guard(name, inner=False))
        yield


def test_a_catalog_in_an_unreadable_folder_is_skipped_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "mine.yaml").write_text("id: mine\nname: {en: Mine}\nentries: []\n", encoding="utf-8")
    inside = folder / "mine.yaml"
    for named in (folder, inside, folder / "sub" / "other.yaml"):
        monkeypatch.setenv("ERRCODE_PATH", str(named))
        with locked(monkeypatch, folder):
            result = run("1001", "--brief")
            listed = run("catalogs", "--json")
            strict = run("1001", "--catalog-path", str(named))
        assert result.exception is None, result.exception
        assert result.exit_code == 0, result.output
        assert "market-data:1001" in result.stdout
        assert f"{named}: cannot read" in result.stderr
        assert [b["path"] for b in json.loads(listed.stdout)["broken"]] == [str(named)]
        assert isinstance(strict.exception, SystemExit), strict.exception
        assert strict.exit_code == 2, strict.output
        assert f"{named}: cannot read" in strict.stderr


def test_an_unreadable_config_folder_is_skipped_with_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config" / "errcode"
    (config / "catalogs").mkdir(parents=True)
    with locked(monkeypatch, config):
        result = run("1001")
        validated = run("validate", str(config / "catalogs" / "mine.yaml"))
    assert result.exception is None, result.exception
    assert result.exit_code == 0, result.output
    assert f"{config / 'catalogs'}: cannot read" in result.stderr
    assert isinstance(validated.exception, SystemExit), validated.exception
    assert validated.exit_code == 2, validated.output
    assert "cannot read" in validated.stdout


def test_an_unreadable_cache_folder_is_reported_by_errcode_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = tmp_path / "errcode"
    assert run("1001").exit_code == 0
    with locked(monkeypatch, folder):
        results = [run("cache", "--json"), run("cache", "clear", "--json"), run("cache"), run("1001")]
    for result in results:
        assert result.exception is None, result.exception
        assert result.exit_code == 0, result.output
    for result in results[:2]:
        assert any(str(folder) in problem for problem in json.loads(result.stdout)["problems"])
    assert any(folder.iterdir())  # nothing was removed


@pytest.mark.skipif(
    os.geteuid() == 0 and shutil.which("setpriv") is None, reason="root reads any folder; setpriv can drop that"
)
def test_unreadable_folders_in_a_real_run(tmp_path: Path) -> None:
    """Mode 000 for real: as root, with the capabilities that let root read anything dropped."""
    drop = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"] if os.geteuid() == 0 else []
    locked_dir = tmp_path / "locked"
    locked_dir.mkdir()
    (locked_dir / "mine.yaml").write_text("id: mine\nname: {en: Mine}\nentries: []\n", encoding="utf-8")
    config = tmp_path / "config" / "errcode"
    (config / "catalogs").mkdir(parents=True)
    (tmp_path / "cache" / "errcode").mkdir(parents=True)
    for folder in (locked_dir, config, tmp_path / "cache" / "errcode"):
        folder.chmod(0)
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.update({"ERRCODE_PATH": f"{locked_dir}{os.pathsep}{locked_dir / 'mine.yaml'}", "NO_COLOR": "1"})
    env["PYTHONPATH"] = str(ROOT)
    try:
        for args in (["1001"], ["cache"], ["cache", "clear"], ["catalogs"]):
            command = [*drop, str(BIN), *args]
            done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)
            assert "Traceback" not in done.stderr, done.stderr
            assert done.returncode == 0, done.stderr
    finally:
        for folder in (locked_dir, config, tmp_path / "cache" / "errcode"):
            folder.chmod(0o700)


# --- 14. duplicate keys ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key", "lines"),
    [
        ("id: t\nname: {en: T}\nid: qaexchange\nentries: []\n", "id", (1, 3)),
        ("id: t\nname: {en: T}\nentries:\n  - code: 1\n    title: {en: a}\n    code: 2\n", "code", (4, 6)),
        ("id: t\nname: {en: T}\nentries:\n  - code: 1\n    title:\n      en: a\n      en: b\n", "en", (6, 7)),
        ("id: t\nname: {en: T, en: U}\nentries: []\n", "en", (2, 2)),
    ],
)
def test_a_duplicate_key_is_an_error_naming_both_lines(text: str, key: str, lines: tuple[int, int]) -> None:
    with pytest.raises(CatalogError) as caught:
        parse_catalog(text, "dup.yaml")
    assert caught.value.line == lines[1]
    assert f"duplicate key `{key}`" in caught.value.message
    assert f"lines {lines[0]} and {lines[1]}" in caught.value.message


def test_a_duplicate_id_cannot_replace_a_bundled_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "sneaky.yaml"
    path.write_text("id: t\nname: {en: Fake}\nid: qaexchange\nentries: []\n", encoding="utf-8")
    monkeypatch.setenv("ERRCODE_PATH", str(path))
    result = run("1001", "--brief")
    assert result.exit_code == 0, result.output
    assert "qaexchange:1001" in result.stdout
    assert f"{path}:3: duplicate key `id`" in result.stderr
    assert run("validate", str(path)).exit_code == 2


# --- 15. an edit of the same size, its mtime put back --------------------------------------------


USER = "id: mine\nname: {en: Mine}\nentries:\n  - code: 7001\n    title: {en: first title}\n"


def rewrite_keeping_size_and_mtime(path: Path, text: str, *, replace: bool) -> None:
    before = path.stat()
    assert len(text.encode()) == before.st_size
    time.sleep(0.05)  # past the clock's granularity: the change time moves on
    if replace:
        fresh = path.with_name("fresh.tmp")
        fresh.write_text(text, encoding="utf-8")
        fresh.replace(path)
    else:
        path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_mtime_ns == before.st_mtime_ns


@pytest.mark.parametrize("replace", [False, True], ids=["in-place", "replaced"])
def test_a_same_size_edit_with_the_mtime_put_back_is_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, replace: bool
) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(USER, encoding="utf-8")
    monkeypatch.setenv("ERRCODE_PATH", str(path))
    assert "first title" in run("mine:7001").stdout
    assert "first title" in run("search", "first title").stdout
    assert "7001" in tab("700")
    rewrite_keeping_size_and_mtime(path, USER.replace("7001", "7002").replace("first", "zebra"), replace=replace)
    assert "7001" not in tab("700")  # stale: nothing rather than the old codes
    assert "zebra title" in run("mine:7002").stdout
    assert "zebra title" in run("search", "zebra").stdout  # the search index was built again
    assert "zebra title" not in run("search", "first").stdout
    assert "7002" in tab("700")


# --- 16. a deleted or damaged completion.marshal --------------------------------------------------


def tab(word: str) -> str:
    """What TAB offers after ``errcode WORD``, as bash asks for it (the cache of this test's environment)."""
    command = [str(BIN), "__complete", "bash", "1", "errcode", word]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0
    assert done.stderr == ""
    return done.stdout


@pytest.mark.parametrize("damage", [None, b"", b"garbage", b'{"files": [], "catalogs": ['])
def test_a_missing_or_damaged_completion_file_is_written_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: bytes | None
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert run("1001").exit_code == 0
    assert "1001" in tab("100").split()
    completion = tmp_path / "cache" / "errcode" / "completion.marshal"
    if damage is None:
        completion.unlink()
    else:
        completion.write_bytes(damage)
    assert tab("100") == ""
    assert run("1001").exit_code == 0
    assert "1001" in tab("100").split()
    written = completion.stat()
    assert run("1001").exit_code == 0
    assert completion.stat().st_mtime_ns == written.st_mtime_ns  # a whole one is left alone


def test_damage_inside_the_completion_file_is_removed_by_tab_then_written_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Damage between whole-looking ends: TAB cannot read it, drops it, and the next plain run writes it."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert run("1001").exit_code == 0
    completion = tmp_path / "cache" / "errcode" / "completion.marshal"
    whole = completion.read_bytes()
    completion.write_bytes(whole[:40] + b"\x00not json\x00" + whole[-40:])
    assert tab("100") == ""
    assert not completion.exists()
    assert run("1001").exit_code == 0
    assert "1001" in tab("100").split()


def test_errcode_cache_shows_an_unreadable_folder_on_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = tmp_path / "errcode"
    assert run("1001").exit_code == 0
    with locked(monkeypatch, folder):
        shown = run("cache")
    assert shown.exit_code == 0
    assert str(folder) in shown.stderr
    assert "cannot read" in shown.stderr
