"""Scoring one entry against a query: its best field, by what kind of field it is and how much
of it (and of the query) matched.

Pinyin matches score in the band of the field they spell, 2 lower for full syllables, 6 lower
for initials, and 1.5 lower again for a polyphonic character's less common reading. A query
word matched only by prefix, stem or typo costs 30 × (1 - similarity); words in one field but
not as one phrase cost 3. A query only partly found is scaled by its weighted coverage to the
power 1.5; a CJK character found without its neighbour counts half.
"""

from __future__ import annotations

import math
from bisect import bisect_right

from errcli.search.layout import FIELD_SEP, PINYIN_SEP, PINYIN_SOURCE
from errcli.search.query import Variant

EXACT_SCORE = 100.0
CODE_BAND = (90.0, 97.0)  # typed like a code: RATE_LIMIT, 900
SYMBOL_WORDS_BAND = (80.5, 89.5)  # a symbol's words typed as text: "rate limit"
# code, title, keywords, text, example (index classes 0-4; pinyin classes use their source's)
CLASS_BANDS = ((0.0, 0.0), (80.0, 89.0), (70.0, 79.0), (58.0, 69.0), (50.0, 57.0))
SPREAD_MAX = 55.0  # words found, but across several fields
SPREAD_FACTORS = (1.0, 1.0, 0.95, 0.85, 0.7)  # a word found in: code, title, keywords, text, example
OTHER_READING_PENALTY = 1.5  # pinyin that spells a character's less common reading
TYPO_PENALTY = 30.0  # × (1 - similarity) of the matched words
GAP_PENALTY = 3.0  # all words in one field, but not as one phrase
LONE_CHAR = 0.5  # a CJK character found, but not next to its neighbour


def pow15(x: float) -> float:
    """x ** 1.5: partial coverage is worth less than its share (half the words: 0.35)."""
    return x * math.sqrt(max(0.0, x))


class Best:
    __slots__ = ("cls", "field", "score")

    def __init__(self, score: float = 0.0, cls: int = -1, field: int = -1) -> None:
        self.score = score
        self.cls = cls  # index class; -1 spread over fields; -2 exact code
        self.field = field


class _FieldState:
    """What one field of a block holds of the query."""

    __slots__ = ("chosen", "covers", "matched", "sim")

    def __init__(self, n_runs: int) -> None:
        self.matched = 0.0  # weight of query words found
        self.sim = 0.0  # the same, times their similarity
        self.chosen: dict[int, str] = {}  # slot → the spelling found
        self.covers: list[list[float] | None] = [None] * n_runs

    def cover(self, run: int, size: int) -> list[float]:
        """How far each character of CJK run ``run`` is found in the field."""
        found = self.covers[run]
        if found is None:
            self.covers[run] = found = [0.0] * size
        return found


class _Block:
    """A class's fields joined by ``FIELD_SEP``, with the offsets to tell which field a hit is in."""

    __slots__ = ("fields", "padded", "starts", "text")

    def __init__(self, text: str, sep: str) -> None:
        self.text = text
        self.padded = f" {text} "
        self.fields = text.split(sep)
        self.starts: list[int] = []
        pos = 0
        for field in self.fields:
            self.starts.append(pos)
            pos += len(field) + len(sep)

    def field_of(self, pos: int) -> int:
        return bisect_right(self.starts, pos) - 1

    def occurrences(self, needle: str, padded: bool = False) -> list[int]:
        """Fields that hold ``needle`` (a word padded with spaces, or a CJK string)."""
        hay, shift = (self.padded, 1) if padded else (self.text, 0)
        fields: list[int] = []
        start = hay.find(needle)
        while start >= 0:
            field = self.field_of(max(0, start + (1 if padded else 0) - shift))
            if not fields or fields[-1] != field:
                fields.append(field)
            start = hay.find(needle, start + 1)
        return fields


