"""Explain error responses: find every JSON value in a stream, every error in it, and what it means.

Two layers, both return data and never print:

* the reader (:func:`iter_records`) turns any stream of lines into JSON records with
  their source line numbers: JSON Lines, one pretty document, concatenated values,
  arrays of results, log lines with JSON after a prefix, ``curl -i`` output (status
  line and headers are kept with the body's records), a BOM, CRLF. It reads line by
  line in constant memory and never raises on what it reads;
* the explainer (:func:`explain_stream`, :func:`explain_text`, :func:`summarize`)
  finds the errors in each record (the catalogs' own envelopes first, then the usual
  field names), picks the catalog and entry with a confidence and a one-line reason,
  and adds the response's details and the advised action.

Everything that depends on the catalogs is computed once per run (:class:`Explainer`);
per record the work is a few dict look-ups, and message matching is cached.
"""

from __future__ import annotations

import gc
import io
import re
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from functools import partial
from itertools import repeat
from typing import IO, Any, Literal

import msgspec

from errcli.catalog import CatalogSet
from errcli.lookup import fold_symbol
from errcli.model import Catalog, Code, Entry, Envelope, Text
from errcli.serialize import entry_dict

# --- limits: what keeps memory constant and every input finite --------------------------

MAX_LINE_BYTES = 1 << 20  # a longer line is not parsed (counted as unparsed)
MAX_PENDING_BYTES = 1 << 20  # a multi-line document larger than this is dropped
MAX_PENDING_LINES = 100_000
MAX_NESTING = 256  # deeper JSON is dropped instead of risking recursion limits
MAX_FAILED_CANDIDATES = 32  # `{`/`[` that fail to parse before the rest of a line is given up
MAX_STORED_UNPARSED = 1000  # unparsed line numbers kept (the count stays exact)
MAX_WALK_NODES = 2000  # nodes visited per record when looking for nested errors
MAX_WALK_DEPTH = 8
MAX_EMBEDDED_JSON = 64 * 1024  # JSON carried as a string value (``"body": "{...}"``)
_CHECK_EVERY_LINE_BELOW = 64 * 1024  # pending documents this small are validated on every line
_CACHE_LIMIT = 20_000
_MEMO_LIMIT = 16_384  # lines of at most MEMO_MAX_LINE bytes: at most 16 MB

Source = IO[bytes] | IO[str] | Iterable[bytes] | Iterable[str]

# --- the reader ----------------------------------------------------------------------------


@dataclass(frozen=True)
class HttpInfo:
    """The status line and the headers that matter, from a raw HTTP response (``curl -i``)."""

    line: int
    version: str
    status: int
    reason: str
    retry_after: int | None = None  # seconds, from Retry-After (delta or HTTP-date)
    headers: tuple[tuple[str, str], ...] = ()  # Retry-After, Content-Type, Date, rate-limit headers


_Raw = tuple[int, int, Any, HttpInfo | None]  # (line, end_line, value, http): the reader's fast form
MEMO_MAX_LINE = 1024  # --summary remembers lines up to this long (bounded memory)


@dataclass(frozen=True)
class Record:
    """One JSON object found in the input (``value`` is None for an HTTP response without a JSON body)."""

    line: int
    end_line: int
    value: Any
    http: HttpInfo | None = None


@dataclass
class LineTally:
    """What became of every input line: each one is counted exactly once."""

    lines: int = 0
    record_lines: int = 0  # lines that were (part of) a JSON record
    blank_lines: int = 0
    http_lines: int = 0  # status lines and headers of raw HTTP responses
    unparsed_count: int = 0
    unparsed_lines: list[int] = field(default_factory=list)  # the first MAX_STORED_UNPARSED of them

    def add_unparsed(self, line: int) -> None:
        self.unparsed_count += 1
        if len(self.unparsed_lines) < MAX_STORED_UNPARSED:
            self.unparsed_lines.append(line)


_decode = msgspec.json.Decoder().decode
_CANDIDATE = re.compile(rb"[{\[]")
_TRAILING = re.compile(r"trailing characters \(byte (\d+)\)")
_AT_BYTE = re.compile(r"\(byte (\d+)\)")
_JSON_STRING = re.compile(rb'"(?:[^"\\\n]|\\.)*"?')
_STATUS_LINE = re.compile(rb"^(?:< )?(HTTP/(?:1\.[01]|2(?:\.0)?|3))[ \t]+([1-5]\d\d)(?:[ \t]+([^\r\n]*))?[ \t]*\r?\n?$")
_HEADER_LINE = re.compile(rb"^(?:< )?([A-Za-z0-9!#$%&'*+.^_`|~-]+)[ \t]*:[ \t]*([^\r\n]*?)[ \t]*\r?\n?$")
_KEPT_HEADERS = frozenset(
    {"retry-after", "content-type", "date", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"}
)
_BOM = b"\xef\xbb\xbf"
_OVERLONG = b"\x00"  # stands in for a line over MAX_LINE_BYTES: it is unparsed like any binary noise


def _parse_error(exc: Exception) -> tuple[str, int | None]:
    """Classify a msgspec failure: ``truncated``, ``trailing`` (value ends at byte N) or ``malformed``."""
    text = str(exc)
    if isinstance(exc, msgspec.DecodeError):
        if text.startswith("Input data was truncated"):
            return "truncated", None
        if m := _TRAILING.search(text):
            return "trailing", int(m.group(1)) - 1
        if m := _AT_BYTE.search(text):
            return "malformed", int(m.group(1))
    return "malformed", None


def _try_decode(buf: bytes | memoryview) -> tuple[str, Any, int | None]:
    """Decode without ever raising: (``ok``, value, None) or (kind, None, offset)."""
    try:
        return "ok", _decode(buf), None
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError, UnicodeDecodeError, ValueError) as exc:
        kind, offset = _parse_error(exc)
        return kind, None, offset
    except Exception:  # noqa: BLE001 - the reader must survive any input, whatever the decoder raises
        return "malformed", None, None


def _depth(data: bytes) -> int:
    """Open minus closed brackets outside JSON strings (an estimate: it only decides when to try a decode)."""
    bare = _JSON_STRING.sub(b"", data)
    return bare.count(b"{") + bare.count(b"[") - bare.count(b"}") - bare.count(b"]")


def _parse_retry_after(value: str, date: str | None) -> int | None:
    value = value.strip()
    if value.isdigit():
        return int(value) if len(value) <= 9 else None
    try:
        when = parsedate_to_datetime(value)
        now = parsedate_to_datetime(date) if date else None
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None or now is None:
        return None
    try:
        return max(0, int((when - now).total_seconds()))
    except (TypeError, OverflowError):
        return None


class _HttpResponse:
    """A raw HTTP response while its headers and the start of its body are read."""

    def __init__(self, line: int, version: str, status: int, reason: str) -> None:
        self.line = line
        self.version = version
        self.status = status
        self.reason = reason
        self.headers: list[tuple[str, str]] = []
        self.in_headers = True
        self.info: HttpInfo | None = None
        self.used = False  # a record of the body carries it

    def finish_headers(self) -> HttpInfo:
        if self.info is None:
            found = {k.lower(): v for k, v in self.headers}
            retry = found.get("retry-after")
            self.info = HttpInfo(
                line=self.line,
                version=self.version,
                status=self.status,
                reason=self.reason,
                retry_after=_parse_retry_after(retry, found.get("date")) if retry is not None else None,
                headers=tuple((k, v) for k, v in self.headers if k.lower() in _KEPT_HEADERS),
            )
            self.in_headers = False
        return self.info


