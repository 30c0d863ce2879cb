"""Message retrieval: which entries a server's message text names, scored 0-100.

Two retrievers over the same normalisation as ``errcode search`` (the search index's:
NFKC, Traditional → Simplified, camelCase split, case folding), both with interpolated
values folded out first (``Order O17361 not found`` → ``order not found``):

* the entries' short texts: the ``messages`` real servers send (``Instrument {} not found``),
  titles, the documents' example messages, symbols and keywords, compared whole, as a part
  of the message, and fuzzily (rapidfuzz);
* ``errcode search`` itself (titles, keywords, descriptions, causes, fixes, pinyin), for the
  messages no short text covers.

An entry's score is the better of the two. Results are cached per folded message.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING

from errcli.explain.fields import SUCCESS_CATEGORY
from errcli.explain.plan import fold_message, keep
from errcli.model import Catalog, Code, Entry

if TYPE_CHECKING:
    from errcli.catalog import CatalogSet

EntryKey = tuple[str, Code]

KEYWORD_WEIGHT = 0.9  # errcode's synonyms, often shared by several entries
SYMBOL_WEIGHT = 0.95
SEARCH_WEIGHT = 0.95  # a search hit is a weaker sign than a server message template
SEARCH_WHEN_BELOW = 90.0  # search is asked only when no short text matched this well
_EXAMPLE_MESSAGE = re.compile(r'"(?:message|msg|error|error_message|errorMessage|detail)"\s*:\s*"((?:[^"\\]|\\.)*)"')
_HEAD_SPLIT = re.compile(r"\s*(?:[:：,，;；]|\s-\s)")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_APART = "\x00"  # between the texts in MessageMatcher._blob
# "already exists" and "does not exist" share nearly every word and mean the opposite: a text that
# says one is no match for a message that says the other (on normalised, Simplified text)
_ABSENT = re.compile(r"not (?:exist|found)|doesn ?t exist|no such|不存在|未找到|找不到|没有找到")
_PRESENT = re.compile(r"already exists?|已存在|已经存在")
OPPOSITE_WEIGHT = 0.5


def _polarity(norm: str) -> int:
    """-1: the text says something is missing, 1: that it already exists, 0: neither."""
    return -1 if _ABSENT.search(norm) else 1 if _PRESENT.search(norm) else 0


def _meaningful(norm: str) -> bool:
    """Long enough to compare: two CJK characters or three letters."""
    return len(norm) >= (2 if _CJK.search(norm) else 3)


def _texts(entry: Entry) -> list[tuple[str, float]]:
    """The short texts a server's message is compared with, with their weights."""
    raw: list[tuple[str, float]] = [(m.replace("{}", " "), 1.0) for m in entry.messages]
    raw.extend((t, 1.0) for t in (entry.title.zh, entry.title.en) if t)
    raw.extend((found, 1.0) for example in entry.examples for found in _EXAMPLE_MESSAGE.findall(example))
    for context in entry.contexts:
        if context.title is not None:
            raw.extend((t, 1.0) for t in (context.title.zh, context.title.en) if t)
    raw.extend((name.replace("_", " "), SYMBOL_WEIGHT) for name in (entry.symbol, entry.code) if isinstance(name, str))
    raw.extend((k, KEYWORD_WEIGHT) for k in entry.keywords)
    return raw


