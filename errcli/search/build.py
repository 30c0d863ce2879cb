"""Compiling the search index: every entry's searchable text in normalised form (each text
worked out by :mod:`errcli.search.texts`), its terms posted in the buckets of their fields.

Entries that differ only in their numbers (``BIG_000001 … 1``, ``BIG_000002 … 2``) are added by
the plan of their shape, made from the first of them (see :meth:`_Builder.add`).

The index is written while it is built (documents as entries are added, postings at the end), to
a temporary file in the cache folder that is then renamed over the old one, so concurrent runs see
the old file or the new one and the build never holds everything twice.
"""

from __future__ import annotations

import bisect
import itertools
from array import array
from collections import defaultdict, deque
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import msgspec

from errcli._gc import collector_paused
from errcli._text import fold_symbol
from errcli._version import __version__
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
    SEVERITY_RANK,
    TEXT,
    TITLE,
    TITLE_IN,
    TITLE_PY,
    IndexData,
    Key,
    entry_fields,
)
from errcli.search.texts import DIGIT_RUNS, HAS_DIGIT, Field, Texts, put_back
from errcli.store.files import write_atomic
from errcli.store.framing import array_header, bin_header, close_bin32, open_bin32
from errcli.store.helper import Helper, can_fork

if TYPE_CHECKING:
    from collections.abc import Sequence

    from errcli.catalog import CatalogSet
    from errcli.model import Catalog, Entry


def _code_keys(entry: Entry) -> set[str]:
    keys = {fold_symbol(str(entry.code))}
    if entry.symbol:
        keys.add(fold_symbol(entry.symbol))
    return {k for k in keys if k}


PARALLEL_MIN = 20_000  # entries from which two processes build the index (see _fill)
PART_FIELDS = 5  # of a builder's part: documents, offsets, severities, postings, syllables
N_BUCKETS = 12 + 9  # posting priority: code/title/keyword fields by length (0-11), then 12 + class
_append = array.append
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
    fields: list[list[Field]],
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
    title, keyword = ([spelled[rank, i] for i in range(len(fields[rank]))] for rank in (TITLE, KEYWORD))
    full = (
        [marked(p[0], run_of[TITLE][i]) for i, p in enumerate(title)],
        [marked(p[0], run_of[KEYWORD][i]) for i, p in enumerate(keyword)],
    )
    return _document(classes, full, ([p[1] for p in title], [p[1] for p in keyword])).split("\x00"), runs


def _document(plain: list[list[str]], full: tuple[list[str], list[str]], initials: tuple[list[str], list[str]]) -> str:
    """An entry's document: its plain classes (code … example), then the full pinyin and the
    initials of its titles and keywords, a class each, their fields apart."""
    return CLASS_SEP.join(FIELD_SEP.join(found) for found in (*plain, *full, *initials))


_CLASS_OF = [bucket // 4 if bucket < 12 else bucket - 12 for bucket in range(N_BUCKETS)]  # a bucket's class


class _Builder:
    """Collects documents and postings entry by entry, in bounded memory.

    With a ``sink`` (the cache file being written) the documents go straight to it and the
    postings are streamed into it at the end, so neither is ever held twice.
    """

    MEMO_PLANS = 4_000  # entry shapes (a plan holds ~50 references)

    def __init__(self, cs: CatalogSet, key: Key, sink: BinaryIO | None) -> None:
        self.texts = texts = Texts()
        self.pinyin = texts.pinyin
        self.features = (*(("opencc",) if texts.has_opencc else ()), *(("pypinyin",) if self.pinyin.available else ()))
        self.head = (
            INDEX_FORMAT,
            __version__,
            key,
            self.features,
            tuple(c.id for c in cs.catalogs),
            tuple(len(c.entries) for c in cs.catalogs),
            texts.t2s,
        )
        self._plans: dict[tuple[Any, ...], _Plan] = {}  # an entry's shape → its plan (see add)
        self._planning = True  # given up when the first plans made are seldom used (entries all unlike)
        self._plan_uses = 0
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
            parts = DIGIT_RUNS.split("\n".join(flat))
            key = (tuple(map(len, texts)), tuple(map(len, flat)), "0".join(parts[::2]))
            plan = self._plans.get(key)
            if plan is not None and plan is not _NO_PLAN:
                self._plan_uses += 1
                runs = parts[1::2]
                self._post_planned(gid, codes, plan, runs)
                doc = put_back(plan.doc, [runs[r] for r in plan.doc_runs]).encode()
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
        field, pinyin_of = self.texts.field, self.texts.pinyin_of
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
                fixed += [posted for term, posted in zip(new, lists, strict=True) if not HAS_DIGIT(term)]
        if planning and key is not None:
            self._plans[key] = self._plan(fields, fixed, where) or _NO_PLAN
            if len(self._plans) % self.texts.MEMO_CHECK == 0 and self._plan_uses < len(self._plans):
                self._planning = False  # entries here seldom share a shape
        plain = [[f[1] for f in found] for found in fields]
        full = ([p[0] for p in title_py], [p[0] for p in keyword_py])
        return _document(plain, full, ([p[1] for p in title_py], [p[1] for p in keyword_py])).encode()

    def _plan(self, fields: list[list[Field]], fixed: list[array[int]], where: _Where) -> _Plan | None:
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
                count = len(DIGIT_RUNS.findall(shape))
                if count > 1:
                    return None
                run_of[-1].append(runs if count else -1)
                shapes[-1].append(self.texts.shapes[shape] if count else None)
                runs += count
        # (class, field) → its pinyin: full, initials, its pairs with digits (a number's: written 0)
        spelled: dict[tuple[int, int], tuple[str, str, Sequence[str]]] = {
            (rank, i): self.texts.spelling_plan(f[0], shapes[rank][i])
            for rank in (TITLE, KEYWORD)
            for i, f in enumerate(fields[rank])
        }
        doc, doc_runs = _doc_plan(fields, shapes, run_of, spelled)
        varying = []
        for bucket, items in where:
            terms: list[tuple[str, int]] = []
            constant: set[str] = set()  # terms with digits that are no number's (x² → x2)
            for rank, i, spelling in items:
                run = run_of[rank][i]
                if run < 0:
                    constant.update(spelled[rank, i][2] if spelling else filter(HAS_DIGIT, fields[rank][i][2]))
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
        self.texts.forget()
        self._plans = {}

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
