"""Small rules the classifier ranks by: which alternatives to show, which catalog a shape names,
whether a message says anything, how a code is shown (a leaf of :mod:`errcli.explain`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, ClassVar, Protocol, TypeVar

from errcli.explain.detect import as_int
from errcli.explain.plan import WEAK_SHAPE
from errcli.explain.result import Evidence
from errcli.model import Code, Entry


class _Coded(Protocol):
    """A verdict, as :func:`with_code` reads it."""

    __dataclass_fields__: ClassVar[dict[str, Any]]

    @property
    def code(self) -> Code | None: ...
    @property
    def entry(self) -> Entry | None: ...
    @property
    def evidence(self) -> tuple[Evidence, ...]: ...


V = TypeVar("V", bound=_Coded)
ALTERNATIVES = 3
WEAK_PRIOR = WEAK_SHAPE / 4.0  # a shape this faint breaks ties but names no API


def diverse(entries: Sequence[Entry], limit: int = ALTERNATIVES, spread: bool = True) -> tuple[Entry, ...]:
    """The first ``limit`` entries; with ``spread``, each catalog's best one first."""
    if not spread:
        return tuple(entries[:limit])
    seen: set[str] = set()
    first: list[Entry] = []
    rest: list[Entry] = []
    for entry in entries:
        (rest if entry.catalog in seen else first).append(entry)
        seen.add(entry.catalog)
    return tuple((first + rest)[:limit])


def top_catalog(priors: dict[str, tuple[float, Evidence]]) -> str | None:
    """The catalog the shape points at most (its status table, if it has one, is the HTTP meaning)."""
    return max(priors, key=lambda c: priors[c][0]) if priors else None


def guessed_catalog(priors: dict[str, tuple[float, Evidence]]) -> str | None:
    """The catalog a shape alone points at, when one catalog clearly wins."""
    ranked = sorted(((c, p) for c, p in priors.items() if p[0] > WEAK_PRIOR), key=lambda kv: kv[1][0], reverse=True)
    if not ranked:
        return None
    if len(ranked) == 1 or ranked[0][1][0] > ranked[1][1][0]:
        return ranked[0][0]
    return None


def wordy(message: str | None) -> bool:
    """A message with something to say: two words, or four CJK characters."""
    if not message:
        return False
    return len(message.split()) >= 2 or sum(1 for ch in message if "\u3400" <= ch <= "\u9fff") >= 4


def shown_code(code: Any) -> Code:
    if isinstance(code, bool):
        return str(code).lower()
    if isinstance(code, (int, str)):
        return code
    number = as_int(code)
    return number if number is not None else repr(code)[:60]


def with_code(verdict: V, old: Code | None, new: Code) -> V:
    """``verdict`` of an undocumented code ``old``, for the undocumented code ``new``."""
    evidence = tuple(
        Evidence("code", "not_documented", e.catalog, value=new)
        if e.kind == "code" and e.note == "not_documented" and e.value == old
        else e
        for e in verdict.evidence
    )
    return replace(verdict, code=new if verdict.entry is None else verdict.code, evidence=evidence)
