"""The field names and words real error responses use: data, read by :mod:`errcli.explain.detect`."""

from __future__ import annotations

# Generic code fields, most specific first.
CODE_KEYS = (
    "error_code",
    "errorCode",
    "err_code",
    "errCode",
    "errcode",
    "errno",
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
