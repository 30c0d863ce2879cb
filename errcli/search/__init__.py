"""Search every entry by words: Chinese (Simplified or Traditional), English with typos, pinyin, codes.

The query is normalised like the index (NFKC, Traditional → Simplified, camelCase/``_``/``-``
split, case folding) and matched against each entry's fields. An entry scores by its best
field, and a field by what kind of field it is and how much of it (and of the query) matched.
Scores are 0-100 and mean the same for every query, so ``--min-score`` is a threshold a person
can pick:

======  ==================================================================================
100     the query is the entry's code or symbol (any case or separator:
        ``insufficient-balance``, ``insufficientBalance``, ``INSUFFICIENT_BALANCE``)
90-97   part of a code or symbol, typed like one (``RATE_LIMIT``, ``NOT_FOUND``, ``900``)
80-90   the query is in a title (``资金`` in 资金不足), or in a symbol's words typed as text
70-79   the query is in a keyword (``余额不足``, ``rate limit``)
58-69   the query is in a description, cause, fix, limit or context
50-57   the query is in an example response
< 55    the words are spread over several fields, or only some of them matched
======  ==================================================================================

Within a band, the larger the share of the field that the query covers, the higher (an exact
title scores 89, one word of a long title 80). Pinyin matches score in the band of the field
they spell, 2 lower for full syllables (``zijin``, ``zi jin``), 6 lower for initials
(``zjbz``), and 1.5 lower again for a polyphonic character's less common reading. A query
word that matched only by prefix, stem or typo (``cancel`` → cancellation, ``insuficient`` →
insufficient) costs up to a few points: 30 × (1 - similarity); words in one field but not as
one phrase cost 3.

A query that is only partly found (some words missing) is scaled by its weighted coverage to
the power 1.5 (half the query: × 0.35). Rare words weigh more than common ones (IDF); words
found only in descriptions or examples, English function words and words no entry has weigh
little; Chinese counts by characters, found through bigrams (a character found without its
neighbour counts half). Equal scores are ordered by severity (critical first), then catalog
order and entry order.

The parts: ``folding`` (the search form of a text), ``layout`` (what is indexed), ``texts`` (each
text's forms, terms and pinyin, as the index takes them), ``build`` (compiling the index),
``index`` (reading it, and its cache), ``query`` (a query's words and readings), ``rank``
(scoring an entry), ``candidates`` (which entries to score).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from errcli.search.folding import normalize

if TYPE_CHECKING:
    from errcli.catalog import CatalogSet
    from errcli.model import Entry
    from errcli.search.index import Index
    from errcli.search.rank import Best

__all__ = ["Hit", "SearchResult", "load_index", "normalize", "search"]
MAX_QUERY_CHARS = 1000
MAX_TOKENS = 40


@dataclass(frozen=True)
class Hit:
    """One entry found, with its score and the field that matched best."""

    entry: Entry
    score: float
    field: str  # code, title, keywords, text, example, pinyin, initials, words (spread over fields)
    matched: str  # the entry's text that matched, as the catalog writes it ("" when spread)


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: tuple[Hit, ...]


def load_index(cs: CatalogSet, *, use_cache: bool = True) -> Index:
    """The search index of ``cs``: from this process, from the cache, or built."""
    from errcli.search.index import load_index as load

    return load(cs, use_cache=use_cache)


def search(
    cs: CatalogSet, text: str, catalogs: Sequence[str] = (), limit: int = 10, min_score: float = 0.0
) -> SearchResult:
    """The entries that match ``text``, best first (the scores are in the module docstring)."""
    if not isinstance(text, str) or not text.strip() or limit <= 0:
        return SearchResult(text if isinstance(text, str) else "", ())
    from errcli.search.candidates import Candidates
    from errcli.search.index import load_index
    from errcli.search.query import code_intent, exact_codes, pinyin_variants, plain_variant
    from errcli.search.rank import CODE_BAND, EXACT_SCORE, SYMBOL_WORDS_BAND, Best, Scorer

    index = load_index(cs)
    raw = text[:MAX_QUERY_CHARS].encode("utf-8", "ignore").decode("utf-8")  # lone surrogates: dropped
    ranges = index.catalog_ranges()
    exact, only = exact_codes(index, raw, tuple(ranges))
    if only:  # "qaexchange:1001": search that catalog for the rest
        raw = raw.partition(":")[2]
    wanted = [only] if only else [c for c in dict.fromkeys(catalogs) if c]
    allowed = [ranges[c] for c in wanted if c in ranges] if wanted else None
    if allowed is not None and not allowed:
        return SearchResult(text, ())

    def permitted(gid: int) -> bool:
        return 0 <= gid < index.size and (allowed is None or any(low <= gid < high for low, high in allowed))

    words = index.normalize(raw).split()[:MAX_TOKENS]
    variants = [plain_variant(index, words, " ".join(words)), *pinyin_variants(index, words)] if words else []
    typed_code = code_intent(raw)
    scorer = Scorer(variants, typed_code)
    scored = {gid: Best(EXACT_SCORE, -2) for gid in exact if permitted(gid)}
    top = sorted(b.score for b in scored.values())[-limit:]
    heapq.heapify(top)
    candidates = Candidates(index, variants, (CODE_BAND if typed_code else SYMBOL_WORDS_BAND)[1])
    # highest bound first: once a bound cannot beat the k-th best score, neither can the rest
    for bound, gid in candidates.ranked():
        floor = max(min_score, top[0] if len(top) >= limit else 0.0) - 0.1
        if bound <= floor:
            break
        if gid in scored or not permitted(gid):
            continue
        best = scorer.score(index.doc(gid), max(0.0, floor))
        if best.score > 0.0:
            scored[gid] = best
            if len(top) < limit:
                heapq.heappush(top, best.score)
            elif best.score > top[0]:
                heapq.heapreplace(top, best.score)
    order = sorted(
        (round(min(EXACT_SCORE, b.score), 1), index.severity(g), g) for g, b in scored.items() if b.score > 0.0
    )
    order.sort(key=lambda t: (-t[0], t[1], t[2]))
    kept = [(score, gid) for score, _, gid in order if score >= min_score][:limit]
    return SearchResult(text, tuple(_hit(cs, index, gid, score, scored[gid]) for score, gid in kept))


def _hit(cs: CatalogSet, index: Index, gid: int, score: float, best: Best) -> Hit:
    """The hit for index entry ``gid``; only this entry is decoded (a catalog from the cache
    decodes an entry when it is first asked for: ``errcli.catalog.LazyEntries``)."""
    from errcli.search.layout import CLASS_NAMES, PINYIN_SOURCE, entry_fields

    ci, ei = index.locate(gid)
    catalog = cs.catalogs[ci]
    entry = catalog.entries[ei]
    if best.cls == -2:
        return Hit(entry, score, "code", entry.symbol or str(entry.code))
    if best.cls < 0:
        return Hit(entry, score, "words", "")
    fields = entry_fields(entry, catalog)[PINYIN_SOURCE.get(best.cls, best.cls)]
    matched = fields[best.field] if 0 <= best.field < len(fields) else ""
    return Hit(entry, score, CLASS_NAMES[best.cls], matched)
