"""The only module that prints. Results in, text out: table, plain, json, yaml, markdown.

Text that comes from catalogs or input is data: it is never parsed as rich
markup, and control characters are shown as visible escapes.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TextIO

from errcli._text import safe
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
        "why": "why",
        "message": "message",
        "response_details": "details",
        "action": "action",
        "alternatives": "alternatives",
        "matches_instead": "matches instead",
        "unknown": "unknown",
        "bundled": "bundled",
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
        "why": "判断依据",
        "message": "消息",
        "response_details": "响应详情",
        "action": "建议操作",
        "alternatives": "备选",
        "matches_instead": "消息实际对应",
        "unknown": "未知",
        "bundled": "内置",
    },
}

SEVERITY_WORDS: dict[Lang, dict[str, str]] = {
    "en": {"info": "info", "warning": "warning", "critical": "critical"},
    "zh": {"info": "提示", "warning": "警告", "critical": "严重"},
}
_SEVERITY_STYLE_OF_WORD = {
    word: SEVERITY_STYLE[key] for words in SEVERITY_WORDS.values() for key, word in words.items()
}

_COLUMNS = "catalog code title severity score http retryable id name entries version source path count first last"
HEADERS: dict[Lang, dict[str, str]] = {  # table columns
    "en": {name: name for name in (*_COLUMNS.split(), "share")},
    "zh": {
        "catalog": "目录",
        "code": "错误码",
        "title": "标题",
        "severity": "严重程度",
        "score": "得分",
        "http": "HTTP",
        "retryable": "可重试",
        "id": "ID",
        "name": "名称",
        "entries": "条目数",
        "version": "版本",
        "source": "来源",
        "path": "位置",
        "count": "次数",
        "first": "首行",
        "last": "末行",
        "share": "占比",
    },
}

PHRASES: dict[Lang, dict[str, str]] = {  # the sentences around cards and tables; ``.one``/``.other`` by count
    "en": {
        "matches.one": "{query}: {count} match ({catalogs})",
        "matches.other": "{query}: {count} matches ({catalogs})",
        "by_status": " — {codes} by code, {statuses} by HTTP status",
        "returned_with": "returned with HTTP status {query}:",
        "at_line": "line {where}: {what}  [confidence {confidence:.2f}]",
        "no_code": "no code",
        "unknown_code": "unknown code {code}",
        "errors.one": "{n} error",
        "errors.other": "{n} errors",
        "identified": " ({known} identified, {unknown} unknown)",
        "not_errors.one": "{n} not an error",
        "not_errors.other": "{n} not errors",
        "unparsed.one": "{n} unparsed line",
        "unparsed.other": "{n} unparsed lines",
        "verbose_hint": " (--verbose lists them)",
        "unparsed_list": "unparsed lines:",
        "more": "… and {n} more",
    },
    "zh": {
        "matches.one": "{query}：{count} 个匹配（{catalogs}）",
        "matches.other": "{query}：{count} 个匹配（{catalogs}）",
        "by_status": "——按错误码 {codes} 个，按 HTTP 状态 {statuses} 个",
        "returned_with": "以 HTTP 状态 {query} 返回：",
        "at_line": "第 {where} 行：{what}  [置信度 {confidence:.2f}]",
        "no_code": "无错误码",
        "unknown_code": "未知错误码 {code}",
        "errors.one": "{n} 个错误",
        "errors.other": "{n} 个错误",
        "identified": "（已识别 {known} 个，未知 {unknown} 个）",
        "not_errors.one": "{n} 个非错误",
        "not_errors.other": "{n} 个非错误",
        "unparsed.one": "{n} 行未能解析",
        "unparsed.other": "{n} 行未能解析",
        "verbose_hint": "（--verbose 列出）",
        "unparsed_list": "未能解析的行：",
        "more": "…… 另有 {n} 行",
    },
}

_ACTION_WORDS: dict[Lang, dict[str, str]] = {
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
        "Retry-After header": "Retry-After 头",
        "documented": "文档",
        "derived": "推断",
    },
}


def phrase(lang: Lang, key: str, plural: int | None = None, **values: Any) -> str:
    """A sentence of PHRASES; ``plural`` picks its ``.one`` or ``.other`` form."""
    words = PHRASES[lang]
    if plural is not None:
        key += ".one" if plural == 1 else ".other"
    return words[key].format(**values)


def headers_of(names: Sequence[str], lang: Lang) -> tuple[str, ...]:
    return tuple(HEADERS[lang].get(name, name) for name in names)


def severity_word(severity: str | None, lang: Lang) -> str:
    return SEVERITY_WORDS[lang].get(severity or "", severity or "")


_SGR = {"heading": "1", "header": "1", "critical": "1;31", "warning": "33", "info": "36"}


@dataclass(frozen=True)
class Output:
    """How to print: decided once from options and the environment."""

    format: Format
    lang: Lang
    color: ColorMode = "auto"
    brief: bool = False
    stream: TextIO | None = None
    paged: bool = False  # stdout goes through a pager to a terminal: laid out and coloured for it

    @property
    def out(self) -> TextIO:
        return self.stream or sys.stdout

    def write(self, text: str) -> None:
        self.out.write(text)

    @property
    def plain_color(self) -> bool:
        """The plain layout is coloured too: `--color always`, or FORCE_COLOR (for `| less -R`)."""
        if self.color != "auto":
            return self.color == "always"
        return bool(os.environ.get("FORCE_COLOR")) and not os.environ.get("NO_COLOR")

    def paint(self, text: str, role: str) -> str:
        """``text`` in the colour of its role (heading, header, critical, warning, info) when the plain
        layout is coloured; as it is otherwise."""
        sgr = _SGR.get(role)
        return f"\x1b[{sgr}m{text}\x1b[0m" if sgr and text and self.plain_color else text

    def console(self, stderr: bool = False) -> Console:
        terminal = self.paged and not stderr
        return make_console(self.color, stderr=stderr, file=None if stderr else self.stream, terminal=terminal)


def default_format(stream: TextIO | None = None) -> Format:
    target = stream or sys.stdout
    return "table" if target.isatty() else "plain"


def make_console(color: ColorMode, stderr: bool = False, file: TextIO | None = None, terminal: bool = False) -> Console:
    """The one place that decides colour; NO_COLOR and FORCE_COLOR are left to rich. ``terminal``:
    the output reaches a terminal through a pager (our stdout is its pipe)."""
    from rich.console import Console

    kwargs: dict[str, Any] = {"stderr": stderr, "file": file, "highlight": False, "emoji": False, "markup": False}
    if terminal:
        from errcli.pager import terminal_width

        kwargs["force_terminal"] = color != "never"
        if not os.environ.get("COLUMNS", "").isdigit():
            kwargs["width"] = terminal_width()
    if color == "always":  # an explicit request beats NO_COLOR and a dumb TERM
        truecolor = os.environ.get("COLORTERM", "") in ("truecolor", "24bit")
        kwargs.update(force_terminal=True, no_color=False, color_system="truecolor" if truecolor else "256")
    elif color == "never":
        kwargs["no_color"] = True
        kwargs["color_system"] = None
    width = os.environ.get("COLUMNS", "")
    if not width.isdigit() and not terminal and not (file or (sys.stderr if stderr else sys.stdout)).isatty():
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


def retry_label(entry: Entry, lang: Lang, show_wait: bool = True) -> str:
    """Retryable or not, then the documented wait and the document's advice (``show_wait`` False: an
    explained error's action row already gives both, so they are not repeated as a second instruction)."""
    words = LABELS[lang]
    parts = [words["yes"] if entry.retryable else words["no"]]
    if entry.retryable_source == "derived":
        parts[0] += f" ({words['derived']})"
    if show_wait and entry.retry_after is not None and entry.retryable:
        parts.append(f"{words['wait']} {entry.retry_after} s")
    if show_wait and entry.retry_advice:
        parts.append(_t(entry.retry_advice, lang))
    return " — ".join(parts)


