"""Glue shared by the full CLI and the fast lane: core call → render → exit status.

Nothing here knows about Typer, so ``errcode 1001`` can be answered without it.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import BinaryIO

from errcli.catalog import CatalogError, CatalogSet
from errcli.errors import ErrcodeError, ExitCode, UsageError
from errcli.lookup import check_catalogs, lookup, parse_query
from errcli.model import SCHEMA_VERSION
from errcli.render import Output, not_found_message, print_lookup, print_problem, print_search

WEAK_MATCH = 60.0  # a lookup that fell back to search and found nothing better: no answer (exit 1)


def lookup_or_search(
    cs: CatalogSet,
    queries: Sequence[str],
    catalogs: Sequence[str],
    out: Output,
    limit: int = 10,
    min_score: float = 0.0,
) -> ExitCode:
    """``errcode QUERY...``: codes are looked up; words (or a loose symbol that matches nothing) are searched."""
    only = check_catalogs(catalogs, cs)
    parsed = [parse_query(q, cs.ids) for q in queries]
    if any(p.kind == "text" for p in parsed):
        return search(cs, " ".join(queries), only, out, limit, min_score, fallback=True)
    results = [lookup(cs, p, only) for p in parsed]
    if len(results) == 1 and not results[0].all_matches and not parsed[0].strict:
        return search(cs, queries[0], only, out, limit, min_score, fallback=True)
    print_lookup(results, cs, out)
    missing = [r for r in results if not r.all_matches]
    for result in missing:
        message, hint = not_found_message(result, out.lang)
        print_problem(message, hint)
    return ExitCode.NOT_FOUND if missing else ExitCode.OK


def search(
    cs: CatalogSet,
    text: str,
    catalogs: Sequence[str],
    out: Output,
    limit: int = 10,
    min_score: float = 0.0,
    fallback: bool = False,
) -> ExitCode:
    """``errcode search``; with ``fallback``, a lookup answered by search: the lookup's JSON shape,
    and exit 1 when only weak matches came back."""
    from errcli.search import search as run_search

    if not text.strip():
        raise UsageError("empty search", hint="give words to look for, e.g. `errcode search insufficient balance`")
    result = run_search(cs, text, catalogs, limit=limit, min_score=min_score)
    if result.hits or out.format in ("json", "yaml"):
        print_search(result, cs, out, as_lookup=fallback)
    if not result.hits:
        print_problem(
            f"nothing matches {text!r}",
            "try fewer words, another spelling, pinyin (zijin), or `errcode list` to browse",
        )
        return ExitCode.NOT_FOUND
    if fallback and result.hits[0].score < WEAK_MATCH:
        print_problem(
            f"no code or close match for {text!r}; the results above are weak guesses",
            "try other words, `errcode search WORDS` for more results, or `errcode list` to browse",
        )
        return ExitCode.NOT_FOUND
    return ExitCode.OK


def report(exc: Exception) -> ExitCode:
    """Print a user error as one line plus a hint; the exit status it maps to."""
    if isinstance(exc, ErrcodeError):
        print_problem(exc.headline, exc.hint)
        return exc.exit_code
    raise exc


def open_input(argument: str | None, stdin: BinaryIO | None = None) -> BinaryIO:
    """The input of ``explain``: stdin, a file, or a response given as the argument itself."""
    import io
    from pathlib import Path

    if argument is None or argument == "-":
        stream = stdin or (sys.stdin.buffer if sys.stdin is not None else None)  # None: stdin is closed
        if stream is None or (argument is None and stream.isatty()):
            raise UsageError(
                "nothing to explain", hint="pipe a response (curl -si URL | errcode explain), or give a FILE or JSON"
            )
        return stream
    text = argument.lstrip("\ufeff \t\r\n")
    if not text:
        raise UsageError(
            "no file named: the argument is empty", hint="give a file, - for stdin, or a JSON response in quotes"
        )
    if text[:1] in ("{", "[") or text.upper().startswith("HTTP/"):
        return io.BytesIO(argument.encode("utf-8", "surrogateescape"))
    path = Path(argument)
    try:
        return path.open("rb")
    except OSError as exc:
        raise UsageError(
            f"cannot read {argument}: {exc.strerror or exc}", hint="give a file, -, or a JSON response in quotes"
        ) from None


def explain(
    cs: CatalogSet, source: BinaryIO, catalogs: Sequence[str], out: Output, summary: bool = False, verbose: bool = False
) -> ExitCode:
    """Explain every error in ``source`` as it is read (constant memory), then the counts."""
    from errcli.explain import error_dict, explain_stream, to_json_document
    from errcli.reasons import describe
    from errcli.render import explain_footer, print_explained, print_summary
    from errcli.serialize import dumps_json, dumps_yaml

    stream = explain_stream(cs, source, check_catalogs(catalogs, cs))
    if summary:
        report = stream.summarize()
        print_summary(report, out, verbose, stream.tally.unparsed_texts)
        lines, unknown = report.lines, report.unknown
    elif out.format == "json":  # streamed: the document is written as errors are found
        out.write(f'{{\n  "schema_version": {SCHEMA_VERSION},\n  "errors": [')
        for i, error in enumerate(stream):
            body = dumps_json(error_dict(error, describe(error, out.lang))).replace("\n", "\n    ")
            out.write(("," if i else "") + "\n    " + body)
        tail = {"not_errors": stream.not_errors, "unparsed_lines": stream.unparsed_lines}
        tail["unparsed_count"] = stream.unparsed_count
        out.write("\n  ],\n" + dumps_json(tail)[1:-1].strip("\n") + "\n}\n")
        lines, unknown = stream.lines, stream.unknown
    elif out.format == "yaml":
        errors = list(stream)
        document = to_json_document(
            errors, lambda e: describe(e, out.lang), stream.not_errors, stream.unparsed_lines, stream.unparsed_count
        )
        out.write(dumps_yaml(document))
        lines, unknown = stream.lines, stream.unknown
    else:
        for error in stream:
            print_explained(error, cs, out)
        lines, unknown = stream.lines, stream.unknown
        if not out.brief and lines:
            footer = explain_footer(
                stream.errors,
                unknown,
                stream.not_errors,
                stream.unparsed_count,
                stream.unparsed_lines,
                verbose,
                out,
                stream.tally.unparsed_texts,
            )
            out.write(footer)
    if lines == 0:
        print_problem("no input", "pipe a response (curl -si URL | errcode explain), or give a FILE or JSON")
        return ExitCode.USAGE
    if not stream.records:  # only text: nothing was explained
        print_problem(
            f"no response found in {lines} line{'' if lines == 1 else 's'}: no JSON and no HTTP response",
            "explain reads JSON, JSON Lines, `curl -i` output and log lines with JSON in them; "
            "--verbose lists the lines it could not read",
        )
        return ExitCode.NOT_FOUND
    return ExitCode.NOT_FOUND if unknown else ExitCode.OK
