"""Real processes: the installed command, a terminal (pty), a pipe closed early."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import CLEAN_ENV

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


def _run_in_pty(args: list[str], env: dict[str, str]) -> str:
    main, child = pty.openpty()
    proc = subprocess.Popen(args, stdin=child, stdout=child, stderr=child, env=env, close_fds=True)
    os.close(child)
    chunks: list[bytes] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.5)
        if ready:
            try:
                data = os.read(main, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    proc.wait(timeout=10)
    os.close(main)
    return b"".join(chunks).decode("utf-8", "replace")


def test_terminal_gets_panels_and_colour(tmp_path: Path) -> None:
    env = env_for(tmp_path, TERM="xterm-256color", COLUMNS="100")
    env.pop("NO_COLOR", None)
    shown = _run_in_pty([str(BIN), "1001"], env)
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
    shown = _run_in_pty([str(BIN), "1001"], env_for(tmp_path, TERM="xterm-256color", NO_COLOR="1"))
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
    code = "import time, errcli.cli as c; c.load_all = lambda *a, **k: time.sleep(30); c.main()"
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