class _Pending:
    """A JSON value that began on ``start`` and is still open at the end of the last line read."""

    def __init__(
        self, start: int, first: bytes, first_pos: int, had_record: bool, response: _HttpResponse | None
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
        self.depth = _depth(self.parts[0])
        self.checked = 0

    def buffer(self) -> bytes:
        return b"\n".join(self.parts)

    def locate(self, offset: int) -> tuple[int, int]:
        """(index into ``parts``, offset inside that part) of a byte offset in ``buffer()``."""
        pos = 0
        for i, part in enumerate(self.parts):
            end = pos + len(part)
            if offset <= end:  # the joining newline belongs to the line before it
                return i, offset - pos
            pos = end + 1
        return len(self.parts) - 1, len(self.parts[-1])


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
        for line, end, value, http in self.raw():
            yield Record(line, end, value, http)

    def raw(self) -> Iterator[_Raw]:
        """The same records as plain tuples (line, end_line, value, http): the fast path."""
        tally = self.tally
        state = _ScanState(tally)
        decode = _decode
        lines, drain = _line_source(self.source)
        n = 0
        fast = False  # nothing pending: a line starting with `{` may be one whole record
        fast_records = 0  # lines counted here, added to the tally in bulk
        try:
            for line in lines:
                n += 1
                if len(line) > MAX_LINE_BYTES:
                    if drain is not None and not line.endswith(b"\n" if isinstance(line, bytes) else "\n"):
                        drain()
                    line = _OVERLONG  # noqa: PLW2901 - replaced on purpose: too long to parse
                if fast and line[:1] == b"{":
                    try:
                        value = decode(line)
                    except Exception:  # noqa: BLE001, S110 - anything odd takes the careful path below
                        pass
                    else:
                        fast_records += 1
                        if type(value) is dict:
                            yield n, n, value, None
                        else:
                            yield from _flatten(n, n, value, None)
                        continue
                tally.lines = n
                yield from state.feed(n, line)
                fast = state.idle
            tally.lines = n
            yield from state.finish()
        finally:
            tally.lines = n
            tally.record_lines += fast_records


def _line_source(source: Source) -> tuple[Iterable[bytes], Callable[[], None] | None]:
    readline = getattr(source, "readline", None)
    if readline is None:
        return source, None  # type: ignore[return-value]  # str lines are handled by the careful path
    reader: Callable[[int], bytes] = readline

    def drain() -> None:  # skip the rest of an overlong physical line
        while chunk := reader(MAX_LINE_BYTES):
            if chunk.endswith(b"\n" if isinstance(chunk, bytes) else "\n"):
                return

    return iter(partial(reader, MAX_LINE_BYTES + 1), b"" if _is_binary(source) else ""), drain


def _is_binary(source: object) -> bool:
    mode = getattr(source, "mode", None)
    if isinstance(mode, str):
        return "b" in mode
    from io import TextIOBase

    return not isinstance(source, TextIOBase)


def _flatten(line: int, end: int, value: Any, http: HttpInfo | None) -> Iterator[_Raw]:
    """A top-level array of results gives one record per object in it."""
    if isinstance(value, list):
        objects = [v for v in value if isinstance(v, dict)]
        if objects:
            for obj in objects:
                yield line, end, obj, http
            return
    yield line, end, value, http


class _ScanState:
    """The careful path: prefixes, several values per line, multi-line values, HTTP responses."""

    def __init__(self, tally: LineTally) -> None:
        self.tally = tally
        self.pending: _Pending | None = None
        self.skip_depth = 0  # > 0 while the rest of an oversized document is skipped
        self.http: _HttpResponse | None = None
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
                self.skip_depth = max(0, self.skip_depth + _depth(data))
                self.tally.add_unparsed(n)
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
        else:
            self.tally.add_unparsed(n)
        if response is not None:  # the first line of the body decides: JSON or not, the response is done
            self.http = None
            if found:
                response.used = True
            else:
                yield from _bare(response)

    # -- raw HTTP responses --

    def _http_line(self, n: int, data: bytes) -> tuple[bool, list[_Raw]]:
        """(the line belonged to a status line or header block, records to emit first)."""
        if data[:5] in (b"HTTP/", b"< HTT") and (m := _STATUS_LINE.match(data)):
            out: list[_Raw] = []
            previous, self.http = self.http, None
            if previous is not None and not previous.used:
                out.extend(_bare(previous))
            version, reason = m.group(1).decode(), (m.group(3) or b"").decode("utf-8", "replace").strip()
            self.http = _HttpResponse(n, version, int(m.group(2)), reason)
            self.tally.http_lines += 1
            return True, out
        response = self.http
        if response is None or not response.in_headers:
            return False, []
        if not data.strip() or (data[:2] == b"< " and not data[2:].strip()):  # curl -v marks lines with "< "
            response.finish_headers()
            self.tally.http_lines += 1
            return True, []
        if m := _HEADER_LINE.match(data):
            response.headers.append((m.group(1).decode(), m.group(2).decode("utf-8", "replace")))
            self.tally.http_lines += 1
            return True, []
        response.finish_headers()  # no blank line before the body: it starts here
        return False, []

    # -- values inside one line --

    def _scan(self, n: int, data: bytes, pos: int, response: _HttpResponse | None, had_record: bool) -> Iterator[_Raw]:
        http = response.info if response is not None else None
        view = memoryview(data)
        failures = 0
        had = had_record
        while failures <= MAX_FAILED_CANDIDATES:
            m = _CANDIDATE.search(data, pos)
            if m is None:
                return
            start = m.start()
            kind, value, offset = _try_decode(view[start:])
            if kind == "ok":
                yield from _flatten(n, n, value, http)
                return
            if kind == "trailing" and offset:
                kind, value, _ = _try_decode(view[start : start + offset])
                if kind == "ok":
                    yield from _flatten(n, n, value, http)
                    had = True
                    pos = start + offset
                    continue
            elif kind == "truncated" and data is not _OVERLONG:
                pending = _Pending(n, data, start, had, response)
                if pending.depth <= MAX_NESTING:  # deeper is never parsed: it only counts as a failure
                    self.pending = pending
                    return
            failures += 1
            pos = start + 1

    # -- values over several lines --

    def _continue(self, n: int, data: bytes) -> Iterator[_Raw]:
        pending = self.pending
        if pending is None:  # pragma: no cover - only called with a pending value
            return
        part = data.rstrip(b"\r\n")
        pending.parts.append(part)
        pending.lines.append(n)
        pending.size += len(part) + 1
        pending.depth += _depth(part)
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

    def _close(self, pending: _Pending, at_eof: bool) -> Iterator[_Raw]:
        """Try the pending value: complete, still open (kept), or broken (its lines are read again)."""
        buf = pending.buffer()
        pending.checked = len(buf)
        kind, value, offset = _try_decode(buf)
        if kind == "truncated" and not at_eof:
            self.pending = pending
            return
        if kind == "ok":
            yield from _flatten(pending.start, pending.lines[-1], value, pending.http)
            self.tally.record_lines += len(pending.lines)
            return
        if kind == "trailing" and offset:
            kind, value, _ = _try_decode(memoryview(buf)[:offset])
            if kind == "ok":
                index, inner = pending.locate(offset)
                yield from _flatten(pending.start, pending.lines[index], value, pending.http)
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

    def _drop(self, pending: _Pending) -> None:
        """An oversized value: its lines are unparsed (the first keeps any record it gave before)."""
        for i, line in enumerate(pending.lines):
            if i == 0 and pending.had_record:
                self.tally.record_lines += 1
            else:
                self.tally.add_unparsed(line)


def _starts_anew(data: bytes) -> bool:
    """A line that cannot be the inside of a document: a status line, or one complete JSON object."""
    if data[:5] == b"HTTP/":
        return _STATUS_LINE.match(data) is not None
    if data[:1] != b"{":
        return False
    kind, value, _ = _try_decode(data)
    return kind == "ok" and isinstance(value, dict)


def _bare(response: _HttpResponse) -> Iterator[_Raw]:
    """An HTTP response whose body held no JSON: the status line is the record (1xx are interim, skipped)."""
    if response.status >= 200:
        yield response.line, response.line, None, response.finish_headers()


def iter_records(source: Source, tally: LineTally | None = None) -> Iterator[Record]:
    """Every JSON object in ``source`` with its line numbers; ``tally`` (if given) counts every line."""
    return iter(RecordReader(source, tally))


# --- results -----------------------------------------------------------------------------------

ActionKind = Literal["wait", "backoff", "do_not_retry", "unknown"]
Basis = Literal["code", "http_status", "message", "unknown"]


@dataclass(frozen=True)
class Action:
    """What to do: wait N seconds and retry, retry with backoff, do not retry, or unknown."""

    kind: ActionKind
    seconds: int | None = None
    source: str = ""  # "Retry-After header", "documented" or "derived"
    advice: Text | None = None  # the document's own words about retrying


@dataclass(frozen=True)
class ExplainedError:
    """One error found in the input, and what it means.

    ``code`` is the identified code (the entry's, e.g. ``INSUFFICIENT_BALANCE`` for a
    response that sent ``insufficient_balance``), or the code as sent when no entry
    matched; ``raw_code`` is always what the response sent.
    """

    line: int
    catalog: str | None
    code: Code | None
    http_status: int | None
    message: str | None
    confidence: float
    reason: str
    entry: Entry | None
    alternatives: tuple[Entry, ...]
    details: dict[str, Any] = field(hash=False)  # e.g. {"details.required": "653.25", "data.channel": "depth"}
    action: Action = Action("unknown")
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


class Summary:
    """Counts per (catalog, code) with the first and last line: the ``--summary`` table."""

    def __init__(self) -> None:
        self._rows: dict[tuple[str | None, Code | None], list[Any]] = {}
        self.total = 0

    def add(self, error: ExplainedError) -> None:
        self._add(error.catalog, error.code, error.entry, error.line)

    def _add(self, catalog: str | None, code: Code | None, entry: Entry | None, line: int) -> None:
        self.total += 1
        key = (catalog, code)
        row = self._rows.get(key)
        if row is None:
            self._rows[key] = [entry, 1, line, line]
        else:
            row[1] += 1
            row[3] = line

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


# --- what the catalogs tell us, computed once per run --------------------------------------------

_CJK = re.compile(r"[\u3000-\u9fff\uf900-\ufaff]")
# Numbers and ids differ in every message ("需要 10000.00", "O12345"): digits are dropped before
# comparing. Deleting them from the UTF-8 bytes is ~5x cheaper than str.translate or a regex.
_DIGITS = b"0123456789"
_HEAD_SPLIT = re.compile(r"\s*(?:[:：,，;；]|\s-\s)")
_EXAMPLE_MESSAGE = re.compile(r'"(?:message|msg|error|error_message|errorMessage|detail)"\s*:\s*"((?:[^"\\]|\\.)*)"')
_SYMBOL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:[_.\-][A-Za-z0-9]+)+$|^[A-Z][A-Z0-9]{2,}$")


