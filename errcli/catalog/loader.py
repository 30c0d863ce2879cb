"""Catalog files as plain data: bounded reading, and safe YAML with line numbers.

Only plain YAML is read (mappings, lists, scalars): no tags that build objects, no anchors or
aliases, no key twice in a mapping. yaml is imported only when a file is really parsed; a warm
run reads the compiled cache.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from errcli.catalog.discover import is_dir
from errcli.errors import CatalogError
from errcli.store.files import NotRegularFile, read_bounded

MAX_CATALOG_BYTES = 64 * 1024 * 1024
MIN_INT, MAX_INT = -(2**63), 2**64 - 1  # what msgpack, and so the compiled cache, can hold
HUGE_NUMBER = "the number is out of range: whole numbers must fit in 64 bits (-2**63 to 2**64-1)"
_PATH_PART = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")
_ENTRIES_KEY = re.compile(r"^entries:[ \t]*(?:#[^\n]*)?\r?\n(?:[ \t]*(?:#[^\n]*)?\r?\n)*( +)- ", re.MULTILINE)
_TOP_LEVEL_LINE = re.compile(r"^[^\s#]", re.MULTILINE)  # a line that starts at column 0 (no comment)
_NO_KEY = object()


def read_text(path: Path) -> str:
    """A catalog file's text; CatalogError when it is no regular file, too big, unreadable or not UTF-8."""
    shown = str(path)
    if is_dir(path):  # reached only for a folder that cannot be listed
        try:
            next(iter(path.iterdir()), None)
            reason = "is a folder, not a catalog file"
        except OSError as exc:
            reason = f"cannot read the folder: {exc.strerror or exc}"
        raise CatalogError(shown, None, reason)
    try:
        raw = read_bounded(path, MAX_CATALOG_BYTES)
    except NotRegularFile:
        raise CatalogError(shown, None, "not a regular file (a FIFO or device?); expected a catalog file") from None
    except OSError as exc:
        raise CatalogError(shown, None, f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_CATALOG_BYTES:
        raise CatalogError(shown, None, f"file is too big; catalogs are limited to {MAX_CATALOG_BYTES} bytes")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogError(shown, raw[: exc.start].count(b"\n") + 1, "not UTF-8 text") from None


def halves(text: str) -> list[str] | None:
    """The text cut in two at an item of the top level's block ``entries`` list near its middle:
    the text before it, and ``entries:`` with the items from there on; None when there is no
    such cut (``entries`` written otherwise, or a top-level line after it, before the middle).

    Where both halves read as plain YAML, and the second holds nothing but its ``entries``, the
    two are the file read whole: the cut is no line of a block or plain scalar (those are indented
    deeper), and one inside a quoted scalar or flow collection leaves the first half unclosed.
    """
    found = _ENTRIES_KEY.search(text)
    if found is None:
        return None
    start = found.start(1)
    cut = text.find("\n" + found.group(1) + "- ", max(start, len(text) // 2)) + 1
    if cut <= start or _TOP_LEVEL_LINE.search(text, start, cut) is not None:
        return None
    return [text[:cut], "entries:\n" + text[cut:]]


class _Mapping:
    """A mapping being read: its values so far, the place of each key and the key waiting for a value."""

    __slots__ = ("data", "key", "marks")

    def __init__(self) -> None:
        self.data: dict[Any, Any] = {}
        self.key: Any = _NO_KEY
        self.marks: dict[Any, Any] = {}  # each key's place, only while the mapping is read


def load_plain(  # noqa: PLR0915 - the one loop over every parser event: its steps are inlined on purpose
    text: str, path: str, huge: list[int] | None = None, entry: Callable[[dict[Any, Any]], Any] | None = None
) -> Any:
    """Plain YAML (mappings, lists, scalars) from parser events; tags, aliases and a key given
    twice in one mapping are refused.

    Read as a stream of events straight into Python values, a file keeps memory to the data
    itself even for 100 000 entries. ``huge`` collects the lines of whole numbers past 64 bits
    (what the compiled cache cannot hold). ``entry``, when given, takes each mapping of the top
    level's ``entries`` list as it ends, and what it returns is kept instead (a catalog's entries
    become structs one by one, so the tree of a big file is never held whole).
    """
    import yaml

    loader_cls: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    scalar = _scalar_reader(path, [] if huge is None else huge)
    stack: list[_Mapping | list[Any]] = []
    root: list[Any] = []

    def add(value: Any, event: Any) -> None:
        top = stack[-1] if stack else root
        if not isinstance(top, _Mapping):
            top.append(value)
        elif top.key is not _NO_KEY:
            top.data[top.key] = value
            top.key = _NO_KEY
        elif isinstance(value, (dict, list)):
            raise CatalogError(path, event.start_mark.line + 1, "mapping keys must be plain values")
        elif value in top.marks:
            first, line = top.marks[value].line + 1, event.start_mark.line + 1
            raise CatalogError(
                path, line, f"duplicate key `{value}` (lines {first} and {line}); give each key once in a mapping"
            )
        else:
            top.key = value
            top.marks[value] = event.start_mark  # its line is worked out only for a duplicate

    scalar_event, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    loader = None
    try:
        loader = loader_cls(text)
        next_event = loader.get_event
        while (event := next_event()) is not None:  # the parser's events, read without yaml.parse's generator
            kind = type(event)
            if kind in ends:
                add(_ended(stack, entry), event)
                continue
            if kind is yaml.AliasEvent:
                raise CatalogError(path, event.start_mark.line + 1, "anchors and aliases (`&`, `*`) are not allowed")
            tag = getattr(event, "tag", None)
            if tag is not None and tag != "!":
                raise CatalogError(path, event.start_mark.line + 1, f"tag `{tag}` is not allowed; write plain values")
            if kind is scalar_event:
                add(scalar(event), event)
            elif kind is mapping_start:
                stack.append(_Mapping())
            elif kind is sequence_start:
                stack.append([])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise CatalogError(path, mark.line + 1 if mark else None, f"not valid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise CatalogError(path, None, f"not valid YAML: {exc}") from None
    except TypeError:  # an unhashable key such as a list
        raise CatalogError(path, None, "mapping keys must be plain values") from None
    finally:
        if loader is not None:
            loader.dispose()
    if len(root) > 1:
        raise CatalogError(path, None, "one YAML document per catalog file, please")
    return root[0] if root else None


def _ended(stack: list[_Mapping | list[Any]], entry: Callable[[dict[Any, Any]], Any] | None) -> Any:
    """The value of the mapping or list that just ended (the top of ``stack``, taken off it): an
    item of the top level's ``entries`` list as ``entry`` makes it."""
    done = stack.pop()
    if not isinstance(done, _Mapping):
        return done
    if entry is not None and len(stack) == 2:
        root = stack[0]
        if isinstance(root, _Mapping) and root.key == "entries" and isinstance(stack[1], list):
            return entry(done.data)
    return done.data


def _scalar_reader(path: str, huge: list[int]) -> Callable[[Any], Any]:
    """A plain scalar's value by YAML 1.1's rules (as PyYAML's safe loader reads it); CatalogError
    for one that cannot be read so (a date such as 2025-13-45, a number of thousands of digits)."""
    import yaml

    resolver: Any = yaml.resolver.Resolver()
    constructor = yaml.constructor.SafeConstructor()

    resolvers = resolver.yaml_implicit_resolvers
    # a plain scalar whose first character starts no implicit type (null, bool, int, float,
    # timestamp…) is a string, as resolve() would find after trying none of them
    plain_text = frozenset() if None in resolvers else frozenset(k for k in resolvers if k)

    def read(event: Any) -> Any:
        value = event.value
        if event.style or (value and value[0] not in plain_text and event.implicit[0]):
            return value  # quoted or block scalars are strings
        tag = resolver.resolve(yaml.ScalarNode, value, event.implicit)
        if tag == "tag:yaml.org,2002:str":
            return event.value
        try:
            value = constructor.construct_object(yaml.ScalarNode(tag, event.value))
        except (ValueError, OverflowError) as exc:
            kind = tag.rpartition(":")[2]
            shown = event.value if len(event.value) <= 40 else event.value[:40] + "…"
            why = HUGE_NUMBER if kind == "int" else f"`{shown}` is no valid {kind} ({exc}); quote it for text"
            raise CatalogError(path, event.start_mark.line + 1, why) from None
        if type(value) is int and not MIN_INT <= value <= MAX_INT:
            huge.append(event.start_mark.line + 1)
        return value

    return read


class LineFinder:
    """Lines of a text's parts by msgspec error path; the node tree that knows them is built only
    when the first line is asked for (only text that ``load_plain`` accepted, to report a problem)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._root: Any = None

    def __call__(self, dotted: str, key: str | None = None) -> int:
        """The line of the node at a path like ``$.entries[3].title``; with ``key``, the line of
        that key in the mapping there (an unknown field)."""
        import yaml

        if self._root is None:
            self._root = yaml.compose(self._text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        node = self._root
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