def _phrase_score(variant: Variant, text: str, low: float, high: float) -> float:
    """The whole query as one run of words inside ``text``; 0 when it is not."""
    phrase = variant.phrase
    if not phrase or len(phrase) > len(text):
        return 0.0
    latin_start = phrase[0].isascii() and phrase[0].isalnum()
    latin_end = phrase[-1].isascii() and phrase[-1].isalnum()
    best = 0.0
    start = text.find(phrase)
    tries = 0
    while start >= 0 and tries < 8:
        tries += 1
        end = start + len(phrase)
        ok_start = not latin_start or start == 0 or text[start - 1] == " "
        whole_end = not latin_end or end == len(text) or text[end] == " "
        if ok_start and (whole_end or variant.prefix_end):
            penalty = 0.0 if whole_end else TYPO_PENALTY * 0.1
            best = max(best, low + (high - low) * min(1.0, len(phrase) / len(text)) - penalty)
            if whole_end:
                break
        start = text.find(phrase, start + 1)
    return best


def _block_states(variant: Variant, block: _Block) -> dict[int, _FieldState]:
    """For each field that holds any of the query: which words and characters it holds."""
    states: dict[int, _FieldState] = {}
    n_runs = len(variant.runs)

    def state(field: int) -> _FieldState:
        found = states.get(field)
        if found is None:
            states[field] = found = _FieldState(n_runs)
        return found

    for si, slot in enumerate(variant.slots):
        for needle, sim in slot.options:  # best spelling first: keep the first per field
            if needle not in block.padded:
                continue
            for field in block.occurrences(needle, padded=True):
                st = state(field)
                if si not in st.chosen:
                    st.chosen[si] = needle
                    st.matched += slot.weight
                    st.sim += slot.weight * sim
    for ri, run in enumerate(variant.runs):
        size = len(run.text)
        if run.text in block.text and size > 1:
            for field in block.occurrences(run.text):
                state(field).covers[ri] = [1.0] * size
        for pos, bigram in run.bigrams:
            if bigram in block.text:
                for field in block.occurrences(bigram):
                    state(field).cover(ri, size)[pos : pos + len(bigram)] = [1.0] * len(bigram)
        if size == 1:
            continue
        for pos, char in enumerate(run.text):
            if char in block.text:
                for field in block.occurrences(char):
                    chars = state(field).cover(ri, size)
                    if chars[pos] == 0.0:
                        chars[pos] = LONE_CHAR  # 超限 ~ 超过…限额: characters without their neighbour
    return states


def _state_score(variant: Variant, st: _FieldState, text: str, low: float, high: float) -> float:
    matched, weighted_sim = st.matched, st.sim
    covered = float(sum(len(n) - 2 for n in st.chosen.values()))
    for run, cover in zip(variant.runs, st.covers, strict=True):
        if cover is not None:
            found = sum(w * c for w, c in zip(run.char_weights, cover, strict=True))
            matched += found
            weighted_sim += found
            covered += sum(cover)
    if matched <= 0.0 or variant.total_weight <= 0.0:
        return 0.0
    qcov = min(1.0, matched / variant.total_weight)
    similarity = weighted_sim / matched
    fcov = min(1.0, covered / max(1, len(text)))
    contiguous = (
        not variant.runs
        and len(st.chosen) == len(variant.slots)
        and f" {' '.join(st.chosen[i].strip() for i in range(len(variant.slots)))} " in f" {text} "
    )
    gap = 0.0 if contiguous else GAP_PENALTY
    return (low + (high - low) * fcov) * pow15(qcov) - TYPO_PENALTY * (1.0 - similarity) - gap


def _pair_score(variant: Variant, text: str, low: float, high: float) -> float:
    """Pinyin: the syllables (or initials) as a run in one spelling of ``text``, else the share of pairs found."""
    best = 0.0
    for n, spelling in enumerate(text.split(PINYIN_SEP)):
        padded = f" {spelling} "
        if f" {variant.phrase} " in padded:
            # a character's less common reading (重 as chong) ranks just below its usual one
            score = low + (high - low) * min(1.0, len(variant.phrase) / max(1, len(spelling)))
            return max(best, score - (OTHER_READING_PENALTY if n else 0.0))
        found = [s for s in variant.slots if s.options and s.options[0][0] in padded]
        if not found or not variant.slots or 2 * len(found) < len(variant.slots):
            continue
        # pairs found, but not as one run: a partial match (zijinbugou ~ zi jin bu zu)
        qcov = len(found) / (len(variant.slots) + 1)
        fcov = min(1.0, sum(len(s.text) for s in found) / max(1, len(spelling)))
        best = max(best, (low + (high - low) * fcov) * pow15(qcov) - GAP_PENALTY)
    return best


