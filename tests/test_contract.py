"""The JSON documents scripts rely on (SPEC §7): keys and types never change meaning."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import run

HTTP_CATALOG = str(Path(__file__).resolve().parent.parent / "data" / "catalogs" / "http.yaml")

ENTRY_KEYS = {
    "catalog", "code", "symbol", "http_status", "category", "severity", "retryable",
    "title", "description", "causes", "fixes",
}  # fmt: skip


def document(*args: str) -> Any:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def assert_entry(entry: dict[str, Any]) -> None:
    assert set(entry) >= ENTRY_KEYS, ENTRY_KEYS - set(entry)
    assert isinstance(entry["catalog"], str)
    assert isinstance(entry["code"], int | str)
    assert entry["http_status"] is None or isinstance(entry["http_status"], int)
    assert entry["severity"] in ("info", "warning", "critical")
    assert isinstance(entry["retryable"], bool)
    assert set(entry["title"]) == {"zh", "en"}
    assert set(entry["description"]) == {"zh", "en"}
    for key in ("causes", "fixes"):
        assert isinstance(entry[key], list)
        for text in entry[key]:
            assert set(text) == {"zh", "en"}
    assert all(k == k.lower() for k in entry), "keys are snake_case"


def test_lookup_document() -> None:
    doc = document("1001")
    assert set(doc) == {"schema_version", "query", "matches"}
    assert doc["query"] == "1001"
    assert [m["catalog"] for m in doc["matches"]] == ["market-data", "qaexchange"]
    for entry in doc["matches"]:
        assert_entry(entry)
    assert doc["matches"][0]["code"] == 1001  # numbers stay numbers


def test_symbolic_code_stays_a_string() -> None:
    entry = document("ztdx:INSUFFICIENT_BALANCE")["matches"][0]
    assert entry["code"] == "INSUFFICIENT_BALANCE"
    assert entry["http_status"] == 400
    assert entry["title"]["zh"] == "可用余额不足"


def test_several_queries_document() -> None:
    doc = document("1001", "429")
    assert set(doc) == {"schema_version", "results"}
    assert [r["query"] for r in doc["results"]] == ["1001", "429"]
    for result in doc["results"]:
        assert set(result) >= {"query", "matches"}
        for entry in result["matches"]:
            assert_entry(entry)


def test_search_document() -> None:
    doc = document("search", "rate", "limit")
    assert set(doc) == {"schema_version", "query", "results"}
    assert doc["query"] == "rate limit"
    scores = [r["score"] for r in doc["results"]]
    assert scores == sorted(scores, reverse=True)
    for result in doc["results"]:
        assert_entry(result)
        assert isinstance(result["score"], float)


def test_list_document() -> None:
    doc = document("list")
    assert set(doc) == {"schema_version", "entries"}
    assert len(doc["entries"]) >= 20 + 32 + 42 + 60
    for entry in doc["entries"]:
        assert_entry(entry)


def test_catalogs_document() -> None:
    doc = document("catalogs")
    assert {c["id"] for c in doc["catalogs"]} == {"market-data", "qaexchange", "ztdx", "http"}
    for catalog in doc["catalogs"]:
        assert {"id", "name", "version", "source", "entries", "path"} <= set(catalog)
        assert isinstance(catalog["entries"], int)
    assert doc["broken"] == []


def test_not_found_document_is_still_json() -> None:
    result = run("8888", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"schema_version": 1, "query": "8888", "matches": []}


@pytest.mark.parametrize(
    "args",
    [
        ["1001", "--json"],
        ["1001", "2002", "--json"],
        ["资金", "--json"],
        ["search", "资金", "--json"],
        ["list", "-c", "http", "--json"],
        ["catalogs", "--json"],
        ["cache", "--json"],
        ["validate", HTTP_CATALOG, "--json"],
        ["explain", '{"code": 1001}', "--json"],
        ["explain", '{"code": 1001}', "--summary", "--json"],
    ],
)
def test_every_document_starts_with_its_schema_version(args: list[str]) -> None:
    """SPEC §7: every document carries "schema_version": 1 (first, so a reader sees it at once)."""
    result = run(*args)
    doc = json.loads(result.stdout)
    assert next(iter(doc)) == "schema_version"
    assert doc["schema_version"] == 1
