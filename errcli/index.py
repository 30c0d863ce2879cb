"""The search index: every entry's searchable text in normalised form, compiled once and cached.

What is indexed, per entry, in classes that rank differently (see ``errcli.search``):
``code`` (code, symbol, HTTP status), ``title`` (titles, context titles), ``keywords``
(keywords, context names, headers), ``text`` (description, causes, fixes, limits, retry
advice, contexts, detail meanings, category title) and ``example`` (example responses), in
both languages; and the pinyin of the Chinese titles and keywords, full syllables and
initials, with every reading of a polyphonic character (频率 pin lv, 行情 hang qing).

Normalisation, the same at build and at query time: NFKC (full-width → half-width),
Traditional → Simplified, camelCase split, case folding, every run of letters/digits a word
(``_``, ``-``, punctuation and spaces separate words), and a few ``CANONICAL`` spellings
(Taiwan terms, 太多/过多, 不够/不足). Traditional → Simplified takes a one-character table
from OpenCC at build time, which the index stores, so a query converts with ``str.translate``;
the pinyin comes from pypinyin's character table. A search imports neither OpenCC nor pypinyin.

Terms are words, CJK characters and bigrams, pinyin syllable pairs and initial pairs, and the
folded codes; each posting list is ordered best entries first (code, title, keyword fields,
shortest first; then texts, examples, pinyin), so a query can take the top of a long list.

The compiled index is msgpack (msgspec) under ``$XDG_CACHE_HOME/errcode/`` (fallback
``~/.cache/errcode/``, the folder of ``errcli.store.cache``), keyed by each catalog file's (path,
size, mtime_ns), the errcode version and ``INDEX_FORMAT``. It is written while it is built
(documents as entries are added, postings at the end), to a temporary file in the same folder
that is then renamed over the old one, so concurrent runs see the old file or the new one and
the build never holds everything twice. It is read memory-mapped: the big parts are zero-copy
``memoryview`` s, so loading costs the same for 100 entries as for 100 000, and a query decodes
only the entries it scores. A corrupt, stale or foreign file is rebuilt; without a writable
cache folder the index is built in memory.
"""

from __future__ import annotations

import itertools
import os
import re
import sys
import time
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO, Literal

import msgspec

from errcli import __version__
from errcli.catalog import CatalogSet
from errcli._text import fold_symbol
from errcli.model import Catalog, Entry, Text

INDEX_FORMAT = 2
Key = tuple[tuple[str, str, int, int, int], ...]  # per catalog: (id, path, size, mtime_ns, entries)

# Field classes, in the order a posting list prefers them (and the order of a document).
CODE, TITLE, KEYWORD, TEXT, EXAMPLE, TITLE_PY, KEYWORD_PY, TITLE_IN, KEYWORD_IN = range(9)
CLASS_NAMES = ("code", "title", "keywords", "text", "example", "pinyin", "pinyin", "initials", "initials")
# the plain class each pinyin class is derived from (field i of one is field i of the other)
PINYIN_SOURCE = {TITLE_PY: TITLE, KEYWORD_PY: KEYWORD, TITLE_IN: TITLE, KEYWORD_IN: KEYWORD}

# Term namespaces: plain words and CJK uni-/bigrams have none.
NS_PINYIN = "\x01"  # two consecutive syllables, "zi jin"
NS_INITIALS = "\x02"  # two consecutive initials, "zj"
NS_CODE = "\x03"  # a folded code or symbol, "INSUFFICIENT_BALANCE", "1001"

CLASS_SEP = "\x1e"  # between the classes of one document
PINYIN_SEP = " | "  # between the spellings of one field (polyphonic characters: 重 zhong, chong)
FIELD_SEP = " \n "  # between the fields of one class (spaces keep word boundaries)

SEVERITY_RANK = {"critical": 0, "warning": 1, "info": 2}
MAX_ENTRIES = (1 << 32) - 1  # entry numbers are uint32

