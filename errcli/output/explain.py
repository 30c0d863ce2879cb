"""Explained errors as cards or brief lines, the counts after them, and the summary table."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from errcli._text import safe
from errcli.model import Lang
from errcli.output import json
from errcli.output.cards import card_rows, entry_heading, markdown_rows, plain_rows, print_card
from errcli.output.console import Output, print_problem
from errcli.output.reasons import describe
from errcli.output.tables import print_table
from errcli.output.words import (
    ACTION_WORDS,
    HEADERS,
    LABELS,
    Catalogs,
    Role,
    Rows,
    cut,
    display_width,
    headers_of,
    phrase,
    severity_word,
    text_of,
)

if TYPE_CHECKING:
    from errcli.commands.explain import ExplainAnswer
    from errcli.explain.result import Action, ExplainedError, SummaryReport, SummaryRow


def action_label(action: Action, lang: Lang) -> str:
    words = ACTION_WORDS[lang]
    text = words[action.kind].format(seconds=action.seconds)
    if action.fallback_seconds is not None:
        text += words["fallback"].format(seconds=action.fallback_seconds)
    if action.source:
        text += f" [{safe(words.get(action.source, action.source))}]"
    if action.advice:
        text += f" — {text_of(action.advice, lang)}"
    return text


def brief_action(action: Action) -> str:
    """The action as ``--brief`` shows it: its kind, and the wait."""
    return f"wait {action.seconds} s" if action.kind == "wait" and action.seconds is not None else action.kind


def _explained_heading(error: ExplainedError, lang: Lang) -> str:
    where = f"{error.line}" + (f"-{error.end_line}" if error.end_line > error.line else "")
    if error.entry is not None:
        what = entry_heading(error.entry, lang)
    else:
        code = (
            phrase(lang, "no_code") if error.code is None else phrase(lang, "unknown_code", code=safe(str(error.code)))
        )
        what = f"{code}" + (f" (HTTP {error.http_status})" if error.http_status else "")
    return phrase(lang, "at_line", where=where, what=what, confidence=error.confidence)


def explained_rows(error: ExplainedError, cs: Catalogs, lang: Lang) -> Rows:
    words = LABELS[lang]
    rows: Rows = [(words["why"], describe(error, lang))]
    if error.message is not None:
        rows.append((words["message"], safe(error.message)))
    if error.http_status is not None and (error.entry is None or error.entry.http_status != error.http_status):
        rows.append((words["http_status"], str(error.http_status)))
    if error.details:
        details = [f"{safe(str(k))}: {safe(str(v))}" for k, v in error.details.items()]
        rows.append((words["response_details"], details))
    rows.append((words["action"], action_label(error.action, lang)))
    if error.entry is not None:  # the action row carries the wait (and the document's, as its fallback)
        show_wait = error.action.kind != "wait"
        rows.extend(card_rows(error.entry, cs.get(error.entry.catalog), lang, show_wait=show_wait))
    if error.alternatives:
        label = words["matches_instead"] if error.contradiction else words["alternatives"]
        rows.append(
            (label, [f"{safe(e.catalog)}:{safe(str(e.code))} {text_of(e.title, lang)}" for e in error.alternatives])
        )
    return rows


def print_explained(error: ExplainedError, cs: Catalogs, out: Output) -> None:
    """One error as it is found (explain streams: flushed at once)."""
    if out.brief:
        code = f"{safe(error.catalog or '?')}:{'?' if error.code is None else safe(str(error.code))}"
        title = text_of(error.entry.title, out.lang) if error.entry else LABELS[out.lang]["unknown"]
        out.write(f"{error.line}\t{code}\t{error.confidence:.2f}\t{title}\t{brief_action(error.action)}\n")
        out.out.flush()
        return
    heading = _explained_heading(error, out.lang)
    rows = explained_rows(error, cs, out.lang)
    if out.format == "table":
        severity = error.entry.severity or "" if error.entry else "warning"
        print_card(out.console(), heading, rows, severity, LABELS[out.lang]["severity"])
    elif out.format == "markdown":
        out.write(markdown_rows(heading, rows))
    else:
        out.write(plain_rows(heading, rows, out, error.entry.severity if error.entry else None) + "\n")
    out.out.flush()


def explain_footer(
    errors: int,
    unknown: int,
    not_errors: int,
    unparsed: int,
    unparsed_lines: Sequence[int],
    verbose: bool,
    out: Output | None = None,
    unparsed_texts: Sequence[bytes] = (),
    folded: tuple[int, int] = (0, 0),
    merged: int = 0,
) -> str:
    """The counts after explain's output; with ``verbose`` the unparsed lines themselves (escaped,
    each cut to the terminal's width). ``folded``: the errors counted in the summary's row of other
    unknown codes, and how many distinct unknown codes were counted each."""
    lang: Lang = out.lang if out is not None else "en"
    parts = [phrase(lang, "errors", errors, n=errors)]
    if errors:
        parts[0] += phrase(lang, "identified", known=errors - unknown, unknown=unknown)
    if folded[0]:
        parts[0] += phrase(lang, "folded", folded[0], n=folded[0], limit=f"{folded[1]:,}")
    if merged:
        parts[0] += phrase(lang, "merged", merged, n=merged)
    parts.append(phrase(lang, "not_errors", not_errors, n=not_errors))
    parts.append(phrase(lang, "unparsed", unparsed, n=unparsed))
    width = out.console().width if out is not None and out.format != "markdown" else 100
    line = " · ".join(parts)
    if out is not None and out.format == "table" and display_width(line) > width:  # wrap between the counts
        line = " ·\n".join(parts)
    if unparsed and verbose:
        markdown = out is not None and out.format == "markdown"
        indent = "    " if markdown else "  "  # Markdown: an indented code block, shown literally
        shown = []
        for i, number in enumerate(unparsed_lines):
            data = unparsed_texts[i] if i < len(unparsed_texts) else b""
            text = safe(data.decode("utf-8", "replace").rstrip("\r\n"))
            shown.append(cut(f"{indent}{number}: {text}".rstrip(), max(width, 20)))
        if unparsed > len(unparsed_lines):
            shown.append(indent + phrase(lang, "more", n=unparsed - len(unparsed_lines)))
        gap = "\n\n" if markdown else "\n"
        line += gap + phrase(lang, "unparsed_list") + gap + "\n".join(shown)
    elif unparsed:
        line += phrase(lang, "verbose_hint")
    return line + "\n"


def print_summary(report: SummaryReport, out: Output, verbose: bool, unparsed_texts: Sequence[bytes] = ()) -> None:
    if out.format in ("json", "yaml"):
        out.write(json.render(json.summary_document(report), out.format))
        return
    shown = _shown_rows(report.rows)
    top = max((row.count for row in shown), default=1)
    rows = [
        (
            safe(row.catalog or "?"),
            "…" if row.folded else safe(str(row.code)),
            text_of(row.entry.title, out.lang)
            if row.entry
            else phrase(out.lang, "other_codes")
            if row.folded
            else LABELS[out.lang]["unknown"],
            severity_word(row.entry.severity, out.lang) if row.entry else "",
            str(row.count),
            str(row.first_line),
            str(row.last_line),
            "█" * max(1, round(20 * row.count / top)),
        )
        for row in shown
    ]
    names = ("catalog", "code", "title", "severity", "count", "first", "last")
    bar = HEADERS[out.lang]["share"] if out.format == "markdown" else ""  # Markdown names every column
    roles: tuple[Role, ...] = ("key", "key", "text", "short", "key", "key", "key", "short")
    print_table((*headers_of(names, out.lang), bar), rows, out, severity_col=3, roles=roles)
    out.write(
        explain_footer(
            report.errors,
            report.unknown,
            report.not_errors,
            report.unparsed_count,
            report.unparsed_lines,
            verbose,
            out,
            unparsed_texts,
            (report.other_unknown, report.code_limit),
            shown[-1].count if len(shown) < len(report.rows) else 0,
        )
    )


SHOWN_UNKNOWN = 20  # unknown codes a summary table lists one by one (JSON lists them all)


def _shown_rows(rows: Sequence[SummaryRow]) -> list[SummaryRow]:
    """The rows a summary table shows: every catalog entry's, the most frequent unknown codes, and one
    row for the other unknown codes (a log whose undocumented codes are ids has one per line)."""
    shown: list[SummaryRow] = []
    rest: list[SummaryRow] = []
    unknown = 0
    for row in rows:
        if row.entry is None and (row.folded or unknown >= SHOWN_UNKNOWN):
            rest.append(row)
            continue
        unknown += row.entry is None
        shown.append(row)
    if len(rest) > 1 or (rest and not rest[0].folded):
        first, last, count = min(r.first_line for r in rest), max(r.last_line for r in rest), sum(r.count for r in rest)
        shown.append(
            dataclasses.replace(
                rest[0], catalog=None, code=None, count=count, first_line=first, last_line=last, folded=True
            )
        )
    else:
        shown.extend(rest)
    return shown


def show_explain(answer: ExplainAnswer, out: Output) -> None:
    """Every error as it is found (a JSON document is written as it grows), then the counts; or the summary."""
    stream = answer.stream
    if answer.report is not None:
        print_summary(answer.report, out, answer.verbose, stream.tally.unparsed_texts)
    elif out.format == "json":  # written as the errors are found
        found = (json.error_dict(e, describe(e, out.lang)) for e in stream)
        for chunk in json.streamed_explain_document(found, stream.counts):
            out.write(chunk)
    elif out.format == "yaml":
        errors = [json.error_dict(e, describe(e, out.lang)) for e in stream]
        doc = json.explain_document(errors, stream.not_errors, stream.unparsed_lines, stream.unparsed_count)
        out.write(json.dumps_yaml(doc))
    else:
        for error in stream:
            print_explained(error, answer.catalogs, out)
        if not out.brief and stream.lines:
            counts = (stream.errors, stream.unknown, stream.not_errors, stream.unparsed_count, stream.unparsed_lines)
            out.write(explain_footer(*counts, answer.verbose, out, stream.tally.unparsed_texts))
    if answer.problem == "no_input":
        print_problem("no input", "pipe a response (curl -si URL | errcode explain), or give a FILE or JSON")
    elif answer.problem == "no_response":
        lines = answer.lines
        print_problem(
            f"no response found in {lines} line{'' if lines == 1 else 's'}: no JSON and no HTTP response",
            "explain reads JSON, JSON Lines, `curl -i` output, log lines with JSON in them, and a few lines of text "
            "that say an error (a plain-text body, an HTML error page, an exception, a log line); --verbose lists "
            "the lines it could not read",
        )
