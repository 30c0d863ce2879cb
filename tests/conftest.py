from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from errcli.catalog import CatalogSet, load_all
from errcli.cli import app

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
