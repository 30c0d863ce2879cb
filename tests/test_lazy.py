"""Catalogs from the compiled cache decode their entries only as they are used.

The lazy path (``errcli.catalog.LazyEntries`` selected through ``EntryKeys``) must give exactly
what the catalogs parsed from YAML give, and a lookup in a big catalog must not decode it all.
"""

from __future__ import annotations

import io
import random
import weakref
from pathlib import Path
from typing import Any

import pytest
import yaml

import errcli.catalog.compiled
from errcli._text import fold_symbol
from errcli.catalog import CatalogSet, LazyEntries, load_all
from errcli.commands import lookup as lookup_command
from errcli.commands import search as search_command
from errcli.listing import filter_entries
from errcli.lookup import lookup, parse_query
from errcli.model import Catalog, Entry
from errcli.output.console import Output
from errcli.output.views import show_lookup, show_search
from errcli.search import load_index
from errcli.search import search as run_search

WORDS = ["order", "balance", "margin", "token", "signature", "rate", "limit", "account", "position", "price"]
ZH = ["订单", "余额", "保证金", "令牌", "签名", "频率", "限制", "账户", "仓位", "价格"]
CATEGORIES = [
    {"id": "auth", "title": {"en": "Authentication", "zh": "认证"}},
    {"id": "funds", "title": {"en": "Funds", "zh": "资金"}},
    {"id": "rate", "title": {"en": "Rate limits", "zh": "限频"}},
]


def catalog_text(count: int) -> str:
    """A user catalog of every kind of entry: numeric, digit-string and symbolic codes, symbols,
    HTTP statuses, categories, documented and derived severities and retry flags."""
    rng = random.Random(11)  # noqa: S311 - a synthetic catalog
    entries: list[dict[str, Any]] = []
    for i in range(count):
        a, b = rng.sample(range(len(WORDS)), 2)
        kind = i % 4
        code: int | str = (i, str(i), f"{WORDS[a]}_{WORDS[b]}_{i}".upper(), 100_000 + i)[kind]
        entry: dict[str, Any] = {
            "code": code,
            "title": {"en": f"{WORDS[a]} {WORDS[b]} problem {i}", "zh": f"{ZH[a]}{ZH[b]}错误{i}"},
            "description": {"en": f"The {WORDS[a]} is not valid for this {WORDS[b]}"},
            "keywords": [WORDS[a], ZH[b]],
        }
        if kind == 3:
            entry["symbol"] = f"{WORDS[a]}{WORDS[b].title()}{i}"
        for key, choices in (
            ("http_status", [None, 400, 401, 404, 429, 500, 503]),
            ("category", [None, "auth", "funds", "rate"]),
            ("severity", [None, "info", "warning", "critical"]),
            ("retryable", [None, True, False]),
        ):
            value = rng.choice(choices)
            if value is not None:
                entry[key] = value
        entries.append(entry)
    document = {"id": "mine", "name": {"en": "Mine", "zh": "我的"}, "categories": CATEGORIES, "entries": entries}
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> tuple[CatalogSet, Path, Path]:
    """The user catalog parsed from YAML, its file, and a cache folder that holds it compiled."""
    folder = tmp_path_factory.mktemp("lazy")
    path = folder / "mine.yaml"
    path.write_text(catalog_text(4000), encoding="utf-8")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("XDG_CACHE_HOME", str(folder / "cache"))
        parsed = load_all([str(path)], environ={})  # and compiled into the cache
    return parsed, path, folder / "cache"


@pytest.fixture
def both(compiled: tuple[CatalogSet, Path, Path], monkeypatch: pytest.MonkeyPatch) -> tuple[CatalogSet, CatalogSet]:
    """The same catalogs parsed from YAML, and freshly read back from the compiled cache."""
    parsed, path, cache = compiled
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    cached = load_all([str(path)], environ={})
    assert all(isinstance(c.entries, LazyEntries) for c in cached.catalogs)
    assert not any(isinstance(c.entries, LazyEntries) for c in parsed.catalogs)
    return parsed, cached


def _number(entry: Entry) -> int | None:
    if isinstance(entry.code, int):
        return entry.code
    return int(entry.code) if entry.code.isdigit() else None


