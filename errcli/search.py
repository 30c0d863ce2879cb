"""Search every entry by words: Chinese (Simplified or Traditional), English with typos, pinyin, codes.

The query is normalised like the index (``errcli.index``: NFKC, Traditional → Simplified,
camelCase/``_``/``-`` split, case folding) and matched against each entry's fields. An entry
scores by its best field, and a field by what kind of field it is and how much of it (and of
the query) matched. Scores are 0-100 and mean the same for every query, so ``--min-score``
is a threshold a person can pick:

======  ==================================================================================
100     the query is the entry's code or symbol (any case or separator:
        ``insufficient-balance``, ``insufficientBalance``, ``INSUFFICIENT_BALANCE``)
90-97   part of a code or symbol, typed like one (``RATE_LIMIT``, ``NOT_FOUND``, ``900``)
80-90   the query is in a title (``资金`` in 资金不足), or in a symbol's words typed as text
70-79   the query is in a keyword (``余额不足``, ``rate limit``)
58-69   the query is in a description, cause, fix, limit or context
50-57   the query is in an example response
< 55    the words are spread over several fields, or only some of them matched
======  ==================================================================================

Within a band, the larger the share of the field that the query covers, the higher (an exact
title scores 89, one word of a long title 80). Pinyin matches score in the band of the field
they spell, 2 lower for full syllables (``zijin``, ``zi jin``), 6 lower for initials
(``zjbz``), and 1.5 lower again for a polyphonic character's less common reading. A query
word that matched only by prefix, stem or typo (``cancel`` → cancellation, ``insuficient`` →
insufficient) costs up to a few points: 30 × (1 - similarity); words in one field but not as
one phrase cost 3.

A query that is only partly found (some words missing) is scaled by its weighted coverage to
the power 1.5 (half the query: × 0.35). Rare words weigh more than common ones (IDF); words
found only in descriptions or examples, English function words and words no entry has weigh
little; Chinese counts by characters, found through bigrams (a character found without its
neighbour counts half). Equal scores are ordered by severity (critical first), then catalog
order and entry order.

Speed: candidates come from the posting lists (the best ``TOP_K`` entries of each query term,
plus entries holding the rarest terms together); each gets an upper bound from the terms it
holds, and entries are scored best bound first until a bound cannot beat the current k-th
best score.
"""

from __future__ import annotations

import heapq
import itertools
import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from errcli.catalog import CatalogSet
from errcli.model import Entry

if TYPE_CHECKING:
    from errcli.index import Index

EXACT_SCORE = 100.0
CODE_BAND = (90.0, 97.0)  # typed like a code: RATE_LIMIT, 900
SYMBOL_WORDS_BAND = (80.5, 89.5)  # a symbol's words typed as text: "rate limit"
# code, title, keywords, text, example (index classes 0-4; pinyin classes use their source's)
CLASS_BANDS = ((0.0, 0.0), (80.0, 89.0), (70.0, 79.0), (58.0, 69.0), (50.0, 57.0))
SPREAD_MAX = 55.0  # words found, but across several fields
SPREAD_FACTORS = (1.0, 1.0, 0.95, 0.85, 0.7)  # a word found in: code, title, keywords, text, example
PINYIN_PENALTY = 2.0
INITIALS_PENALTY = 6.0
OTHER_READING_PENALTY = 1.5  # pinyin that spells a character's less common reading
TYPO_PENALTY = 30.0  # × (1 - similarity) of the matched words
GAP_PENALTY = 3.0  # all words in one field, but not as one phrase
UNKNOWN_WEIGHT = 0.5  # a query word that no entry has
LONE_CHAR = 0.5  # a CJK character found, but not next to its neighbour
STOP_FACTOR = 0.15
TEXT_ONLY_FACTORS = {3: 0.5, 4: 0.3}  # a term found only in texts (3) or only in examples (4)
CJK_TEXT_ONLY_FACTORS = {3: 0.3, 4: 0.2}

MAX_QUERY_CHARS = 1000
MAX_TOKENS = 40
MAX_UNITS = 64
TOP_K = 256  # per query term: the entries where it sits in the best fields
MAX_CANDIDATES = 500  # entries scored at most, highest bound first

