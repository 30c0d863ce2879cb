"""One entry as a card: its rows in display order, laid out as plain text, Markdown or a rich panel."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from errcli._text import safe
from errcli.model import Catalog, Entry, Lang
from errcli.output.console import Output
from errcli.output.words import (
    LABELS,
    SEVERITY_STYLE,
    STACK_BELOW,
    Catalogs,
    Rows,
    code_label,
    display_width,
    severity_word,
    text_of,
)

if TYPE_CHECKING:
    from rich.console import Console


def _category_label(entry: Entry, catalog: Catalog | None, lang: Lang) -> str:
    cat = catalog.category(entry.category) if catalog else None
    if cat is None:
        return safe(entry.category or "")
    label = text_of(cat.title, lang)
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
        parts.append(text_of(entry.retry_advice, lang))
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
        rows.append((words["other"], text_of(entry.title, other)))
    if entry.description:
        rows.append((words["description"], text_of(entry.description, lang)))
    for key, texts in (("causes", entry.causes), ("fixes", entry.fixes), ("limits", entry.limits)):
        if texts:
            rows.append((words[key], [text_of(t, lang) for t in texts]))
    for context in entry.contexts:
        summary = text_of(context.title or context.description, lang)
        rows.append((words["contexts"], f"{text_of(context.name, lang)}: {summary}"))
    if entry.details:
        rows.append((words["details"], [f"{safe(d.field)}: {text_of(d.meaning, lang)}" for d in entry.details]))
    if entry.headers:
        rows.append((words["headers"], ", ".join(safe(h) for h in entry.headers)))
    if entry.examples:
        rows.append((words["example"], safe(entry.examples[0], multiline=True)))
    return rows


def entry_heading(entry: Entry, lang: Lang) -> str:
    return f"{safe(entry.catalog)} {code_label(entry)} — {text_of(entry.title, lang)}"


def _brief_line(entry: Entry, lang: Lang) -> str:
    return f"{safe(entry.catalog)}:{safe(str(entry.code))}\t{entry.severity}\t{text_of(entry.title, lang)}"


def plain_rows(heading: str, rows: Rows, out: Output | None = None, severity: str | None = None) -> str:
    """A heading and aligned ``label: value`` lines; lists as bullets, multi-line values indented
    (coloured when ``out`` colours the plain layout: the heading, and the severity by its level)."""
    paint = out.paint if out is not None else (lambda text, _role: text)
    lines = [paint(heading, "heading")]
    severity_label = LABELS[out.lang]["severity"] if out is not None else None
    width = max((display_width(label) for label, _ in rows), default=0) + 1
    for label, value in rows:
        if isinstance(value, list):
            lines.append(f"  {label}:")
            lines.extend(f"    - {item}" for item in value)
        elif "\n" in value:
            lines.append(f"  {label}:")
            lines.extend(f"    {line}" for line in value.splitlines())
        else:
            shown = paint(value, severity) if severity and label == severity_label else value
            lines.append(f"  {label}:{' ' * (width - display_width(label))}{shown}")
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


def _multiline_width(value: str) -> int:
    return max((display_width(line) for line in value.splitlines()), default=0)


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
    label_width = max((display_width(label) for label, _ in rows), default=0)

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
        if display_width(heading) + 6 <= console.width:
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


def print_entries(entries: Sequence[Entry], cs: Catalogs, out: Output) -> None:
    if out.brief:
        for entry in entries:
            out.write(_brief_line(entry, out.lang) + "\n")
        return
    lang = out.lang
    cards = [(entry_heading(entry, lang), card_rows(entry, cs.get(entry.catalog), lang), entry) for entry in entries]
    if out.format == "table":
        console = out.console()
        for heading, rows, entry in cards:
            print_card(console, heading, rows, entry.severity or "", LABELS[lang]["severity"])
    elif out.format == "markdown":
        out.write("".join(markdown_rows(heading, rows) for heading, rows, _ in cards))
    else:
        out.write("\n".join(plain_rows(heading, rows, out, entry.severity) for heading, rows, entry in cards))


def heading_line(text: str, out: Output) -> None:
    if out.format == "markdown":
        out.write(f"## {text}\n\n")
    elif out.format == "table":
        from rich.text import Text as RichText

        out.console().print(RichText(text, style="bold"))
    else:
        out.write(out.paint(text, "heading") + "\n")
