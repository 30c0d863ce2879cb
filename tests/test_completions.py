"""Completion: the checked-in scripts are current and work in real bash, zsh and fish."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import CLEAN_ENV, ROOT, run
from typer.main import get_command

from errcli.cli.app import app
from errcli.cli.complete import OPTIONS, candidates
from errcli.cli.shells import SCRIPTS

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


def bash_complete(
    words: list[str], env: dict[str, str], *, line: str | None = None, colon_breaks: bool = True
) -> tuple[list[str], str]:
    """COMPREPLY for COMP_WORDS ``words`` (as bash split them), optionally with COMP_LINE."""
    quoted = " ".join(f"'{w}'" for w in words)
    setup = f"COMP_LINE='{line}'; COMP_POINT={len(line)}" if line is not None else ""
    if not colon_breaks:
        setup += "\nCOMP_WORDBREAKS=${COMP_WORDBREAKS//:}"
    driver = f"""
source '{ROOT / "completions" / "errcode.bash"}'
{setup}
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
        (["errcode", "ztdx", ":", "INSUFFICIENT_B"], ["INSUFFICIENT_BALANCE"]),
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
    data = tmp_path / "cache" / "errcode" / "completion.marshal"
    data.write_bytes(b"\x00{not json")
    assert bash_complete(["errcode", "INSUF"], shell_env) == ([], "")
    data.unlink(missing_ok=True)  # TAB drops a damaged file (the next plain run writes it again)
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


def test_typer_completion_options_are_gone(shell_env: dict[str, str]) -> None:
    """One completion mechanism: `errcode completion SHELL`, not Typer's --install-completion."""
    helped = subprocess.run(
        [str(BIN_DIR / "errcode"), "--help"], env=shell_env, capture_output=True, text=True, check=False
    )
    assert helped.returncode == 0
    assert "--install-completion" not in helped.stdout
    assert "--show-completion" not in helped.stdout
    for option in ("--install-completion", "--show-completion"):
        out = subprocess.run(
            [str(BIN_DIR / "errcode"), option], env=shell_env, capture_output=True, text=True, check=False
        )
        assert out.returncode == 2, option
        assert f"No such option: {option}" in out.stderr
        assert "Traceback" not in out.stderr + out.stdout
        assert run(option).exit_code == 2
    assert "--install-completion" not in OPTIONS[""]
    assert bash_complete(["errcode", "--inst"], shell_env) == ([], "")


def test_bash_colon_word_itself(shell_env: dict[str, str]) -> None:
    """After `qaexchange:` readline replaces only what follows the colon: replies leave out `qaexchange:`."""
    found, _ = bash_complete(["errcode", "qaexchange", ":"], shell_env)
    assert "1001" in found
    assert sorted(found) == sorted(qaexchange_codes(shell_env))


def qaexchange_codes(env: dict[str, str]) -> list[str]:
    return [value.partition(":")[2] for value, _ in candidates(["errcode", "qaexchange:"], 1, env)]


@pytest.mark.parametrize(
    ("words", "line", "expected"),
    [
        (["errcode", "qaexchange", ":", "100"], "errcode qaexchange:100", [f"100{i}" for i in range(1, 9)]),
        (["errcode", "qaexchange", ":", "1001"], "errcode qaexchange:1001", ["1001"]),
        (["errcode", "ztdx", ":", "INSUFFICIENT_B"], "errcode ztdx:INSUFFICIENT_B", ["INSUFFICIENT_BALANCE"]),
        (["errcode", "-c", "qaexchange", "qaexchange", ":", "1001"], "errcode -c qaexchange qaexchange:1001", ["1001"]),
        (["errcode", "qaexch"], "errcode qaexch", ["qaexchange:"]),
    ],
)
def test_bash_colon_words_with_the_line(
    words: list[str], line: str, expected: list[str], shell_env: dict[str, str]
) -> None:
    """What readline replaces is the text after the last colon; COMP_LINE tells the words apart."""
    assert bash_complete(words, shell_env, line=line) == (expected, "")


def test_bash_without_colon_in_wordbreaks(shell_env: dict[str, str]) -> None:
    """With `:` taken out of COMP_WORDBREAKS, the word is whole and so are the replies."""
    found, err = bash_complete(["errcode", "qaexchange:100"], shell_env, colon_breaks=False)
    assert found == [f"qaexchange:100{i}" for i in range(1, 9)]
    assert err == ""
    found, err = bash_complete(["errcode", "ztdx:INSUFFICIENT_B"], shell_env, colon_breaks=False)
    assert (found, err) == (["ztdx:INSUFFICIENT_BALANCE"], "")
    assert bash_complete(["errcode", "qaexchange:"], shell_env, colon_breaks=False)[0] == [
        f"qaexchange:{c}" for c in qaexchange_codes(shell_env)
    ]