def severity_label(entry: Entry, lang: Lang) -> str:
    sev = severity_word(entry.severity, lang)
    return f"{sev} ({LABELS[lang]['derived']})" if entry.severity_source == "derived" else sev


def card_rows(entry: Entry, catalog: Catalog | None, lang: Lang, show_wait: bool = True) -> Rows:
    """The card as (label, value) rows in display order; lists are bullet items.

    ``show_wait`` False leaves the documented wait and advice out of the retryable row (an explained
    error's action row already says how long to wait, with the document's wait as its fallback)."""
    words = LABELS[lang]
    other: Lang = "en" if lang == "zh" else "zh"
    rows: Rows = []
    if entry.http_status is not None:
        rows.append((words["http_status"], str(entry.http_status)))
    if entry.category:
        rows.append((words["category"], _category_label(entry, catalog, lang)))
    rows.append((words["severity"], severity_label(entry, lang)))
    rows.append((words["retryable"], retry_label(entry, lang, show_wait)))
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


def plain_rows(heading: str, rows: Rows, out: Output | None = None, severity: str | None = None) -> str:
    """A heading and aligned ``label: value`` lines; lists as bullets, multi-line values indented
    (coloured when ``out`` colours the plain layout: the heading, and the severity by its level)."""
    paint = out.paint if out is not None else (lambda text, _role: text)
    lines = [paint(heading, "heading")]
    severity_label = LABELS[out.lang]["severity"] if out is not None else None
    width = max((_display_width(label) for label, _ in rows), default=0) + 1
    for label, value in rows:
        if isinstance(value, list):
            lines.append(f"  {label}:")
            lines.extend(f"    - {item}" for item in value)
        elif "\n" in value:
            lines.append(f"  {label}:")
            lines.extend(f"    {line}" for line in value.splitlines())
        else:
            shown = paint(value, severity) if severity and label == severity_label else value
            lines.append(f"  {label}:{' ' * (width - _display_width(label))}{shown}")
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


