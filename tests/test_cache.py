"""The compiled catalog cache: reused, rebuilt when anything changes, never in the way."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import BinaryIO

import msgspec
import pytest

import errcli.catalog
from errcli.catalog import load_all
from errcli.store import cache

USER = """\
id: mine
name: {en: Mine}
entries:
  - code: 7
    title: {en: first title}
"""


def cache_files(root: Path) -> list[Path]:
    """The compiled catalog files (the completion data beside them is checked separately)."""
    folder = root / "errcode"
    return sorted(folder.glob("catalogs-*.msgpack")) if folder.exists() else []


def test_first_load_writes_the_cache_and_the_second_uses_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = load_all(environ={})
    files = cache_files(tmp_path)
    assert len(files) == 1
    assert files[0].name.endswith(".msgpack")

    import errcli.catalog.validate

    def no_parsing(*_: object) -> None:
        raise AssertionError("the cache should have been used")

    monkeypatch.setattr(errcli.catalog.validate, "load_file", no_parsing)
    second = load_all(environ={})
    assert second.catalogs == first.catalogs


def test_changed_user_catalog_is_reloaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    user = tmp_path / "mine.yaml"
    user.write_text(USER, encoding="utf-8")
    assert load_all([str(user)], environ={}).get("mine").entries[0].title.en == "first title"  # type: ignore[union-attr]
    user.write_text(USER.replace("first title", "second and longer title"), encoding="utf-8")
    assert load_all([str(user)], environ={}).get("mine").entries[0].title.en == "second and longer title"  # type: ignore[union-attr]
    os.utime(user, ns=(time.time_ns(), time.time_ns() + 10_000_000))
    user.write_text(USER.replace("first title", "third and longer title"), encoding="utf-8")
    assert load_all([str(user)], environ={}).get("mine").entries[0].title.en == "third and longer title"  # type: ignore[union-attr]


def test_new_file_in_a_catalog_folder_is_seen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "catalogs"
    folder.mkdir()
    assert "mine" not in load_all([str(folder)], environ={}).ids
    (folder / "mine.yaml").write_text(USER, encoding="utf-8")
    assert "mine" in load_all([str(folder)], environ={}).ids


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", b"\x82\xa3key\x90\xa4data\xc0"])
def test_corrupt_cache_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: bytes) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    expected = load_all(environ={}).ids
    (path,) = cache_files(tmp_path)
    path.write_bytes(damage)
    assert load_all(environ={}).ids == expected
    assert path.read_bytes() != damage


def test_cache_from_another_version_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    load_all(environ={})
    (path,) = cache_files(tmp_path)
    before = path.read_bytes()
    monkeypatch.setattr(errcli.catalog, "__version__", "0.0.0-other")
    load_all(environ={})
    assert path.read_bytes() != before


def test_unwritable_cache_still_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert "qaexchange" in load_all(environ={}).ids
    assert blocker.read_text(encoding="utf-8") == ""


def test_a_value_written_part_by_part_is_read_back_and_a_failed_one_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    key = cache.make_key("test", "1", [])

    def fill(sink: BinaryIO) -> None:  # the msgpack of [1, "two", b"three"], written in three parts
        sink.write(b"\x93\x01")
        sink.write(b"\xa3two")
        sink.write(b"\xc4\x05three")

    assert cache.write_with("parts.msgpack", key, fill)
    assert cache.read("parts.msgpack", key, tuple[int, str, bytes]) == (1, "two", b"three")

    def broken(sink: BinaryIO) -> None:
        sink.write(b"\x93")
        sink.write(msgspec.msgpack.encode(2**70))  # past 64 bits: msgpack cannot hold it

    assert not cache.write_with("broken.msgpack", key, broken)
    assert not cache.write("broken.msgpack", key, [2**70])
    assert sorted(p.name for p in (tmp_path / "errcode").iterdir()) == ["parts.msgpack"]


def test_no_home_and_no_cache_folder_still_works(tmp_path: Path) -> None:
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.run(
        [sys.executable, "-m", "errcli", "1001", "--brief"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "market-data:1001" in proc.stdout


def test_concurrent_runs_never_see_half_a_file(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "ERRCODE_PATH": ""}
    code = "from errcli.catalog import load_all; assert len(load_all(environ={}).ids) == 4"
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env, stderr=subprocess.PIPE) for _ in range(8)]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    names = sorted(p.name for p in (tmp_path / "errcode").iterdir())
    assert len(names) == 2, names  # the catalogs and the completion data; no temporary files left behind
    assert names[1] == "completion.marshal"
    assert load_all(environ={}).ids


def test_cache_info_and_clear(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    load_all(environ={})
    info = cache.info()
    assert info["path"] == str(tmp_path / "errcode")
    assert info["files"]
    assert cache.clear() == len(info["files"])
    assert cache.info()["files"] == []


def test_cache_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import run

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert run("1001").exit_code == 0
    shown = run("cache")
    assert shown.exit_code == 0
    assert str(tmp_path / "errcode") in shown.stdout
    assert ".msgpack" in shown.stdout
    cleared = run("cache", "clear")
    assert cleared.exit_code == 0
    assert cleared.stdout.startswith("removed ")
    assert list((tmp_path / "errcode").iterdir()) == []
    assert run("cache", "--json").stdout.count('"files": []') == 1
    assert run("cache", "nonsense").exit_code == 2
