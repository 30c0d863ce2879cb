"""Look up codes: numbers, symbols, qualified ``catalog:code``, HTTP statuses, ranges.

Returns data only; printing is ``errcli.render``'s job.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from errcli._text import fold_symbol
from errcli.catalog import CatalogSet, EntryKeys
from errcli.errors import UsageError
from errcli.model import Catalog, Entry

QueryKind = Literal["number", "symbol", "range", "text"]

_HEX = re.compile(r"^0x[0-9a-f]+$", re.IGNORECASE)
_RANGE = re.compile(r"^(\d+)(x+)$", re.IGNORECASE)
_UPPER_SYMBOL = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$")
# kebab-case, snake_case, dotted, camelCase and PascalCase symbols
_SYMBOLISH = re.compile(
    r"^[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)+$|^[a-z]+(?:[A-Z][a-z0-9]+)+$|^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+$"
)
_NEGATIVE = re.compile(r"^-\d+$")  # Binance-style APIs use negative codes: -1021
MAX_DIGITS = 18


@dataclass(frozen=True)
class Query:
    raw: str
    kind: QueryKind
    catalog: str | None = None
    # the codes a number (1001: 1001-1001) or range (10xx: 1000-1099) stands for; None for a number
    # too long to be any code
    span: tuple[int, int] | None = None
    symbol: str | None = None
    strict: bool = False  # written like a code: a miss is "no entry", not a search


def parse_query(raw: str, known_catalogs: Sequence[str]) -> Query:
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text:
        raise UsageError(
            "empty query", hint="give a code such as 1001, a symbol such as INSUFFICIENT_BALANCE, or words"
        )
    catalog: str | None = None
    head, sep, tail = text.partition(":")
    if sep and head.strip().lower() in known_catalogs:
        catalog, text = head.strip().lower(), tail.strip()
        if not text:
            raise UsageError(f"nothing after '{head}:'", hint=f"write {catalog}:CODE, e.g. {catalog}:1001")
    elif sep and re.fullmatch(r"[a-z0-9][a-z0-9_-]*", head.strip().lower()) and " " not in text:
        raise UsageError(f"unknown catalog {head.strip()!r}", hint="known catalogs: " + ", ".join(known_catalogs))
    strict = catalog is not None
    if text.isdigit() or _NEGATIVE.match(text):  # too long to be any code: report it as unknown
        number = int(text) if len(text.lstrip("-")) <= MAX_DIGITS else None
        return Query(raw, "number", catalog, span=None if number is None else (number, number), strict=True)
    if _HEX.match(text) and len(text) <= MAX_DIGITS + 2:
        return Query(raw, "number", catalog, span=(int(text, 16), int(text, 16)), strict=True)
    if (m := _RANGE.match(text)) and len(text) <= MAX_DIGITS:
        scale = 10 ** len(m.group(2))
        low = int(m.group(1)) * scale
        return Query(raw, "range", catalog, span=(low, low + scale - 1), strict=True)
    if _UPPER_SYMBOL.match(text) or _SYMBOLISH.match(text) or (strict and " " not in text):
        return Query(raw, "symbol", catalog, symbol=fold_symbol(text), strict=strict or "_" in text)
    return Query(raw, "text", catalog)


@dataclass(frozen=True)
class LookupResult:
    query: str
    kind: QueryKind
    matches: tuple[Entry, ...]
    # entries that carry the queried number as their HTTP status (`errcode 429`)
    by_status: tuple[Entry, ...] = ()
    suggestions: tuple[Entry, ...] = ()

    @property
    def all_matches(self) -> tuple[Entry, ...]:
        return self.matches + self.by_status


def check_catalogs(catalogs: Iterable[str], cs: CatalogSet) -> tuple[str, ...]:
    wanted = tuple(dict.fromkeys(c.strip().lower() for c in catalogs))
    unknown = [c for c in wanted if c not in cs.ids]
    if unknown:
        raise UsageError(f"unknown catalog {unknown[0]!r}", hint="known catalogs: " + ", ".join(cs.ids))
    return wanted


def lookup(cs: CatalogSet, query: Query, catalogs: Sequence[str] = ()) -> LookupResult:
    """Entries are selected by their keys (``CatalogSet.entry_keys``); only the ones found are decoded."""
    wanted = {query.catalog} if query.catalog else set(catalogs)
    chosen = [(c, cs.entry_keys(c)) for c in cs.catalogs if not wanted or c.id in wanted]
    if query.kind in ("number", "range"):
        if query.span is None:
            return LookupResult(query.raw, query.kind, ())
        low, high = query.span
        matches = _pick(chosen, lambda keys: _numbered(keys, low, high))
        if query.kind == "range":
            return LookupResult(query.raw, "range", matches)
        by_status: tuple[Entry, ...] = ()
        if 100 <= low <= 599:
            by_status = _pick(chosen, lambda keys: _with_status(keys, low))
        suggestions = () if matches or by_status else _nearest_numbers(chosen, low)
        return LookupResult(query.raw, "number", matches, by_status, suggestions)
    if query.kind == "symbol" and query.symbol:
        symbol = query.symbol
        matches = _pick(chosen, lambda keys: _named(keys, symbol))
        suggestions = () if matches else _similar_symbols(chosen, symbol)
        return LookupResult(query.raw, "symbol", matches, suggestions=suggestions)
    return LookupResult(query.raw, "text", ())


def _numbered(keys: EntryKeys, low: int, high: int) -> list[int]:
    """Positions of the entries whose code, as a number, is in ``low``-``high``."""
    if low == high:
        return _positions(keys.numbers, low)
    return [i for i, n in enumerate(keys.numbers) if n is not None and low <= n <= high]


def _with_status(keys: EntryKeys, status: int) -> list[int]:
    """Positions of the entries with ``status`` as their HTTP status (and not as their code)."""
    return [i for i in _positions(keys.statuses, status) if keys.numbers[i] != status]


def _named(keys: EntryKeys, symbol: str) -> list[int]:
    """Positions of the entries whose folded symbol or code is ``symbol``."""
    return sorted({*_positions(keys.symbols, symbol), *_positions(keys.code_names, symbol)})


def _positions(column: tuple[object, ...], value: object) -> list[int]:
    """Where ``value`` is in ``column`` (``tuple.index`` scans 100 000 keys in well under a millisecond)."""
    found: list[int] = []
    start = 0
    while True:
        try:
            start = column.index(value, start)
        except ValueError:
            return found
        found.append(start)
        start += 1


_Chosen = list[tuple[Catalog, EntryKeys]]


def _pick(chosen: _Chosen, select: Callable[[EntryKeys], list[int]]) -> tuple[Entry, ...]:
    """The entries at the positions ``select`` finds in each catalog's keys, in catalog order."""
    return tuple(catalog.entries[i] for catalog, keys in chosen for i in select(keys))


def _nearest_numbers(chosen: _Chosen, number: int, limit: int = 5) -> tuple[Entry, ...]:
    import heapq

    numbered = (
        (abs(n - number), ci, i)
        for ci, (_, keys) in enumerate(chosen)
        for i, n in enumerate(keys.numbers)
        if n is not None
    )
    return tuple(chosen[ci][0].entries[i] for _, ci, i in heapq.nsmallest(limit, numbered))


def _similar_symbols(chosen: _Chosen, symbol: str, limit: int = 5) -> tuple[Entry, ...]:
    from rapidfuzz import fuzz, process

    choices: dict[tuple[int, int], str] = {}  # (catalog, entry) → its symbol, else its code
    for ci, (_, keys) in enumerate(chosen):
        for i, (own, code) in enumerate(zip(keys.symbols, keys.code_names, strict=True)):
            if (name := own if own is not None else code) is not None:
                choices[ci, i] = name
    found = process.extract(symbol, choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=60)
    return tuple(chosen[ci][0].entries[i] for _, _, (ci, i) in found)
