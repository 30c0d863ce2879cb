"""Codes in a document's text: a code line and its title, code ranges, and the values beside a code."""

from __future__ import annotations

import re
from dataclasses import dataclass

from errcli.importer.inline import strip_md
from errcli.importer.vocabulary import NO, SEVERITY_BY_LENGTH, SEVERITY_EMOJI, YES, norm
from errcli.model import Code, Severity

CODE_RE = (
    r"(?:0[xX][0-9A-Fa-f]+|-?\d{1,7}|[A-Za-z]{1,8}[-_]?\d{1,7}|[A-Z][A-Z0-9]*(?:[_.][A-Z0-9]+)+"
    r"|[a-z][a-z0-9]*(?:_[a-z0-9]+)+|[A-Z][A-Z0-9]{2,})"
)
_PREFIX_WORDS = r"(?:error\s*code|error|err|code|错误码|錯誤碼|错误代码|錯誤代碼|代码|代碼)"
_CODE_LINE = re.compile(
    rf"^(?:{_PREFIX_WORDS}(?:\s*[:：#]\s*|\s+))?(?P<codes>{CODE_RE}(?:\s*(?:/|,|、|&|\bor\b|\band\b|和|或)\s*{CODE_RE})*)"
    r"(?:\s*(?P<sep>[-–—:：|])\s*|(?P<space>\s+)|$)(?P<title>.*)$",
    re.IGNORECASE,
)
ONE_CODE_RE = re.compile(rf"{CODE_RE}")
_NUMERIC = re.compile(r"-?\d{1,7}")
_PREFIXED = re.compile(r"[A-Za-z]{1,8}[-_]?\d{1,7}")
SNAKE = re.compile(r"[A-Z][A-Z0-9]*(?:[_.][A-Z0-9]+)+")
_LOWER_SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")
WORDLIKE = re.compile(r"[A-Z][A-Z0-9]{2,}")
CELL_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:\-]{0,63}")
IDENTIFIER = re.compile(
    r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[a-z][a-z0-9]*(?:_[a-z0-9]+)+|[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+"
)
KEBAB = re.compile(r"[a-z][a-z0-9]*(?:[-.][a-z0-9]+)+")
# Ranges and statuses in titles. None starts with a run of spaces (a search would try it from every
# space of a long run) or has two runs of spaces next to each other: linear time on any text.
RANGE_XXX = re.compile(r"(?:[(（\[]\s*)?(\d)\s*([xX×*]{2,5})(?:\s*[)）\]])?\s*")
RANGE_SPAN = re.compile(r"(?:[(（\[]\s*)?(-?\d{1,7})\s*[-–—~～至到]\s*(-?\d{1,7})(?:\s*[)）\]])?\s*")
_HTTP_IN_TITLE = re.compile(r"[(（\[]\s*HTTP\s*(\d{3})\s*[)）\]]\s*$", re.IGNORECASE)
_INT = re.compile(r"-?(?:0|[1-9]\d{0,8})")


def code_value(token: str) -> Code:
    """A code as the API sends it: a number stays a number unless it has leading zeros."""
    token = token.strip()
    return int(token) if _INT.fullmatch(token) else token


@dataclass(frozen=True)
class CodeHead:
    codes: tuple[Code, ...]
    title: str | None
    http_status: int | None
    strong: bool  # recognised without looking at the lines below


def parse_code_head(text: str, heading: bool) -> CodeHead | None:
    """``1001 - 资金不足``, ``E1001 标题``, ``ERR_FOO: title``, ``4003 / 4004 - …``, ``INVALID_CODE_RE``."""
    text = strip_md(text).replace("`", "")
    match = _CODE_LINE.match(text)
    if not match:
        return None
    tokens = [t for t in re.split(r"\s*(?:/|,|、|&|\bor\b|\band\b|和|或)\s*", match["codes"]) if t]
    title = match["title"].strip().strip("：:").strip() or None
    sep = match["sep"]
    if title and sep is None and match["space"] is None:
        return None
    if len(tokens) > 1 and not all(
        _NUMERIC.fullmatch(t) or _PREFIXED.fullmatch(t) or SNAKE.fullmatch(t) for t in tokens
    ):
        return None
    kinds = set()
    for token in tokens:
        if _NUMERIC.fullmatch(token):
            kinds.add("number")
        elif _PREFIXED.fullmatch(token) and not SNAKE.fullmatch(token):
            kinds.add("prefixed")
        elif SNAKE.fullmatch(token):
            kinds.add("snake")
        elif _LOWER_SNAKE.fullmatch(token):
            kinds.add("lower")
        elif WORDLIKE.fullmatch(token) or token.lower().startswith("0x"):
            kinds.add("word")
        else:
            return None
    if title and (sep is None or not heading) and kinds & {"word", "lower"}:
        return None  # ``HTTP 響應…``, ``http_status: int``: words or a field, not a code and its title
    if title and sep == "-" and title[0].isdigit():
        return None  # a range (1000-1999) or a date, not a code
    if title and sep is None and title[0] in "=(.,;":
        return None
    if title and re.match(r"^[(（]?\s*\d\s*x{2,}", title, re.IGNORECASE):
        return None
    http = None
    if title and (m := _HTTP_IN_TITLE.search(title)):
        http = int(m.group(1))
        title = title[: m.start()].strip() or None
    number_only = kinds == {"number"}
    short_number = number_only and any(len(t.lstrip("-")) < 3 for t in tokens)
    if heading:
        strong = bool(title and (sep or not short_number)) or (not title and not number_only)
        strong = strong and kinds != {"word"}
    else:
        strong = bool(title) and (
            (sep is not None and kinds <= {"number", "prefixed", "snake"}) or kinds == {"prefixed"}
        )
        if kinds & {"lower", "word"} or (number_only and sep is None):
            strong = False
    if not title and not heading and kinds & {"number"}:
        return CodeHead(tuple(code_value(t) for t in tokens), None, http, False)
    return CodeHead(tuple(code_value(t) for t in tokens), title, http, strong)


def weak_title_ok(title: str | None) -> bool:
    """A code line recognised only by the labelled lines below it has a short title, or none."""
    return title is None or (len(title) <= 60 and not re.search(r"[。.!！?？]$|[=|{};]", title))


def range_of(text: str) -> tuple[str, int, int] | None:
    """A code range named in a heading: ``(1xxx)`` → 1000-1999, ``(1000-1999)``."""
    if m := RANGE_XXX.search(text):
        digit, width = int(m.group(1)), len(m.group(2))
        low = digit * 10**width
        return f"{digit}{'x' * width}", low, low + 10**width - 1
    if (m := RANGE_SPAN.search(text)) and int(m.group(1)) < int(m.group(2)):
        return f"{m.group(1)}-{m.group(2)}", int(m.group(1)), int(m.group(2))
    return None


def severity_of(text: str) -> Severity | None:
    words = norm(text)
    for word, level in SEVERITY_BY_LENGTH:
        if word in words:
            return level
    for emoji, level in SEVERITY_EMOJI.items():
        if emoji in text:
            return level
    return None


def bool_of(text: str) -> bool | None:
    value = norm(text)
    if value in YES:
        return True
    if value in NO:
        return False
    return None


def http_of(text: str) -> int | None:
    m = re.match(r"^\s*(?:HTTP\s*)?(\d{3})\b", strip_md(text).replace("`", ""), re.IGNORECASE)
    return int(m.group(1)) if m and 100 <= int(m.group(1)) <= 599 else None
