"""Tables of codes: pipe tables and plain-text ones, their column roles (zh or en headers) and their cells."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from errcli.importer.codes import (
    CELL_CODE,
    CODE_RE,
    IDENTIFIER,
    KEBAB,
    ONE_CODE_RE,
    RANGE_SPAN,
    RANGE_XXX,
    WORDLIKE,
    bool_of,
    code_value,
    http_of,
    range_of,
    severity_of,
)
from errcli.importer.inline import clean_title, strip_md, unquote
from errcli.importer.records import Record
from errcli.importer.vocabulary import (
    CONTAINS,
    EMPTY_CELL,
    HEADER_OF,
    HEADER_RUN,
    HEADER_WORD,
    WEAK_CODE_HEADERS,
    norm,
    severity_tail,
)
from errcli.model import Code

CategoryRow = tuple[int, int, str, str | None]  # low, high, title, description
_COLUMN_GAP = re.compile(r"\t+|\s{2,}")  # between the columns of a plain-text table


def _columns(text: str) -> list[str]:
    return [c for c in _COLUMN_GAP.split(text) if c]


class Loose(NamedTuple):
    """A plain-text table: columns split by tabs/spaces, or flattened together under a known header."""

    roles: tuple[str, ...]
    flat: bool

    def split(self, text: str) -> tuple[tuple[str, ...], list[str]] | None:
        """A row's roles and cells, or None when the line is no row of this table."""
        if not self.flat:
            cells = _columns(text)
            return (self.roles, cells) if len(cells) >= 2 else None
        m = re.match(rf"^({CODE_RE})(?=[^\w]|[\u3400-\u9fff])\s*(.+)$", text)
        if not m:
            return None
        code, title = m.group(1), m.group(2)
        if "severity" in self.roles and (tail := title[(start := severity_tail(title)) :].strip()):
            return ("code", "title", "severity"), [code, title[:start].strip(), tail]
        return ("code", "title"), [code, title]


def range_row(text: str) -> CategoryRow | None:
    """A row of a plain-text table of code ranges: ``1000-1999  风控错误``."""
    m = re.match(r"^(-?\d{1,7})\s*[-–—~～]\s*(-?\d{1,7})\s*[|\t]?\s*(.+)$", text)
    return (int(m.group(1)), int(m.group(2)), strip_md(m.group(3)), None) if m else None


def category_rows(rows: Sequence[tuple[int, Sequence[str]]], header: Sequence[str]) -> list[CategoryRow]:
    """The ranges of a pipe table of categories (``| 范围 | 分类 | 说明 |``)."""
    roles = roles_loose(header)
    found = []
    for _line, cells in rows:
        values = dict(zip(roles, cells, strict=False))
        span = range_of(values.get("range", ""))
        title = strip_md(values.get("category") or values.get("title") or "")
        if span and title:
            found.append((span[1], span[2], title, strip_md(values.get("description") or "") or None))
    return found


def table_records(
    roles: tuple[str, ...],
    cells: Sequence[str],
    line: int,
    block: int,
    group: str | None,
    category_of: Callable[[str], str],
) -> list[Record]:
    """The records of one table row (one per code of its code cell; none when it has no code)."""
    values: dict[str, str] = {}
    for role, cell in zip(roles, cells, strict=False):
        if role and role not in values:
            values[role] = cell.strip()
    raw_code = unquote(strip_md(values.get("code", "")))
    codes, rest = cell_codes(raw_code)
    if not codes:
        return []
    title = clean_cell(values.get("title", "")) or rest or None
    description = clean_cell(values.get("description", ""))
    symbol = unquote(strip_md(values.get("symbol", ""))) or None
    if title and not symbol and IDENTIFIER.fullmatch(title) and str(codes[0]) != title:
        symbol, title = title, None  # a "Name" column of constants: INSUFFICIENT_FUNDS
    if not title and description:
        title, description = description, ""
    http = http_of(values.get("http", ""))
    status_table = "_status" in roles
    records = []
    for code in codes:
        record = Record(code=code, line=line, kind="table", block=block, multi=len(codes) > 1)
        record.title = clean_title(title) if title else None
        record.symbol = symbol if symbol and symbol != str(code) else None
        record.description = [description] if description else []
        record.causes = cell_items(values.get("causes", ""), split_enumeration=True)
        record.fixes = cell_items(values.get("fixes", ""))
        if http is not None:
            record.http_status = http
        elif status_table and isinstance(code, int) and 100 <= code <= 599:
            record.http_status = code  # a table of HTTP status codes
        record.severity = severity_of(values["severity"]) if values.get("severity") else None
        record.retryable = bool_of(values["retryable"]) if values.get("retryable") else None
        category = strip_md(values.get("category", ""))
        if category and category not in EMPTY_CELL:
            record.category = category_of(category)
        record.group = group
        records.append(record)
    return records


def aligned(text: str) -> bool:
    """``10001  Invalid parameter``: a code, a tab or a run of spaces, words."""
    m = re.match(r"^(\S+)(?:\t+|\s{2,})\S", text)
    return bool(m and ONE_CODE_RE.fullmatch(m.group(1)) and not WORDLIKE.fullmatch(m.group(1)))


