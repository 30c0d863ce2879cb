"""Catalogs as the compiled cache keeps them: entries decoded only as they are used.

Read back from the cache (``errcli.store.cache``), a catalog's entries are decoded one by one when
they are asked for (``LazyEntries``), and lookups and list filters select them by small per-entry
keys (``EntryKeys``), each column decoded when it is first used.

Every stored part carries a CRC-32, checked when the part is decoded: a damaged part (a flipped
byte, a renamed field) is never used. Found while entries are read, it makes the catalog's
entries come from its file again (the ``recover`` callback), so the answer stays right.
"""

from __future__ import annotations

import io
import sys
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, BinaryIO, Generic, TypeVar, overload

import msgspec

from errcli._text import fold_symbol
from errcli.model import Catalog, Entry

T = TypeVar("T")
KEY_COLUMNS = 7
MIN_INT, MAX_INT = -(2**63), 2**64 - 1  # what msgpack can hold
Recover = Callable[[], Sequence[Entry]]  # the catalog's entries, from its file again


class DamagedError(ValueError):
    """A stored part that does not match its checksum, or does not decode."""


def _checked(data: memoryview, crc: int) -> memoryview:
    if zlib.crc32(data) != crc:
        raise DamagedError("damaged catalog cache")
    return data


class _Column(Generic[T]):
    """A column of ``EntryKeys``: item i is entry i's value; from the cache, decoded when first read."""

    def __init__(self, index: int, kind: type[tuple[T, ...]]) -> None:
        self._index = index
        self._kind = kind

    def __get__(self, keys: EntryKeys, owner: object = None) -> tuple[T, ...]:
        column = keys._columns[self._index]
        if isinstance(column, memoryview):
            try:
                column = msgspec.msgpack.decode(_checked(column, keys._sums[self._index]), type=self._kind)
                if len(column) != keys._length:
                    raise DamagedError("damaged catalog cache")
            except ValueError:  # msgspec's errors are ValueErrors too
                keys._damaged()
                return self.__get__(keys)
            keys._columns[self._index] = column
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

    def __init__(
        self,
        columns: Sequence[tuple[Any, ...] | memoryview],
        sums: Sequence[int] = (),
        length: int = -1,
        damaged: Callable[[], object] | None = None,
    ) -> None:
        self._columns = list(columns)  # decoded, or still msgpack (from the cache)
        self._sums = sums  # from the cache: each column's CRC-32
        self._length = length  # from the cache: how many entries
        self._on_damage = damaged

    def _damaged(self) -> None:
        """A stored column is damaged: every column worked out again, from the entries' file."""
        if self._on_damage is None:
            raise DamagedError("damaged catalog cache")
        self._on_damage()

    def _replace(self, fresh: EntryKeys) -> None:
        self._columns = fresh._columns
        self._on_damage = None

    @classmethod
    def of(cls, entries: Iterable[Entry]) -> EntryKeys:
        rows = [
            (
                _number(e.code),
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


def _number(code: int | str) -> int | None:
    """The code as a number (1001, "1001") that msgpack can hold; None for any other."""
    short = isinstance(code, str) and code.isdecimal() and len(code.lstrip("0")) <= 20  # 2**64 has 20 digits
    number = code if isinstance(code, int) else int(code) if short else None
    return number if number is not None and MIN_INT <= number <= MAX_INT else None


def _decode_entry(data: memoryview) -> Entry:
    return msgspec.msgpack.decode(data, type=Entry)


class LazyEntries(Sequence[Entry]):
    """The entries of a catalog read from the cache: each is decoded when it is first asked for,
    all of them at once when they are iterated. A lookup in 100 000 entries decodes a few.

    A damaged entry (or key column) calls ``recover`` once: from then on the entries are the
    ones it gives, read from the catalog file again.
    """

    def __init__(
        self, blob: memoryview, offsets: Sequence[int], keys: EntryKeys, sums: Sequence[int], recover: Recover
    ) -> None:
        self._blob = blob  # a msgpack array of the entries
        self._offsets = offsets  # where each entry starts in the blob, then where the last ends
        self._sums = sums  # CRC-32 of the whole blob, then of each entry
        self._recover = recover
        self.keys = keys
        keys._on_damage = self._damaged
        self._decoded: dict[int, Entry] = {}
        self._all: tuple[Entry, ...] | None = None

    def _damaged(self) -> tuple[Entry, ...]:
        """The entries (and their keys) from the catalog file again, for good."""
        fresh = self._all = tuple(self._recover())
        self._decoded.clear()
        self.keys._replace(EntryKeys.of(fresh))
        return fresh

    def __len__(self) -> int:
        return len(self._offsets) - 1 if self._all is None else len(self._all)

    @overload
    def __getitem__(self, index: int) -> Entry: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Entry, ...]: ...
    def __getitem__(self, index: int | slice) -> Entry | tuple[Entry, ...]:
        if isinstance(index, slice) or self._all is not None:
            return self.all()[index]
        position = range(len(self))[index]  # negative positions, and IndexError past the end
        entry = self._entry(position)
        if entry is None:
            return self._damaged()[position]
        self._decoded[position] = entry
        return entry

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.all())

    def each(self, start: int = 0) -> Iterator[Entry]:
        """The entries from ``start`` on, each decoded as it is reached and not kept (a pass over
        a big catalog, such as building its index, never holds all of them)."""
        for position in range(start, len(self)):
            entry = None if self._all is not None else self._entry(position)
            if entry is None:  # all decoded already, or this one damaged
                yield from (self._all or self._damaged())[position:]
                return
            yield entry

    def _entry(self, position: int) -> Entry | None:
        """The entry at ``position`` (decoded, or as decoded before); None when it is damaged."""
        entry = self._decoded.get(position)
        if entry is None:
            data = self._blob[self._offsets[position] : self._offsets[position + 1]]
            try:
                entry = _decode_entry(_checked(data, self._sums[position + 1]))
            except ValueError:  # msgspec's errors are ValueErrors too
                return None
        return entry

    def all(self) -> tuple[Entry, ...]:
        if self._all is None:
            try:
                self._all = msgspec.msgpack.decode(_checked(self._blob, self._sums[0]), type=tuple[Entry, ...])
            except ValueError:
                return self._damaged()
            if len(self._all) != len(self._offsets) - 1:
                return self._damaged()
        return self._all

    def __eq__(self, other: object) -> bool:  # equal to the tuple the catalog file gives
        return isinstance(other, Sequence) and self.all() == tuple(other)

    __hash__ = None  # type: ignore[assignment]  # compared by content, so not hashable