def _reference(cs: CatalogSet, raw: str) -> tuple[tuple[Entry, ...], tuple[Entry, ...]]:
    """Matches and HTTP-status matches by scanning every entry, as lookups did before keys."""
    query = parse_query(raw, cs.ids)
    entries = list(cs.entries([query.catalog] if query.catalog else []))
    if query.kind == "number":
        number = query.span[0] if query.span else None
        matches = tuple(e for e in entries if _number(e) == number)
        by_status = tuple(e for e in entries if e.http_status == number and e not in matches)
        return matches, by_status if number is not None and 100 <= number <= 599 else ()
    if query.kind == "range":
        low, high = query.span or (0, 0)
        return tuple(e for e in entries if (n := _number(e)) is not None and low <= n <= high), ()
    return tuple(e for e in entries if query.symbol in _names(e)), ()


def _names(entry: Entry) -> set[str]:
    names = {fold_symbol(entry.symbol)} if entry.symbol else set()
    if isinstance(entry.code, str):
        names.add(fold_symbol(entry.code))
    return names


def _mine(cs: CatalogSet) -> tuple[Entry, ...]:
    catalog = cs.get("mine")
    assert catalog is not None
    return tuple(catalog.entries)


def test_lookup_matches_the_full_decode(both: tuple[CatalogSet, CatalogSet]) -> None:
    parsed, cached = both
    mine = _mine(parsed)
    symbolic = [str(mine[i].code) for i in (2, 6, 3998)] + [str(mine[i].symbol) for i in (3, 7, 3999)]
    queries = [
        "1001",  # a bundled code, and the user catalog's "1001" (a digit string)
        "8",
        "3997",
        "100079",
        "429",  # bundled statuses, and every user entry with HTTP 429
        "404",
        "mine:1001",
        "0x3E9",
        "10xx",
        "2xxx",
        "10000x",
        "INSUFFICIENT_BALANCE",
        "insufficient-balance",
        *symbolic,
        symbolic[0].lower().replace("_", "-"),
        f"mine:{symbolic[1]}",
    ]
    for raw in queries:
        expected = lookup(parsed, parse_query(raw, parsed.ids))
        found = lookup(cached, parse_query(raw, cached.ids))
        assert found == expected, raw
        assert (found.matches, found.by_status) == _reference(parsed, raw), raw
        assert found.all_matches, raw


def test_suggestions_match_the_full_decode(both: tuple[CatalogSet, CatalogSet]) -> None:
    parsed, cached = both
    mine = _mine(parsed)
    near_misses = ["8888888", "mine:999999", str(mine[6].code)[:-2] + "X", str(mine[7].symbol)[1:]]
    for raw in near_misses:
        found = lookup(cached, parse_query(raw, cached.ids))
        assert found == lookup(parsed, parse_query(raw, parsed.ids)), raw
        assert not found.all_matches, raw
        assert found.suggestions, raw


def test_nearest_numbers_are_the_closest_codes(both: tuple[CatalogSet, CatalogSet]) -> None:
    parsed, cached = both
    result = lookup(cached, parse_query("mine:5000", cached.ids))
    numbered = [(abs(n - 5000), i, e) for i, e in enumerate(parsed.entries(["mine"])) if (n := _number(e)) is not None]
    assert result.suggestions == tuple(e for _, _, e in sorted(numbered, key=lambda t: t[:2])[:5])


@pytest.mark.parametrize(
    "query", ["margin", "保证金", "order balance", "MARGIN_ORDER_6", "signature problem 17", "资金", "zijin", "1001"]
)
def test_search_matches_the_full_decode(both: tuple[CatalogSet, CatalogSet], query: str) -> None:
    parsed, cached = both
    expected = run_search(parsed, query, limit=20)
    found = run_search(cached, query, limit=20)
    assert found == expected
    assert found.hits


FILTERS: list[dict[str, Any]] = [
    {},
    {"catalogs": ["mine"]},
    {"category": "auth"},
    {"category": "fund"},  # part of a category's title
    {"severity": "critical"},
    {"retryable": True},
    {"retryable": False, "catalogs": ["mine"]},
    {"http": "4xx"},
    {"http": "429", "severity": "warning"},
    {"category": "rate", "http": "5xx", "retryable": True},
]


@pytest.mark.parametrize("filters", FILTERS)
def test_list_matches_the_full_decode(both: tuple[CatalogSet, CatalogSet], filters: dict[str, Any]) -> None:
    parsed, cached = both
    expected = filter_entries(parsed, **filters)
    assert filter_entries(cached, **filters) == expected
    assert expected == [e for e in parsed.entries(filters.get("catalogs", ())) if _passes(parsed, e, filters)]


