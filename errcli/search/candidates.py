"""Which entries a query scores, best first.

Candidates come from the posting lists (the best ``TOP_K`` entries of each query term, plus
entries holding the rarest terms together); each gets an upper bound from the terms it holds,
and entries are scored best bound first until a bound cannot beat the current k-th best score.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from errcli.search.query import STOPWORDS, Variant
from errcli.search.rank import EXACT_SCORE, LONE_CHAR, pow15

if TYPE_CHECKING:
    from errcli.search.index import Index

TOP_K = 256  # per query term: the entries where it sits in the best fields
MAX_CANDIDATES = 500  # entries scored at most, highest bound first


class Candidates:
    """Entries worth scoring, each with an upper bound of its score.

    The bound comes from which query units (words, CJK bigrams) the entry contains, read from
    the postings: a unit whose list was cut at ``TOP_K`` is assumed present everywhere, so the
    bound never underestimates.
    """

    def __init__(self, index: Index, variants: list[Variant], high: float) -> None:
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
            finders.extend((s.term_ids, s.text not in STOPWORDS, plain) for s in variant.slots)
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
        return self.high * pow15(min(1.0, found / plain.total_weight))

    def ranked(self) -> list[tuple[float, int]]:
        """(bound, entry), highest bound first."""
        return sorted(((self.bound(g), g) for g in self.masks), key=lambda t: (-t[0], t[1]))[:MAX_CANDIDATES]