def _strip_digits(text: str) -> str:
    return text[:500].encode("utf-8", "surrogatepass").translate(None, _DIGITS).decode("utf-8", "surrogatepass")


_CJK_RUN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(f"[{_CJK_RUN}]+|[^\\W_{_CJK_RUN}]+")
_CAMEL_CASE = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


_HAS_CJK = re.compile(f"[{_CJK_RUN}]")
ToSimplified = Callable[[str], str]


def normalize(text: str, to_simplified: ToSimplified | None = None) -> str:
    """Text as it is compared: NFKC, Traditional → Simplified, camelCase split, case folded, words
    and CJK runs single-spaced: ``資金不足: Insufficient_Balance`` → ``资金不足 insufficient balance``."""
    text = unicodedata.normalize("NFKC", text)
    if to_simplified is not None and _HAS_CJK.search(text):
        text = to_simplified(text)
    return " ".join(_WORD.findall(_CAMEL_CASE.sub(" ", text).casefold()))


def _simplifier() -> ToSimplified | None:
    """OpenCC's Traditional → Simplified converter when OpenCC is installed, else None (matching
    then relies on the catalogs' keywords, which list both scripts). Loaded once per run (~20 ms),
    and only when some message has to be compared."""
    try:
        import opencc  # type: ignore[import-not-found,unused-ignore]

        convert: ToSimplified = opencc.OpenCC("t2s").convert
        convert("資")
    except Exception:  # noqa: BLE001 - optional: any failure only means no conversion
        return None
    return convert


def _norm_message(text: str, to_simplified: ToSimplified | None = None) -> str:
    """Digits out, then :func:`normalize`: ``资金不足: 需要 10000.00`` → ``资金不足 需要``."""
    return normalize(_strip_digits(text), to_simplified)


def _head(text: str) -> str:
    return _HEAD_SPLIT.split(text[:500], maxsplit=1)[0]


def _min_len(text: str) -> int:
    return 2 if _CJK.search(text) else 4


def _meaningful(norm: str) -> bool:
    """Long enough to compare: two CJK characters or three letters (``x`` left of ``100x`` is not)."""
    return len(norm) >= (2 if _CJK.search(norm) else 3)


def _similarity(message: str, head: str, texts: Sequence[tuple[str, float]]) -> float:
    """0-100: how well a normalised message matches the best of ``texts`` (text, weight).

    The whole message counts more than its head (the part before ``:``), and the document's
    own words (titles, example messages) more than errcode's keywords.
    """
    from rapidfuzz import fuzz

    if not message:
        return 0.0
    best = 0.0
    candidates = ((message, 1.0), (head, 0.97)) if head and head != message else ((message, 1.0),)
    for candidate, part_weight in candidates:
        for text, weight in texts:
            if text == candidate:
                score = 100.0
            elif len(text) >= _min_len(text) and text in candidate:
                score = 86.0 + 14.0 * len(text) / len(candidate)
            elif len(candidate) >= _min_len(candidate) and candidate in text:
                score = 80.0 + 15.0 * len(candidate) / len(text)
            else:
                score = 0.95 * max(fuzz.ratio(candidate, text), fuzz.token_sort_ratio(candidate, text))
            best = max(best, score * weight * part_weight)
    return best


SIMILARITY_FLOOR = 45.0  # below this, two texts have nothing in common but their alphabet
KEYWORD_WEIGHT = 0.93  # errcode's own synonyms, often shared by several entries


def _entry_texts(entry: Entry, to_simplified: ToSimplified | None = None) -> tuple[tuple[str, float], ...]:
    """The short texts a server's message is compared with: titles, example messages, symbol, keywords."""
    raw: list[tuple[str, float]] = [(t, 1.0) for t in (entry.title.zh, entry.title.en) if t]
    raw.extend((_unescape(found), 1.0) for example in entry.examples for found in _EXAMPLE_MESSAGE.findall(example))
    for context in entry.contexts:
        if context.title is not None:
            raw.extend((t, 1.0) for t in (context.title.zh, context.title.en) if t)
    raw.extend((name.replace("_", " "), 1.0) for name in (entry.symbol, entry.code) if isinstance(name, str))
    raw.extend((k, KEYWORD_WEIGHT) for k in entry.keywords)
    texts: dict[str, float] = {}
    for text, weight in raw:
        norm = _norm_message(text, to_simplified)
        if _meaningful(norm) and texts.get(norm, 0.0) < weight:
            texts[norm] = weight
    return tuple(texts.items())


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    try:
        value = msgspec.json.decode(('"' + text + '"').encode())
    except msgspec.DecodeError:
        return text
    return value if isinstance(value, str) else text


def _get_path(node: Any, path: tuple[str, ...]) -> Any:
    if len(path) == 1:
        return node.get(path[0], _MISSING) if isinstance(node, dict) else _MISSING
    for key in path:
        if not isinstance(node, dict):
            return _MISSING
        node = node.get(key, _MISSING)
        if node is _MISSING:
            return _MISSING
    return node


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Any = _Missing()


@dataclass(frozen=True)
class _Env:
    index: int
    catalog: str
    envelope: Envelope
    keys: frozenset[str]
    code_path: tuple[str, ...]
    message_path: tuple[str, ...]
    details_path: tuple[str, ...] | None
    error_when: tuple[tuple[tuple[str, ...], Any], ...]


# Generic field names, most specific first.
CODE_KEYS = ("error_code", "errorCode", "err_code", "errCode", "errcode", "errno", "code", "status_code", "statusCode")
STATUS_KEYS = ("status",)
MESSAGE_KEYS = ("message", "msg", "error_message", "errorMessage", "err_msg", "errmsg", "detail", "description")
ERROR_ONLY_KEYS = frozenset(
    {
        "error",
        "errors",
        "error_code",
        "errorCode",
        "err_code",
        "errCode",
        "error_message",
        "errorMessage",
        "err_msg",
        "detail",  # FastAPI / DRF send {"detail": "..."} only for errors
    }
)
_ERROR_CODE_KEYS = ("error_code", "errorCode", "err_code", "errCode")
_MESSAGE_LIKE = frozenset({*MESSAGE_KEYS, "error", "error_message", "errorMessage", "err_msg"})
_INNER_STRIP = _MESSAGE_LIKE - {*CODE_KEYS, "type"}  # message keys inside an ``error`` object
_SUCCESS_WORDS = frozenset({"ok", "success", "succeeded", "successful", "done", "成功"})
_ERROR_WORDS = frozenset({"error", "fail", "failed", "failure", "err", "ko", "失败", "错误"})
_SUCCESS_CODES = frozenset({"OK", "SUCCESS", "0", "200"})
_NESTED_HINTS = ("data", "result", "results", "response", "body", "payload", "items", "errors", "detail", "details")


@dataclass(frozen=True)
class _Verdict:
    """The shared part of an explanation: the same for every record with the same code, message and shape."""

    catalog: str | None
    code: Code | None
    entry: Entry | None
    confidence: float
    reason: str
    alternatives: tuple[Entry, ...]
    basis: Basis
    contradiction: bool
    http_status: int | None


class _Fields:
    """What one object says about itself, gathered key by key."""

    __slots__ = ("code", "envs", "marker", "message")

    def __init__(self) -> None:
        self.code: Any = None
        self.message: str | None = None
        self.marker = False  # an explicit "this is an error"
        self.envs: list[tuple[_Env, int]] = []

    def set_code(self, value: Any) -> None:
        """The first usable code wins (a bool or an object is no code)."""
        if self.code is None and value is not None and not isinstance(value, (bool, dict, list)):
            self.code = value

    def set_message(self, value: Any) -> None:
        if self.message is None and isinstance(value, str):
            self.message = value

    def env_tuple(self) -> tuple[tuple[_Env, int], ...]:
        return tuple(self.envs)

    def env_key(self) -> tuple[tuple[int, int], ...]:
        return tuple((env.index, strength) for env, strength in self.envs)


def _inner_error(node: dict[str, Any]) -> tuple[Any, str | None]:
    """Code and message inside an ``error`` object or an ``errors`` item."""
    code: Any = None
    for key in (*CODE_KEYS, "type"):
        value = node.get(key)
        if value is not None and not isinstance(value, (dict, list, bool)):
            code = value
            break
    message = next((v for k in (*MESSAGE_KEYS, "error") if isinstance(v := node.get(k), str)), None)
    return code, message


def _error_or_success(node: dict[str, Any], plan: _Plan, fields: _Fields, status_word: str | None) -> bool | None:
    """True/False when the object says it is an error or a success; None when only its code can tell."""
    if plan.has_success:
        flag = node.get("success", node.get("ok"))
        if flag is True and not fields.marker:
            return False
        if flag is False:
            fields.marker = True
    if plan.type_key:
        kind = node.get("type")
        if isinstance(kind, str) and kind.lower() in ("error", "err", "failure"):
            fields.marker = True
    if status_word is not None:
        if status_word in _ERROR_WORDS:
            fields.marker = True
        elif not fields.marker:
            return False
    if fields.code is not None and not fields.marker and _is_success_code(fields.code):
        return False
    return True if fields.marker else None


@dataclass
class _Finding:
    node: dict[str, Any]
    code: Any
    message: str | None
    envs: tuple[tuple[_Env, int], ...]  # envelopes this node has the shape of, with their strength
    status: int | None  # HTTP status from the status line
    env_key: tuple[tuple[int, int], ...] = ()  # (envelope index, strength): part of the verdict cache key


