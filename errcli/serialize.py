"""Entries and results as plain data: the stable JSON/YAML contract (SPEC §7)."""

from __future__ import annotations

from functools import cache
from typing import Any

import msgspec

from errcli._text import ESCAPED_INVISIBLE, INVISIBLE
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
    """Indented JSON; control characters escaped by the encoder, bidi controls and line separators too
    (``\\u202e``: the same text for a parser, none of its effect on a terminal)."""
    return msgspec.json.format(msgspec.json.encode(document), indent=2).decode().translate(ESCAPED_INVISIBLE)


def dumps_yaml(document: Any) -> str:
    """YAML; control characters escaped by the emitter, and a text with a bidi control or line
    separator double-quoted with it escaped, as in JSON."""
    import yaml

    out = yaml.dump(document, Dumper=_yaml_dumper(), allow_unicode=True, sort_keys=False, width=100)
    return out.translate(ESCAPED_INVISIBLE)


@cache
def _yaml_dumper() -> Any:
    """yaml's safe dumper, writing a text that holds an invisible control double-quoted (yaml is
    imported only when YAML is asked for)."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        style = '"' if any(c in INVISIBLE for c in value) else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    return Dumper
