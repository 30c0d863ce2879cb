"""What the index builder works out of each text: its normalised and canonical forms, their
terms, and the pinyin of the Chinese ones.

Catalogs repeat their wording, so every result is remembered (bounded). Texts that differ only
in their numbers (``limit 100 exceeded``, ``limit 2000 exceeded``) share one *shape*, each run of
ASCII digits written ``0``: it is worked out once, and each text gets its own digits put back.

Traditional → Simplified takes a one-character table from OpenCC, which the index stores, so a
query converts with ``str.translate``; the pinyin comes from pypinyin's character table (both
from :mod:`errcli.search.tables`).
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from errcli.search.folding import canonicalize, is_cjk, normalize, t2s_table
from errcli.search.layout import NS_INITIALS, NS_PINYIN, PINYIN_SEP
from errcli.search.tables import pinyin_readings, t2s_pairs

_TONELESS = str.maketrans(
    "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvnnnm"
)  # fmt: skip
MAX_READINGS = 2  # of one character, most common first (重: zhong, chong; 行: xing, hang)
MAX_SPELLINGS = 8  # of one field: the first readings, then one polyphonic character changed at a time


class Pinyin:
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


def field_terms(field: str, cjk_terms: dict[str, set[str]]) -> set[str]:
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
                    if len(cjk_terms) < Texts.MEMO_WORDS:
                        cjk_terms[token] = found
                terms |= found
    terms.discard("")
    return terms


Spelled = tuple[str, str, set[str], set[str]]  # full pinyin, initials, and their pair terms
NO_PINYIN: Spelled = ("", "", set(), set())  # of a Latin field (never changed)
DIGIT_RUNS = re.compile(r"([0-9]+)")  # (kept by split: text, run, text, run, …)
HAS_DIGIT = re.compile(r"[0-9]").search
_NO_SHAPE: tuple[Any, ...] = ()  # (false) a text whose digits a normalisation step changed, see Texts.field
# written, canonical, the canonical form's terms, and the text's shape (its digit runs written 0;
# None: a text worked out alone, see Texts.field)
Field = tuple[str, str, set[str], "str | None"]


def put_back(parts: list[str], runs: list[str]) -> str:
    """``parts`` joined with ``runs`` in their places (one fewer run than parts)."""
    return parts[0] + "".join(itertools.chain.from_iterable(zip(runs, parts[1:], strict=True)))


class Texts:
    """The builder's work on each text, remembered (bounded: a term set costs a few kB)."""

    MEMO_TEXTS = 20_000  # normalised texts
    MEMO_TERMS = 4_000  # term sets (and shapes, which keep term sets)
    MEMO_PINYIN = 20_000  # spellings
    MEMO_WORDS = 20_000  # CJK words, and their characters and bigrams
    MEMO_CHECK = 1_000  # shapes (or an entry's plans) made between looks at how often they are used

    def __init__(self) -> None:
        self.t2s, self.has_opencc = t2s_pairs()
        self.table = t2s_table(self.t2s)
        self.pinyin = Pinyin()
        self.forget()
        self.shaping = True  # given up when the first shapes made are seldom used (texts all unlike)
        self._shape_uses = 0

    def forget(self) -> None:
        """Let go of everything remembered (the pinyin syllables seen are kept)."""
        self._fields: dict[str, tuple[str, str]] = {}  # text without digits → its written and canonical forms
        self.shapes: dict[str, tuple[Any, ...]] = {}  # text with its digit runs written 0 → see _shape_of
        self._terms: dict[str, set[str]] = {}
        self._cjk_terms: dict[str, set[str]] = {}
        self._pinyin: dict[str, Spelled] = {}
        self._pinyin_shapes: dict[str, tuple[str, str, set[str], list[str], set[str]]] = {}
        self.pinyin.forget()

    def field(self, text: str) -> Field:
        """A text's normalised form (what pinyin spells: 不够 bu gou), its canonical form, the
        canonical form's terms, and the text's shape.

        Texts that differ only in their numbers (``limit 100 exceeded``, ``limit 2000 exceeded``)
        share one shape, each run of ASCII digits written ``0``, and its normalisation: it is
        worked out once, and each text like it gets its own digits put back (none of the steps
        changes, moves or joins a run of digits; a text where one did, such as ``1²``, is worked
        out on its own, and has no shape). Their terms without digits are the same. When texts
        turn out not to share shapes, each is worked out on its own."""
        parts = DIGIT_RUNS.split(text) if self.shaping else [text]
        if len(parts) == 1:  # (or no shapes: each text worked out once)
            found = self._fields.get(text)
            if found is None:
                written = normalize(text, self.table, canonical=False, bulk=True)
                found = (written, canonicalize(written))
                if len(self._fields) < self.MEMO_TEXTS:
                    self._fields[text] = found
            return found[0], found[1], self.terms(found[1]), text if self.shaping else None
        runs = parts[1::2]
        shape = "0".join(parts[::2])
        template: tuple[Any, ...] | None = self.shapes.get(shape)
        if template is not None:
            self._shape_uses += 1
        elif len(self.shapes) < self.MEMO_TERMS:  # (a shape keeps term sets: as many as term sets)
            template = self.shapes[shape] = self._shape_of(shape, len(runs))
            if len(self.shapes) % self.MEMO_CHECK == 0 and self._shape_uses < len(self.shapes):
                self.shaping = False  # texts here seldom share a shape
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
        written = put_back(written_parts, runs)
        plain = put_back(plain_parts, runs) if plain_parts is not written_parts else written
        return written, plain, self.terms(plain), shape

    def _shape_of(self, shape: str, runs: int) -> tuple[Any, ...]:
        """What :meth:`field` keeps of a text whose ``runs`` digit runs are each written ``0``:
        the normalised and canonical forms cut at those zeros, and for a text of one run, the
        terms without it and those with it; _NO_SHAPE when a step changed a run."""
        written = normalize(shape, self.table, canonical=False, bulk=True)
        plain = canonicalize(written)
        zeros = ["0"] * runs
        if DIGIT_RUNS.findall(written) != zeros or DIGIT_RUNS.findall(plain) != zeros:
            return _NO_SHAPE
        written_parts = written.split("0")
        plain_parts = written_parts if plain == written else plain.split("0")
        if runs != 1:
            return written_parts, plain_parts, None, None
        terms = field_terms(plain, self._cjk_terms)
        return written_parts, plain_parts, {t for t in terms if "0" not in t}, [t for t in terms if "0" in t]

    def terms(self, field: str) -> set[str]:
        found = self._terms.get(field)
        if found is None:
            found = field_terms(field, self._cjk_terms)
            if len(self._terms) < self.MEMO_TERMS:
                self._terms[field] = found
        return found

    def pinyin_of(self, field: str) -> Spelled:
        """Full pinyin, initials, and their pair terms, of a normalised (not canonical) field. A
        field with one number shares them with the fields like it (its digits are a Latin word:
        readings have none, so every ``0`` of its shape's spellings is that number)."""
        if field.isascii():
            return NO_PINYIN
        if self.shaping:
            parts = DIGIT_RUNS.split(field)
            if len(parts) == 3:  # text, one run of digits, text
                full, initials, fixed, numbered, initial_pairs = self.spelled_shape(parts[0] + "0" + parts[2])
                run = parts[1]
                return (
                    full.replace("0", run),
                    initials,
                    fixed.union([p.replace("0", run) for p in numbered]),
                    initial_pairs,
                )
        return self.spelled(field)

    def spelling_plan(self, written: str, template: tuple[Any, ...] | None) -> tuple[str, str, list[str]]:
        """For an entry's plan: a written field's full pinyin and initials, and its pair terms with
        digits; for a field of one number (its shape's ``template``, see :meth:`field`), all
        three with that number written 0."""
        if written.isascii():
            return "", "", []
        if template is None:
            full, initials, pairs, _ = self.spelled(written)
            return full, initials, [p for p in pairs if HAS_DIGIT(p)]
        full, initials, _, numbered, _ = self.spelled_shape("0".join(template[0]))
        return full, initials, numbered

    def spelled(self, field: str) -> Spelled:
        found = self._pinyin.get(field)
        if found is None:
            found = self.pinyin.fields(field)
            if len(self._pinyin) < self.MEMO_PINYIN:
                self._pinyin[field] = found
        return found

    def spelled_shape(self, shape: str) -> tuple[str, str, set[str], list[str], set[str]]:
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
