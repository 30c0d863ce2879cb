"""``errcode import``: turn an API's error-code document into a catalog draft.

Reads Markdown, plain text or HTML (HTML is first turned into the same lines: headings,
pipe tables, fenced blocks, list items) and recognises the layouts such documents use:

- tables of code | name | meaning | fix | severity | HTTP status, in any column order and
  with zh or en headers; also plain-text tables split by tabs or runs of spaces, and
  tables whose columns were flattened together (``1001资金不足⚠️ 警告``);
- headed sections: ``#### 1001 - 資金不足``, ``1001 - 资金不足``, ``E1001 标题``,
  ``## ERR_FOO: title``, and a bare code line (``INVALID_CODE_RE``) followed by labelled
  lines (``HTTP状态码: 400``, ``描述:``, ``原因:``, ``Solution:`` …) with ``-``/``•``/numbered items;
- example JSON (fenced or not): kept verbatim as examples, their top-level keys become
  envelope hints; code snippets in a fix are kept as snippets;
- group headings with code ranges (``认证错误 (1xxx)``, ``(1000-1999)``) become categories;
  a list named like ``RETRYABLE_ERRORS = [...]`` marks codes retryable.

Each text keeps the document's own words under ``zh`` or ``en`` by its script; fields the
document does not give are left out (the loader derives severity and retryable). In a document
of HTTP statuses each code is marked as the status it is (``http_status``), so the loader's rule
(errcli.catalog.status_severity) gives them the severities of the bundled ``http`` catalog; the
numbers of any other document stay the API's own. The core returns data and never prints;
errcli.render shows the report.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, BinaryIO, Literal

from errcli.errors import ErrcodeError, UsageError
from errcli.model import Code, Severity

# A size guard instead of streaming: a section can only be understood with the lines around it
# (labels below a code line, headings above it), and error-code documents are small (the seeds are
# 7-12 kB, a big vendor page a few MB). 8 MiB of densely packed sections parses in about 5-10 s;
# anything larger (a 50 MB log passed by mistake) is refused at once, before it is read.
MAX_IMPORT_BYTES = 8 * 1024 * 1024
DocFormat = Literal["markdown", "text", "html"]
CATALOG_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unparsed:
    """A part of the document that looks like error documentation but was not understood."""

    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class Duplicate:
    """A code the document defines more than once."""

    code: Code
    first_line: int
    line: int
    kept_as: Literal["context", "merged"]  # a second meaning (in ``contexts``) or the same one again


@dataclass(frozen=True)
class ImportReport:
    source: str
    format: DocFormat
    language: str
    encoding: str
    codes: tuple[Code, ...]
    unparsed: tuple[Unparsed, ...]
    duplicates: tuple[Duplicate, ...]
    untitled: tuple[Code, ...]  # codes the document gives no title or description for
    categories: int
    envelopes: int


@dataclass(frozen=True)
class ImportResult:
    draft: dict[str, Any]  # a catalog in the file format (data/catalogs/README.md)
    report: ImportReport
    yaml: str  # the draft as written, checked by the catalog loader


@dataclass(frozen=True)
class Document:
    text: str
    name: str  # as shown to the user: the path, or "-" for stdin
    encoding: str = "utf-8"


# --- reading -----------------------------------------------------------------------------------


def read_document(source: str, stdin: BinaryIO | None = None, limit: int | None = None) -> Document:
    """The document at ``source`` (``-`` = stdin) as text; UsageError when it cannot be imported."""
    limit = MAX_IMPORT_BYTES if limit is None else limit
    shown = "stdin" if source == "-" else source
    too_big = UsageError(
        f"{shown} is larger than {limit // (1024 * 1024)} MiB; error-code documents are far smaller",
        hint="import the part of the document that lists the error codes",
    )
    if source == "-":
        stream = stdin or sys.stdin.buffer
        if stream.isatty():
            raise UsageError("nothing to import", hint="give a FILE, or pipe a document: cat DOC.md | errcode import -")
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise too_big
    else:
        path = Path(source)
        try:
            if path.is_dir():
                raise UsageError(f"{source} is a folder", hint="give one document file")
            if path.stat().st_size > limit:
                raise too_big
            with path.open("rb") as file:
                raw = file.read(limit + 1)
        except OSError as exc:
            raise UsageError(f"cannot read {source}: {exc.strerror or exc}", hint="check the path") from None
        if len(raw) > limit:
            raise too_big
    text, encoding = decode(raw, shown)
    if not text.strip():
        raise UsageError(f"{shown} is empty", hint="give an error-code document (Markdown, text or HTML)")
    return Document(text, source, encoding)


def decode(raw: bytes, source: str) -> tuple[str, str]:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else GB18030 when that reads as text."""
    binary = UsageError(
        f"{source} is a binary file, not a document", hint="give the error-code page as Markdown, text or HTML"
    )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise binary from None
    if b"\x00" in raw[:65536]:
        raise binary
    try:
        text, encoding = raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(raw) - 3 and "end of data" in str(exc.reason):  # cut in the middle of a character
            return decode(raw[: exc.start], source)
        try:
            text, encoding = raw.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            raise binary from None
        if not re.search(r"[\u4e00-\u9fff]", text[:65536]):  # GB18030 decodes almost anything
            raise binary from None
    sample = text[:65536]
    controls = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v")
    if controls > max(8, len(sample) // 100):
        raise binary
    return text, encoding


def write_draft(path: Path, text: str, force: bool) -> None:
    """Write the draft; an existing file is replaced only with ``force`` (atomically)."""
    if path.exists() and not force:
        raise UsageError(f"{path} already exists", hint="use --force to overwrite it, or choose another -o file")
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def check_output(path: Path | None, force: bool) -> None:
    """Refuse early (before any work) to overwrite a file without ``--force``."""
    if path is not None and str(path) != "-" and path.exists() and not force:
        raise UsageError(f"{path} already exists", hint="use --force to overwrite it, or choose another -o file")
    if path is not None and path.is_dir():
        raise UsageError(f"{path} is a folder", hint="give a file name for -o")


def check_id(catalog_id: str) -> None:
    if not CATALOG_ID.match(catalog_id):
        raise UsageError(
            f"--id {catalog_id!r} is not a catalog id",
            hint="use lower-case letters, digits, - and _ (e.g. myapi)",
        )


# --- vocabulary ----------------------------------------------------------------------------------


_NORM = re.compile(r"[\s*_`'\"#:：.。\-]+")


def _norm(text: str) -> str:
    """A header or label for matching: lower case, no spaces, emphasis, underscores or trailing colons."""
    return _NORM.sub("", text.lower())


_LABELS: dict[str, tuple[str, ...]] = {
    "description": (
        "描述", "说明", "說明", "含义", "含義", "释义", "釋義", "错误描述", "錯誤描述", "详细说明", "詳細說明",
        "简述", "簡述", "错误信息", "錯誤信息", "错误消息", "錯誤訊息", "description", "meaning", "explanation",
        "summary", "message", "errormessage",
    ),
    "causes": (
        "原因", "可能原因", "常见原因", "常見原因", "错误原因", "錯誤原因", "触发条件", "觸發條件", "cause",
        "causes", "reason", "reasons", "possiblecause", "possiblecauses", "commoncauses", "why",
    ),
    "fixes": (
        "解决方案", "解決方案", "解决", "解決", "解决办法", "解決辦法", "解决方法", "解決方法", "处理", "處理",
        "处理建议", "處理建議", "处理方式", "處理方式", "处理方法", "處理方法", "建议", "建議", "对策", "對策",
        "修复", "修復", "solution", "solutions", "fix", "fixes", "resolution", "howtofix", "howtoresolve",
        "action", "actions", "recommendedaction", "whattodo", "remedy", "workaround", "suggestion",
        "suggestions", "recommendation", "handling",
    ),
    "examples": (
        "示例", "範例", "范例", "例子", "示例响应", "响应示例", "響應示例", "返回示例", "返回範例", "错误示例",
        "example", "examples", "sample", "exampleresponse", "sampleresponse", "responseexample",
    ),
    "details": ("详情", "詳情", "details", "detail"),
    "http": (
        "http状态码", "http狀態碼", "http状态", "http狀態", "http", "httpstatus", "httpstatuscode", "httpcode",
        "statuscode", "状态码", "狀態碼", "status",
    ),
    "severity": (
        "严重程度", "嚴重程度", "严重性", "嚴重性", "严重级别", "級別", "级别", "等级", "等級", "severity", "level",
    ),
    "retryable": ("可重试", "可重試", "是否可重试", "是否可重試", "retryable", "retriable", "canretry"),
    "limits": ("限制", "限额", "限額", "频率限制", "頻率限制", "limit", "limits", "ratelimit", "ratelimits", "quota"),
    "title": ("标题", "標題", "名称", "名稱", "title", "name"),
}  # fmt: skip
_LABEL_OF = {word: name for name, words in _LABELS.items() for word in words}
_LIMIT_WORDS = re.compile(r"限|最小|最大|最多|最少|上限|下限|limit|max|min|quota", re.IGNORECASE)

# Table headers → column roles. Exact matches first, then the first role whose word the header contains.
_HEADERS: dict[str, tuple[str, ...]] = {
    "http": ("http", "httpstatus", "httpstatuscode", "httpcode", "http状态码", "http狀態碼", "http状态", "http狀態"),
    "code": (
        "错误码", "錯誤碼", "错误代码", "錯誤代碼", "错误编码", "錯誤編碼", "错误编号", "錯誤編號", "代码", "代碼",
        "编码", "編碼", "返回码", "返回碼", "响应码", "響應碼", "业务码", "業務碼", "code", "codes", "errorcode",
        "errcode", "errorid", "errno",
    ),
    "status": ("状态码", "狀態碼", "status", "statuscode", "状态", "狀態"),
    "symbol": ("symbol", "enum", "constant", "identifier", "常量", "标识", "標識", "标识符", "標識符", "errorname"),
    "title": (
        "含义", "含義", "简述", "簡述", "说明", "說明", "名称", "名稱", "title", "meaning", "summary", "name",
        "message", "errormessage", "msg", "错误信息", "錯誤信息", "错误消息", "錯誤消息", "错误名称", "錯誤名稱",
        "reasonphrase", "短语", "短語", "返回信息", "返回消息", "错误提示", "錯誤提示", "提示信息",
    ),
    "description": (
        "描述", "详细描述", "詳細描述", "详细说明", "詳細說明", "description", "details", "detail", "explanation",
        "备注", "備註", "notes", "note", "remarks", "remark", "释义", "釋義",
    ),
    "causes": _LABELS["causes"],
    "fixes": _LABELS["fixes"],
    "severity": _LABELS["severity"] + ("priority", "严重", "嚴重"),
    "retryable": (*_LABELS["retryable"], "retry", "重试", "重試", "是否重试", "是否重試"),
    "category": ("分类", "分類", "类别", "類別", "category", "group", "模块", "模組", "module"),
    "range": ("范围", "範圍", "区间", "區間", "range", "coderange", "码段", "碼段"),
}  # fmt: skip
_HEADER_OF = {word: role for role, words in _HEADERS.items() for word in words}
_CONTAINS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("http", ("http",)),
    ("code", ("码", "碼", "code", "errno")),
    ("status", ("status", "状态", "狀態")),
    ("severity", ("severity", "严重", "嚴重", "级别", "級別", "level")),
    ("retryable", ("retr", "重试", "重試")),
    ("fixes", ("解决", "解決", "处理", "處理", "建议", "建議", "solution", "fix", "action", "resolution", "remed")),
    ("causes", ("原因", "cause", "reason")),
    ("range", ("范围", "範圍", "range")),
    ("category", ("分类", "分類", "category")),
    ("description", ("描述", "description", "detail", "备注", "備註", "note")),
    ("title", ("含义", "含義", "名称", "名稱", "信息", "消息", "meaning", "message", "title", "name", "summary")),
    ("description", ("说明", "說明")),
)

