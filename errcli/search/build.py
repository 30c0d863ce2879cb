"""Compiling the search index: every entry's searchable text in normalised form.

Traditional → Simplified takes a one-character table from OpenCC, which the index stores, so a
query converts with ``str.translate``; the pinyin comes from pypinyin's character table (both
from :mod:`errcli.search.tables`).

The index is written while it is built (documents as entries are added, postings at the end), to
a temporary file in the cache folder that is then renamed over the old one, so concurrent runs see
the old file or the new one and the build never holds everything twice.
"""

from __future__ import annotations

import bisect
import itertools
import re
from array import array
from collections import defaultdict, deque
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import msgspec

from errcli._gc import collector_paused
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
from errcli.search.tables import pinyin_readings, t2s_pairs
from errcli.store.files import write_atomic
from errcli.store.framing import array_header, bin_header, close_bin32, open_bin32
from errcli.store.helper import Helper, can_fork

if TYPE_CHECKING:
    from collections.abc import Sequence

    from errcli.catalog import CatalogSet
    from errcli.model import Catalog, Entry

_TONELESS = str.maketrans(
    "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvnnnm"
)  # fmt: skip
MAX_READINGS = 2  # of one character, most common first (重: zhong, chong; 行: xing, hang)
MAX_SPELLINGS = 8  # of one field: the first readings, then one polyphonic character changed at a time


class _Pinyin:
    """Every reading of each CJK character, from pypinyin's table, toneless (绿 → lv)."""

    MEMO_WORDS = 50_000  # words spelled (a word's spellings cost a few hundred bytes)

    def __init__(self) -> None:
        table = pinyin_readings()
        self.available = table is not None
        self._table: dict[int, str] = table or {}
        self._chars: dict[str, tuple[str, ...]] = {}
        self._words: dict[str, tuple[_Piece, _Piece]] = {}
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
        full: list[_Piece] = []  # per word, its readings (a Latin word: itself)
        initials: list[_Piece] = []  # CJK words only
        for token in field.split(" "):
            if token and is_cjk(token):
                spelled, initial = self._pieces(token)
                if spelled.slots:
                    full.append(spelled)
                    initials.append(initial)
            elif token:  # a Latin word: spelled as it is written
                full.append(_Piece([(token,)], NS_PINYIN, " "))
        return _spellings(full), _spellings(initials), _pairs(full, NS_PINYIN, " "), _pairs(initials, NS_INITIALS, "")

    def forget(self) -> None:
        """Let go of the words and characters spelled (the syllables seen are kept)."""
        self._chars, self._words = {}, {}

    def _pieces(self, token: str) -> tuple[_Piece, _Piece]:
        """A CJK word's readings, and their initials, kept for the next field."""
        found = self._words.get(token)
        if found is None:
            full = [readings for readings in map(self.readings, token) if readings]
            initials = [tuple(dict.fromkeys(r[0] for r in readings)) for readings in full]
            found = _Piece(full, NS_PINYIN, " "), _Piece(initials, NS_INITIALS, "")
            if len(self._words) < self.MEMO_WORDS:
                self._words[token] = found
        return found


class _Piece:
    """One word's part of a field's spellings: its readings per position (``slots``), its first
    spelling, its spellings with one polyphonic character read otherwise, and its pair terms."""

    __slots__ = ("alternatives", "first", "pairs", "slots")

    def __init__(self, slots: list[tuple[str, ...]], namespace: str, joiner: str) -> None:
        self.slots = slots
        first = [s[0] for s in slots]
        self.first = " ".join(first)
        changed = (" ".join([*first[:i], other, *first[i + 1 :]]) for i, s in enumerate(slots) for other in s[1:])
        self.alternatives = list(itertools.islice(changed, MAX_SPELLINGS - 1))
        self.pairs = {
            namespace + a + joiner + b for left, right in itertools.pairwise(slots) for a in left for b in right
        }


