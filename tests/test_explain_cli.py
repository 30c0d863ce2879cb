"""`errcode explain` end to end: inputs, formats, summary, exit codes, streaming, safety."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CLEAN_ENV, MIXED_LOG, SHARED, run

EXAMPLES = SHARED / "examples"


def expected_examples() -> list[tuple[str, list[str]]]:
    table = EXAMPLES / "expected.tsv"
    if not table.exists():
        if os.environ.get("ERRCODE_REQUIRE_SEEDS"):
            pytest.fail(f"missing {table}")
        pytest.skip("the shared examples are not beside this checkout")
    rows = []
    for line in table.read_text(encoding="utf-8").splitlines():
        name, expected = line.split("\t")
        rows.append((name, [w for w in expected.split() if ":" in w and not w.startswith("(")]))
    return rows


def test_shared_examples_through_the_cli() -> None:
    for name, expected in expected_examples():
        text = (EXAMPLES / name).read_text(encoding="utf-8")
        result = run("explain", "--brief", stdin=text)
        assert result.exit_code == 0, (name, result.output)
        found = [line.split("\t")[1] for line in result.stdout.splitlines()]
        assert found == expected, name


def test_stdin_without_a_subcommand_explains() -> None:
    result = run(stdin='{"code": 1001, "message": "Invalid or expired token"}\n')
    assert result.exit_code == 0, result.output
    assert "market-data 1001" in result.stdout


def test_file_and_argument_inputs(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text(MIXED_LOG, encoding="utf-8")
    from_file = run("explain", str(log), "--brief")
    assert [line.split("\t")[1] for line in from_file.stdout.splitlines()] == [
        "qaexchange:1004", "ztdx:ORDER_NOT_FOUND", "market-data:2002", "market-data:2002",
    ]  # fmt: skip
    from_arg = run("explain", '{"error": "余额不足", "code": "INSUFFICIENT_BALANCE"}', "--brief")
    assert from_arg.stdout.split("\t")[1] == "ztdx:INSUFFICIENT_BALANCE"
    dash = run("explain", "-", "--brief", stdin='{"type": "error", "code": 9002, "message": "未认证"}')
    assert dash.stdout.split("\t")[1] == "qaexchange:9002"


def test_plain_output_carries_card_message_details_and_action() -> None:
    text = (
        'HTTP/2 429\r\nretry-after: 12\r\n\r\n{"error": "余额不足,需要 653.25 USDT", "code": "INSUFFICIENT_BALANCE",'
        ' "details": {"required": "653.25", "available": "500.00"}}\r\n'
    )
    result = run("explain", stdin=text)
    out = result.stdout
    assert "ztdx INSUFFICIENT_BALANCE" in out
    assert "message:     余额不足,需要 653.25 USDT" in out
    assert "details.required: 653.25" in out
    assert "details.available: 500.00" in out
    assert "wait 12 s" in out
    assert "fixes:" in out
    assert "1 error (1 identified, 0 unknown)" in out


def test_json_document_follows_the_contract() -> None:
    result = run("explain", "--json", stdin=MIXED_LOG + '{"code": 7777, "message": "???"}\n')
    assert result.exit_code == 1  # an unknown code
    doc = json.loads(result.stdout)
    assert {"errors", "not_errors", "unparsed_lines"} <= set(doc)
    assert doc["not_errors"] == 1
    assert doc["unparsed_lines"] == [3]
    keys = {"line", "catalog", "code", "http_status", "message", "confidence", "reason", "entry", "alternatives"}
    for error in doc["errors"]:
        assert keys <= set(error)
        assert isinstance(error["confidence"], float)
    assert [e["line"] for e in doc["errors"]] == [2, 4, 5, 6, 7]
    assert doc["errors"][-1]["entry"] is None
    assert doc["errors"][0]["entry"]["title"]["zh"] == "风险度过高"


def test_yaml_and_markdown() -> None:
    import yaml

    doc = yaml.safe_load(run("explain", "--format", "yaml", stdin=MIXED_LOG).stdout)
    assert len(doc["errors"]) == 4
    markdown = run("explain", "--format", "markdown", stdin=MIXED_LOG).stdout
    assert "### line 2: qaexchange 1004" in markdown


def test_summary_table_and_json() -> None:
    table = run("explain", "--summary", stdin=MIXED_LOG)
    assert table.exit_code == 0
    lines = table.stdout.splitlines()
    assert lines[0].split()[:7] == ["catalog", "code", "title", "severity", "count", "first", "last"]
    assert lines[1].startswith("market-data")
    assert " 2 " in lines[1]
    assert "█" in lines[1]
    assert "1 unparsed line" in table.stdout
    verbose = run("explain", "--summary", "--verbose", stdin=MIXED_LOG)
    assert "unparsed lines:\n  3: this line is not json at all\n" in verbose.stdout
    doc = json.loads(run("explain", "--summary", "--json", stdin=MIXED_LOG).stdout)
    assert doc["summary"][0]["count"] == 2
    assert doc["summary"][0]["first_line"] == 5
    assert doc["summary"][0]["last_line"] == 6


def test_summary_table_shows_the_most_frequent_unknown_codes() -> None:
    """A log whose undocumented codes are ids (``upstream error 251504``) gives one unknown row per
    code: the table shows the most frequent and one row for the rest; JSON keeps every row."""
    lines = [f'{{"code": {100000 + i}, "message": "upstream error {100000 + i}"}}' for i in range(60)]
    lines += ['{"code": 99, "message": "mystery"}'] * 3
    text = "\n".join(lines) + "\n"
    table = run("explain", "--summary", stdin=text)
    rows = [line for line in table.stdout.splitlines() if "unknown" in line and "…" not in line]
    assert 1 <= len(rows) <= 21, table.stdout
    assert rows[0].split()[1] == "99"  # the most frequent first
    folded = [line for line in table.stdout.splitlines() if "…" in line]
    assert len(folded) == 1, table.stdout
    assert "other unknown codes" in folded[0]
    assert "63 errors" in table.stdout
    doc = json.loads(run("explain", "--summary", "--json", stdin=text).stdout)
    assert len(doc["summary"]) == 61
    assert sum(row["count"] for row in doc["summary"]) == 63


@pytest.mark.parametrize(
    ("args", "stdin", "status", "words"),
    [
        (["explain"], "", 2, ["no input"]),
        (["explain", "/no/such/file.log"], None, 2, ["cannot read"]),
        (["explain", "-c", "nope"], "{}", 2, ["unknown catalog"]),
        (["explain"], "just words, nothing else\n", 1, ["0 errors", "1 unparsed line", "no response found"]),
        (["explain"], '{"code": 0, "message": "success"}', 0, ["1 not an error"]),
        (["explain"], '{"code": 99999, "message": "mystery"}', 1, ["unknown code 99999"]),
    ],
)
def test_exit_statuses(args: list[str], stdin: str | None, status: int, words: list[str]) -> None:
    result = run(*args, stdin=stdin)
    assert result.exit_code == status, result.output
    for word in words:
        assert word in result.output
    assert "Traceback" not in result.output


def test_catalog_option_forces_one() -> None:
    result = run("explain", "-c", "qaexchange", "--brief", stdin='{"code": 2002, "message": "Symbol not found"}')
    assert result.stdout.split("\t")[1] == "qaexchange:2002"


def test_input_text_is_printed_literally() -> None:
    evil = '{"code": 1001, "message": "[bold red]pwn[/] \\u001b]0;title\\u0007 \\u001b[2J done"}'
    for fmt in ("plain", "table", "markdown"):
        result = run("explain", "--format", fmt, "--color", "always", stdin=evil)
        assert "[bold red]pwn[/]" in result.stdout
        assert "\x1b]0;" not in result.stdout
        assert "\x1b[2J" not in result.stdout
        assert "\x07" not in result.stdout


def test_output_streams_before_the_input_ends(tmp_path: Path) -> None:
    """Works with `tail -f`: each error is printed as soon as its line is read."""
    env = {**os.environ, **CLEAN_ENV, "XDG_CACHE_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
    errcode = str(Path(sys.executable).parent / "errcode")
    proc = subprocess.Popen(
        [errcode, "explain", "--brief"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True
    )
    assert proc.stdin is not None
    assert proc.stdout is not None
    try:
        proc.stdin.write('{"code": 1001, "message": "Invalid or expired token"}\n')
        proc.stdin.flush()
        start = time.monotonic()
        first = proc.stdout.readline()
        assert "market-data:1001" in first
        assert time.monotonic() - start < 20
    finally:
        proc.stdin.close()
        proc.wait(timeout=20)


def test_a_brief_line_of_an_error_without_catalog_or_code_says_unknown() -> None:
    """``--brief`` of an error that names no catalog and sends no code: ``?:?``, not ``?:None``."""
    result = run("explain", "--brief", stdin='{"error": "something failed badly"}')
    fields = result.stdout.splitlines()[0].split("\t")
    assert fields[1] == "?:?"
    assert "None" not in result.stdout
