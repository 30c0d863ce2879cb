"""Catalog files checked against the schema and the rules it cannot say; every problem of a file
is reported as ``file:line: field: what is expected``."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import Any, get_args, get_origin

import msgspec

from errcli.catalog.discover import catalog_files
from errcli.catalog.loader import HUGE_NUMBER, MAX_INT, MIN_INT, LineFinder, halves, load_plain, read_text
from errcli.catalog.rules import derive
from errcli.errors import CatalogError
from errcli.model import Catalog, Code, Entry
from errcli.store.helper import Helper, can_fork

CATALOG_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_UNKNOWN_FIELD = re.compile(r"^Object contains unknown field `(.*)` - at `")
_TYPE_WORDS = {
    "bool": "true or false",
    "int": "a whole number",
    "str": "text",
    "int | str": "a number or text",
}
_TYPE_WORDS.update({f"{k} | null": v for k, v in list(_TYPE_WORDS.items())})
_EXPECTED = re.compile(r"Expected `(" + "|".join(map(re.escape, sorted(_TYPE_WORDS, key=len, reverse=True))) + r")`")
_LineOf = Callable[[str], int]
_Convert = Callable[[dict[Any, Any]], Any]
SPLIT_MIN = 4_000_000  # characters of a file from which two processes read it (see _read_halves)
FileReport = tuple[str, tuple[str, ...], int]


def load_file(path: Path) -> Catalog:
    """One catalog file, validated, with its derived values; CatalogError when it cannot be used."""
    return parse_catalog(read_text(path), str(path))


def check_files(paths: Iterable[Path]) -> list[FileReport]:
    """``errcode validate``: each catalog file (a folder: each .yaml/.yml file in it) with
    every problem found in it, and its entry count."""
    report: list[FileReport] = []
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


def parse_catalog(text: str, path: str) -> Catalog:
    """Validate one catalog's text; raise CatalogError naming the line and field.

    Every problem of the file is found (``CatalogError.problems``), first by line; only text
    that is no YAML at all stops at the first. Lines are looked up only for a problem: finding
    them costs a second parse.
    """
    huge: list[int] = []

    def entry(raw: dict[Any, Any]) -> Any:  # each entry a struct as soon as it is read (memory)
        if huge:
            return raw  # (huge numbers are found, and named, in the tree)
        try:
            return msgspec.convert(raw, Entry, strict=True)
        except msgspec.ValidationError:
            return raw  # its problems are reported below

    data = _read(text, path, huge, entry)
    if data is None:
        raise CatalogError(path, 1, "the file is empty; expected a catalog mapping with `id` and `entries`")
    if not isinstance(data, dict):
        raise CatalogError(path, 1, "expected a mapping with `id` and `entries` at the top level")
    line_of = LineFinder(text)
    try:
        catalog: Catalog | None = msgspec.convert(data, Catalog, strict=True)
    except msgspec.ValidationError:
        catalog = None
    found: list[str] = []
    if catalog is not None:
        catalog_id: object = catalog.id
        category_ids: list[str | None] = [c.id for c in catalog.categories]
        entries = list(enumerate(catalog.entries))
        codes: list[tuple[int, Code]] = [(i, e.code) for i, e in entries]
    else:  # look at every part, to report each problem
        entries, codes, found = _convert_parts(data)
        catalog_id, category_ids = data.get("id"), _raw_category_ids(data.get("categories"))
    errors = [_validation_error(message, path, line_of) for message in found]
    errors += _check(catalog_id, category_ids, entries, codes, line_of, path)
    if huge:  # found while reading: the walk that names each one runs only then
        errors += _huge_numbers(data, line_of, path)
    if catalog is not None and not errors:
        entries_derived = tuple(derive(entry, catalog.id) for entry in catalog.entries)
        return msgspec.structs.replace(catalog, entries=entries_derived, path=path)
    first, *rest = sorted(errors, key=lambda e: e.line or 0) or [CatalogError(path, None, "not a valid catalog")]
    raise CatalogError(first.path, first.line, first.message, rest)


def _read(text: str, path: str, huge: list[int], entry: _Convert) -> Any:
    """The file's plain data, read by two processes when it is big and there is a second core."""
    if len(text) >= SPLIT_MIN and can_fork():
        parts = halves(text)
        data = _read_halves(parts, path, huge, entry) if parts is not None else None
        if data is not None:
            return data
    return load_plain(text, path, huge, entry)


