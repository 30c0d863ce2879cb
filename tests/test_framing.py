"""The hand-written msgpack framing agrees with msgspec's own encoding at every size boundary."""

from __future__ import annotations

import io

import msgspec
import pytest

from errcli.store.framing import array_header, bin_header, close_bin32, map_header, open_bin32

SIZES = (0, 1, 15, 16, 255, 256, 65535, 65536)


@pytest.mark.parametrize("length", SIZES)
def test_array_header_is_msgspecs(length: int) -> None:
    encoded = msgspec.msgpack.encode([0] * length)
    assert encoded == array_header(length) + b"\0" * length


@pytest.mark.parametrize("length", SIZES)
def test_map_header_is_msgspecs(length: int) -> None:
    encoded = msgspec.msgpack.encode(dict.fromkeys(range(length), 0))
    header = map_header(length)
    assert encoded[: len(header)] == header
    assert len(encoded) - len(header) == sum(len(msgspec.msgpack.encode(i)) + 1 for i in range(length))


@pytest.mark.parametrize("size", SIZES)
def test_bin_header_is_msgspecs(size: int) -> None:
    data = bytes(size)
    assert msgspec.msgpack.encode(data) == bin_header(size) + data


def test_a_bin32_gets_its_length_when_closed() -> None:
    sink = io.BytesIO()
    sink.write(msgspec.msgpack.encode("before"))
    at = open_bin32(sink)
    sink.write(b"abc")
    sink.write(b"de")
    close_bin32(sink, at, 5)
    sink.write(msgspec.msgpack.encode("after"))
    decoder = msgspec.msgpack.Decoder()
    framed = b"\x93" + sink.getvalue()  # the three values as one array
    assert decoder.decode(framed) == ["before", b"abcde", "after"]


def test_too_long_is_refused() -> None:
    with pytest.raises(ValueError, match="too long"):
        array_header(1 << 32)