STACK_BELOW = 80  # terminal columns: narrower terminals get stacked layouts instead of panels and tables


def _multiline_width(value: str) -> int:
    return max((_display_width(line) for line in value.splitlines()), default=0)


def print_card(console: Console, heading: str, rows: Rows, severity: str, severity_label: str | None = None) -> None:
    """A card on a terminal: a panel with a label/value grid, its border (and the severity row) in the
    severity's colour. The heading wraps instead of being cut; multi-line values (an example
    response) are printed verbatim, never wrapped: when they do not fit the panel, or the terminal
    is narrower than STACK_BELOW, the card is stacked (heading, grid, verbatim blocks) without a border."""
    from rich import box
    from rich.console import Group
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text as RichText

    style = SEVERITY_STYLE.get(severity, "")
    label_width = max((_display_width(label) for label, _ in rows), default=0)

    def grid_of(chunk: Rows) -> Table:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True, min_width=label_width)
        grid.add_column(overflow="fold")
        for label, value in chunk:
            if isinstance(value, list):
                cell = RichText("\n".join(f"• {item}" for item in value))
            else:
                cell = RichText(value, style=style if label == severity_label else "")
            grid.add_row(RichText(label), cell)
        return grid

    blocks = [value for _, value in rows if isinstance(value, str) and "\n" in value]
    room = console.width - 4 - label_width - 2  # borders and padding, the label column and its gap
    if console.width >= STACK_BELOW and all(_multiline_width(block) <= room for block in blocks):
        body: Any = grid_of(rows)
        if _display_width(heading) + 6 <= console.width:
            title = RichText(heading, style="bold")
            console.print(Panel(body, title=title, title_align="left", box=box.ROUNDED, border_style=style))
            return
        body = Group(RichText(heading, style="bold"), body)
        console.print(Panel(body, box=box.ROUNDED, border_style=style))
        return
    console.print(RichText(heading, style=f"bold {style}".strip()))
    chunk: Rows = []
    for label, value in [*rows, ("", "\n")]:
        if not (isinstance(value, str) and "\n" in value):
            chunk.append((label, value))
            continue
        if chunk:
            console.print(Padding(grid_of(chunk), (0, 0, 0, 2), expand=False))
            chunk = []
        if label:
            console.print(RichText(f"  {label}", style="bold"))
            for line in value.splitlines():
                console.print(RichText(f"    {line}"), soft_wrap=True)
    console.print()


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
            print_card(console, heading, rows, entry.severity or "", LABELS[lang]["severity"])
    elif out.format == "markdown":
        out.write("".join(markdown_rows(heading, rows) for heading, rows, _ in cards))
    else:
        out.write("\n".join(plain_rows(heading, rows, out, entry.severity) for heading, rows, entry in cards))


def _heading_line(text: str, out: Output) -> None:
    if out.format == "markdown":
        out.write(f"## {text}\n\n")
    elif out.format == "table":
        from rich.text import Text as RichText

        out.console().print(RichText(text, style="bold"))
    else:
        out.write(out.paint(text, "heading") + "\n")


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
            _heading_line(lookup_summary(result, out.lang), out)
        print_entries(result.matches, cs, out)
        if result.by_status:
            if not out.brief and result.matches:
                _heading_line(phrase(out.lang, "returned_with", query=safe(result.query)), out)
            print_entries(result.by_status, cs, out)


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
    names = ", ".join(f"{safe(e.catalog)}:{safe(str(e.code))} ({_t(e.title, lang)})" for e in result.suggestions)
    return message, f"nearest: {names}"


