"""The only module that prints. Results in, text out: table, plain, json, yaml, markdown.

Text that comes from catalogs or input is data: it is never parsed as rich
markup, and control characters are shown as visible escapes.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TextIO

from errcli.catalog import CatalogSet, LoadProblem
from errcli.lookup import LookupResult
from errcli.model import Catalog, Entry, Lang, Text
from errcli.serialize import dumps_json, dumps_yaml, entry_dict

if TYPE_CHECKING:
    from rich.console import Console

    from errcli.explain import Action, ExplainedError, SummaryReport
    from errcli.importer import ImportReport
    from errcli.search import SearchResult

Format = Literal["table", "plain", "json", "yaml", "markdown"]
ColorMode = Literal["auto", "always", "never"]
FORMATS: tuple[Format, ...] = ("table", "plain", "json", "yaml", "markdown")
Rows = list[tuple[str, str | list[str]]]  # a card: (label, value) in display order; lists are bullets

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
SEVERITY_STYLE = {"info": "cyan", "warning": "yellow", "critical": "bold red"}

LABELS: dict[Lang, dict[str, str]] = {
    "en": {
        "http_status": "HTTP status",
        "category": "category",
        "severity": "severity",
        "retryable": "retryable",
        "title": "title",
        "description": "description",
        "causes": "causes",
        "fixes": "fixes",
        "limits": "limits",
        "details": "details",
        "headers": "headers",
        "example": "example",
        "contexts": "also documented as",
        "yes": "yes",
        "no": "no",
        "derived": "derived",
        "wait": "wait",
        "other": "中文",
    },
    "zh": {
        "http_status": "HTTP 状态",
        "category": "分类",
        "severity": "严重程度",
        "retryable": "可重试",
        "title": "标题",
        "description": "描述",
        "causes": "原因",
        "fixes": "解决方案",
        "limits": "限制",
        "details": "详情字段",
        "headers": "相关头",
        "example": "示例",
        "contexts": "另一含义",
        "yes": "是",
        "no": "否",
        "derived": "推断",
        "wait": "等待",
        "other": "English",
    },
}


def safe(text: str, multiline: bool = False) -> str:
    """Show control characters and bidi overrides as visible escapes."""

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if multiline and char in "\n\t":
            return char
        return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"

    return _CONTROL.sub(escape, text)


@dataclass(frozen=True)
class Output:
    """How to print: decided once from options and the environment."""

    format: Format
    lang: Lang
    color: ColorMode = "auto"
    brief: bool = False
    stream: TextIO | None = None

    @property
    def out(self) -> TextIO:
        return self.stream or sys.stdout

    def write(self, text: str) -> None:
        self.out.write(text)

    def console(self, stderr: bool = False) -> Console:
        return make_console(self.color, stderr=stderr, file=None if stderr else self.stream)


def default_format(stream: TextIO | None = None) -> Format:
    target = stream or sys.stdout
    return "table" if target.isatty() else "plain"


def make_console(color: ColorMode, stderr: bool = False, file: TextIO | None = None) -> Console:
    """The one place that decides colour; NO_COLOR and FORCE_COLOR are left to rich."""
    from rich.console import Console

    kwargs: dict[str, Any] = {"stderr": stderr, "file": file, "highlight": False, "emoji": False, "markup": False}
    if color == "always":  # an explicit request beats NO_COLOR and a dumb TERM
        truecolor = os.environ.get("COLORTERM", "") in ("truecolor", "24bit")
        kwargs.update(force_terminal=True, no_color=False, color_system="truecolor" if truecolor else "256")
    elif color == "never":
        kwargs["no_color"] = True
        kwargs["color_system"] = None
    width = os.environ.get("COLUMNS", "")
    if not width.isdigit() and not (file or (sys.stderr if stderr else sys.stdout)).isatty():
        kwargs["width"] = 100
    return Console(**kwargs)


# --- card content, shared by every text format -------------------------------------------


def _t(text: Text | None, lang: Lang) -> str:
    return safe(text.get(lang)) if text else ""


def code_label(entry: Entry) -> str:
    label = safe(str(entry.code))
    return f"{label} ({safe(entry.symbol)})" if entry.symbol else label


def _category_label(entry: Entry, catalog: Catalog | None, lang: Lang) -> str:
    cat = catalog.category(entry.category) if catalog else None
    if cat is None:
        return safe(entry.category or "")
    label = _t(cat.title, lang)
    return f"{label} ({cat.range[0]}–{cat.range[1]})" if cat.range else label


def retry_label(entry: Entry, lang: Lang) -> str:
    words = LABELS[lang]
    parts = [words["yes"] if entry.retryable else words["no"]]
    if entry.retryable_source == "derived":
        parts[0] += f" ({words['derived']})"
    if entry.retry_after is not None and entry.retryable:
        parts.append(f"{words['wait']} {entry.retry_after} s")
    if entry.retry_advice:
        parts.append(_t(entry.retry_advice, lang))
    return " — ".join(parts)


def severity_label(entry: Entry, lang: Lang) -> str:
    sev = entry.severity or ""
    return f"{sev} ({LABELS[lang]['derived']})" if entry.severity_source == "derived" else sev


def card_rows(entry: Entry, catalog: Catalog | None, lang: Lang) -> Rows:
    """The card as (label, value) rows in display order; lists are bullet items."""
    words = LABELS[lang]
    other: Lang = "en" if lang == "zh" else "zh"
    rows: Rows = []
    if entry.http_status is not None:
        rows.append((words["http_status"], str(entry.http_status)))
    if entry.category:
        rows.append((words["category"], _category_label(entry, catalog, lang)))
    rows.append((words["severity"], severity_label(entry, lang)))
    rows.append((words["retryable"], retry_label(entry, lang)))
    if entry.title.has(other) and entry.title.get(other) != entry.title.get(lang):
        rows.append((words["other"], _t(entry.title, other)))
    if entry.description:
        rows.append((words["description"], _t(entry.description, lang)))
    for key, texts in (("causes", entry.causes), ("fixes", entry.fixes), ("limits", entry.limits)):
        if texts:
            rows.append((words[key], [_t(t, lang) for t in texts]))
    for context in entry.contexts:
        summary = _t(context.title or context.description, lang)
        rows.append((words["contexts"], f"{_t(context.name, lang)}: {summary}"))
    if entry.details:
        rows.append((words["details"], [f"{safe(d.field)}: {_t(d.meaning, lang)}" for d in entry.details]))
    if entry.headers:
        rows.append((words["headers"], ", ".join(safe(h) for h in entry.headers)))
    if entry.examples:
        rows.append((words["example"], safe(entry.examples[0], multiline=True)))
    return rows


def _heading(entry: Entry, lang: Lang) -> str:
    return f"{safe(entry.catalog)} {code_label(entry)} — {_t(entry.title, lang)}"


def _brief_line(entry: Entry, lang: Lang) -> str:
    return f"{safe(entry.catalog)}:{safe(str(entry.code))}\t{entry.severity}\t{_t(entry.title, lang)}"


# --- per-format card printing ----------------------------------------------------------


def _display_width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def plain_rows(heading: str, rows: Rows) -> str:
    """A heading and aligned ``label: value`` lines; lists as bullets, multi-line values indented."""
    lines = [heading]
    width = max((_display_width(label) for label, _ in rows), default=0) + 1
    for label, value in rows:
        if isinstance(value, list):
            lines.append(f"  {label}:")
            lines.extend(f"    - {item}" for item in value)
        elif "\n" in value:
            lines.append(f"  {label}:")
            lines.extend(f"    {line}" for line in value.splitlines())
        else:
            lines.append(f"  {label}:{' ' * (width - _display_width(label))}{value}")
    return "\n".join(lines) + "\n"


def markdown_rows(heading: str, rows: Rows) -> str:
    lines = [f"### {heading}", ""]
    for label, value in rows:
        if isinstance(value, list):
            lines.append(f"- **{label}**:")
            lines.extend(f"  - {item}" for item in value)
        elif "\n" in value:
            lines.extend([f"- **{label}**:", "", "  ```", *(f"  {line}" for line in value.splitlines()), "  ```"])
        else:
            lines.append(f"- **{label}**: {value}")
    return "\n".join(lines) + "\n\n"


def rich_rows(heading: str, rows: Rows, severity: str, severity_label: str | None = None) -> Any:
    """A panel with a label/value grid; the border (and the severity row) in the severity's colour."""
    from rich import box
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text as RichText

    style = SEVERITY_STYLE.get(severity, "")
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for label, value in rows:
        if isinstance(value, list):
            cell = RichText("\n".join(f"• {item}" for item in value))
        else:
            cell = RichText(value, style=style if label == severity_label else "")
        grid.add_row(RichText(label), cell)
    return Panel(grid, title=RichText(heading, style="bold"), title_align="left", box=box.ROUNDED, border_style=style)


