"""What a person sees: narrow terminals, --lang zh, Markdown, one wait per card, --verbose, --brief."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any

import pytest
from conftest import MIXED_LOG, SHARED, run

from errcli.explain import MAX_STORED_UNPARSED, LineTally

EXAMPLES = SHARED / "examples"
RATE_LIMITED = (
    'HTTP/1.1 429 Too Many Requests\nRetry-After: {retry}\n{date}\n{{"code": 3001, "message": "Rate limit exceeded"}}\n'
)


def table(*args: str, columns: int, stdin: str | None = None) -> str:
    result = run(*args, "--format", "table", stdin=stdin, env={"COLUMNS": str(columns)})
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    return result.stdout


def width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def flat(text: str) -> str:
    """The words of a terminal layout, without borders and line breaks."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


def example_files() -> list[str]:
    if not EXAMPLES.is_dir():
        pytest.skip("the shared examples are not beside this checkout")
    return sorted(p.name for p in EXAMPLES.glob("*.txt"))


# --- 7. narrow terminals never lose data ---------------------------------------------------------


@pytest.mark.parametrize("columns", [60, 120])
def test_cards_keep_their_heading_and_example_whole(columns: int) -> None:
    out = table("1001", columns=columns)
    assert "…" not in out
    assert "market-data 1001 — API key invalid or expired" in flat(out)
    assert "qaexchange 1001 — Insufficient funds" in flat(out)
    entry = json.loads(run("qaexchange:1001", "--json").stdout)["matches"][0]
    lines = out.splitlines()
    for example_line in entry["examples"][0].splitlines():  # verbatim: neither cut nor re-wrapped
        assert any(example_line in line for line in lines), example_line


@pytest.mark.parametrize("columns", [60, 120])
@pytest.mark.parametrize(
    ("args", "kind"),
    [
        (("search", "资金"), "results"),
        (("list",), "entries"),
        (("list", "-c", "ztdx"), "entries"),
    ],
)
def test_tables_never_cut_codes_or_catalog_ids(args: tuple[str, ...], kind: str, columns: int) -> None:
    out = table(*args, columns=columns)
    assert "…" not in out
    words = set(out.split())
    for entry in json.loads(run(*args, "--json").stdout)[kind]:
        assert entry["catalog"] in words
        assert str(entry["code"]) in words
        assert " ".join(entry["title"]["en"].split()) in flat(out)
    if columns < 80:
        assert all(width(line) <= columns for line in out.splitlines())


def test_wide_tables_stay_tables() -> None:
    out = table("search", "资金", columns=120)
    assert out.split("\n", 2)[1].split() == ["catalog", "code", "title", "severity", "score"]


@pytest.mark.parametrize("columns", [60, 120])
def test_catalogs_show_whole_ids_and_paths(columns: int, tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("a-rather-long-folder-name-for-user-catalogs")
    (folder / "broken.yaml").write_text("id: demo\nentries: [\n", encoding="utf-8")
    result = run("--catalog-path", str(folder), "catalogs", "--format", "table", env={"COLUMNS": str(columns)})
    out = result.stdout
    assert "…" not in out
    doc = json.loads(run("--catalog-path", str(folder), "catalogs", "--json").stdout)
    for catalog in doc["catalogs"]:
        assert catalog["id"] in out.split()
    for broken in doc["broken"]:
        assert broken["path"] in out.replace("\n", "")
        assert " ".join(broken["error"].split()) in flat(out)


@pytest.mark.parametrize("columns", [60, 120])
def test_explain_cards_and_summary_never_cut(columns: int) -> None:
    for name in example_files():
        text = (EXAMPLES / name).read_text(encoding="utf-8")
        out = table("explain", stdin=text, columns=columns)
        assert "…" not in out, name
        for line in run("explain", "--brief", stdin=text).stdout.splitlines():
            number, code = line.split("\t")[:2]
            assert re.search(rf"line {number}(-\d+)?:", out)
            assert code.split(":", 1)[1] in out
        summary = table("explain", "--summary", stdin=text, columns=columns)
        assert "…" not in summary, name
        for row in json.loads(run("explain", "--summary", "--json", stdin=text).stdout)["summary"]:
            assert str(row["code"]) in summary.split()
            assert str(row["first_line"]) in summary.split()


# --- 8. --lang zh translates the card and the explain labels ---------------------------------------


def test_lang_zh_card_and_tables() -> None:
    card = run("qaexchange:1001", "--lang", "zh", "--format", "plain").stdout
    assert "资金不足" in card
    assert "警告" in card  # the severity value
    for english in ("severity", "warning", "retryable", "matches"):
        assert english not in card
    listing = run("list", "-c", "qaexchange", "--lang", "zh", "--format", "plain").stdout
    assert "catalog" not in listing.splitlines()[0]
    assert "warning" not in listing
    search = run("search", "资金", "--lang", "zh", "--format", "plain").stdout
    assert "score" not in search.splitlines()[0]
    catalogs = run("catalogs", "--lang", "zh", "--format", "plain").stdout
    assert "entries" not in catalogs.splitlines()[0]


def test_lang_zh_explain_labels_and_footer() -> None:
    text = (EXAMPLES / "06-curl-i-429.txt").read_text(encoding="utf-8") if EXAMPLES.is_dir() else MIXED_LOG
    out = run("explain", "--lang", "zh", stdin=text + MIXED_LOG).stdout
    for english in ("why:", "message:", "action:", "HTTP status", "severity", "warning", "confidence", "error ("):
        assert english not in out, english
    assert "个错误" in out
    summary = run("explain", "--summary", "--lang", "zh", stdin=MIXED_LOG).stdout
    first = summary.splitlines()[0]
    assert "catalog" not in first
    assert "count" not in first
    assert "unparsed" not in summary
    assert "error" not in summary


def test_english_stays_the_default() -> None:
    assert "severity:" in run("qaexchange:1001").stdout
    assert "why:" in run("explain", stdin=MIXED_LOG).stdout


# --- 9. Markdown is valid Markdown ----------------------------------------------------------------


def assert_valid_markdown_tables(text: str) -> None:
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not line.startswith("|"):
            continue
        if i == 0 or not lines[i - 1].startswith("|"):  # a table's header row
            assert i == 0 or lines[i - 1] == "", f"no blank line before the table: {lines[i - 1]!r}"
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            assert all(cells), f"a column without a name: {line!r}"
            assert re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", lines[i + 1]), lines[i + 1]
            assert lines[i + 1].count("|") == line.count("|")
        if i + 1 < len(lines) and not lines[i + 1].startswith("|"):  # a table's last row
            assert lines[i + 1] == "", f"no blank line after the table: {lines[i + 1]!r}"


@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        (("explain", "--summary"), MIXED_LOG),
        (("explain", "--summary", "--verbose"), MIXED_LOG),
        (("explain",), MIXED_LOG),
        (("search", "资金"), None),
        (("list", "-c", "ztdx"), None),
        (("catalogs",), None),
        (("1001",), None),
    ],
)
def test_markdown_tables_are_valid(args: tuple[str, ...], stdin: str | None) -> None:
    result = run(*args, "--format", "markdown", stdin=stdin)
    assert result.exit_code == 0, result.output
    assert_valid_markdown_tables(result.stdout)