class _Plan:
    """What the keys of one record shape mean: computed once per distinct key tuple."""

    __slots__ = (
        "code_keys",
        "envs",
        "error_keys",
        "has_success",
        "inert",
        "message_keys",
        "other_keys",
        "read_keys",
        "read_spec",
        "status_keys",
        "type_key",
    )

    def __init__(self, keys: tuple[str, ...], envs: Sequence[_Env]) -> None:
        present = set(keys)
        self.envs = tuple((e, strength) for e in envs if (strength := _env_strength(e, present)) > 0)
        self.code_keys = tuple(k for k in CODE_KEYS if k in present)
        self.status_keys = tuple(k for k in STATUS_KEYS if k in present)
        self.message_keys = tuple(k for k in MESSAGE_KEYS if k in present)
        self.error_keys = tuple(k for k in keys if k in ERROR_ONLY_KEYS)
        self.has_success = "success" in present or "ok" in present
        self.type_key = "type" in present
        # every key the classification of this shape reads; the others only matter for nested errors
        read = {*self.code_keys, *self.status_keys, *self.message_keys, *self.error_keys}
        read.update(k for k in ("success", "ok", "type") if k in present)
        for env, _ in self.envs:
            read.add(env.code_path[0])
            read.add(env.message_path[0])
            read.update(path[0] for path, _ in env.error_when)
        self.read_keys = tuple(k for k in keys if k in read)
        self.other_keys = tuple(k for k in keys if k not in read)
        self.inert = not self.read_keys
        # message keys, whose text is compared with numbers and ids stripped (never a code key)
        code_heads = {*CODE_KEYS, *STATUS_KEYS, *_ERROR_CODE_KEYS, "type", *(e.code_path[0] for e, _ in self.envs)}
        self.read_spec = tuple((k, k in _MESSAGE_LIKE and k not in code_heads) for k in self.read_keys)

    def signature(self, node: dict[str, Any]) -> tuple[Any, ...] | None:
        """The values this shape's classification depends on, messages stripped as verdicts see them;
        None when one of them is not a plain value (then the record takes the full path)."""
        out: list[Any] = []
        append = out.append
        for key, strip in self.read_spec:
            value = node[key]
            kind = type(value)
            if kind is str:
                append(_strip_digits(value) if strip else value)
            elif kind is dict:
                items: list[Any] = [_DICT]
                for k, v in value.items():
                    vk = type(v)
                    if vk is str:
                        items.append((k, _strip_digits(v) if k in _INNER_STRIP else v))
                    elif vk is dict or vk is list:
                        return None
                    else:
                        items.append((k, vk, v))
                append(tuple(items))
            elif kind is list:
                return None
            elif kind is bool:
                append((bool, value))  # True == 1, but a true flag is no code 1
            else:
                append(value)  # 1 and 1.0 may share an entry: both are code 1
        return tuple(out)

    def plain_rest(self, node: dict[str, Any], plans: dict[tuple[str, ...], _Plan]) -> bool:
        """True when no other key can hold a nested error: no lists, no embedded JSON, and objects
        only of plain values whose keys mean nothing to the classification."""
        for key in self.other_keys:
            value = node[key]
            kind = type(value)
            if kind is dict:
                if value:
                    plan = plans.get(tuple(value))
                    if plan is None or not plan.inert:
                        return False
                    for item in value.values():
                        if type(item) in _CONTAINERS or (type(item) is str and item[:1] == "{"):
                            return False
            elif kind is list:
                if value:
                    return False
            elif kind is str and value[:1] == "{":
                return False
        return True


_DICT = object()  # marks a nested object inside a signature
_CONTAINERS = (dict, list)

STRONG_SHAPE = 40  # an envelope with a matching error condition (`success: false`, `type: "error"`)


def _env_strength(env: _Env, present: set[str]) -> int:
    """How much a key set looks like an envelope: 10 per key present, 40 per ``error_when`` key (its value is
    checked per record), minus 15 per key missing; 0 when it does not look like it at all.

    Real servers omit keys (``data`` when it is null), so most of the keys are enough, as long as
    the ``error_when`` keys are there, and the code unless an ``error_when`` key marks the shape.
    """
    missing = env.keys - present
    if any(path[0] not in present for path, _ in env.error_when):
        return 0
    if len(missing) * 2 > len(env.keys) or (env.code_path[0] in missing and not env.error_when):
        return 0
    return max(1, min(70, 10 * (len(env.keys) - len(missing)) + 40 * len(env.error_when) - 15 * len(missing)))