# English function words: they weigh little, so "the api key has expired" is about "api key expired".
# Negations (not, no, cannot) are not here: "not found" and "no position" need them.
_STOPWORD_TEXT = (
    "a an the is are was were be been being am i me my mine myself we us our ours you your yours it its "
    "itself he him his she her they them their this that these those there here of for in on at by with "
    "from to into onto out up down off over under about above below between through during before after "
    "again further then once and or but so if than as because while until what which who whom whose why "
    "how when where do does did doing done has have had having can could should would will shall may "
    "might must ought please help get gets got getting go goes going went gone keep keeps kept just "
    "also very too quite some any all each every both few more most other such own same only still even "
    "ever now really s t d ll m re ve someone somebody something anyone anybody anything everyone "
    "everybody everything else whatever thing things stuff way"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ions", "ion", "ies", "ed", "es", "al", "ly", "s")
_CODE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-")


def normalize(text: str) -> str:
    """The search form of ``text`` (NFKC, camelCase split, case folded, words single-spaced).

    Traditional → Simplified needs the index's table, so ``Index.normalize`` is what search uses.
    """
    from errcli.index import normalize as index_normalize

    return index_normalize(text)


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: float
    field: str  # code, title, keywords, text, example, pinyin, initials, words (spread over fields)
    matched: str  # the entry's text that matched, as the catalog writes it ("" when spread)


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: tuple[Hit, ...]


# --- the query ------------------------------------------------------------------------------


class _Slot:
    """A query word with the spellings of it that the index has, or a pinyin pair."""

    __slots__ = ("options", "term_ids", "text", "weight")

    def __init__(self, text: str, options: list[tuple[str, float]], term_ids: list[int], weight: float) -> None:
        self.text = text
        self.options = options  # (needle padded with spaces, similarity), best first
        self.term_ids = term_ids
        self.weight = weight


class _Run:
    """A run of CJK characters: found by its bigrams, counted by the characters they cover."""

    __slots__ = ("bigram_weights", "bigrams", "char_weights", "term_ids", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.bigrams: list[tuple[int, str]] = []  # (position, bigram) that some entry has
        self.term_ids: list[int] = []
        self.bigram_weights: list[float] = []
        self.char_weights = [UNKNOWN_WEIGHT] * len(text)


class _Variant:
    """A way to read the query: as written (plain), as pinyin syllables, or as pinyin initials."""

    __slots__ = ("classes", "kind", "penalty", "phrase", "prefix_end", "runs", "slots", "total_weight")

    def __init__(
        self,
        kind: str,
        phrase: str,
        slots: list[_Slot],
        runs: list[_Run],
        classes: tuple[int, ...],
        prefix_end: bool = False,
    ) -> None:
        self.kind = kind
        self.phrase = phrase
        self.slots = slots
        self.runs = runs
        self.classes = classes
        self.prefix_end = prefix_end  # the last word may be the start of a longer word
        self.penalty = {"pinyin": PINYIN_PENALTY, "initials": INITIALS_PENALTY}.get(kind, 0.0)
        self.total_weight = sum(s.weight for s in slots) + sum(sum(r.char_weights) for r in runs)


def _pow15(x: float) -> float:
    """x ** 1.5: partial coverage is worth less than its share (half the words: 0.35)."""
    return x * math.sqrt(max(0.0, x))


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _word_options(index: Index, word: str) -> tuple[list[tuple[str, float]], list[int]]:
    """Spellings of ``word`` that the index has: itself, longer words, its stem, typo neighbours."""
    found: dict[str, tuple[float, int]] = {}

    def add(term: str, sim: float, tid: int | None) -> None:
        if tid is not None and sim > found.get(term, (0.0, 0))[0]:
            found[term] = (sim, tid)

    exact = index.find(word)
    add(word, 1.0, exact)
    if len(word) >= 3 or (word.isdigit() and len(word) >= 2):
        for tid, longer in index.with_prefix(word, 30):  # cancel → cancellation, 100 → 1001
            add(longer, 0.86 + 0.1 * len(word) / len(longer), tid)
    if len(word) >= 4 and word.isalpha():
        stem = _stem(word)
        if stem != word:  # withdrawals → withdrawal, withdraw; cancelled → cancel
            add(stem, 0.95, index.find(stem))
            for tid, longer in index.with_prefix(stem, 30):
                add(longer, 0.9, tid)
            for k in range(len(stem) - 1, max(4, len(stem) - 3) - 1, -1):
                add(stem[:k], 0.88, index.find(stem[:k]))
        if exact is None:
            for term, sim in _typo_neighbours(index, word):
                add(term, sim, index.find(term))
    options = sorted(found.items(), key=lambda kv: (-kv[1][0], kv[0]))[:40]
    return [(f" {t} ", s) for t, (s, _) in options], [tid for _, (_, tid) in options]


def _typo_neighbours(index: Index, word: str) -> list[tuple[str, float]]:
    from rapidfuzz import fuzz, process

    cutoff = 75.0 if len(word) <= 5 else 80.0
    found = process.extract(word, index.latin_words(), scorer=fuzz.ratio, limit=5, score_cutoff=cutoff)
    return [(str(term), 0.97 * float(score) / 100.0) for term, score, _ in found if term != word]


def _weight(index: Index, term_id: int | None, cjk: bool = False) -> float:
    """Rare terms weigh more (IDF); terms no title, keyword or code has weigh less: a word
    found only in descriptions or examples is more often chance than the topic (and a CJK
    bigram found only there is often the junction of two words: 有|问题)."""
    if term_id is None:
        return UNKNOWN_WEIGHT
    idf = math.log(1.0 + index.size / max(1, index.df(term_id)))
    return idf * (CJK_TEXT_ONLY_FACTORS if cjk else TEXT_ONLY_FACTORS).get(index.term_class(term_id), 1.0)


def _cjk_run(index: Index, text: str) -> _Run:
    run = _Run(text)
    if len(text) == 1:
        tid = index.find(text)
        if tid is not None:
            run.bigrams.append((0, text))
            run.term_ids.append(tid)
            run.bigram_weights.append(_weight(index, tid, cjk=True))
            run.char_weights[0] = run.bigram_weights[0]
        return run
    for i in range(len(text) - 1):
        tid = index.find(text[i : i + 2])
        if tid is None:
            continue  # e.g. the junction of two words, 改单|失败: no entry has 单失
        weight = _weight(index, tid, cjk=True)
        run.bigrams.append((i, text[i : i + 2]))
        run.term_ids.append(tid)
        run.bigram_weights.append(weight)
        run.char_weights[i] = max(run.char_weights[i], weight)
        run.char_weights[i + 1] = max(run.char_weights[i + 1], weight)
    return run


def _plain_variant(index: Index, words: list[str], phrase: str) -> _Variant:
    from errcli.index import CODE, EXAMPLE, KEYWORD, TEXT, TITLE, is_cjk

    slots: list[_Slot] = []
    runs: list[_Run] = []
    budget = MAX_UNITS
    for word in words:
        if budget <= 0:
            break
        if is_cjk(word):
            runs.append(_cjk_run(index, word[:budget]))
            budget -= len(word)
        else:
            for part in _compound(index, word):  # ratelimit → rate limit
                options, ids = _word_options(index, part)
                weight = _weight(index, ids[0] if ids else None)
                if part in _STOPWORDS:
                    weight *= STOP_FACTOR
                slots.append(_Slot(part, options, ids, weight))
                budget -= 1
    last = words[-1] if words else ""
    prefix_end = bool(last) and not is_cjk(last) and len(last) >= 3
    return _Variant("plain", phrase, slots, runs, (CODE, TITLE, KEYWORD, TEXT, EXAMPLE), prefix_end)


def _compound(index: Index, word: str) -> list[str]:
    """An unknown word written without its spaces, as the words the index has: ``apikey`` → api, key."""
    if len(word) < 6 or not word.isalpha() or index.find(word) is not None:
        return [word]
    for cut in range(3, len(word) - 2):
        head, tail = word[:cut], word[cut:]
        if index.find(head) is not None and index.find(tail) is not None:
            return [head, tail]
    return [word]


def _segmentations(letters: str, syllables: frozenset[str], limit: int = 3) -> list[list[str]]:
    """Ways to split ``letters`` into known pinyin syllables, fewest syllables first."""
    n = len(letters)
    ways: list[list[list[str]]] = [[] for _ in range(n + 1)]
    ways[n] = [[]]
    for i in range(n - 1, -1, -1):
        options: list[list[str]] = []
        for j in range(min(n, i + 6), i, -1):
            if letters[i:j] in syllables:
                options.extend([letters[i:j], *rest] for rest in ways[j][:limit])
        options.sort(key=len)
        ways[i] = options[:limit]
    return ways[0]


def _pinyin_variants(index: Index, words: list[str]) -> list[_Variant]:
    from errcli.index import KEYWORD_IN, KEYWORD_PY, NS_INITIALS, NS_PINYIN, TITLE_IN, TITLE_PY

    if not words or not all(w.isascii() and w.isalpha() for w in words) or not index.syllables:
        return []
    if all(index.find(w) is not None for w in words):
        return []  # words the catalogs use: English, not pinyin
    variants: list[_Variant] = []
    letters = "".join(words)
    if len(letters) <= 40:
        per_word = [_segmentations(w, index.syllables) for w in words]  # the user's spaces are boundaries
        if all(per_word):
            combos: list[list[str]] = [[]]
            for options in per_word:
                combos = [c + o for c in combos for o in options][:3]
            variants.extend(
                _pair_variant(index, "pinyin", syllables, NS_PINYIN, " ", (TITLE_PY, KEYWORD_PY))
                for syllables in combos
                if len(syllables) >= 2
            )
    # initials (zjbz, or z j b z): no pinyin syllable starts with i, u or v
    spaced = len(words) > 1 and all(len(w) == 1 for w in words)
    if (spaced or len(words) == 1) and 3 <= len(letters) <= 12 and not set(letters) & set("iuv"):
        variants.append(_pair_variant(index, "initials", list(letters), NS_INITIALS, "", (TITLE_IN, KEYWORD_IN)))
    return variants


def _pair_variant(
    index: Index, kind: str, parts: list[str], namespace: str, joiner: str, classes: tuple[int, ...]
) -> _Variant:
    slots = []
    for a, b in itertools.pairwise(parts):
        tid = index.find(namespace + a + joiner + b)
        ids = [] if tid is None else [tid]
        slots.append(_Slot(f"{a} {b}", [(f" {a} {b} ", 1.0)] if ids else [], ids, 1.0))
    return _Variant(kind, " ".join(parts), slots, [], classes)


# --- scoring ----------------------------------------------------------------------------------


class _Best:
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


def _phrase_score(variant: _Variant, text: str, low: float, high: float) -> float:
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


def _block_states(variant: _Variant, block: _Block) -> dict[int, _FieldState]:
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
        if run.text in block.text and len(run.text) > 1:
            for field in block.occurrences(run.text):
                state(field).covers[ri] = [1.0] * len(run.text)
        for pos, bigram in run.bigrams:
            if bigram not in block.text:
                continue
            for field in block.occurrences(bigram):
                st = state(field)
                cover = st.covers[ri]
                if cover is None:
                    st.covers[ri] = cover = [0.0] * len(run.text)
                for i in range(pos, pos + len(bigram)):
                    cover[i] = 1.0
        for pos, char in enumerate(run.text):
            if char not in block.text or len(run.text) == 1:
                continue
            for field in block.occurrences(char):
                st = state(field)
                cover = st.covers[ri]
                if cover is None:
                    st.covers[ri] = cover = [0.0] * len(run.text)
                if cover[pos] == 0.0:
                    cover[pos] = LONE_CHAR  # 超限 ~ 超过…限额: characters without their neighbour
    return states


def _state_score(variant: _Variant, st: _FieldState, text: str, low: float, high: float) -> float:
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
    return (low + (high - low) * fcov) * _pow15(qcov) - TYPO_PENALTY * (1.0 - similarity) - gap


def _pair_score(variant: _Variant, text: str, low: float, high: float) -> float:
    """Pinyin: the syllables (or initials) as a run in one spelling of ``text``, else the share of pairs found."""
    from errcli.index import PINYIN_SEP

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
        best = max(best, (low + (high - low) * fcov) * _pow15(qcov) - GAP_PENALTY)
    return best


class _Scorer:
    """Scores entries for one query against one index."""

    def __init__(self, variants: list[_Variant], code_intent: bool) -> None:
        from errcli.index import FIELD_SEP, PINYIN_SOURCE

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

    def score(self, doc: list[str], floor: float) -> _Best:
        """The entry's best field; classes and fields that cannot beat ``floor`` are skipped."""
        best = _Best(floor)
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
                best = _Best(spread, -1, -1)
        return best if best.score > floor else _Best()

    def _block(self, variant: _Variant, text: str, cls: int, low: float, high: float, best: _Best) -> None:
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


def _spread_entry(doc: list[str], variant: _Variant) -> float:
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
    return SPREAD_MAX * _pow15(total / variant.total_weight)


# --- search -------------------------------------------------------------------------------------


def _code_intent(raw: str) -> bool:
    """Typed like a code or symbol: RATE_LIMIT, NONCE, nonceInvalid, 900, invalid-leverage."""
    text = raw.strip()
    if not text or not set(text) <= _CODE_CHARS:
        return False
    camel = any(a.islower() and b.isupper() for a, b in itertools.pairwise(text))
    return "_" in text or any(c.isdigit() for c in text) or (text.isupper() and len(text) >= 2) or camel


def _exact_codes(index: Index, raw: str, known: Sequence[str]) -> tuple[list[int], str | None]:
    """Entries whose code or symbol is the query, and the catalog named by ``catalog:code``."""
    import unicodedata

    from errcli.index import NS_CODE
    from errcli._text import fold_symbol

    text = unicodedata.normalize("NFKC", raw).strip()
    only: str | None = None
    head, sep, tail = text.partition(":")
    if sep and head.strip().lower() in known and tail.strip():
        only, text = head.strip().lower(), tail.strip()
    key = fold_symbol(text)
    if not key or len(key) > 200:
        return [], only
    tid = index.find(NS_CODE + key)
    return ([] if tid is None else list(index.postings(tid))), only


class _Candidates:
    """Entries worth scoring, each with an upper bound of its score.

    The bound comes from which query units (words, CJK bigrams) the entry contains, read from
    the postings: a unit whose list was cut at ``TOP_K`` is assumed present everywhere, so the
    bound never underestimates.
    """

    def __init__(self, index: Index, variants: list[_Variant], high: float) -> None:
        self.high = high
        self.masks: dict[int, int] = {}
        self.plain = variants[0] if variants and variants[0].kind == "plain" else None
        self.exact = self.plain is not None and len(variants) == 1
        self.always = 0  # units whose postings were cut: present as far as the bound knows
        # units in bit order: slots, then per CJK run its bigrams and then its characters
        finders: list[tuple[list[int], bool, bool]] = []  # (term ids, finds candidates, plain)
        for variant in variants:
            plain = variant.kind == "plain"
            # a stop word finds no candidates of its own (it is in nearly every entry)
            finders.extend((s.term_ids, s.text not in _STOPWORDS, plain) for s in variant.slots)
            for run in variant.runs:
                finders.extend(([tid], True, plain) for tid in run.term_ids)
                # each character on its own, for the bound only (a lone character counts half)
                finders.extend(([] if (tid := index.find(c)) is None else [tid], False, plain) for c in run.text)
        rare: list[tuple[int, list[int], int]] = []  # (df, term ids, bit) of the plain query's units
        chars = 0
        for unit, (term_ids, finds, plain) in enumerate(finders):
            bit = 1 << unit
            if not finds:
                chars |= bit
            df = 0
            budget = TOP_K  # shared by a word's spellings, best spelling first
            for tid in term_ids:
                df += index.df(tid)
                if index.df(tid) > budget:
                    self.always |= bit
                for gid in index.postings(tid, budget):
                    if finds:
                        self.masks[gid] = self.masks.get(gid, 0) | bit
                    elif gid in self.masks:
                        self.masks[gid] |= bit
                budget = max(16, budget - index.df(tid)) if finds else budget
            if term_ids and finds and plain:
                rare.append((df, term_ids, bit))
        # entries with the rarest units together, even where each sits in a weak field (past the top K)
        rare.sort(key=lambda t: t[0])
        if len(rare) >= 2 and rare[1][0] > TOP_K:
            common: set[int] | None = None
            bits = 0
            for df, ids, bit in rare[:3]:
                if df > 200_000:
                    break
                members: set[int] = set()
                for tid in ids:
                    members.update(index.postings(tid))
                common = members if common is None else common & members
                bits |= bit
            for gid in sorted(common or ())[:MAX_CANDIDATES]:
                # a newcomer's characters were not looked up: assume them present
                self.masks[gid] = self.masks.get(gid, chars) | bits

    def bound(self, gid: int) -> float:
        plain = self.plain
        if not self.exact or plain is None or plain.total_weight <= 0.0:
            return EXACT_SCORE  # pinyin readings: no bound
        mask = self.masks.get(gid, 0) | self.always
        found = sum(s.weight for i, s in enumerate(plain.slots) if mask >> i & 1)
        bit = len(plain.slots)
        for run in plain.runs:
            cover = [0.0] * len(run.text)
            for pos, bigram in run.bigrams:
                if mask >> bit & 1:
                    for i in range(pos, pos + len(bigram)):
                        cover[i] = 1.0
                bit += 1
            for i in range(len(run.text)):
                if mask >> bit & 1 and cover[i] == 0.0:
                    cover[i] = LONE_CHAR
                bit += 1
            found += sum(w * c for w, c in zip(run.char_weights, cover, strict=True))
        return self.high * _pow15(min(1.0, found / plain.total_weight))

    def ranked(self) -> list[tuple[float, int]]:
        """(bound, entry), highest bound first."""
        return sorted(((self.bound(g), g) for g in self.masks), key=lambda t: (-t[0], t[1]))[:MAX_CANDIDATES]


def search(
    cs: CatalogSet, text: str, catalogs: Sequence[str] = (), limit: int = 10, min_score: float = 0.0
) -> SearchResult:
    """The entries that match ``text``, best first (see the module docstring for the scores)."""
    if not isinstance(text, str) or not text.strip() or limit <= 0:
        return SearchResult(text if isinstance(text, str) else "", ())
    from errcli.index import load_index

    index = load_index(cs)
    raw = text[:MAX_QUERY_CHARS].encode("utf-8", "ignore").decode("utf-8")  # lone surrogates: dropped
    ranges = index.catalog_ranges()
    exact, only = _exact_codes(index, raw, tuple(ranges))
    if only:  # "qaexchange:1001": search that catalog for the rest
        raw = raw.partition(":")[2]
    wanted = [only] if only else [c for c in dict.fromkeys(catalogs) if c]
    allowed = [ranges[c] for c in wanted if c in ranges] if wanted else None
    if allowed is not None and not allowed:
        return SearchResult(text, ())

    def permitted(gid: int) -> bool:
        return 0 <= gid < index.size and (allowed is None or any(low <= gid < high for low, high in allowed))

    words = index.normalize(raw).split()[:MAX_TOKENS]
    variants = [_plain_variant(index, words, " ".join(words)), *_pinyin_variants(index, words)] if words else []
    code_intent = _code_intent(raw)
    scorer = _Scorer(variants, code_intent)
    scored = {gid: _Best(EXACT_SCORE, -2) for gid in exact if permitted(gid)}
    top = sorted(b.score for b in scored.values())[-limit:]
    heapq.heapify(top)
    candidates = _Candidates(index, variants, (CODE_BAND if code_intent else SYMBOL_WORDS_BAND)[1])
    # highest bound first: once a bound cannot beat the k-th best score, neither can the rest
    for bound, gid in candidates.ranked():
        floor = max(min_score, top[0] if len(top) >= limit else 0.0) - 0.1
        if bound <= floor:
            break
        if gid in scored or not permitted(gid):
            continue
        best = scorer.score(index.doc(gid), max(0.0, floor))
        if best.score > 0.0:
            scored[gid] = best
            if len(top) < limit:
                heapq.heappush(top, best.score)
            elif best.score > top[0]:
                heapq.heapreplace(top, best.score)
    order = sorted(
        (round(min(EXACT_SCORE, b.score), 1), index.severity(g), g) for g, b in scored.items() if b.score > 0.0
    )
    order.sort(key=lambda t: (-t[0], t[1], t[2]))
    kept = [(score, gid) for score, _, gid in order if score >= min_score][:limit]
    return SearchResult(text, tuple(_hit(cs, index, gid, score, scored[gid]) for score, gid in kept))


def _hit(cs: CatalogSet, index: Index, gid: int, score: float, best: _Best) -> Hit:
    """The hit for index entry ``gid``; only this entry is decoded (a catalog from the cache
    decodes an entry when it is first asked for: ``errcli.catalog.LazyEntries``)."""
    from errcli.index import CLASS_NAMES, PINYIN_SOURCE, entry_fields

    ci, ei = index.locate(gid)
    catalog = cs.catalogs[ci]
    entry = catalog.entries[ei]
    if best.cls == -2:
        return Hit(entry, score, "code", entry.symbol or str(entry.code))
    if best.cls < 0:
        return Hit(entry, score, "words", "")
    fields = entry_fields(entry, catalog)[PINYIN_SOURCE.get(best.cls, best.cls)]
    matched = fields[best.field] if 0 <= best.field < len(fields) else ""
    return Hit(entry, score, CLASS_NAMES[best.cls], matched)