# --- a real interactive bash in tmux --------------------------------------------------

BASH_COMPLETION = Path("/usr/share/bash-completion/bash_completion")


class Terminal:
    """An interactive shell in a detached tmux session; the screen is read back as text."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="errcode-tmux-"))  # short: a socket path has a length limit
        self.base = ["tmux", "-S", str(self.folder / "socket"), "-f", "/dev/null"]
        self.env = env
        subprocess.run(
            [*self.base, "new-session", "-d", "-x", "200", "-y", "50", *command], env=env, check=True, timeout=30
        )

    def send(self, *keys: str) -> None:
        subprocess.run([*self.base, "send-keys", *keys], env=self.env, check=True, timeout=30)

    def screen(self) -> list[str]:
        out = subprocess.run(
            [*self.base, "capture-pane", "-p"], env=self.env, capture_output=True, text=True, check=True, timeout=30
        )
        return [line.rstrip() for line in out.stdout.splitlines() if line.strip()]

    def wait_for(self, predicate: Any, timeout: float = 15) -> list[str]:
        deadline = time.monotonic() + timeout
        while True:
            lines = self.screen()
            if predicate(lines) or time.monotonic() > deadline:
                return lines
            time.sleep(0.1)

    def close(self) -> None:
        subprocess.run([*self.base, "kill-server"], env=self.env, capture_output=True, check=False, timeout=30)
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def interactive_bash(shell_env: dict[str, str], tmp_path: Path, request: pytest.FixtureRequest) -> Any:
    if not shutil.which("tmux"):
        pytest.skip("tmux is not installed here")
    setup = request.param
    if setup == "bash-completion" and not BASH_COMPLETION.exists():
        pytest.skip("the bash-completion package is not installed here")
    rc = tmp_path / "bashrc"
    lines = [
        f"export PATH='{shell_env['PATH']}'",
        "PS1='$ '",
        f"source '{BASH_COMPLETION}'" if setup == "bash-completion" else "",
        "COMP_WORDBREAKS=${COMP_WORDBREAKS//:}" if setup == "no-colon-break" else "",
        f"source '{ROOT / 'completions' / 'errcode.bash'}'",
        "echo READY",
    ]
    rc.write_text("\n".join(lines) + "\n", encoding="utf-8")
    inputrc = tmp_path / "inputrc"
    inputrc.write_text("set bell-style none\n", encoding="utf-8")
    env = {**shell_env, "INPUTRC": str(inputrc), "TERM": "xterm"}
    term = Terminal(["bash", "--noprofile", "--rcfile", str(rc), "-i"], env)
    try:
        assert "READY" in term.wait_for(lambda lines: "READY" in lines)
        yield term, setup
    finally:
        term.close()


@pytest.mark.parametrize("interactive_bash", ["plain", "bash-completion", "no-colon-break"], indirect=True)
def test_interactive_bash_catalog_colon_tab_tab(interactive_bash: Any, shell_env: dict[str, str]) -> None:
    term, setup = interactive_bash
    codes = qaexchange_codes(shell_env)
    term.send("errcode qaexchange:", "Tab", "Tab")
    lines = term.wait_for(lambda lines: len(lines) >= 4 and lines[-1] == "$ errcode qaexchange:")
    assert not any("::" in line for line in lines), lines
    assert lines[-1] == "$ errcode qaexchange:", lines
    listed = [word for line in lines[2:-1] for word in line.split()]  # between the prompts
    prefix = "qaexchange:" if setup == "no-colon-break" else ""
    assert sorted(listed) == sorted(prefix + code for code in codes), lines


@pytest.mark.parametrize("interactive_bash", ["plain", "bash-completion", "no-colon-break"], indirect=True)
def test_interactive_bash_catalog_code_tab(interactive_bash: Any) -> None:
    term, _ = interactive_bash
    term.send("errcode qaexchange:10", "Tab")
    lines = term.wait_for(lambda lines: lines[-1] == "$ errcode qaexchange:100")
    assert lines[-1] == "$ errcode qaexchange:100", lines
    term.send("1", "Tab")
    lines = term.wait_for(lambda lines: lines[-1] == "$ errcode qaexchange:1001")
    assert lines[-1] == "$ errcode qaexchange:1001", lines
    term.send("C-u", "errcode qaex", "Tab")
    lines = term.wait_for(lambda lines: lines[-1] == "$ errcode qaexchange:")
    assert lines[-1] == "$ errcode qaexchange:", lines
    term.send("1001")  # no blank after the colon: the code goes on
    lines = term.wait_for(lambda lines: lines[-1] == "$ errcode qaexchange:1001")
    assert lines[-1] == "$ errcode qaexchange:1001", lines


# --- completion offers what a plain run loads -----------------------------------------


def write_catalog(folder: Path, catalog_id: str) -> Path:
    """A valid user catalog: the bundled market-data one under another id."""
    folder.mkdir(parents=True, exist_ok=True)
    text = (ROOT / "data" / "catalogs" / "market-data.yaml").read_text(encoding="utf-8")
    path = folder / f"{catalog_id}.yaml"
    path.write_text(text.replace("\nid: market-data\n", f"\nid: {catalog_id}\n", 1), encoding="utf-8")
    return path


def errcode(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN_DIR / "errcode"), *args], env=env, capture_output=True, text=True, check=False)


def test_one_off_catalog_path_is_not_offered_later(shell_env: dict[str, str], tmp_path: Path) -> None:
    extra = tmp_path / "one-off"
    write_catalog(extra, "mine")
    assert errcode(shell_env, "--catalog-path", str(extra), "mine:1001").returncode == 0
    assert bash_complete(["errcode", "-c", "m"], shell_env) == (["market-data"], "")
    assert bash_complete(["errcode", "mine", ":"], shell_env) == ([], "")
    assert errcode(shell_env, "1001").returncode == 0  # a plain run from the cache writes nothing
    assert bash_complete(["errcode", "-c", "m"], shell_env) == (["market-data"], "")
    offered = candidates(["errcode", "-c", ""], 2, shell_env)
    assert sorted(offered) == [(c, "catalog") for c in ("http", "market-data", "qaexchange", "ztdx")]
    found = [value for value, _ in candidates(["errcode", "1001"], 1, shell_env)]
    assert found == ["1001"]
    assert "mine" not in candidates(["errcode", "1001"], 1, shell_env)[0][1]


def test_catalog_path_on_the_line_may_offer_its_catalogs(shell_env: dict[str, str], tmp_path: Path) -> None:
    extra = tmp_path / "one-off"
    write_catalog(extra, "mine")
    assert errcode(shell_env, "--catalog-path", str(extra), "mine:1001").returncode == 0
    words = ["errcode", "--catalog-path", str(extra), "-c", "m"]
    assert bash_complete(words, shell_env)[0] in (["market-data"], ["market-data", "mine"])
    assert bash_complete(["errcode", "-c", "m"], shell_env) == (["market-data"], "")


@pytest.mark.parametrize("where", ["ERRCODE_PATH", "config"])
def test_user_catalogs_of_a_plain_run_are_offered(where: str, shell_env: dict[str, str], tmp_path: Path) -> None:
    env = dict(shell_env)
    if where == "ERRCODE_PATH":
        write_catalog(tmp_path / "mine", "mine")
        env["ERRCODE_PATH"] = str(tmp_path / "mine")
    else:
        write_catalog(tmp_path / "config" / "errcode" / "catalogs", "mine")
    assert errcode(env, "mine:1001").returncode == 0
    assert bash_complete(["errcode", "-c", "m"], env) == (["market-data", "mine"], "")
    assert bash_complete(["errcode", "mine", ":", "100"], env)[0][:2] == ["1001", "1002"]
    one_off = tmp_path / "one-off"
    write_catalog(one_off, "other")
    assert errcode(env, "--catalog-path", str(one_off), "other:1001").returncode == 0
    assert bash_complete(["errcode", "-c", "m"], env) == (["market-data", "mine"], "")
    assert bash_complete(["errcode", "-c", "o"], env) == ([], "")


def test_a_tab_needs_no_heavy_import(shell_env: dict[str, str], tmp_path: Path) -> None:
    """A TAB imports neither Typer, rich nor YAML; after a one-off run either."""
    report = "import sys; print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy}))"
    code = (
        "import sys\nfrom errcli.cli.fast import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
        + report.format(heavy="{'typer', 'rich', 'yaml', 'click'}")
    )
    tab = [sys.executable, "-c", code, "__complete", "bash", "2", "errcode", "-c", "m"]
    out = subprocess.run(tab, env=shell_env, capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["market-data", "[]"]
    write_catalog(tmp_path / "one-off", "mine")
    assert errcode(shell_env, "--catalog-path", str(tmp_path / "one-off"), "mine:1001").returncode == 0
    out = subprocess.run(tab, env=shell_env, capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["market-data", "[]"]
    assert out.stderr == ""


# --- install lines ---------------------------------------------------------------------


def install_lines(shell: str) -> list[str]:
    """The commands the script's leading comment gives (indented by three spaces, continued by five)."""
    lines: list[str] = []
    for line in SCRIPTS[shell].splitlines():
        if not line.startswith("#"):
            break
        if line.startswith("#     ") and lines:
            lines[-1] += "\n" + line[6:]
        elif line.startswith("#   "):
            lines.append(line[4:])
    return lines


