"""From the records the reader found to the draft's entries, categories and envelopes (typed).

A code told in a summary table and again in a detailed section is one entry (the section's words
win); told twice with different meanings, the second meaning is a context of the entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import TypeVar

from errcli.importer.catalog_draft import DraftCategory, DraftContext, DraftEntry, DraftEnvelope, Texts
from errcli.importer.envelopes import envelopes
from errcli.importer.inline import as_text
from errcli.importer.reader import Reader
from errcli.importer.records import Category, Record
from errcli.importer.report import Duplicate
from errcli.importer.vocabulary import HTTP_TITLE, norm
from errcli.model import Code, Severity

T = TypeVar("T")

_RETRY_LIST = re.compile(
    r"\b(\w*retr[iy]able\w*|\w*RETR[IY]ABLE\w*)\b\s*(?::\s*[\w\[\]<>, ]+)?\s*[=:]\s*", re.IGNORECASE
)


@dataclass(frozen=True)
class Assembled:
    entries: list[DraftEntry]
    categories: list[DraftCategory]
    envelopes: list[DraftEnvelope]
    duplicates: list[Duplicate]


@dataclass
class _Merged:
    """What the records of one meaning of a code say together."""

    title: str | None
    symbol: str | None
    http_status: int | None
    severity: Severity | None
    retryable: bool | None
    category: str | None
    description: list[str]
    causes: list[str]
    fixes: list[str]
    limits: list[str]
    examples: list[str]
    snippets: list[str]


def assemble(reader: Reader, plain: str, title: str | None) -> Assembled:
    """The entries of the document (``plain``: its text, for retryable lists), in the order first defined."""
    by_code: dict[Code, list[Record]] = {}
    for record in reader.records:
        by_code.setdefault(record.code, []).append(record)
    retry = retry_lists(plain)
    categories = reader.categories.complete(reader.category_rows)
    ranged = sorted((c for c in categories.values() if c.range), key=lambda c: _span(c.range))
    duplicates: list[Duplicate] = []
    entries = [_one_entry(code, records, ranged, retry, duplicates) for code, records in by_code.items()]
    used = {e.category for e in entries} | {c.category for e in entries for c in e.contexts}
    plain_used = [c for c in categories.values() if c.id in used and c.range is None]
    if len(plain_used) == 1 and all(e.category == plain_used[0].id for e in entries):
        used.discard(plain_used[0].id)  # one group around everything is no grouping
        for entry in entries:
            entry.category = None
            for context in entry.contexts:
                context.category = None
    if _lists_http_statuses(entries, title):
        for entry in entries:
            if entry.http_status is None and isinstance(entry.code, int):
                entry.http_status = entry.code
    return Assembled(
        entries=entries,
        categories=[_category(c) for c in categories.values() if c.id in used],
        envelopes=envelopes(reader.examples),
        duplicates=duplicates,
    )


def retry_lists(text: str) -> tuple[set[str], set[str]]:
    """Codes in lists named like ``RETRYABLE_ERRORS = [...]`` (and ``NON_RETRYABLE...``)."""
    yes: set[str] = set()
    no: set[str] = set()
    for m in _RETRY_LIST.finditer(text):
        rest = text[m.end() : m.end() + 4000]
        opening = re.match(r"\s*(?:new\s+\w+\s*\(\s*|set\s*\(\s*|frozenset\s*\(\s*)?([\[{(])", rest, re.IGNORECASE)
        if not opening:
            continue
        close = {"[": "]", "{": "}", "(": ")"}[opening.group(1)]
        body = rest[opening.end() : rest.find(close, opening.end())]
        body = re.sub(r"//[^\n]*|#[^\n]*", "", body)
        tokens = re.findall(r"['\"]([\w.-]+)['\"]|(-?\d+)|\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\b", body)
        codes = {a or b or c for a, b, c in tokens}
        name = m.group(1).lower()
        (no if re.search(r"non|not|no_", name) else yes).update(codes)
    return yes, no


def _one_entry(
    code: Code,
    records: list[Record],
    ranged: Sequence[Category],
    retry: tuple[set[str], set[str]],
    duplicates: list[Duplicate],
) -> DraftEntry:
    """The entry for one code: the records that agree merged, another meaning as a context."""
    main = [records[0]]
    meanings = {_place(records[0]): {_meaning(records[0])}}  # per place: the meanings seen there
    seconds: list[Record] = []
    for record in records[1:]:
        place, meaning = _place(record), _meaning(record)
        seen = meanings.get(place)
        if seen is None:  # a summary table and a detailed section: one code, told twice
            meanings[place] = {meaning}
            main.append(record)
        elif meaning in seen or any(_compatible(meaning, m) for m in seen):
            duplicates.append(Duplicate(code, records[0].line, record.line, "merged"))
            seen.add(meaning)
            main.append(record)
        else:
            seconds.append(record)
            duplicates.append(Duplicate(code, records[0].line, record.line, "context"))
    merged = _merge(main)
    if merged.category is None and isinstance(code, int):
        merged.category = next((c.id for c in ranged if c.range and c.range[0] <= code <= c.range[1]), None)
    contexts = []
    for record in seconds:
        extra = _merge([record])
        extra.category = extra.category or merged.category
        contexts.append(_context(record, extra))
        merged.examples = list(dict.fromkeys([*merged.examples, *extra.examples]))
    if str(code) in retry[0]:
        merged.retryable = True
    elif str(code) in retry[1]:
        merged.retryable = False
    return _entry(code, merged, contexts)


def _place(record: Record) -> tuple[str, int]:
    """Where a record was found: all sections are one place, each table another."""
    return (record.kind, 0 if record.kind == "section" else record.block)


def _meaning(record: Record) -> str:
    text = record.title or (record.description[0] if record.description else "")
    return norm(text)


def _compatible(a: str, b: str) -> bool:
    """Two meanings that can be the same (one says more than the other, or one says nothing)."""
    return not a or not b or a in b or b in a


def _first(values: Iterable[T | None]) -> T | None:
    return next((v for v in values if v is not None), None)


def _merge(records: list[Record]) -> _Merged:
    """One meaning from the records that agree: sections (the detailed text) win over summary tables."""
    ordered = sorted(records, key=lambda r: r.kind != "section")
    titled = [r for r in records if r.title and not r.multi] or [r for r in records if r.title]

    def first_list(values: Iterable[list[str]]) -> list[str]:
        return next((list(v) for v in values if v), [])

    def all_of(values: Iterable[list[str]]) -> list[str]:
        return list(dict.fromkeys(x for v in values for x in v))

    return _Merged(
        title=titled[0].title if titled else None,
        symbol=_first(r.symbol for r in records),
        http_status=_first(r.http_status for r in records),
        severity=_first(r.severity for r in records),
        retryable=_first(r.retryable for r in records),
        category=next((r.category for r in ordered if r.category), None),
        description=first_list(r.description for r in ordered),
        causes=first_list(r.causes for r in ordered),
        fixes=first_list(r.fixes for r in ordered),
        limits=first_list(r.limits for r in ordered),
        examples=all_of(r.examples for r in records),
        snippets=all_of(r.snippets for r in records),
    )


def _comment_fixes(snippets: Sequence[str]) -> list[str]:
    """Whole-line comments of the fix code (``// 重新获取 nonce``): the document's own words for the fix."""
    found = []
    for snippet in snippets:
        for line in snippet.splitlines():
            m = re.match(r"^\s*(?://|#)\s*(.+?)\s*$", line)
            if m and not m.group(1).startswith("!") and re.search(r"\w", m.group(1)):
                found.append(m.group(1))
    return list(dict.fromkeys(found))


def _first_sentence(text: str) -> str:
    """A title from a description: its first sentence (the document's words, never cut short)."""
    first = text.split("\n", maxsplit=1)[0].strip()
    m = re.match(r"^(.+?(?:[。！？]|[.!?](?=\s)))\s*\S", first)
    return m.group(1) if m else first


def _told(merged: _Merged) -> tuple[str, Texts | None]:
    """The title (maybe empty) and the description a meaning is told with."""
    description = "\n".join(merged.description)
    title = merged.title or _first_sentence(description)
    return title, as_text(description) if description and description != title else None


def _items(merged: _Merged) -> tuple[list[Texts], list[Texts], list[Texts]]:
    """Causes, fixes (else the comments of the fix code) and limits, each once."""

    def texts(items: list[str]) -> list[Texts]:
        return [as_text(x) for x in dict.fromkeys(items)]

    return texts(merged.causes), texts(merged.fixes or _comment_fixes(merged.snippets)), texts(merged.limits)


def _status(http_status: int | None) -> int | None:
    return http_status if http_status is not None and 100 <= http_status <= 599 else None


def _entry(code: Code, merged: _Merged, contexts: list[DraftContext]) -> DraftEntry:
    """The entry; ``added: [title]`` when the document gave it no title (the symbol or code stands in)."""
    title, description = _told(merged)
    causes, fixes, limits = _items(merged)
    return DraftEntry(
        code=code,
        symbol=merged.symbol or None,
        category=merged.category or None,
        http_status=_status(merged.http_status),
        title=as_text(title or str(merged.symbol or code)),
        description=description,
        causes=causes,
        fixes=fixes,
        limits=limits,
        severity=merged.severity,
        retryable=merged.retryable,
        examples=merged.examples,
        snippets=merged.snippets,
        contexts=contexts,
        added=[] if title else ["title"],
    )


def _context(record: Record, merged: _Merged) -> DraftContext:
    title, description = _told(merged)
    causes, fixes, limits = _items(merged)
    return DraftContext(
        name=as_text(record.group or f"line {record.line}"),
        category=merged.category or None,
        http_status=_status(merged.http_status),
        title=as_text(title) if title else None,
        description=description,
        causes=causes,
        fixes=fixes,
        limits=limits,
        snippets=merged.snippets,
    )


def _lists_http_statuses(entries: Sequence[DraftEntry], title: str | None) -> bool:
    """A document of HTTP statuses: every code a number 100-599, and the title says so
    (``HTTP status codes``) or most entries are titled with their status's reason phrase
    (``404 Not Found``)."""
    if not entries or not all(isinstance(e.code, int) and 100 <= e.code <= 599 for e in entries):
        return False
    if title and HTTP_TITLE.search(title):
        return True
    known = {s.value: norm(s.phrase) for s in HTTPStatus}
    named = sum(1 for e in entries if known.get(int(e.code)) in {norm(t) for t in e.title.values()})
    return named * 2 > len(entries)


def _span(code_range: tuple[int, int] | None) -> int:
    return code_range[1] - code_range[0] if code_range else 0


def _category(cat: Category) -> DraftCategory:
    return DraftCategory(
        id=cat.id,
        title=as_text(cat.title),
        range=list(cat.range) if cat.range else None,
        description=as_text(cat.description) if cat.description else None,
    )