def print_entries(entries: Sequence[Entry], cs: CatalogSet, out: Output) -> None:
    if out.brief:
        for entry in entries:
            out.write(_brief_line(entry, out.lang) + "\n")
        return
    lang = out.lang
    cards = [(_heading(entry, lang), card_rows(entry, cs.get(entry.catalog), lang), entry) for entry in entries]
    if out.format == "table":
        console = out.console()
        for heading, rows, entry in cards:
            console.print(rich_rows(heading, rows, entry.severity or "", LABELS[lang]["severity"]))
    elif out.format == "markdown":
        out.write("".join(markdown_rows(heading, rows) for heading, rows, _ in cards))
    else:
        out.write("\n".join(plain_rows(heading, rows) for heading, rows, _ in cards))


def _heading_line(text: str, out: Output) -> None:
    if out.format == "markdown":
        out.write(f"## {text}\n\n")
    elif out.format == "table":
        from rich.text import Text as RichText

        out.console().print(RichText(text, style="bold"))
    else:
        out.write(text + "\n")


# --- commands ----------------------------------------------------------------------------


def lookup_document(results: Sequence[LookupResult]) -> dict[str, Any]:
    docs = [{"query": r.query, "matches": [entry_dict(e) for e in r.all_matches]} for r in results]
    return docs[0] if len(docs) == 1 else {"results": docs}


