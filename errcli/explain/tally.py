"""What became of every line the reader read: each one is counted exactly once (a leaf of :mod:`errcli.explain`)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

MAX_STORED_UNPARSED = 1000  # unparsed line numbers kept (the count stays exact)
MAX_UNPARSED_TEXT = 300  # bytes of each stored unparsed line's text (for --verbose)


@dataclass
class LineTally:
    """What became of every input line: each one is counted exactly once."""

    lines: int = 0
    record_lines: int = 0  # lines that were (part of) a JSON record
    blank_lines: int = 0
    http_lines: int = 0  # status lines and headers of raw HTTP responses
    unparsed_count: int = 0
    unparsed_lines: list[int] = field(default_factory=list)  # the first MAX_STORED_UNPARSED of them
    unparsed_texts: list[bytes] = field(default_factory=list)  # ... and their text, MAX_UNPARSED_TEXT bytes each

    def add_text(self, line: int, data: bytes) -> None:
        """A line without JSON: blank, or unparsed."""
        if data.strip():
            self.add_unparsed(line, data)
        else:
            self.blank_lines += 1

    def absorb(self, other: LineTally, offset: int) -> None:
        """Add the tally of the stream's next part, whose line numbers start after ``offset``."""
        self.lines += other.lines
        self.record_lines += other.record_lines
        self.blank_lines += other.blank_lines
        self.http_lines += other.http_lines
        self.unparsed_count += other.unparsed_count
        room = MAX_STORED_UNPARSED - len(self.unparsed_lines)
        self.unparsed_lines.extend(n + offset for n in other.unparsed_lines[:room])
        self.unparsed_texts.extend(other.unparsed_texts[: max(room, 0)])

    def add_texts(self, block: Sequence[bytes], texts: list[int], base: int, stop: int) -> None:
        """The lines ``texts`` of a block (after line ``base``) before ``stop``: lines of text, not blank."""
        if not texts:
            return
        if texts[-1] >= stop:
            texts = texts[: bisect_right(texts, stop - 1)]
        room = MAX_STORED_UNPARSED - len(self.unparsed_lines)
        self.unparsed_count += len(texts)
        for i in texts[: max(room, 0)]:
            self.unparsed_lines.append(base + i + 1)
            self.unparsed_texts.append(bytes(block[i][:MAX_UNPARSED_TEXT]))

    def add_unparsed(self, line: int, data: bytes = b"") -> None:
        self.unparsed_count += 1
        if len(self.unparsed_lines) < MAX_STORED_UNPARSED:
            self.unparsed_lines.append(line)
            self.unparsed_texts.append(bytes(data[:MAX_UNPARSED_TEXT]))


__all__ = ["MAX_STORED_UNPARSED", "MAX_UNPARSED_TEXT", "LineTally"]