def _spellings(pieces: list[_Piece]) -> str:
    """The first readings, then the same with one polyphonic character read otherwise."""
    if not pieces:
        return ""
    firsts = [p.first for p in pieces]
    spellings = [" ".join(firsts)]
    for i, piece in enumerate(pieces):
        for other in piece.alternatives:
            if len(spellings) >= MAX_SPELLINGS:
                return PINYIN_SEP.join(spellings)
            spellings.append(" ".join([*firsts[:i], other, *firsts[i + 1 :]]))
    return PINYIN_SEP.join(spellings)


def _pairs(pieces: list[_Piece], namespace: str, joiner: str) -> set[str]:
    """The pair terms of each word, and of the last and first readings where two words meet."""
    found: set[str] = set().union(*(p.pairs for p in pieces))
    for left, right in itertools.pairwise(pieces):
        found.update(namespace + a + joiner + b for a in left.slots[-1] for b in right.slots[0])
    return found


def _code_keys(entry: Entry) -> set[str]:
    keys = {fold_symbol(str(entry.code))}
    if entry.symbol:
        keys.add(fold_symbol(entry.symbol))
    return {k for k in keys if k}


def _field_terms(field: str, cjk_terms: dict[str, set[str]]) -> set[str]:
    """Words, CJK characters and CJK bigrams of a normalised field (``cjk_terms``: those of each
    CJK word so far)."""
    if field.isascii():
        terms = set(field.split(" "))
    else:
        terms = set()
        for token in field.split(" "):
            if token.isascii() or not is_cjk(token):
                terms.add(token)
            else:
                found = cjk_terms.get(token)
                if found is None:
                    found = {*token, *(token[i : i + 2] for i in range(len(token) - 1))}
                    if len(cjk_terms) < _Builder.MEMO_WORDS:
                        cjk_terms[token] = found
                terms |= found
    terms.discard("")
    return terms


PARALLEL_MIN = 20_000  # entries from which two processes build the index (see _fill)
PART_FIELDS = 5  # of a builder's part: documents, offsets, severities, postings, syllables
N_BUCKETS = 12 + 9  # posting priority: code/title/keyword fields by length (0-11), then 12 + class
_Spelled = tuple[str, str, set[str], set[str]]  # full pinyin, initials, and their pair terms
_NO_PINYIN: _Spelled = ("", "", set(), set())  # of a Latin field (never changed)
_append = array.append
_DIGIT_RUNS = re.compile(r"([0-9]+)")  # (kept by split: text, run, text, run, …)
_HAS_DIGIT = re.compile(r"[0-9]").search
_NO_SHAPE: tuple[Any, ...] = ()  # (false) a text whose digits a normalisation step changed, see _Builder.field
# written, canonical, the canonical form's terms, and the text's shape (its digit runs written 0;
# None: a text worked out alone, see _Builder.field)
_Field = tuple[str, str, set[str], "str | None"]
_Where = list[tuple[int, list[tuple[int, int, bool]]]]  # per bucket: (class, field, its spelling?) of its terms


class _Plan:
    """How an entry is added that differs from the one the plan was made from in its numbers only
    (see :meth:`_Builder.add`): ``fixed``, the posting lists of its terms without digits; per
    bucket, its terms with digits: those of no number (x² → x2), and the others, each its shape's
    term (``0`` for the digits) with the number of the run put there; and its document cut where
    the runs go, with the number of each."""

    __slots__ = ("doc", "doc_runs", "fixed", "varying")

    def __init__(
        self,
        fixed: list[array[int]],
        varying: list[tuple[int, set[str], list[tuple[str, int]]]],
        doc: list[str],
        runs: list[int],
    ) -> None:
        self.fixed = fixed
        self.varying = varying
        self.doc = doc
        self.doc_runs = runs


_NO_PLAN = _Plan([], [], [], [])  # an entry of this shape is added on its own (a text of several numbers…)


