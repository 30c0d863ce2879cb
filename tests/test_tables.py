"""The tables in data/tables are what the installed OpenCC and pypinyin give, and an index built
from them is the index built from the libraries."""

from __future__ import annotations

import shutil
from pathlib import Path

import msgspec
import pytest
import tables  # the writer of data/tables, beside this file

from errcli.catalog import bundled_dir, catalog_files, load_all, seed
from errcli.cli import complete
from errcli.search import build, search
from errcli.search import index as ix
from errcli.search import tables as source


@pytest.mark.parametrize("name", source.TABLES)
def test_shipped_tables_are_what_the_libraries_give(name: str) -> None:
    shipped = (tables.FOLDER / name).read_text(encoding="utf-8")
    assert shipped == tables.derived()[name], f"data/tables/{name} is stale: run python tests/tables.py"


def test_the_tables_read_as_the_libraries_give_them() -> None:
    assert source.t2s_pairs() == source.extract_t2s()
    assert source.pinyin_readings() == {
        c: r for c, r in (source.pinyin_from_library() or {}).items() if not 0xD800 <= c < 0xE000
    }


def test_an_index_from_the_tables_is_the_index_from_the_libraries(monkeypatch: pytest.MonkeyPatch) -> None:
    cs = load_all(environ={})
    shipped = build.build(cs, ())
    monkeypatch.setattr(source, "shipped_table", lambda _name: None)
    assert build.build(cs, ()) == shipped


def test_a_damaged_table_falls_back_to_the_library(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "shipped_table", lambda _name: ["too long a line", "x"])
    assert source.t2s_pairs() == source.extract_t2s()
    assert source.pinyin_readings() == source.pinyin_from_library()


# --- the seed: the bundled catalogs and their index, compiled ahead ------------------------------


def test_the_seed_is_current() -> None:
    shipped = tables.SEED.read_bytes()
    assert shipped == tables.seed_bytes(), "data/seed is stale: run python tests/tables.py"


def _fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    seed._load.cache_clear()
    ix.forget()


def test_an_empty_cache_is_seeded_and_answers_as_a_built_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fresh(tmp_path / "seeded", monkeypatch)
    cs = load_all()
    index = ix.load_index(cs)
    assert index.source == "seed"
    assert [c.path for c in cs.catalogs] == [str(p) for p in catalog_files(bundled_dir())]  # paths of this install
    seeded = [(h.entry.catalog, h.entry.code, h.score) for q in QUERIES for h in search(cs, q).hits]
    entries = [msgspec.to_builtins(e) for e in cs.entries()]

    _fresh(tmp_path / "built", monkeypatch)
    monkeypatch.setattr(seed, "bundled_data", lambda _name: None)  # no seed: built as before
    built_cs = load_all()
    assert ix.load_index(built_cs).source == "built"
    assert [(h.entry.catalog, h.entry.code, h.score) for q in QUERIES for h in search(built_cs, q).hits] == seeded
    assert [msgspec.to_builtins(e) for e in built_cs.entries()] == entries
    seeded_tab, built_tab = (
        complete._load({"XDG_CACHE_HOME": str(tmp_path / way / "cache")}) for way in ("seeded", "built")
    )
    assert seeded_tab["entries"]
    assert seeded_tab == built_tab  # TAB completion offers the same


QUERIES = ("资金", "資金", "zijin", "zjbz", "rate limit", "insuficient balanse", "1001", "NOT_FOUND")


def test_an_edited_bundled_catalog_is_not_seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "bundled"
    shutil.copytree(bundled_dir(), copy)
    edited = copy / "ztdx.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Insufficient", "Not enough", 1), encoding="utf-8")
    _fresh(tmp_path, monkeypatch)
    files = catalog_files(copy)
    assert seed.seed_for(files) is None
    assert seed.seed_for(catalog_files(bundled_dir())) is not None


def test_user_catalogs_are_built_not_seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text("id: mine\nname: {en: Mine}\nentries:\n  - code: 7001\n    title: {en: vault sealed}\n", "utf-8")
    _fresh(tmp_path, monkeypatch)
    monkeypatch.setenv("ERRCODE_PATH", str(mine))
    cs = load_all()
    assert cs.ids[-1] == "mine"
    assert ix.load_index(cs).source == "built"
    assert search(cs, "vault").hits[0].entry.code == 7001


@pytest.mark.parametrize("damage", [b"", b"\x93\x01", b"garbage"])
def test_a_damaged_seed_means_a_build(damage: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "seed"
    folder.mkdir()
    (folder / seed.NAME).write_bytes(damage)
    _fresh(tmp_path, monkeypatch)
    monkeypatch.setattr(seed, "bundled_data", lambda _name: folder)
    cs = load_all()
    assert ix.load_index(cs).source == "built"
    assert search(cs, "资金").hits
