"""JSON decoding that never raises: what the reader needs to know about a failed decode."""

from __future__ import annotations

import re
from typing import Any

import msgspec

json_decode = msgspec.json.Decoder().decode
_TRAILING = re.compile(r"trailing characters \(byte (\d+)\)")
_AT_BYTE = re.compile(r"\(byte (\d+)\)")
_JSON_STRING = re.compile(rb'"(?:[^"\\\n]|\\.)*"?')


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


def bracket_depth(data: bytes) -> int:
    """Open minus closed brackets outside JSON strings (an estimate: it only decides when to try a decode)."""
    bare = _JSON_STRING.sub(b"", data)
    return bare.count(b"{") + bare.count(b"[") - bare.count(b"}") - bare.count(b"]")
