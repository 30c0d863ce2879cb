"""Record → findings: where a JSON value says it is an error, and what it says about it.

A finding is the raw evidence of one error, nothing decided yet: the code as sent, the
message, the HTTP status (status line, client wrapper, or a status put in ``code``), the
headers that matter, the envelopes of the catalogs whose shape the object has, and where
the error sits. The catalogs' own envelopes are read first (their code and message paths,
their ``error_when``), then the usual field names (:mod:`errcli.explain.fields`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from errcli._text import fold_symbol
from errcli.explain.decode import try_decode
from errcli.explain.fields import (
    CODE_KEYS,
    ERROR_CODE_KEYS,
    ERROR_LEVELS,
    ERROR_WORDS,
    MESSAGE_KEYS,
    NESTED_HINTS,
    NORMAL_CLOSURE,
    QUIET_LEVELS,
    REJECTED_WORDS,
    SUCCESS_CODES,
    SUCCESS_WORDS,
    WRAPPER_BODY_KEYS,
    WS_CLOSE_CODES,
    says_error,
)
from errcli.explain.http import HttpInfo, auth_message, is_reason, parse_retry_after
from errcli.explain.plan import CACHE_LIMIT, MISSING, Env, EnvHits, Plan, fold_message, get_path, known_names
from errcli.explain.reader import MAX_EMBEDDED_JSON

MAX_WALK_NODES = 2000  # nodes visited per record when looking for nested errors
MAX_WALK_DEPTH = 8
MAX_MESSAGE_ITEMS = 50  # objects of a FastAPI detail list read as errors

_SYMBOL_LIKE = re.compile(
    r"^[A-Za-z][A-Za-z0-9]*(?:[_.\-][A-Za-z0-9]+)+$|^[A-Z][A-Z0-9]{2,}$|^[a-z]+(?:[A-Z][a-z0-9]+)+$|^(?:[A-Z][a-z0-9]+){2,}$"
)


@dataclass(frozen=True)
class Finding:
    """One error as the response states it."""

    node: dict[str, Any]
    code: Any
    message: str | None
    envs: EnvHits
    status: int | None = None  # HTTP status: status line or client wrapper
    retry_after: int | None = None  # seconds, from a Retry-After header (status line or wrapper)
    outer: EnvHits = ()  # the envelopes of the record around a nested error (a WS frame's)
    page: bool = False  # the message is an HTML error page's title: the status's words, most likely
    named: str | None = None  # the one catalog whose id a text body names (a host, a logger's name)
    tentative: bool = False  # a success's message: an error only if it is a catalog's text nearly verbatim

    def key(self) -> tuple[Any, ...]:
        """What the verdict depends on: code, folded message, shapes, status."""
        code = self.code
        code_key = (type(code), code) if code is None or type(code) in (int, str, float) else (str, repr(code)[:200])
        message = fold_message(self.message) if self.message else ""
        return (
            code_key,
            message,
            tuple((e.index, s) for e, s in self.envs),
            tuple((e.index, s) for e, s in self.outer),
            self.status,
            self.page,
            self.named,
        )


class _Fields:
    """What one object says about itself, gathered key by key."""

    __slots__ = ("code", "envs", "marker", "message", "status", "tentative")

    def __init__(self) -> None:
        self.code: Any = None
        self.message: str | None = None
        self.status: int | None = None  # an HTTP error status beside the code (axios: {code, status})
        self.marker = False  # an explicit "this is an error"
        self.tentative = False  # a success with a message that may still be a documented error
        self.envs: list[tuple[Env, int]] = []

    def set_code(self, value: Any) -> None:
        """The first usable code wins (a bool or an object is no code)."""
        if self.code is None and value is not None and not isinstance(value, (bool, dict, list)):
            self.code = value

    def set_message(self, value: Any) -> None:
        """The first message wins, unless it only said "success" (``{"message": "success", "error": …}``)."""
        said = self.message
        if isinstance(value, str) and value.strip() and (said is None or said.strip().lower() in SUCCESS_WORDS):
            self.message = value


def as_int(code: Any) -> int | None:
    if isinstance(code, bool):
        return None
    if isinstance(code, int):
        return code
    if isinstance(code, float) and code.is_integer() and abs(code) < 1e15:
        return int(code)
    if isinstance(code, str):
        text = code.strip()
        if text.lstrip("-").isdigit() and len(text) < 19 and text.isascii():
            return int(text)
    return None


def _is_success_code(code: Any) -> bool:
    number = as_int(code)
    if number is not None:
        return number == 0 or 200 <= number <= 299
    return isinstance(code, str) and code.strip().upper() in SUCCESS_CODES


def _equal(got: Any, expected: Any) -> bool:
    if got is MISSING or type(got) is not type(expected):
        return isinstance(got, str) and isinstance(expected, str) and got.lower() == expected.lower()
    return bool(got == expected)


_SHAPE_ITEMS = 8  # list items a shape key looks at; a longer list of objects takes the full walk


class Detector:
    """Finds the errors in records; knows the catalogs' envelopes and their codes."""

    def __init__(self, envs: Sequence[Env], known_symbols: set[str], known_numbers: set[int]) -> None:
        self.envs = tuple(envs)
        self.symbols = known_symbols
        self.numbers = known_numbers
        self.plans: dict[tuple[str, ...], Plan] = {}
        self.names = known_names(self.envs)
        self._folded: dict[str, str] = {}

    def plan(self, keys: tuple[str, ...]) -> Plan:
        plan = self.plans.get(keys)
        if plan is None:
            if len(self.plans) > CACHE_LIMIT:
                self.plans.clear()
            plan = self.plans[keys] = Plan(keys, self.envs, self.names)
        return plan

    def fold(self, text: str) -> str:
        text = text[:200]  # all the fold looks at: the cache holds no more of a huge code
        folded = self._folded.get(text)
        if folded is None:
            if len(self._folded) > CACHE_LIMIT:
                self._folded.clear()
            folded = self._folded[text] = fold_symbol(text)
        return folded

    def shape_key(self, node: dict[str, Any], depth: int = 0) -> tuple[Any, ...] | None:
        """Everything the walk over ``node`` reads, as a hashable value: its keys, the values of its
        read keys (messages folded as verdicts see them), and the same for every object nested where
        the walk goes. Two records with one shape key have the same findings' verdicts. None when
        the record holds what the key cannot stand for (embedded JSON, very deep or long nesting)."""
        keys = tuple(node)
        plan = self.plan(keys)
        signature = plan.signature(node)
        if signature is None or depth > MAX_WALK_DEPTH:
            return None
        out: list[Any] = [plan.names, signature]
        for key in plan.walked_keys:
            value = node[key]
            kind = type(value)
            if kind is dict:
                inner = self.shape_key(value, depth + 1)
                if inner is None:
                    return None
                out.append(inner)
            elif kind is list:
                for item in value[:_SHAPE_ITEMS]:
                    if type(item) is dict:
                        inner = self.shape_key(item, depth + 1)
                        if inner is None:
                            return None
                        out.append(inner)
                    elif type(item) is not list:
                        break  # a list of scalars: the walk stops at its first item
                else:  # no scalar among the first items: the walk goes on past them
                    if len(value) > _SHAPE_ITEMS and dict in map(type, value[_SHAPE_ITEMS:]):
                        return None  # objects further down: the full walk sees them
            elif kind is str and value[:1] == "{":
                return None
        return tuple(out)

    def known(self, code: Any) -> bool:
        number = as_int(code)
        if number is not None:
            return number in self.numbers
        return isinstance(code, str) and self.fold(code) in self.symbols

    def _symbol_code(self, value: str) -> bool:
        """An ``error`` string that is a code (``INSUFFICIENT_BALANCE``, ``insufficientBalance``)."""
        return len(value) <= 64 and bool(_SYMBOL_LIKE.match(value)) and self.fold(value) in self.symbols

    # -- the walk --

    def findings(self, value: Any, http: HttpInfo | None) -> list[Finding] | None:
        """The errors in one record, or None when it holds none (a success or anything else)."""
        status = http.status if http is not None else None
        retry = http.retry_after if http is not None else None
        if value is None:  # an HTTP response without a JSON body
            if status is not None and status >= 400:
                body = http.body if http is not None else None
                page = http is not None and http.html
                if http is not None and (body is None or is_reason(status, body)):
                    body = auth_message(http.headers) or body  # its challenge says more than "Unauthorized"
                return [Finding({}, None, body, (), status, retry, page=page)]
            return None
        found: list[Finding] = []
        budget = [MAX_WALK_NODES]
        if type(value) is not dict:
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, dict):
                        self._walk(item, status, retry, (), found, budget, 1, top=True)
            if found:
                return found
            if status is not None and status >= 400:
                return [Finding({}, None, None, (), status, retry)]
            return None
        verdict = self._node(value, status, retry, (), True, found, budget, 1)
        if verdict is not True:
            self._descend(value, found, budget, 1, verdict is not None, self._outer(value))
        if found:
            return found
        if status is not None and status >= 400 and verdict is None:
            # the body says nothing about an error, but the status line does
            return [Finding(value, None, _message_of(value), (), status, retry)]
        return None

    def _outer(self, node: dict[str, Any]) -> EnvHits:
        """The envelopes a record's own keys point at: a prior for errors nested inside it."""
        return self.plan(tuple(node)).envs

    def _walk(
        self,
        node: dict[str, Any],
        status: int | None,
        retry: int | None,
        outer: EnvHits,
        found: list[Finding],
        budget: list[int],
        depth: int,
        top: bool = False,
    ) -> None:
        budget[0] -= 1
        if budget[0] < 0:
            return
        verdict = self._node(node, status if top else None, retry if top else None, outer, top, found, budget, depth)
        if verdict is not True and depth < MAX_WALK_DEPTH:
            self._descend(node, found, budget, depth + 1, verdict is not None, outer or self._outer(node))

    def _descend(
        self,
        node: dict[str, Any],
        found: list[Finding],
        budget: list[int],
        depth: int,
        only_lists: bool,
        outer: EnvHits,
    ) -> None:
        """Errors nested in results lists (and, when the record is no error itself, in sub-objects)."""
        for key, child in node.items():
            if budget[0] < 0:
                return
            if isinstance(child, list):
                for item in child:
                    if isinstance(item, dict):
                        self._walk(item, None, None, outer, found, budget, depth)
                    elif not isinstance(item, list):
                        break  # a list of scalars
            elif isinstance(child, dict):
                if not only_lists or key in NESTED_HINTS:
                    self._walk(child, None, None, outer, found, budget, depth)
            elif isinstance(child, str) and not only_lists and child[:1] == "{" and len(child) <= MAX_EMBEDDED_JSON:
                kind, inner, _ = try_decode(child.encode("utf-8", "surrogatepass"))
                if kind == "ok" and isinstance(inner, dict):
                    self._walk(inner, None, None, outer, found, budget, depth)

    def _node(
        self,
        node: dict[str, Any],
        status: int | None,
        retry: int | None,
        outer: EnvHits,
        top: bool,
        found: list[Finding],
        budget: list[int],
        depth: int,
    ) -> bool | None:
        """Classify one object: True = it is an error (added to ``found``; its own fields are not searched
        further), False = a success response, None = neither."""
        plan = self.plan(tuple(node))
        if plan.inert:
            return None
        if plan.wrapper and self._wrapper(node, found, budget, depth, outer):
            return True
        fields = _Fields()
        self._from_envelopes(node, plan, fields)
        items = self._from_error_keys(node, plan, fields)
        envs = tuple(fields.envs)
        if items is not None:  # {"errors": [{code, message}, ...]}: each item is an error
            for item in items:
                code, message = _inner_error(item)
                found.append(Finding(item, code, message, envs, status, retry, outer))
            return True
        status_word = self._from_generic_keys(node, plan, fields)
        if status_word in REJECTED_WORDS and fields.message is None and fields.code is None:
            status_word = None  # a rejected item that says nothing of why: an item like any other
        if plan.close_event and type(fields.code) is int and fields.code in WS_CLOSE_CODES:
            if fields.code == NORMAL_CLOSURE:  # a browser's CloseEvent: its code is RFC 6455's
                return False
            fields.code, fields.marker = None, True
        if self._error_or_success(node, plan, fields, status_word) is False:
            if fields.tentative:
                found.append(Finding(node, None, fields.message, envs, status, retry, outer, tentative=True))
            return False
        # The errors in its data/body/response say more than the object itself when it says only a
        # status (no message, no documented code: the errors keep that status), or when that object
        # is the HTTP response an HTTP client's error holds (axios: {message, code, response}).
        only_status = _says_only_a_status(fields.code) and fields.message is None
        only_status = only_status and (fields.marker or fields.code is not None)
        own = as_int(fields.code) if only_status else None
        nested: list[Finding] = []
        for key in WRAPPER_BODY_KEYS if depth < MAX_WALK_DEPTH else ():
            child = node.get(key)
            if type(child) is dict and (only_status or self.plan(tuple(child)).wrapper):
                inner = status if own is None else own
                self._node(child, inner, retry, outer or self._outer(node), True, nested, budget, depth + 1)
        if nested:
            found.extend(nested)
            return True
        if status is None:
            status = fields.status
        if fields.code is None and (
            fields.marker or (top and fields.message is not None and says_error(fields.message))
        ):
            # an error with words and no code (a log record's {"level": "error", "msg": "order rejected",
            # "resp": {…}}, an API gateway's {"message": "Forbidden"}): an error inside it says more
            before = len(found)
            if depth < MAX_WALK_DEPTH:
                self._descend(node, found, budget, depth + 1, False, outer or self._outer(node))
            if len(found) == before:
                found.append(Finding(node, None, fields.message, envs, status, retry, outer))
            return True
        if fields.marker:
            found.append(Finding(node, fields.code, fields.message, envs, status, retry, outer))
            return True
        if fields.code is None:
            return None
        # a bare code: an error at the top level when it is a number or a known code,
        # elsewhere only with a message beside it
        if not (fields.message is not None or (top and (as_int(fields.code) is not None or self.known(fields.code)))):
            return None
        found.append(Finding(node, fields.code, fields.message, envs, status, retry, outer))
        return True

    def _wrapper(
        self, node: dict[str, Any], found: list[Finding], budget: list[int], depth: int, outer: EnvHits
    ) -> bool:
        """``{status, statusText, headers, data|body}``: the status and headers belong to the body's errors."""
        status = as_int(node.get("status"))
        if status is None or not 100 <= status <= 599:
            return False
        headers = node.get("headers")
        retry = None
        if isinstance(headers, dict):
            lower = {str(k).lower(): v for k, v in list(headers.items())[:100]}
            value = lower.get("retry-after")
            if isinstance(value, (str, int)) and not isinstance(value, bool):
                date = lower.get("date")
                retry = parse_retry_after(str(value), date if isinstance(date, str) else None)
        body: Any = next((node[k] for k in WRAPPER_BODY_KEYS if k in node), None)
        text: str | None = None
        if isinstance(body, str):
            kind, inner, _ = try_decode(body.encode("utf-8", "surrogatepass")[:MAX_EMBEDDED_JSON])
            if kind == "ok":
                body = inner
            else:
                text = body.strip() or None
        before = len(found)
        if isinstance(body, dict):
            verdict = self._node(body, status, retry, outer, True, found, budget, depth + 1)
            if verdict is not True and depth < MAX_WALK_DEPTH:
                self._descend(body, found, budget, depth + 1, verdict is not None, outer or self._outer(body))
            if verdict is False and status < 400:
                return True
        if len(found) == before and status >= 400:
            message = text if text is not None else (_message_of(body) if isinstance(body, dict) else None)
            if message is None and isinstance(node.get("statusText"), str):
                message = None  # the reason phrase says nothing the status does not
            found.append(Finding(body if isinstance(body, dict) else {}, None, message, (), status, retry, outer))
        return True

    def _from_envelopes(self, node: dict[str, Any], plan: Plan, fields: _Fields) -> None:
        """The catalogs' own shapes first: their code and message paths, their ``error_when``."""
        for env, strength in plan.envs:
            if env.error_when:
                if not all(_equal(get_path(node, path), expected) for path, expected in env.error_when):
                    continue  # the API's own success shape (``success: true``, ``type: "trade"``)
                fields.marker = True
            code = get_path(node, env.code_path)
            message = get_path(node, env.message_path)
            if code is MISSING and message is MISSING:
                continue
            fields.envs.append((env, strength))
            if code is not MISSING:
                fields.set_code(code)
            fields.set_message(message)

    def _from_error_keys(self, node: dict[str, Any], plan: Plan, fields: _Fields) -> list[dict[str, Any]] | None:
        """Keys that only errors have (``error``, ``error_code``, ``detail``...); returns the items of an
        ``errors`` list of objects, which are errors each."""
        for key in plan.error_keys:
            value = node[key]
            if value is None or value is False or (isinstance(value, (str, list, dict)) and not value):
                continue
            if key == "detail" and not isinstance(value, str):
                # FastAPI's error detail is text, or its validation errors: [{loc, msg, type}, ...];
                # any other object called "detail" is just data
                items = _message_items(value)
                if items:
                    fields.marker = True
                    return items
                continue
            fields.marker = True
            if key == "error":
                if isinstance(value, dict):
                    code, message = _inner_error(value)
                    fields.set_code(code)
                    fields.set_message(message)
                elif isinstance(value, str):
                    if fields.code is None and (self._symbol_code(value) or as_int(value) is not None):
                        fields.set_code(value)  # {"error": "INSUFFICIENT_BALANCE"}
                    else:
                        fields.set_message(value)
                elif isinstance(value, int) and not isinstance(value, bool):
                    fields.set_code(value)
            elif key == "errors":
                if isinstance(value, list):
                    items = [v for v in value if isinstance(v, dict)]
                    if items:
                        return items
                    if isinstance(value[0], str):
                        fields.set_message(value[0])
            elif key in ERROR_CODE_KEYS:
                fields.set_code(value)
            else:  # error_message, errorMessage, err_msg, detail
                fields.set_message(value)
        return None

    def _from_generic_keys(self, node: dict[str, Any], plan: Plan, fields: _Fields) -> str | None:
        """``code``-like, ``status`` and ``message``-like keys; returns a ``status`` word (ok, error...)."""
        for key in plan.code_keys:
            if fields.code is not None:
                break
            fields.set_code(node[key])
        status_word: str | None = None
        for key in plan.status_keys:
            value = node[key]
            if isinstance(value, str):
                word = value.strip().lower()
                if word in SUCCESS_WORDS or word in ERROR_WORDS or word in REJECTED_WORDS:
                    status_word = word
                elif fields.code is None and self._symbol_code(value):
                    fields.set_code(value)
            elif type(value) is int and 100 <= value <= 599:
                if fields.code is None:
                    fields.set_code(value)
                elif value >= 400:
                    fields.status = value
        for key in plan.message_keys:
            if fields.message is not None:
                break
            fields.set_message(node[key])
        return status_word

    @staticmethod
    def _error_or_success(node: dict[str, Any], plan: Plan, fields: _Fields, status_word: str | None) -> bool | None:
        """True/False when the object says it is an error or a success; None when only its code can tell."""
        said_success = False
        if plan.has_success:
            flag = node.get("success", node.get("ok"))
            if flag is True and not fields.marker:
                said_success = True
            if flag is False:
                fields.marker = True
        for key in plan.kind_keys:
            kind = node[key]
            if isinstance(kind, str) and kind.lower() in ("error", "err", "failure"):
                fields.marker = True
        if plan.level_key and (
            plan.code_keys or plan.message_keys
        ):  # a notify message: {"type": "MESSAGE", "level": "ERROR", "code": ..., "content": ...}
            level = node.get("level")
            if isinstance(level, str):
                if level.upper() in ERROR_LEVELS:
                    fields.marker = True
                elif level.upper() in QUIET_LEVELS and not fields.marker:
                    return False
        if status_word is not None:
            if status_word in ERROR_WORDS or status_word in REJECTED_WORDS:
                fields.marker = True
            elif not fields.marker:
                said_success = True
        if fields.code is not None and not fields.marker and _is_success_code(fields.code):
            said_success = True
        if said_success and not fields.marker:
            if fields.message is None or not says_error(fields.message):
                fields.tentative = fields.message is not None and fields.message.strip().lower() not in SUCCESS_WORDS
                return False
            # a success whose message reports an error (a login's "message": "Invalid password"):
            # an error, told by its message; its success code means nothing of it
            if _is_success_code(fields.code):
                fields.code = None
            fields.marker = True
        return True if fields.marker else None


