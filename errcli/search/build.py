"""Compiling the search index: every entry's searchable text in normalised form.

Traditional → Simplified takes a one-character table from OpenCC, which the index stores, so a
query converts with ``str.translate``; the pinyin comes from pypinyin's character table. This is
the only module that imports OpenCC or pypinyin, and only while it builds.

The index is written while it is built (documents as entries are added, postings at the end), to
a temporary file in the cache folder that is then renamed over the old one, so concurrent runs see
the old file or the new one and the build never holds everything twice.
"""

from __future__ import annotations

import _thread
import functools
import itertools
import os
from array import array
from collections import defaultdict
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import msgspec

from errcli._text import fold_symbol
from errcli._version import __version__
from errcli.search.folding import canonicalize, is_cjk, normalize, t2s_table
from errcli.search.layout import (
    CLASS_SEP,
    CODE,
    EXAMPLE,
    FIELD_SEP,
    INDEX_FORMAT,
    KEYWORD,
    KEYWORD_IN,
    KEYWORD_PY,
    MAX_ENTRIES,
    NS_CODE,
    NS_INITIALS,
    NS_PINYIN,
    PINYIN_SEP,
    SEVERITY_RANK,
    TEXT,
    TITLE,
    TITLE_IN,
    TITLE_PY,
    IndexData,
    Key,
    entry_fields,
)
from errcli.store.files import write_atomic

if TYPE_CHECKING:
    from errcli.catalog import CatalogSet
    from errcli.model import Catalog, Entry

# Characters whose Simplified form is taken from OpenCC: the BMP ideographs (Extension B has a few
# hundred more Traditional forms that no one types into an error search, at twice the cost).
_T2S_RANGES = ((0x3400, 0x9FFF), (0xF900, 0xFAFF))
_TONELESS = str.maketrans(
    "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvnnnm"
)  # fmt: skip
MAX_READINGS = 2  # of one character, most common first (重: zhong, chong; 行: xing, hang)
MAX_SPELLINGS = 8  # of one field: the first readings, then one polyphonic character changed at a time
# pypinyin's documented switches: no phrase dictionary (it takes longer to import than the index
# takes to build, and every reading of a character is indexed anyway), no copy of the tables
_PYPINYIN_ENV = ("PYPINYIN_NO_PHRASES", "PYPINYIN_NO_DICT_COPY")
_environ_lock = _thread.allocate_lock()


TABLES = ("t2s.txt", "pinyin.txt")  # in data/tables: what the index build reads of OpenCC and pypinyin


def shipped_table(name: str) -> list[str] | None:
    """The lines of a table in ``data/tables`` (``#`` lines are its header), or None when it is not there.

    The tables are OpenCC's one-character Traditional → Simplified pairs (:func:`extract_t2s`) and
    pypinyin's character table (:func:`_pinyin_table`), written out once (``python tests/tables.py``)
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


def _t2s() -> tuple[str, bool]:
    """The Traditional → Simplified pairs, as :func:`extract_t2s` gives them: shipped, else from OpenCC."""
    lines = shipped_table("t2s.txt")
    if lines is None or any(len(line) != 3 for line in lines):
        return extract_t2s()
    return "".join(line[0] + line[2] for line in lines), True


def _pinyin() -> dict[int, str] | None:
    """pypinyin's character table, as :func:`_pinyin_table` gives it: shipped, else from pypinyin."""
    lines = shipped_table("pinyin.txt")
    if lines is None or any(line[1:2] != " " for line in lines):
        return _pinyin_table()
    return {ord(line[0]): line[2:] for line in lines}


def _pinyin_table() -> dict[int, str] | None:
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


class _Pinyin:
    """Every reading of each CJK character, from pypinyin's table, toneless (绿 → lv)."""

    def __init__(self) -> None:
        table = _pinyin()
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


def _bin_header(size: int) -> bytes:
    if size < 1 << 8:
        return b"\xc4" + size.to_bytes(1, "big")
    if size < 1 << 16:
        return b"\xc5" + size.to_bytes(2, "big")
    return b"\xc6" + size.to_bytes(4, "big")


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
        self.t2s, has_opencc = _t2s()
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
            fields = (*self.head, memoryview(self.docs), *middle, memoryview(post).cast("B"))
            return IndexData(**dict(zip(IndexData.__struct_fields__, fields, strict=True)))
        end = sink.tell()
        sink.seek(self.docs_at + 1)
        sink.write(self.docs_off[-1].to_bytes(4, "big"))
        sink.seek(end)
        for value in middle:
            if isinstance(value, memoryview):
                sink.write(_bin_header(value.nbytes))
                sink.write(value)
            else:
                sink.write(msgspec.msgpack.encode(value))
        sink.write(_bin_header(post_off[-1] * 4))
        for term in terms:
            for values in lists(term):
                sink.write(values)
        return None


def _add_all(builder: _Builder, cs: CatalogSet) -> None:
    gid = 0
    for catalog in cs.catalogs:
        for entry in catalog.entries:
            if gid >= MAX_ENTRIES:
                raise ValueError(f"more than {MAX_ENTRIES} entries cannot be indexed")
            builder.add(gid, entry, catalog)
            gid += 1


def build(cs: CatalogSet, key: Key = ()) -> IndexData:
    """Compile the index of every entry in ``cs``, in memory."""
    builder = _Builder(cs, key, None)
    _add_all(builder, cs)
    data = builder.finish()
    assert data is not None  # noqa: S101 - no sink: finish returns the index
    return data


def build_into(cs: CatalogSet, key: Key, path: Path) -> bool:
    """Compile the index straight into the cache file ``path`` (atomically); False if unwritable."""

    def fill(sink: BinaryIO) -> None:
        builder = _Builder(cs, key, sink)
        _add_all(builder, cs)
        builder.finish()

    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomic(path, fill, 0o600)
    except OSError:
        return False
    return True
