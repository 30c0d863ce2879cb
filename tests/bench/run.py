"""Whole-process benchmark: every figure as a ratio to the stack floor measured in the same run.

    python tests/bench/run.py                  # all figures
    python tests/bench/run.py --quick          # the start-up figures only
    python tests/bench/run.py --only explain   # explain --summary against jq only (also: startup,
                                               # peers, catalog, ndjson, reallog; repeat or comma-separate)
    python tests/bench/run.py --only peers     # against httpcode's `hc` (installed from PyPI into a
                                               # virtualenv of the run) and a bare `python -c pass`
    python tests/bench/run.py --runs 21        # more pairs

Each command runs as a whole process (Python start, imports, cache, render) in turns
with the floor (A B A B …); a ratio is taken per pair and the median is reported, so a
machine that speeds up or slows down during the run does not skew it. Peak memory is
the child's maximum resident set size from the kernel (wait4).

The real-looking log (tests/bench/reallog.py) is written once per run into the temporary
folder; before it is timed, ``explain --summary --format json`` must account for every line
(errors + not_errors + unparsed_count == lines, and unparsed_count == the plain lines written),
or the run stops.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY = sys.executable
ERRCODE = [str(Path(PY).parent / "errcode")]
FLOOR = [PY, str(HERE / "floor.py"), "1001"]
REALLOG = HERE / "reallog.py"
JQ = "/usr/bin/jq" if Path("/usr/bin/jq").exists() else "jq"
RUN_NUMBERS = itertools.count()  # an environment of its own for each pair answered the full way
GROUPS = {
    "startup": ("startup",),
    "peers": ("peers",),
    "catalog": ("catalog",),
    "ndjson": ("ndjson",),
    "reallog": ("reallog",),
    "explain": ("ndjson", "reallog"),
}


def run_once(argv: Sequence[str], env: dict[str, str], stdin: Path | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one whole process, output to a pipe."""
    with Path(stdin or os.devnull).open("rb") as inp:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdin=inp, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert proc.stdout is not None
        while proc.stdout.read(1 << 16):
            pass
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} exited {proc.returncode}")
    return elapsed, usage.ru_maxrss


def paired(
    a: Sequence[str],
    b: Sequence[str],
    env: dict[str, str],
    runs: int,
    prepare: Callable[[], object] | None = None,
    warm_up: bool = True,
    full_way: bool = False,
    env_b: dict[str, str] | None = None,
) -> dict[str, float]:
    """Median of A, of B, and of the per-pair ratio A/B, after one warm-up of each (unless done already).

    ``full_way``: every pair has an environment of its own (an ``ERRCODE_`` variable with the
    run's number), so a lookup or search is answered the full way, never with an answer kept from
    an earlier run (see errcli.store.answers); the catalogs and the index stay cached. ``env_b``:
    B's environment, when it is not A's.
    """
    times_a: list[float] = []
    times_b: list[float] = []
    ratios: list[float] = []
    peak = 0
    for i in range(0 if warm_up else 1, runs + 1):
        if prepare is not None:
            prepare()
        run = {"ERRCODE_BENCH_RUN": str(next(RUN_NUMBERS))} if full_way else {}
        ta, rss = run_once(a, {**env, **run})
        tb, _ = run_once(b, {**(env if env_b is None else env_b), **run})
        if i:  # the first pair warms the disk cache
            times_a.append(ta)
            times_b.append(tb)
            ratios.append(ta / tb)
            peak = max(peak, rss)
    return {
        "a": statistics.median(times_a),
        "b": statistics.median(times_b),
        "ratio": statistics.median(ratios),
        "peak_mib": peak / 1024,
    }