_WORD = re.compile(r"[^\W_]+")  # letters and digits; "_" and everything else separate words
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
# CJK Unified Ideographs (+ Extension A), compatibility ideographs, Extensions B-G.
_CJK_RANGES = (("\u3400", "\u9fff"), ("\uf900", "\ufaff"), ("\U00020000", "\U0003134f"))
# Characters whose Simplified form is taken from OpenCC: the BMP ideographs (Extension B has a few
# hundred more Traditional forms that no one types into an error search, at twice the cost).
_T2S_RANGES = ((0x3400, 0x9FFF), (0xF900, 0xFAFF))
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
    """
    text = unicodedata.normalize("NFKC", text)
    if table:
        text = text.translate(table)
    text = " ".join(tokens(_CAMEL.sub(" ", text).casefold(), bulk))
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


# --- what is indexed -------------------------------------------------------------------


def _texts(*texts: Text | None) -> list[str]:
    return [t for text in texts if text is not None for t in (text.zh, text.en) if t]


def entry_fields(entry: Entry, catalog: Catalog | None = None) -> list[list[str]]:
    """The original texts of each plain class, in index order (``CODE`` … ``EXAMPLE``)."""
    code = [str(entry.code)]
    if entry.symbol:
        code.append(entry.symbol)
    statuses = {entry.http_status, *(c.http_status for c in entry.contexts)} - {None}
    code.extend(f"HTTP {s}" for s in sorted(s for s in statuses if s is not None))
    title = _texts(entry.title, *(c.title for c in entry.contexts))
    keywords = [*entry.keywords, *entry.messages, *_texts(*(c.name for c in entry.contexts)), *entry.headers]
    text = _texts(entry.description, *entry.causes, *entry.fixes, *entry.limits, entry.retry_advice)
    for context in entry.contexts:
        text.extend(_texts(context.description, *context.causes, *context.fixes, *context.limits))
    text.extend(_texts(*(d.meaning for d in entry.details)))
    category = catalog.category(entry.category) if catalog is not None else None
    if category is not None:
        text.extend(_texts(category.title))
    return [code, title, keywords, text, list(entry.examples)]


class IndexData(msgspec.Struct, array_like=True, frozen=True):
    """The compiled index as stored, in the order the builder writes it.

    Arrays are little-endian: ``*_off`` uint64, ``post`` uint32 entry numbers. Decoded from a
    memory-mapped file, the ``memoryview`` fields are views into it: nothing is copied.
    """

    format: int
    version: str
    key: Key
    features: tuple[str, ...]  # "opencc", "pypinyin" when they were used
    catalog_ids: tuple[str, ...]
    catalog_counts: tuple[int, ...]
    t2s: str  # "繁简繁简…" one-character pairs
    docs: memoryview  # UTF-8 documents, one per entry (streamed while entries are added)
    severity: memoryview  # one byte per entry: SEVERITY_RANK
    docs_off: memoryview  # uint64[n + 1]
    syllables: str  # the pinyin syllables that occur, space-separated
    terms: memoryview  # UTF-8 sorted terms, each followed by "\n"
    terms_off: memoryview  # uint64[t + 1]
    term_class: memoryview  # one byte per term: the best class it occurs in (CODE … KEYWORD_IN)
    latin: tuple[int, int]  # the range of term numbers that are plain words below U+3400 (for prefixes, typos)
    post_off: memoryview  # uint64[t + 1]
    post: memoryview  # uint32 entry numbers, each term's list best entries first


def _bin_header(size: int) -> bytes:
    if size < 1 << 8:
        return b"\xc4" + size.to_bytes(1, "big")
    if size < 1 << 16:
        return b"\xc5" + size.to_bytes(2, "big")
    return b"\xc6" + size.to_bytes(4, "big")


def _view(data: memoryview, code: Literal["I", "Q"]) -> Sequence[int]:
    if sys.byteorder == "big":
        arr = array(code)
        arr.frombytes(data)
        arr.byteswap()
        return arr
    return data.cast(code)


# --- building ------------------------------------------------------------------------


_TONELESS = str.maketrans(
    "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvnnnm"
)  # fmt: skip
MAX_READINGS = 2  # of one character, most common first (重: zhong, chong; 行: xing, hang)
MAX_SPELLINGS = 8  # of one field: the first readings, then one polyphonic character changed at a time


def _load_pinyin_table() -> dict[int, str] | None:
    """pypinyin's character table (code point → "zhòng,chóng"), without importing pypinyin:
    its phrase dictionary alone takes ~150 ms to import, and every reading is indexed anyway."""
    from importlib.util import find_spec, module_from_spec, spec_from_file_location

    try:
        spec = find_spec("pypinyin")
        if spec is None or not spec.submodule_search_locations:
            return None
        path = Path(next(iter(spec.submodule_search_locations))) / "pinyin_dict.py"
        table_spec = spec_from_file_location("_errcode_pinyin_dict", path)
        if table_spec is None or table_spec.loader is None:
            return None
        module = module_from_spec(table_spec)
        table_spec.loader.exec_module(module)
        table = getattr(module, "pinyin_dict", None)
    except (ImportError, OSError, SyntaxError, ValueError):
        return None
    return table if isinstance(table, dict) and table else None


class _Pinyin:
    """Every reading of each CJK character, from pypinyin's table, toneless (绿 → lv)."""

    def __init__(self) -> None:
        table = _load_pinyin_table()
        if table is None:
            try:  # a pypinyin whose layout differs: the public module has the same table
                from pypinyin.pinyin_dict import pinyin_dict

                table = dict(pinyin_dict)
            except ImportError:  # pragma: no cover - pypinyin is a dependency
                table = None
        self.available = table is not None
        self._table: dict[int, str] = table or {}
        self._chars: dict[str, tuple[str, ...]] = {}
        self.syllables: set[str] = set()

    def readings(self, char: str) -> tuple[str, ...]:
        found = self._chars.get(char)
        if found is None:
            raw = self._table.get(ord(char), "")
            found = tuple(dict.fromkeys(r.translate(_TONELESS) for r in raw.split(",") if r))[:MAX_READINGS]
            found = tuple(r for r in found if r.isascii() and r.isalpha())
            self._chars[char] = found
            self.syllables.update(found)
        return found

    def fields(self, field: str) -> tuple[str, str, set[str], set[str]]:
        """Full pinyin (``zi jin bu zu``) and initials (``z j b z``) of a normalised field, with
        ``" | "`` between spellings when a character has several readings, and the pair terms
        (``\x01zi jin``, ``\x02zj``) of every reading."""
        if not self.available or field.isascii():
            return "", "", set(), set()
        full: list[tuple[str, ...]] = []  # per position, its readings (a Latin word: itself)
        initials: list[tuple[str, ...]] = []  # CJK positions only
        for token in field.split(" "):
            if token and is_cjk(token):
                for readings in map(self.readings, token):
                    if readings:
                        full.append(readings)
                        initials.append(tuple(dict.fromkeys(r[0] for r in readings)))
            elif token:
                full.append((token,))
        return _spellings(full), _spellings(initials), _pairs(full, NS_PINYIN, " "), _pairs(initials, NS_INITIALS, "")


