"""Catalogs as the compiled cache keeps them: entries decoded only as they are used.

Read back from the cache (``errcli.store.cache``), a catalog's entries are decoded one by one when
they are asked for (``LazyEntries``), and lookups and list filters select them by small per-entry
keys (``EntryKeys``), each column decoded when it is first used.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar, overload

import msgspec

from errcli._text import fold_symbol
from errcli.model import Catalog, Entry

T = TypeVar("T")
KEY_COLUMNS = 7


class _Column(Generic[T]):
    """A column of ``EntryKeys``: item i is entry i's value; from the cache, decoded when first read."""

    def __init__(self, index: int, kind: type[tuple[T, ...]]) -> None:
        self._index = index
        self._kind = kind

    def __get__(self, keys: EntryKeys, owner: object = None) -> tuple[T, ...]:
        column = keys._columns[self._index]
        if isinstance(column, memoryview):
            column = keys._columns[self._index] = msgspec.msgpack.decode(column, type=self._kind)
        return column


class EntryKeys:
    """Per-entry values that lookups and list filters select by; item i of each column is entry i's.

    Selecting by these, a lookup decodes only the entries it found (see ``LazyEntries``). From the
    cache, a column is decoded when it is first used: a number lookup reads two columns of numbers.
    """

    numbers = _Column(0, tuple[int | None, ...])
    """The code as a number (1001, "1001"); None for other codes."""
    symbols = _Column(1, tuple[str | None, ...])
    """The folded symbol (INSUFFICIENT_BALANCE)."""
    code_names = _Column(2, tuple[str | None, ...])
    """The folded code when it is text (RATE_LIMITED)."""
    statuses = _Column(3, tuple[int | None, ...])
    categories = _Column(4, tuple[str | None, ...])
    severities = _Column(5, tuple[str | None, ...])
    retryable = _Column(6, tuple[bool | None, ...])

    def __init__(self, columns: Sequence[tuple[Any, ...] | memoryview]) -> None:
        self._columns = list(columns)  # decoded, or still msgpack (from the cache)

    @classmethod
    def of(cls, entries: Iterable[Entry]) -> EntryKeys:
        rows = [
            (
                e.code if isinstance(e.code, int) else int(e.code) if e.code.isdigit() else None,
                fold_symbol(e.symbol) if e.symbol else None,
                fold_symbol(e.code) if isinstance(e.code, str) else None,
                e.http_status,
                e.category,
                e.severity,
                e.retryable,
            )
            for e in entries
        ]
        return cls(list(zip(*rows, strict=True)) if rows else [()] * KEY_COLUMNS)

    def stored(self) -> tuple[bytes | memoryview, ...]:
        """The columns as the cache keeps them, each its own msgpack document."""
        return tuple(c if isinstance(c, memoryview) else msgspec.msgpack.encode(c) for c in self._columns)


def _decode_entry(data: memoryview) -> Entry:
    return msgspec.msgpack.decode(data, type=Entry)


class LazyEntries(Sequence[Entry]):
    """The entries of a catalog read from the cache: each is decoded when it is first asked for,
    all of them at once when they are iterated. A lookup in 100 000 entries decodes a few."""

    def __init__(self, blob: memoryview, offsets: Sequence[int], keys: EntryKeys) -> None:
        self._blob = blob  # a msgpack array of the entries
        self._offsets = offsets  # where each entry starts in the blob, then where the last ends
        self.keys = keys
        self._decoded: dict[int, Entry] = {}
        self._all: tuple[Entry, ...] | None = None

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, index: int) -> Entry: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Entry, ...]: ...
    def __getitem__(self, index: int | slice) -> Entry | tuple[Entry, ...]:
        if isinstance(index, slice) or self._all is not None:
            return self.all()[index]
        position = range(len(self))[index]  # negative positions, and IndexError past the end
        entry = self._decoded.get(position)
        if entry is None:
            entry = _decode_entry(self._blob[self._offsets[position] : self._offsets[position + 1]])
            self._decoded[position] = entry
        return entry

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.all())

    def all(self) -> tuple[Entry, ...]:
        if self._all is None:
            self._all = msgspec.msgpack.decode(self._blob, type=tuple[Entry, ...])
        return self._all

    def __eq__(self, other: object) -> bool:  # equal to the tuple the catalog file gives
        return isinstance(other, Sequence) and self.all() == tuple(other)

    __hash__ = None  # type: ignore[assignment]  # compared by content, so not hashable


class StoredCatalog(msgspec.Struct, array_like=True, frozen=True):
    """One catalog in the compiled cache: its header (``entries`` empty) is decoded on every run,
    its entries and their keys only when they are used (see ``LazyEntries``).

    The big parts are msgpack ``bin``: a reader skips them without reading them, and gets them
    as views into the (memory-mapped) file.
    """

    header: Catalog
    entries: memoryview  # a msgpack array of the entries
    offsets: memoryview  # uint32, little-endian: where each entry starts in ``entries``, then the end
    keys: tuple[memoryview, ...]  # EntryKeys, column by column

    @classmethod
    def of(cls, catalog: Catalog, keys: EntryKeys) -> StoredCatalog:
        encoder = msgspec.msgpack.Encoder()
        blob = bytearray(_array_header(len(catalog.entries)))
        offsets = array("I", [len(blob)])
        for entry in catalog.entries:
            encoder.encode_into(entry, blob, -1)  # appended
            offsets.append(len(blob))
        if sys.byteorder == "big":  # pragma: no cover
            offsets.byteswap()
        header = msgspec.structs.replace(catalog, entries=())
        return cls(header, memoryview(blob), memoryview(offsets).cast("B"), tuple(map(memoryview, keys.stored())))

    def catalog(self) -> Catalog:
        """The catalog, its entries read lazily; ValueError when the stored parts do not fit together."""
        offsets = array("I")
        offsets.frombytes(self.offsets)  # ValueError when its length is not a multiple of 4
        if sys.byteorder == "big":  # pragma: no cover
            offsets.byteswap()
        if not offsets or offsets[-1] != len(self.entries) or len(self.keys) != KEY_COLUMNS:
            raise ValueError("damaged catalog cache")
        return msgspec.structs.replace(self.header, entries=LazyEntries(self.entries, offsets, EntryKeys(self.keys)))


def _array_header(length: int) -> bytes:
    if length < 16:
        return bytes([0x90 | length])
    if length < 1 << 16:
        return b"\xdc" + length.to_bytes(2, "big")
    return b"\xdd" + length.to_bytes(4, "big")
