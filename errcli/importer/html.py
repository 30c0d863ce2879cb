"""HTML documents: told from text, and read as the lines the text reader understands (stdlib HTMLParser)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


class _HtmlLines(HTMLParser):
    """HTML as the lines the text reader understands: ``#`` headings, pipe tables, fenced ``<pre>``, items."""

    _BLOCKS = frozenset(
        {
            "p", "div", "section", "article", "header", "footer", "main", "aside", "blockquote", "hr", "ul", "ol",
            "dl", "tbody", "thead", "tfoot", "figure", "figcaption", "nav", "form", "details", "summary", "caption",
        }
    )  # fmt: skip
    _SKIP = frozenset({"script", "style", "template", "noscript", "svg"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[int, str]] = []
        self.title = ""
        self._buf: list[str] = []
        self._buf_line = 1
        self._prefix = ""
        self._skip = 0
        self._in_title = False
        self._pre: list[str] | None = None
        self._pre_lang = ""
        self._pre_line = 1
        self._tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self._table_line = 1
        self._lists: list[str] = []

    def _emit(self, text: str, line: int) -> None:
        self.lines.append((line, text))

    def _flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self._buf)).strip()
        if text:
            self._emit(self._prefix + text, self._buf_line)
        self._buf = []
        self._prefix = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if tag in self._SKIP:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif self._skip:
            return
        elif tag == "pre":
            self._flush()
            self._pre, self._pre_line = [], line
            self._pre_lang = _lang_class(attrs)
        elif tag == "code" and self._pre is not None:
            self._pre_lang = self._pre_lang or _lang_class(attrs)
        elif self._pre is not None:
            return
        elif tag == "table":
            if self._cell is not None:  # a table in a cell: its text joins the cell
                return
            self._flush()
            self._tables.append([])
            self._table_line = line
        elif tag == "tr" and self._tables and self._cell is None:
            self._tables[-1].append([])
        elif tag in ("td", "th") and self._tables and self._cell is None:
            if not self._tables[-1]:
                self._tables[-1].append([])
            self._cell = []
        elif tag == "br":
            if self._cell is not None:
                self._cell.append("<br>")
            else:
                self._flush()
        elif self._cell is not None:
            return
        elif tag in _HEADINGS:
            self._flush()
            self._prefix, self._buf_line = "#" * int(tag[1]) + " ", line
        elif tag in ("ul", "ol"):
            self._flush()
            self._lists.append(tag)
        elif tag == "li":
            self._flush()
            self._prefix, self._buf_line = ("1. " if self._lists[-1:] == ["ol"] else "- "), line
        elif tag == "dt":
            self._flush()
            self._prefix, self._buf_line = "###### ", line
        elif tag == "dd" or tag in self._BLOCKS:
            self._flush()
            self._buf_line = line

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
        elif self._skip:
            return
        elif tag == "pre" and self._pre is not None:
            body = "".join(self._pre).strip("\n")
            self._emit("```" + self._pre_lang, self._pre_line)
            for i, text in enumerate(body.split("\n")):
                self._emit(text, self._pre_line + i)
            self._emit("```", self._pre_line)
            self._pre = None
        elif self._pre is not None:
            return
        elif tag in ("td", "th") and self._cell is not None and self._tables:
            text = re.sub(r"\s+", " ", "".join(self._cell)).strip().replace("|", "\\|")
            self._tables[-1][-1].append(text)
            self._cell = None
        elif tag == "table" and self._cell is None and self._tables:
            self._emit_table(self._tables.pop())
        elif self._cell is not None:
            return
        elif tag in ("ul", "ol") and self._lists:
            self._flush()
            self._lists.pop()
        elif tag in _HEADINGS or tag in ("li", "dt", "dd", "p") or tag in self._BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif self._skip:
            return
        elif self._pre is not None:
            self._pre.append(data)
        elif self._cell is not None:
            self._cell.append(data)
        else:
            if not "".join(self._buf).strip():
                self._buf_line = self.getpos()[0]
            self._buf.append(data)

    def _emit_table(self, rows: list[list[str]]) -> None:
        rows = [r for r in rows if any(c.strip() for c in r)]
        if not rows:
            return
        width = max(len(r) for r in rows)
        line = self._table_line
        for i, row in enumerate(rows):
            cells = row + [""] * (width - len(row))
            self._emit("| " + " | ".join(cells) + " |", line + i)
            if i == 0:
                self._emit("|" + "---|" * width, line)

    def close(self) -> None:
        super().close()
        self._flush()


def _lang_class(attrs: list[tuple[str, str | None]]) -> str:
    for key, value in attrs:
        if key == "class" and value and (m := re.search(r"(?:language|lang)-([\w+-]+)", value)):
            return m.group(1)
    return ""


def html_lines(text: str) -> tuple[list[tuple[int, str]], str]:
    """The page as numbered lines, and its ``<title>``."""
    parser = _HtmlLines()
    parser.feed(text)
    parser.close()
    return parser.lines, re.sub(r"\s+", " ", parser.title).strip()


def is_html(text: str, name: str) -> bool:
    """An HTML page by its name (``.html``) or its first tags."""
    if name.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    head = text.lstrip("\ufeff \t\r\n")[:4096].lower()
    return head.startswith(("<!doctype html", "<html")) or (
        head.startswith("<") and bool(re.search(r"<(table|h[1-6]|body|div|p|ul|dl)\b", head))
    )
