"""Fuzzy search over every entry's codes, titles, keywords and texts.

Scores are 0-100 and mean the same across queries: 100 is an exact code or
symbol, ~90 a title hit, ~80 a keyword hit, ~65 a hit in the longer texts,
and fuzzy (typo) matches score below that.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from errcli.catalog import CatalogSet
from errcli.lookup import fold_symbol
from errcli.model import Entry, Text

FIELD_WEIGHTS = {"code": 100.0, "title": 90.0, "keywords": 80.0, "text": 65.0, "example": 55.0}
FUZZY_CUTOFF = 72.0
_SEPARATORS = re.compile(r"[\s_\-./:,;|()\[\]{}\"'`]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEVERITY_RANK = {"critical": 0, "warning": 1, "info": 2}


def normalize(text: str) -> str:
    """NFKC, camelCase and separators to single spaces, case-folded."""
    text = unicodedata.normalize("NFKC", text)
    text = _CAMEL.sub(" ", text)
    return _SEPARATORS.sub(" ", text).casefold().strip()


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: float
    field: str
    matched: str


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: tuple[Hit, ...]


def _fields(entry: Entry) -> Iterator[tuple[str, str]]:
    yield "code", str(entry.code)
    if entry.symbol:
        yield "code", entry.symbol
    yield from (("title", t) for t in _texts(entry.title))
    yield from (("keywords", k) for k in entry.keywords)
    for text in (entry.description, *entry.causes, *entry.fixes, *entry.limits, entry.retry_advice):
        yield from (("text", t) for t in _texts(text))
    for context in entry.contexts:
        for text in (context.title, context.description, *context.causes, *context.fixes):
            yield from (("text", t) for t in _texts(text))
    yield from (("example", x) for x in entry.examples)


def _texts(text: Text | None) -> tuple[str, ...]:
    if text is None:
        return ()
    return tuple(t for t in (text.zh, text.en) if t)


MAX_FUZZY_QUERY = 200


def _score_field(query: str, words: list[str], field: str, text: str) -> float:
    from rapidfuzz import fuzz

    weight = FIELD_WEIGHTS[field]
    norm = normalize(text)
    if not norm:
        return 0.0
    if norm == query:
        return weight
    if query in norm:
        # a larger share of the text matched ranks higher, within the field's band
        return weight - 8.0 + 8.0 * len(query) / len(norm)
    if len(words) > 1 and all(w in norm for w in words):
        return weight - 10.0
    if field == "code" or not 3 <= len(query) <= MAX_FUZZY_QUERY:
        return 0.0  # codes match exactly or by prefix; very long queries only by substring
    ratio = max(fuzz.partial_ratio(query, norm), fuzz.token_set_ratio(query, norm))
    if ratio < FUZZY_CUTOFF:
        return 0.0
    return min(weight, 70.0) * ratio / 100.0 - 5.0


def search(
    cs: CatalogSet, text: str, catalogs: Sequence[str] = (), limit: int = 10, min_score: float = 0.0
) -> SearchResult:
    query = normalize(text)
    if not query:
        return SearchResult(text, ())
    words = query.split()
    symbol = fold_symbol(text)
    scored: list[tuple[float, int, int, Hit]] = []
    for order, entry in enumerate(cs.entries(catalogs)):
        best: tuple[float, str, str] = (0.0, "", "")
        for field, candidate in _fields(entry):
            if field == "code" and fold_symbol(candidate) == symbol:
                best = (100.0, field, candidate)
                break
            score = _score_field(query, words, field, candidate)
            if score > best[0]:
                best = (score, field, candidate)
        score = round(best[0], 1)
        if score > 0 and score >= min_score:
            hit = Hit(entry, score, best[1], best[2])
            scored.append((-score, _SEVERITY_RANK.get(entry.severity or "", 3), order, hit))
    scored.sort(key=lambda t: t[:3])
    return SearchResult(text, tuple(t[3] for t in scored[: max(limit, 0)]))
