"""Bytes → lines for the reader: chunks read as they come, lines ended by LF, CRLF or a lone CR,
UTF-16 with a BOM read as UTF-8, overlong lines cut. Constant memory, whatever the input."""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from typing import IO, Any, Protocol, overload

from errcli.explain.compiled import scan as compiled

MAX_LINE_BYTES = 1 << 20  # a longer line is not parsed (counted as unparsed)
_CHUNK = 1 << 18
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class Chunks(Protocol):
    """A binary stream that gives what it has (``read1``), such as a window on a file."""

    def read1(self, n: int = ..., /) -> bytes: ...


Source = IO[bytes] | IO[str] | Chunks | Iterable[bytes] | Iterable[str]


def _split_cr(lines: list[bytes], rest: bytes) -> tuple[list[bytes], bytes]:
    """Lines ended by a lone CR split out of LF-ended ``lines`` (a CRLF keeps its CR) and out of
    ``rest``, the unfinished line after them (a CR at its very end may be a CRLF's: it stays)."""
    out: list[bytes] = []
    for line in lines:
        body = line[:-1] if line[-1:] == b"\r" else line
        if b"\r" in body:
            parts = body.split(b"\r")
            if len(body) < len(line):
                parts[-1] += b"\r"
            out.extend(parts)
        else:
            out.append(line)
    cut = rest.rfind(b"\r", 0, len(rest) - 1)
    if cut >= 0:
        out.extend(rest[:cut].split(b"\r"))
        rest = rest[cut + 1 :]
    return out, rest


def _last_lines(rest: bytes) -> list[bytes]:
    """The stream's last line, which no LF ends (lone CRs in it end lines)."""
    if b"\r" not in rest:
        return [rest]
    parts = rest.split(b"\r")
    if len(parts) > 1 and not parts[-1]:
        parts.pop()
    return parts


class Lines(Sequence[bytes]):
    """A chunk's lines, each cut out only when asked for (most are looked up where they lie, by the
    compiled lookup): ``data`` and where each line starts (:func:`_scan.line_starts`)."""

    __slots__ = ("data", "size", "starts")

    def __init__(self, data: bytes, starts: bytes) -> None:
        self.data = data
        self.starts = memoryview(starts).cast("i")  # (and one past the last line's LF)
        self.size = len(self.starts) - 1

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, i: int) -> bytes: ...
    @overload
    def __getitem__(self, i: slice) -> list[bytes]: ...
    def __getitem__(self, i: int | slice) -> bytes | list[bytes]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self.size))]
        if not 0 <= i < self.size:
            if not -self.size <= i < 0:
                raise IndexError(i)
            i += self.size
        starts = self.starts
        return self.data[starts[i] : starts[i + 1] - 1]


def chunk_lines(read: Callable[[int], bytes]) -> Iterator[Sequence[bytes]]:
    """The lines of a binary stream read in chunks (``read1``: whatever is there, so a live
    stream is not held back), a sequence per chunk, without their LFs; a line over
    MAX_LINE_BYTES is cut there and the rest of it skipped."""
    rest = b""
    skipping = False
    after_cr = False  # the skipped line ended with a CR at a chunk's end: an LF next belongs to it
    while True:
        chunk = read(_CHUNK)
        if not chunk:
            if rest and not skipping:
                yield _last_lines(rest)
            return
        if after_cr:
            after_cr = False
            chunk = chunk.removeprefix(b"\n")
        if skipping:
            end = min((i for i in (chunk.find(b"\n"), chunk.find(b"\r")) if i >= 0), default=-1)
            if end < 0:
                continue
            if chunk[end : end + 2] == b"\r\n":
                end += 1
            elif end == len(chunk) - 1 and chunk[end] == 0x0D:
                after_cr = True
            chunk = chunk[end + 1 :]
            skipping = False
        data = rest + chunk if rest else chunk
        if compiled is not None:  # the lines where they lie, unless a CR or an overlong line is there
            cut = data.rfind(b"\n")
            if cut >= 0 and len(data) - cut - 1 <= MAX_LINE_BYTES and b"\r" not in data:
                rest = data[cut + 1 :]
                yield Lines(data, compiled.line_starts(data, cut))
                continue
        lines = data.split(b"\n")
        rest = lines.pop()
        if b"\r" in data:
            lines, rest = _split_cr(lines, rest)
        if len(rest) > MAX_LINE_BYTES:
            lines.append(rest[: MAX_LINE_BYTES + 1])
            rest = b""
            skipping = True
        if lines:
            yield lines


def _text_reader(read: Callable[[int], bytes]) -> Callable[[int], bytes]:
    """``read`` itself, or for a stream that starts with a UTF-16 BOM, a reader of its text as UTF-8."""
    head = b""
    while len(head) < 2:
        chunk = read(_CHUNK)
        if not chunk:
            break
        head += chunk
    waiting = [head]
    if head[:2] not in _UTF16_BOMS:

        def same(n: int) -> bytes:
            return waiting.pop() if waiting else read(n)

        return same
    decoder = codecs.getincrementaldecoder("utf-16")("replace")  # the BOM says which byte order

    def utf8(n: int) -> bytes:
        while True:
            raw = waiting.pop() if waiting else read(n)
            if not raw:
                return decoder.decode(b"", final=True).encode("utf-8")
            text = decoder.decode(raw)
            if text:
                return text.encode("utf-8")

    return utf8


def line_blocks(source: Source, resumed: bool = False) -> tuple[Iterable[Sequence[Any]], Callable[[], None] | None]:
    """The lines of ``source`` (bytes, or str from a text stream or a list) in blocks: a binary
    stream's chunks, other lines one at a time; and for a text stream a function that skips the
    rest of an overlong physical line. A ``resumed`` source is a binary stream read as it is (it
    starts at a line boundary inside a stream: no byte-order mark is looked for)."""
    if resumed:
        resume: Callable[[int], bytes] | None = getattr(source, "read1", None) or getattr(source, "read", None)
        if resume is None:
            raise TypeError("a resumed source is a binary stream")
        return chunk_lines(resume), None
    if _is_binary(source):
        read = getattr(source, "read1", None) or getattr(source, "readline", None)
        if read is not None:
            return chunk_lines(_text_reader(read)), None
    readline = getattr(source, "readline", None)
    if readline is None:
        if not isinstance(source, Iterable):
            raise TypeError("explain reads a stream or lines")
        return map(_one, source), None  # str lines are handled by the careful path
    reader: Callable[[int], str] = readline

    def drain() -> None:  # skip the rest of an overlong physical line
        while chunk := reader(MAX_LINE_BYTES):
            if chunk.endswith("\n"):
                return

    return map(_one, iter(partial(reader, MAX_LINE_BYTES + 1), "")), drain


def _one(line: Any) -> tuple[Any]:
    return (line,)


def _is_binary(source: object) -> bool:
    if not hasattr(source, "readline") and not hasattr(source, "read1"):
        return False  # an iterable of lines
    mode = getattr(source, "mode", None)
    if isinstance(mode, str):
        return "b" in mode
    from io import TextIOBase

    return not isinstance(source, TextIOBase)