class Explainer:
    """Indexes built once from the catalogs; explains records.

    ``catalogs`` restricts (and thereby forces) the catalogs considered, like ``--catalog``
    (ids are taken as given: check them first, e.g. with ``lookup.check_catalogs``).
    ``to_simplified`` converts Traditional to Simplified Chinese for message matching; by
    default OpenCC's converter when OpenCC is installed.
    """

    def __init__(self, cs: CatalogSet, catalogs: Sequence[str] = (), to_simplified: ToSimplified | None = None) -> None:
        wanted = set(catalogs)
        self.catalogs: tuple[Catalog, ...] = tuple(c for c in cs.catalogs if not wanted or c.id in wanted)
        self.forced = bool(wanted)
        self.order = {c.id: i for i, c in enumerate(self.catalogs)}
        self.by_int: dict[int, list[Entry]] = {}
        self.by_symbol: dict[str, list[Entry]] = {}
        self.status_catalogs: set[str] = set()
        self.envs: list[_Env] = []
        self.entries: list[Entry] = []
        for cat in self.catalogs:
            if cat.entries and all(_is_status_entry(e) for e in cat.entries) and not cat.envelopes:
                self.status_catalogs.add(cat.id)  # a catalog of HTTP statuses (the bundled `http`)
            for entry in cat.entries:
                self.entries.append(entry)
                if isinstance(entry.code, int):
                    self.by_int.setdefault(entry.code, []).append(entry)
                else:
                    if entry.code.strip().lstrip("-").isdigit() and len(entry.code) < 19:
                        self.by_int.setdefault(int(entry.code), []).append(entry)
                    self.by_symbol.setdefault(fold_symbol(entry.code), []).append(entry)
                if entry.symbol:
                    self.by_symbol.setdefault(fold_symbol(entry.symbol), []).append(entry)
            for env in cat.envelopes:
                self.envs.append(
                    _Env(
                        index=len(self.envs),
                        catalog=cat.id,
                        envelope=env,
                        keys=frozenset(env.keys),
                        code_path=tuple(env.code_path.split(".")),
                        message_path=tuple(env.message_path.split(".")),
                        details_path=tuple(env.details_path.split(".")) if env.details_path else None,
                        error_when=tuple((tuple(k.split(".")), v) for k, v in env.error_when.items()),
                    )
                )
        self.catalog_ids = tuple(c.id for c in self.catalogs)
        self._texts: dict[int, tuple[tuple[str, float], ...]] = {}
        self._to_simplified: ToSimplified | bool | None = to_simplified if to_simplified is not None else False
        self._plans: dict[tuple[str, ...], _Plan] = {}
        self._verdicts: dict[tuple[Any, ...], _Verdict] = {}
        self._signatures: dict[tuple[Any, ...], tuple[tuple[_Verdict, ...], bool]] = {}
        self._symbols: dict[str, str] = {}
        self._matches: dict[str, tuple[tuple[float, Entry], ...]] = {}

    # -- finding errors in a record --

    def findings(self, value: Any, http: HttpInfo | None) -> list[_Finding] | None:
        """The errors in one record, or None when it holds none (a success or anything else)."""
        status = http.status if http is not None else None
        if value is None:  # an HTTP response without a JSON body
            if status is not None and status >= 400:
                return [_Finding({}, None, None, (), status)]
            return None
        if type(value) is not dict:
            if isinstance(value, list):
                found: list[_Finding] = []
                budget = [MAX_WALK_NODES]
                for item in value:
                    if isinstance(item, dict):
                        self._walk(item, status, found, budget, 1, top=True)
                if found:
                    return found
            if status is not None and status >= 400:
                return [_Finding({}, None, None, (), status)]
            return None
        found = []
        verdict = self._node(value, status, top=True, found=found)
        if verdict is not True:
            budget = [MAX_WALK_NODES]
            self._descend(value, found, budget, 1, only_lists=verdict is not None)
        if found:
            return found
        if status is not None and status >= 400 and verdict is None:
            # the body says nothing about an error, but the status line does
            return [_Finding(value, None, _message_of(value), (), status)]
        return None

    def _walk(
        self,
        node: dict[str, Any],
        status: int | None,
        found: list[_Finding],
        budget: list[int],
        depth: int,
        top: bool = False,
    ) -> None:
        budget[0] -= 1
        if budget[0] < 0:
            return
        verdict = self._node(node, status if top else None, top=top, found=found)
        if verdict is not True and depth < MAX_WALK_DEPTH:
            self._descend(node, found, budget, depth + 1, only_lists=verdict is not None)

    def _descend(
        self,
        node: dict[str, Any],
        found: list[_Finding],
        budget: list[int],
        depth: int,
        only_lists: bool,
    ) -> None:
        """Look for errors nested in results lists (and, when the record is no error itself, in sub-objects)."""
        for key, child in node.items():
            if budget[0] < 0:
                return
            if isinstance(child, list):
                for item in child:
                    if isinstance(item, dict):
                        self._walk(item, None, found, budget, depth)
                    elif isinstance(item, list):
                        continue
                    else:
                        break  # a list of scalars
            elif isinstance(child, dict):
                if not only_lists or key in _NESTED_HINTS:
                    self._walk(child, None, found, budget, depth)
            elif isinstance(child, str) and not only_lists and child[:1] == "{" and len(child) <= MAX_EMBEDDED_JSON:
                kind, inner, _ = _try_decode(child.encode("utf-8", "surrogatepass"))
                if kind == "ok" and isinstance(inner, dict):
                    self._walk(inner, None, found, budget, depth)

    def _node(self, node: dict[str, Any], status: int | None, top: bool, found: list[_Finding]) -> bool | None:
        """Classify one object: True = it is an error (added to ``found``; its own fields are not searched
        further), False = a success response, None = neither."""
        keys = tuple(node)
        plan = self._plans.get(keys)
        if plan is None:
            plan = self._plan(keys)
        if plan.inert:
            return None
        fields = _Fields()
        self._from_envelopes(node, plan, fields)
        items = self._from_error_keys(node, plan, fields)
        if items is not None:  # {"errors": [{code, message}, ...]}: each item is an error
            for item in items:
                code, message = _inner_error(item)
                found.append(_Finding(item, code, message, fields.env_tuple(), status, fields.env_key()))
            return True
        status_word = self._from_generic_keys(node, plan, fields)
        if _error_or_success(node, plan, fields, status_word) is False:
            return False
        if fields.marker:
            found.append(_Finding(node, fields.code, fields.message, fields.env_tuple(), status, fields.env_key()))
            return True
        if fields.code is None:
            return None
        # a bare code: an error at the top level when it is a number or a known code,
        # elsewhere only with a message beside it
        if not (fields.message is not None or (top and (_is_number(fields.code) or self._known(fields.code)))):
            return None
        found.append(_Finding(node, fields.code, fields.message, fields.env_tuple(), status, fields.env_key()))
        return True

    def _from_envelopes(self, node: dict[str, Any], plan: _Plan, fields: _Fields) -> None:
        """The catalogs' own shapes first: their code and message paths, their ``error_when``."""
        for env, strength in plan.envs:
            if env.error_when:
                if not all(_equal(_get_path(node, path), expected) for path, expected in env.error_when):
                    continue  # the API's own success shape (``success: true``, ``type: "trade"``)
                fields.marker = True
            code = _get_path(node, env.code_path)
            message = _get_path(node, env.message_path)
            if code is _MISSING and message is _MISSING:
                continue
            fields.envs.append((env, strength))
            if fields.code is None and code is not _MISSING:
                fields.set_code(code)
            if fields.message is None and isinstance(message, str):
                fields.message = message

    def _from_error_keys(self, node: dict[str, Any], plan: _Plan, fields: _Fields) -> list[dict[str, Any]] | None:
        """Keys that only errors have (``error``, ``error_code``, ``detail``...); returns the items of an
        ``errors`` list of objects, which are errors each."""
        for key in plan.error_keys:
            value = node[key]
            if value is None or value is False or (isinstance(value, (str, list, dict)) and not value):
                continue
            if key == "detail" and not isinstance(value, str):
                continue  # FastAPI's error detail is text; an object called "detail" is just data
            fields.marker = True
            if key == "error":
                if isinstance(value, dict):
                    code, message = _inner_error(value)
                    fields.set_code(code)
                    fields.set_message(message)
                elif isinstance(value, str):
                    fields.set_message(value)
            elif key == "errors":
                if isinstance(value, list):
                    items = [v for v in value if isinstance(v, dict)]
                    if items:
                        return items
                    if isinstance(value[0], str):
                        fields.set_message(value[0])
            elif key in _ERROR_CODE_KEYS:
                fields.set_code(value)
            else:  # error_message, errorMessage, err_msg, detail
                fields.set_message(value)
        return None

    def _from_generic_keys(self, node: dict[str, Any], plan: _Plan, fields: _Fields) -> str | None:
        """``code``-like, ``status`` and ``message``-like keys; returns a ``status`` word (ok, error...)."""
        for key in plan.code_keys:
            if fields.code is not None:
                break
            fields.set_code(node[key])
        status_word: str | None = None
        for key in plan.status_keys:
            value = node[key]
            if isinstance(value, str):
                word = value.strip().lower()
                if word in _SUCCESS_WORDS or word in _ERROR_WORDS:
                    status_word = word
                elif fields.code is None and _SYMBOL_LIKE.match(value) and self._fold(value) in self.by_symbol:
                    fields.set_code(value)
            elif fields.code is None and type(value) is int and 100 <= value <= 599:
                fields.set_code(value)
        for key in plan.message_keys:
            if fields.message is not None:
                break
            fields.set_message(node[key])
        return status_word

    def _plan(self, keys: tuple[str, ...]) -> _Plan:
        if len(self._plans) > _CACHE_LIMIT:
            self._plans.clear()
        plan = self._plans[keys] = _Plan(keys, self.envs)
        return plan

    def summary_verdicts(self, value: Any, http: HttpInfo | None) -> tuple[_Verdict, ...]:
        """The verdicts of one record (empty: not an error). Same answers as :meth:`findings` +
        :meth:`verdict`, but records whose relevant values were seen before cost a few look-ups."""
        if http is None and type(value) is dict:
            return self.object_verdicts(value)
        found = self.findings(value, http)
        return () if found is None else tuple(self.verdict(f) for f in found)

    def object_verdicts(self, value: dict[str, Any]) -> tuple[_Verdict, ...]:
        """:meth:`summary_verdicts` for a JSON object without an HTTP status line."""
        key: tuple[Any, ...] | None = None
        plain = False
        keys = tuple(value)
        plan = self._plans.get(keys)
        if plan is None:
            plan = self._plan(keys)
        signature = plan.signature(value)
        if signature is not None:
            key = (keys, signature)
            cached = self._signatures.get(key)
            if cached is not None and (cached[1] or plan.plain_rest(value, self._plans)):
                return cached[0]
            plain = plan.plain_rest(value, self._plans)
        found = self.findings(value, None)
        verdicts = () if found is None else tuple(self.verdict(f) for f in found)
        if key is not None:
            # an error of the record itself does not depend on the other keys; "no error" does
            top_level = found is not None and all(f.node is value for f in found)
            if top_level or plain:
                if len(self._signatures) > _CACHE_LIMIT:
                    self._signatures.clear()
                self._signatures[key] = (verdicts, top_level)
        return verdicts

    def _fold(self, text: str) -> str:
        folded = self._symbols.get(text)
        if folded is None:
            if len(self._symbols) > _CACHE_LIMIT:
                self._symbols.clear()
            folded = self._symbols[text] = fold_symbol(text[:200])
        return folded

    def _known(self, code: Any) -> bool:
        number = _as_int(code)
        if number is not None:
            return number in self.by_int
        return isinstance(code, str) and self._fold(code) in self.by_symbol

    # -- choosing the catalog and entry --

    def verdict(self, finding: _Finding) -> _Verdict:
        """Catalog, entry, confidence and reason for one finding (cached by code, message, shape, status)."""
        code = finding.code
        code_key = (type(code), code) if code is None or type(code) in (int, str, float) else (str, repr(code)[:200])
        stripped = _strip_digits(finding.message) if finding.message else ""
        key = (code_key, stripped, finding.env_key, finding.status)
        verdict = self._verdicts.get(key)
        if verdict is None:
            if len(self._verdicts) > _CACHE_LIMIT:
                self._verdicts.clear()
            verdict = self._verdicts[key] = self._decide(finding, self._norm(stripped))
        return verdict

    @property
    def to_simplified(self) -> ToSimplified | None:
        """Traditional → Simplified, loaded on first need (never when every verdict comes from cache)."""
        if self._to_simplified is False:
            self._to_simplified = _simplifier()
        return self._to_simplified if callable(self._to_simplified) else None

    def _norm(self, stripped: str) -> tuple[str, str]:
        """(whole message, its head before ``:``), normalised for matching; "" when there is no text."""
        if not stripped:
            return ("", "")
        convert = self.to_simplified
        full = normalize(stripped, convert)
        if not _meaningful(full):
            return ("", "")
        head = normalize(_head(stripped), convert)
        return (full, head if head != full and _meaningful(head) else "")

    def texts(self, entry: Entry) -> tuple[tuple[str, float], ...]:
        got = self._texts.get(id(entry))
        if got is None:
            got = self._texts[id(entry)] = _entry_texts(entry, self.to_simplified)
        return got

    def similarity(self, norm: tuple[str, str], entry: Entry) -> float:
        return _similarity(norm[0], norm[1], self.texts(entry)) if norm[0] else 0.0

    def match_message(
        self, norm: tuple[str, str], limit: int = 5, cutoff: float = 70.0
    ) -> tuple[tuple[float, Entry], ...]:
        """Entries whose texts the message matches, best first (cached per normalised message)."""
        if not norm[0]:
            return ()
        key = norm[0] + "\x00" + norm[1]
        got = self._matches.get(key)
        if got is None:
            scored = [
                (self.similarity(norm, e) - (1.0 if _is_status_entry(e) else 0.0), -self.order[e.catalog], e)
                for e in self.entries
            ]
            scored = [s for s in scored if s[0] >= 50.0]
            scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
            got = tuple((round(s, 1), e) for s, _, e in scored[:10])
            if len(self._matches) > _CACHE_LIMIT:
                self._matches.clear()
            self._matches[key] = got
        return tuple(m for m in got if m[0] >= cutoff)[:limit]

    def _candidates(self, code: Any) -> list[Entry]:
        number = _as_int(code)
        if number is not None:
            return list(self.by_int.get(number, ()))
        if isinstance(code, str) and code.strip():
            return list(self.by_symbol.get(self._fold(code), ()))
        return []

    def _decide(self, finding: _Finding, norm: tuple[str, str]) -> _Verdict:
        code = finding.code
        status = finding.status
        env_cats = _env_catalogs(finding.envs)
        shape = _Shapes(finding.envs)
        number = _as_int(code)
        if code is None:
            return self._by_message(norm, status, env_cats, shape)
        candidates = self._candidates(code)
        domain = [e for e in candidates if not _is_status_entry(e)]
        if number is not None and 100 <= number <= 599 and not domain and not self.forced:
            return self._http_code(number, norm, status, candidates)
        if not candidates:
            return self._unknown(code, norm, status, env_cats, shape)
        return self._by_code(code, candidates, norm, status, env_cats, shape)

    def _by_code(
        self,
        code: Any,
        candidates: list[Entry],
        norm: tuple[str, str],
        status: int | None,
        env_cats: dict[str, int],
        shape: _Shapes,
    ) -> _Verdict:
        has_message = bool(norm[0])
        scored: list[tuple[float, float, int, Entry]] = []
        for entry in candidates:
            sim = self.similarity(norm, entry) if has_message else 0.0
            env = env_cats.get(entry.catalog, 0)
            # a specific shape (with an error condition) weighs like a good message match; a generic
            # one such as {code, message} only breaks ties
            score = (sim if sim >= SIMILARITY_FLOOR else 0.0) + (40.0 if env >= STRONG_SHAPE else env / 4.0)
            score += 8.0 if status is not None and entry.http_status == status else 0.0
            scored.append((score, sim, env, entry))
        scored.sort(key=lambda s: (s[0], -self.order[s[3].catalog]), reverse=True)
        best_score, sim, env, entry = scored[0]
        strong_cat = _envelope_guess(env_cats)
        strong_env = env_cats.get(strong_cat, 0) if strong_cat else 0
        # A specific envelope (`success: false`, `type: "error"`) names the API: a code that only
        # another catalog documents is that one's only when the message agrees; else it is unknown.
        if strong_cat is not None and strong_env >= STRONG_SHAPE and env == 0 and sim < 60 and not self.forced:
            return self._unknown(code, norm, status, env_cats, shape, also=tuple(s[3] for s in scored))
        parts: list[str] = []
        if len(scored) == 1:
            confidence = 0.9
            parts.append(f"code {entry.code} is documented in {entry.catalog}")
            if env:
                parts.append(f"the {shape.of(entry.catalog)} shape is {entry.catalog}'s")
                confidence += 0.05
            elif strong_env >= STRONG_SHAPE and strong_cat is not None:
                parts.append(f"though the {shape.of(strong_cat)} shape is {strong_cat}'s")
                confidence -= 0.15
        else:
            margin = best_score - scored[1][0]
            confidence = 0.5 + min(margin, 60.0) / 120.0
            others = " and ".join(s[3].catalog for s in scored[1:])
            why = []
            if sim >= 60:
                why.append(f"the message matches “{_title(entry)}” ({sim:.0f}%)")
            if env:
                why.append(f"the {shape.of(entry.catalog)} shape is {entry.catalog}'s")
            if status is not None and entry.http_status == status:
                why.append(f"the HTTP status {status} is the documented one")
            if not why:
                why.append("nothing tells them apart; it is listed first")
            parts.append(
                f"code {entry.code} is documented in {entry.catalog} and {others}; {entry.catalog} because "
                + " and ".join(why)
            )
        alternatives: tuple[Entry, ...] = ()
        contradiction = False
        if has_message:
            confidence, alternatives = self._message_agrees(entry, sim, norm, confidence, parts)
            contradiction = bool(alternatives)
        if not contradiction and len(scored) > 1 and confidence < 0.75:
            alternatives = tuple(s[3] for s in scored[1:3])
        if status is not None and entry.http_status is not None and status != entry.http_status:
            parts.append(f"the status line says HTTP {status}, the document {entry.http_status}")
        return _Verdict(
            catalog=entry.catalog,
            code=entry.code,
            entry=entry,
            confidence=_clamp(confidence),
            reason="; ".join(parts),
            alternatives=alternatives,
            basis="code",
            contradiction=contradiction,
            http_status=status if status is not None else entry.http_status,
        )

    def _message_agrees(
        self, entry: Entry, sim: float, norm: tuple[str, str], confidence: float, parts: list[str]
    ) -> tuple[float, tuple[Entry, ...]]:
        """Check the message against the code's meaning: (new confidence, the entries it matches instead
        when it contradicts that meaning). A server that reuses 1001 for "Order not found" keeps its
        code's entry, with a lower confidence and the alternatives."""
        if sim >= 80:
            return confidence + 0.05, ()
        matches = [m for m in self.match_message(norm, limit=5, cutoff=75.0) if m[1] is not entry]
        best_other = matches[0][0] if matches else 0.0
        if best_other >= 80 and sim < 55 and best_other - sim >= 30:
            alternatives = tuple(e for _, e in matches[:3])
            listed = ", ".join(f"{e.catalog}:{e.code} “{_title(e)}”" for e in alternatives)
            parts.append(f"but the message contradicts its meaning “{_title(entry)}”: it matches {listed}")
            return min(confidence, 0.5) - 0.1, alternatives
        if sim < 40:
            parts.append(f"the message does not resemble {entry.catalog}:{entry.code}'s (“{_title(entry)}”)")
            return confidence - 0.1, ()
        return confidence, ()

    def _status_entry(self, number: int, candidates: Sequence[Entry] = ()) -> Entry | None:
        """The entry for an HTTP status: the HTTP catalog's first, then a status table inside an API's catalog."""
        entries = [e for e in (candidates or self.by_int.get(number, ())) if _is_status_entry(e)]
        if not entries:
            return None
        entries.sort(key=lambda e: (e.catalog not in self.status_catalogs, self.order[e.catalog]))
        return entries[0]

    def _http_code(self, number: int, norm: tuple[str, str], status: int | None, candidates: list[Entry]) -> _Verdict:
        entry = self._status_entry(number, candidates)
        # what the message matches, entries documented with this very status first; other
        # catalogs' copies of the status itself say nothing new
        matches = [
            (score + (5.0 if e.http_status == number else 0.0), e)
            for score, e in self.match_message(norm, limit=8, cutoff=70.0)
            if not (_is_status_entry(e) and e.code == number)
        ]
        matches.sort(key=lambda m: m[0], reverse=True)
        alternatives = tuple(e for _, e in matches[:3])
        head = f"code {number} is an HTTP status, not an API error code"
        if entry is not None:
            head += f": {entry.catalog}:{entry.code} “{_title(entry)}”"
        parts = [head]
        if alternatives:
            best = alternatives[0]
            parts.append(f"best guess from the message: {best.catalog}:{best.code} “{_title(best)}” (see alternatives)")
        elif norm[0]:
            parts.append("the message matches no catalog entry")
        if status is not None and status != number:
            parts.append(f"the status line says HTTP {status}")
        return _Verdict(
            catalog=entry.catalog if entry is not None else None,
            code=entry.code if entry is not None else number,
            entry=entry,
            confidence=0.6 if entry is not None else 0.0,
            reason="; ".join(parts),
            alternatives=alternatives,
            basis="http_status",
            contradiction=False,
            http_status=status if status is not None else number,
        )

    def _unknown(
        self,
        code: Any,
        norm: tuple[str, str],
        status: int | None,
        env_cats: dict[str, int],
        shape: _Shapes,
        also: tuple[Entry, ...] = (),
    ) -> _Verdict:
        if self.forced and len(self.catalog_ids) == 1:
            catalog: str | None = self.catalog_ids[0]
        else:
            catalog = _envelope_guess(env_cats)
        shown = code if isinstance(code, (int, str)) else repr(code)
        where = catalog or ("the selected catalogs" if self.forced else "any catalog")
        head = f"code {str(shown)[:60]} is not documented in {where}"
        if catalog and env_cats.get(catalog):
            head += f" (the {shape.of(catalog)} shape is {catalog}'s)"
        parts = [head]
        if also:
            parts.append(
                "another catalog documents it: " + ", ".join(f"{e.catalog}:{e.code} “{_title(e)}”" for e in also)
            )
        matches = list(self.match_message(norm, limit=3, cutoff=70.0))
        if matches:
            best = matches[0][1]
            parts.append(
                f"the message resembles {best.catalog}:{best.code} “{_title(best)}” (a guess; see alternatives)"
            )
        if status is not None:
            parts.append(f"HTTP {status} from the status line")
        alternatives = tuple(e for _, e in matches) + tuple(e for e in also if all(e is not m[1] for m in matches))
        number = _as_int(code)
        return _Verdict(
            catalog=catalog,
            code=number if number is not None and not isinstance(code, str) else shown,
            entry=None,
            confidence=0.3 if catalog else 0.0,
            reason="; ".join(parts),
            alternatives=alternatives[:4],
            basis="unknown",
            contradiction=False,
            http_status=status,
        )

    def _by_message(
        self, norm: tuple[str, str], status: int | None, env_cats: dict[str, int], shape: _Shapes
    ) -> _Verdict:
        """No code in the response: match the message text, helped by the status line and the shape."""
        matches = list(self.match_message(norm, limit=6, cutoff=60.0))
        rescored = []
        for score, entry in matches:
            bonus = env_cats.get(entry.catalog, 0) / 10.0
            if status is not None and entry.http_status == status:
                bonus += 5.0
            rescored.append((score + bonus, score, entry))
        rescored.sort(key=lambda s: s[0], reverse=True)
        if rescored and rescored[0][1] >= 70.0:
            total, score, entry = rescored[0]
            margin = total - rescored[1][0] if len(rescored) > 1 else 30.0
            confidence = min(0.75, 0.25 + score / 250.0 + min(margin, 30.0) / 100.0)
            parts = [
                (
                    f"no error code in the response; best guess from the message: {entry.catalog}:{entry.code} "
                    f"“{_title(entry)}” ({score:.0f}% match)"
                )
            ]
            if env_cats.get(entry.catalog):
                parts.append(f"the {shape.of(entry.catalog)} shape is {entry.catalog}'s")
            if status is not None:
                agrees = " (the documented status)" if entry.http_status == status else ""
                parts.append(f"HTTP {status} from the status line{agrees}")
            return _Verdict(
                catalog=entry.catalog,
                code=entry.code,
                entry=entry,
                confidence=_clamp(confidence),
                reason="; ".join(parts),
                alternatives=tuple(e for *_, e in rescored[1:4]),
                basis="message",
                contradiction=False,
                http_status=status if status is not None else entry.http_status,
            )
        alternatives = tuple(e for *_, e in rescored[:3])
        if status is not None:
            found = self._status_entry(status)
            head = f"no error code in the response; HTTP {status} from the status line"
            if found is not None:
                head += f": {found.catalog}:{found.code} “{_title(found)}”"
            parts = [head]
            if norm[0]:
                parts.append("the message matches no catalog entry well")
            return _Verdict(
                catalog=found.catalog if found is not None else None,
                code=found.code if found is not None else status,
                entry=found,
                confidence=0.6 if found is not None else 0.0,
                reason="; ".join(parts),
                alternatives=alternatives,
                basis="http_status",
                contradiction=False,
                http_status=status,
            )
        catalog = _envelope_guess(env_cats)
        reason = "no error code in the response, and the message matches no catalog entry well"
        if not norm[0]:
            reason = "an error without code or message"
        if catalog:
            reason += f" (the {shape.of(catalog)} shape is {catalog}'s)"
        return _Verdict(
            catalog=catalog,
            code=None,
            entry=None,
            confidence=0.0,
            reason=reason,
            alternatives=alternatives,
            basis="unknown",
            contradiction=False,
            http_status=None,
        )

    # -- the full result --

    def explain(self, line: int, end_line: int, finding: _Finding, http: HttpInfo | None) -> ExplainedError:
        verdict = self.verdict(finding)
        raw_code = finding.code if isinstance(finding.code, (int, str)) else None
        if isinstance(finding.code, float) and finding.code.is_integer():
            raw_code = int(finding.code)
        return ExplainedError(
            line=line,
            catalog=verdict.catalog,
            code=verdict.code,
            http_status=verdict.http_status,
            message=finding.message,
            confidence=verdict.confidence,
            reason=verdict.reason,
            entry=verdict.entry,
            alternatives=verdict.alternatives,
            details=_details(finding, verdict.entry),
            action=_action(verdict.entry, http, verdict.http_status),
            raw=finding.node or None,
            raw_code=raw_code,
            basis=verdict.basis,
            contradiction=verdict.contradiction,
            end_line=end_line,
        )


