"""What an import gives back: the document read, the draft and the report on it (data only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from errcli.model import Code

DocFormat = Literal["markdown", "text", "html"]


@dataclass(frozen=True)
class Document:
    text: str
    name: str  # as shown to the user: the path, or "-" for stdin
    encoding: str = "utf-8"


@dataclass(frozen=True)
class Unparsed:
    """A part of the document that looks like error documentation but was not understood."""

    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class Duplicate:
    """A code the document defines more than once."""

    code: Code
    first_line: int
    line: int
    kept_as: Literal["context", "merged"]  # a second meaning (in ``contexts``) or the same one again


@dataclass(frozen=True)
class ImportReport:
    source: str
    format: DocFormat
    language: str
    encoding: str
    codes: tuple[Code, ...]
    unparsed: tuple[Unparsed, ...]
    duplicates: tuple[Duplicate, ...]
    untitled: tuple[Code, ...]  # codes the document gives no title or description for
    categories: int
    envelopes: int


@dataclass(frozen=True)
class ImportResult:
    draft: dict[str, Any]  # a catalog in the file format (data/catalogs/README.md)
    report: ImportReport
    yaml: str  # the draft as written, checked by the catalog loader