# --- 10. one card, one wait ---------------------------------------------------------------------


def test_retry_after_is_the_one_wait_in_the_card() -> None:
    out = run("explain", stdin=RATE_LIMITED.format(retry=30, date="")).stdout
    assert "wait 30 s, then retry (the document advises 60 s)" in out
    assert "wait 60" not in out
    retry_row = next(line for line in out.splitlines() if line.strip().startswith("retryable:"))
    assert " — wait" not in retry_row


def _action(text: str) -> dict[str, Any]:
    action: dict[str, Any] = json.loads(run("explain", "--json", stdin=text).stdout)["errors"][0]["action"]
    return action


def test_retry_after_as_an_http_date_against_the_date_header() -> None:
    sent = datetime(2025, 10, 3, 12, 0, 0, tzinfo=timezone.utc)
    text = RATE_LIMITED.format(
        retry=format_datetime(sent + timedelta(seconds=45), usegmt=True),
        date=f"Date: {format_datetime(sent, usegmt=True)}",
    )
    action = _action(text)
    assert action["kind"] == "wait"
    assert action["seconds"] == 45
    assert action["source"] == "Retry-After header"


def test_retry_after_as_an_http_date_without_a_date_header_counts_from_now() -> None:
    later = datetime.now(timezone.utc) + timedelta(seconds=120)
    action = _action(RATE_LIMITED.format(retry=format_datetime(later, usegmt=True), date=""))
    assert action["source"] == "Retry-After header"
    assert isinstance(action["seconds"], int)
    assert 100 <= action["seconds"] <= 120
    past = datetime.now(timezone.utc) - timedelta(seconds=300)
    assert _action(RATE_LIMITED.format(retry=format_datetime(past, usegmt=True), date=""))["seconds"] == 0


def test_a_broken_retry_after_is_no_traceback() -> None:
    for value in ("soon", "Mon, 99 Foo 2025 99:99:99 GMT", "-5", ""):
        result = run("explain", stdin=RATE_LIMITED.format(retry=value, date="Date: not a date"))
        assert "Traceback" not in result.output
        assert result.exit_code == 0, result.output


# --- 15. --verbose shows the unparsed lines; --brief has the action ------------------------------


def test_verbose_prints_the_unparsed_lines_themselves() -> None:
    evil = "oops \x1b[2J\x1b]0;title\x07 cleared " + "x" * 5000 + "\n"
    text = MIXED_LOG + evil
    for args in (("explain", "--verbose"), ("explain", "--summary", "--verbose")):
        out = run(*args, stdin=text).stdout
        assert "3: this line is not json at all" in out
        assert "\x1b" not in out
        assert "\x07" not in out
        assert "7: oops \\x1b[2J\\x1b]0;title\\x07 cleared xxx" in out
        assert all(width(line) <= 100 for line in out.splitlines() if "xxx" in line)
    quiet = run("explain", stdin=text).stdout
    assert "this line is not json at all" not in quiet


def test_verbose_lines_fit_a_narrow_terminal() -> None:
    out = table("explain", "--verbose", stdin=MIXED_LOG + "y" * 300 + "\n", columns=60)
    assert "3: this line is not json at all" in out
    assert all(width(line) <= 60 for line in out.splitlines() if "yyy" in line)


def test_unparsed_text_is_bounded() -> None:
    tally = LineTally()
    for n in range(1, MAX_STORED_UNPARSED + 500):
        tally.add_text(n, b"z" * 10_000)
    assert tally.unparsed_count == MAX_STORED_UNPARSED + 499
    assert len(tally.unparsed_texts) == MAX_STORED_UNPARSED
    assert max(map(len, tally.unparsed_texts)) <= 512


def test_brief_has_the_action() -> None:
    lines = run("explain", "--brief", stdin=RATE_LIMITED.format(retry=30, date="") + MIXED_LOG).stdout.splitlines()
    fields = [line.split("\t") for line in lines]
    assert fields[0][1] == "market-data:3001"
    assert fields[0][-1] == "wait 30 s"
    assert fields[1][1] == "qaexchange:1004"
    assert fields[1][-1] in ("retry", "do_not_retry", "check_first")
    assert all(len(f) == 5 for f in fields)
