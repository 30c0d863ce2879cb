"""``errcode QUERY...``: codes are looked up; words (or a loose symbol that matches nothing) are searched."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from errcli.catalog import CatalogSet
from errcli.errors import ExitCode
from errcli.lookup import LookupResult, check_catalogs, lookup, parse_query

if TYPE_CHECKING:
    from errcli.commands.search import SearchAnswer


@dataclass(frozen=True)
class LookupAnswer:
    """Each query's matches; ``searched``: the query was words (or a loose symbol), answered by search."""

    results: Sequence[LookupResult]
    catalogs: CatalogSet
    searched: SearchAnswer | None = None

    @property
    def missing(self) -> list[LookupResult]:
        return [r for r in self.results if not r.all_matches]

    @property
    def status(self) -> ExitCode:
        if self.searched is not None:
            return self.searched.status
        return ExitCode.NOT_FOUND if self.missing else ExitCode.OK


def run(
    cs: CatalogSet, query: Sequence[str], catalog: Sequence[str] = (), limit: int = 10, min_score: float = 0.0
) -> LookupAnswer:
    only = check_catalogs(catalog, cs)
    parsed = [parse_query(q, cs.ids) for q in query]
    if any(p.kind == "text" for p in parsed):
        return _searched(cs, " ".join(query), only, limit, min_score)
    results = [lookup(cs, p, only) for p in parsed]
    if len(results) == 1 and not results[0].all_matches and not parsed[0].strict:
        return _searched(cs, query[0], only, limit, min_score)
    return LookupAnswer(results, cs)


def _searched(cs: CatalogSet, text: str, only: Sequence[str], limit: int, min_score: float) -> LookupAnswer:
    from errcli.commands.search import find  # imported only when words are searched

    return LookupAnswer((), cs, find(cs, text, only, limit, min_score, as_lookup=True))
