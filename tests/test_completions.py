"""Completion: the checked-in scripts are current and work in real bash, zsh and fish."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CLEAN_ENV, ROOT, run
from typer.main import get_command

from errcli.cli import app
from errcli.complete import OPTIONS, candidates
from errcli.shells import SCRIPTS

BIN_DIR = Path(sys.executable).parent
SHELLS = ("bash", "zsh", "fish")


@pytest.mark.parametrize("shell", SHELLS)
def test_checked_in_scripts_are_current(shell: str) -> None:
    result = run("completion", shell)
    assert result.exit_code == 0
    checked_in = (ROOT / "completions" / f"errcode.{shell}").read_text(encoding="utf-8")
    assert result.stdout == checked_in, f"completions/errcode.{shell} is stale: run errcode completion {shell}"


def test_powershell_script_is_printed() -> None:
    result = run("completion", "powershell")
    assert result.exit_code == 0
    assert result.stdout == SCRIPTS["powershell"]
    assert "Register-ArgumentCompleter" in result.stdout


def test_unknown_shell_is_a_usage_error() -> None:
    assert run("completion", "tcsh").exit_code == 2


def test_option_table_matches_the_cli() -> None:
    group = get_command(app)
    assert set(group.commands) <= set(OPTIONS)  # type: ignore[attr-defined]
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        names = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts) if opt.startswith("-")}
        assert names | {"--help", "-h"} == set(OPTIONS[name]), name


@pytest.fixture
def shell_env(tmp_path: Path) -> dict[str, str]:
    """An environment whose errcode is this one, with a warm cache."""
    env = {
        **os.environ,
        **CLEAN_ENV,
        "PATH": f"{BIN_DIR}{os.pathsep}{os.environ.get('PATH', '')}",
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "HOME": str(tmp_path),
    }
    subprocess.run([str(BIN_DIR / "errcode"), "1001"], env=env, capture_output=True, check=True)
    return env


def bash_complete(words: list[str], env: dict[str, str]) -> tuple[list[str], str]:
    quoted = " ".join(f"'{w}'" for w in words)
    driver = f"""
source '{ROOT / "completions" / "errcode.bash"}'
COMP_WORDS=({quoted})
COMP_CWORD={len(words) - 1}
_errcode_complete
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    out = subprocess.run(
        ["bash", "--norc", "-c", driver], capture_output=True, text=True, timeout=30, env=env, check=True
    )
    return [w for w in out.stdout.splitlines() if w], out.stderr


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["errcode", "sea"], ["search"]),
        (["errcode", "INSUFFICIENT_B"], ["INSUFFICIENT_BALANCE"]),
        (["errcode", "-c", "qa"], ["qaexchange"]),
        (["errcode", "--format", ""], ["table", "json", "yaml", "markdown", "plain"]),
        (["errcode", "list", "--severity", "cr"], ["critical"]),
        (["errcode", "completion", "f"], ["fish"]),
        (["errcode", "search", "--li"], ["--limit"]),
        (["errcode", "qaexchange", ":", "100"], ["1001", "1002", "1003", "1004", "1005", "1006", "1007", "1008"]),
        (["errcode", "ztdx:INSUFFICIENT_B"], ["ztdx:INSUFFICIENT_BALANCE"]),
    ],
)
def test_bash(words: list[str], expected: list[str], shell_env: dict[str, str]) -> None:
    found, err = bash_complete(words, shell_env)
    assert found == expected
    assert err == ""


def test_bash_numbers(shell_env: dict[str, str]) -> None:
    found, _ = bash_complete(["errcode", "100"], shell_env)
    assert "1001" in found
    assert "1008" in found
    assert all(f.startswith("100") for f in found)


@pytest.mark.parametrize(
    "words",
    [
        ["errcode", "nope:"],
        ["errcode", "ZZZZZZ"],
        ["errcode", "-c", "zz"],
        ["errcode", "search", "anything"],
    ],
)
def test_bash_nothing_matches_gives_nothing(words: list[str], shell_env: dict[str, str]) -> None:
    assert bash_complete(words, shell_env) == ([], "")


