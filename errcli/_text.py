"""Text shown to people, made safe: the one escaping function for every output (stdlib only).

Cards, tables, messages, JSON-free plain output and TAB completion all show catalog and
input text through :func:`safe`, so a hostile catalog or response cannot write to the
clipboard (OSC 52), retitle the window or clear the screen.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (costs start-up time)
if TYPE_CHECKING:
    from collections.abc import Callable

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


# what :func:`safe` escapes: C0 and C1 controls, DEL, and the invisible characters above
_CONTROL = (*range(0x20), *(ord(c) for c in "\x7f" + INVISIBLE))
_ESCAPES = {c: f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}" for c in _CONTROL}
_ESCAPES_MULTILINE = {c: e for c, e in _ESCAPES.items() if c not in (0x09, 0x0A)}  # tab and newline kept


def safe(text: str, multiline: bool = False) -> str:
    """Show control characters and bidi overrides as visible escapes (``multiline``: tabs and newlines kept)."""
    return text.translate(_ESCAPES_MULTILINE if multiline else _ESCAPES)


_CAMEL = r"(?<=[a-z0-9])(?=[A-Z])"
_SEPARATORS = r"[\s\-.]+"


_folding: list[Callable[..., str]] = []  # NFKC, and the two substitutions, once first used


def fold_symbol(text: str) -> str:
    """``insufficient-balance``, ``insufficientBalance`` → ``INSUFFICIENT_BALANCE``."""
    if not _folding:  # (here, not above: TAB completion imports this module for safe alone)
        import re
        import unicodedata

        _folding.extend((unicodedata.normalize, re.compile(_CAMEL).sub, re.compile(_SEPARATORS).sub))
    normalize, camel, separators = _folding
    return separators("_", camel("_", normalize("NFKC", text).strip())).upper()