def _is_status_entry(entry: Entry) -> bool:
    """An entry that is an HTTP status (the ``http`` catalog, ztdx's status table)."""
    return isinstance(entry.code, int) and entry.code == entry.http_status


def _is_number(code: Any) -> bool:
    return _as_int(code) is not None


def _as_int(code: Any) -> int | None:
    if isinstance(code, bool):
        return None
    if isinstance(code, int):
        return code
    if isinstance(code, float) and code.is_integer() and abs(code) < 1e15:
        return int(code)
    if isinstance(code, str):
        text = code.strip()
        if text.lstrip("-").isdigit() and len(text) < 19 and text.isascii():
            return int(text)
    return None


def _is_success_code(code: Any) -> bool:
    number = _as_int(code)
    if number is not None:
        return number == 0 or 200 <= number <= 299
    return isinstance(code, str) and code.strip().upper() in _SUCCESS_CODES


def _message_of(node: dict[str, Any]) -> str | None:
    for key in (*MESSAGE_KEYS, "error"):
        value = node.get(key)
        if isinstance(value, str):
            return value
    return None


def _env_catalogs(envs: tuple[tuple[_Env, int], ...]) -> dict[str, int]:
    """How strongly the shape points at each catalog (its best envelope's strength)."""
    out: dict[str, int] = {}
    for env, strength in envs:
        out[env.catalog] = max(out.get(env.catalog, 0), strength)
    return out