def test_broken_or_missing_cache_gives_empty_completion(shell_env: dict[str, str], tmp_path: Path) -> None:
    data = tmp_path / "cache" / "errcode" / "completion.json"
    data.write_bytes(b"\x00{not json")
    assert bash_complete(["errcode", "INSUF"], shell_env) == ([], "")
    data.unlink()
    assert bash_complete(["errcode", "INSUF"], shell_env) == ([], "")
    assert bash_complete(["errcode", "sea"], shell_env) == (["search"], "")  # what needs no cache still works


def test_missing_errcode_gives_empty_completion(shell_env: dict[str, str]) -> None:
    env = {**shell_env, "PATH": "/usr/bin:/bin"}
    assert bash_complete(["errcode", "sea"], env) == ([], "")


@pytest.mark.skipif(
    not shutil.which("zsh") and not os.environ.get("CI"), reason="zsh is not installed here (.ci/run installs it)"
)
@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["errcode", "sea"], ["search:fuzzy search by words"]),
        (["errcode", "INSUFFICIENT_B"], ["INSUFFICIENT_BALANCE:ztdx: Insufficient available balance"]),
        (["errcode", "-c", "qa"], ["qaexchange:catalog"]),
        (["errcode", "qaexchange:1001"], ["qaexchange\\:1001:Insufficient funds"]),
    ],
)
def test_zsh(words: list[str], expected: list[str], shell_env: dict[str, str]) -> None:
    quoted = " ".join(f"'{w}'" for w in words)
    driver = f"""
_describe() {{ print -rl -- "${{(@P)${{@[-1]}}}}" }}
_files() {{ print -r -- FILES }}
compdef() {{ : }}
source '{ROOT / "completions" / "errcode.zsh"}'
words=({quoted})
CURRENT={len(words)}
_errcode
"""
    out = subprocess.run(
        ["zsh", "-f", "-c", driver], capture_output=True, text=True, timeout=30, env=shell_env, check=True
    )
    assert out.stdout.splitlines() == expected
    assert out.stderr == ""


@pytest.mark.skipif(
    not shutil.which("fish") and not os.environ.get("CI"), reason="fish is not installed here (.ci/run installs it)"
)
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("errcode sea", ["search\tfuzzy search by words"]),
        ("errcode INSUFFICIENT_B", ["INSUFFICIENT_BALANCE\tztdx: Insufficient available balance"]),
        ("errcode -c qa", ["qaexchange\tcatalog"]),
        ("errcode --format ya", ["yaml\t--format"]),
    ],
)
def test_fish(line: str, expected: list[str], shell_env: dict[str, str]) -> None:
    driver = f"source '{ROOT / 'completions' / 'errcode.fish'}'; complete -C'{line}'"
    out = subprocess.run(
        ["fish", "--no-config", "-c", driver], capture_output=True, text=True, timeout=30, env=shell_env, check=True
    )
    assert out.stdout.splitlines() == expected
    assert out.stderr == ""


def test_descriptions_follow_the_language(shell_env: dict[str, str]) -> None:
    zh = candidates(["errcode", "qaexchange:1001"], 1, {**shell_env, "ERRCODE_LANG": "zh"})
    en = candidates(["errcode", "qaexchange:1001"], 1, {**shell_env, "ERRCODE_LANG": "en"})
    assert zh == [("qaexchange:1001", "资金不足")]
    assert en == [("qaexchange:1001", "Insufficient funds")]


def test_typer_install_completion_still_works(shell_env: dict[str, str]) -> None:
    out = subprocess.run(
        [str(BIN_DIR / "errcode"), "--show-completion", "bash"],
        env=shell_env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0
    assert "_ERRCODE_COMPLETE" in out.stdout


def test_bash_colon_word_itself(shell_env: dict[str, str]) -> None:
    found, _ = bash_complete(["errcode", "qaexchange", ":"], shell_env)
    assert ":1001" in found
    assert all(f.startswith(":") for f in found)
