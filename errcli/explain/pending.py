"""A JSON value open over several lines: its lines so far, what started it (a leaf of :mod:`errcli.explain`)."""

from __future__ import annotations

from errcli.explain.decode import bracket_depth
from errcli.explain.http import HttpResponse

MAX_PREFIX = 256  # bytes of the text before a value on its first line that travel with it


class Pending:
    """A JSON value that began on ``start`` and is still open at the end of the last line read."""

    def __init__(
        self,
        start: int,
        first: bytes,
        first_pos: int,
        had_record: bool,
        response: HttpResponse | None,
        js: bool = False,
    ) -> None:
        self.start = start
        self.response = response
        self.http = response.info if response is not None else None
        self.first_pos = first_pos  # where in the first line the value starts
        self.first_line_data = first  # the whole first line (for a re-scan if the value turns out broken)
        self.had_record = had_record  # the first line already gave a record before this value
        self.parts: list[bytes] = [first[first_pos:]]
        self.lines: list[int] = [start]
        self.size = len(first) - first_pos
        self.depth = bracket_depth(self.parts[0])
        self.checked = 0
        self.js = js  # a JavaScript object literal (Node's console.log), not JSON

    def buffer(self) -> bytes:
        return b"\n".join(self.parts)

    def prefix(self) -> bytes:
        if self.had_record:
            return b""
        return self.first_line_data[max(0, self.first_pos - MAX_PREFIX) : self.first_pos]

    def locate(self, offset: int) -> tuple[int, int]:
        """(index into ``parts``, offset inside that part) of a byte offset in ``buffer()``."""
        pos = 0
        for i, part in enumerate(self.parts):
            end = pos + len(part)
            if offset <= end:  # the joining newline belongs to the line before it
                return i, offset - pos
            pos = end + 1
        return len(self.parts) - 1, len(self.parts[-1])
