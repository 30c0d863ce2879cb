"""``--summary`` of a large regular file on two cores: a forked process counts the second half.

The file is cut at a line boundary near its middle. This process counts the first half, the
forked one the second, from a fresh reader state; their counts are added with the second half's
line numbers moved on. The result is the one a single pass gives, or the second half is counted
here after all: when something was still open at the cut (a multi-line document, an HTTP
response), when the fork or the other process fails, or when the two halves together see more
distinct unknown codes than the summary counts one by one.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from errcli.store.helper import can_fork

if TYPE_CHECKING:
    from errcli.explain.tally import LineTally
    from errcli.model import Entry

MIN_SPLIT_BYTES = 16 << 20  # smaller inputs are counted in one pass
WARM_BYTES = 2 << 20  # counted before the fork: the memo both processes start with
_PROBE = 1 << 20  # how far past the middle a line end is looked for
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class Window:
    """Bytes ``start`` up to ``end`` (None: the end of the file) of a file descriptor, read with
    ``pread``: the file's own offset is never moved, so two processes can share the descriptor."""

    def __init__(self, fd: int, start: int, end: int | None = None) -> None:
        self.fd = fd
        self.pos = start
        self.end = end

    def read1(self, n: int = 1 << 18) -> bytes:
        if self.end is not None:
            n = min(n, self.end - self.pos)
            if n <= 0:
                return b""
        data = os.pread(self.fd, n, self.pos)
        self.pos += len(data)
        return data


def cut(source: object, min_bytes: int = MIN_SPLIT_BYTES) -> tuple[int, int, int] | None:
    """``(fd, start, middle)`` when ``source`` is a regular file with at least ``min_bytes`` left
    to read, on a system that can fork onto a second core; ``middle`` starts a line."""
    if not can_fork():
        return None
    try:
        fd = source.fileno()  # type: ignore[attr-defined]
        info = os.fstat(fd)
        start = source.tell()  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size - start < max(min_bytes, 2):
        return None
    try:
        if os.pread(fd, 2, start)[:2] in _UTF16_BOMS:
            return None  # read as text, from its start
    except OSError:
        return None
    middle = line_end(fd, start + (info.st_size - start) // 2)
    return None if middle is None else (fd, start, middle)


def line_end(fd: int, at: int, before: int | None = None) -> int | None:
    """Where the first line that ends at or after ``at`` ends (just past its LF), if that is
    close to ``at`` and before ``before``."""
    try:
        probe = os.pread(fd, _PROBE, at)
    except OSError:
        return None
    end = probe.find(b"\n")
    if end < 0 or (before is not None and at + end + 1 >= before):
        return None
    return at + end + 1


class Counted(NamedTuple):
    """What a summary row reads of its verdict, as the second half's rows come back."""

    catalog: str | None
    code: Any
    entry: Entry | None


def sent_rows(rows: Iterable[list[Any]]) -> list[tuple[Any, ...]]:
    """SummaryRows' rows as the second half's process sends them: each verdict's catalog, code and
    entry (by its catalog and code), not the verdict (pickled, it would be most of what is sent)."""
    return [
        (v.catalog, v.code, None if v.entry is None else (v.entry.catalog, v.entry.code), count, first, last)
        for v, count, first, last in rows
    ]


def received_rows(sent: Iterable[tuple[Any, ...]], entries: Mapping[tuple[str, Any], Entry]) -> list[list[Any]] | None:
    """The rows :func:`sent_rows` sent, with the entries here; None if one names an entry not here."""
    rows = []
    for catalog, code, key, count, first, last in sent:
        entry = None if key is None else entries.get(key)
        if key is not None and entry is None:
            return None
        rows.append([Counted(catalog, code, entry), count, first, last])
    return rows


@dataclass
class Half:
    """What the second half's process counted (line numbers from 1 at the cut)."""

    rows: list[tuple[Any, ...]]  # (catalog, code, entry key, count, first, last): see sent_rows
    folded: bool  # some unknown codes were counted together: the halves cannot simply be added
    records: int
    not_errors: int
    tally: LineTally
