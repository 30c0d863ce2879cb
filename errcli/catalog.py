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
from typing import Any, TypeVar, cast, get_args, get_origin, overload

import msgspec

from errcli._text import fold_symbol
from errcli.errors import CatalogError
from errcli.model import Catalog, Code, Entry, Severity

T = TypeVar("T")
MAX_CATALOG_BYTES = 64 * 1024 * 1024
CATALOG_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_PATH_PART = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")
_UNKNOWN_FIELD = re.compile(r"^Object contains unknown field `(.*)` - at `")


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
        try:
            return sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
        except OSError:  # an unreadable folder: loading it says why
            return [path]
    return [path]


# --- YAML with line numbers -------------------------------------------------------


def _yaml_nodes(text: str) -> Any:
    """The node tree, which knows line numbers; only built for text _load_plain already accepted."""
    import yaml

    return yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _line_of(root: Any, dotted: str, key: str | None = None) -> int:
    """The line of the node at a msgspec error path like ``$.entries[3].title``; with ``key``,
    the line of that key in the mapping there (an unknown field)."""
    import yaml

    node = root
    for name, index in _PATH_PART.findall(dotted):
        if name and isinstance(node, yaml.MappingNode):
            found = next((v for k, v in node.value if k.value == name), None)
            if found is None:
                break
            node = found
        elif index and isinstance(node, yaml.SequenceNode) and int(index) < len(node.value):
            node = node.value[int(index)]
        else:
            break
    if key is not None and isinstance(node, yaml.MappingNode):
        node = next((k for k, _ in node.value if str(k.value) == key), node)
    return int(node.start_mark.line) + 1


_TYPE_WORDS = {
    "bool": "true or false",
    "int": "a whole number",
    "str": "text",
    "int | str": "a number or text",
}
_TYPE_WORDS.update({f"{k} | null": v for k, v in list(_TYPE_WORDS.items())})
_EXPECTED = re.compile(r"Expected `(" + "|".join(map(re.escape, sorted(_TYPE_WORDS, key=len, reverse=True))) + r")`")


def _explain_validation(message: str) -> tuple[str, str]:
    """Split msgspec's ``what - at `$.path``` into a readable message and the path."""
    what, _, where = message.partition(" - at `")
    where = where.rstrip("`")
    field = where.removeprefix("$").lstrip(".") or "(top level)"
    what = what.replace("Object missing required field", "missing required field")
    what = what.replace("Object contains unknown field", "unknown field")
    what = what.replace("Expected `object`", "expected a mapping")
    what = what.replace("Expected `array`", "expected a list")
    what = _EXPECTED.sub(lambda m: f"expected {_TYPE_WORDS[m.group(1)]}", what)
    if "Invalid enum value" in what and field.endswith("severity"):
        what += " (expected one of: info, warning, critical)"
    return f"{field}: {what}", where


# --- loading ----------------------------------------------------------------------------


def parse_catalog(text: str, path: str) -> Catalog:
    """Validate one catalog's text; raise CatalogError naming the line and field.

    Every problem of the file is found (``CatalogError.problems``), first by line; only text
    that is no YAML at all stops at the first. The text is read as a stream of YAML events
    straight into Python values, which keeps memory to the data itself even for 100 000
    entries; the node tree that knows line numbers is built only to report an error.
    """
    data = _load_plain(text, path)
    if data is None:
        raise CatalogError(path, 1, "the file is empty; expected a catalog mapping with `id` and `entries`")
    if not isinstance(data, dict):
        raise CatalogError(path, 1, "expected a mapping with `id` and `entries` at the top level")
    nodes: list[Any] = []

    def line_of(where: str, key: str | None = None) -> int:
        if not nodes:
            nodes.append(_yaml_nodes(text))
        return _line_of(nodes[0], where, key)

    try:
        catalog: Catalog | None = msgspec.convert(data, Catalog, strict=True)
    except msgspec.ValidationError:
        catalog = None
    catalog_id: object
    category_ids: list[str | None]
    found: list[str] = []
    if catalog is not None:
        catalog_id, category_ids = catalog.id, [c.id for c in catalog.categories]
        entries = list(enumerate(catalog.entries))
        codes: list[tuple[int, Code]] = [(i, e.code) for i, e in entries]
    else:  # look at every part, to report each problem
        entries, codes, found = _convert_parts(data)
        catalog_id, category_ids = data.get("id"), _raw_category_ids(data.get("categories"))
    errors = [_validation_error(message, path, line_of) for message in found]
    errors += _check(catalog_id, category_ids, entries, codes, line_of, path)
    if catalog is not None and not errors:
        return _finish(catalog, path)
    first, *rest = sorted(errors, key=lambda e: e.line or 0) or [CatalogError(path, None, "not a valid catalog")]
    raise CatalogError(first.path, first.line, first.message, rest)