def print_lookup(results: Sequence[LookupResult], cs: CatalogSet, out: Output) -> None:
    if out.format in ("json", "yaml"):
        doc = lookup_document(results)
        out.write(dumps_json(doc) + "\n" if out.format == "json" else dumps_yaml(doc))
        return
    for i, result in enumerate(results):
        if i:
            out.write("\n")
        if not result.all_matches:
            continue
        if not out.brief:
            _heading_line(lookup_summary(result), out)
        print_entries(result.matches, cs, out)
        if result.by_status:
            if not out.brief and result.matches:
                _heading_line(f"returned with HTTP status {result.query}:", out)
            print_entries(result.by_status, cs, out)


def lookup_summary(result: LookupResult) -> str:
    count = len(result.all_matches)
    catalogs = ", ".join(dict.fromkeys(e.catalog for e in result.all_matches))
    noun = "match" if count == 1 else "matches"
    line = f"{safe(result.query)}: {count} {noun} ({safe(catalogs)})"
    if result.by_status and result.matches:
        line += f" — {len(result.matches)} by code, {len(result.by_status)} by HTTP status"
    return line


def not_found_message(result: LookupResult, lang: Lang) -> tuple[str, str | None]:
    message = f"no entry for {safe(result.query)}"
    if not result.suggestions:
        return message, "try `errcode search WORDS` or `errcode list`"
    names = ", ".join(f"{safe(e.catalog)}:{safe(str(e.code))} ({_t(e.title, lang)})" for e in result.suggestions)
    return message, f"nearest: {names}"


