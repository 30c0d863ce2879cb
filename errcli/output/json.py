"""Every document of the JSON/YAML contract (SPEC §7), built in one place, each with its "schema_version".

Keys that scripts rely on come first and never change meaning; more keys may follow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

import msgspec

from errcli._text import ESCAPED_INVISIBLE, INVISIBLE
from errcli.model import SCHEMA_VERSION, Entry

if TYPE_CHECKING:
    from errcli.catalog import CatalogSet
    from errcli.explain.result import Action, ExplainedError, ExplainReport, SummaryReport
    from errcli.lookup import LookupResult
    from errcli.search import SearchResult


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


def action_dict(action: Action) -> dict[str, Any]:
    return {
        "kind": action.kind,
        "seconds": action.seconds,
        "source": action.source or None,
        "fallback_seconds": action.fallback_seconds,
        "advice": msgspec.to_builtins(action.advice) if action.advice is not None else None,
    }


def error_dict(error: ExplainedError, reason: str) -> dict[str, Any]:
    """One error as the contract's object: the SPEC keys first, then extras."""
    return {
        "line": error.line,
        "catalog": error.catalog,
        "code": error.code,
        "http_status": error.http_status,
        "message": error.message,
        "confidence": error.confidence,
        "reason": reason,
        "evidence": [e.to_dict() for e in error.evidence],
        "action": action_dict(error.action),
        "entry": error.entry.to_dict() if error.entry is not None else None,
        "alternatives": [e.to_dict() for e in error.alternatives],
        "raw_code": error.raw_code,
        "basis": error.basis,
        "contradiction": error.contradiction,
        "end_line": error.end_line,
        "details": _jsonable(error.details),
    }


def summary_document(report: SummaryReport) -> dict[str, Any]:
    return document(
        summary=[
            {
                "catalog": row.catalog,
                "code": row.code,
                "title": msgspec.to_builtins(row.entry.title) if row.entry is not None else None,
                "severity": row.entry.severity if row.entry is not None else None,
                "count": row.count,
                "first_line": row.first_line,
                "last_line": row.last_line,
                **({"folded": True} if row.folded else {}),
            }
            for row in report.rows
        ],
        errors=report.errors,
        unknown=report.unknown,
        not_errors=report.not_errors,
        lines=report.lines,
        records=report.records,
        unparsed_lines=list(report.unparsed_lines),
        unparsed_count=report.unparsed_count,
        other_unknown=report.other_unknown,
    )


def _jsonable(value: Any) -> Any:
    """Details come from decoded JSON, so they already are; this only guards the encoder."""
    try:
        msgspec.json.encode(value)
    except (TypeError, OverflowError, msgspec.EncodeError):
        return {k: repr(v) for k, v in value.items()} if isinstance(value, dict) else repr(value)
    return value


def document(**keys: Any) -> dict[str, Any]:
    """A top-level document: ``schema_version`` first, then its keys."""
    return {"schema_version": SCHEMA_VERSION, **keys}


def render(doc: Any, fmt: str) -> str:
    """The document as JSON (``fmt`` "json") or YAML."""
    return dumps_json(doc) + "\n" if fmt == "json" else dumps_yaml(doc)


def lookup_document(results: Sequence[LookupResult]) -> dict[str, Any]:
    docs = [{"query": r.query, "matches": [e.to_dict() for e in r.all_matches]} for r in results]
    return document(**docs[0]) if len(docs) == 1 else document(results=docs)


def search_document(result: SearchResult, as_lookup: bool = False) -> dict[str, Any]:
    """``as_lookup``: a lookup answered by search keeps the lookup's shape (``matches``, and
    ``"searched": true``), so ``jq .matches`` works whatever the query was."""
    hits = [h.entry.to_dict() | {"score": h.score} for h in result.hits]
    if as_lookup:
        return document(query=result.query, searched=True, matches=hits)
    return document(query=result.query, results=hits)


def list_document(entries: Iterable[Entry]) -> dict[str, Any]:
    return document(entries=[e.to_dict() for e in entries])


def catalogs_document(cs: CatalogSet) -> dict[str, Any]:
    catalogs = [
        {
            "id": c.id,
            "name": c.name.get("en"),
            "version": c.version,
            "date": c.date,
            "source": c.source.title if c.source else None,
            "entries": len(c.entries),
            "path": c.path,
            "language": c.language,
        }
        for c in cs.catalogs
    ]
    return document(catalogs=catalogs, broken=[{"path": p.path, "error": p.error} for p in cs.problems])


def validate_document(files: Sequence[tuple[str, Sequence[str], int]]) -> dict[str, Any]:
    return document(
        files=[
            {"path": path, "valid": not errors, "error": errors[0] if errors else None, "errors": list(errors)}
            | {"entries": count}
            for path, errors, count in files
        ]
    )


def cache_document(info: Mapping[str, Any], removed: int | None) -> dict[str, Any]:
    return document(**info, removed=removed)


def explain_document(
    errors: Iterable[dict[str, Any]], not_errors: int, unparsed_lines: Sequence[int], unparsed_count: int
) -> dict[str, Any]:
    """``{"schema_version", "errors": [...], "not_errors", "unparsed_lines", "unparsed_count"}``; ``errors``
    as :func:`error_dict` gives them."""
    return document(
        errors=list(errors), not_errors=not_errors, unparsed_lines=list(unparsed_lines), unparsed_count=unparsed_count
    )


def streamed_explain_document(
    errors: Iterable[dict[str, Any]], counts: Callable[[], Mapping[str, Any]]
) -> Iterator[str]:
    """The explain document as text, an error at a time (``tail -f | errcode explain --json``);
    ``counts`` gives ``not_errors`` and the unparsed lines once every error is out."""
    yield f'{{\n  "schema_version": {SCHEMA_VERSION},\n  "errors": ['
    for i, error in enumerate(errors):
        yield ("," if i else "") + "\n    " + dumps_json(error).replace("\n", "\n    ")
    tally = counts()
    tail = {key: tally[key] for key in ("not_errors", "unparsed_lines", "unparsed_count")}
    yield "\n  ],\n" + dumps_json(tail)[1:-1].strip("\n") + "\n}\n"


def report_document(report: ExplainReport, describe: Callable[[ExplainedError], str]) -> dict[str, Any]:
    """A whole explained input as one document; ``describe`` writes each error's ``reason``."""
    errors = [error_dict(e, describe(e)) for e in report.errors]
    return explain_document(errors, report.not_errors, report.unparsed_lines, report.unparsed_count)
