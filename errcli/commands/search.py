"""``errcode search TEXT...``, and a lookup answered by search."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from errcli.catalog import CatalogSet
from errcli.errors import ExitCode, UsageError
from errcli.lookup import check_catalogs

if TYPE_CHECKING:
    from errcli.search import SearchResult

WEAK_MATCH = 60.0  # a lookup that fell back to search and found nothing better: no answer (exit 1)


@dataclass(frozen=True)
class SearchAnswer:
    """``as_lookup``: a lookup answered by search, shown in the lookup's JSON shape."""

    text: str
    result: SearchResult
    catalogs: CatalogSet
    as_lookup: bool = False
    terms: Sequence[str] = ()  # the query's words, to highlight in titles

    @property
    def weak(self) -> bool:
        """Only weak guesses came back for a lookup."""
        hits = self.result.hits
        return self.as_lookup and bool(hits) and hits[0].score < WEAK_MATCH

    @property
    def status(self) -> ExitCode:
        return ExitCode.NOT_FOUND if not self.result.hits or self.weak else ExitCode.OK


def find(
    cs: CatalogSet, text: str, only: Sequence[str], limit: int, min_score: float, as_lookup: bool = False
) -> SearchAnswer:
    from errcli.search import normalize, search

    if not text.strip():
        raise UsageError("empty search", hint="give words to look for, e.g. `errcode search insufficient balance`")
    result = search(cs, text, only, limit=limit, min_score=min_score)
    terms = [w for w in normalize(text).split() if len(w) > 1 or not w.isascii()]
    return SearchAnswer(text, result, cs, as_lookup, terms)


def run(
    cs: CatalogSet, text: Sequence[str], catalog: Sequence[str] = (), limit: int = 10, min_score: float = 0.0
) -> SearchAnswer:
    return find(cs, " ".join(text), check_catalogs(catalog, cs), limit, min_score)
