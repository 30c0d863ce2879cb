"""``explain --summary`` of a large regular file in two halves (errcli.explain.split): the same report
as one pass, whatever sits at the cut and whatever goes wrong with the second process."""

from __future__ import annotations

import importlib.util
import io
import json
import os
import subprocess
import sys
from dataclasses import astuple
from pathlib import Path
from typing import Any

import pytest

from errcli.catalog import CatalogSet
from errcli.explain import engine, memo, split
from errcli.explain.engine import ExplainStream
from errcli.explain.result import SummaryReport
from errcli.store import helper

HERE = Path(__file__).parent


def _reallog() -> Any:
    spec = importlib.util.spec_from_file_location("reallog", HERE / "bench" / "reallog.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _report(report: SummaryReport) -> tuple[Any, ...]:
    rows = tuple((r.catalog, r.code, r.count, r.first_line, r.last_line, r.folded) for r in report.rows)
    return (rows, *astuple(report)[1:])


def _summaries(cs: CatalogSet, path: Path) -> tuple[SummaryReport, SummaryReport]:
    """(in two halves, in one pass)."""
    with path.open("rb") as f:
        halves = ExplainStream(cs, f).summarize(split_from=1)
    with path.open("rb") as f:
        one = ExplainStream(cs, f).summarize(split_from=0)
    return halves, one


class Watch:
    """Records what became of each forked process."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.results: list[bool] = []
        self.cancels = 0
        watch = self

        class Watched(helper.Helper):
            def result(self) -> object:
                half = super().result()
                watch.results.append(isinstance(half, split.Half))
                return half

            def close(self) -> None:
                if self._pid is not None:  # still running: stopped
                    watch.cancels += 1
                super().close()

        monkeypatch.setattr(engine, "Helper", Watched)


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("split") / "real.log"
    _reallog().write_log(path, lines=30_000)
    return path


def test_two_halves_give_the_one_pass_report(bundled: CatalogSet, log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    watch = Watch(monkeypatch)
    halves, one = _summaries(bundled, log)
    assert watch.results == [True]  # the second half was counted by the other process, and added
    assert _report(halves) == _report(one)
    assert halves.lines == 30_000
    assert halves.errors + halves.not_errors + halves.unparsed_count == halves.lines
    assert len(halves.unparsed_lines) == 1000  # the stored line numbers run on over the cut
    assert halves.rows[0].last_line > halves.lines // 2  # rows seen on both sides


def test_a_document_open_at_the_cut_is_read_on_here(
    bundled: CatalogSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pretty-printed response that spans the middle: the other process's count is dropped."""
    watch = Watch(monkeypatch)
    line = b'2025-10-14 07:30:00,126 ERROR [ztdx.api] {"error": "bad", "code": "INVALID_AMOUNT"}\n'
    inner = b"".join(b'    "k%d": %d,\n' % (i, i) for i in range(4000))
    document = b'HTTP/1.1 400 Bad Request\nContent-Type: application/json\n\n{\n  "code": 1001,\n' + inner
    document += b'  "message": "Invalid or expired token"\n}\n'
    path = tmp_path / "open.log"
    path.write_bytes(line * 500 + document + line * 500)
    halves, one = _summaries(bundled, path)
    assert watch.results == []
    assert watch.cancels == 1
    assert _report(halves) == _report(one)
    assert [(r.code, r.count) for r in halves.rows] == [("INVALID_AMOUNT", 1000), (1001, 1)]


def test_a_failed_second_process_is_made_up_for(
    bundled: CatalogSet, log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    watch = Watch(monkeypatch)

    def fail(*_: object) -> None:
        os._exit(3)

    monkeypatch.setattr(helper, "_child", fail)
    halves, one = _summaries(bundled, log)
    assert watch.results == [False]
    assert _report(halves) == _report(one)


def test_rows_naming_an_entry_not_here_are_counted_here(
    bundled: CatalogSet, log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second half's rows come back as catalog, code and the entry's catalog and code; when one
    names an entry this process does not know, the second half is counted here."""
    watch = Watch(monkeypatch)
    monkeypatch.setattr(ExplainStream, "_entries", lambda _self: {})
    halves, one = _summaries(bundled, log)
    assert watch.results == [True]  # (the other process's count came, and was not added)
    assert _report(halves) == _report(one)


def test_rows_sent_back_name_entries_by_catalog_and_code(bundled: CatalogSet) -> None:
    catalog = bundled.get("qaexchange")
    assert catalog is not None
    entry = catalog.entries[0]
    verdict = split.Counted("qaexchange", entry.code, entry)
    sent = split.sent_rows([[verdict, 3, 10, 20], [split.Counted("ztdx", "NOPE", None), 1, 5, 5]])
    assert sent == [("qaexchange", entry.code, ("qaexchange", entry.code), 3, 10, 20), ("ztdx", "NOPE", None, 1, 5, 5)]
    entries = {("qaexchange", entry.code): entry}
    assert split.received_rows(sent, entries) == [[verdict, 3, 10, 20], [split.Counted("ztdx", "NOPE", None), 1, 5, 5]]
    assert split.received_rows(sent, {}) is None


def test_no_fork_counts_in_one_pass(bundled: CatalogSet, log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> int:
        raise OSError("no more processes")

    monkeypatch.setattr(os, "fork", refuse)
    halves, one = _summaries(bundled, log)
    assert _report(halves) == _report(one)


def test_too_many_unknown_codes_to_add_are_counted_here(
    bundled: CatalogSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Which unknown codes get a row of their own depends on the order they come in: when the halves
    together pass the limit, the second half is counted again in order."""
    monkeypatch.setattr(memo, "UNKNOWN_CODES_LIMIT", 40)
    watch = Watch(monkeypatch)
    path = tmp_path / "codes.log"
    codes = [900000 + i % 30 for i in range(2000)] + [900100 + i % 30 for i in range(2000)]  # 30 new in each half
    path.write_bytes(b"".join(b'{"code": %d, "message": "zzq"}\n' % code for code in codes))
    halves, one = _summaries(bundled, path)
    assert watch.results == [True]  # it came back, and was not added
    assert _report(halves) == _report(one)
    assert halves.other_unknown > 0


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'{"code": 1001}\n' * 100, "below the size"),
        (b"\xff\xfe" + '{"code": 1001}\n'.encode("utf-16-le") * 100, "UTF-16"),
        (b'{"code": 1001, "message": "' + b"x" * (3 << 20) + b'"}\n', "no line end near the middle"),
    ],
)
def test_what_is_not_cut(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "in.log"
    path.write_bytes(data)
    with path.open("rb") as f:
        assert split.cut(f, 1 if reason != "below the size" else 1 << 20) is None, reason
    assert split.cut(io.BytesIO(data), 1) is None  # no file: one pass


def test_the_cut_starts_a_line_after_what_was_already_read(tmp_path: Path) -> None:
    path = tmp_path / "in.log"
    path.write_bytes(b"a" * 10 + b"\n" + b"b" * 10 + b"\n" + b"c" * 10 + b"\n")
    with path.open("rb") as f:
        f.read(11)
        where = split.cut(f, 1)
        assert where is not None
        _, start, middle = where
        assert (start, middle) == (11, 33)  # half of what is left, then to the next line end


def test_the_command_on_a_large_file_agrees_with_a_pipe(tmp_path: Path) -> None:
    """Whole processes: a file past the size that is cut (given as an argument) and the same bytes
    through a pipe (never cut) give the same JSON document."""
    path = tmp_path / "big.log"
    _reallog().write_log(path, lines=90_000)
    assert path.stat().st_size > split.MIN_SPLIT_BYTES
    errcode = [sys.executable, "-m", "errcli", "explain", "--summary", "--format", "json"]
    env = {**os.environ, "NO_COLOR": "1"}
    by_file = subprocess.run([*errcode, str(path)], capture_output=True, env=env, check=False)
    with path.open("rb") as f:
        piped = subprocess.run([*errcode, "-"], input=f.read(), capture_output=True, env=env, check=False)
    assert by_file.returncode == piped.returncode == 1, by_file.stderr
    assert json.loads(by_file.stdout) == json.loads(piped.stdout)
    assert json.loads(by_file.stdout)["lines"] == 90_000


def test_rows_first_seen_in_the_second_half_keep_their_line_numbers(
    bundled: CatalogSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    watch = Watch(monkeypatch)
    first = b'{"code": 1001, "message": "Invalid or expired token"}\n'
    second = b'{"error": "bad", "code": "INVALID_AMOUNT", "x": 1234}\n'
    last = b'{"code": 2002, "message": "Symbol not found: BTCUSDTX"}\n'
    path = tmp_path / "three.log"
    path.write_bytes(first * 3000 + second * 3000 + last * 10)
    halves, one = _summaries(bundled, path)
    assert watch.results == [True]
    assert _report(halves) == _report(one)
    assert [(r.code, r.first_line, r.last_line) for r in halves.rows] == [
        (1001, 1, 3000),
        ("INVALID_AMOUNT", 3001, 6000),
        (2002, 6001, 6010),
    ]