def _read_halves(parts: list[str], path: str, huge: list[int], entry: _Convert) -> Any:
    """The file read as two halves (``parts``, from loader.halves): a forked helper reads the
    second one while this process reads the first; None when either has a problem or is not as
    expected (the file is then read whole, and its problems named by their own lines).

    The halves are taken out of ``parts``, so that each is let go once read (the second at once:
    the helper has its own copy)."""
    helper = Helper.start(partial(_entries_of, parts.pop(), path, entry))
    if helper is None:
        return None
    try:
        try:
            data = load_plain(parts.pop(), path, huge, entry)
        except CatalogError:
            data = None
        sent = helper.result()
    finally:
        helper.close()
    if huge or not isinstance(data, dict) or not isinstance(data.get("entries"), list) or not isinstance(sent, bytes):
        huge.clear()
        return None
    try:
        data["entries"] += msgspec.msgpack.decode(sent, type=list[Entry])
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    return data


def _entries_of(text: str, path: str, entry: _Convert) -> bytes:
    """The helper's work: the entries of the second half (which holds nothing else), as msgpack;
    ValueError when any of them is no valid entry, or the half holds something else."""
    huge: list[int] = []
    data = load_plain(text, path, huge, lambda raw: entry(raw) if not huge else raw)
    if huge or not isinstance(data, dict) or list(data) != ["entries"] or not isinstance(data["entries"], list):
        raise ValueError(path)
    if not all(type(item) is Entry for item in data["entries"]):
        raise ValueError(path)
    return msgspec.msgpack.encode(data["entries"])


def _huge_numbers(data: Any, line_of: _LineOf, path: str) -> list[CatalogError]:
    """Each whole number past 64 bits, as the file's problem at its line."""
    errors: list[CatalogError] = []
    todo: list[tuple[str, Any]] = [("", data)]
    while todo:
        where, value = todo.pop()
        if isinstance(value, dict):
            todo.extend((f"{where}.{key}", item) for key, item in value.items())
        elif isinstance(value, list):
            todo.extend((f"{where}[{i}]", item) for i, item in enumerate(value))
        elif isinstance(value, int) and not MIN_INT <= value <= MAX_INT:
            field = where.lstrip(".")
            errors.append(CatalogError(path, line_of(f"${where}"), f"{field}: {HUGE_NUMBER}"))
    return errors


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


def _validation_error(message: str, path: str, line_of: LineFinder) -> CatalogError:
    """A msgspec message (``what - at `$.path```) as the file's problem at its line."""
    text, where = _explain_validation(message)
    unknown = _UNKNOWN_FIELD.match(message)
    return CatalogError(path, line_of(where, unknown.group(1) if unknown else None), text)


def _problems(value: Any, kind: Any, where: str) -> list[str]:
    """Every reason ``value`` is no ``kind``, in msgspec's words (``what - at `$.path```).

    msgspec stops at the first problem; here a struct's fields and a list's items are each
    checked on their own, down to the values that are wrong.
    """
    try:
        msgspec.convert(value, kind, strict=True)
    except msgspec.ValidationError as exc:
        what, sep, rest = str(exc).partition(" - at `$")
        first = f"{what} - at `{where}{rest}" if sep else f"{what} - at `{where}`"
    else:
        return []
    found: list[str] = []
    if isinstance(value, dict) and isinstance(kind, type) and issubclass(kind, msgspec.Struct):
        fields = {f.encode_name: f for f in msgspec.structs.fields(kind)}
        for key, item in value.items():
            if key in fields:
                found += _problems(item, fields[key].type, f"{where}.{key}")
            else:
                found.append(f"Object contains unknown field `{key}` - at `{where}`")
        found += [
            f"Object missing required field `{n}` - at `{where}`"
            for n, f in fields.items()
            if f.required and n not in value
        ]
    elif isinstance(value, list) and get_origin(kind) is tuple and get_args(kind)[1:] == (Ellipsis,):
        for i, item in enumerate(value):
            found += _problems(item, get_args(kind)[0], f"{where}[{i}]")
    return found or [first]


