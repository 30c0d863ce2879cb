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

        def keep(i: int, score: float) -> None:
            score *= self.weights[i]
            key = self.owners[i]
            if score > out.get(key, 0.0):
                out[key] = score

        for query, part in queries:
            for i, text in enumerate(self.texts):
                if text == query:
                    keep(i, 100.0 * part)
                elif text in query and _meaningful(text):
                    keep(i, (86.0 + 14.0 * len(text) / len(query)) * part)
                elif query in text and (len(query) >= 6 or _CJK.search(query)):
                    keep(i, (80.0 + 15.0 * len(query) / len(text)) * part)
            for scorer in (fuzz.ratio, fuzz.token_sort_ratio):
                for _, score, i in process.extract(query, self.texts, scorer=scorer, limit=12, score_cutoff=55):
                    keep(i, 0.95 * score * part)
            if len(query.split()) >= 2:  # one word is a subset of too many texts
                for _, score, i in process.extract(
                    query, self.texts, scorer=fuzz.token_set_ratio, limit=12, score_cutoff=70
                ):
                    keep(i, 0.88 * score * part)
        if max(out.values(), default=0.0) < SEARCH_WHEN_BELOW:
            from errcli.search import search

            for hit in search(self.cs, folded.replace("#", " "), self.ids, limit=8, min_score=50.0).hits:
                key = (hit.entry.catalog, hit.entry.code)
                if hit.entry.category == SUCCESS_CATEGORY:
                    continue
                score = SEARCH_WEIGHT * hit.score
                if score > out.get(key, 0.0):
                    out[key] = score
                    self._entries.setdefault(key, hit.entry)
        return dict(sorted(((k, round(v, 1)) for k, v in out.items() if v >= 50.0), key=lambda kv: -kv[1]))