_SEVERITY_WORDS: dict[str, Severity] = {
    "info": "info", "information": "info", "notice": "info", "low": "info", "debug": "info", "信息": "info",
    "提示": "info", "低": "info", "通知": "info", "warning": "warning", "warn": "warning", "medium": "warning",
    "moderate": "warning", "minor": "warning", "警告": "warning", "中": "warning", "一般": "warning",
    "critical": "critical", "fatal": "critical", "high": "critical", "severe": "critical", "major": "critical",
    "error": "critical", "emergency": "critical", "blocker": "critical", "严重": "critical", "嚴重": "critical",
    "致命": "critical", "高": "critical", "紧急": "critical", "緊急": "critical", "错误": "critical",
    "錯誤": "critical",
}  # fmt: skip
_SEVERITY_EMOJI: dict[str, Severity] = {
    "🔴": "critical", "❌": "critical", "⛔": "critical", "🚨": "critical", "🟠": "warning", "🟡": "warning",
    "⚠": "warning", "🔵": "info", "🟢": "info", "ℹ": "info",
}  # fmt: skip
_SEVERITY_TAIL = re.compile(
    r"(?P<emoji>(?:[\u2139\u26a0\u26d4\u274c\U0001f300-\U0001faff]\ufe0f?\s*)*)"
    r"(?P<word>" + "|".join(sorted(map(re.escape, _SEVERITY_WORDS), key=len, reverse=True)) + r")?\s*$",
    re.IGNORECASE,
)
_YES = {"yes", "y", "true", "是", "可", "可以", "✓", "✔", "✅", "retryable", "可重试", "可重試"}
_NO = {"no", "n", "false", "否", "不", "不可", "不可以", "✗", "✘", "❌", "×", "不可重试", "不可重試"}
_EMPTY_CELL = {"", "-", "—", "–", "n/a", "na", "none", "无", "無", "/", "—-"}

# Words of headings that end the codes part of a document (closing advice, FAQs, changelogs).
_CLOSING = re.compile(
    r"最佳实践|最佳實踐|best\s*practice|错误处理|錯誤處理|error\s*handling|handling\s+errors|常见问题|常見問題|"
    r"\bfaq\b|附录|附錄|appendix|changelog|更新日志|更新日誌|示例代码|範例程式|sample\s+code|code\s+examples?|"
    r"速查|快速查询|快速查詢|quick\s+reference|see\s+also|相关链接|相關連結|troubleshooting|故障排查",
    re.IGNORECASE,
)
_GROUP_WORDS = re.compile(r"错误|錯誤|异常|異常|相关|相關|errors?\b|codes?\b|failures?\b|exceptions?\b", re.IGNORECASE)


# --- codes -----------------------------------------------------------------------------------------

_CODE_RE = (
    r"(?:0[xX][0-9A-Fa-f]+|-?\d{1,7}|[A-Za-z]{1,8}[-_]?\d{1,7}|[A-Z][A-Z0-9]*(?:[_.][A-Z0-9]+)+"
    r"|[a-z][a-z0-9]*(?:_[a-z0-9]+)+|[A-Z][A-Z0-9]{2,})"
)
_PREFIX_WORDS = r"(?:error\s*code|error|err|code|错误码|錯誤碼|错误代码|錯誤代碼|代码|代碼)"
_CODE_LINE = re.compile(
    rf"^(?:{_PREFIX_WORDS}(?:\s*[:：#]\s*|\s+))?(?P<codes>{_CODE_RE}(?:\s*(?:/|,|、|&|\bor\b|\band\b|和|或)\s*{_CODE_RE})*)"
    r"(?:\s*(?P<sep>[-–—:：|])\s*|(?P<space>\s+)|$)(?P<title>.*)$",
    re.IGNORECASE,
)
_ONE_CODE_RE = re.compile(rf"{_CODE_RE}")
_NUMERIC = re.compile(r"-?\d{1,7}")
_PREFIXED = re.compile(r"[A-Za-z]{1,8}[-_]?\d{1,7}")
_SNAKE = re.compile(r"[A-Z][A-Z0-9]*(?:[_.][A-Z0-9]+)+")
_LOWER_SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")
_WORDLIKE = re.compile(r"[A-Z][A-Z0-9]{2,}")
_CELL_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:\-]{0,63}")
_IDENTIFIER = re.compile(
    r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[a-z][a-z0-9]*(?:_[a-z0-9]+)+|[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+"
)
_KEBAB = re.compile(r"[a-z][a-z0-9]*(?:[-.][a-z0-9]+)+")
_RANGE_XXX = re.compile(r"[(（\[]?\s*(\d)\s*([xX×*]{2,5})\s*[)）\]]?")
_RANGE_SPAN = re.compile(r"[(（\[]?\s*(-?\d{1,7})\s*[-–—~～至到]\s*(-?\d{1,7})\s*[)）\]]?")
_HTTP_IN_TITLE = re.compile(r"\s*[(（\[]\s*HTTP\s*(\d{3})\s*[)）\]]\s*$", re.IGNORECASE)


_INT = re.compile(r"-?(?:0|[1-9]\d{0,8})")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_STRONG = re.compile(r"(\*\*|__)(.+?)\1")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


def _code_value(token: str) -> Code:
    """A code as the API sends it: a number stays a number unless it has leading zeros."""
    token = token.strip()
    return int(token) if _INT.fullmatch(token) else token


def _strip_md(text: str) -> str:
    """Inline Markdown/HTML markup off a line: emphasis, links, tags like <br>."""
    if "[" in text:
        text = _MD_LINK.sub(r"\1", text)
    if "**" in text or "__" in text:
        text = _MD_STRONG.sub(r"\2", text)
    if "<" in text:
        text = _HTML_TAG.sub(" ", text)
    return _SPACES.sub(" ", text.replace("\u200b", "")).strip()


def _unquote(text: str) -> str:
    text = text.strip()
    while len(text) >= 2 and text[0] == text[-1] and text[0] in "`'\"*":
        text = text[1:-1].strip()
    return text


@dataclass(frozen=True)
class _CodeHead:
    codes: tuple[Code, ...]
    title: str | None
    http_status: int | None
    strong: bool  # recognised without looking at the lines below


def _parse_code_head(text: str, heading: bool) -> _CodeHead | None:
    """``1001 - 资金不足``, ``E1001 标题``, ``ERR_FOO: title``, ``4003 / 4004 - …``, ``INVALID_CODE_RE``."""
    text = _strip_md(text).replace("`", "")
    match = _CODE_LINE.match(text)
    if not match:
        return None
    tokens = [t for t in re.split(r"\s*(?:/|,|、|&|\bor\b|\band\b|和|或)\s*", match["codes"]) if t]
    title = match["title"].strip().strip("：:").strip() or None
    sep = match["sep"]
    if title and sep is None and match["space"] is None:
        return None
    if len(tokens) > 1 and not all(
        _NUMERIC.fullmatch(t) or _PREFIXED.fullmatch(t) or _SNAKE.fullmatch(t) for t in tokens
    ):
        return None
    kinds = set()
    for token in tokens:
        if _NUMERIC.fullmatch(token):
            kinds.add("number")
        elif _PREFIXED.fullmatch(token) and not _SNAKE.fullmatch(token):
            kinds.add("prefixed")
        elif _SNAKE.fullmatch(token):
            kinds.add("snake")
        elif _LOWER_SNAKE.fullmatch(token):
            kinds.add("lower")
        elif _WORDLIKE.fullmatch(token) or token.lower().startswith("0x"):
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
        return _CodeHead(tuple(_code_value(t) for t in tokens), None, http, False)
    return _CodeHead(tuple(_code_value(t) for t in tokens), title, http, strong)


def _weak_title_ok(title: str | None) -> bool:
    """A code line recognised only by the labelled lines below it has a short title, or none."""
    return title is None or (len(title) <= 60 and not re.search(r"[。.!！?？]$|[=|{};]", title))


def _range_of(text: str) -> tuple[str, int, int] | None:
    """A code range named in a heading: ``(1xxx)`` → 1000-1999, ``(1000-1999)``."""
    if m := _RANGE_XXX.search(text):
        digit, width = int(m.group(1)), len(m.group(2))
        low = digit * 10**width
        return f"{digit}{'x' * width}", low, low + 10**width - 1
    if (m := _RANGE_SPAN.search(text)) and int(m.group(1)) < int(m.group(2)):
        return f"{m.group(1)}-{m.group(2)}", int(m.group(1)), int(m.group(2))
    return None


_SEVERITY_BY_LENGTH = sorted(_SEVERITY_WORDS.items(), key=lambda kv: -len(kv[0]))


def _severity_of(text: str) -> Severity | None:
    words = _norm(text)
    for word, level in _SEVERITY_BY_LENGTH:
        if word in words:
            return level
    for emoji, level in _SEVERITY_EMOJI.items():
        if emoji in text:
            return level
    return None


def _bool_of(text: str) -> bool | None:
    value = _norm(text)
    if value in _YES:
        return True
    if value in _NO:
        return False
    return None


def _http_of(text: str) -> int | None:
    m = re.match(r"^\s*(?:HTTP\s*)?(\d{3})\b", _strip_md(text).replace("`", ""), re.IGNORECASE)
    return int(m.group(1)) if m and 100 <= int(m.group(1)) <= 599 else None


# --- language ------------------------------------------------------------------------------------

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")


def _lang(text: str) -> Literal["zh", "en"]:
    return "zh" if _CJK.search(text) else "en"


def _text(text: str) -> dict[str, str]:
    return {_lang(text): text}


def _doc_language(sample: str) -> str:
    """``zh-Hant``, ``zh-Hans`` or ``en`` by the document's script."""
    han = "".join(re.findall(r"[\u4e00-\u9fff]", sample))[:20000]
    latin = len(re.findall(r"[A-Za-z]+", sample[:200000]))
    if not han or len(han) < latin // 20:
        return "en"
    try:
        import opencc  # type: ignore[import-not-found,unused-ignore]

        to_simplified = sum(a != b for a, b in zip(han, opencc.OpenCC("t2s").convert(han), strict=False))
        to_traditional = sum(a != b for a, b in zip(han, opencc.OpenCC("s2t").convert(han), strict=False))
    except Exception:  # noqa: BLE001 -- without OpenCC (or with a broken one) the script stays unknown
        return "zh"
    return "zh-Hant" if to_simplified > to_traditional else "zh-Hans"


# --- HTML → lines ----------------------------------------------------------------------------------


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
        elif re.fullmatch(r"h[1-6]", tag):
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
        elif re.fullmatch(r"h[1-6]", tag) or tag in ("li", "dt", "dd", "p") or tag in self._BLOCKS:
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
    parser = _HtmlLines()
    parser.feed(text)
    parser.close()
    return parser.lines, re.sub(r"\s+", " ", parser.title).strip()


def _is_html(text: str, name: str) -> bool:
    if name.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    head = text.lstrip("\ufeff \t\r\n")[:4096].lower()
    return head.startswith(("<!doctype html", "<html")) or (
        head.startswith("<") and bool(re.search(r"<(table|h[1-6]|body|div|p|ul|dl)\b", head))
    )


# --- blocks ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    line: int
    text: str


@dataclass(frozen=True)
class _Heading:
    line: int
    level: int
    text: str


@dataclass(frozen=True)
class _Table:
    line: int
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]


