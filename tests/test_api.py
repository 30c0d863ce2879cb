"""The Python API: its public names and signatures are a contract; results are frozen and the same as the CLI's."""

from __future__ import annotations

import dataclasses
import inspect
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest
from conftest import CLEAN_ENV, run

import errcli
from errcli.errors import ErrcodeError
from errcli.model import CONTRACT_KEYS

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.fixture(scope="module")
def catalogs() -> errcli.Catalogs:
    return errcli.load()


def test_public_names_are_pinned() -> None:
    assert sorted(errcli.__all__) == sorted(
        ["Action", "Catalogs", "Entry", "Evidence", "Explanation", "SearchHit", "__version__", "load"]
    )
    for name in errcli.__all__:
        assert getattr(errcli, name) is not None
    with pytest.raises(AttributeError):
        _ = errcli.nothing_here


def _signature(function: Any) -> list[tuple[str, str, Any]]:
    return [(p.name, p.kind.name, p.default) for p in inspect.signature(function).parameters.values()]


def test_signatures_are_pinned() -> None:
    empty = inspect.Parameter.empty
    assert _signature(errcli.load) == [("paths", "POSITIONAL_OR_KEYWORD", ()), ("bundled", "KEYWORD_ONLY", True)]
    cls = errcli.Catalogs
    assert _signature(cls.lookup) == [
        ("self", "POSITIONAL_OR_KEYWORD", empty),
        ("query", "POSITIONAL_OR_KEYWORD", empty),
        ("catalogs", "POSITIONAL_OR_KEYWORD", ()),
    ]
    assert [n for n, _, _ in _signature(cls.search)] == ["self", "text", "limit", "min_score", "catalogs"]
    assert [n for n, _, _ in _signature(cls.explain)] == ["self", "response", "status", "headers", "catalogs"]
    assert [n for n, _, _ in _signature(cls.document)] == ["self", "kind", "query", "options"]
    public = {n for n in dir(cls) if not n.startswith("_")}
    assert public == {"lookup", "search", "explain", "document", "ids", "catalogs", "skipped"}


def test_lookup_returns_entries_for_every_query_form(catalogs: errcli.Catalogs) -> None:
    assert {(e.catalog, e.code) for e in catalogs.lookup("1001")} == {("market-data", 1001), ("qaexchange", 1001)}
    assert [(e.catalog, e.code) for e in catalogs.lookup("ztdx:insufficient-balance")] == [
        ("ztdx", "INSUFFICIENT_BALANCE")
    ]
    assert any(e.catalog == "http" for e in catalogs.lookup("429"))
    assert catalogs.lookup("8888") == []
    assert catalogs.lookup("insufficient balance")  # words are searched, close matches returned
    assert catalogs.lookup("1001", catalogs=["qaexchange"])[0].catalog == "qaexchange"