class StoredCatalog(msgspec.Struct, array_like=True, frozen=True):
    """One catalog in the compiled cache: its header (``entries`` empty) is decoded on every run,
    its entries and their keys only when they are used (see ``LazyEntries``).

    The big parts are msgpack ``bin``: a reader skips them without reading them, and gets them
    as views into the (memory-mapped) file. Each part has its CRC-32, checked when it is decoded.
    """

    header: Catalog
    entries: memoryview  # a msgpack array of the entries
    offsets: memoryview  # uint32, little-endian: where each entry starts in ``entries``, then the end
    keys: tuple[memoryview, ...]  # EntryKeys, column by column
    checks: tuple[int, ...]  # CRC-32 of the header (as msgpack), the offsets, then each key column
    sums: memoryview  # uint32, little-endian: CRC-32 of ``entries`` as a whole, then of each entry

    @classmethod
    def of(cls, catalog: Catalog, keys: EntryKeys) -> StoredCatalog:
        """``catalog`` as the cache keeps it, in memory (as :func:`write_stored` writes it)."""
        buffer = io.BytesIO()
        write_stored(buffer, catalog, keys)
        return msgspec.msgpack.decode(buffer.getvalue(), type=cls)

    def moved(self, path: str) -> StoredCatalog:
        """The same catalog read from ``path`` (a seed's catalogs get this installation's paths)."""
        header = msgspec.structs.replace(self.header, path=path)
        checks = (zlib.crc32(msgspec.msgpack.encode(header)), *self.checks[1:])
        return msgspec.structs.replace(self, header=header, checks=checks)

    def catalog(self, recover: Recover) -> Catalog:
        """The catalog, its entries read lazily (``recover`` gives them should a stored one be damaged);
        ValueError when the header or the offsets are damaged."""
        if len(self.checks) != 2 + KEY_COLUMNS or len(self.keys) != KEY_COLUMNS:
            raise DamagedError("damaged catalog cache")
        header_sum, offsets_sum, *key_sums = self.checks
        if zlib.crc32(msgspec.msgpack.encode(self.header)) != header_sum:
            raise DamagedError("damaged catalog cache")
        offsets, sums = _uint32s(_checked(self.offsets, offsets_sum)), _uint32s(self.sums)
        if not offsets or offsets[-1] != len(self.entries) or len(sums) != len(offsets):
            raise DamagedError("damaged catalog cache")
        keys = EntryKeys(self.keys, key_sums, len(offsets) - 1)
        return msgspec.structs.replace(self.header, entries=LazyEntries(self.entries, offsets, keys, sums, recover))


def write_stored(sink: BinaryIO, catalog: Catalog, keys: EntryKeys) -> None:
    """``catalog`` as the cache keeps it (the msgpack of its :class:`StoredCatalog`), written to
    the seekable ``sink`` entry by entry: the entries' blob is never held whole."""
    from errcli.store.framing import array_header, close_bin32, open_bin32  # (only a cache write needs it)

    encoder = msgspec.msgpack.Encoder()
    header = encoder.encode(msgspec.structs.replace(catalog, entries=()))
    sink.write(array_header(len(StoredCatalog.__struct_fields__)) + header)
    size_at = open_bin32(sink)  # the entries' blob: its length is written once it is known
    head = array_header(len(catalog.entries))
    sink.write(head)
    offsets = array("I", [len(head)])
    sums = array("I", [0])
    whole = zlib.crc32(head)
    for entry in catalog.entries:
        data = encoder.encode(entry)
        sink.write(data)
        sums.append(zlib.crc32(data))
        whole = zlib.crc32(data, whole)
        offsets.append(offsets[-1] + len(data))
    sums[0] = whole
    close_bin32(sink, size_at, offsets[-1])
    columns = tuple(memoryview(c) for c in keys.stored())
    stored_offsets, stored_sums = _little_endian(offsets), _little_endian(sums)
    checks = (zlib.crc32(header), zlib.crc32(stored_offsets), *map(zlib.crc32, columns))
    sink.writelines(encoder.encode(part) for part in (stored_offsets, columns, checks, stored_sums))


def _little_endian(numbers: array[int]) -> memoryview:
    if sys.byteorder == "big":  # pragma: no cover
        numbers.byteswap()
    return memoryview(numbers).cast("B")


def _uint32s(data: memoryview) -> array[int]:
    """Little-endian uint32s; ValueError when the length is not a multiple of 4."""
    numbers = array("I")
    numbers.frombytes(data)
    if sys.byteorder == "big":  # pragma: no cover
        numbers.byteswap()
    return numbers