def _doc_plan(
    fields: list[list[_Field]],
    shapes: list[list[tuple[Any, ...] | None]],
    run_of: list[list[int]],
    spelled: dict[tuple[int, int], tuple[str, str, Sequence[str]]],
) -> tuple[list[str], list[int]]:
    """An entry's document as its plan keeps it (see _Builder._plan): cut where its numbers go,
    and the run that goes in each cut. A number is written ``\x00`` here (normalised text has
    none) and ``0`` in a shape's forms."""
    classes: list[list[str]] = []
    runs: list[int] = []

    def marked(text: str, run: int) -> str:
        if run < 0:
            return text
        runs.extend([run] * text.count("0"))
        return text.replace("0", "\x00")

    for rank, found in enumerate(fields):
        classes.append([])
        for f, template, run in zip(found, shapes[rank], run_of[rank], strict=True):
            classes[-1].append(marked(f[1] if template is None else "0".join(template[1]), run))
    classes += [  # full pinyin (a number's digits in it)
        [marked(spelled[rank, i][0], run_of[rank][i]) for i in range(len(fields[rank]))] for rank in (TITLE, KEYWORD)
    ]
    classes += [[spelled[rank, i][1] for i in range(len(fields[rank]))] for rank in (TITLE, KEYWORD)]  # initials
    return CLASS_SEP.join(FIELD_SEP.join(found) for found in classes).split("\x00"), runs


def _put_back(parts: list[str], runs: list[str]) -> str:
    """``parts`` joined with ``runs`` in their places (one fewer run than parts)."""
    return parts[0] + "".join(itertools.chain.from_iterable(zip(runs, parts[1:], strict=True)))