def test_results_are_frozen(catalogs: errcli.Catalogs) -> None:
    entry = catalogs.lookup("1001")[0]
    with pytest.raises(AttributeError):
        entry.code = 2  # type: ignore[misc]
    hit = catalogs.search("资金", limit=1)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        hit.score = 0  # type: ignore[misc]
    explained = catalogs.explain({"code": 1001, "message": "资金不足"})[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        explained.confidence = 0  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        explained.action.kind = "retry"  # type: ignore[misc]


def test_entry_to_dict_is_the_cli_json_entry(catalogs: errcli.Catalogs) -> None:
    entries = [e.to_dict() for e in catalogs.lookup("1001")]
    assert all(list(d)[: len(CONTRACT_KEYS)] == list(CONTRACT_KEYS) for d in entries)
    cli = json.loads(run("1001", "--json").stdout)
    assert entries == cli["matches"]
    assert json.loads(msgspec.json.encode(entries)) == entries  # plain data


@pytest.mark.parametrize(
    ("kind", "query", "args"),
    [
        ("lookup", "1001", ["1001", "--json"]),
        ("lookup", "insufficient balance", ["insufficient balance", "--json"]),
        ("search", "资金", ["search", "资金", "--json"]),
        (
            "explain",
            '{"code": 1001, "message": "资金不足"}',
            ["explain", '{"code": 1001, "message": "资金不足"}', "--json"],
        ),
        ("catalogs", None, ["catalogs", "--json"]),
    ],
)
def test_documents_are_the_clis(catalogs: errcli.Catalogs, kind: str, query: str | None, args: list[str]) -> None:
    assert catalogs.document(kind, query) == json.loads(run(*args).stdout)


def test_search_hits(catalogs: errcli.Catalogs) -> None:
    hits = catalogs.search("资金", limit=3)
    assert len(hits) == 3
    assert hits[0].entry.catalog == "qaexchange"
    assert hits[0].score >= hits[1].score >= hits[2].score
    assert catalogs.search("资金", limit=5, min_score=80) == [h for h in catalogs.search("资金", 5) if h.score >= 80]


@pytest.mark.parametrize(
    "body",
    [
        '{"code": 3001, "msg": "Too many requests"}',
        b'{"code": 3001, "msg": "Too many requests"}',
        {"code": 3001, "msg": "Too many requests"},
    ],
    ids=["str", "bytes", "mapping"],
)
def test_explain_takes_text_bytes_or_json_with_status_and_headers(catalogs: errcli.Catalogs, body: Any) -> None:
    (found,) = catalogs.explain(body, status=429, headers={"Retry-After": "30"})
    assert (found.catalog, found.code, found.http_status) == ("market-data", 3001, 429)
    assert (found.action.kind, found.action.seconds) == ("wait", 30)
    assert found.entry is not None
    assert 0 < found.confidence <= 1
    assert found.evidence
    assert all(isinstance(e, errcli.Evidence) for e in found.evidence)
    assert isinstance(found.action, errcli.Action)


def test_explain_without_a_status_and_a_whole_log(catalogs: errcli.Catalogs) -> None:
    log = '{"code": 1001, "message": "资金不足"}\nnot json\n{"code": 2002, "message": "账户已冻结"}\n'
    assert [(x.line, x.code) for x in catalogs.explain(log, catalogs=["qaexchange"])] == [(1, 1001), (3, 2002)]
    assert catalogs.explain("") == []


def test_load_named_paths_and_bundled_out(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text("id: mine\nname: {en: Mine}\nentries:\n  - code: 7\n    title: {en: Seven}\n", encoding="utf-8")
    only = errcli.load([mine], bundled=False)
    assert only.ids == ("mine",)
    assert [e.code for e in only.lookup("7")] == [7]
    both = errcli.load([str(mine)])
    assert "mine" in both.ids
    assert "qaexchange" in both.ids
    with pytest.raises(ErrcodeError):
        errcli.load([tmp_path / "missing.yaml"])
    with pytest.raises(ValueError, match="no document"):
        both.document("nothing")


def test_the_api_imports_neither_typer_nor_rich(tmp_path: Path) -> None:
    code = (
        "import sys, errcli; cs = errcli.load(); cs.lookup('1001'); cs.search('资金'); cs.explain('{\"code\": 1001}');"
        " print(sorted({m.split('.')[0] for m in sys.modules} & {'typer', 'rich', 'click'}))"
    )
    env = {**os.environ, **CLEAN_ENV, "XDG_CACHE_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "[]"


def test_the_readme_retry_loop_runs() -> None:
    """The README's retry example, run against a fake HTTP call: a 429 waits and retries, a 1001 gives up."""
    text = README.read_text(encoding="utf-8")
    block = re.search(r"<!-- python: retry -->\n```python\n(.*?)```", text, re.DOTALL)
    assert block is not None
    scope: dict[str, Any] = {}
    exec(compile(block.group(1), "README.md", "exec"), scope)  # noqa: S102 - the README's own example
    replies = iter([(429, {"Retry-After": "0"}, '{"code": 3001, "msg": "Too many requests"}'), (200, {}, "ok")])
    assert scope["call_with_retry"](lambda: next(replies)) == "ok"
    refused: Iterator[tuple[int, dict[str, str], str]] = iter([(400, {}, '{"code": 1001, "message": "资金不足"}')])
    with pytest.raises(RuntimeError, match="HTTP 400"):
        scope["call_with_retry"](lambda: next(refused))
