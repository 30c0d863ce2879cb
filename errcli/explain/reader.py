"""Bytes → records: every JSON value in a stream, with its line numbers, in constant memory.

JSON Lines, one pretty document, concatenated values, arrays of results, log lines with
JSON after a prefix (the prefix is kept with the record), a Python client's dict repr
(``{'code': 1001, 'ok': False}``: read as the JSON object it stands for), ``curl -i`` output (status line
and headers travel with the body's records; a body that is no JSON, a framework's plain
text or a gateway's HTML page, is kept as text), a BOM, CRLF. It never raises on what it
reads: every line ends up counted exactly once in the :class:`LineTally`.

:func:`pump` is the one loop over the lines; the full explanation and ``--summary`` both
run on it. A line that is a prefix and one JSON object takes a fast path (one decode, or
nothing at all when the caller's lane (:class:`FastLane`) already knows the line's shape).
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any, Protocol

from errcli.explain.decode import (
    ARRAY_OPEN,
    JS_OPEN,
    bracket_depth,
    js_object,
    json_decode,
    python_dict,
    python_line,
    try_decode,
)
from errcli.explain.http import HEADER_LINE, STATUS_LINE, HttpInfo, HttpResponse
from errcli.explain.lines import MAX_LINE_BYTES, Source, line_blocks
from errcli.explain.pending import MAX_PREFIX, Pending
from errcli.explain.tally import LineTally

# --- limits: what keeps memory constant and every input finite --------------------------

MAX_PENDING_BYTES = 1 << 20  # a multi-line document larger than this is dropped
MAX_PENDING_LINES = 100_000
MAX_JS_LINES = 2000  # a JavaScript literal longer than this is taken for none
MAX_NESTING = 256  # deeper JSON is dropped instead of risking recursion limits
MAX_FAILED_CANDIDATES = 32  # `{`/`[` that fail to parse before the rest of a line is given up
MAX_EMBEDDED_JSON = 64 * 1024  # JSON carried as a string value (``"body": "{...}"``)
_CHECK_EVERY_LINE_BELOW = 64 * 1024  # pending documents this small are validated on every line

# --- the reader ----------------------------------------------------------------------------

# (line, end_line, value, http, prefix, words): the reader's fast form; prefix is the text before the
# JSON on its first line (a log line's timestamp, level, request), at most MAX_PREFIX bytes; words, when
# not empty, the line's text around a value it may only quote (``Failed to parse: {…}, error: …``)
_Raw = tuple[int, int, Any, "HttpInfo | None", bytes, bytes]
BULK_LINES = 16  # a lane looks blocks of at least this many lines up at once


@dataclass(frozen=True)
class Record:
    """One JSON object found in the input (``value`` is None for an HTTP response without a JSON body)."""

    line: int
    end_line: int
    value: Any
    http: HttpInfo | None = None
    prefix: str = ""


_CANDIDATE = re.compile(rb"[{\[]")
_BOM = b"\xef\xbb\xbf"
_OVERLONG = b"\x00"  # stands in for a line over MAX_LINE_BYTES: it is unparsed like any binary noise


class RecordReader:
    """Iterate the JSON records of a stream; ``tally`` says what became of every line.

    ``source`` is a binary (or text) file object, or any iterable of lines as bytes or
    str. Never raises on the content: undecodable bytes, NUL, binary noise, absurd
    nesting or numbers and overlong lines all end up counted as unparsed.
    """

    def __init__(self, source: Source, tally: LineTally | None = None) -> None:
        self.source = source
        self.tally = tally if tally is not None else LineTally()

    def __iter__(self) -> Iterator[Record]:
        for line, end, value, http, prefix, _ in self.raw():
            yield Record(line, end, value, http, prefix.decode("utf-8", "replace"))

    def raw(self) -> Iterator[_Raw]:
        """The same records as plain tuples: the one line pump (see :func:`pump`)."""
        return pump(self.source, self.tally)


class FastLane(Protocol):
    """Hooks for lines that are a prefix and one JSON object (see :func:`pump`).

    ``exact``: objects with their digits folded (by the table ``zeros``) → (what tells their verdicts
    apart, {that: tally}); a line found there whose tally has counted a line before is counted by
    the pump itself, in the tally ([verdicts, lines, last line, ...]; see
    :class:`errcli.explain.memo.LineMemo`)."""

    exact: dict[bytes, Any]
    zeros: bytes

    def known(self, n: int, body: bytes, exact_key: bytes | None = None) -> bool:
        """True when the hook has dealt with the line from its bytes alone (it is not decoded)."""

    def decoded(self, n: int, value: dict[str, Any]) -> None:
        """The line's object, decoded: the hook deals with it (it is not yielded)."""

    def bulk(self, block: Sequence[bytes], base: int) -> tuple[list[int], Callable[[int], int], list[int]]:
        """A block's lines at once (the lines after line ``base``): a line the lane knows is a prefix
        without a `[` that may open an array (:data:`~errcli.explain.decode.ARRAY_OPEN`) and one JSON
        object. Returns the lines to take one by one, in order, ``commit(stop)``, which counts the
        others before ``stop`` and says how many, and the lines of text among them (in order: no
        `{`, no status line, no `[` that may open an array, not blank), which the pump counts."""


