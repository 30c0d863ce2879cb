"""The msgpack framing a streamed cache file is written with by hand: the headers of arrays, maps
and binary strings, and a bin32 whose length is written once its bytes are (the rest of each
file is msgspec's encoding; see the msgpack spec, "formats")."""

from __future__ import annotations

from typing import BinaryIO

# a kind's short form (the length in its low four bits, below 16), then its (tag, width) forms
_ARRAY = (0x90, ((0xDC, 2), (0xDD, 4)))
_MAP = (0x80, ((0xDE, 2), (0xDF, 4)))
_BIN = (None, ((0xC4, 1), (0xC5, 2), (0xC6, 4)))


def _header(kind: tuple[int | None, tuple[tuple[int, int], ...]], length: int) -> bytes:
    short, forms = kind
    if short is not None and length < 16:
        return bytes([short | length])
    for tag, width in forms:
        if length < 1 << (8 * width):
            return bytes([tag]) + length.to_bytes(width, "big")
    raise ValueError(f"{length} is too long for msgpack")


def array_header(length: int) -> bytes:
    return _header(_ARRAY, length)


def map_header(length: int) -> bytes:
    return _header(_MAP, length)


def bin_header(size: int) -> bytes:
    return _header(_BIN, size)


def open_bin32(sink: BinaryIO) -> int:
    """Start a bin32 in the seekable ``sink`` whose length is not known yet: where it goes."""
    sink.write(b"\xc6\0\0\0\0")
    return sink.tell() - 4


def close_bin32(sink: BinaryIO, length_at: int, size: int) -> None:
    """End the bin32 begun at ``length_at`` (:func:`open_bin32`): its ``size`` bytes are written."""
    end = sink.tell()
    sink.seek(length_at)
    sink.write(size.to_bytes(4, "big"))
    sink.seek(end)
