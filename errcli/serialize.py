"""Entries and results as plain data: the stable JSON/YAML contract (SPEC §7)."""

from __future__ import annotations

from typing import Any

import msgspec

from errcli.model import Entry

# Keys that scripts rely on come first and never change meaning.
CONTRACT_KEYS = (
    "catalog",
    "code",
    "symbol",
    "http_status",
    "category",
    "severity",
    "severity_source",
    "retryable",
    "retryable_source",
    "title",
    "description",
    "causes",
    "fixes",
)
_ALWAYS = frozenset(CONTRACT_KEYS)


def entry_dict(entry: Entry) -> dict[str, Any]:
    data: dict[str, Any] = msgspec.to_builtins(entry)
    out = {key: data.get(key) for key in CONTRACT_KEYS}
    out.update((key, value) for key, value in data.items() if key not in _ALWAYS)
    for key in ("causes", "fixes"):
        out[key] = out[key] or []
    return out


def dumps_json(document: Any) -> str:
    return msgspec.json.format(msgspec.json.encode(document), indent=2).decode()


def dumps_yaml(document: Any) -> str:
    import yaml

    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
