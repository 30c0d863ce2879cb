"""The msgpack framing a streamed cache file is written with by hand: the headers of arrays, maps
and binary strings, and a bin32 whose length is written once its bytes are (the rest of each
file is msgspec's encoding; see the msgpack spec, "formats")."""

from __future__ import annotations

from typing import BinaryIO


def array_header(length: int) -> bytes:
    if length < 16:
        return bytes([0x90 | length])
    if length < 1 << 16:
        return b"\xdc" + length.to_bytes(2, "big")
    return b"\xdd" + length.to_bytes(4, "big")


def map_header(length: int) -> bytes:
    if length < 16:
        return bytes([0x80 | length])
    if length < 1 << 16:
        return b"\xde" + length.to_bytes(2, "big")
    return b"\xdf" + length.to_bytes(4, "big")


def bin_header(size: int) -> bytes:
    if size < 1 << 8:
        return b"\xc4" + size.to_bytes(1, "big")
    if size < 1 << 16:
        return b"\xc5" + size.to_bytes(2, "big")
    return b"\xc6" + size.to_bytes(4, "big")


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
