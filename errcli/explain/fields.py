"""The field names and words real error responses use: data, read by :mod:`errcli.explain.detect`."""

from __future__ import annotations

import functools
import re

# Generic code fields, most specific first.
CODE_KEYS = (
    "error_code",
    "errorCode",
    "err_code",
    "errCode",
    "errcode",
    "errno",
    "retCode",  # Bybit's {retCode, retMsg, result}
    "ret_code",
    "code",
    "status_code",
    "statusCode",
)
ERROR_CODE_KEYS = ("error_code", "errorCode", "err_code", "errCode")
STATUS_KEYS = ("status",)
MESSAGE_KEYS = (
    "message",
    "msg",
    "error_message",
    "errorMessage",
    "err_msg",
    "errMsg",
    "errmsg",
    "error_msg",
    "errorMsg",
    "error_description",
    "retMsg",
    "ret_msg",
    "detail",
    "description",
    "content",  # DIFF notify messages: {"type": "MESSAGE", "level": "ERROR", "code": ..., "content": ...}
    "reason",
)
# keys only an error has: the object is an error when one of them holds something
ERROR_ONLY_KEYS = frozenset(
    {
        "error",
        "errors",
        "error_code",
        "errorCode",
        "err_code",
        "errCode",
        "error_message",
        "errorMessage",
        "err_msg",
        "errMsg",
        "error_msg",
        "errorMsg",
        "error_description",
        "detail",  # FastAPI / DRF send {"detail": "..."} only for errors
    }
)
MESSAGE_LIKE = frozenset({*MESSAGE_KEYS, "error"})
INNER_STRIP = MESSAGE_LIKE - {*CODE_KEYS, "type"}  # message keys inside an ``error`` object
KIND_KEYS = ("type", "event")  # an object's kind: "error" says it is one (a WebSocket API's error frame)
FLAG_KEYS = ("success", "ok", *KIND_KEYS, "level")  # read for what they say of the object, never a code
SUCCESS_WORDS = frozenset({"ok", "success", "succeeded", "successful", "done", "成功"})
ERROR_WORDS = frozenset({"error", "fail", "failed", "failure", "err", "ko", "失败", "错误"})
REJECTED_WORDS = frozenset({"rejected", "refused", "denied", "已拒绝", "拒绝"})  # an error when it says why
WS_CLOSE_CODES = range(1000, 1016)  # RFC 6455's close codes: a closed WebSocket's, no API's
NORMAL_CLOSURE = 1000  # (a close that reports no error)
SUCCESS_CATEGORY = "success"  # the category of entries that are no error (market-data's code 0)
SUCCESS_CODES = frozenset({"OK", "SUCCESS", "0", "200"})
ERROR_LEVELS = frozenset({"ERROR", "ERR", "FATAL", "CRITICAL", "WARNING", "WARN"})
QUIET_LEVELS = frozenset({"INFO", "DEBUG", "TRACE", "NOTICE"})
# sub-objects searched for errors even when the record itself is a success
NESTED_HINTS = (
    "data",
    "result",
    "results",
    "response",
    "body",
    "payload",
    "items",
    "errors",
    "detail",
    "details",
    "notify",
)
# an HTTP client's response object: {status, statusText | headers, data | body}
WRAPPER_MARKS = frozenset({"statusText", "status_text", "headers", "statusCode"})
WRAPPER_BODY_KEYS = ("data", "body", "response")
# every field name the walk tells apart (envelope keys come from the catalogs on top)
KNOWN_NAMES = frozenset(
    {
        *CODE_KEYS,
        *ERROR_CODE_KEYS,
        *STATUS_KEYS,
        *MESSAGE_KEYS,
        *ERROR_ONLY_KEYS,
        *NESTED_HINTS,
        *WRAPPER_MARKS,
        *WRAPPER_BODY_KEYS,
        *FLAG_KEYS,
    }
)