def _spellings(slots: list[tuple[str, ...]]) -> str:
    """The first readings, then the same with one polyphonic character read otherwise."""
    if not slots:
        return ""
    first = [s[0] for s in slots]
    spellings = [" ".join(first)]
    for i, options in enumerate(slots):
        for other in options[1:]:
            if len(spellings) < MAX_SPELLINGS:
                spellings.append(" ".join([*first[:i], other, *first[i + 1 :]]))
    return PINYIN_SEP.join(spellings)


def _pairs(slots: list[tuple[str, ...]], namespace: str, joiner: str) -> set[str]:
    return {namespace + a + joiner + b for left, right in itertools.pairwise(slots) for a in left for b in right}


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


def _code_keys(entry: Entry) -> set[str]:
    keys = {fold_symbol(str(entry.code))}
    if entry.symbol:
        keys.add(fold_symbol(entry.symbol))
    return {k for k in keys if k}


def _field_terms(field: str) -> set[str]:
    """Words, CJK characters and CJK bigrams of a normalised field."""
    terms: set[str] = set()
    for token in field.split(" "):
        if token.isascii() or not is_cjk(token):
            terms.add(token)
        else:
            terms.update(token)
            terms.update(token[i : i + 2] for i in range(len(token) - 1))
    terms.discard("")
    return terms