@dataclass(frozen=True)
class _Code:
    line: int
    lang: str
    body: str
    json: bool


_Block = _Line | _Heading | _Table | _Code

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})\s*([\w+#.-]*)")
_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$")
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
    if _json_value(body) is not None:
        return True
    lines = [x for x in body.splitlines()[1:-1] if x.strip()]
    return bool(lines) and sum(1 for x in lines if _JSON_KEY.match(x)) * 2 >= len(lines)


def _json_value(body: str) -> Any:
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


def _blocks(lines: Sequence[tuple[int, str]]) -> Iterator[_Block]:
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
            yield _Code(number, lang, body, is_json)
            i = j + 1
            continue
        if "|" in text and i + 1 < n and _TABLE_SEP.match(lines[i + 1][1]) and "-" in lines[i + 1][1]:
            header = _split_row(text)
            rows: list[tuple[int, tuple[str, ...]]] = []
            j = i + 2
            while j < n and "|" in lines[j][1] and lines[j][1].strip():
                rows.append((lines[j][0], _split_row(lines[j][1])))
                j += 1
            yield _Table(number, header, tuple(rows))
            i = j
            continue
        if m := _ATX.match(text):
            yield _Heading(number, len(m.group(1)), m.group(2))
            i += 1
            continue
        if (
            i + 1 < n
            and text.strip()
            and re.fullmatch(r"\s*(=+|-+)\s*", lines[i + 1][1])
            and len(lines[i + 1][1].strip()) >= 3
            and not _TABLE_SEP.match(text)
            and len(text.strip()) <= 80
        ):
            yield _Heading(number, 1 if "=" in lines[i + 1][1] else 2, text.strip())
            i += 2
            continue
        stripped = text.strip()
        if stripped.startswith(("{", "[")) and (end := _json_end(lines, i)) is not None:
            body = "\n".join(t for _, t in lines[i:end])
            if _looks_json(body):
                yield _Code(number, "", body, True)
                i = end
                continue
        yield _Line(number, text)
        i += 1


# --- reading sections ------------------------------------------------------------------------------

_BULLET = re.compile(r"^(\s*)(?:[-*+]\s+|[•·▪●◦‣]\s*|\d{1,2}[.)、]\s+|[（(]\d{1,2}[)）]\s*|[a-z][.)]\s+)(.*)$")
_LABEL = re.compile(
    r"^\s*(?:[-*+•]\s+)?(?:\*\*|__)?\s*(?P<label>[^\s:：*|`][^:：*|`]{0,30}?)\s*(?:\*\*|__)?\s*[:：]"
    r"\s*(?:\*\*|__)?\s*(?P<rest>.*)$"
)
_CODE_START = re.compile(
    r"^\s*(?://|/\*|\*/|#!|<\?|\$ |>>> |console\.|print\(|fetch\(|curl\s+-"
    r"|(?:if|for|while|switch|catch|elif)\s*\(|(?:const|let|var)\s+[\w${\[]"
    r"|(?:await|return|throw|raise|new)\s+[\w.$]+\s*[(;.]|(?:async\s+)?(?:function|def|func)\s+\w+\s*\("
    r"|class\s+\w+(?:\s+extends\s+\w+)?\s*[:{(]|import\s+[\w.{*]+(?:\s+from\b|\s*;|\s*$)"
    r"|from\s+[\w.]+\s+import\b|(?:else|try|finally)\s*[:{]|case\s+.+:|(?:break|continue);"
    r"|[{}\[\]]\s*[,;)]*\s*$|[})\]]\s*[,;)]*\s*(?:else|catch)?)"
)
_CODE_END = re.compile(r"(?:;|\{|\[|=>\s*\{?|\};?|\),?)\s*(?://.*)?$")
_OBJECT_LINE = re.compile(r"^\s*['\"]?[\w$.-]+['\"]?\s*:\s*\S.*(?:,|//.*)\s*$")
_ASSIGN = re.compile(r"^\s*[A-Za-z_$][\w$.]*(?:\[[^\]]*\])?\s*(?:=|\+=|-=)\s*\S")
_SENTENCE_END = re.compile(r"[。.!！?？;；,，:：]$")
_LIST_FIELDS = frozenset({"causes", "fixes", "limits"})


def _looks_code(text: str, strict: bool = False) -> bool:
    if _CODE_START.match(text):
        return True
    if strict:
        return False
    if _CJK.search(text.split("//", maxsplit=1)[0]) and not re.search(r"[;{}=]", text):
        return False
    return bool(_CODE_END.search(text) or _OBJECT_LINE.match(text) or _ASSIGN.match(text) or " // " in text)


def _join(a: str, b: str) -> str:
    if not a:
        return b
    if not b or _CJK.match(b[0]) or _CJK.match(a[-1]) or a[-1] in "([（/" or b[0] in ")]）,.，。、":
        return a + b
    return f"{a} {b}"


def _label(text: str) -> tuple[str, str, str] | None:
    """``(field, label, rest)`` of a labelled line (``原因:``, ``**Cause:** …``, a bare ``Solution``)."""
    if m := _LABEL.match(text):
        label, rest = m["label"], m["rest"].strip()
        name = _label_name(label)
        if name == "http" and _http_of(rest) is None:
            return None
        if name:
            return name, label.strip(), rest
        return None
    bare = _strip_md(text).rstrip(":：").strip()
    if bare and len(bare) <= 30 and (name := _label_name(bare)) and name != "http":
        return name, bare, ""
    return None


_LABEL_PARTS = (  # the label's last word names the field: "Possible Causes", "推荐解决方案"
    ("causes", re.compile(r"(?:causes?|reasons?|原因)$")),
    (
        "fixes",
        re.compile(r"(?:solutions?|fix(?:es)?|resolution|remed(?:y|ies)|workarounds?|方案|办法|辦法|方法|建议|建議)$"),
    ),
    ("examples", re.compile(r"(?:examples?|samples?|示例|範例|范例)$")),
)


def _label_name(label: str) -> str | None:
    """The field a label names: exactly (``原因``, ``Solution``), or by its main word (``Possible Causes``)."""
    word = _norm(label)
    if word in _LABEL_OF:
        return _LABEL_OF[word]
    if len(word) <= 24 and len(label.split()) <= 4:
        for name, part in _LABEL_PARTS:
            if part.search(word):
                return name
    return None


def _title_like(text: str) -> bool:
    """A short line that reads as a heading: no sentence punctuation, no code."""
    text = text.strip()
    return (
        0 < len(text) <= 40
        and not _SENTENCE_END.search(text)
        and not _BULLET.match(text)
        and not _looks_code(text)
        and not re.search(r"[=<>{}\[\];`|]", text)
    )


@dataclass
class _Record:
    """One place in the document that defines a code."""

    code: Code
    line: int
    kind: Literal["section", "table"]
    block: int
    multi: bool = False
    symbol: str | None = None
    title: str | None = None
    description: list[str] = field(default_factory=list)
    causes: list[str] = field(default_factory=list)
    fixes: list[str] = field(default_factory=list)
    limits: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    snippets: list[str] = field(default_factory=list)
    http_status: int | None = None
    severity: Severity | None = None
    retryable: bool | None = None
    category: str | None = None
    group: str | None = None


@dataclass
class _Section:
    codes: tuple[Code, ...]
    line: int
    level: int | None  # heading level; None for a section that starts with a plain line
    block: int
    title: str | None
    http_status: int | None
    category: str | None
    group: str | None
    symbol: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    lists: dict[str, list[str]] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    snippets: list[str] = field(default_factory=list)
    severity: Severity | None = None
    retryable: bool | None = None
    current: str | None = None  # the field that lines go to (after a label)
    prefix: str = ""  # an unknown limit-like label whose items follow ("最小金额:")
    item_open: bool = False  # the previous line was a list item (a wrapped line continues it)
    para_open: bool = False
    snippet: list[str] | None = None
    blank: bool = False  # the previous line was blank
    example_open: bool = False  # the previous line was part of a text example


@dataclass
class _Category:
    id: str
    title: str
    range: tuple[int, int] | None
    description: str | None = None


@dataclass(frozen=True)
class _Loose:
    """A plain-text table: columns split by tabs/spaces, or flattened together under a known header."""

    roles: tuple[str, ...]
    flat: bool
    line: int


class _Reader:
    """Walks the blocks once, keeping the open section and the headings above it."""

    def __init__(self, blocks: list[_Block]) -> None:
        self.blocks = blocks
        self.records: list[_Record] = []
        self.categories: dict[str, _Category] = {}
        self.category_rows: list[tuple[int, int, str, str | None]] = []
        self.examples: list[tuple[str, str, int]] = []  # (json, context, line) for envelope hints
        self.unparsed: list[Unparsed] = []
        self.section: _Section | None = None
        self.headings: list[tuple[int, str, str | None]] = []  # (level, text, category id)
        self.group: tuple[str, str | None] | None = None  # a plain-text group heading: (title, category id)
        self.loose: _Loose | None = None
        self.blocks_seen = 0
        self.index = 0
        self.markdown = False
        self.closing = False  # under a heading like "最佳实践" / "FAQ": code lines there need labels below them
        # A single level-1 heading is the document's title, and so is a plain document's first line: not groups.
        self.h1_count = sum(1 for b in blocks if isinstance(b, _Heading) and b.level == 1)
        self.title_index = next((i for i, b in enumerate(blocks) if not isinstance(b, _Line) or b.text.strip()), -1)

    # -- categories --

    def category_for(self, text: str) -> str | None:
        """The category a group heading names (created on first use); None for headings without a range."""
        found = _range_of(text)
        if found is None:
            return None
        key, low, high = found
        for cat in self.categories.values():
            if cat.range == (low, high):
                return cat.id
        title = re.sub(r"\s*[(（\[]?\s*" + re.escape(key) + r"\s*[)）\]]?\s*", " ", text, flags=re.IGNORECASE)
        title = _strip_md(re.sub(r"^\d{1,2}[.)、]\s*", "", title)).strip(" -–—:：") or key
        self.categories[key] = _Category(key, title, (low, high))
        return key

    def plain_category(self, title: str) -> str:
        """A category for a heading without a range (kept only when it groups some codes)."""
        for cat in self.categories.values():
            if cat.title == title:
                return cat.id
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
        cat_id = slug if slug and not _CJK.search(title) else f"group-{len(self.categories) + 1}"
        while cat_id in self.categories:
            cat_id += "-2"
        self.categories[cat_id] = _Category(cat_id, title, None)
        return cat_id

    # -- the walk --

    def run(self) -> None:
        for index, block in enumerate(self.blocks):
            self.index = index
            if isinstance(block, _Heading):
                self.markdown = True
                self.on_heading(block)
            elif isinstance(block, _Table):
                self.markdown = True
                self.close()
                self.loose = None
                self.on_table(block)
            elif isinstance(block, _Code):
                self.on_code(block)
            else:
                self.on_line(block, index)
        self.close()

    def context(self) -> str:
        return " ".join(text for _, text, _ in self.headings[-2:])

    def on_heading(self, block: _Heading) -> None:
        self.loose = None
        section = self.section
        head = _parse_code_head(block.text, heading=True)
        if head is not None and not head.strong and self.next_is_label(self.index) and _weak_title_ok(head.title):
            head = _CodeHead(head.codes, head.title, head.http_status, True)
        if head is not None and head.strong:
            self.open_section(head, block.line, block.level)
            return
        if section is not None and section.level is not None and block.level > section.level:
            found = _label(block.text)  # "##### 原因", "#### Solution" inside a code's section
            if found is not None:
                self.on_label(section, found)
            else:
                self.end_item(section)
                section.current = None
                self.add_paragraph_line(section, _strip_md(block.text), new=True)
                section.para_open = False
            return
        self.close()
        self.group = None
        self.closing = bool(_CLOSING.search(block.text))
        while self.headings and self.headings[-1][0] >= block.level:
            self.headings.pop()
        self.headings.append((block.level, _strip_md(block.text), self.category_for(block.text)))

    def next_is_label(self, index: int) -> bool:
        """Whether the next non-blank line below block ``index`` is labelled (``描述:``, ``HTTP Status: 400``)."""
        for following in self.blocks[index + 1 : index + 5]:
            if isinstance(following, _Line) and not following.text.strip():
                continue
            return isinstance(following, _Line) and _label(following.text) is not None
        return False

    def group_of(self, level: int | None) -> tuple[str | None, str | None]:
        """(category id, group title) for a section at ``level``: the nearest heading (or group line) above."""
        if self.group is not None and level is None:
            return self.group[1], self.group[0]
        for head_level, text, cat_id in reversed(self.headings):
            if head_level == 1 and self.h1_count == 1:
                break
            if level is None or head_level < level:
                if cat_id is None and not _CLOSING.search(text):
                    return self.plain_category(text), text
                return cat_id, text
        if self.group is not None:
            return self.group[1], self.group[0]
        return None, None

    def open_section(self, head: _CodeHead, line: int, level: int | None) -> None:
        self.close()
        self.loose = None
        self.blocks_seen += 1
        category, group = self.group_of(level)
        title = _clean_title(head.title) if head.title else None
        symbol = None
        if title and _SNAKE.fullmatch(title) and all(isinstance(c, int) for c in head.codes):
            symbol, title = title, None  # "### 3 - INVALID_ARGUMENT": a number and its constant
        self.section = _Section(
            codes=head.codes,
            line=line,
            level=level,
            block=self.blocks_seen,
            title=title,
            http_status=head.http_status,
            category=category,
            group=group,
            symbol=symbol,
        )

    def close(self) -> None:
        section = self.section
        if section is None:
            return
        self.end_item(section)
        self.section = None
        paragraphs = [p for p in (x.strip() for x in section.paragraphs) if p]
        for code in section.codes:
            examples = section.examples
            if len(section.codes) > 1:  # examples that name one of the codes belong to that code only
                mine = [e for e in examples if _example_code(e) == code]
                others = {_example_code(e) for e in examples} & set(section.codes)
                examples = mine or [e for e in examples if _example_code(e) not in others]
            self.records.append(
                _Record(
                    code=code,
                    line=section.line,
                    kind="section",
                    block=section.block,
                    multi=len(section.codes) > 1,
                    symbol=section.symbol,
                    title=section.title,
                    description=list(paragraphs),
                    causes=list(section.lists.get("causes", [])),
                    fixes=list(section.lists.get("fixes", [])),
                    limits=list(section.lists.get("limits", [])),
                    examples=list(examples),
                    snippets=list(section.snippets),
                    http_status=section.http_status,
                    severity=section.severity,
                    retryable=section.retryable,
                    category=section.category,
                    group=section.group,
                )
            )

    def end_item(self, section: _Section) -> None:
        if section.snippet:
            section.snippets.append("\n".join(section.snippet).strip("\n"))
        section.snippet = None
        section.item_open = False
        section.example_open = False

    # -- code blocks --

    def on_code(self, block: _Code) -> None:
        section = self.section
        if block.json:
            self.examples.append((block.body, self.context() if section is None else "", block.line))
            if section is not None:
                self.end_item(section)
                section.examples.append(block.body)
                if section.current not in ("examples", "details"):
                    section.para_open = False
            return
        if section is not None and block.body.strip():
            self.end_item(section)
            section.snippets.append(block.body)

    # -- tables --

    def on_table(self, block: _Table) -> None:
        roles = _roles(block.header)
        if roles is None:
            if "range" in _roles_loose(block.header):
                self.on_category_table(block)
            return
        self.blocks_seen += 1
        valid = 0
        for line, cells in block.rows:
            record = self.table_record(roles, cells, line, self.blocks_seen)
            if record:
                valid += len(record)
                self.records.extend(record)
            elif any(c.strip() for c in cells):
                first = cells[roles.index("code")] if "code" in roles and roles.index("code") < len(cells) else ""
                if first.strip() not in _EMPTY_CELL and not _range_of(first):
                    self.unparsed.append(Unparsed(line, " | ".join(cells)[:80], "table row without a usable code"))
        if block.rows and valid == 0:
            self.unparsed.append(Unparsed(block.line, " | ".join(block.header)[:80], "table of codes with no code"))

    def on_category_table(self, block: _Table) -> None:
        roles = _roles_loose(block.header)
        for _line, cells in block.rows:
            values = dict(zip(roles, cells, strict=False))
            span = _range_of(values.get("range", ""))
            title = _strip_md(values.get("category") or values.get("title") or "")
            if span and title:
                desc = _strip_md(values.get("description") or "") or None
                self.category_rows.append((span[1], span[2], title, desc))

    def table_record(self, roles: tuple[str, ...], cells: Sequence[str], line: int, block: int) -> list[_Record]:
        values: dict[str, str] = {}
        for role, cell in zip(roles, cells, strict=False):
            if role and role not in values:
                values[role] = cell.strip()
        raw_code = _unquote(_strip_md(values.get("code", "")))
        codes, rest = _cell_codes(raw_code)
        if not codes:
            return []
        title = _clean_cell(values.get("title", "")) or rest or None
        description = _clean_cell(values.get("description", ""))
        symbol = _unquote(_strip_md(values.get("symbol", ""))) or None
        if title and not symbol and _IDENTIFIER.fullmatch(title) and str(codes[0]) != title:
            symbol, title = title, None  # a "Name" column of constants: INSUFFICIENT_FUNDS
        if not title and description:
            title, description = description, ""
        http = _http_of(values.get("http", ""))
        status_table = "_status" in roles
        records = []
        for code in codes:
            record = _Record(code=code, line=line, kind="table", block=block, multi=len(codes) > 1)
            record.title = _clean_title(title) if title else None
            record.symbol = symbol if symbol and symbol != str(code) else None
            record.description = [description] if description else []
            record.causes = _cell_items(values.get("causes", ""), split_enumeration=True)
            record.fixes = _cell_items(values.get("fixes", ""))
            if http is not None:
                record.http_status = http
            elif status_table and isinstance(code, int) and 100 <= code <= 599:
                record.http_status = code  # a table of HTTP status codes
            record.severity = _severity_of(values["severity"]) if values.get("severity") else None
            record.retryable = _bool_of(values["retryable"]) if values.get("retryable") else None
            category = _strip_md(values.get("category", ""))
            if category and category not in _EMPTY_CELL:
                record.category = self.plain_category(category)
            record.group = self.headings[-1][1] if self.headings else None
            records.append(record)
        return records

    # -- lines --

    def on_line(self, block: _Line, index: int) -> None:
        text = block.text
        stripped = text.strip()
        section = self.section
        if not stripped:
            self.loose = None
            if section is not None:
                if section.level is None or section.snippet is not None:
                    self.end_item(section)
                section.para_open = False
                section.blank = True
            return
        if self.loose is not None:
            if self.loose_row(block):
                return
            self.loose = None
        if stripped in ("---", "***", "___") or re.fullmatch(r"[-=*_]{3,}", stripped):
            if section is not None:
                self.end_item(section)
                section.para_open = False
            return
        if self.try_code_line(block, index):
            return
        if self.try_group_line(block, index):
            return
        if (
            section is not None
            and section.snippet is not None
            and (_looks_code(text) or not _label(text))
            and not _BULLET.match(text)
        ):
            section.snippet.append(text)
            section.blank = False
            return
        if section is None:
            self.outside(block, index)
            return
        self.in_section(section, block)
        section.blank = False

    def try_code_line(self, block: _Line, index: int) -> bool:
        text = block.text
        stripped = text.strip()
        bullet = _BULLET.match(text)
        section = self.section
        if bullet and (section is None or section.current is None):
            candidate = bullet.group(2)
        elif bullet or (text.startswith((" ", "\t")) and section is not None):
            return False
        else:
            candidate = stripped
        if len(candidate) > 160 or candidate.lower().startswith(("case ", "return ", "if ")):
            return False
        head = _parse_code_head(candidate, heading=False)
        if head is None:
            return False
        if (not head.strong or self.closing) and (not self.next_is_label(index) or not _weak_title_ok(head.title)):
            return False
        if bullet and not head.title:
            return False
        self.open_section(head, block.line, None)
        return True

    def try_group_line(self, block: _Line, index: int) -> bool:
        """A plain-text heading that groups codes (``风控错误 (1xxx)``) or ends them (``最佳实践``)."""
        text = block.text
        stripped = _strip_md(text)
        if (
            index == self.title_index
            or text.startswith((" ", "\t"))
            or _BULLET.match(text)
            or _label(text)
            or len(stripped) > 60
        ):
            return False
        section = self.section
        category = self.category_for(stripped) if _RANGE_XXX.search(stripped) else None
        if category is not None:
            self.close()
            self.group = (self.categories[category].title, category)
            self.closing = False
            return True
        if not _title_like(stripped):
            return False
        if _CLOSING.search(stripped) and (section is None or section.level is None):
            self.close()
            self.group = None
            self.closing = True
            return True
        if _GROUP_WORDS.search(stripped) and self.next_is_code(index):
            self.close()
            self.group = (stripped, self.plain_category(stripped))
            self.closing = False
            return True
        if section is not None and section.level is None and section.blank and not self.waiting(section):
            self.close()  # a heading-like line after a blank line ends a plain-text section
            self.group = None
            self.outside(block, index)
            return True
        return False

    def waiting(self, section: _Section) -> bool:
        """A label was just given with nothing after it yet (``解决方案:`` then the answer)."""
        name = section.current
        if name is None:
            return False
        if name in _LIST_FIELDS:
            return not section.lists.get(name)
        return not section.para_open and name in ("description", "title")

    def next_is_code(self, index: int) -> bool:
        for offset, following in enumerate(self.blocks[index + 1 : index + 4], start=index + 1):
            if isinstance(following, _Line) and not following.text.strip():
                continue
            if isinstance(following, _Heading):
                return _parse_code_head(following.text, heading=True) is not None
            if not isinstance(following, _Line):
                return False
            head = _parse_code_head(following.text.strip(), heading=False)
            return head is not None and (head.strong or self.next_is_label(offset))
        return False

    def outside(self, block: _Line, index: int) -> None:
        """A line outside any code section: plain-text tables, stray labels."""
        text = block.text.strip()
        loose = _loose_header(text)
        if loose is not None:
            self.loose = _Loose(loose[0], loose[1], block.line)
            self.blocks_seen += 1
            return
        if _aligned(text) and self.next_aligned(index):  # "10001  Invalid parameter" lines, no header
            self.loose = _Loose(("code", "title"), False, block.line)
            self.blocks_seen += 1
            self.loose_row(block)
            return
        if _SNAKE.fullmatch(_unquote(text)):
            self.unparsed.append(Unparsed(block.line, text[:80], "a code name with no `描述:`/`Description:` below it"))
            return
        found = _label(block.text)
        if (
            found
            and found[0] in ("causes", "fixes", "http")
            and found[2]
            and not _looks_code(text)
            and not re.match(r"^(['\"`]|null\b|true\b|false\b|\d)", found[2])
        ):
            self.unparsed.append(Unparsed(block.line, text[:80], f"{found[1]} outside any code section"))

    def next_aligned(self, index: int) -> bool:
        for following in self.blocks[index + 1 : index + 3]:
            if isinstance(following, _Line) and not following.text.strip():
                continue
            return isinstance(following, _Line) and _aligned(following.text.strip())
        return False

    def loose_row(self, block: _Line) -> bool:
        loose = self.loose
        if loose is None:
            return False
        text = block.text.strip()
        if "range" in loose.roles:
            m = re.match(r"^(-?\d{1,7})\s*[-–—~～]\s*(-?\d{1,7})\s*[|\t]?\s*(.+)$", text)
            if not m:
                return False
            self.category_rows.append((int(m.group(1)), int(m.group(2)), _strip_md(m.group(3)), None))
            return True
        cells: list[str]
        if loose.flat:
            m = re.match(rf"^({_CODE_RE})(?=[^\w]|[\u3400-\u9fff])\s*(.+)$", text)
            if not m:
                return False
            cells = [m.group(1), m.group(2)]
            roles = ["code", "title"]
            if "severity" in loose.roles and (tail := _SEVERITY_TAIL.search(cells[1])) and tail.group(0).strip():
                cells = [cells[0], cells[1][: tail.start()].strip(), tail.group(0).strip()]
                roles.append("severity")
        else:
            cells = [c for c in re.split(r"\t+|\s{2,}", text) if c]
            roles = list(loose.roles)
            if len(cells) < 2:
                return False
        records = self.table_record(tuple(roles), cells, block.line, self.blocks_seen)
        if not records:
            return False
        self.records.extend(records)
        return True

    # -- inside a section --

    def in_section(self, section: _Section, block: _Line) -> None:
        text = block.text
        bullet = _BULLET.match(text)
        found = _label(bullet.group(2) if bullet else text)
        if found is not None:
            self.on_label(section, found)
            return
        if section.current in {"http", "severity"}:
            section.current = None
        name = section.current
        item = bullet.group(2).strip() if bullet else None
        if item is not None and name in _LIST_FIELDS:
            self.end_item(section)
            section.lists.setdefault(name, []).append(section.prefix + _strip_md(item))
            section.item_open = True
            return
        if name in _LIST_FIELDS | {None, "description", "details"} and self.start_snippet(section, text, name):
            return
        if name in _LIST_FIELDS:
            items = section.lists.setdefault(str(name), [])
            line = _strip_md(text)
            if section.item_open and items:
                head, *more = re.split(r"\s+-\s+", line)
                items[-1] = _join(items[-1], head)
                items.extend(section.prefix + m for m in more if m)
            else:
                items.append(section.prefix + line)
                section.item_open = True
            return
        if name == "examples" and not _CJK.search(text):  # a raw response: one example until a blank line
            if section.example_open and section.examples:
                section.examples[-1] += "\n" + text.rstrip()
            else:
                section.examples.append(text.strip())
                section.example_open = True
            return
        if item is not None:
            self.add_paragraph_line(section, _strip_md(item), new=True)
            return
        line = _strip_md(text)
        self.add_paragraph_line(section, line, new=bool(re.match(r"^[^:：]{1,20}[:：]\s*\S", line)))

    def start_snippet(self, section: _Section, text: str, name: str | None) -> bool:
        """Unfenced code (plain-text documents only; Markdown fences its code): in a fix, any code-like line."""
        if section.level is not None or not _looks_code(text, strict=name != "fixes"):
            return False
        self.end_item(section)
        section.snippet = [text]
        return True

    def on_label(self, section: _Section, found: tuple[str, str, str]) -> None:
        name, label, rest = found
        rest = _strip_md(rest)
        self.end_item(section)
        section.prefix = ""
        section.para_open = False
        if name == "http":
            section.http_status = section.http_status or _http_of(rest)
            section.current = "http"
            return
        if name == "severity":
            section.severity = section.severity or _severity_of(rest)
            section.current = "severity"
            return
        if name == "retryable":
            section.retryable = _bool_of(rest) if section.retryable is None else section.retryable
            section.current = None
            return
        if name == "title":
            if rest and _IDENTIFIER.fullmatch(rest) and all(isinstance(c, int) for c in section.codes):
                section.symbol = section.symbol or rest  # "Name: INSUFFICIENT_FUNDS" under a number
            elif rest and not section.title:
                section.title = _clean_title(rest)
            section.current = None
            return
        if name == "examples" and rest:
            section.examples.append(rest)
        if name in ("details", "examples"):
            section.current = name
            if rest and name == "details":
                self.add_paragraph_line(section, f"{label}: {rest}")
            return
        section.current = name
        if name in _LIST_FIELDS and rest:
            if _looks_code(rest, strict=True):
                section.snippet = [rest]
            else:
                section.lists.setdefault(name, []).extend(_cell_items(rest) if name == "causes" else [rest])
                section.item_open = True
        elif name == "description" and rest:
            self.add_paragraph_line(section, rest, new=True)

    def add_paragraph_line(self, section: _Section, text: str, new: bool = False) -> None:
        text = text.strip()
        if not text:
            return
        if _LIMIT_WORDS.search(text.split(":")[0].split("：")[0]) and re.match(r"^[^:：]{1,12}[:：]\s*$", text):
            section.current = "limits"  # an unknown label like ``最小金额:``: its items are limits
            section.prefix = text.rstrip(":：").strip() + ": "
            return
        if section.para_open and not new and section.paragraphs:
            section.paragraphs[-1] = _join(section.paragraphs[-1], text)
        else:
            section.paragraphs.append(text)
        section.para_open = True


def _aligned(text: str) -> bool:
    """``10001  Invalid parameter``: a code, a tab or a run of spaces, words."""
    m = re.match(r"^(\S+)(?:\t+|\s{2,})\S", text)
    return bool(m and _ONE_CODE_RE.fullmatch(m.group(1)) and not _WORDLIKE.fullmatch(m.group(1)))


def _example_code(example: str) -> Code | None:
    m = re.search(r'"(?:code|error_code|errorCode|errcode)"\s*:\s*"?([\w.-]+)', example)
    return _code_value(m.group(1)) if m else None


def _clean_title(title: str) -> str:
    return _unquote(_strip_md(title)).strip(" -–—:：")


def _clean_cell(cell: str) -> str:
    text = _strip_md(cell.replace("<br>", "; "))
    return "" if text.lower() in _EMPTY_CELL else text


def _cell_items(cell: str, split_enumeration: bool = False) -> list[str]:
    """A table cell or inline value as list items: split on <br>, ; and (for causes) 、."""
    if not cell.strip():
        return []
    parts = re.split(r"<br\s*/?>", cell)
    if split_enumeration:  # causes: "参数错误、业务逻辑违规", "a; b"
        parts = [p for part in parts for p in re.split(r"[、;；]\s*", part)]
    items = [_strip_md(p) for p in parts]
    return [i for i in items if i and i.lower() not in _EMPTY_CELL]


def _cell_codes(cell: str) -> tuple[list[Code], str]:
    """The codes in a code cell (``1001``, ``4003 / 4004``, ``400 Bad Request``) and any words after them."""
    cell = cell.replace("`", "").strip()
    if not cell or cell.lower() in _EMPTY_CELL or _RANGE_SPAN.fullmatch(cell) or _RANGE_XXX.fullmatch(cell):
        return [], ""
    if m := re.fullmatch(r"(-\d{1,9})(?:\s+[-–—:：]?\s*(.+))?", cell):
        return [_code_value(m.group(1))], (m.group(2) or "").strip()
    parts = [p.strip() for p in re.split(r"\s*(?:/|,|、|\bor\b)\s*", cell) if p.strip()]
    if len(parts) > 1 and all(_CELL_CODE.fullmatch(p) and _codeish(p) for p in parts):
        return [_code_value(p) for p in parts], ""
    m = re.match(r"^([A-Za-z0-9][A-Za-z0-9_.:\-]{0,63})(?:\s+[-–—:：]?\s*(.+))?$", cell)
    if not m or not _codeish(m.group(1)):
        return [], ""
    return [_code_value(m.group(1))], (m.group(2) or "").strip()


def _codeish(token: str) -> bool:
    """A table's code cell: a number, ``E1001``, ``UPPER_SNAKE``, ``lower_snake``, ``kebab-case``, ``CONSTANT``."""
    return bool(
        _ONE_CODE_RE.fullmatch(token)
        or _KEBAB.fullmatch(token)
        or re.search(r"\d", token)
        or (token.isupper() and len(token) >= 2)
        or _IDENTIFIER.fullmatch(token)
    )


def _header_role(header: str) -> str | None:
    word = _norm(_strip_md(header))
    if not word:
        return None
    if word in _HEADER_OF:
        return _HEADER_OF[word]
    for role, needles in _CONTAINS:
        if any(n in word for n in needles):
            return role
    return None


_WEAK_CODE_HEADERS = frozenset({"error", "errors", "err", "错误", "錯誤", "errortype", "exception", "errorname"})


def _roles_loose(header: Sequence[str]) -> tuple[str, ...]:
    return tuple(_header_role(h) or "" for h in header)


def _roles(header: Sequence[str]) -> tuple[str, ...] | None:
    """Column roles of a code table, or None when the table lists no codes."""
    roles = list(_roles_loose(header))
    if "code" not in roles and "status" in roles:
        roles[roles.index("status")] = "code"
        roles.append("_status")
    elif "status" in roles:
        roles[roles.index("status")] = "http"
    if "code" not in roles and "symbol" in roles:
        roles[roles.index("symbol")] = "code"
    if "code" not in roles:  # "| Error | Description |", "| HTTP Status Code | Meaning |"
        for i, title in enumerate(header):
            if _norm(_strip_md(title)) in _WEAK_CODE_HEADERS:
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


_HEADER_WORD = re.compile("|".join(map(re.escape, sorted(_HEADER_OF, key=len, reverse=True))))
_HEADER_RUN = re.compile(f"(?:{_HEADER_WORD.pattern})+")


def _loose_header(text: str) -> tuple[tuple[str, ...], bool] | None:
    """A plain-text table header: cells split by tabs/spaces, or known header words run together."""
    cells = [c for c in re.split(r"\t+|\s{2,}", text.strip()) if c]
    if len(cells) >= 2:
        if any(len(c) > 40 or re.search(r"[=(){}\[\];#<>]", c) for c in cells):
            return None
        roles = _roles(cells)
        if roles is not None:
            return tuple(r for r in roles if r != "_status"), False
        loose = _roles_loose(cells)
        if "range" in loose and ("title" in loose or "category" in loose):
            return loose, False
        return None
    word = _norm(text)
    if len(word) > 24 or not word or not _HEADER_RUN.fullmatch(word):
        return None
    roles_found = [_HEADER_OF[w] for w in _HEADER_WORD.findall(word)]
    if len(roles_found) < 2 or "".join(_HEADER_WORD.findall(word)) != word:
        return None
    if roles_found[0] == "range":
        return tuple(roles_found), True
    if roles_found[0] in ("code", "status") and len(set(roles_found)) == len(roles_found):
        return tuple(roles_found), True
    return None


# --- retryable lists -----------------------------------------------------------------------------------

_RETRY_LIST = re.compile(
    r"\b(\w*retr[iy]able\w*|\w*RETR[IY]ABLE\w*)\b\s*(?::\s*[\w\[\]<>, ]+)?\s*[=:]\s*", re.IGNORECASE
)


def _retry_lists(text: str) -> tuple[set[str], set[str]]:
    """Codes in lists named like ``RETRYABLE_ERRORS = [...]`` (and ``NON_RETRYABLE...``)."""
    yes: set[str] = set()
    no: set[str] = set()
    for m in _RETRY_LIST.finditer(text):
        rest = text[m.end() : m.end() + 4000]
        opening = re.match(r"\s*(?:new\s+\w+\s*\(\s*|set\s*\(\s*|frozenset\s*\(\s*)?([\[{(])", rest, re.IGNORECASE)
        if not opening:
            continue
        close = {"[": "]", "{": "}", "(": ")"}[opening.group(1)]
        body = rest[opening.end() : rest.find(close, opening.end())]
        body = re.sub(r"//[^\n]*|#[^\n]*", "", body)
        tokens = re.findall(r"['\"]([\w.-]+)['\"]|(-?\d+)|\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\b", body)
        codes = {a or b or c for a, b, c in tokens}
        name = m.group(1).lower()
        (no if re.search(r"non|not|no_", name) else yes).update(codes)
    return yes, no


# --- assembling the draft --------------------------------------------------------------------------------


def _place(record: _Record) -> tuple[str, int]:
    """Where a record was found: all sections are one place, each table another."""
    return (record.kind, 0 if record.kind == "section" else record.block)


def _meaning(record: _Record) -> str:
    text = record.title or (record.description[0] if record.description else "")
    return _norm(text)


def _compatible(a: str, b: str) -> bool:
    """Two meanings that can be the same (one says more than the other, or one says nothing)."""
    return not a or not b or a in b or b in a


def _merge(records: list[_Record]) -> dict[str, Any]:
    """One entry from the records that agree: sections (the detailed text) win over summary tables."""
    ordered = sorted(records, key=lambda r: r.kind != "section")
    titled = [r for r in records if r.title and not r.multi] or [r for r in records if r.title]
    merged: dict[str, Any] = {"title": titled[0].title if titled else None}
    for name in ("symbol", "http_status", "severity", "retryable"):
        merged[name] = next((getattr(r, name) for r in records if getattr(r, name) is not None), None)
    merged["category"] = next((r.category for r in ordered if r.category), None)
    for name in ("description", "causes", "fixes", "limits"):
        merged[name] = next((list(getattr(r, name)) for r in ordered if getattr(r, name)), [])
    for name in ("examples", "snippets"):
        merged[name] = list(dict.fromkeys(x for r in records for x in getattr(r, name)))
    return merged


def _comment_fixes(snippets: Sequence[str]) -> list[str]:
    """Whole-line comments of the fix code (``// 重新获取 nonce``): the document's own words for the fix."""
    found = []
    for snippet in snippets:
        for line in snippet.splitlines():
            m = re.match(r"^\s*(?://|#)\s*(.+?)\s*$", line)
            if m and not m.group(1).startswith("!") and re.search(r"\w", m.group(1)):
                found.append(m.group(1))
    return list(dict.fromkeys(found))


def _entry(code: Code, merged: dict[str, Any], contexts: list[dict[str, Any]]) -> dict[str, Any]:
    """The entry in the file format; ``added: [title]`` when the document gave it no title."""
    entry: dict[str, Any] = {"code": code}
    if merged["symbol"]:
        entry["symbol"] = merged["symbol"]
    if merged["category"]:
        entry["category"] = merged["category"]
    if merged["http_status"] is not None and 100 <= merged["http_status"] <= 599:
        entry["http_status"] = merged["http_status"]
    description = "\n".join(merged["description"])
    title = merged["title"] or _first_sentence(description)
    untitled = not title
    entry["title"] = _text(title or str(merged["symbol"] or code))
    if description and description != title:
        entry["description"] = _text(description)
    fixes = merged["fixes"] or _comment_fixes(merged["snippets"])
    for name, items in (("causes", merged["causes"]), ("fixes", fixes), ("limits", merged["limits"])):
        if items:
            entry[name] = [_text(x) for x in dict.fromkeys(items)]
    if merged["severity"]:
        entry["severity"] = merged["severity"]
    if merged["retryable"] is not None:
        entry["retryable"] = merged["retryable"]
    if merged["examples"]:
        entry["examples"] = merged["examples"]
    if merged["snippets"]:
        entry["snippets"] = merged["snippets"]
    if contexts:
        entry["contexts"] = contexts
    if untitled:
        entry["added"] = ["title"]
    return entry


def _first_sentence(text: str) -> str:
    """A title from a description: its first sentence (the document's words, never cut short)."""
    first = text.split("\n", maxsplit=1)[0].strip()
    m = re.match(r"^(.+?(?:[。！？]|[.!?](?=\s)))\s*\S", first)
    return m.group(1) if m else first


def _context(record: _Record, merged: dict[str, Any]) -> dict[str, Any]:
    name = record.group or f"line {record.line}"
    context: dict[str, Any] = {"name": _text(name)}
    if merged["category"]:
        context["category"] = merged["category"]
    if merged["http_status"] is not None and 100 <= merged["http_status"] <= 599:
        context["http_status"] = merged["http_status"]
    description = "\n".join(merged["description"])
    title = merged["title"] or _first_sentence(description)
    if title:
        context["title"] = _text(title)
    if description and description != title:
        context["description"] = _text(description)
    fixes = merged["fixes"] or _comment_fixes(merged["snippets"])
    for key, items in (("causes", merged["causes"]), ("fixes", fixes), ("limits", merged["limits"])):
        if items:
            context[key] = [_text(x) for x in dict.fromkeys(items)]
    if merged["snippets"]:
        context["snippets"] = merged["snippets"]
    return context


def _envelopes(examples: Sequence[tuple[str, str, int]]) -> list[dict[str, Any]]:
    """Envelope hints from the example responses: one per distinct shape."""
    found: dict[tuple[Any, ...], dict[str, Any]] = {}
    for body, context, _line in examples:
        value = _json_value(body)
        if not isinstance(value, dict) or not value:
            continue
        shape = _shape(value)
        if shape is None:
            continue
        keys, code_path, message_path, details_path, error_when = shape
        key = (tuple(sorted(keys)), code_path, message_path, tuple(sorted(error_when.items(), key=str)))
        if key in found:
            continue
        ws = bool(re.search(r"websocket|\bws\b", context, re.IGNORECASE)) or bool(
            {"cmd", "op", "event", "channel", "action"} & set(keys) or error_when.get("type") == "error"
        )
        envelope: dict[str, Any] = {"name": "", "transport": "websocket" if ws else "http", "keys": keys}
        envelope["code_path"] = code_path
        envelope["message_path"] = message_path
        if details_path:
            envelope["details_path"] = details_path
        if error_when:
            envelope["error_when"] = error_when
        envelope["example"] = body
        found[key] = envelope
    result = list(found.values())
    counts: dict[str, int] = {}
    for envelope in result:
        base = envelope["transport"]
        counts[base] = counts.get(base, 0) + 1
        envelope["name"] = base if counts[base] == 1 else f"{base}-{counts[base]}"
    return result


_CODE_KEYS = ("code", "error_code", "errorCode", "errcode", "err_code", "errCode", "status_code", "statusCode")
_MESSAGE_KEYS = ("message", "msg", "error_message", "errorMessage", "errmsg", "error_description", "detail")


def _shape(value: dict[str, Any]) -> tuple[list[str], str, str, str | None, dict[str, Any]] | None:
    keys = [str(k) for k in value]
    code_path = next((k for k in _CODE_KEYS if k in value), None)
    message_path = next((k for k in _MESSAGE_KEYS if k in value), None)
    for outer in ("error", "err", "errors"):
        inner = value.get(outer)
        if isinstance(inner, dict):
            code_path = code_path or next((f"{outer}.{k}" for k in _CODE_KEYS if k in inner), None)
            message_path = message_path or next((f"{outer}.{k}" for k in _MESSAGE_KEYS if k in inner), None)
    if message_path is None and isinstance(value.get("error"), str):
        message_path = "error"
    if code_path is None:
        return None
    details_path = next((k for k in ("details", "data", "detail") if isinstance(value.get(k), dict)), None)
    for outer in ("error", "err"):
        inner = value.get(outer)
        if details_path is None and isinstance(inner, dict):
            details_path = next((f"{outer}.{k}" for k in ("details", "data") if isinstance(inner.get(k), dict)), None)
    error_when: dict[str, Any] = {}
    for flag in ("success", "ok"):
        if value.get(flag) is False:
            error_when[flag] = False
    for flag in ("type", "status"):
        if isinstance(value.get(flag), str) and value[flag].lower() in ("error", "fail", "failure"):
            error_when[flag] = value[flag]
    identifying = [k for k in keys if k != details_path] or keys
    return identifying, code_path, message_path or "message", details_path, error_when


def _header_info(text: str, title_hint: str) -> tuple[str | None, str | None, str | None]:
    """The document's title, version and date."""
    title = None
    front = re.match(r"\A\ufeff?---\s*\n(.*?)\n---\s*\n", text, re.DOTALL)
    if front and (m := re.search(r"(?m)^title\s*:\s*['\"]?(.+?)['\"]?\s*$", front.group(1))):
        title = m.group(1).strip()
    body = text[front.end() :] if front else text
    if not title and title_hint:
        title = title_hint
    if not title and (m := re.search(r"(?m)^\s{0,3}#{1,2}\s+(.+?)\s*#*\s*$", body[:20000])):
        title = _strip_md(m.group(1))
    if not title:
        first = next((x.strip() for x in body.splitlines()[:20] if x.strip()), "")
        if 0 < len(first) <= 80 and not first.startswith(("{", "<", "|")):
            title = _strip_md(first.lstrip("#").strip())
    head = body[:5000] + "\n" + body[-2000:]
    version = re.search(r"(?:版本|version)\s*[:：]?\s*(v?\d+(?:\.\d+){1,3}[\w.-]*)", head, re.IGNORECASE)
    date = re.search(r"(?:日期|date|updated|更新)\s*[:：]?\s*(\d{4}-\d{2}-\d{2})", head, re.IGNORECASE)
    return title or None, version.group(1) if version else None, date.group(1) if date else None


def import_document(doc: Document, catalog_id: str | None = None, name: str | None = None) -> ImportResult:
    """The catalog draft and the report for one document."""
    text = doc.text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    title_hint = ""
    fmt: DocFormat
    if _is_html(text, doc.name):
        lines, title_hint = html_lines(text)
        fmt = "html"
    else:
        lines = list(enumerate(text.split("\n"), start=1))
        front = re.match(r"\A\ufeff?---\s*\n.*?\n---\s*\n", text, re.DOTALL)
        if front:  # YAML front matter: the title is read from it, the rest is not error documentation
            skip = front.group(0).count("\n")
            lines = [(n, "" if n <= skip else t) for n, t in lines]
        fmt = "text"
    reader = _Reader(list(_blocks(lines)))
    reader.run()
    if fmt == "text" and reader.markdown:
        fmt = "markdown"
    plain = "\n".join(t for _, t in lines)
    doc_title, version, date = _header_info(text if fmt != "html" else plain, title_hint)
    language = _doc_language(plain)
    cat_id = catalog_id or _id_from_name(doc.name)
    draft, codes, duplicates, untitled = _assemble(reader, plain)
    if _lists_http_statuses(draft["entries"], doc_title):
        draft["entries"] = [_as_http_status(e) for e in draft["entries"]]
    header: dict[str, Any] = {"schema_version": 1, "id": cat_id}
    header["name"] = _text(name or doc_title or cat_id)
    if version:
        header["version"] = version
    if date:
        header["date"] = date
    shown = "stdin" if doc.name == "-" else Path(doc.name).name
    header["source"] = {"title": doc_title or shown, "document": shown}
    header["language"] = language
    header["description"] = {"en": f"Draft imported from {shown} by errcode import; review before use"}
    result = {**header, **draft}
    report = ImportReport(
        source=doc.name,
        format=fmt,
        language=language,
        encoding=doc.encoding,
        codes=tuple(codes),
        unparsed=tuple(sorted(reader.unparsed, key=lambda u: u.line)),
        duplicates=tuple(duplicates),
        untitled=tuple(untitled),
        categories=len(draft.get("categories", [])),
        envelopes=len(draft.get("envelopes", [])),
    )
    return ImportResult(result, report, _checked_yaml(result, doc.name) if codes else "")


_HTTP_TITLE = re.compile(r"\bhttp\b.{0,20}(?:status|response|状态|狀態|响应|響應)", re.IGNORECASE)


def _lists_http_statuses(entries: Sequence[dict[str, Any]], title: str | None) -> bool:
    """A document of HTTP statuses: every code a number 100-599, and the title says so
    (``HTTP status codes``) or most entries are titled with their status's reason phrase
    (``404 Not Found``)."""
    codes = [e["code"] for e in entries]
    if not codes or not all(isinstance(c, int) and not isinstance(c, bool) and 100 <= c <= 599 for c in codes):
        return False
    if title and _HTTP_TITLE.search(title):
        return True
    from http import HTTPStatus

    known = {s.value: _norm(s.phrase) for s in HTTPStatus}
    named = sum(1 for e in entries if known.get(e["code"]) in {_norm(t) for t in e["title"].values()})
    return named * 2 > len(entries)


def _as_http_status(entry: dict[str, Any]) -> dict[str, Any]:
    """The entry with its code as its ``http_status`` (placed before the title, as ``_entry`` does)."""
    if "http_status" in entry:
        return entry
    out: dict[str, Any] = {}
    for key, value in entry.items():
        if key == "title":
            out["http_status"] = entry["code"]
        out[key] = value
    return out


def _checked_yaml(draft: dict[str, Any], name: str) -> str:
    """The draft as YAML, read back by the catalog loader: what ``errcode validate`` will say."""
    from errcli.catalog import CatalogError, parse_catalog

    text = dump_draft(draft)
    try:
        parse_catalog(text, "draft")
    except CatalogError as exc:  # a bug here, not the user's mistake: say so rather than write a broken file
        raise ErrcodeError(
            f"the draft made from {name} does not validate: {exc}",
            hint="please report this with the document; `--debug` shows where it failed",
        ) from None
    return text


def _id_from_name(name: str) -> str:
    if name == "-":
        return "imported"
    slug = re.sub(r"[^a-z0-9_-]+", "-", Path(name).stem.lower()).strip("-_")
    return slug if slug and CATALOG_ID.match(slug) else "imported"


def _assemble(reader: _Reader, plain: str) -> tuple[dict[str, Any], list[Code], list[Duplicate], list[Code]]:
    by_code: dict[Code, list[_Record]] = {}
    for record in reader.records:
        by_code.setdefault(record.code, []).append(record)
    retry = _retry_lists(plain)
    categories = _finish_categories(reader)
    ranged = sorted((c for c in categories.values() if c.range), key=lambda c: _span(c.range))
    entries: list[dict[str, Any]] = []
    duplicates: list[Duplicate] = []
    untitled: list[Code] = []
    for code, records in by_code.items():
        entry = _one_entry(code, records, ranged, retry, duplicates)
        entries.append(entry)
        if "added" in entry:
            untitled.append(code)
    used = {e.get("category") for e in entries} | {c.get("category") for e in entries for c in e.get("contexts", [])}
    plain_used = [c for c in categories.values() if c.id in used and c.range is None]
    if len(plain_used) == 1 and all(e.get("category") == plain_used[0].id for e in entries):
        used.discard(plain_used[0].id)  # one group around everything is no grouping
        for entry in entries:
            entry.pop("category", None)
            for context in entry.get("contexts", []):
                context.pop("category", None)
    draft: dict[str, Any] = {}
    envelopes = _envelopes(reader.examples)
    if envelopes:
        draft["envelopes"] = envelopes
    cats = [_category_dict(c) for c in categories.values() if c.id in used]
    if cats:
        draft["categories"] = cats
    draft["entries"] = entries
    return draft, list(by_code), duplicates, untitled


def _span(code_range: tuple[int, int] | None) -> int:
    return code_range[1] - code_range[0] if code_range else 0


def _finish_categories(reader: _Reader) -> dict[str, _Category]:
    """Headings' categories completed by the document's table of ranges (``1000-1999 风控错误 …``)."""
    categories = reader.categories
    for low, high, rest, description in reader.category_rows:
        cat = next((c for c in categories.values() if c.range == (low, high)), None)
        if cat is None:
            key = f"{low}-{high}"
            categories[key] = _Category(key, rest, (low, high), description)
        elif description:
            cat.description = cat.description or description
        elif rest.startswith(cat.title) and rest != cat.title:
            cat.description = cat.description or rest[len(cat.title) :].strip(" -–—:：|")
    return categories


def _one_entry(
    code: Code,
    records: list[_Record],
    ranged: Sequence[_Category],
    retry: tuple[set[str], set[str]],
    duplicates: list[Duplicate],
) -> dict[str, Any]:
    """The entry for one code: the records that agree merged, another meaning as a context."""
    main = [records[0]]
    meanings = {_place(records[0]): {_meaning(records[0])}}  # per place: the meanings seen there
    seconds: list[_Record] = []
    for record in records[1:]:
        place, meaning = _place(record), _meaning(record)
        seen = meanings.get(place)
        if seen is None:  # a summary table and a detailed section: one code, told twice
            meanings[place] = {meaning}
            main.append(record)
        elif meaning in seen or any(_compatible(meaning, m) for m in seen):
            duplicates.append(Duplicate(code, records[0].line, record.line, "merged"))
            seen.add(meaning)
            main.append(record)
        else:
            seconds.append(record)
            duplicates.append(Duplicate(code, records[0].line, record.line, "context"))
    merged = _merge(main)
    if merged["category"] is None and isinstance(code, int):
        merged["category"] = next((c.id for c in ranged if c.range and c.range[0] <= code <= c.range[1]), None)
    contexts = []
    for record in seconds:
        extra = _merge([record])
        extra["category"] = extra["category"] or merged["category"]
        contexts.append(_context(record, extra))
        merged["examples"] = list(dict.fromkeys([*merged["examples"], *extra["examples"]]))
    if str(code) in retry[0]:
        merged["retryable"] = True
    elif str(code) in retry[1]:
        merged["retryable"] = False
    return _entry(code, merged, contexts)


def _category_dict(cat: _Category) -> dict[str, Any]:
    out: dict[str, Any] = {"id": cat.id, "title": _text(cat.title)}
    if cat.range:
        out["range"] = list(cat.range)
    if cat.description:
        out["description"] = _text(cat.description)
    return out


# --- YAML -------------------------------------------------------------------------------------------


def dump_draft(draft: dict[str, Any]) -> str:
    """The draft as YAML: texts as one-line ``{zh: …}`` mappings, examples and snippets as literal blocks."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def text_or_block(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    def mapping(dumper: yaml.SafeDumper, value: dict[str, Any]) -> yaml.MappingNode:
        flow = set(value) <= {"zh", "en"} and all(isinstance(v, str) and "\n" not in v for v in value.values())
        return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=flow)

    def sequence(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
        flow = all(isinstance(v, (int, str)) and "\n" not in str(v) for v in value) and len(str(value)) < 80
        return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)

    Dumper.add_representer(str, text_or_block)
    Dumper.add_representer(dict, mapping)
    Dumper.add_representer(list, sequence)
    head = "# Draft catalog written by `errcode import`: check every entry against the document,\n"
    head += "# then `errcode validate` it and copy it to ~/.config/errcode/catalogs/.\n"
    body: str = yaml.dump(draft, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=120)
    return head + body