def _validation_error(message: str, path: str, line_of: Callable[[str, str | None], int]) -> CatalogError:
    """A msgspec message (``what - at `$.path```) as the file's problem at its line."""
    text, where = _explain_validation(message)
    unknown = _UNKNOWN_FIELD.match(message)
    return CatalogError(path, line_of(where, unknown.group(1) if unknown else None), text)


def _rebase(message: str, where: str) -> str:
    """A msgspec message about a part of the file, with the path from the top of the file."""
    what, sep, rest = message.partition(" - at `$")
    return f"{what} - at `{where}{rest}" if sep else f"{message} - at `{where}`"


def _all_problems(value: Any, kind: Any, where: str) -> tuple[Any, list[str]]:
    """``value`` as ``kind``, or None and every problem (msgspec messages): a struct's fields
    and a list's items are checked one by one, where msgspec alone stops at the first."""
    try:
        return msgspec.convert(value, kind, strict=True), []
    except msgspec.ValidationError as exc:
        first = _rebase(str(exc), where)
    found: list[str] = []
    if isinstance(kind, type) and issubclass(kind, msgspec.Struct) and isinstance(value, dict):
        fields = {f.encode_name: f for f in msgspec.structs.fields(kind)}
        found += [f"Object contains unknown field `{key}` - at `{where}`" for key in value if key not in fields]
        for name, info in fields.items():
            if name in value:
                found += _all_problems(value[name], info.type, f"{where}.{name}")[1]
            elif info.required:
                found.append(f"Object missing required field `{name}` - at `{where}`")
    elif get_origin(kind) is tuple and get_args(kind)[1:] == (Ellipsis,) and isinstance(value, list):
        for i, item in enumerate(value):
            found += _all_problems(item, get_args(kind)[0], f"{where}[{i}]")[1]
    return None, found or [first]


def _convert_parts(data: dict[Any, Any]) -> tuple[list[tuple[int, Entry]], list[tuple[int, Code]], list[str]]:
    """The header and each entry converted on their own: the valid entries, every code, every problem."""
    raw_entries = data.get("entries")
    listed = isinstance(raw_entries, list)
    _, found = _all_problems({**data, "entries": []} if listed else data, Catalog, "$")
    entries: list[tuple[int, Entry]] = []
    codes: list[tuple[int, Code]] = []
    for i, raw in enumerate(raw_entries if isinstance(raw_entries, list) else []):
        entry, problems = _all_problems(raw, Entry, f"$.entries[{i}]")
        found += problems
        if entry is not None:
            entries.append((i, entry))
        code = raw.get("code") if isinstance(raw, dict) else None
        if isinstance(code, (int, str)) and not isinstance(code, bool):
            codes.append((i, code))
    return entries, codes, found


def _raw_category_ids(categories: Any) -> list[str | None]:
    """The categories' ids as written (None where there is none), for a header that did not convert."""
    if not isinstance(categories, list):
        return []
    return [c.get("id") if isinstance(c, dict) and isinstance(c.get("id"), str) else None for c in categories]


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


