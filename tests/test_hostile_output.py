"""Where output goes when the machine is hostile: a closed or full stdout, an encoding that cannot
hold the text, absurd terminal sizes, a Ctrl-C while starting, and text that would act on a terminal."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CLEAN_ENV, run_measured

BIN = str(Path(sys.executable).parent / "errcode")


def env_for(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, **CLEAN_ENV, "XDG_CONFIG_HOME": str(tmp_path / "cfg"), "XDG_CACHE_HOME": str(tmp_path)}
    env.update(extra)
    return env


def sh(command: str, tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    """``command`` in bash (for redirections such as ``>&-``), with errcode on PATH."""
    env = env_for(tmp_path, **extra)
    env["PATH"] = f"{Path(BIN).parent}:{env['PATH']}"
    return subprocess.run(["bash", "-c", command], env=env, capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize(
    "command",
    ["errcode 1001 >&-", "errcode list -c http >&-", "errcode search 资金 >&-", "errcode 1001 --json >&-"],
)
def test_a_closed_stdout_is_one_line_and_exit_2(command: str, tmp_path: Path) -> None:
    done = sh(command, tmp_path)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("errcode: ")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "command", ["errcode 1001 > /dev/full", "errcode list > /dev/full", "errcode search 资金 --json > /dev/full"]
)
def test_a_full_disk_is_one_line_and_exit_2(command: str, tmp_path: Path) -> None:
    done = sh(command, tmp_path)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "errcode: " in done.stderr
    assert done.stderr.strip().count("\n") == 0, done.stderr


def test_completion_with_a_closed_stdout_says_nothing(tmp_path: Path) -> None:
    done = sh("errcode __complete bash 2 errcode 100 >&-", tmp_path)
    assert done.returncode == 0
    assert done.stderr == ""


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
@pytest.mark.parametrize(
    "args",
    [["1001"], ["1001", "--lang", "zh"], ["search", "资金"], ["list", "-c", "qaexchange"], ["1001", "--json"]],
)
def test_an_output_encoding_that_cannot_hold_the_text(encoding: str, args: list[str], tmp_path: Path) -> None:
    done = subprocess.run(
        [BIN, *args], env=env_for(tmp_path, PYTHONIOENCODING=encoding), capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    done.stdout.decode(encoding)  # what was written is in that encoding
    assert b"1001" in done.stdout


def test_a_c_locale_without_utf8_mode(tmp_path: Path) -> None:
    env = env_for(tmp_path, LC_ALL="C", LANG="C", PYTHONUTF8="0")
    env.pop("PYTHONIOENCODING", None)
    done = subprocess.run([BIN, "1001", "--lang", "zh"], env=env, capture_output=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr


def test_a_huge_completion_word_index_is_clamped(tmp_path: Path) -> None:
    env = env_for(tmp_path)
    status, _, peak = run_measured([BIN, "__complete", "zsh", "1000000000", "errcode", "10"], env)
    assert status == 0
    assert peak < 200


def test_a_huge_terminal_width_is_clamped(tmp_path: Path) -> None:
    env = env_for(tmp_path, COLUMNS="99999999")
    done = subprocess.run(
        [BIN, "list", "-c", "http", "--format", "table"], env=env, capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert max(len(line) for line in done.stdout.decode().splitlines()) <= 1000


def test_ctrl_c_while_starting_is_quiet(tmp_path: Path) -> None:
    """SIGINT at any moment of start-up (imports included): exit 130, never a traceback."""
    env = env_for(tmp_path)
    subprocess.run([BIN, "list", "-c", "http"], env=env, capture_output=True, timeout=60, check=False)  # warm
    started = time.perf_counter()  # Python's start and the entry script's own imports come before our code
    subprocess.run([BIN, "--version"], env=env, capture_output=True, check=True)
    ours = time.perf_counter() - started
    for delay in (ours + step * 0.02 for step in range(12)):
        proc = subprocess.Popen(
            [BIN, "list", "--severity", "bogus"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        frames = [line for line in err.decode(errors="replace").splitlines() if line.strip().startswith("File ")]
        if not any("errcli" in frame and frame.endswith(("in main", "in _main")) for frame in frames):
            continue  # still in Python's start or the entry script pip wrote, before errcode's main() runs
        assert b"Traceback" not in err, (delay, err.decode(errors="replace"))
        assert proc.returncode in (130, 2, -signal.SIGINT), (delay, proc.returncode)


HOSTILE = "\u0085\u009b31m\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u061c\u202e"


def test_json_and_yaml_escape_invisible_and_c1_characters(tmp_path: Path) -> None:
    catalog = tmp_path / "evil.yaml"
    escaped = "".join(f"\\u{ord(c):04x}" for c in HOSTILE)  # YAML takes them escaped only
    catalog.write_text(
        f'id: evil\nname: {{en: Evil}}\nentries:\n  - code: 7\n    title: {{en: "x{escaped}y"}}\n', encoding="utf-8"
    )
    env = env_for(tmp_path)
    for fmt in ("json", "yaml", "plain"):
        done = subprocess.run(
            [BIN, "evil:7", "--catalog-path", str(catalog), "-f", fmt],
            env=env,
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        shown = done.stdout.decode()
        raw = set(HOSTILE) - set("31m") & set(shown)
        assert not raw, (fmt, [hex(ord(c)) for c in raw])
        if fmt == "json":
            assert json.loads(shown)["matches"][0]["title"]["en"] == f"x{HOSTILE}y"  # the same text for a parser
