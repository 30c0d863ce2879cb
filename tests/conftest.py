from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from errcli.catalog import CatalogSet, load_all
from errcli.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
SEED_FILES = {
    "market-data": "000_c431a25d0d23b25d.txt",
    "qaexchange": "003_08f538c71cef415e.txt",
    "ztdx": "004_6e9168183eaa6021.txt",
}

# A clean, predictable environment for every test: no user catalogs, English, no colour.
CLEAN_ENV = {
    "COLUMNS": "100",
    "LINES": "50",
    "NO_COLOR": "1",
    "ERRCODE_LANG": "en",
    "ERRCODE_PATH": "",
    "TERM": "dumb",
}


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for key, value in CLEAN_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("FORCE_COLOR", raising=False)


@pytest.fixture(scope="session")
def bundled() -> CatalogSet:
    return load_all(environ={})


def seed_text(catalog_id: str) -> str:
    """The seed document, which lives beside the repository (never inside it)."""
    path = SEEDS / SEED_FILES[catalog_id]
    if not path.exists():
        if os.environ.get("ERRCODE_REQUIRE_SEEDS"):
            pytest.fail(f"seed document missing: {path}")
        pytest.skip(f"seed documents are not beside this checkout ({SEEDS})")
    return path.read_text(encoding="utf-8")


def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Result:
    """Run the CLI in-process with separate stdout/stderr."""
    return CliRunner().invoke(app, list(args), input=stdin, env=env, prog_name="errcode")


# A short log as services write it: a success, a prefixed error, a plain line, two APIs' errors.
MIXED_LOG = (
    '2025-10-03T09:00:01Z INFO ok {"code": 0, "message": "success", "data": {}}\n'
    '2025-10-03T09:00:02Z ERROR {"success": false, "data": null, "error": {"code": 1004, "message": "风险度过高"}}\n'
    "this line is not json at all\n"
    '{"error": "订单不存在", "code": "ORDER_NOT_FOUND"}\n'
    '{"code": 2002, "message": "Symbol not found"}\n'
    '{"code": 2002, "message": "Symbol not found"}\n'
)


# Linux keeps a process's peak memory across exec, so a child forked from this (large) test process
# reports at least our own size: the command is measured from a small launcher instead.
_MEASURED = (
    "import os, subprocess, sys\n"
    "child = subprocess.Popen(sys.argv[1:])\n"
    "_, status, usage = os.wait4(child.pid, 0)\n"
    "sys.stderr.write(f'\\npeak-kib {usage.ru_maxrss} exit {os.waitstatus_to_exitcode(status)}\\n')\n"
)


def run_measured(argv: list[str], env: dict[str, str], timeout: float = 180) -> tuple[int, bytes, float]:
    """Run ``argv``: its exit status, its stdout and its peak resident memory in MiB."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, *argv], env=env, capture_output=True, timeout=timeout, check=False
    )
    _, peak, _, status = done.stderr.decode(errors="replace").strip().splitlines()[-1].split()
    return int(status), done.stdout, int(peak) / 1024


def process_env(tmp_path: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of errcode run as a whole process: clean, with its folders under ``tmp_path``."""
    return {
        **os.environ,
        "ERRCODE_PATH": "",
        "ERRCODE_LANG": "en",
        "NO_COLOR": "1",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "PYTHONPATH": str(ROOT),
        **(extra or {}),
    }


def run_in_pty(args: list[str], env: dict[str, str]) -> str:
    """Run a process on a pseudo-terminal (stdin, stdout, stderr); what reached the screen."""
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
