"""The command line: query forms, filters, formats, languages, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import run

from errcli.errors import ExitCode


def codes(stdout: str) -> list[str]:
    """catalog:code pairs from --brief output."""
    return [line.split("\t")[0] for line in stdout.splitlines() if line.strip()]


def test_number_shows_every_catalog_that_defines_it() -> None:
    result = run("1001")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1001: 2 matches (market-data, qaexchange)")
    assert "API key invalid or expired" in result.stdout or "API key" in result.stdout
    assert "qaexchange 1001" in result.stdout
    assert "market-data 1001" in result.stdout


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("1001", ["market-data:1001", "qaexchange:1001"]),
        ("0x3E9", ["market-data:1001", "qaexchange:1001"]),
        ("INSUFFICIENT_BALANCE", ["ztdx:INSUFFICIENT_BALANCE"]),
        ("insufficient-balance", ["ztdx:INSUFFICIENT_BALANCE"]),
        ("insufficientBalance", ["ztdx:INSUFFICIENT_BALANCE"]),
        ("insufficient_balance", ["ztdx:INSUFFICIENT_BALANCE"]),
        ("ztdx:INVALID_AMOUNT", ["ztdx:INVALID_AMOUNT"]),
        ("ztdx:invalid-amount", ["ztdx:INVALID_AMOUNT"]),
        ("qaexchange:1001", ["qaexchange:1001"]),
        ("QAExchange:1001", ["qaexchange:1001"]),
        ("market-data:0", ["market-data:0"]),
    ],
)
def test_query_forms(query: str, expected: list[str]) -> None:
    result = run(query, "--brief")
    assert result.exit_code == 0, result.output
    assert codes(result.stdout) == expected


def test_http_status_shows_http_entry_and_entries_with_that_status() -> None:
    result = run("429", "--brief")
    assert result.exit_code == 0
    found = codes(result.stdout)
    assert found[0] == "http:429"
    assert "ztdx:429" in found
    assert "ztdx:RATE_LIMIT_EXCEEDED" in found


def test_http_status_header_counts_both_kinds() -> None:
    result = run("429")
    assert "by code" in result.stdout.splitlines()[0]
    assert "by HTTP status" in result.stdout.splitlines()[0]


@pytest.mark.parametrize(
    ("query", "catalog", "low", "high"),
    [("3xxx", "qaexchange", 3000, 3999), ("4xx", "http", 400, 499), ("9XXX", "qaexchange", 9000, 9999)],
)
def test_ranges(query: str, catalog: str, low: int, high: int) -> None:
    result = run(query, "--brief")
    assert result.exit_code == 0
    found = codes(result.stdout)
    assert found
    assert any(c.startswith(f"{catalog}:") for c in found)
    for pair in found:
        number = int(pair.split(":")[1])
        assert low <= number <= high


def test_several_queries_are_looked_up_one_by_one() -> None:
    result = run("1003", "ztdx:NONCE_INVALID", "--brief")
    assert result.exit_code == 0
    assert codes(result.stdout) == ["market-data:1003", "qaexchange:1003", "ztdx:NONCE_INVALID"]


def test_catalog_filter_is_repeatable() -> None:
    only = run("1001", "-c", "qaexchange", "--brief")
    assert codes(only.stdout) == ["qaexchange:1001"]
    both = run("1001", "-c", "qaexchange", "--catalog", "market-data", "--brief")
    assert codes(both.stdout) == ["market-data:1001", "qaexchange:1001"]


def test_options_may_come_before_the_query() -> None:
    result = run("-c", "qaexchange", "--brief", "1001")
    assert codes(result.stdout) == ["qaexchange:1001"]


def test_free_text_falls_through_to_search() -> None:
    direct = run("insufficient", "balance", "--json")
    searched = run("search", "insufficient", "balance", "--json")
    assert direct.exit_code == 0
    # the lookup's shape, the search's results: `jq .matches` works whatever the query was
    doc, found = json.loads(direct.stdout), json.loads(searched.stdout)
    assert doc["searched"] is True
    assert (doc["query"], doc["matches"]) == (found["query"], found["results"])
    top = doc["matches"][:3]
    assert any(r["code"] == "INSUFFICIENT_BALANCE" for r in top)


def test_unknown_code_suggests_nearest_and_exits_1() -> None:
    result = run("8888")
    assert result.exit_code == ExitCode.NOT_FOUND
    assert "no entry for 8888" in result.stderr
    assert "nearest:" in result.stderr
    assert "9001" in result.stderr


def test_unknown_symbol_suggests_similar() -> None:
    result = run("INSUFICIENT_BALANCE")
    assert result.exit_code == 1
    assert "no entry for INSUFICIENT_BALANCE" in result.stderr
    assert "INSUFFICIENT_BALANCE" in result.stderr


def test_lang_switches_texts() -> None:
    zh = run("qaexchange:1001", "--lang", "zh", "--format", "plain")
    en = run("qaexchange:1001", "--lang", "en", "--format", "plain")
    assert "资金不足" in zh.stdout.splitlines()[1]
    assert "解决方案" in zh.stdout
    assert "Insufficient" in en.stdout.splitlines()[1]
    assert "fixes" in en.stdout
    # the other language stays available on the card
    assert "资金不足" in en.stdout


def test_lang_default_comes_from_environment() -> None:
    assert "解决方案" in run("qaexchange:1001", env={"ERRCODE_LANG": "zh"}).stdout
    assert "解决方案" in run("qaexchange:1001", env={"ERRCODE_LANG": "", "LANG": "zh_CN.UTF-8"}).stdout
    assert "fixes" in run("qaexchange:1001", env={"ERRCODE_LANG": "", "LANG": "C.UTF-8"}).stdout


@pytest.mark.parametrize("fmt", ["table", "plain", "json", "yaml", "markdown"])
def test_every_format(fmt: str) -> None:
    result = run("ztdx:INSUFFICIENT_BALANCE", "--format", fmt)
    assert result.exit_code == 0, result.output
    out = result.stdout
    if fmt == "json":
        assert json.loads(out)["matches"][0]["code"] == "INSUFFICIENT_BALANCE"
    elif fmt == "yaml":
        assert yaml.safe_load(out)["matches"][0]["code"] == "INSUFFICIENT_BALANCE"
    elif fmt == "markdown":
        assert out.splitlines()[0].startswith("## ")
        assert "### ztdx INSUFFICIENT_BALANCE" in out
        assert "- **fixes**:" in out
    elif fmt == "table":
        assert "╭" in out
        assert "INSUFFICIENT_BALANCE" in out
    else:
        assert "ztdx INSUFFICIENT_BALANCE" in out
        assert "╭" not in out
    assert "\x1b[" not in out


def test_json_shortcut_matches_format_json() -> None:
    assert run("1001", "--json").stdout == run("1001", "--format", "json").stdout


def test_piped_output_is_plain_without_colour() -> None:
    result = run("1001", env={"NO_COLOR": ""})
    assert "╭" not in result.stdout
    assert "\x1b[" not in result.stdout
    assert "  fixes:" in result.stdout


def test_color_always_colours_tables() -> None:
    result = run("1001", "--format", "table", "--color", "always", env={"NO_COLOR": ""})
    assert "\x1b[" in result.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["list", "-c", "qaexchange", "--severity", "critical"], ["qaexchange:1004", "qaexchange:5000"]),
        (["list", "--catalog", "ztdx", "--http", "404"], ["ztdx:ORDER_NOT_FOUND", "ztdx:404"]),
        (["list", "--http", "5xx", "-c", "ztdx"], ["ztdx:DATABASE_ERROR", "ztdx:SERVICE_UNAVAILABLE"]),
        (["list", "-c", "qaexchange", "--retryable"], ["qaexchange:9004"]),
        (["list", "-c", "qaexchange", "--category", "风控"], ["qaexchange:1001", "qaexchange:1008"]),
        (["list", "-c", "qaexchange", "--category", "settlement"], ["qaexchange:6001"]),
    ],
)
def test_list_filters(args: list[str], words: list[str]) -> None:
    result = run(*args, "--brief")
    assert result.exit_code == 0, result.output
    found = codes(result.stdout)
    for word in words:
        assert word in found


def test_list_filters_exclude() -> None:
    found = codes(run("list", "-c", "qaexchange", "--severity", "critical", "--brief").stdout)
    assert "qaexchange:1001" not in found
    assert all(c.startswith("qaexchange:") for c in found)
    not_retryable = codes(run("list", "-c", "qaexchange", "--not-retryable", "--brief").stdout)
    assert "qaexchange:9004" not in not_retryable
    assert "qaexchange:1001" in not_retryable


def test_list_table_and_no_match() -> None:
    table = run("list", "-c", "market-data")
    assert table.exit_code == 0
    assert table.stdout.splitlines()[0].split() == ["catalog", "code", "http", "severity", "retryable", "title"]
    assert len(table.stdout.splitlines()) == 21
    none = run("list", "-c", "market-data", "--http", "503")
    assert none.exit_code == 1
    assert "no entries match" in none.stderr


def test_catalogs_command() -> None:
    result = run("catalogs")
    assert result.exit_code == 0
    for word in ("market-data", "qaexchange", "ztdx", "http", "v0.1.0"):
        assert word in result.stdout
    assert "bundled: qaexchange.yaml" in result.stdout
    paths = {c["id"]: c["path"] for c in json.loads(run("catalogs", "--json").stdout)["catalogs"]}
    assert paths["qaexchange"].endswith("catalogs/qaexchange.yaml")
    assert Path(paths["qaexchange"]).is_absolute()


def test_catalogs_shows_broken_user_catalog(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nentries: [\n", encoding="utf-8")
    result = run("catalogs", "--catalog-path", str(bad))
    assert result.exit_code == 0
    assert "(broken)" in result.stdout
    data = json.loads(run("catalogs", "--catalog-path", str(bad), "--json").stdout)
    assert data["broken"][0]["path"] == str(bad)


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        ([""], 2, ["empty query"]),
        (["ztdx:"], 2, ["nothing after"]),
        (["nope:1001"], 2, ["unknown catalog 'nope'", "market-data"]),
        (["1001", "-c", "nope"], 2, ["unknown catalog 'nope'"]),
        (["1001", "--format", "xml"], 2, ["xml"]),
        (["1001", "--lang", "fr"], 2, ["fr"]),
        (["list", "--http", "abc"], 2, ["not an HTTP status"]),
        (["search"], 2, ["Missing argument"]),
        (["search", "  "], 2, ["empty search"]),
        (["9" * 100_000], 1, ["no entry"]),
        (["x" * 100_000], 1, ["nothing matches"]),
        (["ZTDX:NO_SUCH_THING"], 1, ["no entry for"]),
    ],
)
def test_bad_input_never_shows_a_traceback(args: list[str], code: int, words: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    for word in words:
        assert word in result.output


def test_debug_reraises() -> None:
    result = run("--debug", "nope:1001")
    assert result.exception is not None
    assert not isinstance(result.exception, SystemExit)


def test_ctrl_c_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    import errcli.catalog

    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(errcli.catalog, "load_all", interrupted)
    result = run("1001")
    assert result.exit_code == 130
    assert "Traceback" not in result.output


def test_version_and_help() -> None:
    version = run("--version")
    assert version.exit_code == 0
    assert version.stdout.startswith("errcode ")
    helped = run("--help")
    assert helped.exit_code == 0
    for command in ("lookup", "search", "list", "catalogs", "validate", "completion"):
        assert command in helped.stdout
    assert "errcode 1001" in helped.stdout


@pytest.mark.parametrize("command", ["lookup", "search", "list", "catalogs", "validate", "completion"])
def test_every_command_has_help(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.stdout
    assert len(result.stdout.splitlines()) > 4


def test_terminal_texts_are_printed_literally(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(
        "id: evil\nname: {en: evil}\nentries:\n  - code: 1\n"
        '    title: {en: "[bold red]boom[/] \\e]0;pwned\\a\\e[2J"}\n',
        encoding="utf-8",
    )
    for fmt in ("table", "plain", "markdown"):
        result = run("evil:1", "--catalog-path", str(hostile), "--format", fmt, "--color", "always")
        assert result.exit_code == 0, result.output
        assert "[bold red]boom[/]" in result.stdout
        assert "\x1b]0;" not in result.stdout
        assert "\x1b[2J" not in result.stdout
        assert "\x07" not in result.stdout
        assert "\\x1b" in result.stdout