_CLASS_OF = [bucket // 4 if bucket < 12 else bucket - 12 for bucket in range(N_BUCKETS)]  # a bucket's class


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
    MEMO_WORDS = 20_000  # CJK words, and their characters and bigrams
    MEMO_PLANS = 4_000  # entry shapes (a plan holds ~50 references)
    MEMO_CHECK = 1_000  # shapes or plans made between looks at how often they are used

    def __init__(self, cs: CatalogSet, key: Key, sink: BinaryIO | None) -> None:
        self.t2s, has_opencc = t2s_pairs()
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
        self._fields: dict[str, tuple[str, str]] = {}  # text without digits → its written and canonical forms
        self._shapes: dict[str, tuple[Any, ...]] = {}  # text with its digit runs written 0 → see _shape_of
        self._terms: dict[str, set[str]] = {}
        self._plans: dict[tuple[Any, ...], _Plan] = {}  # an entry's shape → its plan (see add)
        self._pinyin_shapes: dict[str, tuple[str, str, set[str], list[str], set[str]]] = {}
        # shapes and plans are given up when the first made are seldom used (texts all unlike)
        self._shaping = self._planning = True
        self._shape_uses = self._plan_uses = 0
        self._cjk_terms: dict[str, set[str]] = {}
        self._pinyin: dict[str, _Spelled] = {}
        # bucket → term → entry numbers: a posting list is its buckets in order, best first,
        # so it needs no sorting (a query takes the first TOP_K of a long list)
        self.postings: list[defaultdict[str, array[int]]] = [defaultdict(partial(array, "I")) for _ in range(N_BUCKETS)]
        self.sink = sink
        self.docs = bytearray()
        self.docs_off = array("Q", [0])
        self.severity = bytearray()
        if sink is not None:
            sink.write(array_header(len(IndexData.__struct_fields__)))
            for value in self.head:
                sink.write(msgspec.msgpack.encode(value))
            self.docs_at = open_bin32(sink)  # the documents: their length is written when it is known

    def field(self, text: str) -> _Field:
        """A text's normalised form (what pinyin spells: 不够 bu gou), its canonical form, the
        canonical form's terms, and the text's shape.

        Texts that differ only in their numbers (``limit 100 exceeded``, ``limit 2000 exceeded``)
        share one shape, each run of ASCII digits written ``0``, and its normalisation: it is
        worked out once, and each text like it gets its own digits put back (none of the steps
        changes, moves or joins a run of digits; a text where one did, such as ``1²``, is worked
        out on its own, and has no shape). Their terms without digits are the same. When texts
        turn out not to share shapes, each is worked out on its own."""
        parts = _DIGIT_RUNS.split(text) if self._shaping else [text]
        if len(parts) == 1:  # (or no shapes: each text worked out once)
            found = self._fields.get(text)
            if found is None:
                written = normalize(text, self.table, canonical=False, bulk=True)
                found = (written, canonicalize(written))
                if len(self._fields) < self.MEMO_TEXTS:
                    self._fields[text] = found
            return found[0], found[1], self.terms(found[1]), text if self._shaping else None
        runs = parts[1::2]
        shape = "0".join(parts[::2])
        template: tuple[Any, ...] | None = self._shapes.get(shape)
        if template is not None:
            self._shape_uses += 1
        elif len(self._shapes) < self.MEMO_TERMS:  # (a shape keeps term sets: as many as term sets)
            template = self._shapes[shape] = self._shape_of(shape, len(runs))
            if len(self._shapes) % self.MEMO_CHECK == 0 and self._shape_uses < len(self._shapes):
                self._shaping = False  # texts here seldom share a shape
        if not template:
            written = normalize(text, self.table, canonical=False, bulk=True)
            plain = canonicalize(written)
            return written, plain, self.terms(plain), None
        written_parts, plain_parts, fixed, numbered = template
        if len(runs) == 1:
            run = runs[0]
            written = written_parts[0] + run + written_parts[1]
            plain = plain_parts[0] + run + plain_parts[1] if plain_parts is not written_parts else written
            return written, plain, fixed.union([term.replace("0", run) for term in numbered]), shape
        written = _put_back(written_parts, runs)
        plain = _put_back(plain_parts, runs) if plain_parts is not written_parts else written
        return written, plain, self.terms(plain), shape

    def _shape_of(self, shape: str, runs: int) -> tuple[Any, ...]:
        """What :meth:`field` keeps of a text whose ``runs`` digit runs are each written ``0``:
        the normalised and canonical forms cut at those zeros, and for a text of one run, the
        terms without it and those with it; _NO_SHAPE when a step changed a run."""
        written = normalize(shape, self.table, canonical=False, bulk=True)
        plain = canonicalize(written)
        zeros = ["0"] * runs
        if _DIGIT_RUNS.findall(written) != zeros or _DIGIT_RUNS.findall(plain) != zeros:
            return _NO_SHAPE
        written_parts = written.split("0")
        plain_parts = written_parts if plain == written else plain.split("0")
        if runs != 1:
            return written_parts, plain_parts, None, None
        terms = _field_terms(plain, self._cjk_terms)
        return written_parts, plain_parts, {t for t in terms if "0" not in t}, [t for t in terms if "0" in t]

    def terms(self, field: str) -> set[str]:
        found = self._terms.get(field)
        if found is None:
            found = _field_terms(field, self._cjk_terms)
            if len(self._terms) < self.MEMO_TERMS:
                self._terms[field] = found
        return found

    def pinyin_of(self, field: str) -> _Spelled:
        """Full pinyin, initials, and their pair terms, of a normalised (not canonical) field. A
        field with one number shares them with the fields like it (its digits are a Latin word:
        readings have none, so every ``0`` of its shape's spellings is that number)."""
        if field.isascii():
            return _NO_PINYIN
        if self._shaping:
            parts = _DIGIT_RUNS.split(field)
            if len(parts) == 3:  # text, one run of digits, text
                full, initials, fixed, numbered, initial_pairs = self._spelled_shape(parts[0] + "0" + parts[2])
                run = parts[1]
                return (
                    full.replace("0", run),
                    initials,
                    fixed.union([p.replace("0", run) for p in numbered]),
                    initial_pairs,
                )
        return self._spelled(field)

    def _spelled(self, field: str) -> _Spelled:
        found = self._pinyin.get(field)
        if found is None:
            found = self.pinyin.fields(field)
            if len(self._pinyin) < self.MEMO_PINYIN:
                self._pinyin[field] = found
        return found

    def _spelled_shape(self, shape: str) -> tuple[str, str, set[str], list[str], set[str]]:
        """The spellings of a field's shape (one number, written 0), its pairs cut in two:
        (full, initials, pairs without the number, pairs with it, initial pairs)."""
        found = self._pinyin_shapes.get(shape)
        if found is None:
            full, initials, pairs, initial_pairs = self.pinyin.fields(shape)
            numbered = [p for p in pairs if "0" in p]
            found = (full, initials, pairs.difference(numbered), numbered, initial_pairs)
            if len(self._pinyin_shapes) < self.MEMO_PINYIN:
                self._pinyin_shapes[shape] = found
        return found

    def add(self, gid: int, entry: Entry, catalog: Catalog) -> None:
        """Post the entry's terms and write its document.

        Entries that differ only in their numbers (``BIG_000001 limit 1 exceeded``, ``BIG_000002
        limit 2 exceeded``) share a plan, made from the first of them: their texts, each with its
        digit runs written ``0``, and their lengths (which set a field's bucket and order) are
        its key. Their terms without digits are the same, in the same buckets (a term with
        digits is never one without, so neither changes where the other is first found). An
        entry without digits is like no other (its code is in its texts): it has no plan; nor
        has any once entries turn out not to share plans."""
        texts = entry_fields(entry, catalog)
        codes = {NS_CODE + k for k in _code_keys(entry)}
        if not self._planning:
            doc = self._add_alone(gid, codes, texts, None)
        else:
            flat = [text for found in texts for text in found]
            parts = _DIGIT_RUNS.split("\n".join(flat))
            key = (tuple(map(len, texts)), tuple(map(len, flat)), "0".join(parts[::2]))
            plan = self._plans.get(key)
            if plan is not None and plan is not _NO_PLAN:
                self._plan_uses += 1
                runs = parts[1::2]
                self._post_planned(gid, codes, plan, runs)
                doc = _put_back(plan.doc, [runs[r] for r in plan.doc_runs]).encode()
            else:
                doc = self._add_alone(gid, codes, texts, key if plan is None and len(parts) > 1 else None)
        if self.sink is not None:
            self.sink.write(doc)
        else:
            self.docs += doc
        self.docs_off.append(self.docs_off[-1] + len(doc))
        self.severity.append(SEVERITY_RANK.get(entry.severity or "", 3))

    def _add_alone(self, gid: int, codes: set[str], texts: list[list[str]], key: tuple[Any, ...] | None) -> bytes:
        """Post the entry's terms, each once, in the best bucket it is found in (the buckets come
        in order), and return its document; with a ``key``, make the plan of its shape."""
        field, pinyin_of = self.field, self.pinyin_of
        planning = key is not None and len(self._plans) < self.MEMO_PLANS
        fields = [[field(t) for t in found] for found in texts]
        # pinyin spells what is written (不够 bu gou), not its canonical form
        title_py = [pinyin_of(f[0]) for f in fields[TITLE]]
        keyword_py = [pinyin_of(f[0]) for f in fields[KEYWORD]]
        groups: list[tuple[int, set[str]]] = []
        where: _Where = []  # where each group's terms with digits are (for a plan)
        for rank in (CODE, TITLE, KEYWORD):  # few, short fields: the shortest one sets the bucket
            ranked = fields[rank]
            lengths = [len(f[1]) for f in ranked]
            for i in sorted(range(len(ranked)), key=lengths.__getitem__):
                if lengths[i]:
                    groups.append((rank * 4 + min(3, lengths[i] // 8), ranked[i][2]))
                    if planning:
                        where.append((groups[-1][0], [(rank, i, False)]))
        for rank in (TEXT, EXAMPLE):
            used = [i for i, f in enumerate(fields[rank]) if f[1]]
            groups.append((12 + rank, set().union(*(fields[rank][i][2] for i in used))))
            if planning:
                where.append((12 + rank, [(rank, i, False) for i in used]))
        for rank, source, part, of in (
            (TITLE_PY, title_py, 2, TITLE),
            (KEYWORD_PY, keyword_py, 2, KEYWORD),
            (TITLE_IN, title_py, 3, TITLE),
            (KEYWORD_IN, keyword_py, 3, KEYWORD),
        ):
            groups.append((12 + rank, set().union(*(p[part] for p in source))))
            if planning and part == 2:  # (initials have no digits)
                where.append((12 + rank, [(of, i, True) for i in range(len(source))]))
        fixed: list[array[int]] = []
        # codes first, in bucket 0 (namespaced: no other term is one), then every other term
        deque(map(_append, map(self.postings[0].__getitem__, codes), itertools.repeat(gid)), 0)
        seen: set[str] = set()
        for bucket, found in groups:
            new = found - seen
            if new:
                seen |= new
                if not planning:  # ~50 terms per entry: the builder's hottest loop, run by map in C
                    deque(map(_append, map(self.postings[bucket].__getitem__, new), itertools.repeat(gid)), 0)
                    continue
                lists = list(map(self.postings[bucket].__getitem__, new))
                deque(map(_append, lists, itertools.repeat(gid)), 0)
                fixed += [posted for term, posted in zip(new, lists, strict=True) if not _HAS_DIGIT(term)]
        classes = [[f[1] for f in found] for found in fields]
        classes += [[p[0] for p in title_py], [p[0] for p in keyword_py]]
        classes += [[p[1] for p in title_py], [p[1] for p in keyword_py]]
        if planning and key is not None:
            self._plans[key] = self._plan(fields, fixed, where) or _NO_PLAN
            if len(self._plans) % self.MEMO_CHECK == 0 and self._plan_uses < len(self._plans):
                self._planning = False  # entries here seldom share a shape
        return CLASS_SEP.join(FIELD_SEP.join(found) for found in classes).encode()

    def _plan(self, fields: list[list[_Field]], fixed: list[array[int]], where: _Where) -> _Plan | None:
        """The plan of an entry's shape (see :meth:`add`), from its fields and the posting lists of
        its terms without digits; None when a text of it has several runs of digits, or no shape."""
        run_of: list[list[int]] = []  # each field's run (its number in the entry), or -1
        shapes: list[list[tuple[Any, ...] | None]] = []  # each field's template (None: no digits)
        runs = 0
        for found in fields:
            run_of.append([])
            shapes.append([])
            for f in found:
                shape = f[3]
                if shape is None:
                    return None
                count = len(_DIGIT_RUNS.findall(shape))
                if count > 1:
                    return None
                run_of[-1].append(runs if count else -1)
                shapes[-1].append(self._shapes[shape] if count else None)
                runs += count
        # (class, field) → its pinyin: full, initials, its pairs with digits (a number's: written 0)
        spelled: dict[tuple[int, int], tuple[str, str, Sequence[str]]] = {}
        for rank in (TITLE, KEYWORD):
            for i, f in enumerate(fields[rank]):
                template = shapes[rank][i]
                if f[0].isascii():
                    spelled[rank, i] = ("", "", ())
                elif template is None:
                    full, initials, pairs, _ = self._spelled(f[0])
                    spelled[rank, i] = (full, initials, [p for p in pairs if _HAS_DIGIT(p)])
                else:
                    full, initials, _, with_run, _ = self._spelled_shape("0".join(template[0]))
                    spelled[rank, i] = (full, initials, with_run)
        doc, doc_runs = _doc_plan(fields, shapes, run_of, spelled)
        varying = []
        for bucket, items in where:
            terms: list[tuple[str, int]] = []
            constant: set[str] = set()  # terms with digits that are no number's (x² → x2)
            for rank, i, spelling in items:
                run = run_of[rank][i]
                if run < 0:
                    constant.update(spelled[rank, i][2] if spelling else filter(_HAS_DIGIT, fields[rank][i][2]))
                    continue
                template = shapes[rank][i]
                numbered: Sequence[str] = spelled[rank, i][2] if spelling else template[3] if template else ()
                terms += [(term, run) for term in numbered]
            if terms or constant:
                varying.append((bucket, constant, terms))
        return _Plan(fixed, varying, doc, doc_runs)

    def _post_planned(self, gid: int, codes: set[str], plan: _Plan, runs: list[str]) -> None:
        """Post an entry by the plan of its shape: its codes, the terms its shape fixes (straight
        to their posting lists) and its terms with digits, each once, in the best bucket it is in."""
        postings = self.postings
        deque(map(_append, map(postings[0].__getitem__, codes), itertools.repeat(gid)), 0)
        deque(map(_append, plan.fixed, itertools.repeat(gid)), 0)
        seen: set[str] = set()
        for bucket, constant, terms in plan.varying:
            new = {term.replace("0", runs[run]) for term, run in terms}
            if constant:
                new |= constant
            new -= seen
            if new:
                seen |= new
                deque(map(_append, map(postings[bucket].__getitem__, new), itertools.repeat(gid)), 0)

    def forget(self) -> None:
        """Let go of what the builder remembers to add entries faster (its texts, term sets and
        spellings): once every entry is added, only the postings and documents are needed."""
        self._fields, self._shapes, self._terms, self._cjk_terms, self._pinyin = {}, {}, {}, {}, {}
        self._plans, self._pinyin_shapes = {}, {}
        self.pinyin.forget()

    def part(self) -> tuple[Any, ...]:
        """What this builder added, for :meth:`merge` in another process (marshal's types only):
        each bucket as its terms, their posting counts and all their postings in one string."""
        self.forget()
        postings = [
            (list(bucket), array("I", map(len, bucket.values())).tobytes(), b"".join(bucket.values()))
            for bucket in self.postings
        ]
        return bytes(self.docs), self.docs_off.tobytes(), bytes(self.severity), postings, sorted(self.pinyin.syllables)

    def merge(self, part: tuple[Any, ...]) -> None:
        """The entries another builder added (:meth:`part`), numbered after this one's, added here."""
        docs, offsets, severity, postings, syllables = part
        base = self.docs_off[-1]
        if self.sink is not None:
            self.sink.write(docs)
        else:
            self.docs += docs
        more = array("Q")
        more.frombytes(offsets)
        self.docs_off.extend(map(base.__add__, more[1:]))
        self.severity += severity
        for bucket, (terms, counts, values) in zip(self.postings, postings, strict=True):
            lengths = array("I")
            lengths.frombytes(counts)
            flat = array("I")
            flat.frombytes(values)
            spans = itertools.pairwise(itertools.accumulate(lengths, initial=0))
            for term, (start, end) in zip(terms, spans, strict=True):
                bucket[term].extend(flat[start:end])
        self.pinyin.syllables.update(syllables)

    def finish(self) -> IndexData | None:
        """The index (in memory), or None once it is written to the sink."""
        self.forget()
        first: dict[str, int] = {}  # term → the best bucket that holds it
        for number in reversed(range(N_BUCKETS)):
            first.update(dict.fromkeys(self.postings[number], number))
        # a term in several buckets: its posting list is theirs in order, best first, in its best bucket
        for number, bucket in enumerate(self.postings):
            for term in [term for term in bucket if first[term] != number]:
                self.postings[first[term]][term].extend(bucket.pop(term))
        terms = sorted(first)
        where = list(map(first.__getitem__, terms))  # each term's one bucket now
        del first
        term_class = bytes(map(_CLASS_OF.__getitem__, where))
        terms_off = array("Q", itertools.accumulate(map((1).__add__, map(len, map(str.encode, terms))), initial=0))
        term_blob = _lines(terms, terms_off[-1])
        # plain words sort between the namespaced terms ("\x01"…"\x03") and CJK (from U+3400)
        namespaced = bisect.bisect_left(terms, chr(ord(NS_CODE) + 1))
        latin = (namespaced, max(namespaced, bisect.bisect_left(terms, "\u3400")))
        buckets = self.postings
        postings = [buckets[bucket].pop(term) for term, bucket in zip(terms, where, strict=True)]
        del where
        for bucket_terms in buckets:
            bucket_terms.clear()
        post_off = array("Q", itertools.accumulate(map(len, postings), initial=0))
        syllables = " ".join(sorted(self.pinyin.syllables)) if self.pinyin.available else ""
        middle: tuple[Any, ...] = (
            memoryview(self.severity),
            memoryview(self.docs_off).cast("B"),
            syllables,
            memoryview(term_blob),
            memoryview(terms_off).cast("B"),
            memoryview(term_class),
            latin,
            memoryview(post_off).cast("B"),
        )
        sink = self.sink
        if sink is None:
            post = array("I", b"".join(postings))
            fields = (*self.head, memoryview(self.docs), *middle, memoryview(post).cast("B"))
            return IndexData(**dict(zip(IndexData.__struct_fields__, fields, strict=True)))
        close_bin32(sink, self.docs_at, self.docs_off[-1])
        for value in middle:
            if isinstance(value, memoryview):
                sink.write(bin_header(value.nbytes))
                sink.write(value)
            else:
                sink.write(msgspec.msgpack.encode(value))
        sink.write(bin_header(post_off[-1] * 4))
        sink.writelines(postings)
        return None


def _lines(texts: list[str], size: int) -> bytearray:
    """``texts`` in UTF-8, each ending with a newline (``size`` bytes in all), made in place: never
    a list of every text encoded, nor the buffer per item that ``bytes.join`` takes."""
    out = bytearray(size)
    at = 0
    for start in range(0, len(texts), _LINES_AT_ONCE):
        chunk = ("\n".join(texts[start : start + _LINES_AT_ONCE]) + "\n").encode()
        out[at : at + len(chunk)] = chunk
        at += len(chunk)
    return out


_LINES_AT_ONCE = 4096


def _add_all(builder: _Builder, cs: CatalogSet, start: int = 0, stop: int | None = None) -> None:
    for gid, entry, catalog in cs.numbered(start):
        if stop is not None and gid >= stop:
            break
        builder.add(gid, entry, catalog)


@collector_paused()  # (the postings are many small objects without cycles)
def _fill(cs: CatalogSet, key: Key, sink: BinaryIO | None) -> IndexData | None:
    """The index of every entry, finished (into ``sink`` when given). A big index is built by two
    processes where there is a second core: a forked helper adds the second half of the entries
    while this process adds the first, and its part is merged in (the same index, in about half
    the time); without the helper's part, this process adds them itself."""
    total = sum(len(c.entries) for c in cs.catalogs)
    if total > MAX_ENTRIES:
        raise ValueError(f"more than {MAX_ENTRIES} entries cannot be indexed")
    half = total // 2
    builder = _Builder(cs, key, sink)
    helper = Helper.start(partial(_part, cs, key, half)) if total >= PARALLEL_MIN and can_fork() else None
    try:
        _add_all(builder, cs, 0, half if helper is not None else None)
        if helper is not None:
            builder.forget()  # before the helper's part arrives: what is left to hold is the index alone
        part = helper.result() if helper is not None else None
    finally:
        if helper is not None:
            helper.close()
    if isinstance(part, tuple) and len(part) == PART_FIELDS:
        builder.merge(part)
    elif helper is not None:
        _add_all(builder, cs, half)
    del part  # (the index is assembled without it)
    return builder.finish()


def _part(cs: CatalogSet, key: Key, start: int) -> tuple[Any, ...]:
    """The helper's work: the entries from ``start`` on, added to a builder of its own."""
    builder = _Builder(cs, key, None)
    _add_all(builder, cs, start)
    return builder.part()


def build(cs: CatalogSet, key: Key = ()) -> IndexData:
    """Compile the index of every entry in ``cs``, in memory."""
    data = _fill(cs, key, None)
    assert data is not None  # noqa: S101 - no sink: finish returns the index
    return data


def build_into(cs: CatalogSet, key: Key, path: Path) -> bool:
    """Compile the index straight into the cache file ``path`` (atomically); False if unwritable."""

    def fill(sink: BinaryIO) -> None:
        _fill(cs, key, sink)

    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomic(path, fill, 0o600)
    except OSError:
        return False
    return True
