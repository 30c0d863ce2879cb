"""Real processes: the installed command, a terminal (pty), a pipe closed early."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import CLEAN_ENV, run_in_pty

BIN = Path(sys.executable).parent / "errcode"


def env_for(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, **CLEAN_ENV, "XDG_CONFIG_HOME": str(tmp_path / "cfg"), "XDG_CACHE_HOME": str(tmp_path)}
    env.update(extra)
    return env


def test_installed_command_runs_from_any_directory(tmp_path: Path) -> None:
    assert BIN.exists(), "errcode must be installed (pip install -e .)"
    out = subprocess.run(
        [str(BIN), "1001", "--brief"], cwd=tmp_path, env=env_for(tmp_path), capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0].startswith("market-data:1001")
    module = subprocess.run(
        [sys.executable, "-m", "errcli", "--version"],
        cwd=tmp_path,
        env=env_for(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert module.returncode == 0
    assert module.stdout.startswith("errcode ")


def test_terminal_gets_panels_and_colour(tmp_path: Path) -> None:
    env = env_for(tmp_path, TERM="xterm-256color", COLUMNS="100")
    env.pop("NO_COLOR", None)
    shown = run_in_pty([str(BIN), "1001"], env)
    assert "╭" in shown
    assert "\x1b[" in shown  # coloured severity and borders
    assert "market-data 1001" in shown


def test_pipe_gets_plain_lines(tmp_path: Path) -> None:
    env = env_for(tmp_path)
    env.pop("NO_COLOR", None)
    out = subprocess.run([str(BIN), "1001"], env=env, capture_output=True, text=True, check=True)
    assert "╭" not in out.stdout
    assert "\x1b[" not in out.stdout
    assert "market-data 1001" in out.stdout


def test_no_color_on_a_terminal(tmp_path: Path) -> None:
    shown = run_in_pty([str(BIN), "1001"], env_for(tmp_path, TERM="xterm-256color", NO_COLOR="1"))
    assert "╭" in shown
    assert "\x1b[3" not in shown  # no foreground colours


def test_closed_pipe_exits_quietly(tmp_path: Path) -> None:
    proc = subprocess.run(  # noqa: S602 -- a real shell pipeline is what is under test
        f"'{BIN}' list | head -1",
        shell=True,
        env=env_for(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.stdout.startswith("catalog")
    assert proc.stderr == ""


def test_interrupt_exits_130_without_traceback(tmp_path: Path) -> None:
    code = (
        "import time, errcli.catalog as k, errcli.cli.app as c; k.load_all = lambda *a, **k: time.sleep(30); c.main()"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "1001"],
        env=env_for(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.5)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 130
    assert "Traceback" not in err
