"""The words of the output, as tables: labels, severities, column headers, sentences, actions (zh/en),
and the text measures every layout shares (terminal width of CJK text, cutting to a width)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any, Literal, Protocol

from errcli._text import safe
from errcli.model import Catalog, Entry, Lang, Text

Format = Literal["table", "plain", "json", "yaml", "markdown"]
ColorMode = Literal["auto", "always", "never"]
FORMATS: tuple[Format, ...] = ("table", "plain", "json", "yaml", "markdown")
Rows = list[tuple[str, str | list[str]]]  # a card: (label, value) in display order; lists are bullets
# A column's role in a terminal layout: ``key`` (catalog ids, codes, counts, line numbers) and ``path``
# are never cut or wrapped; ``short`` values stay on one line; ``text`` wraps.
Role = Literal["key", "short", "text", "path"]
STACK_BELOW = 80  # terminal columns: narrower terminals get stacked layouts instead of panels and tables


class Catalogs(Protocol):
    """The loaded catalogs, as the output reads them: by id."""

    def get(self, catalog_id: str) -> Catalog | None: ...


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


SEVERITY_STYLE_OF_WORD = {word: SEVERITY_STYLE[key] for words in SEVERITY_WORDS.values() for key, word in words.items()}


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
        "other_codes": "other unknown codes",
        "folded.one": "; {n} error with other unknown codes (past the first {limit} distinct ones) shares one row",
        "folded.other": "; {n} errors with other unknown codes (past the first {limit} distinct ones) share one row",
        "merged.one": "; {n} error with a less frequent unknown code is in the last row (--json lists each code)",
        "merged.other": "; {n} errors with less frequent unknown codes share the last row (--json lists each code)",
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
        "other_codes": "其他未知错误码",
        "folded.one": "；超出前 {limit} 个不同未知错误码的 {n} 个错误合并为一行",
        "folded.other": "；超出前 {limit} 个不同未知错误码的 {n} 个错误合并为一行",
        "merged.one": "；较少见的未知错误码的 {n} 个错误合并在最后一行（--json 逐个列出）",
        "merged.other": "；较少见的未知错误码的 {n} 个错误合并在最后一行（--json 逐个列出）",
    },
}


ACTION_WORDS: dict[Lang, dict[str, str]] = {
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


def display_width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` terminal columns, an ellipsis marking a cut."""
    if display_width(text) <= width:
        return text
    kept, used = [], 0
    for char in text:
        used += display_width(char)
        if used > width - 1:
            break
        kept.append(char)
    return "".join(kept) + "…"


def text_of(text: Text | None, lang: Lang) -> str:
    return safe(text.get(lang)) if text else ""


def code_label(entry: Entry) -> str:
    label = safe(str(entry.code))
    return f"{label} ({safe(entry.symbol)})" if entry.symbol else label
