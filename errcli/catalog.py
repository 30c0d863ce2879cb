"""Load and validate catalog files: bundled, user and ad-hoc.

Only safe YAML is read (no tags that build objects, no anchors/aliases), and
every problem is reported as ``file:line: field: what is expected``.

Parsed catalogs are kept compiled in the cache (``load_all``); read back from it,
a catalog's entries are decoded only as they are used (``LazyEntries``), and
lookups and list filters find them by small per-entry keys (``EntryKeys``).
"""

from __future__ import annotations

import os
import re
import sys
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast, overload

import msgspec

from errcli.model import Catalog, Entry, Severity

T = TypeVar("T")
MAX_CATALOG_BYTES = 64 * 1024 * 1024
CATALOG_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_PATH_PART = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


class CatalogError(Exception):
    """A catalog file that cannot be used, with where and why."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class LoadProblem:
    """A user catalog that was skipped, kept so ``errcode catalogs`` can show it."""

    path: str
    error: str


@dataclass(frozen=True)
class CatalogSet:
    catalogs: tuple[Catalog, ...]
    problems: tuple[LoadProblem, ...] = ()
    _keys: dict[str, EntryKeys] = field(default_factory=dict, init=False, repr=False, compare=False)

    def get(self, catalog_id: str) -> Catalog | None:
        for cat in self.catalogs:
            if cat.id == catalog_id:
                return cat
        return None

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.catalogs)

    def entries(self, only: Iterable[str] = ()) -> Iterator[Entry]:
        wanted = set(only)
        for cat in self.catalogs:
            if not wanted or cat.id in wanted:
                yield from cat.entries

    def entry_keys(self, catalog: Catalog) -> EntryKeys:
        """What ``catalog``'s entries are looked up and filtered by: from the cache, or worked out once."""
        if isinstance(catalog.entries, LazyEntries):
            return catalog.entries.keys
        found = self._keys.get(catalog.id)
        if found is None:
            found = self._keys[catalog.id] = EntryKeys.of(catalog.entries)
        return found


_KEY_COLUMNS = 7


class EntryKeys:
    """Per-entry values that lookups and list filters select by; item i of each column is entry i's.

    Selecting by these, a lookup decodes only the entries it found (see ``LazyEntries``). From the
    cache, a column is decoded when it is first used: a number lookup reads two columns of numbers.
    """

    def __init__(self, columns: Sequence[tuple[Any, ...] | memoryview]) -> None:
        self._columns: list[Any] = list(columns)  # decoded, or still msgpack (from the cache)

    @classmethod
    def of(cls, entries: Iterable[Entry]) -> EntryKeys:
        from errcli.lookup import fold_symbol

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
        return cls(list(zip(*rows, strict=True)) if rows else [()] * _KEY_COLUMNS)

    def stored(self) -> tuple[bytes | memoryview, ...]:
        """The columns as the cache keeps them, each its own msgpack document."""
        return tuple(c if isinstance(c, memoryview) else msgspec.msgpack.encode(c) for c in self._columns)

    def _column(self, i: int, kind: type[T]) -> T:
        column = self._columns[i]
        if isinstance(column, memoryview):
            column = self._columns[i] = msgspec.msgpack.decode(column, type=kind)
        return cast(T, column)

    @property
    def numbers(self) -> tuple[int | None, ...]:
        """The code as a number (1001, "1001"); None for other codes."""
        return self._column(0, tuple[int | None, ...])

    @property
    def symbols(self) -> tuple[str | None, ...]:
        """The folded symbol (INSUFFICIENT_BALANCE)."""
        return self._column(1, tuple[str | None, ...])

    @property
    def code_names(self) -> tuple[str | None, ...]:
        """The folded code when it is text (RATE_LIMITED)."""
        return self._column(2, tuple[str | None, ...])

    @property
    def statuses(self) -> tuple[int | None, ...]:
        return self._column(3, tuple[int | None, ...])

    @property
    def categories(self) -> tuple[str | None, ...]:
        return self._column(4, tuple[str | None, ...])

    @property
    def severities(self) -> tuple[str | None, ...]:
        return self._column(5, tuple[str | None, ...])

    @property
    def retryable(self) -> tuple[bool | None, ...]:
        return self._column(6, tuple[bool | None, ...])


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


# --- where catalogs live --------------------------------------------------------


