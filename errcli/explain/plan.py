"""What a key set means: the catalogs' envelopes it matches, the keys explain reads, and the
values those keys hold as a verdict sees them (messages with their interpolated values folded)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from errcli.explain.fields import (
    CODE_KEYS,
    ERROR_CODE_KEYS,
    ERROR_ONLY_KEYS,
    FLAG_KEYS,
    INNER_STRIP,
    KIND_KEYS,
    KNOWN_NAMES,
    MESSAGE_KEYS,
    MESSAGE_LIKE,
    STATUS_KEYS,
    WRAPPER_BODY_KEYS,
    WRAPPER_MARKS,
)
from errcli.model import Catalog, Envelope

CACHE_LIMIT = 20_000  # entries kept by each of explain's caches before it starts over
K = TypeVar("K")
V = TypeVar("V")


def keep(cache: dict[K, V], key: K, value: V) -> V:
    """Store ``value`` in one of explain's caches (emptied when full, so memory stays bounded)."""
    if len(cache) > CACHE_LIMIT:
        cache.clear()
    cache[key] = value
    return value


STRONG_SHAPE = 40  # an envelope with a matching error condition (`success: false`, `type: "error"`)
WEAK_SHAPE = 5  # only the envelope's error-message key is there

# Interpolated values: a run of id characters holding a digit (amounts, order and account ids,
# uuids, instruments such as IF2501). CJK characters are no id characters: 当前96% keeps 当前.
_VARIABLE = re.compile(r"[A-Za-z0-9_.%$+/\-]*\d[A-Za-z0-9_.%$+/\-]*")


def fold_message(text: str) -> str:
    """A message with its interpolated values folded to ``#``: ``Order O17361 not found`` →
    ``Order # not found``. Messages equal after folding get the same verdict."""
    return _VARIABLE.sub("#", text[:500])


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<missing>"


MISSING: Any = _Missing()


