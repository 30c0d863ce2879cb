"""Catalogs: bundled and user catalog files, validated, and kept compiled for the next run.

``load_all`` gives every catalog a run uses. Parsed catalogs are kept compiled in the cache;
read back from it, a catalog's entries are decoded only as they are used (``LazyEntries``), and
lookups and list filters find them by small per-entry keys (``EntryKeys``). A warm run imports
no YAML and no validation: those are loaded only when a file is really parsed.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import msgspec

from errcli._gc import collector_paused
from errcli._version import __version__
from errcli.catalog.compiled import EntryKeys, LazyEntries, Recover, StoredCatalog, write_stored
from errcli.catalog.discover import bundled_dir, catalog_files, exists, require_paths, user_paths
from errcli.errors import CatalogError
from errcli.model import Catalog, Entry
from errcli.store.files import COMPLETION_FILE, COMPLETION_HEAD, COMPLETION_TAIL

if TYPE_CHECKING:
    from errcli.catalog.loader import MAX_CATALOG_BYTES
    from errcli.catalog.rules import derived_retryable, derived_severity, http_status_of, status_severity
    from errcli.catalog.validate import CATALOG_ID, check_files, load_file, parse_catalog

__all__ = [
    "CATALOG_ID",
    "COMPLETION_FILE",
    "MAX_CATALOG_BYTES",
    "CatalogError",
    "CatalogSet",
    "EntryKeys",
    "LazyEntries",
    "LoadProblem",
    "bundled_dir",
    "catalog_files",
    "check_files",
    "completion_data",
    "derived_retryable",
    "derived_severity",
    "http_status_of",
    "load_all",
    "load_file",
    "parse_catalog",
    "status_severity",
    "user_paths",
]

# what only parsing a catalog file needs, imported when first used
_LAZY = {
    "MAX_CATALOG_BYTES": "loader",
    "derived_retryable": "rules",
    "derived_severity": "rules",
    "http_status_of": "rules",
    "status_severity": "rules",
    "CATALOG_ID": "validate",
    "check_files": "validate",
    "load_file": "validate",
    "parse_catalog": "validate",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


class LoadProblem(msgspec.Struct, frozen=True):
    """A user catalog that was skipped, kept so ``errcode catalogs`` can show it."""

    path: str
    error: str


@dataclass(frozen=True)
class CatalogSet:
    """The catalogs of a run, in priority order, and the user catalogs that were skipped."""

    catalogs: tuple[Catalog, ...]
    problems: tuple[LoadProblem, ...] = ()
    _keys: dict[str, EntryKeys] = field(default_factory=dict, init=False, repr=False, compare=False)

    def get(self, catalog_id: str) -> Catalog | None:
        return next((cat for cat in self.catalogs if cat.id == catalog_id), None)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.catalogs)

    def entries(self, only: Iterable[str] = ()) -> Iterator[Entry]:
        wanted = set(only)
        for cat in self.catalogs:
            if not wanted or cat.id in wanted:
                yield from cat.entries

    def numbered(self, start: int = 0) -> Iterator[tuple[int, Entry, Catalog]]:
        """Every entry from number ``start`` on (numbered across the catalogs, in order), with its
        number and catalog; from the cache, each is decoded as it is reached and not kept (a
        pass over a big catalog, such as building its index, never holds all of them)."""
        number = 0
        for catalog in self.catalogs:
            count = len(catalog.entries)
            if number + count > start:
                skip = max(0, start - number)
                entries = catalog.entries
                found = entries.each(skip) if isinstance(entries, LazyEntries) else islice(entries, skip, None)
                for at, entry in enumerate(found, number + skip):
                    yield at, entry, catalog
            number += count

    def entry_keys(self, catalog: Catalog) -> EntryKeys:
        """What ``catalog``'s entries are looked up and filtered by: from the cache, or worked out once."""
        if isinstance(catalog.entries, LazyEntries):
            return catalog.entries.keys
        found = self._keys.get(catalog.id)
        if found is None:
            found = self._keys[catalog.id] = EntryKeys.of(catalog.entries)
        return found


class _Compiled(msgspec.Struct, frozen=True):
    catalogs: tuple[StoredCatalog, ...]
    problems: tuple[LoadProblem, ...]
    check: int  # CRC-32 of the problems, as msgpack


def _problems_sum(problems: tuple[LoadProblem, ...]) -> int:
    return zlib.crc32(msgspec.msgpack.encode(problems))


