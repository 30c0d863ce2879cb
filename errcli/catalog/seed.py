"""The bundled catalogs compiled ahead: what a first run puts in an empty cache instead of building it.

``data/seed/bundled.msgpack`` holds the compiled bundled catalogs and their search index, as the
cache keeps them, written by ``python tests/tables.py`` (the tests fail when it is stale). A run
that reads only the bundled catalogs and finds no cache copies them into the cache, with this
installation's paths, in milliseconds; building them takes a third of a second. The seed is used
only when it was made by this version of errcode from exactly these files (their SHA-256): an
edited catalog, another version or a damaged seed means the cache is built as before.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Any

import msgspec

from errcli._version import __version__
from errcli.catalog.discover import bundled_data

FORMAT = 1
NAME = "bundled.msgpack"
MAX_SEED_BYTES = 64 << 20


class Seed(msgspec.Struct, array_like=True, frozen=True):
    format: int
    version: str
    files: tuple[tuple[str, str], ...]  # (name, SHA-256) of each bundled catalog file, in order
    catalogs: msgspec.Raw  # the compiled catalogs (errcli.catalog._Compiled), each header's path a bare file name
    index: msgspec.Raw  # the search index (errcli.search.layout.IndexData), its key empty


def digests(files: list[Path]) -> tuple[tuple[str, str], ...]:
    return tuple((path.name, hashlib.sha256(path.read_bytes()).hexdigest()) for path in files)


def seed_for(files: list[Path]) -> Seed | None:
    """The seed, when it was made by this errcode from exactly ``files`` (the bundled catalogs)."""
    return _load(tuple(files))


@functools.cache  # read and checked once a process (the catalogs and the index both ask)
def _load(files: tuple[Path, ...]) -> Seed | None:
    folder = bundled_data("seed")
    if folder is None:
        return None
    from errcli.store.files import read_bounded

    try:
        seed = msgspec.msgpack.decode(read_bounded(folder / NAME, MAX_SEED_BYTES), type=Seed)
        same = seed.format == FORMAT and seed.version == __version__ and seed.files == digests(list(files))
    except (OSError, ValueError, msgspec.DecodeError):
        return None
    return seed if same else None


def encode(value: Any) -> msgspec.Raw:
    return msgspec.Raw(msgspec.msgpack.encode(value))