Tail = Callable[[bool, int], "Source | None"]


def pump(  # noqa: PLR0915 - the one loop over every line: its steps are inlined on purpose
    source: Source, tally: LineTally, lane: FastLane | None = None, *, resumed: bool = False, tail: Tail | None = None
) -> Iterator[_Raw]:
    """Every record of ``source``: ``(line, end_line, value, http, prefix)``.

    When nothing is pending, a line that is an optional prefix and then one JSON object is
    decoded at once (``lane``, when given, sees it first, and takes the objects); everything
    else takes the careful path (:class:`_ScanState`).

    ``resumed``: the binary ``source`` starts at a line boundary inside a stream, where nothing
    was pending (no byte-order mark is looked for). ``tail``, when given, is told at the end of
    ``source`` whether anything was pending there (``tail(idle, lines_so_far)``): the binary
    stream it returns is read next, resumed, and it is asked again at its end (None: the end).
    """
    state = _ScanState(tally)
    decode = json_decode
    array_in = ARRAY_OPEN.search  # a prefix holding a `[` that may open an array takes the careful path
    known = lane.known if lane is not None else None
    bulk = lane.bulk if lane is not None else None
    exact = lane.exact if lane is not None else {}
    zeros = lane.zeros if lane is not None else b""
    state.first = not resumed
    blocks, drain = line_blocks(source, resumed)
    sources = [blocks]
    n = 0
    fast = False  # nothing pending: a line holding `{` may be one whole record
    fast_records = 0  # lines counted here, added to the tally in bulk
    try:
        while sources:
            for block in sources.pop():
                base = n
                size = len(block)
                commit = None
                texts: list[int] = []
                order: Iterable[int] = range(size)
                if bulk is not None and fast and size >= BULK_LINES and type(block[0]) is bytes:
                    # the block looked up at once: only the lines the lane does not know are taken
                    # below, one by one; when one leaves something pending, the rest are too
                    order, commit, texts = bulk(block, base)
                for i in order:
                    line = block[i]
                    n = base + i + 1
                    if len(line) > MAX_LINE_BYTES:
                        if drain is not None and not line.endswith(b"\n" if isinstance(line, bytes) else "\n"):
                            drain()
                        line = _OVERLONG
                    if fast and type(line) is bytes:
                        p = line.find(b"{")
                        if p == 0 or (p > 0 and not array_in(line, 0, p)):
                            body = line[p:] if p else line
                            if known is not None:
                                exact_key = body.translate(zeros)
                                hit = exact.get(exact_key)  # a line of a canon counted before: a tally's increment
                                if hit is not None:
                                    counted = hit[1].get(hit[0](body) if hit[0] is not None else None)
                                    if counted is not None and counted[1]:
                                        counted[1] += 1
                                        counted[2] = n
                                        fast_records += 1
                                        continue
                                if known(n, body, exact_key):
                                    fast_records += 1
                                    continue
                            try:
                                value = decode(body)
                            except Exception as exc:  # noqa: BLE001 - anything odd takes the careful path below
                                literal = python_line(line, body, exc) if body[1:2] == b"'" else None
                                if literal is not None:  # a Python dict repr: the careful path's record of it
                                    fast_records += 1
                                    prefix = line[max(0, p - MAX_PREFIX) : p]
                                    yield n, n, literal, None, prefix, _literal_words(line, prefix)
                                    continue
                            else:
                                fast_records += 1
                                prefix = line[max(0, p - MAX_PREFIX) : p] if p else b""
                                if type(value) is dict:
                                    if lane is not None:
                                        lane.decoded(n, value)
                                        continue
                                    yield n, n, value, None, prefix, b""
                                else:
                                    yield from _flatten(n, n, value, None, prefix)
                                continue
                        elif p < 0 and line[:5] not in _HTTP_STARTS and (b"[" not in line or not array_in(line)):
                            # no `{`, no `[` that can open an array, no status line: text (a start-up line, a
                            # stack trace), as the careful path would find it
                            tally.add_text(n, line)
                            continue
                    tally.lines = n
                    yield from state.feed(n, line)
                    fast = state.idle
                    if commit is not None and not fast:  # pending: the block's other lines one by one
                        fast_records += commit(i + 1)
                        tally.add_texts(block, texts, base, i + 1)
                        commit = None
                        assert isinstance(order, list)  # noqa: S101 - (the misses bulk gave)
                        del order[bisect_right(order, i) :]  # (the loop's iterator goes on in the list)
                        order.extend(range(i + 1, size))
                if commit is not None:
                    fast_records += commit(size)
                    tally.add_texts(block, texts, base, size)
                n = base + size
            if tail is not None:  # the end of a source: read on, or not
                more = tail(state.idle, n)
                if more is not None:
                    sources.append(line_blocks(more, resumed=True)[0])
        tally.lines = n
        yield from state.finish()
    finally:
        tally.lines = n
        tally.record_lines += fast_records