def bundled_dir() -> Path:
    """The bundled catalogs: inside the installed package, or the source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "data" / "catalogs", here.parent / "data" / "catalogs"):
        if candidate.is_dir():
            return candidate
    raise CatalogError(str(here / "data" / "catalogs"), None, "bundled catalogs are missing; reinstall errcode")


def user_paths(extra: Iterable[str] = (), environ: dict[str, str] | None = None) -> list[Path]:
    """User catalog files and folders, in priority order (later overrides earlier)."""
    env = os.environ if environ is None else environ
    paths: list[Path] = []
    config_home = env.get("XDG_CONFIG_HOME") or (str(Path(env["HOME"]) / ".config") if env.get("HOME") else "")
    if config_home:
        default = Path(config_home) / "errcode" / "catalogs"
        if default.is_dir():
            paths.append(default)
    paths.extend(Path(p) for p in env.get("ERRCODE_PATH", "").split(os.pathsep) if p)
    paths.extend(Path(p) for p in extra if p)
    return paths


def catalog_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    return [path]


# --- YAML with line numbers -------------------------------------------------------


def _yaml_nodes(text: str) -> Any:
    """The node tree, which knows line numbers; only built for text _load_plain already accepted."""
    import yaml

    return yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _line_of(root: Any, dotted: str) -> int:
    """The line of the node at a msgspec error path like ``$.entries[3].title``."""
    import yaml

    node = root
    for key, index in _PATH_PART.findall(dotted):
        if key and isinstance(node, yaml.MappingNode):
            found = next((v for k, v in node.value if k.value == key), None)
            if found is None:
                break
            node = found
        elif index and isinstance(node, yaml.SequenceNode) and int(index) < len(node.value):
            node = node.value[int(index)]
        else:
            break
    return int(node.start_mark.line) + 1


def _explain_validation(message: str) -> tuple[str, str]:
    """Split msgspec's ``what - at `$.path``` into a readable message and the path."""
    what, _, where = message.partition(" - at `")
    where = where.rstrip("`")
    field = where.removeprefix("$").lstrip(".") or "(top level)"
    what = what.replace("Object missing required field", "missing required field")
    what = what.replace("Object contains unknown field", "unknown field")
    what = what.replace("Expected `object`", "expected a mapping")
    what = what.replace("Expected `array`", "expected a list")
    if "Invalid enum value" in what and field.endswith("severity"):
        what += " (expected one of: info, warning, critical)"
    return f"{field}: {what}", where


# --- loading ----------------------------------------------------------------------------


def parse_catalog(text: str, path: str) -> Catalog:
    """Validate one catalog's text; raise CatalogError naming the line and field.

    The text is read as a stream of YAML events straight into Python values, which
    keeps memory to the data itself even for 100 000 entries; the node tree that
    knows line numbers is built only to report an error.
    """
    data = _load_plain(text, path)
    if data is None:
        raise CatalogError(path, 1, "the file is empty; expected a catalog mapping with `id` and `entries`")
    if not isinstance(data, dict):
        raise CatalogError(path, 1, "expected a mapping with `id` and `entries` at the top level")
    nodes: list[Any] = []

    def line_of(where: str) -> int:
        if not nodes:
            nodes.append(_yaml_nodes(text))
        return _line_of(nodes[0], where)

    try:
        catalog = msgspec.convert(data, Catalog, strict=True)
    except msgspec.ValidationError as exc:
        message, where = _explain_validation(str(exc))
        raise CatalogError(path, line_of(where), message) from None
    return _finish(catalog, line_of, path)


class _Mapping:
    """A mapping being read: its values so far and the key waiting for a value."""

    __slots__ = ("data", "key")

    def __init__(self) -> None:
        self.data: dict[Any, Any] = {}
        self.key: Any = _NO_KEY