_Sources = tuple[list[Path], list[tuple[Path, list[Path]]]]  # the bundled files; each user path and its files


def load_all(
    extra_paths: Iterable[str] = (),
    environ: dict[str, str] | None = None,
    use_cache: bool = True,
    *,
    strict: bool = False,
) -> CatalogSet:
    """Bundled catalogs, then user catalogs; a broken user file is reported, not fatal.

    With ``strict`` (``--catalog-path``), a path in ``extra_paths`` that does not exist, or a
    file there that does not load, is an error (UsageError, CatalogError) instead; files found in
    a folder, through ``ERRCODE_PATH`` or in the user folder stay reported problems.

    The parsed result is cached (see errcli.store.cache) and reused until a file changes; from
    the cache, each catalog's entries are decoded only as they are used. A damaged cache is
    parsed again and rewritten, whether found at once or only when an entry is decoded.
    """
    from errcli.store import cache

    extra = [p for p in extra_paths if p]
    if strict:
        require_paths(extra)
    bundled = catalog_files(bundled_dir())
    bases = user_paths(extra, environ)
    sources: _Sources = (bundled, [(base, catalog_files(base) if exists(base) else []) for base in bases])
    files = bundled + [p for _, found in sources[1] for p in found]
    key = cache.make_key("catalogs", __version__, cache.file_keys(files), [str(b) for b in bases])
    name = f"catalogs-{zlib.crc32(repr(key[-1]).encode()):08x}.msgpack"
    built: list[CatalogSet] = []
    compile_ = partial(_compile, name, key, sources, use_cache=use_cache, plain=not extra, environ=environ)

    def rebuild() -> CatalogSet:  # the files parsed: once a run, however many catalogs turn out damaged
        if not built:
            built.append(compile_()[0])
        return built[0]

    found = _read_compiled(name, key, rebuild) if use_cache else None
    if found is None and use_cache and not bases and _seeded(name, key, bundled):
        found = _read_compiled(name, key, rebuild)
    if found is None:
        parsed, written = compile_()
        if written and sum(len(c.entries) for c in parsed.catalogs) >= LAZY_MIN:
            del parsed  # many entries: let go, and read back as the cache holds them (parsed again should that fail)
            found = _read_compiled(name, key, rebuild) or rebuild()
        else:
            found = parsed
            built.append(parsed)
    elif not extra and not _completion_written() and cache.writable():  # deleted or damaged since
        cache.write_bytes(COMPLETION_FILE, completion_data(found, key[3]))
    if strict:
        _check_named_files(extra, found.problems)
    return found


LAZY_MIN = 20_000  # entries from which a fresh parse, once written, is let go and read back from the cache


def _compile(
    name: str, key: list[Any], sources: _Sources, *, use_cache: bool, plain: bool, environ: dict[str, str] | None
) -> tuple[CatalogSet, bool]:
    """The catalog files parsed, and whether they were written to the cache as ``name``."""
    from errcli.store import cache

    with collector_paused():  # (a parse, and its compiled form, are many small objects without cycles)
        found = _parse(*sources)
        written = use_cache and cache.write_with(name, key, partial(_write_compiled, found))
    if written:
        # TAB completion offers what a plain run loads: a one-off run's catalogs (--catalog-path)
        # are never written there, but it makes sure a plain run's are
        if plain:
            cache.write_bytes(COMPLETION_FILE, completion_data(found, key[3]))
        elif not _completion_written():
            load_all(environ=environ)
    return found, written


def _write_compiled(cs: CatalogSet, sink: BinaryIO) -> None:
    """The msgpack of ``cs`` compiled (a :class:`_Compiled`), written catalog by catalog and
    entry by entry (compiled.write_stored): a big catalog is never held compiled in memory."""
    from errcli.store.framing import array_header, map_header  # (only a cache write needs it)

    catalogs, problems, check = _Compiled.__struct_fields__  # a struct is a map of its fields
    encode = msgspec.msgpack.encode
    sink.write(map_header(len(_Compiled.__struct_fields__)) + encode(catalogs) + array_header(len(cs.catalogs)))
    for catalog in cs.catalogs:
        write_stored(sink, catalog, cs.entry_keys(catalog))
    sink.write(encode(problems) + encode(cs.problems) + encode(check) + encode(_problems_sum(cs.problems)))