def _equal(got: Any, expected: Any) -> bool:
    if got is _MISSING or type(got) is not type(expected):
        return isinstance(got, str) and isinstance(expected, str) and got.lower() == expected.lower()
    return bool(got == expected)


def _envelope_guess(env_cats: dict[str, int]) -> str | None:
    """The catalog a shape alone points at, when one catalog clearly wins."""
    if not env_cats:
        return None
    ranked = sorted(env_cats.items(), key=lambda kv: kv[1], reverse=True)
    if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
        return ranked[0][0]
    return None


class _Shapes:
    """Names the envelope a catalog was recognised by, for the reason text."""

    def __init__(self, envs: tuple[tuple[_Env, int], ...]) -> None:
        self.best: dict[str, tuple[_Env, int]] = {}
        for env, strength in envs:
            if strength > self.best.get(env.catalog, (env, 0))[1]:
                self.best[env.catalog] = (env, strength)

    def of(self, catalog: str) -> str:
        found = self.best.get(catalog)
        if found is None:
            return "response"
        env = found[0].envelope
        keys = "{" + ", ".join(env.keys) + "}"
        return f"{keys} ({env.transport})" if env.transport != "http" else keys


def _title(entry: Entry) -> str:
    return entry.title.en or entry.title.zh or ""


def _clamp(value: float) -> float:
    return round(max(0.0, min(0.99, value)), 2)


def _details(finding: _Finding, entry: Entry | None) -> dict[str, Any]:
    """The response's own details: the envelope's details object and the fields the entry documents."""
    node = finding.node
    out: dict[str, Any] = {}
    paths = [env.details_path for env, _ in finding.envs if env.details_path]
    for path in (*paths, *_DETAIL_PATHS):
        value = _get_path(node, path)
        if isinstance(value, dict):
            if value:
                prefix = ".".join(path)
                for key, item in list(value.items())[:MAX_DETAILS]:
                    if not isinstance(item, (dict, list)):
                        out.setdefault(f"{prefix}.{key}", item)
            break
    if entry is not None:
        for detail in entry.details:
            value = _get_path(node, tuple(detail.field.split(".")))
            if value is not _MISSING:
                out.setdefault(detail.field, value)
    return out


_DETAIL_PATHS = (("details",), ("error", "details"), ("data",))
MAX_DETAILS = 50


def _action(entry: Entry | None, http: HttpInfo | None, status: int | None) -> Action:
    advice = entry.retry_advice if entry is not None else None
    if http is not None and http.retry_after is not None:
        return Action("wait", http.retry_after, "Retry-After header", advice)
    if entry is None:
        if status in (429, 503):
            return Action("backoff", None, "derived", None)
        return Action("unknown")
    source = entry.retryable_source
    if entry.retry_after is not None:
        return Action("wait", entry.retry_after, source, advice)
    if entry.retryable:
        return Action("backoff", None, source, advice)
    return Action("do_not_retry", None, source, advice)


# --- the public API -----------------------------------------------------------------------------