def print_search(result: SearchResult, cs: CatalogSet, out: Output) -> None:
    if out.format in ("json", "yaml"):
        doc = {"query": result.query, "results": [entry_dict(h.entry) | {"score": h.score} for h in result.hits]}
        out.write(dumps_json(doc) + "\n" if out.format == "json" else dumps_yaml(doc))
        return
    if out.brief:
        print_entries([h.entry for h in result.hits], cs, out)
        return
    rows = [
        (
            safe(h.entry.catalog),
            safe(str(h.entry.code)),
            _t(h.entry.title, out.lang),
            h.entry.severity or "",
            f"{h.score:.0f}",
        )
        for h in result.hits
    ]
    headers = ("catalog", "code", "title", "severity", "score")
    if out.format == "table":
        terms = _highlight_terms(result.query)
        out.console().print(_rich_table(headers, rows, severity_col=3, highlight=(2, terms)))
    else:
        _print_rows(headers, rows, out)


def _highlight_terms(query: str) -> list[str]:
    from errcli.search import normalize

    return [w for w in normalize(query).split() if len(w) > 1 or not w.isascii()]


def _rich_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    severity_col: int | None = None,
    highlight: tuple[int, list[str]] | None = None,
) -> Any:
    from rich import box
    from rich.table import Table
    from rich.text import Text as RichText

    table = Table(box=box.SIMPLE_HEAD, header_style="bold")
    for header in headers:
        table.add_column(header)
    for row in rows:
        cells = [RichText(v, style=SEVERITY_STYLE.get(v, "") if i == severity_col else "") for i, v in enumerate(row)]
        if highlight:
            cells[highlight[0]].highlight_words(highlight[1], style="bold magenta", case_sensitive=False)
        table.add_row(*cells)
    return table