def _passes(cs: CatalogSet, entry: Entry, filters: dict[str, Any]) -> bool:
    category = filters.get("category")
    if category is not None:
        cat = next(c for c in cs.catalogs if c.id == entry.catalog).category(entry.category)
        if cat is None or not (category == cat.id or category in (cat.title.en or "").casefold()):
            return False
    if "severity" in filters and entry.severity != filters["severity"]:
        return False
    if "retryable" in filters and entry.retryable != filters["retryable"]:
        return False
    http = filters.get("http")
    if http is not None:
        low = int(http[0]) * 100 if http.endswith("xx") else int(http)
        high = low + 99 if http.endswith("xx") else low
        return entry.http_status is not None and low <= entry.http_status <= high
    return True


def test_cached_entries_behave_like_the_parsed_tuple(both: tuple[CatalogSet, CatalogSet]) -> None:
    parsed, cached = both
    for full, lazy in zip(parsed.catalogs, cached.catalogs, strict=True):
        assert len(lazy.entries) == len(full.entries)
        assert lazy.entries[-1] == full.entries[-1]
        assert lazy.entries[3] == full.entries[3]
        with pytest.raises(IndexError):
            lazy.entries[len(full.entries)]
        assert lazy.entries[1:4] == full.entries[1:4]
        assert list(lazy.entries) == list(full.entries)
        assert lazy == full
    assert list(cached.entries(["mine"])) == list(parsed.entries(["mine"]))