def big_catalog(path: Path, entries: int) -> None:
    words = ["order", "balance", "margin", "token", "signature", "rate", "limit", "account", "position", "price"]
    zh = ["订单", "余额", "保证金", "令牌", "签名", "频率", "限制", "账户", "仓位", "价格"]
    rng = random.Random(7)
    lines = ["id: big", "name: {en: Big API, zh: 大接口}", "entries:"]
    for i in range(entries):
        a, b = rng.sample(range(len(words)), 2)
        lines += [
            f"  - code: BIG_{i:06d}",
            f"    title: {{en: {words[a]} {words[b]} problem {i}, zh: {zh[a]}{zh[b]}错误{i}}}",
            f"    description: {{en: The {words[a]} is not valid for this {words[b]}, zh: {zh[a]}对该{zh[b]}无效}}",
            f"    keywords: [{words[a]}, {zh[b]}]",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def ndjson(path: Path, lines: int) -> None:
    samples = [
        '{"code": 1001, "message": "Invalid or expired token"}',
        '{"success": false, "data": null, "error": {"code": 1001, "message": "资金不足: 需要 10000.00, 可用 5000.00"}}',
        (
            '{"error": "余额不足,需要 653.25 USDT 作为保证金", "code": "INSUFFICIENT_BALANCE", '
            '"details": {"required": "653.25"}}'
        ),
        '{"type": "error", "code": 9002, "message": "未认证: 请先发送 auth 消息"}',
        '{"code": 0, "message": "success", "data": {}}',
        '{"code": 3001, "message": "Rate limit exceeded"}',
    ]
    with path.open("w", encoding="utf-8") as out:
        for i in range(lines):
            out.write(samples[i % len(samples)] + "\n")


def make(kind: str, path: Path, count: int) -> None:
    subprocess.run([PY, __file__, "--make", kind, str(path), str(count)], check=True)


def real_log(path: Path, lines: int) -> dict[str, int]:
    """Write the real-looking log in a child (its memory stays out of the peaks); the lines per kind."""
    done = subprocess.run([PY, str(REALLOG), str(path), "--lines", str(lines)], check=True, capture_output=True)
    counts: dict[str, int] = json.loads(done.stdout)
    return counts


def check_counts(data: Path, written: dict[str, int], env: dict[str, str]) -> str:
    """``explain --summary --format json`` accounts for every line of the log; a note on what it found."""
    argv = [*ERRCODE, "explain", "--summary", "--format", "json", str(data)]
    done = subprocess.run(argv, env=env, capture_output=True, check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.decode(errors='replace')[-2000:]}")
    doc = json.loads(done.stdout)
    errors, not_errors, unparsed = doc["errors"], doc["not_errors"], doc["unparsed_count"]
    lines, plain = written["lines"], written.get("plain", 0)
    if errors + not_errors + unparsed != lines:
        raise SystemExit(
            f"explain --summary lost lines: errors {errors} + not_errors {not_errors} + unparsed {unparsed}"
            f" = {errors + not_errors + unparsed}, but the log has {lines} lines"
        )
    if unparsed != plain:
        raise SystemExit(f"explain --summary: {unparsed} lines unparsed, but the log has {plain} lines without JSON")
    codes = subprocess.run([JQ, "-R", "-c", "fromjson? | .code", str(data)], capture_output=True, check=True).stdout
    error_lines = sum(v for k, v in written.items() if k.startswith("error_"))
    return (
        f"counts add up: {errors} errors ({doc['unknown']} unknown, {len(doc['summary'])} rows; {error_lines} error"
        f" lines written) + {not_errors} not errors + {unparsed} unparsed = {lines} lines;"
        f" jq printed {len(codes.splitlines())} codes (every JSON value there follows a log prefix)"
    )


def api_row(env: dict[str, str], runs: int) -> str:
    """The Python API in a fresh process against the command doing the same lookup."""
    api = [PY, "-c", "import errcli; print(len(errcli.load().lookup('1001')))"]
    figure = paired(api, [*ERRCODE, "1001"], env, runs, full_way=True)  # the command doing the same work
    return row("`errcli.load().lookup('1001')` in a fresh process", figure, "≤ 1.0× `errcode 1001` the full way")


def peer_hc(work: Path) -> list[str] | None:
    """``hc`` of httpcode (a plain-argparse Python lookup tool, installed as a console script the way
    errcode is), in a virtualenv of its own; None when it cannot be installed."""
    venv = work / "peers"
    hc = venv / "bin" / "hc"
    try:
        subprocess.run([PY, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=300)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "httpcode"]
        subprocess.run(pip, check=True, capture_output=True, timeout=600)
        subprocess.run([str(hc), "404"], check=True, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return [str(hc)]


def peer_figures(work: Path, env: dict[str, str], runs: int) -> None:
    """errcode against the tools people compare it with, each pair warm (one run of each first)."""
    hc = peer_hc(work)
    bare = [PY, "-c", "pass"]
    if hc is None:
        print("| figures against `hc` skipped: httpcode could not be installed | | | | |")
    else:
        figures = [
            ("`errcode 1001` against `hc 404`", [*ERRCODE, "1001"], "≤ 1.0× hc"),
            ("`errcode search 资金` against `hc 404`", [*ERRCODE, "search", "资金"], "≤ 1.5× hc"),
            (
                "TAB (`errcode INSUF<TAB>`) against `hc 404`",
                [*ERRCODE, "__complete", "bash", "1", "errcode", "INSUF"],
                "≤ 0.7× hc",
            ),
        ]
        for name, argv, target in figures:
            print(row(name, paired(argv, [*hc, "404"], env, runs), target))
    print(
        row("`errcode --version` against `python -c pass`", paired([*ERRCODE, "--version"], bare, env, runs), "≤ 1.5×")
    )


def startup_figures(env: dict[str, str], runs: int, drop_cache: Callable[[], None]) -> None:
    """errcode's start-up paths against the stack floor."""
    print(row("`errcode 1001` (to a pipe)", paired([*ERRCODE, "1001"], FLOOR, env, runs), "≤ 0.5×"))
    print(row("`errcode search 资金`", paired([*ERRCODE, "search", "资金"], FLOOR, env, runs), "≤ 0.6×"))
    full = paired([*ERRCODE, "1001"], FLOOR, env, runs, full_way=True)
    print(row("`errcode 1001`, answered the full way (no answer kept)", full, "≤ 0.5×"))
    full = paired([*ERRCODE, "search", "资金"], FLOOR, env, runs, full_way=True)
    print(row("`errcode search 资金`, answered the full way", full, "≤ 0.6×"))
    complete = [*ERRCODE, "__complete", "bash", "1", "errcode", "INSUF"]
    print(row("a completion request (`errcode INSUF<TAB>`)", paired(complete, FLOOR, env, runs), "≤ 0.25×"))
    print(row("`errcode --version`", paired([*ERRCODE, "--version"], FLOOR, env, runs), "≤ 0.25×"))
    one = [*ERRCODE, "explain", '{"code": 1001, "message": "Invalid or expired token"}']
    print(row("`errcode explain` of one response given as the argument", paired(one, FLOOR, env, runs), ""))
    print(api_row(env, runs))
    cold = paired([*ERRCODE, "search", "资金"], FLOOR, env, runs, prepare=drop_cache)
    print(row("first run (cold cache: catalogs and index built)", cold, "≤ 1.0×"))


def row(name: str, figure: dict[str, float], target: str) -> str:
    return f"| {name} | {figure['a']:.3f} s | {figure['ratio']:.2f}× | {figure['peak_mib']:.0f} MiB | {target} |"


def explain_figures(wanted: set[str], work: Path, env: dict[str, str], explain_runs: int, log_lines: int) -> None:
    """``explain --summary`` against jq: the repetitive NDJSON case and the real-looking log."""
    if wanted & {"ndjson", "reallog"} and not shutil.which(JQ):
        print(f"| `explain --summary` figures skipped: {JQ} not found | | | | |")
        return
    if "ndjson" in wanted:
        data = work / "lines.ndjson"
        make("ndjson", data, 1_000_000)
        explain = [*ERRCODE, "explain", "--summary", str(data)]
        jq = [JQ, "-c", ".code", str(data)]
        figure = paired(explain, jq, env, explain_runs)
        name = "`explain --summary`, 1 000 000 NDJSON lines, repetitive case (6 distinct lines)"
        print(f"| {name} | {figure['a']:.2f} s | ", end="")
        print(f"{figure['ratio']:.2f}× `jq -c .code` ({figure['b']:.2f} s) | {figure['peak_mib']:.0f} MiB ", end="")
        print("| ≤ 0.7× jq, ≤ 100 MB |")
    if "reallog" in wanted:
        log = work / "service.log"
        written = real_log(log, log_lines)
        note = check_counts(log, written, env)  # also warms the disk cache: no warm-up pair needed
        explain = [*ERRCODE, "explain", "--summary", str(log)]
        jq = [JQ, "-R", "-c", "fromjson? | .code", str(log)]
        figure = paired(explain, jq, env, explain_runs, warm_up=False)
        lines = f"{log_lines:,}".replace(",", " ")
        print(f"| `explain --summary`, {lines} real-looking log lines | {figure['a']:.2f} s | ", end="")
        print(f"{figure['ratio']:.2f}× `jq -R -c 'fromjson? | .code'` ({figure['b']:.2f} s) | ", end="")
        print(f"{figure['peak_mib']:.0f} MiB | ≤ 0.5× jq, ≤ 100 MB |")
        print()
        print(f"real-looking log: {log.stat().st_size / 2**20:.0f} MiB; {note}")


def selected(parser: argparse.ArgumentParser, only: Sequence[str]) -> set[str]:
    """The figure groups named by ``--only`` (repeated or comma-separated)."""
    wanted: set[str] = set()
    for item in only:
        for name in item.split(","):
            if name.strip() not in GROUPS:
                parser.error(f"--only: unknown group {name!r} (choose from {', '.join(GROUPS)})")
            wanted.update(GROUPS[name.strip()])
    return wanted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=11, help="pairs per figure (default 11)")
    parser.add_argument("--quick", action="store_true", help="start-up figures only (same as --only startup)")
    parser.add_argument(
        "--only",
        action="append",
        metavar="GROUP",
        help="run only these figures: startup, peers, catalog, ndjson, reallog, explain (= ndjson,reallog)",
    )
    parser.add_argument(
        "--log-lines", type=int, default=1_000_000, help="lines of the real-looking log (default 1 000 000)"
    )
    parser.add_argument("--make", nargs=3, metavar=("KIND", "PATH", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make:  # data files are written by a child, so this process stays small and its
        kind, path, count = args.make  # memory never shows up in the peaks measured below
        (big_catalog if kind == "catalog" else ndjson)(Path(path), int(count))
        return 0
    wanted = selected(parser, args.only or (["startup"] if args.quick else list(GROUPS)))

    work = Path(tempfile.mkdtemp(prefix="errcode-bench-"))
    env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache"), "XDG_CONFIG_HOME": str(work / "config")}
    env["ERRCODE_PATH"] = ""
    env.pop("NO_COLOR", None)
    print(f"errcode benchmark — python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {args.runs} pairs per figure")
    print()
    print("| what | median wall | vs floor | peak | target |")
    print("|---|---|---|---|---|")

    def drop_cache() -> None:
        shutil.rmtree(work / "cache", ignore_errors=True)

    if wanted & {"startup", "catalog"}:
        floor = paired(FLOOR, FLOOR, env, args.runs)
        print(f"| stack floor: a minimal Typer app printing one rich Table | {floor['a']:.3f} s | 1.00× | ", end="")
        print(f"{floor['peak_mib']:.0f} MiB | |")
    if "startup" in wanted:
        startup_figures(env, args.runs, drop_cache)
    if "peers" in wanted:
        peer_figures(work, env, args.runs)
    if "catalog" in wanted:
        big = work / "big.yaml"
        make("catalog", big, 100_000)
        # a cache folder of its own: kept answers are for one set of catalogs (errcli.store.answers)
        big_env = {**env, "ERRCODE_PATH": str(big), "XDG_CACHE_HOME": str(work / "cache-big")}
        built = paired(
            [*ERRCODE, "search", "margin"], FLOOR, big_env, 1, prepare=lambda: shutil.rmtree(work / "cache-big", True)
        )
        print(row("100 000-entry user catalog: build (cold cache, one search)", built, "≤ 8 s, ≤ 250 MB"))
        for what, argv in (("search", ["search", "margin"]), ("lookup", ["1001"])):
            for full_way in (False, True):  # with the big catalog (A) and without it (B), in turns
                figure = paired([*ERRCODE, *argv], [*ERRCODE, *argv], big_env, args.runs, full_way=full_way, env_b=env)
                how = ", the full way" if full_way else ""
                print(f"| 100 000-entry user catalog: warm {what}{how} | {figure['a']:.3f} s | ", end="")
                print(f"{figure['ratio']:.2f}× bundled {what} | {figure['peak_mib']:.0f} MiB | ≤ 1.2× bundled |")
    try:
        explain_figures(wanted, work, env, max(3, args.runs // 4), args.log_lines)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
