"""The tables in data/tables are what the installed OpenCC and pypinyin give, and an index built
from them is the index built from the libraries."""

from __future__ import annotations

import pytest
import tables  # the writer of data/tables, beside this file

from errcli.catalog import load_all
from errcli.search import build


@pytest.mark.parametrize("name", build.TABLES)
def test_shipped_tables_are_what_the_libraries_give(name: str) -> None:
    shipped = (tables.FOLDER / name).read_text(encoding="utf-8")
    assert shipped == tables.derived()[name], f"data/tables/{name} is stale: run python tests/tables.py"


def test_the_tables_read_as_the_libraries_give_them() -> None:
    assert build._t2s() == build.extract_t2s()
    assert build._pinyin() == {c: r for c, r in (build._pinyin_table() or {}).items() if not 0xD800 <= c < 0xE000}


def test_an_index_from_the_tables_is_the_index_from_the_libraries(monkeypatch: pytest.MonkeyPatch) -> None:
    cs = load_all(environ={})
    shipped = build.build(cs, ())
    monkeypatch.setattr(build, "shipped_table", lambda _name: None)
    assert build.build(cs, ()) == shipped


def test_a_damaged_table_falls_back_to_the_library(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build, "shipped_table", lambda _name: ["too long a line", "x"])
    assert build._t2s() == build.extract_t2s()
    assert build._pinyin() == build._pinyin_table()
