"""The catalog schema: typed, frozen records that every command works on.

One file per API; see ``data/catalogs/README.md`` for the field-by-field guide.
Texts are ``{zh, en}`` pairs. The zh side keeps the source document's script
(Traditional or Simplified); the header's ``translated`` list names the
languages that errcode wrote itself rather than took from the document.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import msgspec

Severity = Literal["info", "warning", "critical"]
Source = Literal["documented", "derived"]
Lang = Literal["zh", "en"]
Code = int | str

SCHEMA_VERSION = 1


# The ENTRY keys of the JSON contract that scripts rely on (SPEC §7): first, and never changing meaning.
CONTRACT_KEYS = (
    "catalog",
    "code",
    "symbol",
    "http_status",
    "category",
    "severity",
    "severity_source",
    "retryable",
    "retryable_source",
    "title",
    "description",
    "causes",
    "fixes",
)
_CONTRACT = frozenset(CONTRACT_KEYS)


class _Record(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A part of a catalog: read-only, and a field the schema does not know is an error."""


class Text(_Record, frozen=True):
    """One text in both languages; a user catalog may give only one of them."""

    zh: str | None = None
    en: str | None = None

    def get(self, lang: Lang) -> str:
        """The text in ``lang``, else in the other language, else empty."""
        first, second = (self.zh, self.en) if lang == "zh" else (self.en, self.zh)
        return first or second or ""

    def has(self, lang: Lang) -> bool:
        return bool(self.zh if lang == "zh" else self.en)


class _Explained(_Record, frozen=True, kw_only=True):
    """What an error means, why it happens, how to fix it and the limits behind it."""

    description: Text | None = None
    causes: tuple[Text, ...] = ()
    fixes: tuple[Text, ...] = ()
    limits: tuple[Text, ...] = ()


class Context(_Explained, frozen=True, kw_only=True):
    """A second documented meaning of the same code (e.g. orders vs. withdrawals)."""

    name: Text
    category: str | None = None
    http_status: int | None = None
    title: Text | None = None
    snippets: tuple[str, ...] = ()


class Detail(_Record, frozen=True, kw_only=True):
    """A field the error response may carry, e.g. ``details.required``."""

    field: str
    meaning: Text


class Entry(_Explained, frozen=True, kw_only=True):
    """One error code of an API."""

    code: Code
    title: Text
    category: str | None = None
    symbol: str | None = None
    http_status: int | None = None
    severity: Severity | None = None
    severity_source: Source = "documented"
    retryable: bool | None = None
    retryable_source: Source = "documented"
    retry_after: int | None = None
    retry_advice: Text | None = None
    headers: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    snippets: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    # what real servers send for this error, in their words: "Order not found: {}" ({} stands
    # for an interpolated value). Always errcode's own, like keywords; explain matches them.
    messages: tuple[str, ...] = ()
    # derived by the header's `rules.outcome` rule: a server-side fault or timeout after which
    # the caller cannot know whether a state-changing call took effect
    outcome_unknown: bool = False
    contexts: tuple[Context, ...] = ()
    details: tuple[Detail, ...] = ()
    added: tuple[str, ...] = ()
    catalog: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The entry as the JSON contract has it (SPEC §7 ENTRY): the keys scripts rely on first,
        then every other field; plain data (lists, dicts, str, int, bool, None)."""
        data: dict[str, Any] = msgspec.json.decode(msgspec.json.encode(self))  # tuples become lists
        out = {key: data.get(key) for key in CONTRACT_KEYS}
        out.update((key, value) for key, value in data.items() if key not in _CONTRACT)
        for key in ("causes", "fixes"):
            out[key] = out[key] or []
        return out


class Category(_Record, frozen=True, kw_only=True):
    id: str
    title: Text
    range: tuple[int, int] | None = None
    description: Text | None = None


class Envelope(_Record, frozen=True, kw_only=True):
    """A JSON shape the API answers with; explain uses it to recognise the API."""

    name: str
    transport: Literal["http", "websocket"] = "http"
    keys: tuple[str, ...]
    code_path: str = "code"
    message_path: str = "message"
    details_path: str | None = None
    error_when: dict[str, str | int | bool | None] = {}
    example: str = ""
    # errcode's own: a shape the real server sends that its document does not show
    added: bool = False


class SourceDoc(_Record, frozen=True, kw_only=True):
    title: str
    document: str | None = None
    url: str | None = None


class Rules(_Record, frozen=True, kw_only=True):
    """How derived values were decided, written once per catalog."""

    severity: Text | None = None
    retryable: Text | None = None
    outcome: Text | None = None


class Catalog(_Record, frozen=True, kw_only=True):
    schema_version: int = SCHEMA_VERSION
    id: str
    name: Text
    version: str | None = None
    date: str | None = None
    source: SourceDoc | None = None
    language: str = "zh-Hans"
    translated: tuple[Lang, ...] = ()
    description: Text | None = None
    rules: Rules = Rules()
    envelopes: tuple[Envelope, ...] = ()
    categories: tuple[Category, ...] = ()
    entries: Sequence[Entry]  # a tuple, or read lazily from the cache
    path: str = ""

    def category(self, category_id: str | None) -> Category | None:
        return next((cat for cat in self.categories if cat.id == category_id), None)
