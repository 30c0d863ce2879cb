"""Hostile inputs: memory and time stay bounded, odd encodings are read, -o never replaces a device."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CLEAN_ENV, run, run_measured

from errcli.catalog import CatalogSet
from errcli.explain import explain_stream
from errcli.explain.reader import RecordReader
from errcli.explain.tally import LineTally

ERRCODE = str(Path(sys.executable).parent / "errcode")
DOC = "# Errors\n\n## 1001 Token expired\n\nThe token has expired.\n"


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        **CLEAN_ENV,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }


# --- explain --summary: bounded state whatever the number of distinct codes ---------------------


def test_summary_memory_stays_flat_with_distinct_unknown_codes(tmp_path: Path) -> None:
    lines = 200_000
    log = tmp_path / "unknown.ndjson"
    with log.open("w", encoding="utf-8") as fh:
        for i in range(lines):
            fh.write(f'{{"code": {900000 + i}, "message": "x"}}\n')
    returncode, out, peak_mb = run_measured([ERRCODE, "explain", "--summary", str(log), "--json"], _env(tmp_path))
    assert returncode in (0, 1)
    doc = json.loads(out)
    assert doc["errors"] + doc["not_errors"] + doc["unparsed_count"] == doc["lines"] == lines
    folded = [row for row in doc["summary"] if row.get("folded")]
    assert len(folded) == 1
    assert doc["other_unknown"] == folded[0]["count"] > 0
    assert sum(row["count"] for row in doc["summary"]) == doc["errors"]
    assert len(doc["summary"]) <= 10_001
    assert folded[0]["last_line"] == lines
    assert peak_mb < 150, f"peak RSS {peak_mb:.0f} MB"


def test_summary_folding_is_said_in_the_footer(bundled: CatalogSet) -> None:
    from errcli.explain import memo

    text = "".join(f'{{"code": {900000 + i}, "message": "x"}}\n' for i in range(30))
    text += '{"code": 1001, "message": "Invalid or expired token"}\n'
    limit = memo.UNKNOWN_CODES_LIMIT
    memo.UNKNOWN_CODES_LIMIT = 10
    try:
        report = explain_stream(bundled, io.BytesIO(text.encode())).summarize()
        result = run("explain", "--summary", "-", stdin=text)
    finally:
        memo.UNKNOWN_CODES_LIMIT = limit
    assert report.other_unknown == 20
    assert report.rows[-1].folded
    assert report.rows[-1].count == 20
    assert (report.rows[-1].first_line, report.rows[-1].last_line) == (11, 30)
    assert sum(r.count for r in report.rows) == report.errors == 31
    assert "20 errors with other unknown codes" in result.stdout


def test_unknown_codes_are_as_cheap_as_known_ones(bundled: CatalogSet) -> None:
    from errcli.explain.engine import Explainer

    explainer = Explainer(bundled)
    data = "".join(f'{{"code": {900000 + i}, "message": "x"}}\n' for i in range(2000)).encode()
    errors = list(explain_stream(explainer, io.BytesIO(data)))
    assert [e.code for e in errors[:3]] == [900000, 900001, 900002]
    assert all(e.entry is None for e in errors)
    evidence = [ev for ev in errors[5].evidence if ev.kind == "code"]
    assert evidence
    assert evidence[0].value == 900005
    # one decision for them all: the code is patched into the verdict
    assert len(explainer.classifier._shared) == 1


# --- explain: encodings and line ends --------------------------------------------------------------

RECORDS = '{"code": 1001, "message": "Invalid or expired token"}\n{"code": 0, "message": "success"}\nnot json\n'


@pytest.mark.parametrize(
    "data",
    [
        RECORDS.encode("utf-16"),
        b"\xff\xfe" + RECORDS.encode("utf-16-le"),
        b"\xfe\xff" + RECORDS.encode("utf-16-be"),
        b"\xef\xbb\xbf" + RECORDS.encode(),
    ],
    ids=["utf-16", "utf-16-le", "utf-16-be", "utf-8-bom"],
)
def test_bom_encodings_are_decoded(bundled: CatalogSet, data: bytes) -> None:
    stream = explain_stream(bundled, io.BytesIO(data))
    assert [(e.line, e.code) for e in stream] == [(1, 1001)]
    assert (stream.lines, stream.not_errors, stream.unparsed_count, stream.unparsed_lines) == (3, 1, 1, [3])


def test_utf16_read_in_small_pieces(bundled: CatalogSet) -> None:
    """A BOM'd UTF-16 stream read a few bytes at a time (a pipe) still decodes."""

    class Trickle(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.data = data

        def readable(self) -> bool:
            return True

        def read1(self, _n: int = -1) -> bytes:
            piece, self.data = self.data[:3], self.data[3:]
            return piece

    stream = explain_stream(bundled, Trickle(RECORDS.encode("utf-16")))
    assert [(e.line, e.code) for e in stream] == [(1, 1001)]
    assert (stream.lines, stream.unparsed_count) == (3, 1)


def test_cr_only_lines_count_a_fragment_as_unparsed(bundled: CatalogSet) -> None:
    data = b'{"code": 1001, "message": "x"}\rnot json here\r{"code": 2002, "message": "Symbol not found"}\r'
    stream = explain_stream(bundled, io.BytesIO(data))
    assert [(e.line, e.code) for e in stream] == [(1, 1001), (3, 2002)]
    assert (stream.lines, stream.unparsed_count, stream.unparsed_lines) == (3, 1, [2])
    mixed = b'{"code": 1001, "message": "x"}\r\nnot json\r{"code": 2002, "message": "y"}\n\r\n'
    tally = LineTally()
    records = list(RecordReader(io.BytesIO(mixed), tally))
    assert [r.line for r in records] == [1, 3]
    assert (tally.lines, tally.unparsed_lines, tally.blank_lines) == (4, [2], 1)


def test_cr_only_stream_is_not_one_overlong_line(bundled: CatalogSet) -> None:
    data = b'{"code": 1001, "message": "x"}\r' * 50_000  # 1.5 MB without a newline
    stream = explain_stream(bundled, io.BytesIO(data))
    assert sum(1 for _ in stream) == 50_000
    assert (stream.lines, stream.unparsed_count) == (50_000, 0)


# --- import: linear time on long whitespace runs ---------------------------------------------------

SPACES = 1 << 20


@pytest.mark.parametrize(
    "doc",
    [
        DOC + " " * SPACES + "\n",
        DOC + "| code | message |\n|" + " " * 64_000 + "---|---|\n| 1002" + " " * 64_000 + "| bad |\n",
        DOC + "1003" + " " * 64_000 + "x\n" + "(1000" + " " * 64_000 + "1999\n3xx" + " " * 64_000 + "\n",
        DOC + "- **Cause" + " " * 64_000 + "\n## 1004 Title" + " " * 64_000 + "(HTTP 400" + " " * 64_000 + "\n",
        DOC + "## 1005 Title" + "⚠️ " * 30_000 + "x\n" + "## 1006" + " \t" * 64_000 + "error\n",
    ],
    ids=["spaces", "table", "code-and-range", "label-and-http", "severity"],
)
def test_import_is_linear_on_long_whitespace(tmp_path: Path, doc: str) -> None:
    path = tmp_path / "doc.md"
    path.write_text(doc, encoding="utf-8")
    proc = subprocess.run(
        [ERRCODE, "import", str(path), "-o", str(tmp_path / "out.yaml")],
        capture_output=True,
        env=_env(tmp_path),
        timeout=20,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr


# --- import -o: never onto a device, FIFO or /proc -----------------------------------------------


def _doc(tmp_path: Path) -> str:
    path = tmp_path / "doc.md"
    path.write_text(DOC, encoding="utf-8")
    return str(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")
def test_import_refuses_a_fifo_or_device_target(tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    result = run("import", _doc(tmp_path), "-o", str(fifo), "--force")
    assert result.exit_code == 2, result.output
    assert str(fifo) in result.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    if os.geteuid() == 0:  # a character device of our own (a copy of /dev/null)
        device = tmp_path / "null"
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        result = run("import", _doc(tmp_path), "-o", str(device), "--force")
        assert result.exit_code == 2, result.output
        assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_import_refuses_dev_null(tmp_path: Path) -> None:
    result = run("import", _doc(tmp_path), "-o", "/dev/null", "--force")
    assert result.exit_code == 2, result.output
    assert "/dev/null" in result.output
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)


@pytest.mark.parametrize("target", ["/proc/self/environ", "/proc/self/fd/1", "missing-target"])
def test_import_refuses_a_symlink_to_a_non_file(tmp_path: Path, target: str) -> None:
    link = tmp_path / "out.yaml"
    link.symlink_to(target if target.startswith("/") else tmp_path / target)
    result = run("import", _doc(tmp_path), "-o", str(link), "--force")
    assert result.exit_code == 2, result.output
    assert str(link) in result.output
    assert link.is_symlink()


def test_import_still_writes_regular_files(tmp_path: Path) -> None:
    out = tmp_path / "out.yaml"
    assert run("import", _doc(tmp_path), "-o", str(out)).exit_code == 0
    assert run("import", _doc(tmp_path), "-o", str(out), "--force").exit_code == 0
    assert "1001" in out.read_text(encoding="utf-8")