def print_search(result: SearchResult, cs: CatalogSet, out: Output, as_lookup: bool = False) -> None:
    """``as_lookup``: a lookup answered by search keeps the lookup's JSON shape (``matches``, and
    ``"searched": true``), so ``jq .matches`` works whatever the query was."""
    if out.format in ("json", "yaml"):
        hits = [entry_dict(h.entry) | {"score": h.score} for h in result.hits]
        doc: dict[str, Any] = {"query": result.query, "results": hits}
        if as_lookup:
            from errcli.model import SCHEMA_VERSION

            doc = {"schema_version": SCHEMA_VERSION, "query": result.query, "searched": True, "matches": hits}
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
            severity_word(h.entry.severity, out.lang),
            f"{h.score:.0f}",
        )
        for h in result.hits
    ]
    headers = headers_of(("catalog", "code", "title", "severity", "score"), out.lang)
    roles: tuple[Role, ...] = ("key", "key", "text", "short", "short")
    highlight = (2, _highlight_terms(result.query)) if out.format == "table" else None
    print_table(headers, rows, out, severity_col=3, roles=roles, highlight=highlight)


def _highlight_terms(query: str) -> list[str]:
    from errcli.search import normalize

    return [w for w in normalize(query).split() if len(w) > 1 or not w.isascii()]


# A column's role in a terminal layout: ``key`` (catalog ids, codes, counts, line numbers) and ``path``
# are never cut or wrapped; ``short`` values stay on one line; ``text`` wraps.
Role = Literal["key", "short", "text", "path"]


def _print_rich_table(
    console: Console,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    roles: Sequence[Role],
    severity_col: int | None = None,
    highlight: tuple[int, list[str]] | None = None,
) -> None:
    """A table on a terminal: empty columns dropped; stacked when the keys and paths do not fit."""
    from rich import box
    from rich.table import Table
    from rich.text import Text as RichText

    keep = [i for i in range(len(headers)) if not rows or any(row[i] for row in rows)]
    headers, roles = [headers[i] for i in keep], [roles[i] for i in keep]
    rows = [[row[i] for i in keep] for row in rows]
    severity_col = keep.index(severity_col) if severity_col in keep else None
    if highlight is not None:
        highlight = (keep.index(highlight[0]), highlight[1]) if highlight[0] in keep else None

    def cell(i: int, value: str) -> RichText:
        text = RichText(value, style=_SEVERITY_STYLE_OF_WORD.get(value, "") if i == severity_col else "")
        if highlight is not None and i == highlight[0]:
            text.highlight_words(highlight[1], style="bold magenta", case_sensitive=False)
        return text

    widths = [max([_display_width(h), *(_display_width(row[i]) for row in rows)]) for i, h in enumerate(headers)]
    need = sum(min(w, 12) if role == "text" else w for w, role in zip(widths, roles, strict=True)) + 3 * len(widths) + 1
    if console.width >= STACK_BELOW and need <= console.width:
        table = Table(box=box.SIMPLE_HEAD, header_style="bold")
        for header, role, w in zip(headers, roles, widths, strict=True):
            if role == "text":
                table.add_column(header, overflow="fold")
            else:
                table.add_column(header, no_wrap=True, min_width=w)
        for row in rows:
            table.add_row(*(cell(i, v) for i, v in enumerate(row)))
        console.print(table)
        return
    _print_stacked(console, headers, rows, roles, widths, cell)