def get_path(node: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(node, dict):
            return MISSING
        node = node.get(key, MISSING)
        if node is MISSING:
            return MISSING
    return node


@dataclass(frozen=True)
class Env:
    """A catalog's envelope, ready for matching."""

    index: int
    catalog: str
    envelope: Envelope
    keys: frozenset[str]
    code_path: tuple[str, ...]
    message_path: tuple[str, ...]
    details_path: tuple[str, ...] | None
    error_when: tuple[tuple[tuple[str, ...], Any], ...]

    def strength(self, present: set[str]) -> int:
        """How much a key set looks like this envelope: 10 per key present, 40 per ``error_when`` key,
        minus 15 per key missing; 0 when it does not look like it at all. Real servers omit keys
        (``data`` when it is null), so most keys are enough, as long as the ``error_when`` keys are
        there, and the code unless an ``error_when`` key marks the shape."""
        missing = self.keys - present
        if any(path[0] not in present for path, _ in self.error_when):
            return 0
        if self.code_path[0] in missing and not self.error_when:
            # {"error": "..."} alone: the shape of an API whose message sits in an error-only key
            head = self.message_path[0]
            return WEAK_SHAPE if head in present and head in ERROR_ONLY_KEYS else 0
        if len(missing) * 2 > len(self.keys):
            return 0
        return max(0, min(70, 10 * (len(self.keys) - len(missing)) + 40 * len(self.error_when) - 15 * len(missing)))


def envs_of(catalogs: Sequence[Catalog]) -> list[Env]:
    envs: list[Env] = []
    for cat in catalogs:
        for env in cat.envelopes:
            envs.append(
                Env(
                    index=len(envs),
                    catalog=cat.id,
                    envelope=env,
                    keys=frozenset(env.keys),
                    code_path=tuple(env.code_path.split(".")),
                    message_path=tuple(env.message_path.split(".")),
                    details_path=tuple(env.details_path.split(".")) if env.details_path else None,
                    error_when=tuple((tuple(k.split(".")), v) for k, v in env.error_when.items()),
                )
            )
    return envs


EnvHits = tuple[tuple[Env, int], ...]  # envelopes an object has the shape of, with their strength


class Plan:
    """What the keys of one record shape mean: computed once per distinct key tuple."""

    __slots__ = (
        "close_event",
        "code_keys",
        "envs",
        "error_keys",
        "has_success",
        "inert",
        "kind_keys",
        "level_key",
        "list_keys",
        "message_keys",
        "names",
        "other_keys",
        "read_keys",
        "read_spec",
        "status_keys",
        "walked_keys",
        "wrapper",
    )

    def __init__(self, keys: tuple[str, ...], envs: Sequence[Env], known: frozenset[str]) -> None:
        """``known``: every field name the walk tells apart (:func:`known_names`)."""
        present = set(keys)
        self.envs = tuple((e, strength) for e in envs if (strength := e.strength(present)) > 0)
        self.code_keys = tuple(k for k in CODE_KEYS if k in present)
        self.status_keys = tuple(k for k in STATUS_KEYS if k in present)
        self.message_keys = tuple(k for k in MESSAGE_KEYS if k in present)
        self.error_keys = tuple(k for k in keys if k in ERROR_ONLY_KEYS)
        self.has_success = "success" in present or "ok" in present
        self.kind_keys = tuple(k for k in KIND_KEYS if k in present)
        self.level_key = "level" in present
        self.close_event = "wasClean" in present  # a WebSocket CloseEvent {code, reason, wasClean}
        # {status, statusText | headers, data | body}: an HTTP client's response object (axios, fetch)
        self.wrapper = (
            "status" in present
            and bool(WRAPPER_MARKS & present or "body" in present)
            and any(k in present for k in WRAPPER_BODY_KEYS)
        )
        read = {*self.code_keys, *self.status_keys, *self.message_keys, *self.error_keys}
        read.update(k for k in FLAG_KEYS if k in present)
        for env, _ in self.envs:
            read.add(env.code_path[0])
            read.add(env.message_path[0])
            read.update(path[0] for path, _ in env.error_when)
        # read only as the head of longer envelope paths (data.notify.code): a list there has no
        # value for them, and the walk goes into it as into any other list
        paths = [p for env, _ in self.envs for p in (env.code_path, env.message_path)]
        heads = {p[0] for p in paths if len(p) > 1}
        heads -= {p[0] for p in paths if len(p) == 1}
        heads -= {path[0] for env, _ in self.envs for path, _ in env.error_when}
        heads -= {*self.code_keys, *self.status_keys, *self.message_keys, *self.error_keys}
        heads -= set(FLAG_KEYS)
        self.read_keys = tuple(k for k in keys if k in read)
        self.list_keys = frozenset(heads)
        # the keys as a shape key holds them: names with a digit that no envelope or field of the walk
        # has (an order id, a notify serial, an instrument) are all one name, as the walk treats them
        self.names = tuple(_ANY_ID if k not in known and _HAS_DIGIT(k) else k for k in keys)
        self.other_keys = tuple(k for k in keys if k not in read)
        self.walked_keys = (*self.other_keys, *(k for k in self.read_keys if k in self.list_keys))
        self.inert = not self.read_keys and not self.wrapper
        code_heads = {*CODE_KEYS, *STATUS_KEYS, *ERROR_CODE_KEYS, "type", *(e.code_path[0] for e, _ in self.envs)}
        self.read_spec = tuple((k, k in MESSAGE_LIKE and k not in code_heads) for k in self.read_keys)

    def signature(self, node: dict[str, Any]) -> tuple[Any, ...] | None:
        """The values this shape's classification depends on, messages folded as verdicts see them;
        None when one of them is not a plain value (then the record takes the full path)."""
        if self.wrapper:
            return None
        out: list[Any] = []
        append = out.append
        for key, fold in self.read_spec:
            value = node[key]
            kind = type(value)
            if kind is str:
                append(fold_message(value) if fold else value)
            elif kind is dict:
                items: list[Any] = [_DICT]
                for k, v in value.items():
                    vk = type(v)
                    if vk is str:
                        items.append((k, fold_message(v) if k in INNER_STRIP else v))
                    elif vk is dict or vk is list:
                        return None
                    else:
                        items.append((k, vk, v))
                append(tuple(items))
            elif kind is list:
                if key not in self.list_keys:
                    return None
                append(_LIST)  # the shape key takes its items as the walk does
            elif kind is bool:
                append((bool, value))  # True == 1, but a true flag is no code 1
            else:
                append(value)
        return tuple(out)


def known_names(envs: Sequence[Env]) -> frozenset[str]:
    """The field names the walk tells apart: its own and the envelopes' keys."""
    return KNOWN_NAMES.union(*(e.keys for e in envs))


_DICT = object()  # marks a nested object inside a signature
_HAS_DIGIT = re.compile(r"\d").search
_ANY_ID = "\x00id"  # stands for every name with a digit that nothing reads
_LIST = ("list",)  # marks a list under a key read only as a path head (its items are shape-keyed)