def _load_plain(text: str, path: str) -> Any:
    """Plain YAML (mappings, lists, scalars) from parser events; tags and aliases are refused."""
    import yaml

    loader_cls: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    scalar = _scalar_reader()
    stack: list[_Mapping | list[Any]] = []
    root: list[Any] = []

    def add(value: Any, line: int) -> None:
        top = stack[-1] if stack else root
        if not isinstance(top, _Mapping):
            top.append(value)
        elif top.key is not _NO_KEY:
            top.data[top.key] = value
            top.key = _NO_KEY
        elif isinstance(value, (dict, list)):
            raise CatalogError(path, line, "mapping keys must be plain values")
        else:
            top.key = value

    try:
        events: Iterator[Any] = yaml.parse(text, Loader=loader_cls)
        for event in events:
            kind = type(event)
            if kind is yaml.AliasEvent:
                raise CatalogError(path, event.start_mark.line + 1, "anchors and aliases (`&`, `*`) are not allowed")
            tag = getattr(event, "tag", None)
            if tag is not None and tag != "!":
                raise CatalogError(path, event.start_mark.line + 1, f"tag `{tag}` is not allowed; write plain values")
            if kind is yaml.ScalarEvent:
                add(scalar(event), event.start_mark.line + 1)
            elif kind is yaml.MappingStartEvent:
                stack.append(_Mapping())
            elif kind is yaml.SequenceStartEvent:
                stack.append([])
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                done = stack.pop()
                add(done.data if isinstance(done, _Mapping) else done, event.start_mark.line + 1)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise CatalogError(path, mark.line + 1 if mark else None, f"not valid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise CatalogError(path, None, f"not valid YAML: {exc}") from None
    except TypeError:  # an unhashable key such as a list
        raise CatalogError(path, None, "mapping keys must be plain values") from None
    if len(root) > 1:
        raise CatalogError(path, None, "one YAML document per catalog file, please")
    return root[0] if root else None


def _scalar_reader() -> Callable[[Any], Any]:
    """A plain scalar's value by YAML 1.1's rules (as PyYAML's safe loader reads it)."""
    import yaml

    resolver: Any = yaml.resolver.Resolver()
    constructor = yaml.constructor.SafeConstructor()

    def read(event: Any) -> Any:
        if event.style:  # quoted or block scalars are strings
            return event.value
        tag = resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == "tag:yaml.org,2002:str":
            return event.value
        return constructor.construct_object(yaml.ScalarNode(tag, event.value))

    return read


_NO_KEY = object()


def _finish(catalog: Catalog, line_of: Callable[[str], int], path: str) -> Catalog:
    if not CATALOG_ID.match(catalog.id):
        raise CatalogError(path, line_of("$.id"), f"id: {catalog.id!r} must match [a-z0-9][a-z0-9_-]*")
    category_ids = [c.id for c in catalog.categories]
    for i, cat in enumerate(catalog.categories):
        if category_ids.index(cat.id) != i:
            raise CatalogError(path, line_of(f"$.categories[{i}]"), f"categories: duplicate id {cat.id!r}")
    seen: dict[int | str, int] = {}
    entries: list[Entry] = []
    for i, entry in enumerate(catalog.entries):
        if entry.code in seen:  # lines are looked up only now: finding them costs a second parse
            first = line_of(f"$.entries[{seen[entry.code]}]")
            raise CatalogError(
                path,
                line_of(f"$.entries[{i}]"),
                f"entries[{i}].code: duplicate code {entry.code!r} (first defined at line {first})",
            )
        seen[entry.code] = i
        if isinstance(entry.code, str) and not entry.code.strip():
            raise CatalogError(path, line_of(f"$.entries[{i}]"), f"entries[{i}].code: must not be empty")
        if not (entry.title.zh or entry.title.en):
            raise CatalogError(path, line_of(f"$.entries[{i}]"), f"entries[{i}].title: needs text in zh or en")
        if entry.category is not None and category_ids and entry.category not in category_ids:
            raise CatalogError(
                path,
                line_of(f"$.entries[{i}].category"),
                f"entries[{i}].category: unknown category {entry.category!r}; "
                f"expected one of {', '.join(category_ids)}",
            )
        if entry.http_status is not None and not 100 <= entry.http_status <= 599:
            raise CatalogError(
                path,
                line_of(f"$.entries[{i}]"),
                f"entries[{i}].http_status: {entry.http_status} is not an HTTP status (100-599)",
            )
        entries.append(_derive(entry, catalog.id))
    return msgspec.structs.replace(catalog, entries=tuple(entries), path=path)


def derived_severity(entry: Entry) -> Severity:
    """The default rule for catalogs that do not state a severity."""
    status = (
        entry.http_status if entry.http_status is not None else (entry.code if isinstance(entry.code, int) else None)
    )
    if (status is not None and 100 <= status < 400) or entry.code == 0:
        return "info"
    if status is not None and status >= 500:
        return "critical"
    return "warning"


def derived_retryable(entry: Entry) -> bool:
    """The default rule: only rate limits and transient server faults are worth retrying."""
    status = entry.http_status
    return entry.retry_after is not None or status in (408, 425, 429, 502, 503, 504)


def _derive(entry: Entry, catalog_id: str) -> Entry:
    changes: dict[str, Any] = {"catalog": catalog_id}
    if entry.severity is None:
        changes.update(severity=derived_severity(entry), severity_source="derived")
    if entry.retryable is None:
        changes.update(retryable=derived_retryable(entry), retryable_source="derived")
    return msgspec.structs.replace(entry, **changes)


def load_file(path: Path) -> Catalog:
    shown = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_CATALOG_BYTES:
            raise CatalogError(shown, None, f"file is {size} bytes; catalogs are limited to {MAX_CATALOG_BYTES} bytes")
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogError(shown, None, f"cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CatalogError(shown, line, "not UTF-8 text") from None
    return parse_catalog(text, shown)


class _Stored(msgspec.Struct, array_like=True, frozen=True):
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
    def of(cls, catalog: Catalog, keys: EntryKeys) -> _Stored:
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
        offsets = array("I")
        offsets.frombytes(self.offsets)  # ValueError when its length is not a multiple of 4
        if sys.byteorder == "big":  # pragma: no cover
            offsets.byteswap()
        if not offsets or offsets[-1] != len(self.entries) or len(self.keys) != _KEY_COLUMNS:
            raise ValueError("damaged catalog cache")
        entries = LazyEntries(self.entries, offsets, EntryKeys(self.keys))
        # Catalog.entries is declared a tuple; LazyEntries reads like one (len, [i], [a:b], iteration, ==)
        return msgspec.structs.replace(self.header, entries=cast("tuple[Entry, ...]", entries))


def _array_header(length: int) -> bytes:
    if length < 16:
        return bytes([0x90 | length])
    if length < 1 << 16:
        return b"\xdc" + length.to_bytes(2, "big")
    return b"\xdd" + length.to_bytes(4, "big")


class _Compiled(msgspec.Struct, frozen=True):
    catalogs: tuple[_Stored, ...]
    problems: tuple[LoadProblem, ...]


def load_all(
    extra_paths: Iterable[str] = (), environ: dict[str, str] | None = None, use_cache: bool = True
) -> CatalogSet:
    """Bundled catalogs, then user catalogs; a broken user file is reported, not fatal.

    The parsed result is cached (see errcli.cache) and reused until a file changes; from
    the cache, each catalog's entries are decoded only as they are used.
    """
    from errcli import cache

    bundled = catalog_files(bundled_dir())
    bases = user_paths(extra_paths, environ)
    user_files = [(base, catalog_files(base) if base.exists() else []) for base in bases]
    sources = bundled + [p for _, files in user_files for p in files]
    key = cache.make_key("catalogs", cache.file_keys(sources), [str(b) for b in bases])
    name = f"catalogs-{zlib.crc32(repr(key[-1]).encode()):08x}.msgpack"
    if use_cache and (compiled := cache.read(name, key, _Compiled)) is not None:
        try:
            return CatalogSet(tuple(stored.catalog() for stored in compiled.catalogs), compiled.problems)
        except ValueError:
            pass  # damaged: parsed again and rewritten below
    by_id: dict[str, Catalog] = {}
    for path in bundled:
        catalog = load_file(path)
        by_id[catalog.id] = catalog
    problems: list[LoadProblem] = []
    for base, files in user_files:
        if not base.exists():
            problems.append(LoadProblem(str(base), "no such file or folder"))
        for path in files:
            try:
                catalog = load_file(path)
            except CatalogError as exc:
                problems.append(LoadProblem(str(path), str(exc)))
                continue
            by_id[catalog.id] = catalog
    result = CatalogSet(tuple(by_id.values()), tuple(problems))
    if use_cache:
        stored = tuple(_Stored.of(c, result.entry_keys(c)) for c in result.catalogs)
        if cache.write(name, key, _Compiled(stored, result.problems)):
            cache.write_bytes(COMPLETION_FILE, completion_data(result, key[3]))
    return result


COMPLETION_FILE = "completion.json"


def completion_data(cs: CatalogSet, files: list[Any]) -> bytes:
    """What TAB completion needs, as small JSON that loads without msgspec (see errcli.complete)."""
    entries = [[e.catalog, e.code, e.title.zh or "", e.title.en or ""] for e in cs.entries()]
    return msgspec.json.encode({"files": files, "catalogs": list(cs.ids), "entries": entries})
