"""JSON decoding that never raises: what the reader needs to know about a failed decode."""

from __future__ import annotations

import functools
import math
import re
from typing import Any

import msgspec

json_decode = msgspec.json.Decoder().decode
_TRAILING = re.compile(r"trailing characters \(byte (\d+)\)")
_AT_BYTE = re.compile(r"\(byte (\d+)\)")
_JSON_STRING = re.compile(rb'"(?:[^"\\\n]|\\.)*"?')

# What may follow a `[` that opens a JSON array: a number or literal then `,`/`]` (or the line's
# end: the array may go on below), or a string, array, object, `]` or whitespace. `[api]`,
# `[ERROR]`, `[2025-10-14T07:30:00Z]` and `[12:30:01]` cannot open one.
# It runs on nearly every log line's prefix: the look-ahead and the possessive quantifiers let
# such brackets fail at once, without backtracking.
ARRAY_OPEN = re.compile(
    rb'\[(?=[\s"\[{\]tfn\d-]|$)'
    rb'(?:[\s"\[{\]]|-?+\d++(?:\.\d++)?+(?:[eE][-+]?+\d++)?+\s*+(?:[,\]]|$)|(?:true|false|null)\s*+(?:[,\]]|$)|$)'
)


def _parse_error(exc: Exception) -> tuple[str, int | None]:
    """Classify a msgspec failure: ``truncated``, ``trailing`` (value ends at byte N) or ``malformed``."""
    text = str(exc)
    if isinstance(exc, msgspec.DecodeError):
        if text.startswith("Input data was truncated"):
            return "truncated", None
        if m := _TRAILING.search(text):
            return "trailing", int(m.group(1)) - 1
        if m := _AT_BYTE.search(text):
            return "malformed", int(m.group(1))
    return "malformed", None


def try_decode(buf: bytes | memoryview) -> tuple[str, Any, int | None]:
    """Decode without ever raising: (``ok``, value, None) or (kind, None, offset)."""
    try:
        return "ok", json_decode(buf), None
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError, UnicodeDecodeError, ValueError) as exc:
        kind, offset = _parse_error(exc)
        return kind, None, offset
    except Exception:  # noqa: BLE001 - the reader must survive any input, whatever the decoder raises
        return "malformed", None, None


def python_line(line: bytes, body: bytes, exc: Exception) -> dict[str, Any] | None:
    """The Python dict repr a line's ``body`` (from its first `{`) is, when its decode failed with
    ``exc`` the way the careful path reads as such: no JSON at all there (neither cut short nor a
    value with more after it), in a line of valid UTF-8 (the careful path reads bad bytes replaced);
    else None."""
    if _parse_error(exc)[0] != "malformed":
        return None
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return python_dict(body)


MAX_PYTHON_LITERAL = 64 * 1024  # bytes of a Python dict repr that are read (ast parses it whole)
_JSON_TYPES = (str, int, float, bool, type(None))


def python_dict(buf: bytes | memoryview) -> dict[str, Any] | None:
    """A Python dict repr that stands for a JSON object (``{'code': 1001, 'ok': False, 'data': None}``,
    as ``print(resp.json())`` writes it), read up to the last ``}`` of ``buf``; None for anything
    else. Only literals are read (:func:`ast.literal_eval`: no code runs); sets, bytes, complex
    numbers, keys that are not strings and infinite floats are no JSON, so they give None; tuples
    are lists."""
    data = bytes(buf[:MAX_PYTHON_LITERAL])
    end = data.rfind(b"}")
    if end < 0:
        return None
    data = data[: end + 1]
    if b"\\" not in data and b'"' not in data:
        # no escapes and no double quotes: each string is '…' with nothing to unescape, so the
        # JSON it stands for is a quote swap and three words away (and far quicker than ast)
        try:
            value = json_decode(_PYTHON_TOKEN.sub(_json_token, data))
        except Exception:  # noqa: BLE001, S110 - a tuple, a set, inf…: ast decides below
            pass
        else:
            return value if type(value) is dict else None
    import ast
    import warnings

    try:
        with warnings.catch_warnings():  # an odd escape in what it reads is no warning to the user
            warnings.simplefilter("ignore")
            value = _as_json(ast.literal_eval(data.decode("utf-8")), 0)
    except Exception:  # noqa: BLE001 - SyntaxError, ValueError, MemoryError, RecursionError...: no literal
        return None
    return value if type(value) is dict else None


_PYTHON_TOKEN = re.compile(rb"'[^']*'|\b(?:True|False|None)\b")
_PYTHON_WORDS = {b"True": b"true", b"False": b"false", b"None": b"null"}