def _print_rows(headers: Sequence[str], rows: Sequence[Sequence[str]], out: Output) -> None:
    if out.format == "markdown":
        out.write("| " + " | ".join(headers) + " |\n|" + "---|" * len(headers) + "\n")
        for row in rows:
            out.write("| " + " | ".join(v.replace("|", "\\|") for v in row) + " |\n")
        return
    widths = [max([_display_width(h), *(_display_width(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        padded = (v + " " * (w - _display_width(v)) for v, w in zip(cells, widths, strict=True))
        return "  ".join(padded).rstrip()

    lines = [line(headers), *(line(r) for r in rows)]
    out.write("\n".join(lines) + "\n")


def print_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], out: Output, severity_col: int | None = None
) -> None:
    if out.format == "table":
        out.console().print(_rich_table(headers, rows, severity_col))
    else:
        _print_rows(headers, rows, out)


def print_list(entries: Sequence[Entry], cs: CatalogSet, out: Output) -> None:
    if out.format in ("json", "yaml"):
        doc = {"entries": [entry_dict(e) for e in entries]}
        out.write(dumps_json(doc) + "\n" if out.format == "json" else dumps_yaml(doc))
        return
    if out.brief:
        print_entries(entries, cs, out)
        return
    rows = [
        (
            safe(e.catalog),
            safe(str(e.code)),
            str(e.http_status or ""),
            e.severity or "",
            LABELS[out.lang]["yes" if e.retryable else "no"],
            _t(e.title, out.lang),
        )
        for e in entries
    ]
    print_table(("catalog", "code", "http", "severity", "retryable", "title"), rows, out, severity_col=3)


def catalogs_document(cs: CatalogSet) -> dict[str, Any]:
    return {
        "catalogs": [
            {
                "id": c.id,
                "name": c.name.get("en"),
                "version": c.version,
                "date": c.date,
                "source": c.source.title if c.source else None,
                "entries": len(c.entries),
                "path": c.path,
                "language": c.language,
            }
            for c in cs.catalogs
        ],
        "broken": [{"path": p.path, "error": p.error} for p in cs.problems],
    }


def _where(path: str) -> str:
    """Bundled catalogs by name (their folder is an install detail; JSON has the full path)."""
    from pathlib import Path

    from errcli.catalog import bundled_dir

    file = Path(path)
    return f"bundled: {file.name}" if file.parent == bundled_dir() else path


def print_catalogs(cs: CatalogSet, out: Output) -> None:
    if out.format in ("json", "yaml"):
        doc = catalogs_document(cs)
        out.write(dumps_json(doc) + "\n" if out.format == "json" else dumps_yaml(doc))
        return
    rows = [
        (
            safe(c.id),
            _t(c.name, out.lang),
            str(len(c.entries)),
            safe(" ".join(x for x in (c.version, c.date) if x) or "-"),
            safe(c.source.title if c.source else "-"),
            safe(_where(c.path)),
        )
        for c in cs.catalogs
    ]
    rows.extend(("(broken)", safe(p.error), "0", "-", "-", safe(p.path)) for p in cs.problems)
    print_table(("id", "name", "entries", "version", "source", "path"), rows, out)


def print_validate(report: Sequence[tuple[str, str | None, int]], out: Output) -> None:
    """``report`` is (path, error or None, entry count) per file."""
    if out.format in ("json", "yaml"):
        doc = {"files": [{"path": p, "valid": err is None, "error": err, "entries": n} for p, err, n in report]}
        out.write(dumps_json(doc) + "\n" if out.format == "json" else dumps_yaml(doc))
        return
    for path, error, count in report:
        out.write(f"{safe(path)}: ok, {count} entries\n" if error is None else f"{safe(error)}\n")


def print_cache(info: dict[str, Any], removed: int | None, out: Output) -> None:
    if out.format in ("json", "yaml"):
        doc = {**info, "removed": removed}
        out.write(dumps_json(doc) + "\n" if out.format == "json" else dumps_yaml(doc))
        return
    if removed is not None:
        out.write(f"removed {removed} cache file{'s' if removed != 1 else ''}\n")
    out.write(f"cache: {safe(info['path'] or '(none: no HOME or XDG_CACHE_HOME)')}\n")
    for file in info["files"]:
        out.write(f"  {safe(file['name'])}  {file['bytes']} bytes\n")


def print_problem(message: str, hint: str | None = None) -> None:
    """One line on stderr: ``errcode: message`` plus an optional hint."""
    text = f"errcode: {safe(message)}\n" + (f"hint: {safe(hint)}\n" if hint else "")
    sys.stderr.write(text)


def print_warnings(problems: Sequence[LoadProblem]) -> None:
    for problem in problems:
        sys.stderr.write(f"errcode: skipped catalog {safe(problem.error)}\n")


# --- explain ---------------------------------------------------------------------------------------

_ACTION_WORDS = {
    "en": {
        "wait": "wait {seconds} s, then retry",
        "retry": "retry with backoff",
        "do_not_retry": "do not retry: fix the cause first",
        "check_first": "check first: the outcome is unknown; query the state before sending again",
        "fallback": " (the document advises {seconds} s)",
    },
    "zh": {
        "wait": "等待 {seconds} 秒后重试",
        "retry": "退避后重试",
        "do_not_retry": "不要重试：先解决原因",
        "check_first": "先查询：结果未知，重发前先查询状态",
        "fallback": "（文档建议 {seconds} 秒）",
    },
}


def action_label(action: Action, lang: Lang) -> str:
    words = _ACTION_WORDS[lang]
    text = words[action.kind].format(seconds=action.seconds)
    if action.fallback_seconds is not None:
        text += words["fallback"].format(seconds=action.fallback_seconds)
    if action.source:
        text += f" [{safe(action.source)}]"
    if action.advice:
        text += f" — {_t(action.advice, lang)}"
    return text


def _explained_heading(error: ExplainedError, lang: Lang) -> str:
    where = f"line {error.line}" + (f"-{error.end_line}" if error.end_line > error.line else "")
    if error.entry is not None:
        what = _heading(error.entry, lang)
    else:
        code = "no code" if error.code is None else f"unknown code {safe(str(error.code))}"
        what = f"{code}" + (f" (HTTP {error.http_status})" if error.http_status else "")
    return f"{where}: {what}  [confidence {error.confidence:.2f}]"


def explained_rows(error: ExplainedError, cs: CatalogSet, lang: Lang) -> Rows:
    from errcli.reasons import describe

    rows: Rows = [("why", describe(error, lang))]
    if error.message is not None:
        rows.append(("message", safe(error.message)))
    if error.http_status is not None and (error.entry is None or error.entry.http_status != error.http_status):
        rows.append(("HTTP status", str(error.http_status)))
    if error.details:
        rows.append(("details", [f"{safe(str(k))}: {safe(str(v))}" for k, v in error.details.items()]))
    rows.append(("action", action_label(error.action, lang)))
    if error.entry is not None:
        rows.extend(card_rows(error.entry, cs.get(error.entry.catalog), lang))
    if error.alternatives:
        label = "matches instead" if error.contradiction else "alternatives"
        rows.append((label, [f"{safe(e.catalog)}:{safe(str(e.code))} {_t(e.title, lang)}" for e in error.alternatives]))
    return rows


def print_explained(error: ExplainedError, cs: CatalogSet, out: Output) -> None:
    """One error as it is found (explain streams: flushed at once)."""
    heading = _explained_heading(error, out.lang)
    rows = explained_rows(error, cs, out.lang)
    if out.brief:
        code = f"{safe(error.catalog or '?')}:{safe(str(error.code))}"
        title = _t(error.entry.title, out.lang) if error.entry else "unknown"
        out.write(f"{error.line}\t{code}\t{error.confidence:.2f}\t{title}\n")
    elif out.format == "table":
        out.console().print(rich_rows(heading, rows, error.entry.severity or "" if error.entry else "warning"))
    elif out.format == "markdown":
        out.write(markdown_rows(heading, rows))
    else:
        out.write(plain_rows(heading, rows) + "\n")
    out.out.flush()


def explain_footer(
    errors: int, unknown: int, not_errors: int, unparsed: int, unparsed_lines: Sequence[int], verbose: bool
) -> str:
    parts = [f"{errors} error{'s' if errors != 1 else ''}"]
    if errors:
        parts[0] += f" ({errors - unknown} identified, {unknown} unknown)"
    parts.append(f"{not_errors} not an error" if not_errors == 1 else f"{not_errors} not errors")
    parts.append(f"{unparsed} unparsed line{'s' if unparsed != 1 else ''}")
    line = " · ".join(parts)
    if unparsed and verbose:
        shown = ", ".join(map(str, unparsed_lines))
        more = f" … and {unparsed - len(unparsed_lines)} more" if unparsed > len(unparsed_lines) else ""
        line += f"\nunparsed lines: {shown}{more}"
    elif unparsed:
        line += " (--verbose lists them)"
    return line + "\n"


def print_summary(report: SummaryReport, out: Output, verbose: bool) -> None:
    if out.format in ("json", "yaml"):
        from errcli.explain import summary_document

        doc = summary_document(report)
        out.write(dumps_json(doc) + "\n" if out.format == "json" else dumps_yaml(doc))
        return
    top = max((row.count for row in report.rows), default=1)
    rows = [
        (
            safe(row.catalog or "?"),
            safe(str(row.code)),
            _t(row.entry.title, out.lang) if row.entry else "unknown",
            row.entry.severity or "" if row.entry else "",
            str(row.count),
            str(row.first_line),
            str(row.last_line),
            "█" * max(1, round(20 * row.count / top)),
        )
        for row in report.rows
    ]
    headers = ("catalog", "code", "title", "severity", "count", "first", "last", "")
    print_table(headers, rows, out, severity_col=3)
    out.write(
        explain_footer(
            report.errors, report.unknown, report.not_errors, report.unparsed_count, report.unparsed_lines, verbose
        )
    )


# --- import ----------------------------------------------------------------------------------------


def _some(items: Sequence[str], limit: int = 12) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" … and {len(items) - limit} more" if len(items) > limit else "")


def print_import(draft: str | None, report: ImportReport, written: str | None = None) -> None:
    """``errcode import``: the draft on stdout (unless it was written to a file), the report on stderr."""
    if draft is not None and written is None:
        sys.stdout.write(draft)
        sys.stdout.flush()
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