def test_empty_catalog_from_the_cache(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("id: empty\nname: {en: Empty}\nentries: []\n", encoding="utf-8")
    load_all([str(path)], environ={})
    cached = load_all([str(path)], environ={}).get("empty")
    assert cached is not None
    assert isinstance(cached.entries, LazyEntries)
    assert (len(cached.entries), list(cached.entries)) == (0, [])


# --- only what is used is decoded -----------------------------------------------------------------


class _CountingDecoder:
    def __init__(self) -> None:
        self.real = errcli.catalog.compiled._decode_entry
        self.count = 0

    def __call__(self, data: memoryview) -> Entry:
        self.count += 1
        return self.real(data)


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> _CountingDecoder:
    """Counts entries decoded one by one; decoding a whole catalog fails the test."""

    def everything(_: LazyEntries) -> tuple[Entry, ...]:
        raise AssertionError("every entry was decoded")

    counter = _CountingDecoder()
    monkeypatch.setattr(errcli.catalog.compiled, "_decode_entry", counter)
    monkeypatch.setattr(LazyEntries, "all", everything)
    return counter


def _out(stream: io.StringIO) -> Output:
    return Output(format="table", lang="en", color="never", stream=stream)


@pytest.mark.parametrize(("raw", "shown"), [("1001", 3), ("mine:3997", 1), ("mine:8", 1), ("7777777", 5)])
def test_a_lookup_decodes_only_what_it_shows(
    both: tuple[CatalogSet, CatalogSet], decodes: _CountingDecoder, raw: str, shown: int
) -> None:
    show_lookup(lookup_command.run(both[1], [raw]), _out(io.StringIO()))
    assert decodes.count == shown


def test_a_symbol_lookup_decodes_only_what_it_shows(
    both: tuple[CatalogSet, CatalogSet], decodes: _CountingDecoder
) -> None:
    symbol = str(_mine(both[0])[7].symbol)
    show_lookup(lookup_command.run(both[1], [symbol]), _out(io.StringIO()))
    assert decodes.count == 1


def test_a_search_decodes_only_its_hits(both: tuple[CatalogSet, CatalogSet], decodes: _CountingDecoder) -> None:
    load_index(both[0])  # built from the parsed catalogs, if no test has yet (a build reads every entry)
    shown_text = io.StringIO()
    show_search(search_command.run(both[1], ["margin", "order"], limit=10), _out(shown_text))
    assert decodes.count == 10
    assert "margin" in shown_text.getvalue().lower()


def test_a_filtered_list_decodes_only_its_rows(both: tuple[CatalogSet, CatalogSet], decodes: _CountingDecoder) -> None:
    found = filter_entries(both[1], catalogs=["mine"], http="503", severity="critical")
    assert decodes.count == len(found) > 0


def test_lookup_keys_are_read_column_by_column(both: tuple[CatalogSet, CatalogSet]) -> None:
    cached = both[1]
    catalog = cached.get("mine")
    assert catalog is not None
    keys = cached.entry_keys(catalog)
    lookup(cached, parse_query("mine:429", cached.ids))  # numbers and statuses
    assert [isinstance(c, tuple) for c in keys._columns] == [True, False, False, True, False, False, False]


# --- one pass over every entry, none kept ------------------------------------------------------------


def _stored_again(parsed: CatalogSet) -> tuple[tuple[Entry, ...], LazyEntries, list[int]]:
    """The user catalog's entries, as the cache holds them, and the times they were recovered."""
    from errcli.catalog.compiled import EntryKeys, StoredCatalog

    entries = tuple(_mine(parsed))
    catalog = parsed.get("mine")
    assert catalog is not None
    recovered: list[int] = []

    def recover() -> tuple[Entry, ...]:
        recovered.append(1)
        return entries

    lazy = StoredCatalog.of(catalog, EntryKeys.of(entries)).catalog(recover).entries
    assert isinstance(lazy, LazyEntries)
    return entries, lazy, recovered


@pytest.mark.parametrize("start", [0, 1, 2000, 3999, 4000, 5000])
def test_each_entry_once_from_any_start_and_none_kept(compiled: tuple[CatalogSet, Path, Path], start: int) -> None:
    entries, lazy, recovered = _stored_again(compiled[0])
    assert list(lazy.each(start)) == list(entries[start:])
    assert lazy._decoded == {}
    assert lazy._all is None
    assert recovered == []


def test_a_numbered_pass_over_cached_catalogs_keeps_no_entry(both: tuple[CatalogSet, CatalogSet]) -> None:
    parsed, cached = both
    expected = [(n, e, c.id) for n, e, c in parsed.numbered(100)]
    assert [(n, e, c.id) for n, e, c in cached.numbered(100)] == expected
    lazy = _mine_catalog(cached).entries
    assert isinstance(lazy, LazyEntries)
    assert lazy._decoded == {}
    assert lazy._all is None


def test_a_damaged_entry_met_in_one_pass_gives_the_recovered_ones(compiled: tuple[CatalogSet, Path, Path]) -> None:
    entries, lazy, recovered = _stored_again(compiled[0])
    at = lazy._offsets[2500] + 3
    lazy._blob = memoryview(bytearray(lazy._blob))  # (as if read damaged)
    lazy._blob[at] ^= 0xFF  # one byte of entry 2500
    assert list(lazy.each(10)) == list(entries[10:])
    assert recovered == [1]


def test_a_big_fresh_parse_is_let_go_for_the_cache(
    compiled: tuple[CatalogSet, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed, path, _ = compiled
    monkeypatch.setattr(errcli.catalog, "LAZY_MIN", 1000)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    fresh = load_all([str(path)], environ={})  # parsed, written, and read back
    assert isinstance(_mine_catalog(fresh).entries, LazyEntries)
    assert fresh == parsed
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "unwritable"))
    (tmp_path / "unwritable").write_text("", encoding="utf-8")
    kept = load_all([str(path)], environ={})
    assert not isinstance(_mine_catalog(kept).entries, LazyEntries)
    assert kept == parsed


def test_a_big_fresh_parse_is_streamed_into_the_cache_and_let_go(
    compiled: tuple[CatalogSet, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The compiled cache is written entry by entry (the compiled catalogs are never built in
    memory), the parsed entries are let go for it, and a damaged entry met afterwards still
    comes from the file."""
    parsed, path, _ = compiled
    monkeypatch.setattr(errcli.catalog, "LAZY_MIN", 1000)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not" / "made" / "yet"))
    parses: list[weakref.ref[CatalogSet]] = []
    real_parse = errcli.catalog._parse

    def parse(*args: Any) -> CatalogSet:
        found = real_parse(*args)
        parses.append(weakref.ref(found))
        return found

    def in_memory(*_: Any) -> None:
        raise AssertionError("compiled in memory")

    monkeypatch.setattr(errcli.catalog, "_parse", parse)
    monkeypatch.setattr(errcli.catalog.compiled.StoredCatalog, "of", in_memory)
    fresh = load_all([str(path)], environ={})
    assert len(parses) == 1
    assert parses[0]() is None
    entries = _mine_catalog(fresh).entries
    assert isinstance(entries, LazyEntries)
    entries._blob = memoryview(bytearray(entries._blob))  # (the cache file's bytes, as if read damaged)
    entries._blob[entries._offsets[10] + 3] ^= 0xFF  # a damaged entry: the file is parsed again
    assert entries[10] == _mine_catalog(parsed).entries[10]
    assert len(parses) == 2
    assert fresh == parsed
    monkeypatch.setattr(errcli.catalog, "LAZY_MIN", 10**9)  # a small parse is kept (and written)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "small"))
    kept = load_all([str(path)], environ={})
    assert not isinstance(_mine_catalog(kept).entries, LazyEntries)
    assert kept == parsed
    assert isinstance(_mine_catalog(load_all([str(path)], environ={})).entries, LazyEntries)


def _mine_catalog(cs: CatalogSet) -> Catalog:
    found = cs.get("mine")
    assert found is not None
    return found
