"""Fuzzing: explain, the catalog loader and import on generated and mutated input (hypothesis).

    python tests/bench/fuzz.py                      # 100 000 inputs: half to explain, a sixth each
                                                    # to --summary, the catalog loader and import
    python tests/bench/fuzz.py --examples 5000      # a quick pass

Each input must be answered or refused as a user error (ErrcodeError, CatalogError), and the
``--summary`` counts of an input (its lines three times over) must be those of explaining every
line in full; anything else is a failure, printed with the input that caused it (hypothesis
shrinks it first). Seeds are the shared examples, the bundled catalogs and the seed documents;
the mutations insert, delete and replace bytes, and splice control characters, huge numbers, deep
nesting and odd encodings in.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import time
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from errcli.catalog import load_all
from errcli.catalog.validate import parse_catalog
from errcli.errors import ErrcodeError
from errcli.explain import Explainer, Summary, explain_stream, explain_text, summarize
from errcli.importer import import_document
from errcli.importer.report import Document

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
NASTY = [
    b"\x00",
    b"\x1b]52;c;aGk=\x07",
    "\u202e".encode(),
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"99999999999999999999999999",
    b"-0",
    b"1e999",
    b"[" * 300,
    b'{"a":' * 300,
    b"\r",
    b"\r\n",
    b"HTTP/1.1 429 x\r\nRetry-After: 99999999999999\r\n\r\n",
    b'{"code": 1001}',
    b"\t" * 1000,
    b" " * 5000,
    "资金".encode(),
    "資金".encode("gb18030"),
]


def seeds(folder: Path, pattern: str, cut: int) -> list[bytes]:
    found = [p.read_bytes()[:cut] for p in sorted(folder.glob(pattern)) if p.is_file()]
    return found or [b'{"code": 1001, "message": "x"}']


@st.composite
def mutated(draw: st.DrawFn, pool: list[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(pool)))
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(("insert", "delete", "replace", "nasty")))
        if kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif kind == "replace" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        else:
            data[at:at] = draw(st.sampled_from(NASTY))
    return bytes(data)


def run(name: str, strategy: st.SearchStrategy[bytes], check: Callable[[bytes], None], examples: int) -> bool:
    count = [0]

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate, Phase.shrink],
    )
    @given(strategy)
    def target(data: bytes) -> None:
        count[0] += 1
        check(data)

    started = time.perf_counter()
    try:
        target()
    except Exception as exc:  # noqa: BLE001 -- the report is the point
        print(f"| {name} | FAILED after {count[0]} inputs: {type(exc).__name__}: {exc} |")
        return False
    print(f"| {name} | {count[0]} inputs | {time.perf_counter() - started:.1f} s | no crash |")
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=100_000, help="inputs in all (default 100 000)")
    args = parser.parse_args()
    explainer = Explainer(load_all())
    responses = seeds(SHARED / "examples", "*.txt", 4000)
    catalogs = seeds(ROOT / "data" / "catalogs", "*.yaml", 6000)
    documents = seeds(SHARED / "seeds", "*", 3000)

    def explain(data: bytes) -> None:
        report = explain_text(explainer, data)
        assert len(report.errors) + report.not_errors + report.unparsed_count <= max(report.lines, 1) * 64

    def summary(data: bytes) -> None:  # the line memo says what explaining every line says
        lines = data.split(b"\n")
        text = b"\n".join(lines * 3)  # lines met again are counted from the memo
        fast = summarize(explainer, io.BytesIO(text))
        full = Summary()
        stream = explain_stream(explainer, io.BytesIO(text))
        for error in stream:
            full.add(error)
        got = [(r.catalog, r.code, r.count, r.first_line, r.last_line) for r in fast.rows]
        want = [(r.catalog, r.code, r.count, r.first_line, r.last_line) for r in full.rows()]
        assert got == want, (got, want)
        assert (fast.not_errors, fast.unparsed_count) == (stream.not_errors, stream.unparsed_count)

    def catalog(data: bytes) -> None:
        with contextlib.suppress(ErrcodeError):
            parse_catalog(data.decode("utf-8", "replace"), "fuzz.yaml")

    def importing(data: bytes) -> None:
        with contextlib.suppress(ErrcodeError):
            import_document(Document(data.decode("utf-8", "replace"), "fuzz.md"))

    share = args.examples // 6
    anything = st.one_of(mutated(responses), st.binary(max_size=512))
    print("| target | inputs | time | result |\n|---|---|---|---|")
    results = [
        run("explain", anything, explain, args.examples - 3 * share),
        run("explain --summary against the full stream", anything, summary, share),
        run("catalog loader", mutated(catalogs), catalog, share),
        run("import", mutated(documents), importing, share),
    ]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