def _check(
    catalog_id: object,
    category_ids: Sequence[str | None],
    entries: Sequence[tuple[int, Entry]],
    codes: Sequence[tuple[int, Code]],
    line_of: Callable[[str], int],
    path: str,
) -> list[CatalogError]:
    """What the schema cannot say: ids, duplicates, known categories, HTTP status ranges.

    Lines are looked up only for a problem: finding them costs a second parse.
    """
    errors: list[CatalogError] = []
    if isinstance(catalog_id, str) and not CATALOG_ID.match(catalog_id):
        errors.append(CatalogError(path, line_of("$.id"), f"id: {catalog_id!r} must match [a-z0-9][a-z0-9_-]*"))
    for i, cat_id in enumerate(category_ids):
        if cat_id is not None and category_ids.index(cat_id) != i:
            errors.append(CatalogError(path, line_of(f"$.categories[{i}]"), f"categories: duplicate id {cat_id!r}"))
    known = [c for c in category_ids if c is not None]
    seen: dict[Code, int] = {}
    for i, code in codes:
        if code not in seen:
            seen[code] = i
            continue
        first = line_of(f"$.entries[{seen[code]}]")
        errors.append(
            CatalogError(
                path,
                line_of(f"$.entries[{i}]"),
                f"entries[{i}].code: duplicate code {code!r} (first defined at line {first})",
            )
        )
    for i, entry in entries:
        if isinstance(entry.code, str) and not entry.code.strip():
            errors.append(CatalogError(path, line_of(f"$.entries[{i}]"), f"entries[{i}].code: must not be empty"))
        if not (entry.title.zh or entry.title.en):
            errors.append(CatalogError(path, line_of(f"$.entries[{i}]"), f"entries[{i}].title: needs text in zh or en"))
        if entry.category is not None and known and entry.category not in known:
            errors.append(
                CatalogError(
                    path,
                    line_of(f"$.entries[{i}].category"),
                    f"entries[{i}].category: unknown category {entry.category!r}; expected one of {', '.join(known)}",
                )
            )
        if entry.http_status is not None and not 100 <= entry.http_status <= 599:
            errors.append(
                CatalogError(
                    path,
                    line_of(f"$.entries[{i}]"),
                    f"entries[{i}].http_status: {entry.http_status} is not an HTTP status (100-599)",
                )
            )
    return errors


def _finish(catalog: Catalog, path: str) -> Catalog:
    entries = tuple(_derive(entry, catalog.id) for entry in catalog.entries)
    return msgspec.structs.replace(catalog, entries=entries, path=path)


HTTP_CATALOG = "http"


def http_status_of(entry: Entry, catalog_id: str | None = None) -> int | None:
    """The HTTP status an entry stands for: its ``http_status``, or in the ``http`` catalog its
    code. Any other number is the API's own (1001 is no HTTP status, nor is 5001)."""
    if entry.http_status is not None:
        return entry.http_status
    in_http = (entry.catalog if catalog_id is None else catalog_id) == HTTP_CATALOG
    if in_http and isinstance(entry.code, int) and 100 <= entry.code <= 599:
        return entry.code
    return None


def status_severity(status: int) -> Severity:
    """The severity of an HTTP status: info for 1xx-3xx, warning for 4xx (the caller can correct
    it), critical for 5xx (a server fault the caller cannot fix). The bundled http catalog and
    the drafts ``errcode import`` makes from an HTTP-status document follow it."""
    if status < 400:
        return "info"
    return "critical" if status >= 500 else "warning"


def derived_severity(entry: Entry, catalog_id: str | None = None) -> Severity:
    """The default rule for entries that do not state a severity: an HTTP status by
    ``status_severity``; code 0 (success) info; any other code warning."""
    status = http_status_of(entry, catalog_id)
    if status is not None:
        return status_severity(status)
    return "info" if entry.code == 0 else "warning"


def derived_retryable(entry: Entry, catalog_id: str | None = None) -> bool:
    """The default rule: only rate limits and transient server faults are worth retrying."""
    status = http_status_of(entry, catalog_id)
    return entry.retry_after is not None or status in (408, 425, 429, 502, 503, 504)


def _derive(entry: Entry, catalog_id: str) -> Entry:
    changes: dict[str, Any] = {"catalog": catalog_id}
    if entry.severity is None:
        changes.update(severity=derived_severity(entry, catalog_id), severity_source="derived")
    if entry.retryable is None:
        changes.update(retryable=derived_retryable(entry, catalog_id), retryable_source="derived")
    return msgspec.structs.replace(entry, **changes)


