"""Glue shared by the full CLI and the fast lane: core call → render → exit status.

Nothing here knows about Typer, so ``errcode 1001`` can be answered without it.
"""

from __future__ import annotations

from collections.abc import Sequence

from errcli.catalog import CatalogError, CatalogSet
from errcli.errors import ErrcodeError, ExitCode, UsageError
from errcli.lookup import check_catalogs, lookup, parse_query
from errcli.render import Output, not_found_message, print_lookup, print_problem, print_search


def lookup_or_search(cs: CatalogSet, queries: Sequence[str], catalogs: Sequence[str], out: Output) -> ExitCode:
    """``errcode QUERY...``: codes are looked up; words (or a loose symbol that matches nothing) are searched."""
    only = check_catalogs(catalogs, cs)
    parsed = [parse_query(q, cs.ids) for q in queries]
    if any(p.kind == "text" for p in parsed):
        return search(cs, " ".join(queries), only, out)
    results = [lookup(cs, p, only) for p in parsed]
    if len(results) == 1 and not results[0].all_matches and not parsed[0].strict:
        return search(cs, queries[0], only, out)
    print_lookup(results, cs, out)
    missing = [r for r in results if not r.all_matches]
    for result in missing:
        message, hint = not_found_message(result, out.lang)
        print_problem(message, hint)
    return ExitCode.NOT_FOUND if missing else ExitCode.OK


def search(
    cs: CatalogSet, text: str, catalogs: Sequence[str], out: Output, limit: int = 10, min_score: float = 0.0
) -> ExitCode:
    from errcli.search import search as run_search

    if not text.strip():
        raise UsageError("empty search", hint="give words to look for, e.g. `errcode search insufficient balance`")
    result = run_search(cs, text, catalogs, limit=limit, min_score=min_score)
    if not result.hits:
        print_problem(
            f"nothing matches {text!r}",
            "try fewer words, another spelling, pinyin (zijin), or `errcode list` to browse",
        )
        if out.format in ("json", "yaml"):
            print_search(result, cs, out)
        return ExitCode.NOT_FOUND
    print_search(result, cs, out)
    return ExitCode.OK


def report(exc: Exception) -> ExitCode:
    """Print a user error as one line plus a hint; the exit status it maps to."""
    if isinstance(exc, ErrcodeError):
        print_problem(exc.message, exc.hint)
        return exc.exit_code
    if isinstance(exc, CatalogError):
        print_problem(str(exc), "fix the file, or check it with `errcode validate FILE`")
        return ExitCode.USAGE
    raise exc
