"""What each command shows: lookups, searches, lists, catalogs, validation, the cache and imports.

Each ``show_*`` takes a command's answer (:mod:`errcli.commands`) and prints it: the document
(JSON, YAML) or the layout (table, plain, Markdown) on stdout, problems on stderr.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from errcli._text import safe
from errcli.model import Lang
from errcli.output import json
from errcli.output.cards import heading_line, print_entries
from errcli.output.console import Output, print_problem
from errcli.output.tables import print_table
from errcli.output.words import LABELS, Role, headers_of, phrase, severity_word, text_of

if TYPE_CHECKING:
    from errcli.commands.cache import CacheAnswer
    from errcli.commands.catalogs import CatalogsAnswer
    from errcli.commands.completion import TextAnswer
    from errcli.commands.importing import ImportAnswer
    from errcli.commands.listing import ListAnswer
    from errcli.commands.lookup import LookupAnswer
    from errcli.commands.search import SearchAnswer
    from errcli.commands.validate import ValidateAnswer
    from errcli.lookup import LookupResult


def lookup_summary(result: LookupResult, lang: Lang = "en") -> str:
    count = len(result.all_matches)
    catalogs = ", ".join(dict.fromkeys(e.catalog for e in result.all_matches))
    line = phrase(lang, "matches", count, query=safe(result.query), count=count, catalogs=safe(catalogs))
    if result.by_status and result.matches:
        line += phrase(lang, "by_status", codes=len(result.matches), statuses=len(result.by_status))
    return line


def not_found_message(result: LookupResult, lang: Lang) -> tuple[str, str | None]:
    message = f"no entry for {safe(result.query)}"
    if not result.suggestions:
        return message, "try `errcode search WORDS` or `errcode list`"
    names = ", ".join(f"{safe(e.catalog)}:{safe(str(e.code))} ({text_of(e.title, lang)})" for e in result.suggestions)
    return message, f"nearest: {names}"


def show_lookup(answer: LookupAnswer, out: Output) -> None:
    """Every query's matches; each query that matched nothing on stderr, with the nearest codes."""
    if answer.searched is not None:  # a lookup of words
        show_search(answer.searched, out)
        return
    results = answer.results
    if out.format in ("json", "yaml"):
        out.write(json.render(json.lookup_document(results), out.format))
    else:
        for i, result in enumerate(results):
            if i:
                out.write("\n")
            if not result.all_matches:
                continue
            if not out.brief:
                heading_line(lookup_summary(result, out.lang), out)
            print_entries(result.matches, answer.catalogs, out)
            if result.by_status:
                if not out.brief and result.matches:
                    heading_line(phrase(out.lang, "returned_with", query=safe(result.query)), out)
                print_entries(result.by_status, answer.catalogs, out)
    for result in answer.missing:
        print_problem(*not_found_message(result, out.lang))


def show_search(answer: SearchAnswer, out: Output) -> None:
    result = answer.result
    if out.format in ("json", "yaml"):
        out.write(json.render(json.search_document(result, answer.as_lookup), out.format))
    elif out.brief:
        print_entries([h.entry for h in result.hits], answer.catalogs, out)
    elif result.hits:
        rows = [
            (
                safe(h.entry.catalog),
                safe(str(h.entry.code)),
                text_of(h.entry.title, out.lang),
                severity_word(h.entry.severity, out.lang),
                f"{h.score:.0f}",
            )
            for h in result.hits
        ]
        headers = headers_of(("catalog", "code", "title", "severity", "score"), out.lang)
        roles: tuple[Role, ...] = ("key", "key", "text", "short", "short")
        highlight = (2, list(answer.terms)) if out.format == "table" else None
        print_table(headers, rows, out, severity_col=3, roles=roles, highlight=highlight)
    if not result.hits:
        print_problem(
            f"nothing matches {answer.text!r}",
            "try fewer words, another spelling, pinyin (zijin), or `errcode list` to browse",
        )
    elif answer.weak:
        print_problem(
            f"no code or close match for {answer.text!r}; the results above are weak guesses",
            "try other words, `errcode search WORDS` for more results, or `errcode list` to browse",
        )


def show_list(answer: ListAnswer, out: Output) -> None:
    entries = answer.entries
    if out.format in ("json", "yaml"):
        out.write(json.render(json.list_document(entries), out.format))
    elif out.brief:
        print_entries(entries, answer.catalogs, out)
    else:
        rows = [
            (
                safe(e.catalog),
                safe(str(e.code)),
                str(e.http_status or ""),
                severity_word(e.severity, out.lang),
                LABELS[out.lang]["yes" if e.retryable else "no"],
                text_of(e.title, out.lang),
            )
            for e in entries
        ]
        headers = headers_of(("catalog", "code", "http", "severity", "retryable", "title"), out.lang)
        print_table(headers, rows, out, severity_col=3, roles=("key", "key", "short", "short", "short", "text"))
    if not entries:
        print_problem("no entries match these filters", "drop a filter, or see `errcode catalogs`")