def load_file(path: Path) -> Catalog:
    shown = str(path)
    if path.is_dir():  # reached only for a folder that cannot be listed
        try:
            next(iter(path.iterdir()), None)
            reason = "is a folder, not a catalog file"
        except OSError as exc:
            reason = f"cannot read the folder: {exc.strerror or exc}"
        raise CatalogError(shown, None, reason)
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


def check_files(paths: Iterable[Path]) -> list[tuple[str, tuple[str, ...], int]]:
    """``errcode validate``: each catalog file (a folder: each .yaml/.yml file in it) with
    every problem found in it, and its entry count."""
    report: list[tuple[str, tuple[str, ...], int]] = []
    for path in paths:
        files = catalog_files(path)
        if not files:
            report.append((str(path), (f"{path}: no catalog files (*.yaml, *.yml) in this folder",), 0))
        for file in files:
            try:
                report.append((str(file), (), len(load_file(file).entries)))
            except CatalogError as exc:
                report.append((str(file), tuple(str(p) for p in exc.problems), 0))
    return report


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
    the cache, each catalog's entries are decoded only as they are used.
    """
    from errcli.store import cache

    extra = [p for p in extra_paths if p]
    if strict:
        _check_named(extra)
    bundled = catalog_files(bundled_dir())
    bases = user_paths(extra, environ)
    user_files = [(base, catalog_files(base) if base.exists() else []) for base in bases]
    sources = bundled + [p for _, files in user_files for p in files]
    key = cache.make_key("catalogs", cache.file_keys(sources), [str(b) for b in bases])
    name = f"catalogs-{zlib.crc32(repr(key[-1]).encode()):08x}.msgpack"
    if use_cache and (compiled := cache.read(name, key, _Compiled)) is not None:
        try:
            found = CatalogSet(tuple(stored.catalog() for stored in compiled.catalogs), compiled.problems)
        except ValueError:
            pass  # damaged: parsed again and rewritten below
        else:
            if strict:
                _check_named_files(extra, found.problems)
            return found
    by_id: dict[str, Catalog] = {}
    for path in bundled:
        catalog = load_file(path)
        by_id[catalog.id] = catalog
    problems: list[LoadProblem] = []
    for base, files in user_files:
        if not base.exists():
            problems.append(LoadProblem(str(base), f"{base}: no such file or folder"))
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
        written = cache.write(name, key, _Compiled(stored, result.problems))
        # TAB completion offers what a plain run loads: a one-off run's catalogs (--catalog-path)
        # are never written there, but it makes sure a plain run's are
        if written and not extra:
            cache.write_bytes(COMPLETION_FILE, completion_data(result, key[3]))
        elif written and not _completion_written():
            load_all(environ=environ)
    if strict:
        _check_named_files(extra, result.problems)
    return result


def _check_named(paths: Sequence[str]) -> None:
    """Every catalog path given on the command line exists."""
    from errcli.errors import UsageError

    for path in paths:
        if not Path(path).exists():
            raise UsageError(
                f"{path}: no such file or folder",
                hint="check the path given to --catalog-path: a catalog file (.yaml) or a folder of them",
            )


def _check_named_files(paths: Sequence[str], problems: Sequence[LoadProblem]) -> None:
    """A catalog file (or unreadable folder) named on the command line that did not load: its error, raised."""
    broken = {p.path for p in problems}
    for path in paths:
        if str(Path(path)) in broken:
            load_file(Path(path))  # raises the file's CatalogError (cached problems keep only its text)


COMPLETION_FILE = "completion.json"


def _completion_written() -> bool:
    from errcli.store import cache

    directory = cache.cache_dir()
    return directory is not None and (directory / COMPLETION_FILE).is_file()


def completion_data(cs: CatalogSet, files: list[Any]) -> bytes:
    """What TAB completion needs, as small JSON that loads without msgspec (see errcli.complete)."""
    entries = [[e.catalog, e.code, e.title.zh or "", e.title.en or ""] for e in cs.entries()]
    return msgspec.json.encode({"files": files, "catalogs": list(cs.ids), "entries": entries})