def _print_stacked(
    console: Console,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    roles: Sequence[Role],
    widths: Sequence[int],
    cell: Any,
) -> None:
    """A narrow terminal's table: each row's keys (and short values, when they fit) on one aligned line,
    the rest indented below it, text wrapped, paths whole."""
    from rich.padding import Padding
    from rich.text import Text as RichText

    keys = [i for i, role in enumerate(roles) if role == "key"]
    shorts = [i for i, role in enumerate(roles) if role == "short"]
    below = [i for i, role in enumerate(roles) if role in ("text", "path")]
    inline = sum(widths[i] + 2 for i in keys + shorts) - 2 <= console.width
    lines = [keys + shorts] if inline else [keys, shorts]

    def line_of(cells: Sequence[RichText], columns: list[int], indent: str) -> RichText:
        out = RichText(indent)
        for n, (i, text) in enumerate(zip(columns, cells, strict=True)):
            out.append_text(text)
            if n < len(columns) - 1:
                out.append(" " * (widths[i] - text.cell_len + 2))
        out.rstrip()
        return out

    def print_row(values: Sequence[str], make: Any, style: str = "") -> None:
        for n, columns in enumerate(lines):
            if columns:
                text = line_of([make(i, values[i]) for i in columns], columns, "    " if n else "")
                text.stylize(style)
                console.print(text, soft_wrap=True)
        for i in below:
            if not values[i]:
                continue
            text = make(i, values[i])
            text.stylize(style)
            longest = max((_display_width(word) for word in values[i].split()), default=0)
            if roles[i] == "path" or longest > console.width - 4:  # whole, never folded (a path in an error)
                console.print(RichText("    ").append_text(text), soft_wrap=True)
            else:
                console.print(Padding(text, (0, 0, 0, 4), expand=False))

    print_row(headers, lambda _, v: RichText(v), "bold")
    for row in rows:
        print_row(row, cell)


def _print_rows(headers: Sequence[str], rows: Sequence[Sequence[str]], out: Output) -> None:
    if out.format == "markdown":
        out.write("| " + " | ".join(headers) + " |\n|" + "---|" * len(headers) + "\n")
        for row in rows:
            out.write("| " + " | ".join(v.replace("|", "\\|") for v in row) + " |\n")
        out.write("\n")  # a table ends at a blank line, before any text after it
        return
    widths = [max([_display_width(h), *(_display_width(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        padded = (v + " " * (w - _display_width(v)) for v, w in zip(cells, widths, strict=True))
        return "  ".join(padded).rstrip()

    lines = [out.paint(line(headers), "header"), *(line(r) for r in rows)]
    out.write("\n".join(lines) + "\n")


def print_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    out: Output,
    severity_col: int | None = None,
    roles: Sequence[Role] | None = None,
    highlight: tuple[int, list[str]] | None = None,
) -> None:
    """``roles`` say which columns must never be cut on a terminal (default: the first two are keys)."""
    if out.format == "table":
        if roles is None:
            key: Role = "key"
            text: Role = "text"
            roles = [key if i < 2 else text for i in range(len(headers))]
        _print_rich_table(out.console(), headers, rows, roles, severity_col, highlight)
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
            severity_word(e.severity, out.lang),
            LABELS[out.lang]["yes" if e.retryable else "no"],
            _t(e.title, out.lang),
        )
        for e in entries
    ]
    headers = headers_of(("catalog", "code", "http", "severity", "retryable", "title"), out.lang)
    print_table(headers, rows, out, severity_col=3, roles=("key", "key", "short", "short", "short", "text"))


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


def _where(path: str, lang: Lang = "en") -> str:
    """Bundled catalogs by name (their folder is an install detail; JSON has the full path)."""
    from pathlib import Path

    from errcli.catalog import bundled_dir

    file = Path(path)
    return f"{LABELS[lang]['bundled']}: {file.name}" if file.parent == bundled_dir() else path


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
            safe(_where(c.path, out.lang)),
        )
        for c in cs.catalogs
    ]
    rows.extend(("(broken)", safe(p.error), "0", "-", "-", safe(p.path)) for p in cs.problems)
    headers = headers_of(("id", "name", "entries", "version", "source", "path"), out.lang)
    print_table(headers, rows, out, roles=("key", "text", "key", "short", "text", "path"))


def print_validate(report: Sequence[tuple[str, Sequence[str], int]], out: Output) -> None:
    """``report`` is (path, the file's problems, entry count) per file; no problems: valid."""
    if out.format in ("json", "yaml"):
        files = [
            {
                "path": path,
                "valid": not errors,
                "error": errors[0] if errors else None,
                "errors": list(errors),
                "entries": count,
            }
            for path, errors, count in report
        ]
        doc = {"files": files}
        out.write(dumps_json(doc) + "\n" if out.format == "json" else dumps_yaml(doc))
        return
    for path, errors, count in report:
        lines = [safe(e) for e in errors] if errors else [f"{safe(path)}: ok, {count} entries"]
        out.write("".join(f"{line}\n" for line in lines))


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