# words that say a text reports an error: a text body is explained only when it says so (or is a
# catalog's own text almost word for word), and so is a body flagged a success whose message says so.
# The English words are matched in the text with its ASCII letters lower-cased (what (?i) does, but
# for the four letters outside ASCII that it folds into them: İ ı ſ K), once it holds a part one of
# them must have, the Chinese ones in a text that is not all ASCII: much faster than one case-blind
# search for both (an ellipsis, which is no word, counts as three dots)
_ERROR_WORDS = (  # (the English words, a pattern on the text lower-cased; a part each match of it holds)
    (r"err(?:or)?s?|\w+error|ssl_error_\w+", "err"),
    (r"fail(?:ed|ure|s)?", "fail"),
    (r"invalid|not\s+valid", "valid"),
    (r"not\s+found|enotfound", "found"),
    (r"denied", "denied"),
    (r"exceed(?:s|ed)?", "exceed"),
    (r"insufficient", "insufficient"),
    (r"missing", "missing"),
    (r"unable", "unable"),
    (r"cannot", "cannot"),
    (r"can't", "can't"),
    (r"refused|econnrefused", "refused"),
    (r"reject(?:ed|s|ing)?", "reject"),
    (r"expired?", "expire"),
    (r"forbidden", "forbidden"),
    (r"unauthori[sz]ed", "unauthori"),
    (r"unauthenticated|not\s+authenticated", "authenticated"),
    (r"unavailable", "unavailable"),
    (r"timed?\s*out|timeout|etimedout", "out"),
    (r"too\s+many", "many"),
    (r"not\s+allowed", "allowed"),
    (r"not\s+supported|unsupported", "supported"),
    (r"exhausted", "exhausted"),
    (r"incorrect", "incorrect"),
    (r"wrong", "wrong"),
    (r"frozen", "frozen"),
    (r"locked", "locked"),
    (r"suspended", "suspended"),
    (r"banned", "banned"),
    (r"exception|\w+exception", "exception"),
    (r"panic", "panic"),
    (r"crash(?:ed)?", "crash"),
    (r"violat\w*", "violat"),
    (r"mismatch", "mismatch"),
    (r"malformed", "malformed"),
    (r"already", "already"),
    (r"required", "required"),
    (r"overflow", "overflow"),
    (r"unknown", "unknown"),
    (r"revoked", "revoked"),
    (r"disabled", "disabled"),
    (r"blocked", "blocked"),
    (r"could\s+not|couldn't", "could"),
    (r"no\s+such\s+host", "such"),
    (r"unreachable|ehostunreach|enetunreach", "unreach"),
    (r"hang\s+up", "hang"),
    (r"econnreset", "econnreset"),
    (r"econnaborted", "econnaborted"),
    (r"eai_again", "eai_again"),
    (r"epipe", "epipe"),
)
_ERROR_WORDS_PATTERN = r"\b(?:" + "|".join(words for words, _ in _ERROR_WORDS) + r")\b"
_ERROR_WORD_PARTS = tuple(part for _, part in _ERROR_WORDS)  # a text with none has no English error word
_ERROR_WORDS_ZH_PATTERN = (
    r"错误|錯誤|失败|失敗|无效|無效|不足|拒绝|拒絕|超过|超過|超出|不存在|禁止|异常|異常|过期|過期|未认证|未認證|不支持|频繁|頻繁|过快|過快|限流|超限"
    r"|不在白名单|不在白名單|已禁用|已冻结|已凍結|没有权限|沒有權限|无权|無權|用尽|用盡|耗尽|耗盡|上限|不可用|暂停|暫停"
)


@functools.cache
def _error_text() -> tuple[re.Pattern[str], re.Pattern[str]]:
    # compiled when first asked: explain needs them rarely
    return re.compile(_ERROR_WORDS_PATTERN), re.compile(_ERROR_WORDS_ZH_PATTERN)


def says_error(text: str) -> bool:
    """The text has a word that reports an error (failed, invalid, 不足, ECONNRESET…)."""
    words, zh = _error_text()
    plain = text.isascii()
    english = text if plain else text.replace("\u2026", "...")  # (the reader's … between a line's words)
    if english.isascii():
        low = english.lower()
    else:  # (the ASCII letters only)
        low = english.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")
    if any(map(low.__contains__, _ERROR_WORD_PARTS)) and words.search(low) is not None:
        return True
    return not plain and zh.search(text) is not None
