"""The on-disk cache: compiled data that loads in milliseconds.

Each cache file is one msgpack document ``{"key": ..., "data": ...}``. The key
names everything the data was built from (errcode's version, the format, and
each source file's path, size, times and inode); a different key, a corrupt file or an
unreadable one means "build again". Writes go to a temporary file in the same
folder and are renamed into place, so a concurrent reader sees the old file or
the new one, never half of one. When the folder cannot be written, the data is
simply not cached. Big files are memory-mapped (``errcli.store.files``): what a run does
not use of them is never read.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import msgspec

from errcli.store.files import cache_folder, read_ends, read_mapped, stat_key, write_atomic

T = TypeVar("T")
FORMAT = 3
FileKey = tuple[str, int, int, int, int]  # path, size, mtime_ns, ctime_ns, inode


def cache_dir(environ: dict[str, str] | None = None) -> Path | None:
    folder = cache_folder(os.environ if environ is None else environ)
    return Path(folder) if folder else None


def file_keys(paths: Iterable[Path]) -> list[FileKey]:
    """What a cache depends on: each file's path and :func:`~errcli.store.files.stat_key`."""
    keys: list[FileKey] = []
    for path in paths:
        try:
            keys.append((str(path), *stat_key(path)))
        except OSError:
            keys.append((str(path), -1, -1, -1, -1))
    return keys


def make_key(kind: str, version: str, files: list[FileKey], extra: Any = None) -> list[Any]:
    """What a cache file was built from: its kind, errcode's ``version``, the format and the source files."""
    return [kind, version, FORMAT, files, extra]


class _Envelope(msgspec.Struct):
    key: msgspec.Raw
    data: msgspec.Raw


def read(name: str, key: list[Any], kind: type[T]) -> T | None:
    """The cached value for ``key``, or None when missing, stale or corrupt."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        raw = read_mapped(folder / name)
        envelope = msgspec.msgpack.decode(raw, type=_Envelope)
        if bytes(envelope.key) != msgspec.msgpack.encode(key):
            return None
        return msgspec.msgpack.decode(envelope.data, type=kind)
    except (OSError, msgspec.DecodeError, msgspec.ValidationError, ValueError, TypeError):
        return None


def write(name: str, key: list[Any], value: Any) -> bool:
    """Store ``value`` atomically; False when the cache folder is not writable or msgpack cannot hold it."""
    return write_with(name, key, lambda sink: sink.write(msgspec.msgpack.encode(value)))


def write_with(name: str, key: list[Any], fill: Callable[[BinaryIO], object]) -> bool:
    """Store, atomically, the value that ``fill`` writes as msgpack to a (seekable) file, part by
    part; False when the cache folder is not writable or msgpack cannot hold the value."""

    def whole(sink: BinaryIO) -> None:
        sink.write(b"\x82\xa3key" + msgspec.msgpack.encode(key) + b"\xa4data")  # {"key": key, "data": …
        fill(sink)  # … the value}

    return _atomic(name, whole)


def write_bytes(name: str, payload: bytes | bytearray) -> bool:
    """Write a cache file atomically; False when that is not possible."""
    return _atomic(name, lambda sink: sink.write(payload))


def _atomic(name: str, fill: Callable[[BinaryIO], object]) -> bool:
    """Cache file ``name`` written through a temporary file by ``fill``; False when that is not
    possible (nothing is left behind)."""
    folder = cache_dir()
    if folder is None:
        return False
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomic(folder / name, fill, 0o600)
    except (OSError, OverflowError, msgspec.EncodeError, TypeError, ValueError):  # a number past 64 bits, say
        return False
    return True


def writable() -> bool:
    """Whether the cache folder can be written (so that working out what to write is worth it)."""
    folder = cache_dir()
    return folder is not None and os.access(folder, os.W_OK)


def is_whole(name: str, head: bytes, tail: bytes) -> bool:
    """Whether cache file ``name`` is there and starts with ``head`` and ends with ``tail``: a cheap
    sign that it was written whole, reading only its ends."""
    folder = cache_dir()
    if folder is None:
        return False
    try:
        return read_ends(folder / name, len(head), len(tail)) == (head, tail)
    except OSError:
        return False


def info() -> dict[str, Any]:
    """The cache folder and its files; ``problems`` (only when there are some) says what could not be read."""
    folder = cache_dir()
    files: list[dict[str, Any]] = []
    problems: list[str] = []
    for path in _files(folder, problems):
        try:
            files.append({"name": path.name, "bytes": path.stat().st_size})
        except OSError as exc:
            problems.append(f"{path}: cannot read: {exc.strerror or exc}")
    found: dict[str, Any] = {"path": str(folder) if folder else None, "files": files}
    if problems:
        found["problems"] = problems
    return found


def clear() -> int:
    """Remove every cache file; returns how many were removed (``info`` says what could not be read)."""
    removed = 0
    for path in _files(cache_dir(), []):
        with contextlib.suppress(OSError):
            path.unlink()
            removed += 1
    return removed


def _files(folder: Path | None, problems: list[str]) -> list[Path]:
    """The regular files in the cache folder, sorted; an unreadable folder adds to ``problems``."""
    if folder is None:
        return []
    try:
        return sorted(p for p in folder.iterdir() if p.is_file())
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:
        problems.append(f"{exc.filename or folder}: cannot read: {exc.strerror or exc}")
        return []