_HTTP_STARTS = (b"HTTP/", b"< HTT")  # what the careful path looks at for a status line


def _flatten(
    line: int, end: int, value: Any, http: HttpInfo | None, prefix: bytes = b"", words: bytes = b""
) -> Iterator[_Raw]:
    """A top-level array of results gives one record per object in it."""
    if isinstance(value, list):
        objects = [v for v in value if isinstance(v, dict)]
        if objects:
            for obj in objects:
                yield line, end, obj, http, prefix, words
            return
    yield line, end, value, http, prefix, words


def _words(prefix: bytes, after: bytes) -> bytes:
    """A line's text around a value, the value left out."""
    return prefix.rstrip() + _LEFT_OUT + after[:MAX_PREFIX]


def _literal_words(line: bytes, prefix: bytes) -> bytes:
    """The words around a client's print of a value (a Python dict, a JavaScript literal) on its line."""
    return _words(prefix, line[line.rfind(b"}") + 1 :].strip()) if prefix.strip() else b""


_LEFT_OUT = " … ".encode()


class _ScanState:
    """The careful path: prefixes, several values per line, multi-line values, HTTP responses."""

    def __init__(self, tally: LineTally) -> None:
        self.tally = tally
        self.pending: Pending | None = None
        self.skip_depth = 0  # > 0 while the rest of an oversized document is skipped
        self.http: HttpResponse | None = None
        self.queue: deque[tuple[int, bytes, int, bool]] = deque()  # lines to read again, in order
        self.first = True

    @property
    def idle(self) -> bool:
        return self.pending is None and self.http is None and not self.skip_depth and not self.first

    def feed(self, n: int, data: bytes | str) -> Iterator[_Raw]:
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogatepass")
        if self.first:
            self.first = False
            data = data.removeprefix(_BOM)
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            data = data.decode("utf-8", "replace").encode("utf-8")
        self.queue.append((n, data, 0, False))
        yield from self._drain()

    def finish(self) -> Iterator[_Raw]:
        while self.pending is not None:
            pending, self.pending = self.pending, None
            yield from self._close(pending, at_eof=True)
            yield from self._drain()
        response, self.http = self.http, None
        if response is not None and not response.used:
            yield from _bare(response)

    def _drain(self) -> Iterator[_Raw]:
        while self.queue:
            yield from self._line(*self.queue.popleft())

    def _line(self, n: int, data: bytes, pos: int, had_record: bool) -> Iterator[_Raw]:
        if self.skip_depth:
            if _starts_anew(data):  # the oversized value was broken after all: this line is not part of it
                self.skip_depth = 0
            else:
                self.skip_depth = max(0, self.skip_depth + bracket_depth(data))
                self.tally.add_unparsed(n, data)
                return
        if self.pending is not None:
            yield from self._continue(n, data)
            return
        if pos == 0:
            handled, out = self._http_line(n, data)
            yield from out
            if handled:
                return
        response = self.http
        if response is not None and response.body and pos == 0:  # the rest of a body that is no JSON
            stripped = data.strip()
            if response.html or (stripped and not _starts_anew(data)):
                self.tally.http_lines += 1
                if not response.add_body(stripped):
                    self.http = None
                    yield from _bare(response)
                return
            self.http = None  # a blank line or a new record ends a plain-text body
            yield from _bare(response)
            response = None
            if not stripped:
                self.tally.blank_lines += 1
                return
        found = False
        for item in self._scan(n, data, pos, response, had_record):
            found = True
            yield item
        if self.pending is not None:  # the line goes on in the next ones
            if response is not None:
                response.used = True
                self.http = None  # the body is this value
            return
        if found or had_record:
            self.tally.record_lines += 1
        elif pos == 0 and not data.strip():
            self.tally.blank_lines += 1
            return
        elif response is not None and pos == 0:  # a body that is no JSON: kept as the response's text
            self.tally.http_lines += 1
            if not response.start_body(data.strip()):
                self.http = None
                yield from _bare(response)
            return
        else:
            self.tally.add_unparsed(n, data)
        if response is not None:  # the first line of the body decides: JSON or not, the response is done
            self.http = None
            if found:
                response.used = True
            else:
                yield from _bare(response)

    # -- raw HTTP responses --

    def _http_line(self, n: int, data: bytes) -> tuple[bool, list[_Raw]]:
        """(the line belonged to a status line or header block, records to emit first)."""
        if data[:5] in (b"HTTP/", b"< HTT") and (m := STATUS_LINE.match(data)):
            out: list[_Raw] = []
            previous, self.http = self.http, None
            if previous is not None and not previous.used:
                out.extend(_bare(previous))
            version, reason = m.group(1).decode(), (m.group(3) or b"").decode("utf-8", "replace").strip()
            self.http = HttpResponse(n, version, int(m.group(2)), reason)
            self.tally.http_lines += 1
            return True, out
        response = self.http
        if response is None:
            return False, []
        if data[:2] == b"* " and not response.body:  # a note of curl -v's between the headers and the body
            self.tally.http_lines += 1
            return True, []
        if not response.in_headers:
            return False, []
        if not data.strip() or (data[:1] == b"<" and not data[1:].strip()):  # curl -v marks lines with "< "
            response.finish_headers()
            self.tally.http_lines += 1
            return True, []
        if m := HEADER_LINE.match(data):
            response.headers.append((m.group(1).decode(), m.group(2).decode("utf-8", "replace")))
            self.tally.http_lines += 1
            return True, []
        response.finish_headers()  # no blank line before the body: it starts here
        return False, []

    # -- values inside one line --

    def _scan(self, n: int, data: bytes, pos: int, response: HttpResponse | None, had_record: bool) -> Iterator[_Raw]:
        http = response.info if response is not None else None
        view = memoryview(data)
        failures = 0
        had = had_record
        while failures <= MAX_FAILED_CANDIDATES:
            m = _CANDIDATE.search(data, pos)
            if m is None:
                return
            start = m.start()
            if data[start] == 0x5B and not ARRAY_OPEN.match(data, start):
                pos = start + 1  # `[api]`, `[ERROR]`: a log tag, not an array (no decode, no failure)
                continue
            prefix = b"" if had else data[max(0, start - MAX_PREFIX) : start]
            kind, value, offset = try_decode(view[start:])
            if kind == "ok":
                yield from _flatten(n, n, value, http, prefix)
                return
            if kind == "trailing" and offset:
                kind, value, _ = try_decode(view[start : start + offset])
                pos = start + offset  # (a failure below starts over after `start`)
                if kind == "ok" and start and type(value) is list and dict not in map(type, value):
                    continue  # `md-gw[2231]: …`: a process id in the text, no response
                if kind == "ok":
                    after = b"" if had or _CANDIDATE.search(data, pos) else data[pos:].strip()
                    yield from _flatten(n, n, value, http, prefix, _words(prefix, after) if after else b"")
                    had = True
                    continue
            elif kind == "truncated" and data is not _OVERLONG:
                pending = Pending(n, data, start, had, response)
                if pending.depth <= MAX_NESTING:  # deeper is never parsed: it only counts as a failure
                    self.pending = pending
                    return
            # a client's print of what it got or sent: a Python dict, or a JavaScript (or Rust Debug)
            # literal; the words around it on the line travel with it, as with JSON text after a value
            literal = python_dict(view[start:]) if data[start + 1 : start + 2] == b"'" else None
            if literal is None and JS_OPEN.match(data, start):  # Node's console.log, util.inspect
                if 0 < bracket_depth(data[start:]) <= MAX_NESTING:  # (deeper is never parsed)
                    self.pending = Pending(n, data, start, had, response, js=True)
                    return
                literal = js_object(view[start:])
            if literal is not None:
                yield from _flatten(n, n, literal, http, prefix, _literal_words(data, prefix))
                return
            failures += 1
            pos = start + 1

    # -- values over several lines --

    def _continue(self, n: int, data: bytes) -> Iterator[_Raw]:
        pending = self.pending
        if pending is None:  # pragma: no cover - only called with a pending value
            return
        if pending.js and (_starts_anew(data) or len(pending.lines) >= MAX_JS_LINES):
            self.pending = None  # a JavaScript literal that never closed: its lines are read again
            self.queue.appendleft((n, data, 0, False))
            yield from self._close(pending, at_eof=True)
            return
        part = data.rstrip(b"\r\n")
        pending.parts.append(part)
        pending.lines.append(n)
        pending.size += len(part) + 1
        pending.depth += bracket_depth(part)
        if pending.depth > MAX_NESTING:
            self.pending = None
            self._drop(pending)
            return
        if pending.size > MAX_PENDING_BYTES or len(pending.lines) > MAX_PENDING_LINES:
            # too big to keep: dropped, and the rest of it skipped (its inner lines are no records)
            self.pending = None
            self.skip_depth = max(pending.depth, 0)
            self._drop(pending)
            return
        if pending.depth > 0 and _CHECK_EVERY_LINE_BELOW < pending.size < pending.checked * 2:
            return  # large documents are validated each time they double (linear in total)
        self.pending = None
        yield from self._close(pending, at_eof=False)

    def _close(self, pending: Pending, at_eof: bool) -> Iterator[_Raw]:
        """Try the pending value: complete, still open (kept), or broken (its lines are read again)."""
        buf = pending.buffer()
        pending.checked = len(buf)
        kind, value, offset = try_decode(buf)
        if kind == "truncated" and not at_eof:
            self.pending = pending
            return
        if kind != "ok" and (pending.js or JS_OPEN.match(buf)):
            pending.js = True
            if pending.depth > 0 and not at_eof:
                self.pending = pending  # a JavaScript literal, still open
                return
            if (literal := js_object(buf) or python_dict(buf)) is not None:  # or pprint's dict over lines
                yield from _flatten(pending.start, pending.lines[-1], literal, pending.http, pending.prefix())
                self.tally.record_lines += len(pending.lines)
                return
        if kind == "ok":
            yield from _flatten(pending.start, pending.lines[-1], value, pending.http, pending.prefix())
            self.tally.record_lines += len(pending.lines)
            return
        if kind == "trailing" and offset:
            kind, value, _ = try_decode(memoryview(buf)[:offset])
            if kind == "ok":
                index, inner = pending.locate(offset)
                yield from _flatten(pending.start, pending.lines[index], value, pending.http, pending.prefix())
                self.tally.record_lines += index  # the lines before the one where the value ends
                if index == 0:
                    end_part, end_pos = pending.first_line_data, pending.first_pos + inner
                else:
                    end_part, end_pos = pending.parts[index], inner
                self.queue.extendleft(
                    reversed(
                        [
                            (pending.lines[index], end_part, end_pos, True),
                            *(
                                (pending.lines[i], pending.parts[i], 0, False)
                                for i in range(index + 1, len(pending.parts))
                            ),
                        ]
                    )
                )
                return
        # broken: read the first line again after the `{` that failed, and the others from scratch
        self.queue.extendleft(
            reversed(
                [
                    (pending.start, pending.first_line_data, pending.first_pos + 1, pending.had_record),
                    *zip(pending.lines[1:], pending.parts[1:], repeat(0), repeat(False)),
                ]
            )
        )
        if pending.response is not None:  # it was the body of a raw HTTP response: it still is
            pending.response.used = False
            self.http = pending.response

    def _drop(self, pending: Pending) -> None:
        """An oversized value: its lines are unparsed (the first keeps any record it gave before)."""
        for i, line in enumerate(pending.lines):
            if i == 0 and pending.had_record:
                self.tally.record_lines += 1
            else:
                self.tally.add_unparsed(line, pending.first_line_data if i == 0 else pending.parts[i])


def _starts_anew(data: bytes) -> bool:
    """A line that cannot be the inside of a document: a status line, or one complete JSON object."""
    if data[:5] == b"HTTP/":
        return STATUS_LINE.match(data) is not None
    if data[:1] != b"{":
        return False
    kind, value, _ = try_decode(data)
    return kind == "ok" and isinstance(value, dict)


def _bare(response: HttpResponse) -> Iterator[_Raw]:
    """An HTTP response whose body held no JSON: the status line is the record (1xx are interim, skipped)."""
    if response.status >= 200:
        info = response.finish_headers()
        if response.body:
            info = dataclasses.replace(info, body=response.body_text(), html=response.html)
        yield response.line, response.line, None, info, b"", b""


def iter_records(source: Source, tally: LineTally | None = None) -> Iterator[Record]:
    """Every JSON object in ``source`` with its line numbers; ``tally`` (if given) counts every line."""
    return iter(RecordReader(source, tally))
