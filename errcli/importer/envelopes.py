"""Envelope hints from the document's example responses: where the code and the message are."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from errcli.importer.blocks import json_value
from errcli.importer.catalog_draft import DraftEnvelope
from errcli.importer.vocabulary import CODE_KEYS, MESSAGE_KEYS


def envelopes(examples: Sequence[tuple[str, str]]) -> list[DraftEnvelope]:
    """Envelope hints from the example responses (JSON and the headings above it): one per distinct shape."""
    found: dict[tuple[object, ...], DraftEnvelope] = {}
    for body, context in examples:
        value = json_value(body)
        if not isinstance(value, dict) or not value:
            continue
        shape = _shape(value)
        if shape is None:
            continue
        keys, code_path, message_path, details_path, error_when = shape
        key = (tuple(sorted(keys)), code_path, message_path, tuple(sorted(error_when.items(), key=str)))
        if key in found:
            continue
        ws = bool(re.search(r"websocket|\bws\b", context, re.IGNORECASE)) or bool(
            {"cmd", "op", "event", "channel", "action"} & set(keys) or error_when.get("type") == "error"
        )
        found[key] = DraftEnvelope(
            name="",
            transport="websocket" if ws else "http",
            keys=keys,
            code_path=code_path,
            message_path=message_path,
            details_path=details_path,
            error_when=error_when,
            example=body,
        )
    counts: dict[str, int] = {}
    for envelope in found.values():
        base = envelope.transport
        counts[base] = counts.get(base, 0) + 1
        envelope.name = base if counts[base] == 1 else f"{base}-{counts[base]}"
    return list(found.values())


def _shape(value: dict[str, Any]) -> tuple[list[str], str, str, str | None, dict[str, bool | str]] | None:
    """The keys that identify the shape, the code, message and details paths, and the error flags."""
    keys = [str(k) for k in value]
    code_path = next((k for k in CODE_KEYS if k in value), None)
    message_path = next((k for k in MESSAGE_KEYS if k in value), None)
    for outer in ("error", "err", "errors"):
        inner = value.get(outer)
        if isinstance(inner, dict):
            code_path = code_path or next((f"{outer}.{k}" for k in CODE_KEYS if k in inner), None)
            message_path = message_path or next((f"{outer}.{k}" for k in MESSAGE_KEYS if k in inner), None)
    if message_path is None and isinstance(value.get("error"), str):
        message_path = "error"
    if code_path is None:
        return None
    details_path = next((k for k in ("details", "data", "detail") if isinstance(value.get(k), dict)), None)
    for outer in ("error", "err"):
        inner = value.get(outer)
        if details_path is None and isinstance(inner, dict):
            details_path = next((f"{outer}.{k}" for k in ("details", "data") if isinstance(inner.get(k), dict)), None)
    error_when: dict[str, bool | str] = {}
    for flag in ("success", "ok"):
        if value.get(flag) is False:
            error_when[flag] = False
    for flag in ("type", "status"):
        if isinstance(value.get(flag), str) and value[flag].lower() in ("error", "fail", "failure"):
            error_when[flag] = value[flag]
    identifying = [k for k in keys if k != details_path] or keys
    return identifying, code_path, message_path or "message", details_path, error_when