class MessageMatcher:
    def __init__(self, cs: CatalogSet, catalogs: Sequence[Catalog]) -> None:
        from errcli.search import load_index

        self.cs = cs
        self.index = load_index(cs)
        self.ids = tuple(c.id for c in catalogs)
        self._entries: dict[EntryKey, Entry] = {}
        best: dict[tuple[str, EntryKey], float] = {}
        for cat in catalogs:
            for entry in cat.entries:
                key = (entry.catalog, entry.code)
                self._entries[key] = entry
                if entry.category == SUCCESS_CATEGORY:
                    continue  # a success entry (market-data's code 0) is no meaning of an error's message
                for text, weight in _texts(entry):
                    norm = self.normalize(text)
                    if _meaningful(norm) and best.get((norm, key), 0.0) < weight:
                        best[(norm, key)] = weight
        self.texts = [norm for norm, _ in best]
        self.owners = [key for _, key in best]
        self.weights = list(best.values())
        self._cache: dict[str, dict[EntryKey, float]] = {}
        self._polarities: list[int] | None = None
        # for the substring tests: the texts by content, their lengths, and all of them in one string
        # (``_starts``: where each begins there); for the token scorers: each text's tokens sorted
        # (token_sort_ratio is ratio on them), its distinct tokens sorted (token_set_ratio of a text
        # that shares no token with a message is ratio on them), and the texts each token is in
        self._by_text: dict[str, list[int]] = {}
        self._by_token: dict[str, list[int]] = {}
        self._starts: list[int] = []
        self._sorted: list[str] = []
        self._sorted_set: list[str] = []
        at = 0
        for i, text in enumerate(self.texts):
            self._by_text.setdefault(text, []).append(i)
            self._starts.append(at)
            at += len(text) + 1
            tokens = sorted(text.split())
            distinct = sorted(set(tokens))
            self._sorted.append(" ".join(tokens))
            self._sorted_set.append(" ".join(distinct))
            for token in distinct:
                self._by_token.setdefault(token, []).append(i)
        self._lengths = sorted({len(text) for text in self._by_text})
        self._blob = _APART.join(self.texts)

    def _polarity(self) -> list[int]:
        """Each text's :func:`_polarity`, worked out the first time a message says either."""
        if self._polarities is None:
            self._polarities = [_polarity(text) for text in self.texts]
        return self._polarities

    def normalize(self, text: str) -> str:
        return self.index.normalize(fold_message(text).replace("#", " "))

    def is_phrase(self, message: str | None, status_entry: Entry) -> bool:
        """The message is only the status's reason phrase (``Not Found`` for a 404)."""
        if not message:
            return False
        norm = self.normalize(message)
        return any(norm == self.normalize(t) for t in (status_entry.title.en, status_entry.title.zh) if t)

    def entry(self, key: EntryKey) -> Entry | None:
        return self._entries.get(key)

    def scores(self, message: str) -> dict[EntryKey, float]:
        """Entries the message names, with their score (at least 50), best first."""
        folded = fold_message(message)
        got = self._cache.get(folded)
        if got is None:
            got = keep(self._cache, folded, self._score(folded))
        return got

    def _within(self, query: str) -> list[int]:
        """The texts that are the query or a part of it."""
        by_text, size = self._by_text, len(query)
        found: list[int] = []
        for length in self._lengths:
            if length > size:
                break
            for sub in {query[i : i + length] for i in range(size - length + 1)}:
                ids = by_text.get(sub)
                if ids is not None:
                    found.extend(ids)
        return found

    def _holding(self, query: str) -> set[int]:
        """The texts the query is a part of, the query itself not among them."""
        if _APART in query:
            return {i for i, text in enumerate(self.texts) if query in text and text != query}
        blob, starts = self._blob, self._starts
        found: set[int] = set()
        at = blob.find(query)
        while at >= 0:
            i = bisect_right(starts, at) - 1
            if self.texts[i] != query:
                found.add(i)
            at = blob.find(query, starts[i + 1]) if i + 1 < len(starts) else -1
        return found

    def token_sort(self, query: str) -> list[tuple[float, int]]:
        """``process.extract(query, texts, scorer=token_sort_ratio, limit=12, score_cutoff=55)`` as
        (score, index): ratio on the tokens sorted, the texts' sorted once."""
        from rapidfuzz import fuzz, process

        ordered = " ".join(sorted(query.split()))
        return [
            (s, i) for _, s, i in process.extract(ordered, self._sorted, scorer=fuzz.ratio, limit=12, score_cutoff=55)
        ]

    def token_set(self, query: str) -> list[tuple[float, int]]:
        """``process.extract(query, texts, scorer=token_set_ratio, limit=12, score_cutoff=70)`` as
        (score, index), computed only for the texts that can reach 70: those that share a token with
        the query, and those whose distinct tokens, sorted, are close to its own by ratio (which is
        what token_set_ratio is for texts that share none; 69 allows for rounding)."""
        from rapidfuzz import fuzz, process

        tokens = set(query.split())
        by_token = self._by_token
        near = {i for token in tokens for i in by_token.get(token, ())}
        distinct = " ".join(sorted(tokens))
        near.update(
            i for _, _, i in process.extract(distinct, self._sorted_set, scorer=fuzz.ratio, limit=None, score_cutoff=69)
        )
        chosen = sorted(near)
        texts = self.texts
        found = process.extract(
            query, [texts[i] for i in chosen], scorer=fuzz.token_set_ratio, limit=None, score_cutoff=70
        )
        return sorted(((s, chosen[j]) for _, s, j in found), key=lambda hit: (-hit[0], hit[1]))[:12]

    def _score(self, folded: str) -> dict[EntryKey, float]:
        from rapidfuzz import fuzz, process

        norm = self.index.normalize(folded.replace("#", " "))
        if not _meaningful(norm):
            return {}
        head = self.index.normalize(_HEAD_SPLIT.split(folded, maxsplit=1)[0].replace("#", " "))
        queries = [(norm, 1.0)]
        if head != norm and _meaningful(head):
            queries.append((head, 0.97))
        out: dict[EntryKey, float] = {}
        said = _polarity(norm)
        polarity = self._polarity() if said else ()

        def keep(i: int, score: float) -> None:
            score *= self.weights[i]
            if said and polarity[i] == -said:
                score *= OPPOSITE_WEIGHT
            key = self.owners[i]
            if score > out.get(key, 0.0):
                out[key] = score

        texts = self.texts
        for query, part in queries:
            for i in self._within(query):  # (every text is meaningful: see __init__)
                keep(i, (100.0 if texts[i] == query else 86.0 + 14.0 * len(texts[i]) / len(query)) * part)
            if len(query) >= 6 or _CJK.search(query):
                for i in self._holding(query):
                    keep(i, (80.0 + 15.0 * len(query) / len(texts[i])) * part)
            for _, score, i in process.extract(query, texts, scorer=fuzz.ratio, limit=12, score_cutoff=55):
                keep(i, 0.95 * score * part)
            for score, i in self.token_sort(query):
                keep(i, 0.95 * score * part)
            if len(query.split()) >= 2:  # one word is a subset of too many texts
                for score, i in self.token_set(query):
                    keep(i, 0.88 * score * part)
        if max(out.values(), default=0.0) < SEARCH_WHEN_BELOW:
            from errcli.search import search

            for hit in search(self.cs, folded.replace("#", " "), self.ids, limit=8, min_score=50.0).hits:
                key = (hit.entry.catalog, hit.entry.code)
                if hit.entry.category == SUCCESS_CATEGORY:
                    continue
                score = SEARCH_WEIGHT * hit.score
                if said and -said in (
                    _polarity(self.normalize(t)) for t in (hit.entry.title.zh, hit.entry.title.en) if t
                ):
                    score *= OPPOSITE_WEIGHT
                if score > out.get(key, 0.0):
                    out[key] = score
                    self._entries.setdefault(key, hit.entry)
        return dict(sorted(((k, round(v, 1)) for k, v in out.items() if v >= 50.0), key=lambda kv: -kv[1]))