def _json_token(m: re.Match[bytes]) -> bytes:
    token = m.group()
    return b'"' + token[1:-1] + b'"' if token[:1] == b"'" else _PYTHON_WORDS[token]


def _as_json(value: Any, depth: int) -> Any:
    """A Python literal as JSON decodes it (tuples are lists); ValueError for what JSON cannot hold."""
    kind = type(value)
    if depth > 64:
        raise ValueError("deep")
    if kind is dict:
        if not all(type(k) is str for k in value):
            raise ValueError("key")
        return {k: _as_json(v, depth + 1) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [_as_json(v, depth + 1) for v in value]
    if kind not in _JSON_TYPES or (kind is float and not math.isfinite(value)):
        raise ValueError("no JSON value")
    return value


def bracket_depth(data: bytes) -> int:
    """Open minus closed brackets outside JSON strings (an estimate: it only decides when to try a decode)."""
    bare = _JSON_STRING.sub(b"", data)
    return bare.count(b"{") + bare.count(b"[") - bare.count(b"}") - bare.count(b"]")


# --- a JavaScript object literal, as Node's console.log / util.inspect prints one -------------------

MAX_JS_LITERAL = 64 * 1024
# an object literal's opening: a bare or single-quoted key and its colon (``{ status: 400,``)
JS_OPEN = re.compile(rb"\{\s*(?:[A-Za-z_$][\w$]*|'(?:[^'\\\n]|\\.)*')\s*:")
_JS_TOKEN = (
    rb"(?P<single>'(?:[^'\\\n]|\\.)*')"  # a single-quoted string
    rb'|(?P<double>"(?:[^"\\\n]|\\.)*")'  # a double-quoted one: as JSON has it
    rb"|(?P<key>[A-Za-z_$][\w$]*)(?=\s*:)"  # a bare key
    rb"|(?P<none>\[(?:Object|Array|Function|Circular|Getter|Setter)\b[^\]\n]*\]|\{\s*\.\.\.\s*\}|\[\s*\.\.\.\s*\]"
    rb"|(?<![\w$.])(?:undefined|NaN|-?Infinity)\b)"  # inspect's stand-ins, and what JSON has no word for
    rb"|(?P<gone>\.\.\.\s*\d+\s+more\s+items?"  # what it left out of a long array
    rb"|(?:[A-Z][\w$]*\s*)?\[[\w$]+\]\s*(?=\{)|[A-Z][\w$]*\s+(?=\{))"  # a class's name before its braces
)
_JS_STRING_PART = rb'\\.|"'
_TRAILING_COMMA = rb'"(?:[^"\\]|\\.)*"|,(\s*[}\]])'


@functools.cache
def _js_patterns() -> tuple[re.Pattern[bytes], re.Pattern[bytes], re.Pattern[bytes]]:
    """(tokens, a string's parts, trailing commas): compiled when the first literal is read."""
    return re.compile(_JS_TOKEN), re.compile(_JS_STRING_PART), re.compile(_TRAILING_COMMA)


_JS_WORDS = {"none": b"null", "gone": b""}  # what these tokens become


def _js_string_part(m: re.Match[bytes]) -> bytes:
    part = m.group()
    return b'\\"' if part == b'"' else b"'" if part == b"\\'" else part


def _js_token(m: re.Match[bytes]) -> bytes:
    kind = m.lastgroup
    token = m.group()
    if kind == "single":
        return b'"' + _js_patterns()[1].sub(_js_string_part, token[1:-1]) + b'"'
    if kind == "key":
        return b'"' + token + b'"'
    return _JS_WORDS.get(kind or "", token)  # a double-quoted string stays as it is


def js_object(buf: bytes | memoryview) -> dict[str, Any] | None:
    """A JavaScript object literal as Node prints one (``{ status: 400, data: { code: 'X' } }``: bare
    keys, single quotes, ``undefined``, ``[Object]``, ``Object [AxiosHeaders] {…}``), read up to the
    last ``}`` of ``buf`` as the JSON object it stands for; None for anything else. Never raises."""
    data = bytes(buf[:MAX_JS_LITERAL])
    end = data.rfind(b"}")
    if end < 0 or not JS_OPEN.match(data):
        return None
    try:
        tokens, _, commas = _js_patterns()
        text = commas.sub(lambda m: m.group(1) or m.group(0), tokens.sub(_js_token, data[: end + 1]))
        value = json_decode(text)
    except Exception:  # noqa: BLE001 - whatever is no literal is None
        return None
    return value if type(value) is dict else None