def _seeded(name: str, key: list[Any], bundled: list[Path]) -> bool:
    """The compiled bundled catalogs of the seed (errcli.catalog.seed) written to the cache as ``name``,
    with their paths here; False when there is no seed for these files (or the cache cannot be written)."""
    from errcli.catalog.seed import seed_for
    from errcli.store import cache

    seed = seed_for(bundled)
    if seed is None:
        return False
    try:
        compiled = msgspec.msgpack.decode(seed.catalogs, type=_Compiled)
    except (msgspec.DecodeError, ValueError):
        return False
    by_name = {path.name: str(path) for path in bundled}
    moved = tuple(stored.moved(by_name.get(stored.header.path, "")) for stored in compiled.catalogs)
    return cache.write(name, key, msgspec.structs.replace(compiled, catalogs=moved))


def seed_catalogs(bundled: list[Path]) -> tuple[CatalogSet, _Compiled]:
    """The bundled catalogs compiled for the seed: parsed from ``bundled``, each path a bare file name."""
    found = _parse(bundled, [])
    stored = tuple(StoredCatalog.of(c, found.entry_keys(c)).moved(Path(c.path).name) for c in found.catalogs)
    return found, _Compiled(stored, (), _problems_sum(()))


def _read_compiled(name: str, key: list[Any], rebuild: Callable[[], CatalogSet]) -> CatalogSet | None:
    """The catalogs compiled for ``key``; None when there are none or they are damaged. A damaged
    entry found later, when it is decoded, calls ``rebuild`` for the catalogs parsed again."""
    from errcli.store import cache

    compiled = cache.read(name, key, _Compiled)
    if compiled is None or _problems_sum(compiled.problems) != compiled.check:
        return None
    try:
        catalogs = tuple(stored.catalog(_recover(stored.header, rebuild)) for stored in compiled.catalogs)
    except ValueError:  # damaged: parsed again and rewritten
        return None
    return CatalogSet(catalogs, compiled.problems)


def _recover(header: Catalog, rebuild: Callable[[], CatalogSet]) -> Recover:
    """The entries of the catalog ``header`` heads, parsed again (and the cache rewritten)."""

    def entries() -> Sequence[Entry]:
        fresh = next((c for c in rebuild().catalogs if (c.id, c.path) == (header.id, header.path)), None)
        if fresh is None:  # its file changed while this run read it
            from errcli.catalog.validate import load_file

            return load_file(Path(header.path)).entries
        return fresh.entries

    return entries


def _parse(bundled: Sequence[Path], user_files: Sequence[tuple[Path, Sequence[Path]]]) -> CatalogSet:
    """The catalog files parsed; a later catalog with the same id replaces an earlier one."""
    from errcli.catalog.validate import load_file

    by_id = {catalog.id: catalog for catalog in map(load_file, bundled)}
    problems: list[LoadProblem] = []
    for base, files in user_files:
        if not exists(base):
            problems.append(LoadProblem(str(base), f"{base}: no such file or folder"))
        for path in files:
            try:
                catalog = load_file(path)
            except CatalogError as exc:
                problems.append(LoadProblem(str(path), str(exc)))
            else:
                by_id[catalog.id] = catalog
    return CatalogSet(tuple(by_id.values()), tuple(problems))


def _check_named_files(paths: Sequence[str], problems: Sequence[LoadProblem]) -> None:
    """A catalog file (or unreadable folder) named on the command line that did not load: its error, raised."""
    broken = {p.path for p in problems}
    for path in paths:
        if str(Path(path)) in broken:
            from errcli.catalog.validate import load_file

            load_file(Path(path))  # raises the file's CatalogError (cached problems keep only its text)


def _completion_written() -> bool:
    """Whether the completion data is there and whole (as ``completion_data`` begins and ends)."""
    from errcli.store import cache

    return cache.is_whole(COMPLETION_FILE, COMPLETION_HEAD, COMPLETION_TAIL)


def completion_data(cs: CatalogSet, files: list[Any]) -> bytes:
    """What TAB completion needs, in marshal (it loads in microseconds, without json or msgspec:
    see errcli.cli.complete), between :data:`COMPLETION_HEAD` and :data:`COMPLETION_TAIL`."""
    import marshal

    entries = [[e.catalog, e.code, e.title.zh or "", e.title.en or ""] for e in cs.entries()]
    data = {"files": [list(f) for f in files], "catalogs": list(cs.ids), "entries": entries}
    return COMPLETION_HEAD + marshal.dumps(data) + COMPLETION_TAIL