N_BUCKETS = 12 + 9  # posting priority: code/title/keyword fields by length (0-11), then 12 + class


class _Builder:
    """Collects documents and postings entry by entry, in bounded memory.

    With a ``sink`` (the cache file being written) the documents go straight to it and the
    postings are streamed into it at the end, so neither is ever held twice.
    """

    # Catalogs repeat their wording: remember that many normalised texts, term sets, pinyin
    # (bounded: a term set costs a few kB).
    MEMO_TEXTS = 20_000
    MEMO_TERMS = 4_000
    MEMO_PINYIN = 20_000

    def __init__(self, cs: CatalogSet, key: Key, sink: BinaryIO | None) -> None:
        self.t2s, has_opencc = extract_t2s()
        self.table = t2s_table(self.t2s)
        self.pinyin = _Pinyin()
        self.features = (*(("opencc",) if has_opencc else ()), *(("pypinyin",) if self.pinyin.available else ()))
        self.head = (
            INDEX_FORMAT,
            __version__,
            key,
            self.features,
            tuple(c.id for c in cs.catalogs),
            tuple(len(c.entries) for c in cs.catalogs),
            self.t2s,
        )
        self._norm: dict[str, str] = {}
        self._terms: dict[str, set[str]] = {}
        self._pinyin: dict[str, tuple[str, str, set[str], set[str]]] = {}
        # bucket → term → entry numbers: a posting list is its buckets in order, best first,
        # so it needs no sorting (a query takes the first TOP_K of a long list)
        self.postings: list[defaultdict[str, array[int]]] = [defaultdict(partial(array, "I")) for _ in range(N_BUCKETS)]
        self.sink = sink
        self.docs = bytearray()
        self.docs_off = array("Q", [0])
        self.severity = bytearray()
        if sink is not None:
            sink.write(b"\xdc" + len(IndexData.__struct_fields__).to_bytes(2, "big"))  # array16
            for value in self.head:
                sink.write(msgspec.msgpack.encode(value))
            self.docs_at = sink.tell()
            sink.write(b"\xc6\0\0\0\0")  # bin32; the length is written when it is known

    def norm(self, text: str) -> str:
        """The normalised text before ``canonicalize``: what pinyin spells (不够 bu gou)."""
        found = self._norm.get(text)
        if found is None:
            found = normalize(text, self.table, canonical=False, bulk=True)
            if len(self._norm) < self.MEMO_TEXTS:
                self._norm[text] = found
        return found

    def terms(self, field: str) -> set[str]:
        found = self._terms.get(field)
        if found is None:
            found = _field_terms(field)
            if len(self._terms) < self.MEMO_TERMS:
                self._terms[field] = found
        return found

    def pinyin_of(self, field: str) -> tuple[str, str, set[str], set[str]]:
        """Full pinyin, initials, and their pair terms, of a normalised (not canonical) field."""
        found = self._pinyin.get(field)
        if found is None:
            found = self.pinyin.fields(field)
            if len(self._pinyin) < self.MEMO_PINYIN:
                self._pinyin[field] = found
        return found

    def add(self, gid: int, entry: Entry, catalog: Catalog) -> None:
        written = [[self.norm(t) for t in texts] for texts in entry_fields(entry, catalog)]
        plain = [[canonicalize(f) for f in fields] for fields in written]
        # pinyin spells what is written (不够 bu gou), not its canonical form
        title_py = [self.pinyin_of(f) for f in written[TITLE]]
        keyword_py = [self.pinyin_of(f) for f in written[KEYWORD]]
        classes = [*plain, [p[0] for p in title_py], [p[0] for p in keyword_py]]
        classes += [[p[1] for p in title_py], [p[1] for p in keyword_py]]
        seen: set[str] = set()
        self._post(0, gid, {NS_CODE + k for k in _code_keys(entry)}, seen)
        for rank in (CODE, TITLE, KEYWORD):  # few, short fields: the shortest one sets the bucket
            for field in sorted(classes[rank], key=len):
                if field:
                    self._post(rank * 4 + min(3, len(field) // 8), gid, self.terms(field) - seen, seen)
        for rank in (TEXT, EXAMPLE):
            found = set().union(*(self.terms(f) for f in plain[rank] if f))
            self._post(12 + rank, gid, found - seen, seen)
        for rank, source, part in (
            (TITLE_PY, title_py, 2),
            (KEYWORD_PY, keyword_py, 2),
            (TITLE_IN, title_py, 3),
            (KEYWORD_IN, keyword_py, 3),
        ):
            found = set().union(*(p[part] for p in source))
            self._post(12 + rank, gid, found - seen, seen)
        doc = CLASS_SEP.join(FIELD_SEP.join(fields) for fields in classes).encode()
        if self.sink is not None:
            self.sink.write(doc)
        else:
            self.docs += doc
        self.docs_off.append(self.docs_off[-1] + len(doc))
        self.severity.append(SEVERITY_RANK.get(entry.severity or "", 3))

    def _post(self, bucket: int, gid: int, terms: set[str], seen: set[str]) -> None:
        seen |= terms
        postings = self.postings[bucket]
        for term in terms:  # ~200 terms per entry: the builder's hottest loop
            postings[term].append(gid)

    def finish(self) -> IndexData | None:
        """The index (in memory), or None once it is written to the sink."""
        where: dict[str, list[int]] = {}  # term → the buckets that hold it, best first
        for number, bucket in enumerate(self.postings):
            for term in bucket:
                holders = where.get(term)
                if holders is None:
                    where[term] = [number]
                else:
                    holders.append(number)
        terms = sorted(where)
        term_blob = bytearray()
        terms_off = array("Q", [0])
        term_class = bytearray()
        post_off = array("Q", [0])
        latin = [0, 0]
        for i, term in enumerate(terms):
            # plain words sort between the namespaced terms ("\x01"…"\x03") and CJK (from U+3400)
            if term.startswith((NS_PINYIN, NS_INITIALS, NS_CODE)):
                latin = [i + 1, i + 1]
            elif term < "\u3400":
                latin[1] = i + 1
            term_blob += term.encode() + b"\n"
            terms_off.append(len(term_blob))
            buckets = where[term]
            term_class.append(buckets[0] // 4 if buckets[0] < 12 else buckets[0] - 12)
            post_off.append(post_off[-1] + sum(len(self.postings[b][term]) for b in buckets))

        def lists(term: str) -> list[array[int]]:
            """A term's posting list, best bucket first (taken out of the builder)."""
            return [self.postings[b].pop(term) for b in where[term]]

        for arr in (self.docs_off, terms_off, post_off):
            _little_endian(arr)
        syllables = " ".join(sorted(self.pinyin.syllables)) if self.pinyin.available else ""
        middle: tuple[Any, ...] = (
            memoryview(self.severity),
            memoryview(self.docs_off).cast("B"),
            syllables,
            memoryview(term_blob),
            memoryview(terms_off).cast("B"),
            memoryview(term_class),
            (latin[0], max(latin)),
            memoryview(post_off).cast("B"),
        )
        sink = self.sink
        if sink is None:
            post = array("I")
            for term in terms:
                for values in lists(term):
                    post.extend(values)
            _little_endian(post)
            return self._data(memoryview(self.docs), middle, memoryview(post).cast("B"))
        end = sink.tell()
        sink.seek(self.docs_at + 1)
        sink.write((self.docs_off[-1] if sys.byteorder == "little" else len(self.docs_off)).to_bytes(4, "big"))
        sink.seek(end)
        for value in middle:
            if isinstance(value, memoryview):
                sink.write(_bin_header(value.nbytes))
                sink.write(value)
            else:
                sink.write(msgspec.msgpack.encode(value))
        sink.write(_bin_header(post_off[-1] * 4 if sys.byteorder == "little" else 0))
        for term in terms:
            for values in lists(term):
                sink.write(_little_endian(values))
        return None

    def _data(self, docs: memoryview, middle: tuple[Any, ...], post: memoryview) -> IndexData:
        values = (*self.head, docs, *middle, post)
        return IndexData(**dict(zip(IndexData.__struct_fields__, values, strict=True)))


def _little_endian(arr: array[int]) -> array[int]:
    if sys.byteorder == "big":  # pragma: no cover - the stored index is little-endian
        arr.byteswap()
    return arr


def _add_all(builder: _Builder, cs: CatalogSet) -> None:
    gid = 0
    for catalog in cs.catalogs:
        for entry in catalog.entries:
            if gid >= MAX_ENTRIES:
                raise ValueError(f"more than {MAX_ENTRIES} entries cannot be indexed")
            builder.add(gid, entry, catalog)
            gid += 1


def build(cs: CatalogSet, key: Key = ()) -> IndexData:
    """Compile the index of every entry in ``cs``, in memory (imports OpenCC and pypinyin)."""
    builder = _Builder(cs, key, None)
    _add_all(builder, cs)
    data = builder.finish()
    assert data is not None  # noqa: S101 - no sink: finish returns the index
    return data


def build_into(cs: CatalogSet, key: Key, path: Path) -> bool:
    """Compile the index straight into the cache file ``path`` (atomically); False if unwritable."""
    return _write_atomic(path, lambda fh: _build_stream(cs, key, fh))


def _build_stream(cs: CatalogSet, key: Key, fh: BinaryIO) -> None:
    builder = _Builder(cs, key, fh)
    _add_all(builder, cs)
    builder.finish()


# --- the loaded index ------------------------------------------------------------------


class Index:
    """Read access to an ``IndexData``: term lookup, postings, documents."""

    def __init__(self, data: IndexData, source: str = "memory") -> None:
        self.data = data
        self.source = source  # "cache", "built", "memory"
        self.size = len(data.severity)
        self._docs_off = _view(data.docs_off, "Q")
        self._terms_off = _view(data.terms_off, "Q")
        self._post_off = _view(data.post_off, "Q")
        self._post = _view(data.post, "I")
        self.n_terms = len(self._terms_off) - 1
        self._table: dict[int, int] | None = None
        self._syllables: frozenset[str] | None = None
        self._latin: list[str] | None = None
        self._check()

    def _check(self) -> None:
        d = self.data
        ok = (
            len(self._docs_off) == self.size + 1
            and self._docs_off[-1] == len(d.docs)
            and len(self._post_off) == self.n_terms + 1
            and self._post_off[-1] == len(self._post)
            and self._terms_off[-1] == len(d.terms)
            and len(d.term_class) == self.n_terms
            and sum(d.catalog_counts) == self.size
            and len(d.catalog_ids) == len(d.catalog_counts)
            and 0 <= d.latin[0] <= d.latin[1] <= self.n_terms
        )
        if not ok:
            raise ValueError("inconsistent index")

    @property
    def table(self) -> dict[int, int]:
        if self._table is None:
            self._table = t2s_table(self.data.t2s)
        return self._table

    @property
    def syllables(self) -> frozenset[str]:
        if self._syllables is None:
            self._syllables = frozenset(self.data.syllables.split())
        return self._syllables

    def normalize(self, text: str) -> str:
        return normalize(text, self.table)

    def term(self, i: int) -> str:
        return bytes(self.data.terms[self._terms_off[i] : self._terms_off[i + 1] - 1]).decode("utf-8", "replace")

    def _lower_bound(self, key: bytes, low: int = 0, high: int | None = None) -> int:
        high = self.n_terms if high is None else high
        terms, off = self.data.terms, self._terms_off
        while low < high:
            mid = (low + high) // 2
            if bytes(terms[off[mid] : off[mid + 1] - 1]) < key:
                low = mid + 1
            else:
                high = mid
        return low

    def find(self, term: str) -> int | None:
        key = term.encode()
        i = self._lower_bound(key)
        if i < self.n_terms and bytes(self.data.terms[self._terms_off[i] : self._terms_off[i + 1] - 1]) == key:
            return i
        return None

    def with_prefix(self, prefix: str, limit: int = 50) -> list[tuple[int, str]]:
        """Plain words that start with ``prefix`` (the word itself excluded)."""
        start, end = self.data.latin
        i = self._lower_bound(prefix.encode(), start, end)
        out: list[tuple[int, str]] = []
        while i < end and len(out) < limit:
            word = self.term(i)
            if not word.startswith(prefix):
                break
            if word != prefix:
                out.append((i, word))
            i += 1
        return out

    def latin_words(self) -> list[str]:
        """Every plain word (for typo matching); decoded once, on first use."""
        if self._latin is None:
            start, end = self.data.latin
            if start >= end:
                self._latin = []
            else:
                blob = bytes(self.data.terms[self._terms_off[start] : self._terms_off[end]])
                self._latin = blob.decode("utf-8", "replace").split("\n")[:-1]
        return self._latin

    def term_class(self, term_id: int) -> int:
        """The best class the term occurs in: ``CODE`` … ``KEYWORD_IN``."""
        return self.data.term_class[term_id]

    def df(self, term_id: int) -> int:
        return self._post_off[term_id + 1] - self._post_off[term_id]

    def postings(self, term_id: int, limit: int | None = None) -> Sequence[int]:
        low, high = self._post_off[term_id], self._post_off[term_id + 1]
        if limit is not None:
            high = min(high, low + limit)
        return self._post[low:high]

    def doc(self, gid: int) -> list[str]:
        """The entry's classes (``CODE`` … ``KEYWORD_IN``), each a ``FIELD_SEP``-joined string."""
        raw = bytes(self.data.docs[self._docs_off[gid] : self._docs_off[gid + 1]])
        classes = raw.decode("utf-8", "replace").split(CLASS_SEP)
        return classes + [""] * (len(CLASS_NAMES) - len(classes))

    def severity(self, gid: int) -> int:
        return self.data.severity[gid]

    def locate(self, gid: int) -> tuple[int, int]:
        """(catalog number, entry number) of a global entry number."""
        for ci, count in enumerate(self.data.catalog_counts):
            if gid < count:
                return ci, gid
            gid -= count
        raise IndexError(gid)

    def catalog_ranges(self) -> dict[str, tuple[int, int]]:
        ranges: dict[str, tuple[int, int]] = {}
        start = 0
        for cid, count in zip(self.data.catalog_ids, self.data.catalog_counts, strict=True):
            ranges[cid] = (start, start + count)
            start += count
        return ranges

    def matches(self, cs: CatalogSet) -> bool:
        return self.data.catalog_ids == cs.ids and self.data.catalog_counts == tuple(
            len(c.entries) for c in cs.catalogs
        )


# --- the cache -----------------------------------------------------------------------------

CACHE_PREFIX = "index-"
CACHE_SUFFIX = ".msgpack"
_MMAP_FROM = 1 << 20
_memo: dict[tuple[Any, ...], Index] = {}


def cache_dir(environ: dict[str, str] | None = None) -> Path | None:
    """The cache folder, shared with the catalog cache (``errcli.store.cache``)."""
    from errcli.store.cache import cache_dir as shared_cache_dir

    return shared_cache_dir(environ)


def catalog_key(cs: CatalogSet) -> Key | None:
    """Each catalog's (id, path, size, mtime_ns, entries); None when a catalog has no file."""
    key = []
    for catalog in cs.catalogs:
        if not catalog.path:
            return None
        try:
            st = Path(catalog.path).stat()
        except OSError:
            return None
        key.append((catalog.id, catalog.path, st.st_size, st.st_mtime_ns, len(catalog.entries)))
    return tuple(key)


def _features_now() -> tuple[str, ...]:
    from importlib.util import find_spec

    return tuple(name for name in ("opencc", "pypinyin") if find_spec(name) is not None)


def cache_path(key: Key, directory: Path) -> Path:
    import zlib

    paths = "\0".join(path for _, path, _, _, _ in key)
    return directory / f"{CACHE_PREFIX}{zlib.crc32(paths.encode('utf-8', 'surrogatepass')):08x}{CACHE_SUFFIX}"


def read_cache(path: Path) -> IndexData | None:
    """The stored index, or None when it is missing, unreadable or corrupt."""
    try:
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size >= _MMAP_FROM:
                import mmap

                buf: Any = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            else:
                buf = fh.read()
        return msgspec.msgpack.decode(buf, type=IndexData)
    except (OSError, ValueError, msgspec.DecodeError):
        return None


def _write_atomic(path: Path, fill: Callable[[BinaryIO], None]) -> bool:
    """Write a temporary file in the same folder, then rename it over ``path``; False if unwritable."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{time.monotonic_ns():x}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fill(fh)
            tmp.replace(path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True


def load_index(cs: CatalogSet, *, use_cache: bool = True) -> Index:
    """The index of ``cs``: from this process, from the cache, or built (into the cache when it can)."""
    key = catalog_key(cs)
    memo_key: tuple[Any, ...] = (id(cs),) if key is None else key
    found = _memo.get(memo_key)
    if found is not None and found.matches(cs):
        return found
    index: Index | None = None
    directory = cache_dir() if use_cache and key is not None else None
    if directory is not None and key is not None:
        path = cache_path(key, directory)
        index = _open(path, key, cs, "cache")
        if index is None and build_into(cs, key, path):
            index = _open(path, key, cs, "built")
    if index is None:  # no cache folder, not writable, or a catalog without a file
        index = Index(build(cs, key or ()), "memory")
    if len(_memo) >= 8:
        _memo.clear()
        _memo_keep.clear()
    _memo[memo_key] = index
    if key is None:
        _memo_keep.append(cs)  # keep id(cs) from being reused while it is memoised
    return index


_memo_keep: list[CatalogSet] = []


def _open(path: Path, key: Key, cs: CatalogSet, source: str) -> Index | None:
    """The cached index at ``path`` if it is intact and was built from exactly these catalogs."""
    data = read_cache(path)
    if data is None or not _usable(data, key):
        return None
    try:
        index = Index(data, source)
    except (ValueError, IndexError, TypeError):
        return None
    return index if index.matches(cs) else None


def _usable(data: IndexData, key: Key) -> bool:
    if data.format != INDEX_FORMAT or data.version != __version__ or tuple(map(tuple, data.key)) != key:
        return False
    if {"opencc", "pypinyin"} <= set(data.features):
        return True
    # built while OpenCC or pypinyin was missing, and now they are installed: rebuild
    return set(data.features) >= set(_features_now())


def forget() -> None:
    """Drop the indexes this process holds (the next ``load_index`` reads the cache again)."""
    _memo.clear()
    _memo_keep.clear()
