"""Whole-process benchmark: every figure as a ratio to the stack floor measured in the same run.

    python tests/bench/run.py              # all figures
    python tests/bench/run.py --quick      # the start-up figures only
    python tests/bench/run.py --runs 21    # more pairs

Each command runs as a whole process (Python start, imports, cache, render) in turns
with the floor (A B A B …); a ratio is taken per pair and the median is reported, so a
machine that speeds up or slows down during the run does not skew it. Peak memory is
the child's maximum resident set size from the kernel (wait4).
"""

from __future__ import annotations

import argparse
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
    a: Sequence[str], b: Sequence[str], env: dict[str, str], runs: int, prepare: Callable[[], object] | None = None
) -> dict[str, float]:
    """Median of A, of B, and of the per-pair ratio A/B, after one warm-up of each."""
    times_a: list[float] = []
    times_b: list[float] = []
    ratios: list[float] = []
    peak = 0
    for i in range(runs + 1):
        if prepare is not None:
            prepare()
        ta, rss = run_once(a, env)
        tb, _ = run_once(b, env)
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


def row(name: str, figure: dict[str, float], target: str) -> str:
    return f"| {name} | {figure['a']:.3f} s | {figure['ratio']:.2f}× | {figure['peak_mib']:.0f} MiB | {target} |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=11, help="pairs per figure (default 11)")
    parser.add_argument("--quick", action="store_true", help="start-up figures only")
    parser.add_argument("--make", nargs=3, metavar=("KIND", "PATH", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make:  # data files are written by a child, so this process stays small and its
        kind, path, count = args.make  # memory never shows up in the peaks measured below
        (big_catalog if kind == "catalog" else ndjson)(Path(path), int(count))
        return 0

    work = Path(tempfile.mkdtemp(prefix="errcode-bench-"))
    env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache"), "XDG_CONFIG_HOME": str(work / "config")}
    env["ERRCODE_PATH"] = ""
    env.pop("NO_COLOR", None)
    print(f"errcode benchmark — python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {args.runs} pairs per figure")
    print()
    print("| what | median wall | vs floor | peak | target |")
    print("|---|---|---|---|---|")
    floor = paired(FLOOR, FLOOR, env, args.runs)
    print(f"| stack floor: a minimal Typer app printing one rich Table | {floor['a']:.3f} s | 1.00× | ", end="")
    print(f"{floor['peak_mib']:.0f} MiB | |")
    print(row("`errcode 1001` (to a pipe)", paired([*ERRCODE, "1001"], FLOOR, env, args.runs), "≤ 0.5×"))
    print(row("`errcode search 资金`", paired([*ERRCODE, "search", "资金"], FLOOR, env, args.runs), "≤ 0.6×"))
    complete = [*ERRCODE, "__complete", "bash", "1", "errcode", "INSUF"]
    print(row("a completion request (`errcode INSUF<TAB>`)", paired(complete, FLOOR, env, args.runs), "≤ 0.25×"))
    print(row("`errcode --version`", paired([*ERRCODE, "--version"], FLOOR, env, args.runs), "≤ 0.25×"))

    def drop_cache() -> None:
        shutil.rmtree(work / "cache", ignore_errors=True)

    cold = paired([*ERRCODE, "search", "资金"], FLOOR, env, args.runs, prepare=drop_cache)
    print(row("first run (cold cache: catalogs and index built)", cold, "≤ 2×"))
    if not args.quick:
        big = work / "big.yaml"
        make("catalog", big, 100_000)
        big_env = {**env, "ERRCODE_PATH": str(big)}
        built = paired([*ERRCODE, "search", "margin"], FLOOR, big_env, 1, prepare=drop_cache)
        print(row("100 000-entry user catalog: build (cold cache, one search)", built, "≤ 30 s, ≤ 500 MB"))
        small = paired([*ERRCODE, "search", "margin"], FLOOR, env, args.runs)
        large = paired([*ERRCODE, "search", "margin"], FLOOR, big_env, args.runs)
        scale = {**large, "ratio": large["a"] / small["a"]}
        print(f"| 100 000-entry user catalog: warm search | {large['a']:.3f} s | ", end="")
        print(f"{scale['ratio']:.2f}× bundled search | {large['peak_mib']:.0f} MiB | ≤ 2× bundled |")
        if shutil.which("jq"):
            data = work / "lines.ndjson"
            make("ndjson", data, 1_000_000)
            explain = [*ERRCODE, "explain", "--summary", str(data)]
            jq = ["jq", "-c", ".code", str(data)]
            figure = paired(explain, jq, env, max(3, args.runs // 4))
            print(f"| `explain --summary`, 1 000 000 NDJSON lines | {figure['a']:.2f} s | ", end="")
            print(f"{figure['ratio']:.2f}× `jq -c .code` ({figure['b']:.2f} s) | {figure['peak_mib']:.0f} MiB ", end="")
            print("| ≤ 0.7× jq, ≤ 100 MB |")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
