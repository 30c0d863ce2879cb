"""Reading the document: a file or stdin, within a size cap, as text (UTF-8, UTF-16, GB18030); binaries refused."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path
from typing import BinaryIO

from errcli.env import is_terminal
from errcli.errors import UsageError
from errcli.importer.inline import HAN
from errcli.importer.report import Document
from errcli.store.files import NotRegularFile, read_bounded

# A size guard instead of streaming: a section can only be understood with the lines around it
# (labels below a code line, headings above it), and error-code documents are small (the seeds are
# 7-12 kB, a big vendor page a few MB). 8 MiB of densely packed sections parses in about 5-10 s;
# anything larger (a 50 MB log passed by mistake) is refused after reading one byte past the cap.
MAX_IMPORT_BYTES = 8 * 1024 * 1024
_SAMPLE = 65536  # characters looked at to tell text from a binary


def read_document(source: str, stdin: BinaryIO | None = None, limit: int | None = None) -> Document:
    """The document at ``source`` (``-`` = stdin) as text; UsageError when it cannot be imported."""
    limit = MAX_IMPORT_BYTES if limit is None else limit
    shown = "stdin" if source == "-" else source
    raw = _read_stdin(stdin, limit) if source == "-" else _read_file(source, limit)
    if len(raw) > limit:
        raise UsageError(
            f"{shown} is larger than {limit // (1024 * 1024)} MiB; error-code documents are far smaller",
            hint="import the part of the document that lists the error codes",
        )
    text, encoding = decode(raw, shown)
    if not text.strip():
        raise UsageError(f"{shown} is empty", hint="give an error-code document (Markdown, text or HTML)")
    return Document(text, source, encoding)


def _read_stdin(stdin: BinaryIO | None, limit: int) -> bytes:
    stream = stdin or sys.stdin.buffer
    if is_terminal(stream):
        raise UsageError("nothing to import", hint="give a FILE, or pipe a document: cat DOC.md | errcode import -")
    return stream.read(limit + 1)


def _read_file(source: str, limit: int) -> bytes:
    """At most ``limit`` + 1 bytes of a regular file; a pipe or a device is refused without reading it."""
    path = Path(source)
    try:
        if path.is_dir():
            raise UsageError(f"{source} is a folder", hint="give one document file")
        return read_bounded(path, limit)
    except NotRegularFile:
        raise UsageError(
            f"{source} is not a regular file",
            hint="give a document file, or pipe a stream: cat SOURCE | errcode import -",
        ) from None
    except OSError as exc:
        raise UsageError(f"cannot read {source}: {exc.strerror or exc}", hint="check the path") from None


def decode(raw: bytes, source: str) -> tuple[str, str]:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else GB18030 when that reads as text."""
    binary = UsageError(
        f"{source} is a binary file, not a document", hint="give the error-code page as Markdown, text or HTML"
    )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise binary from None
    if b"\x00" in raw[:_SAMPLE]:
        raise binary
    try:
        text, encoding = raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(raw) - 3 and "end of data" in str(exc.reason):  # cut in the middle of a character
            return decode(raw[: exc.start], source)
        try:
            text, encoding = raw.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            raise binary from None
        if not HAN.search(text[:_SAMPLE]):  # GB18030 decodes almost anything
            raise binary from None
    sample = text[:_SAMPLE]
    controls = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v")
    if controls > max(8, len(sample) // 100):
        raise binary
    return text, encoding
