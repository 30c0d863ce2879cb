"""The on-disk cache: compiled data that loads in milliseconds.

Each cache file is one msgpack document ``{"key": ..., "data": ...}``. The key
names everything the data was built from (errcode's version, the format, and
each source file's path, size and mtime); a different key, a corrupt file or an
unreadable one means "build again". Writes go to a temporary file in the same
folder and are renamed into place, so a concurrent reader sees the old file or
the new one, never half of one. When the folder cannot be written, the data is
simply not cached. Big files are memory-mapped (``errcli.store.files``): what a run does
not use of them is never read.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from errcli.store.files import read_mapped, write_bytes_atomic

T = TypeVar("T")
FORMAT = 2
FileKey = tuple[str, int, int]


def cache_dir(environ: dict[str, str] | None = None) -> Path | None:
    env = os.environ if environ is None else environ
    base = env.get("XDG_CACHE_HOME") or (str(Path(env["HOME"]) / ".cache") if env.get("HOME") else "")
    return Path(base) / "errcode" if base else None


def file_keys(paths: Iterable[Path]) -> list[FileKey]:
    """What a cache depends on: each file's path, size and modification time."""
    keys: list[FileKey] = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            keys.append((str(path), -1, -1))
        else:
            keys.append((str(path), stat.st_size, stat.st_mtime_ns))
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
    """Store ``value`` atomically; False when the cache folder is not writable."""
    encoder = msgspec.msgpack.Encoder()
    payload = bytearray(b"\x82\xa3key" + encoder.encode(key) + b"\xa4data")  # {"key": key, "data": …
    encoder.encode_into(value, payload, -1)  # … value}, encoded in place: big data is not copied again
    return write_bytes(name, payload)


def write_bytes(name: str, payload: bytes | bytearray) -> bool:
    """Write a cache file atomically; False when that is not possible."""
    folder = cache_dir()
    if folder is None:
        return False
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_bytes_atomic(folder / name, payload, 0o600)
    except OSError:
        return False
    return True


def info() -> dict[str, Any]:
    folder = cache_dir()
    files = []
    if folder is not None and folder.is_dir():
        files = [{"name": p.name, "bytes": p.stat().st_size} for p in sorted(folder.iterdir()) if p.is_file()]
    return {"path": str(folder) if folder else None, "files": files}


def clear() -> int:
    """Remove every cache file; returns how many were removed."""
    folder = cache_dir()
    removed = 0
    if folder is None or not folder.is_dir():
        return 0
    for path in folder.iterdir():
        if path.is_file():
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
    return removed