def _convert_parts(data: dict[Any, Any]) -> tuple[list[tuple[int, Entry]], list[tuple[int, Code]], list[str]]:
    """The header and each entry converted on their own: the valid entries, every code, every problem."""
    raw_entries = data.get("entries")
    listed = isinstance(raw_entries, list)
    found = _problems({**data, "entries": []} if listed else data, Catalog, "$")
    entries: list[tuple[int, Entry]] = []
    codes: list[tuple[int, Code]] = []
    for i, raw in enumerate(raw_entries if isinstance(raw_entries, list) else []):
        try:
            entries.append((i, msgspec.convert(raw, Entry, strict=True)))
        except msgspec.ValidationError:
            found += _problems(raw, Entry, f"$.entries[{i}]")
        code = raw.code if isinstance(raw, Entry) else raw.get("code") if isinstance(raw, dict) else None
        if isinstance(code, (int, str)) and not isinstance(code, bool):
            codes.append((i, code))
    return entries, codes, found


def _raw_category_ids(categories: Any) -> list[str | None]:
    """The categories' ids as written (None where there is none), for a header that did not convert."""
    if not isinstance(categories, list):
        return []
    return [c.get("id") if isinstance(c, dict) and isinstance(c.get("id"), str) else None for c in categories]


def _check(
    catalog_id: object,
    category_ids: Sequence[str | None],
    entries: Sequence[tuple[int, Entry]],
    codes: Sequence[tuple[int, Code]],
    line_of: _LineOf,
    path: str,
) -> list[CatalogError]:
    """What the schema cannot say: ids, duplicates, known categories, HTTP status ranges."""
    errors: list[CatalogError] = []

    def problem(where: str, message: str) -> None:
        errors.append(CatalogError(path, line_of(f"${where}"), message))

    if isinstance(catalog_id, str) and not CATALOG_ID.match(catalog_id):
        problem(".id", f"id: {catalog_id!r} must match [a-z0-9][a-z0-9_-]*")
    for i, cat_id in enumerate(category_ids):
        if cat_id is not None and category_ids.index(cat_id) != i:
            problem(f".categories[{i}]", f"categories: duplicate id {cat_id!r}")
    known = [c for c in category_ids if c is not None]
    seen: dict[Code, int] = {}
    for i, code in codes:
        if code in seen:
            first = line_of(f"$.entries[{seen[code]}]")
            problem(f".entries[{i}]", f"entries[{i}].code: duplicate code {code!r} (first defined at line {first})")
        else:
            seen[code] = i
    for i, entry in entries:
        at = f".entries[{i}]"
        if isinstance(entry.code, str) and not entry.code.strip():
            problem(at, f"entries[{i}].code: must not be empty")
        if not (entry.title.zh or entry.title.en):
            problem(at, f"entries[{i}].title: needs text in zh or en")
        if entry.category is not None and known and entry.category not in known:
            expected = ", ".join(known)
            problem(
                f"{at}.category",
                f"entries[{i}].category: unknown category {entry.category!r}; expected one of {expected}",
            )
        if entry.http_status is not None and not 100 <= entry.http_status <= 599:
            problem(at, f"entries[{i}].http_status: {entry.http_status} is not an HTTP status (100-599)")
    return errors
