"""Text shown to people, made safe: the one escaping function for every output (stdlib only).

Cards, tables, messages, JSON-free plain output and TAB completion all show catalog and
input text through :func:`safe`, so a hostile catalog or response cannot write to the
clipboard (OSC 52), retitle the window or clear the screen.
"""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
# what JSON and YAML encoders write raw although a terminal acts on it or a reader cannot see it: C1
# controls, zero-width characters, line separators, bidi marks and overrides, the byte-order mark
INVISIBLE = "".join(
    chr(c)
    for low, high in (
        (0x80, 0x9F),
        (0x61C, 0x61C),
        (0x200B, 0x200F),
        (0x2028, 0x202E),
        (0x2060, 0x2060),
        (0x2066, 0x2069),
        (0xFEFF, 0xFEFF),
    )
    for c in range(low, high + 1)
)
ESCAPED_INVISIBLE = {ord(c): f"\\u{ord(c):04x}" for c in INVISIBLE}  # as JSON and double-quoted YAML write them


def safe(text: str, multiline: bool = False) -> str:
    """Show control characters and bidi overrides as visible escapes."""

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if multiline and char in "\n\t":
            return char
        return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"

    return _CONTROL.sub(escape, text)


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS = re.compile(r"[\s\-.]+")


def fold_symbol(text: str) -> str:
    """``insufficient-balance``, ``insufficientBalance`` → ``INSUFFICIENT_BALANCE``."""
    text = unicodedata.normalize("NFKC", text).strip()
    text = _CAMEL.sub("_", text)
    return _SEPARATORS.sub("_", text).upper()