def _where(path: str, bundled: str, lang: Lang = "en") -> str:
    """Bundled catalogs by name (their folder is an install detail; JSON has the full path)."""
    from pathlib import Path

    file = Path(path)
    return f"{LABELS[lang]['bundled']}: {file.name}" if str(file.parent) == bundled else path


def show_catalogs(answer: CatalogsAnswer, out: Output) -> None:
    cs = answer.catalogs
    if out.format in ("json", "yaml"):
        out.write(json.render(json.catalogs_document(cs), out.format))
        return
    rows = [
        (
            safe(c.id),
            text_of(c.name, out.lang),
            str(len(c.entries)),
            safe(" ".join(x for x in (c.version, c.date) if x) or "-"),
            safe(c.source.title if c.source else "-"),
            safe(_where(c.path, answer.bundled, out.lang)),
        )
        for c in cs.catalogs
    ]
    rows.extend(("(broken)", safe(p.error), "0", "-", "-", safe(p.path)) for p in cs.problems)
    headers = headers_of(("id", "name", "entries", "version", "source", "path"), out.lang)
    print_table(headers, rows, out, roles=("key", "text", "key", "short", "text", "path"))


def show_validate(answer: ValidateAnswer, out: Output) -> None:
    if out.format in ("json", "yaml"):
        out.write(json.render(json.validate_document(answer.files), out.format))
        return
    for path, errors, count in answer.files:
        lines = [safe(e) for e in errors] if errors else [f"{safe(path)}: ok, {count} entries"]
        out.write("".join(f"{line}\n" for line in lines))


def show_cache(answer: CacheAnswer, out: Output) -> None:
    info, removed = answer.info, answer.removed
    if out.format in ("json", "yaml"):
        out.write(json.render(json.cache_document(info, removed), out.format))
        return
    if removed is not None:
        out.write(f"removed {removed} cache file{'s' if removed != 1 else ''}\n")
    out.write(f"cache: {safe(info['path'] or '(none: no HOME or XDG_CACHE_HOME)')}\n")
    for file in info["files"]:
        out.write(f"  {safe(file['name'])}  {file['bytes']} bytes\n")
    for problem in info.get("problems", ()):
        print_problem(problem)


def show_text(answer: TextAnswer, out: Output) -> None:
    out.write(answer.text)


def _some(items: Sequence[str], limit: int = 12) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" … and {len(items) - limit} more" if len(items) > limit else "")


def show_import(answer: ImportAnswer, out: Output) -> None:
    """``errcode import``: the draft on stdout (unless it was written to a file), the report on stderr."""
    report, written = answer.report, answer.written
    if answer.draft is not None:
        out.write(answer.draft)
        out.out.flush()
    source = "stdin" if report.source == "-" else safe(report.source)
    if not report.codes:
        print_problem(
            f"no error codes found in {source}",
            "errcode import reads tables with a code column (错误码/code/status), headings such as "
            "`1001 - title` or `E1001 title`, and code lines followed by `描述:`/`Description:` lines",
        )
        return
    count = len(report.codes)
    details = [report.format, report.language]
    if report.encoding != "utf-8":
        details.append(f"read as {report.encoding}")
    details.append(f"{report.categories} categor{'y' if report.categories == 1 else 'ies'}")
    details.append(f"{report.envelopes} envelope{'' if report.envelopes == 1 else 's'}")
    lines = [f"import: {count} code{'' if count == 1 else 's'} found in {source} ({', '.join(details)})"]
    lines.append(f"  codes: {_some([safe(str(c)) for c in report.codes])}")
    if report.duplicates:
        lines.append(f"  duplicates ({len(report.duplicates)}):")
        for dup in report.duplicates[:20]:
            what = "another meaning, kept in contexts" if dup.kept_as == "context" else "same meaning, merged"
            lines.append(f"    {safe(str(dup.code))}: line {dup.first_line}, again at line {dup.line} ({what})")
        if len(report.duplicates) > 20:
            lines.append(f"    … and {len(report.duplicates) - 20} more")
    if report.unparsed:
        lines.append(f"  not parsed ({len(report.unparsed)}):")
        lines.extend(f"    line {u.line}: {safe(u.text)} — {safe(u.reason)}" for u in report.unparsed[:20])
        if len(report.unparsed) > 20:
            lines.append(f"    … and {len(report.unparsed) - 20} more")
    if report.untitled:
        lines.append(
            f"  no title in the document (the code stands in): {_some([safe(str(c)) for c in report.untitled])}"
        )
    if written:
        where = f"wrote {safe(written)}: a draft — review it, then `errcode validate {safe(written)}`"
    else:
        where = "the draft is on stdout — save it (-o FILE), review it, then `errcode validate FILE`"
    lines.append(where + " and copy it to ~/.config/errcode/catalogs/")
    sys.stderr.write("\n".join(lines) + "\n")
