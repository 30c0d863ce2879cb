"""Rows as a table: aligned plain text, Markdown, or on a terminal a rich table (stacked when narrow)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from errcli.output.console import Output
from errcli.output.words import SEVERITY_STYLE_OF_WORD, STACK_BELOW, Role, display_width

if TYPE_CHECKING:
    from rich.console import Console


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
        text = RichText(value, style=SEVERITY_STYLE_OF_WORD.get(value, "") if i == severity_col else "")
        if highlight is not None and i == highlight[0]:
            text.highlight_words(highlight[1], style="bold magenta", case_sensitive=False)
        return text

    widths = [max([display_width(h), *(display_width(row[i]) for row in rows)]) for i, h in enumerate(headers)]
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
            longest = max((display_width(word) for word in values[i].split()), default=0)
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
    widths = [max([display_width(h), *(display_width(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        padded = (v + " " * (w - display_width(v)) for v, w in zip(cells, widths, strict=True))
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
