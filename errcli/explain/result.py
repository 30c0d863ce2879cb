"""Typed results of explain.

Results carry structured evidence, never sentences: the output layer writes the ``reason``
(in English or Chinese) from ``evidence``, and builds the JSON documents (errcli.output.json).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from errcli.model import Code, Entry, Text

ActionKind = Literal["retry", "wait", "do_not_retry", "check_first"]
Basis = Literal["code", "http_status", "message", "unknown"]
EvidenceKind = Literal["envelope", "frame", "named", "code", "message", "http_status", "header", "call"]


@dataclass(frozen=True)
class Evidence:
    """One fact the verdict rests on.

    ``kind`` says what was looked at; ``note`` what it showed:

    ==============  ==============================================================================
    envelope        the object has ``value`` (an envelope name) of ``catalog``; note ``strong`` when its
                    error condition holds (``success: false``)
    frame           the record around a nested error is ``catalog``'s (a WebSocket frame)
    named           a text body names ``catalog`` (its host, its logger's name), and no other
    code            ``value`` as sent; note ``exact``, ``folded`` (case, separators, camelCase, a number
                    as text), ``http_status`` (the code is an HTTP status), ``not_documented``,
                    ``elsewhere`` (only another catalog than the shape's documents it), ``catch_all``
                    (the API's code for errors that fit no other: the message names the entry)
    message         matches ``catalog:code`` with ``score`` (0-100); note ``agrees``, ``contradicts``,
                    ``unrelated`` (against the code's entry) or ``guess`` (no code to check against)
    http_status     ``value`` from the status line or a client wrapper; note ``documented`` (the entry's
                    documented status), ``differs``, or ``only`` (nothing else to go on)
    header          ``value`` is the header's text (``Retry-After``)
    call            the request placed, cancelled or moved something (``value``: the words seen)
    ==============  ==============================================================================
    """

    kind: EvidenceKind
    note: str | None = None
    catalog: str | None = None
    code: Code | None = None
    score: float | None = None
    value: Any = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        for key in ("note", "catalog", "code", "score", "value"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


@dataclass(frozen=True)
class Action:
    """What to do next.

    ``retry`` with backoff; ``wait`` ``seconds`` then retry; ``do_not_retry`` until the cause is
    fixed; ``check_first``: the outcome is unknown (a server fault on a call that places, cancels or
    moves something): query the state before sending again, so a retry cannot duplicate it.
    """

    kind: ActionKind
    seconds: int | None = None
    source: str = ""  # "Retry-After header", "documented" or "derived"
    advice: Text | None = None  # the document's own words about retrying
    fallback_seconds: int | None = None  # the document's wait, when a Retry-After header gave another


@dataclass(frozen=True)
class ExplainedError:
    """One error found in the input, and what it means.

    ``code`` is the identified code (the entry's, e.g. ``INSUFFICIENT_BALANCE`` for a response that
    sent ``insufficient_balance``), or the code as sent when no entry matched; ``raw_code`` is
    always what the response sent.
    """

    line: int
    catalog: str | None
    code: Code | None
    http_status: int | None
    message: str | None
    confidence: float
    entry: Entry | None
    alternatives: tuple[Entry, ...]
    evidence: tuple[Evidence, ...] = ()
    details: dict[str, Any] = field(default_factory=dict, hash=False)
    action: Action = Action("do_not_retry")
    raw: Any = field(default=None, hash=False)  # the JSON object the error was found in (None: status line only)
    raw_code: Code | None = None
    basis: Basis = "code"
    contradiction: bool = False
    end_line: int = 0

    @property
    def identified(self) -> bool:
        return self.entry is not None


@dataclass(frozen=True)
class ExplainReport:
    errors: tuple[ExplainedError, ...]
    not_errors: int
    unparsed_count: int
    unparsed_lines: tuple[int, ...]
    lines: int
    records: int

    @property
    def unknown(self) -> int:
        return sum(1 for e in self.errors if e.entry is None)


@dataclass(frozen=True)
class SummaryRow:
    catalog: str | None
    code: Code | None
    entry: Entry | None
    count: int
    first_line: int
    last_line: int
    folded: bool = False  # the unknown codes past the distinct ones counted each (catalog and code None)


class Summary:
    """Counts per (catalog, code) with the first and last line: the ``--summary`` table."""

    def __init__(self) -> None:
        self._rows: dict[tuple[str | None, Code | None], list[Any]] = {}
        self.total = 0

    def add(self, error: ExplainedError) -> None:
        self.merge(error.catalog, error.code, error.entry, 1, error.line, error.line)

    def merge(
        self, catalog: str | None, code: Code | None, entry: Entry | None, count: int, first: int, last: int
    ) -> None:
        self.total += count
        row = self._rows.get((catalog, code))
        if row is None:
            self._rows[(catalog, code)] = [entry, count, first, last]
        else:
            row[1] += count
            row[2] = min(row[2], first)
            row[3] = max(row[3], last)

    def rows(self) -> list[SummaryRow]:
        """Most frequent first; ties in order of first appearance."""
        rows = [SummaryRow(cat, code, r[0], r[1], r[2], r[3]) for (cat, code), r in self._rows.items()]
        rows.sort(key=lambda r: (-r.count, r.first_line))
        return rows


@dataclass(frozen=True)
class SummaryReport:
    rows: tuple[SummaryRow, ...]
    errors: int
    unknown: int
    not_errors: int
    unparsed_count: int
    unparsed_lines: tuple[int, ...]
    lines: int
    records: int
    other_unknown: int = 0  # errors with unknown codes counted together in the folded row
    code_limit: int = 0  # distinct unknown codes counted each before the others are folded