def clean_cell(cell: str) -> str:
    text = strip_md(cell.replace("<br>", "; "))
    return "" if text.lower() in EMPTY_CELL else text


def cell_items(cell: str, split_enumeration: bool = False) -> list[str]:
    """A table cell or inline value as list items: split on <br>, ; and (for causes) 、."""
    if not cell.strip():
        return []
    parts = re.split(r"<br\s*/?>", cell)
    if split_enumeration:  # causes: "参数错误、业务逻辑违规", "a; b"
        parts = [p for part in parts for p in re.split(r"[、;；]\s*", part)]
    items = [strip_md(p) for p in parts]
    return [i for i in items if i and i.lower() not in EMPTY_CELL]


def cell_codes(cell: str) -> tuple[list[Code], str]:
    """The codes in a code cell (``1001``, ``4003 / 4004``, ``400 Bad Request``) and any words after them."""
    cell = cell.replace("`", "").strip()
    if not cell or cell.lower() in EMPTY_CELL or RANGE_SPAN.fullmatch(cell) or RANGE_XXX.fullmatch(cell):
        return [], ""
    if m := re.fullmatch(r"(-\d{1,9})(?:\s+[-–—:：]?\s*(.+))?", cell):
        return [code_value(m.group(1))], (m.group(2) or "").strip()
    parts = [p.strip() for p in re.split(r"\s*(?:/|,|、|\bor\b)\s*", cell) if p.strip()]
    if len(parts) > 1 and all(CELL_CODE.fullmatch(p) and _codeish(p) for p in parts):
        return [code_value(p) for p in parts], ""
    m = re.match(r"^([A-Za-z0-9][A-Za-z0-9_.:\-]{0,63})(?:\s+[-–—:：]?\s*(.+))?$", cell)
    if not m or not _codeish(m.group(1)):
        return [], ""
    return [code_value(m.group(1))], (m.group(2) or "").strip()


def _codeish(token: str) -> bool:
    """A table's code cell: a number, ``E1001``, ``UPPER_SNAKE``, ``lower_snake``, ``kebab-case``, ``CONSTANT``."""
    return bool(
        ONE_CODE_RE.fullmatch(token)
        or KEBAB.fullmatch(token)
        or re.search(r"\d", token)
        or (token.isupper() and len(token) >= 2)
        or IDENTIFIER.fullmatch(token)
    )


def _header_role(header: str) -> str | None:
    word = norm(strip_md(header))
    if not word:
        return None
    if word in HEADER_OF:
        return HEADER_OF[word]
    for role, needles in CONTAINS:
        if any(n in word for n in needles):
            return role
    return None


def roles_loose(header: Sequence[str]) -> tuple[str, ...]:
    return tuple(_header_role(h) or "" for h in header)


def roles_of(header: Sequence[str]) -> tuple[str, ...] | None:
    """Column roles of a code table, or None when the table lists no codes."""
    roles = list(roles_loose(header))
    if "code" not in roles and "status" in roles:
        roles[roles.index("status")] = "code"
        roles.append("_status")
    elif "status" in roles:
        roles[roles.index("status")] = "http"
    if "code" not in roles and "symbol" in roles:
        roles[roles.index("symbol")] = "code"
    if "code" not in roles:  # "| Error | Description |", "| HTTP Status Code | Meaning |"
        for i, title in enumerate(header):
            if norm(strip_md(title)) in WEAK_CODE_HEADERS:
                roles[i] = "code"
                break
        else:
            if "http" in roles:
                roles[roles.index("http")] = "code"
                roles.append("_status")
    if roles.count("code") > 1:  # e.g. "Code | Error code": the first is the code, a later one the symbol
        roles[roles.index("code", roles.index("code") + 1)] = "symbol"
    if "code" not in roles:
        return None
    if roles.count("title") > 1 and "description" not in roles:  # "Name | Meaning": the second one describes
        roles[roles.index("title", roles.index("title") + 1)] = "description"
    if "title" not in roles and "description" in roles:
        roles[roles.index("description")] = "title"
    useful = {"title", "description", "causes", "fixes", "severity", "http", "symbol", "retryable"}
    if not useful & set(roles):
        return None
    return tuple(roles)


def loose_header(text: str) -> tuple[tuple[str, ...], bool] | None:
    """A plain-text table header: cells split by tabs/spaces, or known header words run together."""
    cells = _columns(text.strip())
    if len(cells) >= 2:
        if any(len(c) > 40 or re.search(r"[=(){}\[\];#<>]", c) for c in cells):
            return None
        roles = roles_of(cells)
        if roles is not None:
            return tuple(r for r in roles if r != "_status"), False
        loose = roles_loose(cells)
        if "range" in loose and ("title" in loose or "category" in loose):
            return loose, False
        return None
    word = norm(text)
    if len(word) > 24 or not word or not HEADER_RUN.fullmatch(word):
        return None
    roles_found = [HEADER_OF[w] for w in HEADER_WORD.findall(word)]
    if len(roles_found) < 2 or "".join(HEADER_WORD.findall(word)) != word:
        return None
    if roles_found[0] == "range":
        return tuple(roles_found), True
    if roles_found[0] in ("code", "status") and len(set(roles_found)) == len(roles_found):
        return tuple(roles_found), True
    return None