def action_label(action: Action, lang: Lang) -> str:
    words = _ACTION_WORDS[lang]
    text = words[action.kind].format(seconds=action.seconds)
    if action.fallback_seconds is not None:
        text += words["fallback"].format(seconds=action.fallback_seconds)
    if action.source:
        text += f" [{safe(words.get(action.source, action.source))}]"
    if action.advice:
        text += f" — {_t(action.advice, lang)}"
    return text


def brief_action(action: Action) -> str:
    """The action as ``--brief`` shows it: its kind, and the wait."""
    return f"wait {action.seconds} s" if action.kind == "wait" and action.seconds is not None else action.kind


def _explained_heading(error: ExplainedError, lang: Lang) -> str:
    where = f"{error.line}" + (f"-{error.end_line}" if error.end_line > error.line else "")
    if error.entry is not None:
        what = _heading(error.entry, lang)
    else:
        code = (
            phrase(lang, "no_code") if error.code is None else phrase(lang, "unknown_code", code=safe(str(error.code)))
        )
        what = f"{code}" + (f" (HTTP {error.http_status})" if error.http_status else "")
    return phrase(lang, "at_line", where=where, what=what, confidence=error.confidence)


def explained_rows(error: ExplainedError, cs: CatalogSet, lang: Lang) -> Rows:
    from errcli.reasons import describe

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
        rows.append((label, [f"{safe(e.catalog)}:{safe(str(e.code))} {_t(e.title, lang)}" for e in error.alternatives]))
    return rows


def print_explained(error: ExplainedError, cs: CatalogSet, out: Output) -> None:
    """One error as it is found (explain streams: flushed at once)."""
    if out.brief:
        code = f"{safe(error.catalog or '?')}:{safe(str(error.code))}"
        title = _t(error.entry.title, out.lang) if error.entry else LABELS[out.lang]["unknown"]
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


def _cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` terminal columns, an ellipsis marking a cut."""
    if _display_width(text) <= width:
        return text
    kept, used = [], 0
    for char in text:
        used += _display_width(char)
        if used > width - 1:
            break
        kept.append(char)
    return "".join(kept) + "…"


def explain_footer(
    errors: int,
    unknown: int,
    not_errors: int,
    unparsed: int,
    unparsed_lines: Sequence[int],
    verbose: bool,
    out: Output | None = None,
    unparsed_texts: Sequence[bytes] = (),
) -> str:
    """The counts after explain's output; with ``verbose`` the unparsed lines themselves (escaped,
    each cut to the terminal's width)."""
    lang: Lang = out.lang if out is not None else "en"
    parts = [phrase(lang, "errors", errors, n=errors)]
    if errors:
        parts[0] += phrase(lang, "identified", known=errors - unknown, unknown=unknown)
    parts.append(phrase(lang, "not_errors", not_errors, n=not_errors))
    parts.append(phrase(lang, "unparsed", unparsed, n=unparsed))
    width = out.console().width if out is not None and out.format != "markdown" else 100
    line = " · ".join(parts)
    if out is not None and out.format == "table" and _display_width(line) > width:  # wrap between the counts
        line = " ·\n".join(parts)
    if unparsed and verbose:
        markdown = out is not None and out.format == "markdown"
        indent = "    " if markdown else "  "  # Markdown: an indented code block, shown literally
        shown = []
        for i, number in enumerate(unparsed_lines):
            data = unparsed_texts[i] if i < len(unparsed_texts) else b""
            text = safe(data.decode("utf-8", "replace").rstrip("\r\n"))
            shown.append(_cut(f"{indent}{number}: {text}".rstrip(), max(width, 20)))
        if unparsed > len(unparsed_lines):
            shown.append(indent + phrase(lang, "more", n=unparsed - len(unparsed_lines)))
        gap = "\n\n" if markdown else "\n"
        line += gap + phrase(lang, "unparsed_list") + gap + "\n".join(shown)
    elif unparsed:
        line += phrase(lang, "verbose_hint")
    return line + "\n"


def print_summary(report: SummaryReport, out: Output, verbose: bool, unparsed_texts: Sequence[bytes] = ()) -> None:
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
            _t(row.entry.title, out.lang) if row.entry else LABELS[out.lang]["unknown"],
            severity_word(row.entry.severity, out.lang) if row.entry else "",
            str(row.count),
            str(row.first_line),
            str(row.last_line),
            "█" * max(1, round(20 * row.count / top)),
        )
        for row in report.rows
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
