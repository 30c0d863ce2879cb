"""The words error-code documents use, in zh (Simplified and Traditional) and en: data for the readers.

Labels of section lines (``原因:``, ``Solution:``), table headers and the column roles they name,
severity and yes/no words, headings that group codes or end them, the keys of example responses.
"""

from __future__ import annotations

import re

from errcli.model import Severity

_NORM = re.compile(r"[\s*_`'\"#:：.。\-]+")


def norm(text: str) -> str:
    """A header or label for matching: lower case, no spaces, emphasis, underscores or trailing colons."""
    return _NORM.sub("", text.lower())


LABELS: dict[str, tuple[str, ...]] = {
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
LABEL_OF = {word: name for name, words in LABELS.items() for word in words}
LIMIT_WORDS = re.compile(r"限|最小|最大|最多|最少|上限|下限|limit|max|min|quota", re.IGNORECASE)

# Table headers → column roles. Exact matches first, then the first role whose word the header contains.
HEADERS: dict[str, tuple[str, ...]] = {
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
    "causes": LABELS["causes"],
    "fixes": LABELS["fixes"],
    "severity": LABELS["severity"] + ("priority", "严重", "嚴重"),
    "retryable": (*LABELS["retryable"], "retry", "重试", "重試", "是否重试", "是否重試"),
    "category": ("分类", "分類", "类别", "類別", "category", "group", "模块", "模組", "module"),
    "range": ("范围", "範圍", "区间", "區間", "range", "coderange", "码段", "碼段"),
}  # fmt: skip
HEADER_OF = {word: role for role, words in HEADERS.items() for word in words}
CONTAINS: tuple[tuple[str, tuple[str, ...]], ...] = (
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

SEVERITY_WORDS: dict[str, Severity] = {
    "info": "info", "information": "info", "notice": "info", "low": "info", "debug": "info", "信息": "info",
    "提示": "info", "低": "info", "通知": "info", "warning": "warning", "warn": "warning", "medium": "warning",
    "moderate": "warning", "minor": "warning", "警告": "warning", "中": "warning", "一般": "warning",
    "critical": "critical", "fatal": "critical", "high": "critical", "severe": "critical", "major": "critical",
    "error": "critical", "emergency": "critical", "blocker": "critical", "严重": "critical", "嚴重": "critical",
    "致命": "critical", "高": "critical", "紧急": "critical", "緊急": "critical", "错误": "critical",
    "錯誤": "critical",
}  # fmt: skip
SEVERITY_EMOJI: dict[str, Severity] = {
    "🔴": "critical", "❌": "critical", "⛔": "critical", "🚨": "critical", "🟠": "warning", "🟡": "warning",
    "⚠": "warning", "🔵": "info", "🟢": "info", "ℹ": "info",
}  # fmt: skip
# A title's severity tail (emoji, then a word, at its end), matched on the title reversed from its
# start: one anchored match, linear time (a search for a tail would rescan it from every position).
_SEVERITY_TAIL_REVERSED = re.compile(
    r"\s*(?:" + "|".join(re.escape(w[::-1]) for w in sorted(SEVERITY_WORDS, key=len, reverse=True)) + r")?"
    r"(?:\s*\ufe0f?[\u2139\u26a0\u26d4\u274c\U0001f300-\U0001faff])*",
    re.IGNORECASE,
)


def severity_tail(title: str) -> int:
    """Where ``title``'s severity tail (``⚠️ warning``, ``🔴``, ``严重``, trailing spaces) starts."""
    m = _SEVERITY_TAIL_REVERSED.match(title[::-1])
    return len(title) - (m.end() if m is not None else 0)


YES = {"yes", "y", "true", "是", "可", "可以", "✓", "✔", "✅", "retryable", "可重试", "可重試"}
NO = {"no", "n", "false", "否", "不", "不可", "不可以", "✗", "✘", "❌", "×", "不可重试", "不可重試"}
EMPTY_CELL = {"", "-", "—", "–", "n/a", "na", "none", "无", "無", "/", "—-"}

# Words of headings that end the codes part of a document (closing advice, FAQs, changelogs).
CLOSING = re.compile(
    r"最佳实践|最佳實踐|best\s*practice|错误处理|錯誤處理|error\s*handling|handling\s+errors|常见问题|常見問題|"
    r"\bfaq\b|附录|附錄|appendix|changelog|更新日志|更新日誌|示例代码|範例程式|sample\s+code|code\s+examples?|"
    r"速查|快速查询|快速查詢|quick\s+reference|see\s+also|相关链接|相關連結|troubleshooting|故障排查",
    re.IGNORECASE,
)
GROUP_WORDS = re.compile(r"错误|錯誤|异常|異常|相关|相關|errors?\b|codes?\b|failures?\b|exceptions?\b", re.IGNORECASE)


SEVERITY_BY_LENGTH = sorted(SEVERITY_WORDS.items(), key=lambda kv: -len(kv[0]))


LABEL_PARTS = (  # the label's last word names the field: "Possible Causes", "推荐解决方案"
    ("causes", re.compile(r"(?:causes?|reasons?|原因)$")),
    (
        "fixes",
        re.compile(r"(?:solutions?|fix(?:es)?|resolution|remed(?:y|ies)|workarounds?|方案|办法|辦法|方法|建议|建議)$"),
    ),
    ("examples", re.compile(r"(?:examples?|samples?|示例|範例|范例)$")),
)
# Headers that name the code column only when no other column does.
WEAK_CODE_HEADERS = frozenset({"error", "errors", "err", "错误", "錯誤", "errortype", "exception", "errorname"})
# Known header words run together (``错误码说明级别``): a flattened plain-text table header.
HEADER_WORD = re.compile("|".join(map(re.escape, sorted(HEADER_OF, key=len, reverse=True))))
HEADER_RUN = re.compile(f"(?:{HEADER_WORD.pattern})+")

# Keys of an example response that hold the code and the message.
CODE_KEYS = ("code", "error_code", "errorCode", "errcode", "err_code", "errCode", "status_code", "statusCode")
MESSAGE_KEYS = ("message", "msg", "error_message", "errorMessage", "errmsg", "error_description", "detail")
# A title like "HTTP status codes": the document lists HTTP statuses.
HTTP_TITLE = re.compile(r"\bhttp\b.{0,20}(?:status|response|状态|狀態|响应|響應)", re.IGNORECASE)
