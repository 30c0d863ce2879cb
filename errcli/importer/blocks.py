"""A document's lines as blocks: fenced and unfenced code or JSON, pipe tables, headings, plain lines."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple


class Line(NamedTuple):
    line: int
    text: str


class Heading(NamedTuple):
    line: int
    level: int
    text: str


class Table(NamedTuple):
    line: int
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]


class CodeBlock(NamedTuple):
    """A fenced block, or JSON standing alone (``json``: an example response)."""

    line: int
    body: str
    json: bool


Block = Line | Heading | Table | CodeBlock

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})\s*([\w+#.-]*)")
_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*)$")  # the closing #s are stripped after (linear time)
# a table's separator row, matched on the stripped line: no two adjacent runs of spaces (linear time)
_TABLE_SEP = re.compile(r"\|?\s*:?-{2,}:?\s*(?:\|\s*:?-+:?\s*)*\|?")


def _is_table_sep(text: str) -> bool:
    return _TABLE_SEP.fullmatch(text.strip()) is not None


_JSON_KEY = re.compile(r'^\s*"[^"\n]{1,80}"\s*:')


def _split_row(line: str) -> tuple[str, ...]:
    line = line.strip()
    line = line.removeprefix("|")
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    return tuple(c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line))


def _json_end(lines: Sequence[tuple[int, str]], start: int) -> int | None:
    """Where a JSON value starting at ``lines[start]`` ends (exclusive), or None."""
    depth = 0
    in_string = escape = False
    for i in range(start, min(len(lines), start + 400)):
        for char in lines[i][1]:
            if in_string:
                if escape:
                    escape = False
                elif char == "\\":
                    escape = True
                elif char == '"':
                    in_string = False
            elif char == '"':
                in_string = True
            elif char in "{[":
                depth += 1
            elif char in "}]":
                depth -= 1
                if depth == 0:
                    return i + 1
        in_string = False  # a string never spans lines in JSON
    return None


def _looks_json(body: str) -> bool:
    if json_value(body) is not None:
        return True
    lines = [x for x in body.splitlines()[1:-1] if x.strip()]
    return bool(lines) and sum(1 for x in lines if _JSON_KEY.match(x)) * 2 >= len(lines)


def json_value(body: str) -> Any:
    """The JSON in an example, also when it has ``...`` placeholders, comments or trailing commas."""
    try:
        return json.loads(body)
    except ValueError:
        pass
    cleaned = re.sub(r"(?m)\s+//[^\"\n]*$|^\s*//.*$", "", body)
    cleaned = re.sub(r"\{\s*(?:\.\.\.|…)\s*\}", "{}", cleaned)
    cleaned = re.sub(r"\[\s*(?:\.\.\.|…)\s*\]", "[]", cleaned)
    cleaned = re.sub(r"(?m)^\s*(?:\.\.\.|…),?\s*$", "", cleaned)
    cleaned = re.sub(r",(\s*[}\]])", r"\1", cleaned)
    try:
        return json.loads(cleaned)
    except ValueError:
        return None


def read_blocks(lines: Sequence[tuple[int, str]]) -> Iterator[Block]:
    """Fenced and unfenced code/JSON, pipe tables, headings; every other line as it is."""
    i, n = 0, len(lines)
    while i < n:
        number, text = lines[i]
        if m := _FENCE.match(text):
            fence, lang = m.group(1), m.group(2).lower()
            j = i + 1
            while j < n and not lines[j][1].strip().startswith(fence[:3] if fence[0] == "`" else fence):
                j += 1
            body_lines = [t for _, t in lines[i + 1 : j]]
            indent = min((len(t) - len(t.lstrip()) for t in body_lines if t.strip()), default=0)
            body = "\n".join(t[indent:] for t in body_lines).strip("\n")
            is_json = lang in ("json", "jsonc", "json5") or (
                lang in ("", "text", "javascript", "js") and body.lstrip().startswith(("{", "[")) and _looks_json(body)
            )
            yield CodeBlock(number, body, is_json)
            i = j + 1
            continue
        if "|" in text and i + 1 < n and _is_table_sep(lines[i + 1][1]) and "-" in lines[i + 1][1]:
            header = _split_row(text)
            rows: list[tuple[int, tuple[str, ...]]] = []
            j = i + 2
            while j < n and "|" in lines[j][1] and lines[j][1].strip():
                rows.append((lines[j][0], _split_row(lines[j][1])))
                j += 1
            yield Table(number, header, tuple(rows))
            i = j
            continue
        if m := _ATX.match(text):
            yield Heading(number, len(m.group(1)), m.group(2).rstrip().rstrip("#").rstrip())
            i += 1
            continue
        if (
            i + 1 < n
            and text.strip()
            and re.fullmatch(r"\s*(=+|-+)\s*", lines[i + 1][1])
            and len(lines[i + 1][1].strip()) >= 3
            and not _is_table_sep(text)
            and len(text.strip()) <= 80
        ):
            yield Heading(number, 1 if "=" in lines[i + 1][1] else 2, text.strip())
            i += 2
            continue
        stripped = text.strip()
        if stripped.startswith(("{", "[")) and (end := _json_end(lines, i)) is not None:
            body = "\n".join(t for _, t in lines[i:end])
            if _looks_json(body):
                yield CodeBlock(number, body, True)
                i = end
                continue
        yield Line(number, text)
        i += 1