def _message_items(value: Any) -> list[dict[str, Any]]:
    """The objects of a list that say a message each (FastAPI's ``detail``: ``[{loc, msg, type}]``)."""
    if not isinstance(value, list):
        return []
    items = [v for v in value[:MAX_MESSAGE_ITEMS] if isinstance(v, dict)]
    return items if items and all(any(isinstance(i.get(k), str) for k in MESSAGE_KEYS) for i in items) else []


def _inner_error(node: dict[str, Any]) -> tuple[Any, str | None]:
    """Code and message inside an ``error`` object or an ``errors`` item."""
    code: Any = None
    for key in (*CODE_KEYS, "type"):
        value = node.get(key)
        if value is not None and not isinstance(value, (dict, list, bool)):
            code = value
            break
    message = next((v for k in (*MESSAGE_KEYS, "error") if isinstance(v := node.get(k), str) and v.strip()), None)
    return code, message


def _says_only_a_status(code: Any) -> bool:
    """No code, or one that is an HTTP status (400, "500"): all an outer object says of its error."""
    if code is None:
        return True
    number = as_int(code)
    return number is not None and 100 <= number <= 599


def _message_of(node: dict[str, Any]) -> str | None:
    for key in (*MESSAGE_KEYS, "error"):
        value = node.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return None
