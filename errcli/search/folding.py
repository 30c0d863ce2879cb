"""The search form of a text, the same for the index and for a query.

NFKC (full-width → half-width), Traditional → Simplified (a one-character table that the index
stores, applied with ``str.translate``), camelCase split, case folding, every run of
letters/digits a word (``_``, ``-``, punctuation and spaces separate words), CJK runs apart from
Latin ones, and a few ``CANONICAL`` spellings (Taiwan terms, 太多/过多, 不够/不足).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

_WORD = re.compile(r"[^\W_]+")  # letters and digits; "_" and everything else separate words
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
# CJK Unified Ideographs (+ Extension A), compatibility ideographs, Extensions B-G.
_CJK_RANGES = (("\u3400", "\u9fff"), ("\uf900", "\ufaff"), ("\U00020000", "\U0003134f"))
# Words that mean the same in error messages, written one way (after Traditional → Simplified):
# Taiwan terms → Mainland terms (as OpenCC's tw2sp phrase table converts them), and everyday
# variants (太多/过多, 不够/不足). Applied to the index and to the query alike.
CANONICAL = {
    "伺服器": "服务器", "资料库": "数据库", "资料": "数据", "讯息": "消息", "网路": "网络", "连线": "连接",
    "逾时": "超时", "登入": "登录", "登陆": "登录", "预设": "默认", "设定": "设置", "档案": "文件",
    "金钥": "密钥", "使用者": "用户", "用户端": "客户端", "程式": "程序", "记忆体": "内存", "快取": "缓存",
    "频宽": "带宽", "执行绪": "线程", "储存": "存储", "存取": "访问", "支援": "支持", "唯读": "只读",
    "软体": "软件", "磁碟": "磁盘", "硬碟": "硬盘", "网际网路": "互联网", "伫列": "队列", "位址": "地址",
    "权杖": "令牌", "回应": "响应", "其它": "其他", "帐": "账",
    "太多": "过多", "太大": "过大", "太高": "过高", "太长": "过长", "太低": "过低", "太快": "过快",
    "太小": "过小", "太少": "过少", "太短": "过短", "太久": "过久", "太频繁": "过于频繁",
    "不够": "不足", "超出": "超过", "无法": "不能", "不对": "错误", "不正确": "错误", "有误": "错误",
    "有问题": "错误", "出问题": "错误", "出错": "错误", "报错": "错误",
}  # fmt: skip
_compiled: dict[str, re.Pattern[str]] = {}


def _pattern(name: str) -> re.Pattern[str]:
    """Regexes compiled on first use: CJK character classes take milliseconds to compile."""
    found = _compiled.get(name)
    if found is None:
        if name == "canonical":
            found = re.compile("|".join(sorted(map(re.escape, CANONICAL), key=len, reverse=True)))
        else:  # "cjk-runs": the same partition as split_cjk, for bulk text at build time
            cjk = "".join(f"{low}-{high}" for low, high in _CJK_RANGES)
            found = re.compile(f"[{cjk}]+|[^{cjk}]+")
        _compiled[name] = found
    return found


def is_cjk(text: str) -> bool:
    """Whether ``text`` starts with a CJK ideograph (the ranges of ``_CJK_RANGES``)."""
    if not text or text[0] < "\u3400":
        return False
    char = text[0]
    return char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or "\U00020000" <= char <= "\U0003134f"


def split_cjk(word: str, bulk: bool = False) -> list[str]:
    """A word of mixed scripts as runs: ``key无效`` → ``key``, ``无效``.

    ``bulk`` uses a regex (fast on long text, slow to compile); both give the same runs.
    """
    if word.isascii():
        return [word]
    if bulk:
        return _pattern("cjk-runs").findall(word)
    runs: list[str] = []
    start = 0
    kind = is_cjk(word[0])
    for i in range(1, len(word)):
        here = is_cjk(word[i])
        if here != kind:
            runs.append(word[start:i])
            start, kind = i, here
    runs.append(word[start:])
    return runs


def tokens(text: str, bulk: bool = False) -> list[str]:
    """Words (letters/digits) and CJK runs of an already folded text."""
    out: list[str] = []
    for word in _WORD.findall(text):
        out.extend(split_cjk(word, bulk))
    return out


def normalize(text: str, table: Mapping[int, int] | None = None, *, canonical: bool = True, bulk: bool = False) -> str:
    """The search form of a text: words and CJK runs, single spaces, Simplified, folded case.

    ``资金不足``, ``資金不足`` → ``资金不足``; ``insufficientBalance``, ``INSUFFICIENT-BALANCE`` →
    ``insufficient balance``; ``ＡＰＩ Key 無效`` → ``api key 无效``; ``餘額不夠`` → ``余额不足``.
    Without the index's ``table``, Traditional characters stay as they are.
    """
    text = unicodedata.normalize("NFKC", text)
    if table and not text.isascii():  # (the table changes CJK characters only)
        text = text.translate(table)
    if text.lower() != text:  # (a camelCase boundary is at an upper-case letter)
        text = _CAMEL.sub(" ", text)
    text = " ".join(tokens(text.casefold(), bulk))
    return canonicalize(text) if canonical else text


def canonicalize(text: str) -> str:
    """Replace the ``CANONICAL`` variants in a normalised text (they are CJK only, so this is the
    same before or after splitting into words)."""
    return text if text.isascii() else _pattern("canonical").sub(_canonical, text)


def _canonical(match: re.Match[str]) -> str:
    return CANONICAL[match.group()]


def t2s_table(pairs: str) -> dict[int, int]:
    """``str.translate`` table from the index's ``"繁简繁简…"`` pair string."""
    return str.maketrans(pairs[0::2], pairs[1::2]) if len(pairs) % 2 == 0 else {}
