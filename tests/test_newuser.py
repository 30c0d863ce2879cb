"""What a new user types: implicit commands, negative codes, typos, closed pipes, empty input.

Run as a real process (``python -m errcli``), so both the fast lane and the full CLI answer
as they do in a shell.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MIXED_LOG, run_in_pty

RESPONSE = '{"code": 1001, "message": "Invalid or expired token"}\n'


def errcode(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "errcli", *args],
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        env=full_env,
        timeout=60,
        check=False,
    )


# --- 1. piped stdin explains with any option ---------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [["--json"], ["--brief"], ["-f", "plain"], ["--lang", "zh"], ["--summary"], ["-c", "market-data"], ["--verbose"]],
)
def test_piped_stdin_explains_with_any_option(options: list[str]) -> None:
    result = errcode(*options, stdin=RESPONSE)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "Usage:" not in result.stderr
    assert "1001" in result.stdout
    if options == ["--json"]:
        assert json.loads(result.stdout)["errors"][0]["code"] == 1001


# --- 2. PascalCase symbols; a fallback search keeps the lookup shape --------------------------------


@pytest.mark.parametrize(("query", "expected"), [("InsufficientBalance", "INSUFFICIENT_BALANCE")])
def test_pascal_case_is_a_symbol(query: str, expected: str) -> None:
    result = errcode(query, "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert [m["code"] for m in doc["matches"]] == [expected]
    assert not doc.get("searched")


def test_token_expired_finds_its_entry() -> None:
    result = errcode("TokenExpired", "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["matches"], doc
    assert any("token" in (m["title"]["en"] or "").lower() for m in doc["matches"])


def test_a_lookup_that_falls_back_to_search_keeps_the_lookup_shape() -> None:
    result = errcode("insufficient", "balance", "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["searched"] is True
    assert doc["query"] == "insufficient balance"
    assert doc["matches"][0]["code"] in ("INSUFFICIENT_BALANCE", 1001)
    assert {"catalog", "code", "title"} <= set(doc["matches"][0])


# --- 3. a word close to a subcommand is a typo ------------------------------------------------------


@pytest.mark.parametrize(("typo", "command"), [("explian", "explain"), ("catalog", "catalogs"), ("serach", "search")])
def test_a_word_close_to_a_subcommand_is_a_typo(typo: str, command: str) -> None:
    result = errcode(typo)
    assert result.returncode == 1
    assert f"did you mean `{command}`" in result.stderr
    assert result.stdout == ""


def test_a_fallback_search_with_only_weak_matches_exits_1() -> None:
    result = errcode("qwxz", "zzkq")
    assert result.returncode == 1, result.stdout


# --- 4. negative codes are codes ---------------------------------------------------------------------


@pytest.mark.parametrize("argv", [["-1021"], ["lookup", "-1021"], ["-1021", "--json"], ["lookup", "--json", "-1021"]])
def test_negative_numbers_are_codes(argv: list[str]) -> None:
    result = errcode(*argv)
    assert "Usage:" not in result.stderr
    assert "No such option" not in result.stderr
    assert "-1021" in result.stderr + result.stdout
    assert result.returncode == 1  # no bundled catalog has -1021: not found, not a usage error


def test_negative_code_in_a_user_catalog(tmp_path: Path) -> None:
    (tmp_path / "binance.yaml").write_text(
        "schema_version: 1\nid: binance\nname: {en: Binance}\nentries:\n"
        "  - code: -1021\n    title: {en: Timestamp outside recvWindow}\n",
        encoding="utf-8",
    )
    for argv in (["-1021"], ["lookup", "-1021"], ["--catalog-path", str(tmp_path), "-1021"]):
        result = errcode(*argv, "--brief", env={"ERRCODE_PATH": str(tmp_path)})
        assert result.returncode == 0, (argv, result.stderr)
        assert "binance:-1021" in result.stdout


def test_search_options_reach_a_lookup_that_searches() -> None:
    result = errcode("order", "--limit", "2", "--brief")
    assert result.returncode == 0, result.stderr
    assert len([line for line in result.stdout.splitlines() if line.strip()]) == 2


# --- 13. explain on nothing --------------------------------------------------------------------------


def test_explain_on_input_without_any_response_exits_1_with_a_hint() -> None:
    result = errcode("explain", stdin="just text\nmore text\n")
    assert result.returncode == 1
    assert "hint:" in result.stderr
    assert "no JSON" in result.stderr or "no response" in result.stderr


def test_explain_with_an_empty_argument_says_no_file_was_named() -> None:
    result = errcode("explain", "")
    assert result.returncode == 2
    assert "Is a directory" not in result.stderr
    assert "no file" in result.stderr.lower()


# --- 14. a closed pipe -------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["4xx", "list", "search order", "explain {log}", "catalogs", "1001"])
def test_a_closed_pipe_is_quiet_and_gives_one_status(command: str, tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text(MIXED_LOG * 50, encoding="utf-8")  # more than the reader takes before it goes away
    command = command.format(log=log)
    script = f"set -o pipefail; {sys.executable} -m errcli {command} | head -c 1 >/dev/null"
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert result.stderr == ""
    assert result.returncode == 0


# --- 19. help that reads like a person wrote it ------------------------------------------------------


@pytest.mark.parametrize("argv", [["--help"], ["lookup", "--help"], ["search", "--help"], ["explain", "--help"]])
def test_help_reads_like_a_person_wrote_it(argv: list[str]) -> None:
    result = errcode(*argv, env={"COLUMNS": "120"})
    assert result.returncode == 0
    text = result.stdout
    for machine in ("{QUERY...}", "<list[str]>", "x>=1", "Value error", "[default: 10;"):
        assert machine not in text, machine
    if argv == ["--help"]:
        assert "--debug" in text


# --- 6. a pager on a terminal ------------------------------------------------------------------------


def _on_a_terminal(argv: list[str], env: dict[str, str]) -> str:
    """errcode with a pty as its terminal; what reached the screen."""
    return run_in_pty([sys.executable, "-m", "errcli", *argv], {**os.environ, "COLUMNS": "100", **env})


@pytest.fixture
def fake_pager(tmp_path: Path) -> tuple[str, Path]:
    script = tmp_path / "pager.py"
    paged = tmp_path / "paged.txt"
    script.write_text("import sys\nopen(sys.argv[1], 'w').write(sys.stdin.read())\n", encoding="utf-8")
    return f"{sys.executable} {script} {paged}", paged


@pytest.mark.parametrize("argv", [["list"], ["1001"], ["search", "balance"], ["catalogs"]])
def test_long_output_on_a_terminal_goes_through_the_pager(fake_pager: tuple[str, Path], argv: list[str]) -> None:
    command, paged = fake_pager
    _on_a_terminal(argv, {"PAGER": command, "ERRCODE_PAGER": command})
    assert paged.exists(), "no pager was run"
    assert paged.read_text(encoding="utf-8").strip()


@pytest.mark.parametrize(
    ("argv", "env"),
    [(["list", "--no-pager"], {}), (["1001", "--no-pager"], {}), (["list"], {"ERRCODE_PAGER": ""})],
)
def test_the_pager_can_be_turned_off(fake_pager: tuple[str, Path], argv: list[str], env: dict[str, str]) -> None:
    command, paged = fake_pager
    screen = _on_a_terminal(argv, {"PAGER": command, **env})
    assert not paged.exists()
    assert "1001" in screen


def test_never_a_pager_when_piped(fake_pager: tuple[str, Path]) -> None:
    command, paged = fake_pager
    result = errcode("list", env={"PAGER": command, "ERRCODE_PAGER": command})
    assert result.returncode == 0
    assert not paged.exists()
    assert "1001" in result.stdout


# --- 5. colour in the plain layout -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "env", "coloured"),
    [
        (["1001", "--color", "always"], {}, True),
        (["list", "-c", "ztdx", "--color", "always"], {}, True),
        (["1001"], {"FORCE_COLOR": "1", "NO_COLOR": ""}, True),
        (["1001"], {"NO_COLOR": ""}, False),
        (["1001", "--color", "never"], {"FORCE_COLOR": "1"}, False),
    ],
)
def test_color_always_and_force_color_colour_the_piped_layout(
    argv: list[str], env: dict[str, str], coloured: bool
) -> None:
    result = errcode(*argv, env=env)
    assert result.returncode == 0, result.stderr
    assert ("\x1b[" in result.stdout) is coloured


def test_every_install_line_of_completion_help_makes_its_folder_first() -> None:
    text = errcode("completion", "bash", "--help", env={"COLUMNS": "120"}).stdout
    lines = text.splitlines()
    writes = [i for i, line in enumerate(lines) if "> ~/" in line]
    assert writes
    for i in writes:
        before = lines[i] if "mkdir -p" in lines[i] else lines[i - 1]
        assert "mkdir -p" in before, lines[i]


@pytest.mark.parametrize("argv", [[], ["--json"], ["explain"], ["explain", "--summary"]])
def test_a_closed_stdin_is_no_pipe_and_no_traceback(argv: list[str]) -> None:
    script = f"{sys.executable} -m errcli {' '.join(argv)} <&-"
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert "Traceback" not in result.stderr
    assert result.returncode in (0, 2), result.stderr
    assert (result.stdout + result.stderr).strip()


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_json_and_yaml_show_no_control_or_bidi_character_raw(fmt: str) -> None:
    """A hostile message (terminal escapes, a right-to-left override) is written escaped, and reads
    back as it was sent."""
    import yaml

    message = "a\x1b]52;c;eA==\x07b \u202edesrever\u202c \u2028c"
    response = json.dumps({"code": 1001, "message": message})
    result = errcode("explain", response, "-f", fmt)
    for char in ("\x1b", "\x07", "\u202e", "\u202c", "\u2028"):
        assert char not in result.stdout, repr(char)
    doc = json.loads(result.stdout) if fmt == "json" else yaml.safe_load(result.stdout)
    assert doc["errors"][0]["message"] == message
