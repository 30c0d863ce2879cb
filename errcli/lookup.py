"""Look up codes: numbers, symbols, qualified ``catalog:code``, HTTP statuses, ranges.

Returns data only; printing is ``errcli.render``'s job.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from errcli.catalog import CatalogSet
from errcli.errors import UsageError
from errcli.model import Entry

QueryKind = Literal["number", "symbol", "range", "text"]

_HEX = re.compile(r"^0x[0-9a-f]+$", re.IGNORECASE)
_RANGE = re.compile(r"^(\d+)(x+)$", re.IGNORECASE)
_UPPER_SYMBOL = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$")
_SYMBOLISH = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)+$|^[a-z]+(?:[A-Z][a-z0-9]+)+$")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS = re.compile(r"[\s\-.]+")
MAX_DIGITS = 18


def fold_symbol(text: str) -> str:
    """``insufficient-balance``, ``insufficientBalance`` → ``INSUFFICIENT_BALANCE``."""
    text = unicodedata.normalize("NFKC", text).strip()
    text = _CAMEL.sub("_", text)
    return _SEPARATORS.sub("_", text).upper()


@dataclass(frozen=True)
class Query:
    raw: str
    kind: QueryKind
    catalog: str | None = None
    number: int | None = None
    symbol: str | None = None
    low: int | None = None
    high: int | None = None
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
    if text.isdigit():  # too long to be any code: report it as unknown
        return Query(raw, "number", catalog, number=int(text) if len(text) <= MAX_DIGITS else None, strict=True)
    if _HEX.match(text) and len(text) <= MAX_DIGITS + 2:
        return Query(raw, "number", catalog, number=int(text, 16), strict=True)
    if (m := _RANGE.match(text)) and len(text) <= MAX_DIGITS:
        scale = 10 ** len(m.group(2))
        low = int(m.group(1)) * scale
        return Query(raw, "range", catalog, low=low, high=low + scale - 1, strict=True)
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
    is_search: bool = False

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
    only = (query.catalog,) if query.catalog else tuple(catalogs)
    entries = list(cs.entries(only))
    if query.kind == "number":
        if query.number is None:
            return LookupResult(query.raw, "number", ())
        number = query.number
        matches = tuple(e for e in entries if _code_number(e) == number)
        by_status: tuple[Entry, ...] = ()
        if 100 <= number <= 599:
            by_status = tuple(e for e in entries if e.http_status == number and e not in matches)
        suggestions = () if matches or by_status else _nearest_numbers(entries, number)
        return LookupResult(query.raw, "number", matches, by_status, suggestions)
    if query.kind == "range" and query.low is not None and query.high is not None:
        low, high = query.low, query.high
        matches = tuple(e for e in entries if (n := _code_number(e)) is not None and low <= n <= high)
        return LookupResult(query.raw, "range", matches)
    if query.kind == "symbol" and query.symbol:
        symbol = query.symbol
        matches = tuple(e for e in entries if symbol in _symbols(e))
        suggestions = () if matches else _similar_symbols(entries, symbol)
        return LookupResult(query.raw, "symbol", matches, suggestions=suggestions)
    return LookupResult(query.raw, "text", (), is_search=True)


def _code_number(entry: Entry) -> int | None:
    if isinstance(entry.code, int):
        return entry.code
    return int(entry.code) if entry.code.isdigit() else None


def _symbols(entry: Entry) -> tuple[str, ...]:
    names = [fold_symbol(entry.symbol)] if entry.symbol else []
    if isinstance(entry.code, str):
        names.append(fold_symbol(entry.code))
    return tuple(names)


def _nearest_numbers(entries: list[Entry], number: int, limit: int = 5) -> tuple[Entry, ...]:
    numbered = [(abs(n - number), i, e) for i, e in enumerate(entries) if (n := _code_number(e)) is not None]
    numbered.sort(key=lambda t: (t[0], t[1]))
    return tuple(e for _, _, e in numbered[:limit])


def _similar_symbols(entries: list[Entry], symbol: str, limit: int = 5) -> tuple[Entry, ...]:
    from rapidfuzz import fuzz, process

    choices = {i: s for i, e in enumerate(entries) for s in _symbols(e)[:1]}
    found = process.extract(symbol, choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=60)
    return tuple(entries[key] for _, _, key in found)
