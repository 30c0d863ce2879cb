"""Where the index build's character tables come from: OpenCC's Traditional → Simplified pairs
and pypinyin's readings, shipped in ``data/tables`` (read in milliseconds), else from the
libraries themselves. This is the only module that imports OpenCC or pypinyin, and only when a
table is not shipped (or to tell a text's script, for ``errcode import``).
"""

from __future__ import annotations

import _thread
import functools
import os
from collections.abc import Sequence
from typing import Any

# Characters whose Simplified form is taken from OpenCC: the BMP ideographs (Extension B has a few
# hundred more Traditional forms that no one types into an error search, at twice the cost).
_T2S_RANGES = ((0x3400, 0x9FFF), (0xF900, 0xFAFF))
# pypinyin's documented switches: no phrase dictionary (it takes longer to import than the index
# takes to build, and every reading of a character is indexed anyway), no copy of the tables
_PYPINYIN_ENV = ("PYPINYIN_NO_PHRASES", "PYPINYIN_NO_DICT_COPY")
_environ_lock = _thread.allocate_lock()


TABLES = ("t2s.txt", "pinyin.txt")  # in data/tables: what the index build reads of OpenCC and pypinyin


def shipped_table(name: str) -> list[str] | None:
    """The lines of a table in ``data/tables`` (``#`` lines are its header), or None when it is not there.

    The tables are OpenCC's one-character Traditional → Simplified pairs (:func:`extract_t2s`) and
    pypinyin's character table (:func:`pinyin_from_library`), written out once (``python tests/tables.py``)
    so that a first run reads them in milliseconds instead of loading both libraries (about 100 ms);
    the test suite checks that they equal what the installed libraries give.
    """
    from errcli.catalog.discover import bundled_data

    folder = bundled_data("tables")
    if folder is None:
        return None
    try:
        text = (folder / name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return [line for line in text.split("\n") if line and not line.startswith("#")]


def t2s_pairs() -> tuple[str, bool]:
    """The Traditional → Simplified pairs, as :func:`extract_t2s` gives them: shipped, else from OpenCC."""
    lines = shipped_table("t2s.txt")
    if lines is None or any(len(line) != 3 for line in lines):
        return extract_t2s()
    return "".join(line[0] + line[2] for line in lines), True


def pinyin_readings() -> dict[int, str] | None:
    """pypinyin's character table, as :func:`pinyin_from_library` gives it: shipped, else from pypinyin."""
    lines = shipped_table("pinyin.txt")
    if lines is None or any(line[1:2] != " " for line in lines):
        return pinyin_from_library()
    return {ord(line[0]): line[2:] for line in lines}


def pinyin_from_library() -> dict[int, str] | None:
    """pypinyin's character table: code point → ``"zhòng,chóng"``."""
    with _environ_lock:
        saved = {name: os.environ.get(name) for name in _PYPINYIN_ENV}
        os.environ.update(dict.fromkeys(_PYPINYIN_ENV, "1"))
        try:
            from pypinyin.pinyin_dict import pinyin_dict
        except ImportError:  # pragma: no cover - pypinyin is a dependency
            return None
        finally:
            for name, value in saved.items():
                if value is None:
                    del os.environ[name]
                else:
                    os.environ[name] = value
    return pinyin_dict if isinstance(pinyin_dict, dict) and pinyin_dict else None


def script_changes(han: str) -> tuple[int, int] | None:
    """How many of these Han characters OpenCC changes to Simplified, and how many to Traditional
    (which script a text is written in); None without OpenCC."""
    try:
        to_simplified, to_traditional = _converters()
        simplified = sum(a != b for a, b in zip(han, to_simplified.convert(han), strict=False))
        traditional = sum(a != b for a, b in zip(han, to_traditional.convert(han), strict=False))
    except Exception:  # noqa: BLE001 -- without OpenCC (or with a broken one) the script stays unknown
        return None
    return simplified, traditional


@functools.cache
def _converters() -> tuple[Any, Any]:
    """OpenCC's t2s and s2t converters, made once: each loads its dictionaries (about 80 ms)."""
    import opencc

    return opencc.OpenCC("t2s"), opencc.OpenCC("s2t")


def extract_t2s() -> tuple[str, bool]:
    """One-character Traditional → Simplified pairs from OpenCC: ``t2s``, plus the Taiwan and
    Hong Kong variants (``tw2s``, ``hk2s``) of characters that are not themselves Simplified
    (``tw2s`` turns 么 into 幺, but 么 is everyday Simplified: 什么)."""
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a dependency
        return "", False

    def convert(config: str, ranges: Sequence[tuple[int, int]]) -> dict[str, str]:
        chars = "".join(chr(c) for low, high in ranges for c in range(low, high + 1))
        # one character per line: OpenCC's phrase rules cannot join neighbours
        out = opencc.OpenCC(config).convert("\n".join(chars)).split("\n")
        if len(out) != len(chars):  # pragma: no cover - a different OpenCC
            return {}
        return {c: o for c, o in zip(chars, out, strict=True) if o != c and len(o) == 1}

    pairs = convert("t2s", _T2S_RANGES)
    simplified = set(pairs.values())
    for config in ("tw2s", "hk2s"):
        for char, simple in convert(config, _T2S_RANGES).items():
            if char not in pairs and char not in simplified:
                pairs[char] = simple
    return "".join(k + v for k, v in pairs.items()), True