class Scorer:
    """Scores entries for one query against one index."""

    def __init__(self, variants: list[Variant], code_intent: bool) -> None:
        self.variants = variants
        self.sep = FIELD_SEP
        code_band = CODE_BAND if code_intent else SYMBOL_WORDS_BAND
        self.plan: list[list[tuple[float, float, int]]] = []
        for variant in variants:
            bands = []
            for cls in variant.classes:
                source = PINYIN_SOURCE.get(cls, cls)
                low, high = code_band if source == 0 else CLASS_BANDS[source]
                bands.append((low, high, cls))
            bands.sort(key=lambda t: -t[1])
            self.plan.append(bands)

    def score(self, doc: list[str], floor: float) -> Best:
        """The entry's best field; classes and fields that cannot beat ``floor`` are skipped."""
        best = Best(floor)
        for variant, bands in zip(self.variants, self.plan, strict=True):
            if variant.total_weight <= 0.0:
                continue
            for low, high, cls in bands:
                if high - variant.penalty <= best.score:
                    break  # no field of this class (nor of the weaker ones) can do better
                if doc[cls]:
                    self._block(variant, doc[cls], cls, low, high, best)
        plain = self.variants[0] if self.variants and self.variants[0].kind == "plain" else None
        if (
            plain is not None
            and best.score < SPREAD_MAX
            and len(plain.slots) + sum(len(r.text) for r in plain.runs) > 1
        ):
            spread = _spread_entry(doc, plain)
            if spread > best.score:
                best = Best(spread, -1, -1)
        return best if best.score > floor else Best()

    def _block(self, variant: Variant, text: str, cls: int, low: float, high: float, best: Best) -> None:
        if variant.kind != "plain":
            for fi, field in enumerate(text.split(self.sep)):
                score = _pair_score(variant, field, low, high) - variant.penalty if field else 0.0
                if score > best.score:
                    best.score, best.cls, best.field = score, cls, fi
            return
        block = _Block(text, self.sep)
        if variant.phrase and variant.phrase in text:
            for fi in block.occurrences(variant.phrase):
                score = _phrase_score(variant, block.fields[fi], low, high)
                if score > best.score:
                    best.score, best.cls, best.field = score, cls, fi
        if best.score >= high:
            return
        for fi, st in _block_states(variant, block).items():
            score = _state_score(variant, st, block.fields[fi], low, high)
            if score > best.score:
                best.score, best.cls, best.field = score, cls, fi


def _spread_entry(doc: list[str], variant: Variant) -> float:
    """Every query unit at its best field anywhere in the entry (words split over fields)."""
    if variant.total_weight <= 0.0:
        return 0.0
    blocks = [doc[cls] for cls in variant.classes]
    padded = [f" {block} " for block in blocks]
    total = 0.0
    for slot in variant.slots:
        best = 0.0
        for factor, block in zip(SPREAD_FACTORS, padded, strict=False):
            if factor <= best:
                break
            for needle, sim in slot.options:
                if needle in block:
                    best = max(best, factor * sim)
                    break
        total += slot.weight * best
    for run in variant.runs:
        cover = [0.0] * len(run.text)
        for factor, block in zip(SPREAD_FACTORS, blocks, strict=False):
            if not block:
                continue
            if run.text in block:
                cover = [max(c, factor) for c in cover]
                continue
            for pos, bigram in run.bigrams:
                if bigram in block:
                    for i in range(pos, pos + len(bigram)):
                        cover[i] = max(cover[i], factor)
            for i, char in enumerate(run.text):
                if cover[i] < factor * LONE_CHAR and char in block:
                    cover[i] = factor * LONE_CHAR
        total += sum(w * c for w, c in zip(run.char_weights, cover, strict=True))
    return SPREAD_MAX * pow15(total / variant.total_weight)