@pytest.mark.parametrize("shell", [*SHELLS, "powershell"])
def test_install_lines_create_their_folder(shell: str) -> None:
    lines = install_lines(shell)
    assert lines, f"the {shell} script says how to install it"
    for line in lines:
        if " > " in line:
            target = line.rsplit(" > ", 1)[1].strip()
            folder = target.rsplit("/", 1)[0]
            assert line.startswith(f"mkdir -p {folder} &&"), line


@pytest.mark.parametrize(
    ("shell", "line"),
    [
        ("bash", "source <(errcode completion bash)"),
        ("zsh", "source <(errcode completion zsh)"),
        ("fish", "errcode completion fish | source"),
    ],
)
def test_scripts_offer_the_one_line_way(shell: str, line: str) -> None:
    assert line in install_lines(shell)


@pytest.fixture
def fresh_account(shell_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """A home with nothing in it, no XDG_* variables."""
    home = tmp_path / "fresh"
    home.mkdir()
    return {**{k: v for k, v in shell_env.items() if not k.startswith("XDG_")}, "HOME": str(home)}


# After each install line, in a new shell of that kind: is errcode completed?
CHECKS = {
    "bash": (
        ["bash", "--norc", "-c"],
        f"[ -f '{BASH_COMPLETION}' ] && source '{BASH_COMPLETION}' && __load_completion errcode; complete -p errcode",
        "_errcode_complete",
    ),
    "zsh": (
        ["zsh", "-f", "-c"],
        "fpath=(~/.zfunc $fpath); autoload -Uz compinit; compinit -u; print $_comps[errcode]",
        "_errcode",
    ),
    "fish": (["fish", "-c"], "complete -C'errcode sea'", "search\tfuzzy search by words"),
}


@pytest.mark.parametrize("shell", SHELLS)
def test_install_lines_work_on_a_fresh_account(shell: str, fresh_account: dict[str, str]) -> None:
    if not shutil.which(shell) and not os.environ.get("CI"):
        pytest.skip(f"{shell} is not installed here")
    command, check, expected = CHECKS[shell]
    for line in install_lines(shell):
        if "source" in line:  # a line for the shell's startup file: run it, then complete in that shell
            if shell == "zsh":
                script = f"autoload -Uz compinit; compinit -u; {line}; print $_comps[errcode]"
            elif shell == "fish":
                script = f"{line}; {check}"
            else:
                script = f"{line}; complete -p errcode"
        else:  # a file to write: write it, then a new shell must find it
            done = subprocess.run(
                [*command, line], env=fresh_account, capture_output=True, text=True, timeout=60, check=False
            )
            assert (done.returncode, done.stderr) == (0, ""), line
            script = check
            if shell == "bash" and not BASH_COMPLETION.exists():
                continue
        out = subprocess.run(
            [*command, script], env=fresh_account, capture_output=True, text=True, timeout=60, check=False
        )
        assert expected in out.stdout, (line, out.stdout, out.stderr)


def test_completion_shows_catalog_text_escaped(shell_env: dict[str, str], tmp_path: Path) -> None:
    """A hostile catalog's title (clipboard write, window title, clear screen) reaches the prompt
    escaped, as every other output shows it."""
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "evil.yaml").write_text(
        "schema_version: 1\nid: evil\nname: {en: Evil}\nentries:\n"
        '  - code: 7777\n    title: {en: "Paid \\e]52;c;cm0gLXJmIH4=\\a \\e]2;pwned\\a \\e[2J done"}\n',
        encoding="utf-8",
    )
    env = {**shell_env, "ERRCODE_PATH": str(folder)}
    assert errcode(env, "evil:7777").returncode == 0
    from errcli.cli.complete import render

    for shell in ("zsh", "fish", "bash"):
        shown = render(shell, ["errcode", "777"], 1, env)
        assert "7777" in shown
        assert "\x1b" not in shown, (shell, shown)
        assert "\x07" not in shown, (shell, shown)
    assert "\\x1b]52" in render("fish", ["errcode", "777"], 1, env)
