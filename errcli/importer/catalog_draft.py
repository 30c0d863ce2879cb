"""The draft catalog as typed data, its fields in the file's order (data/catalogs/README.md).

A field the document does not give keeps its default and is left out of the file; texts hold the
document's own words under ``zh`` or ``en`` (never both: the draft translates nothing).
"""

from __future__ import annotations

from typing import Literal

import msgspec

from errcli.model import Code, Severity

Texts = dict[str, str]  # {"zh": …} or {"en": …}


class DraftContext(msgspec.Struct, kw_only=True, omit_defaults=True):
    """A second meaning of a code, told under another group of the document."""

    name: Texts
    category: str | None = None
    http_status: int | None = None
    title: Texts | None = None
    description: Texts | None = None
    causes: list[Texts] = []
    fixes: list[Texts] = []
    limits: list[Texts] = []
    snippets: list[str] = []


class DraftEntry(msgspec.Struct, kw_only=True, omit_defaults=True):
    code: Code
    symbol: str | None = None
    category: str | None = None
    http_status: int | None = None
    title: Texts
    description: Texts | None = None
    causes: list[Texts] = []
    fixes: list[Texts] = []
    limits: list[Texts] = []
    severity: Severity | None = None
    retryable: bool | None = None
    examples: list[str] = []
    snippets: list[str] = []
    contexts: list[DraftContext] = []
    added: list[str] = []  # ["title"] when the document gives the code no title (the code stands in)


class DraftCategory(msgspec.Struct, kw_only=True, omit_defaults=True):
    id: str
    title: Texts
    range: list[int] | None = None
    description: Texts | None = None


class DraftEnvelope(msgspec.Struct, kw_only=True, omit_defaults=True):
    """Where an example response holds the code and the message."""

    name: str
    transport: Literal["http", "websocket"]
    keys: list[str]
    code_path: str
    message_path: str
    details_path: str | None = None
    error_when: dict[str, bool | str] = {}
    example: str


class DraftSource(msgspec.Struct):
    title: str
    document: str


class DraftCatalog(msgspec.Struct, kw_only=True, omit_defaults=True):
    schema_version: int
    id: str
    name: Texts
    version: str | None = None
    date: str | None = None
    source: DraftSource
    language: str
    description: Texts
    envelopes: list[DraftEnvelope] = []
    categories: list[DraftCategory] = []
    entries: list[DraftEntry]
