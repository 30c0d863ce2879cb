"""Text inside a line: inline markup taken off, the script told (zh or en), wrapped lines joined."""

from __future__ import annotations

import re
from typing import Literal

_MD_LINK = re.compile(r"\[([^\[\]]+)\]\([^()]*\)")  # no bracket inside: linear on a run of [ or (
_MD_STRONG = re.compile(r"(\*\*|__)(.+?)\1")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


def strip_md(text: str) -> str:
    """Inline Markdown/HTML markup off a line: emphasis, links, tags like <br>."""
    if "[" in text:
        text = _MD_LINK.sub(r"\1", text)
    if "**" in text or "__" in text:
        text = _MD_STRONG.sub(r"\2", text)
    if "<" in text:
        text = _HTML_TAG.sub(" ", text)
    return _SPACES.sub(" ", text.replace("\u200b", "")).strip()


def unquote(text: str) -> str:
    text = text.strip()
    while len(text) >= 2 and text[0] == text[-1] and text[0] in "`'\"*":
        text = text[1:-1].strip()
    return text


HAN = re.compile(r"[\u4e00-\u9fff]")  # the common CJK ideographs, where GB18030 and OpenCC differ
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")


def lang_of(text: str) -> Literal["zh", "en"]:
    return "zh" if CJK.search(text) else "en"


def as_text(text: str) -> dict[str, str]:
    """A text as the draft holds it: the document's words under ``zh`` or ``en``, by their script."""
    return {lang_of(text): text}


def doc_language(sample: str) -> str:
    """``zh-Hant``, ``zh-Hans`` or ``en`` by the document's script."""
    han = "".join(HAN.findall(sample))[:20000]
    latin = len(re.findall(r"[A-Za-z]+", sample[:200000]))
    if not han or len(han) < latin // 20:
        return "en"
    from errcli.search.tables import script_changes  # the one owner of OpenCC

    changes = script_changes(han)
    if changes is None:
        return "zh"
    to_simplified, to_traditional = changes
    return "zh-Hant" if to_simplified > to_traditional else "zh-Hans"


def joined(a: str, b: str) -> str:
    """Two parts of a wrapped line: no space between CJK text, none inside brackets or before punctuation."""
    if not a:
        return b
    if not b or CJK.match(b[0]) or CJK.match(a[-1]) or a[-1] in "([（/" or b[0] in ")]）,.，。、":
        return a + b
    return f"{a} {b}"


def clean_title(title: str) -> str:
    return unquote(strip_md(title)).strip(" -–—:：")
