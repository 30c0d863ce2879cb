"""A query as the index reads it: its words with the spellings the index has, its CJK runs,
and its pinyin readings.

A query word also finds longer words, its stem and typo neighbours (``cancel`` → cancellation,
``insuficient`` → insufficient); rare words weigh more than common ones (IDF), and words found
only in descriptions or examples, English function words and words no entry has weigh little.
Chinese counts by characters, found through bigrams.
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from errcli._text import fold_symbol
from errcli.search.folding import is_cjk
from errcli.search.layout import (
    CODE,
    EXAMPLE,
    KEYWORD,
    KEYWORD_IN,
    KEYWORD_PY,
    NS_CODE,
    NS_INITIALS,
    NS_PINYIN,
    TEXT,
    TITLE,
    TITLE_IN,
    TITLE_PY,
)

if TYPE_CHECKING:
    from errcli.search.index import Index

PINYIN_PENALTY = 2.0
INITIALS_PENALTY = 6.0
UNKNOWN_WEIGHT = 0.5  # a query word that no entry has
STOP_FACTOR = 0.15
TEXT_ONLY_FACTORS = {3: 0.5, 4: 0.3}  # a term found only in texts (3) or only in examples (4)
CJK_TEXT_ONLY_FACTORS = {3: 0.3, 4: 0.2}
MAX_UNITS = 64


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
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ions", "ion", "ies", "ed", "es", "al", "ly", "s")
_CODE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-")


class Slot:
    """A query word with the spellings of it that the index has, or a pinyin pair."""

    __slots__ = ("options", "term_ids", "text", "weight")

    def __init__(self, text: str, options: list[tuple[str, float]], term_ids: list[int], weight: float) -> None:
        self.text = text
        self.options = options  # (needle padded with spaces, similarity), best first
        self.term_ids = term_ids
        self.weight = weight


class Run:
    """A run of CJK characters: found by its bigrams, counted by the characters they cover."""

    __slots__ = ("bigram_weights", "bigrams", "char_weights", "term_ids", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.bigrams: list[tuple[int, str]] = []  # (position, bigram) that some entry has
        self.term_ids: list[int] = []
        self.bigram_weights: list[float] = []
        self.char_weights = [UNKNOWN_WEIGHT] * len(text)


class Variant:
    """A way to read the query: as written (plain), as pinyin syllables, or as pinyin initials."""

    __slots__ = ("classes", "kind", "penalty", "phrase", "prefix_end", "runs", "slots", "total_weight")

    def __init__(
        self,
        kind: str,
        phrase: str,
        slots: list[Slot],
        runs: list[Run],
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


def _cjk_run(index: Index, text: str) -> Run:
    run = Run(text)
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


def plain_variant(index: Index, words: list[str], phrase: str) -> Variant:
    slots: list[Slot] = []
    runs: list[Run] = []
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
                if part in STOPWORDS:
                    weight *= STOP_FACTOR
                slots.append(Slot(part, options, ids, weight))
                budget -= 1
    last = words[-1] if words else ""
    prefix_end = bool(last) and not is_cjk(last) and len(last) >= 3
    return Variant("plain", phrase, slots, runs, (CODE, TITLE, KEYWORD, TEXT, EXAMPLE), prefix_end)


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


def pinyin_variants(index: Index, words: list[str]) -> list[Variant]:
    if not words or not all(w.isascii() and w.isalpha() for w in words) or not index.syllables:
        return []
    if all(index.find(w) is not None for w in words):
        return []  # words the catalogs use: English, not pinyin
    variants: list[Variant] = []
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
) -> Variant:
    slots = []
    for a, b in itertools.pairwise(parts):
        tid = index.find(namespace + a + joiner + b)
        ids = [] if tid is None else [tid]
        slots.append(Slot(f"{a} {b}", [(f" {a} {b} ", 1.0)] if ids else [], ids, 1.0))
    return Variant(kind, " ".join(parts), slots, [], classes)


def code_intent(raw: str) -> bool:
    """Typed like a code or symbol: RATE_LIMIT, NONCE, nonceInvalid, 900, invalid-leverage."""
    text = raw.strip()
    if not text or not set(text) <= _CODE_CHARS:
        return False
    camel = any(a.islower() and b.isupper() for a, b in itertools.pairwise(text))
    return "_" in text or any(c.isdigit() for c in text) or (text.isupper() and len(text) >= 2) or camel


def exact_codes(index: Index, raw: str, known: Sequence[str]) -> tuple[list[int], str | None]:
    """Entries whose code or symbol is the query, and the catalog named by ``catalog:code``."""
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