class ExplainStream:
    """Explain a stream as it is read: iterate for the errors; the counters are final at the end.

    >>> stream = explain_stream(cs, sys.stdin.buffer)
    >>> for error in stream: ...
    >>> stream.not_errors, stream.unparsed_count, stream.unparsed_lines
    """

    def __init__(self, cs: CatalogSet | Explainer, source: Source, catalogs: Sequence[str] = ()) -> None:
        self.explainer = cs if isinstance(cs, Explainer) else Explainer(cs, catalogs)
        self.tally = LineTally()
        self.reader = RecordReader(source, self.tally)
        self.not_errors = 0
        self.records = 0
        self.errors = 0
        self.unknown = 0

    @property
    def unparsed_count(self) -> int:
        return self.tally.unparsed_count

    @property
    def unparsed_lines(self) -> list[int]:
        return self.tally.unparsed_lines

    @property
    def lines(self) -> int:
        return self.tally.lines

    def __iter__(self) -> Iterator[ExplainedError]:
        findings = self.explainer.findings
        explain = self.explainer.explain
        for line, end, value, http in self.reader.raw():
            self.records += 1
            found = findings(value, http)
            if found is None:
                self.not_errors += 1
                continue
            for finding in found:
                error = explain(line, end, finding, http)
                self.errors += 1
                if error.entry is None:
                    self.unknown += 1
                yield error

    def summarize(self) -> SummaryReport:  # noqa: PLR0915 - the hot loop stays in one frame: a call per line costs ~10%
        """Consume the stream into a summary, without building a full result per error.

        The hot loop of ``--summary``: a line that is one JSON object is decoded and classified
        here directly, and a line seen before (the same response over and over) is not even
        decoded; everything else goes through the same careful path as :meth:`RecordReader.raw`.
        """
        verdicts_of = self.explainer.summary_verdicts
        object_verdicts = self.explainer.object_verdicts
        tally = self.tally
        state = _ScanState(tally)
        decode = _decode
        lines, drain = _line_source(self.reader.source)
        # rows per verdict object (verdicts are shared; the row keeps its verdict alive, so ids stay unique)
        rows: dict[int, list[Any]] = {}
        # identical lines (the same response over and over) are classified once; when a window
        # of the memo brings fewer than 1 hit per 8 lines remembered, it rests for a while
        memo: dict[bytes, tuple[_Verdict, ...]] = {}
        memo_get = memo.get
        use_memo = True
        memo_hits = 0
        memo_retry = 0
        n = records = not_errors = fast_lines = 0
        fast = False

        def add(found: Iterable[_Raw]) -> None:
            nonlocal records, not_errors
            for line_no, _end, value, http in found:
                records += 1
                verdicts = verdicts_of(value, http)
                if not verdicts:
                    not_errors += 1
                for verdict in verdicts:
                    row = rows.get(id(verdict))
                    if row is None:
                        rows[id(verdict)] = [verdict, 1, line_no, line_no]
                    else:
                        row[1] += 1
                        row[3] = line_no

        # JSON values are trees, freed by reference counting; the cyclic collector would only
        # rescan the catalogs and caches over and over (~10% of the time), so it waits until the end
        collecting = gc.isenabled()
        gc.disable()
        try:
            for line in lines:
                n += 1
                if len(line) > MAX_LINE_BYTES:
                    if drain is not None and not line.endswith(b"\n" if isinstance(line, bytes) else "\n"):
                        drain()
                    line = _OVERLONG  # noqa: PLW2901 - replaced on purpose: too long to parse
                if fast and line[:1] == b"{":
                    verdicts = memo_get(line) if use_memo else None
                    if verdicts is not None:
                        memo_hits += 1
                    else:
                        try:
                            value = decode(line)
                        except Exception:  # noqa: BLE001 - anything odd takes the careful path below
                            value = _MISSING
                        if type(value) is dict:
                            verdicts = object_verdicts(value)
                            if use_memo:
                                if len(line) <= MEMO_MAX_LINE:
                                    if len(memo) >= _MEMO_LIMIT:
                                        use_memo = memo_hits * 8 >= _MEMO_LIMIT
                                        memo_retry = n + 16 * _MEMO_LIMIT
                                        memo_hits = 0
                                        memo.clear()
                                    memo[line] = verdicts
                            elif n >= memo_retry:
                                use_memo = True
                        elif value is not _MISSING:  # an array of results on one line
                            fast_lines += 1
                            add(_flatten(n, n, value, None))
                            continue
                    if verdicts is not None:
                        fast_lines += 1
                        records += 1
                        if not verdicts:
                            not_errors += 1
                        for verdict in verdicts:
                            row = rows.get(id(verdict))
                            if row is None:
                                rows[id(verdict)] = [verdict, 1, n, n]
                            else:
                                row[1] += 1
                                row[3] = n
                        continue
                tally.lines = n
                add(state.feed(n, line))
                fast = state.idle
            tally.lines = n
            add(state.finish())
        finally:
            if collecting:
                gc.enable()
            tally.lines = n
            tally.record_lines += fast_lines
        summary = Summary()
        unknown = 0
        for verdict, count, first, last in sorted(rows.values(), key=lambda r: r[2]):
            summary.merge(verdict.catalog, verdict.code, verdict.entry, count, first, last)
            if verdict.entry is None:
                unknown += count
        self.records += records
        self.not_errors += not_errors
        self.errors += summary.total
        self.unknown += unknown
        return SummaryReport(
            rows=tuple(summary.rows()),
            errors=summary.total,
            unknown=unknown,
            not_errors=self.not_errors,
            unparsed_count=tally.unparsed_count,
            unparsed_lines=tuple(tally.unparsed_lines),
            lines=tally.lines,
            records=self.records,
        )


def explain_stream(cs: CatalogSet | Explainer, source: Source, catalogs: Sequence[str] = ()) -> ExplainStream:
    """Errors as they are found (a generator-like object with counters); constant memory.

    ``cs`` is the catalogs, or an :class:`Explainer` built from them (reused across calls; it
    carries its own ``catalogs`` restriction, and ``catalogs`` here is then ignored).
    """
    return ExplainStream(cs, source, catalogs)


def explain_text(cs: CatalogSet | Explainer, text: str | bytes, catalogs: Sequence[str] = ()) -> ExplainReport:
    """Explain a whole input held in memory (an argument, a small file)."""
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    stream = ExplainStream(cs, io.BytesIO(data), catalogs)
    errors = tuple(stream)
    return ExplainReport(
        errors=errors,
        not_errors=stream.not_errors,
        unparsed_count=stream.unparsed_count,
        unparsed_lines=tuple(stream.unparsed_lines),
        lines=stream.lines,
        records=stream.records,
    )


def summarize(cs: CatalogSet | Explainer, source: Source, catalogs: Sequence[str] = ()) -> SummaryReport:
    """The ``--summary`` table for a stream: counts per (catalog, code) with first and last line."""
    return ExplainStream(cs, source, catalogs).summarize()


# --- JSON (SPEC §7) -------------------------------------------------------------------------------


def action_dict(action: Action) -> dict[str, Any]:
    return {
        "kind": action.kind,
        "seconds": action.seconds,
        "source": action.source or None,
        "advice": msgspec.to_builtins(action.advice) if action.advice is not None else None,
    }


def error_dict(error: ExplainedError) -> dict[str, Any]:
    """One error as the contract's object: the SPEC keys first, then extras."""
    return {
        "line": error.line,
        "catalog": error.catalog,
        "code": error.code,
        "http_status": error.http_status,
        "message": error.message,
        "confidence": error.confidence,
        "reason": error.reason,
        "entry": _plain(entry_dict(error.entry)) if error.entry is not None else None,
        "alternatives": [_plain(entry_dict(e)) for e in error.alternatives],
        "raw_code": error.raw_code,
        "basis": error.basis,
        "contradiction": error.contradiction,
        "end_line": error.end_line,
        "details": _jsonable(error.details),
        "action": action_dict(error.action),
    }


def to_json_document(
    errors: Iterable[ExplainedError],
    not_errors: int,
    unparsed_lines: Sequence[int],
    unparsed_count: int | None = None,
) -> dict[str, Any]:
    """``{"errors": [...], "not_errors": n, "unparsed_lines": [...]}`` plus ``unparsed_count``."""
    return {
        "errors": [error_dict(e) for e in errors],
        "not_errors": not_errors,
        "unparsed_lines": list(unparsed_lines),
        "unparsed_count": len(unparsed_lines) if unparsed_count is None else unparsed_count,
    }


def report_document(report: ExplainReport) -> dict[str, Any]:
    return to_json_document(report.errors, report.not_errors, report.unparsed_lines, report.unparsed_count)


def summary_document(report: SummaryReport) -> dict[str, Any]:
    return {
        "summary": [
            {
                "catalog": row.catalog,
                "code": row.code,
                "title": msgspec.to_builtins(row.entry.title) if row.entry is not None else None,
                "severity": row.entry.severity if row.entry is not None else None,
                "count": row.count,
                "first_line": row.first_line,
                "last_line": row.last_line,
            }
            for row in report.rows
        ],
        "errors": report.errors,
        "unknown": report.unknown,
        "not_errors": report.not_errors,
        "unparsed_lines": list(report.unparsed_lines),
        "unparsed_count": report.unparsed_count,
    }


def _plain(value: Any) -> Any:
    """Tuples as lists, all the way down: the document is what JSON gives back."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _jsonable(value: Any) -> Any:
    """Details come from decoded JSON, so they already are; this only guards the encoder."""
    try:
        msgspec.json.encode(value)
    except (TypeError, OverflowError, msgspec.EncodeError):
        return {k: repr(v) for k, v in value.items()} if isinstance(value, dict) else repr(value)
    return value


__all__ = [
    "Action",
    "ExplainReport",
    "ExplainStream",
    "ExplainedError",
    "Explainer",
    "HttpInfo",
    "LineTally",
    "Record",
    "RecordReader",
    "Summary",
    "SummaryReport",
    "SummaryRow",
    "action_dict",
    "error_dict",
    "explain_stream",
    "explain_text",
    "iter_records",
    "report_document",
    "summarize",
    "summary_document",
    "to_json_document",
]
