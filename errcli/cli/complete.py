"""TAB completion for bash, zsh and fish, answered without Typer, rich or msgspec.

The shell scripts in ``completions/`` call ``errcode __complete SHELL CWORD WORD...``.
Subcommands, options and option values are known here; codes and catalog ids
come from the small ``completion.marshal`` the catalog cache writes (see
errcli.catalog), which describes a plain run (bundled, ``ERRCODE_PATH``, the user
folder: never a one-off ``--catalog-path``). A missing or broken one only means no
codes are offered. Nothing is ever printed to stderr, so a problem can never
garble the user's prompt.
"""

from __future__ import annotations

import marshal
import os

from errcli._text import safe
from errcli.cli.spec import COMMANDS as SPEC_COMMANDS
from errcli.cli.spec import DEFAULT_COMMAND, HELP_FLAGS, ROOT_OPTIONS, Command
from errcli.cli.spec import OPTIONS as SPEC_OPTIONS
from errcli.store.files import (
    COMPLETION_FILE,
    COMPLETION_HEAD,
    COMPLETION_TAIL,
    MAX_COMPLETION_BYTES,
    cache_folder,
    stat_key,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (costs start-up time)

if TYPE_CHECKING:  # nothing but json, os and re (already loaded by json) at run time: this runs on every TAB
    from collections.abc import Sequence
    from typing import Any

FILES = "__files__"  # tells the shell script to complete file names instead


def _described(command: Command) -> str:
    """A command's help as a completion menu shows it: its first sentence, lower case, no period."""
    text = (command.short_help or command.help).split(". ")[0].rstrip(".")
    return text[:1].lower() + text[1:]


COMMANDS = {name: _described(command) for name, command in SPEC_COMMANDS.items()}
# Options of each command ("": before any command, where a lookup's options apply too).
OPTIONS: dict[str, tuple[str, ...]] = {
    name: (*(flag for key in command.options for flag in SPEC_OPTIONS[key].names), *HELP_FLAGS)
    for name, command in SPEC_COMMANDS.items()
}
OPTIONS[""] = (*(flag for opt in ROOT_OPTIONS for flag in opt.flags), *OPTIONS[DEFAULT_COMMAND])
VALUES: dict[str, tuple[str, ...]] = {
    flag: opt.choices or (opt.complete if isinstance(opt.complete, tuple) else ())
    for opt in SPEC_OPTIONS.values()
    if opt.takes_value and opt.complete not in ("catalog", "files")
    for flag in opt.flags
}
_CATALOG_OPTIONS = tuple(flag for opt in SPEC_OPTIONS.values() if opt.complete == "catalog" for flag in opt.flags)
_FILE_OPTIONS = tuple(flag for opt in SPEC_OPTIONS.values() if opt.complete == "files" for flag in opt.flags)
_FILE_COMMANDS = tuple(name for name, c in SPEC_COMMANDS.items() if c.args and c.args[0].complete == "files")
_ARGUMENTS = {name: c.args[0].choices for name, c in SPEC_COMMANDS.items() if c.args and c.args[0].choices}


def _load(environ: dict[str, str]) -> dict[str, Any]:
    """The completion data, or an empty one when it is missing, stale or broken."""
    folder = cache_folder(environ)
    if folder is None:
        return {}
    data_path = os.path.join(folder, COMPLETION_FILE)  # noqa: PTH118 -- pathlib costs start-up time
    try:
        with open(data_path, "rb") as file:  # noqa: PTH123
            raw = file.read(MAX_COMPLETION_BYTES)
        whole = raw.startswith(COMPLETION_HEAD) and raw.endswith(COMPLETION_TAIL)
        body = raw[len(COMPLETION_HEAD) : -len(COMPLETION_TAIL)] if whole else b""  # (b"": EOFError)
        data: dict[str, Any] = marshal.loads(body)  # noqa: S302 - our own cache file, like a .pyc
        sources = [(path, kept) for path, *kept in data["files"]]
    except OSError:
        return {}
    except (ValueError, KeyError, TypeError, EOFError):  # damaged: removed, so the next plain run writes it again
        try:  # noqa: SIM105 - contextlib costs start-up time on every TAB
            os.unlink(data_path)  # noqa: PTH108
        except OSError:
            pass
        return {}
    for path, kept in sources:  # as errcli.store.cache keeps them
        try:
            if list(stat_key(path)) != kept:
                return {}
        except OSError:
            return {}
    return data


def _fold(text: str) -> str:
    return text.replace("-", "_").upper()


def _lang(environ: dict[str, str]) -> int:
    """Index of the title to describe codes with: 0 Chinese, 1 English."""
    from errcli.env import default_lang

    return 0 if default_lang(environ) == "zh" else 1


def candidates(words: Sequence[str], cword: int, environ: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(value, description) pairs for the word at ``cword`` (``words[0]`` is the program)."""
    env = dict(os.environ if environ is None else environ)
    words = list(words) + [""] * max(0, cword + 1 - len(words))
    current, previous = words[cword], words[cword - 1] if cword > 0 else ""
    command = next((w for w in words[1:cword] if not w.startswith("-") and w in COMMANDS), "")
    if previous in _FILE_OPTIONS:
        return [(FILES, "")]
    if previous in _CATALOG_OPTIONS:
        return [(c, "catalog") for c in _load(env).get("catalogs", []) if c.startswith(current.lower())]
    if previous in VALUES:
        return [(v, previous) for v in VALUES[previous] if v.startswith(current)]
    if current.startswith("-"):
        return [(o, "option") for o in OPTIONS.get(command, ()) if o.startswith(current)]
    if command in _FILE_COMMANDS:
        return [(FILES, "")]
    if command in _ARGUMENTS:
        return [(a, command) for a in _ARGUMENTS[command] if a.startswith(current)]
    if command not in ("", DEFAULT_COMMAND):
        return []
    found: list[tuple[str, str]] = []
    positional = [w for w in words[1:cword] if w and not w.startswith("-")]
    if not command and not positional:
        found += [(name, help_) for name, help_ in COMMANDS.items() if name.startswith(current)]
    if current:
        found += _codes(_load(env), current, _lang(env))
    return found


def _codes(data: dict[str, Any], current: str, lang: int) -> list[tuple[str, str]]:
    catalogs: list[str] = data.get("catalogs", [])
    entries: list[list[Any]] = data.get("entries", [])
    head, colon, tail = current.partition(":")
    if colon and head.lower() in catalogs:
        wanted = _fold(tail)
        return [
            (f"{head.lower()}:{code}", titles[lang] or titles[1 - lang])
            for catalog, code, *titles in entries
            if catalog == head.lower() and _fold(str(code)).startswith(wanted)
        ]
    found: dict[str, list[str]] = {}
    wanted = _fold(current)
    for catalog, code, *titles in entries:
        if _fold(str(code)).startswith(wanted):
            title = titles[lang] or titles[1 - lang]
            found.setdefault(str(code), []).append(f"{catalog}: {title}")
    pairs = [(code, "; ".join(descriptions)) for code, descriptions in found.items()]
    pairs += [(f"{c}:", "catalog") for c in catalogs if c.startswith(current.lower())]
    return pairs


def _bash_words(words: list[str], cword: int) -> tuple[list[str], int, str]:
    """Undo bash's split of ``qaexchange:10`` into three words (COMP_WORDBREAKS has ``:``).

    Returns the joined words, the index of the current one, and the prefix of it that
    readline keeps (the part up to the last split colon), which replies must leave out.
    completions/errcode.bash joins the words itself and leaves out that prefix itself;
    this is for scripts of earlier versions still installed as files.
    """
    joined: list[str] = []
    split_prefix: list[str] = []  # per joined word: the part bash treats as already typed
    glue = False
    index = 0
    for i, word in enumerate(words):
        if word == ":" and joined:
            joined[-1] += ":"
            split_prefix[-1] = joined[-1]
            glue = True
        elif glue:
            joined[-1] += word
            glue = False
        else:
            joined.append(word)
            split_prefix.append("")
        if i == cword:
            index = len(joined) - 1
    if cword >= len(words):
        joined.append("")
        split_prefix.append("")
        index = len(joined) - 1
    return joined, index, split_prefix[index]


def render(shell: str, words: list[str], cword: int, environ: dict[str, str] | None = None) -> str:
    keep = ""
    if shell == "bash":
        words, cword, keep = _bash_words(words, cword)
    lines = []
    for found, description in candidates(words, cword, environ):
        if found == FILES:
            return FILES + "\n"
        value = safe(found)  # catalog text reaches the prompt escaped, as every other output shows it
        if shell == "bash":
            lines.append(value.removeprefix(keep))
        elif shell == "zsh":
            lines.append(value.replace("\\", "\\\\").replace(":", "\\:") + ":" + _one_line(description))
        else:
            lines.append(f"{value}\t{_one_line(description)}")
    return "".join(f"{line}\n" for line in lines)


def _one_line(text: str) -> str:
    return safe(" ".join(text.split())[:120])


def main(args: Sequence[str]) -> int:
    """``errcode __complete SHELL CWORD WORD...``; always exits 0 and prints nothing on stderr."""
    try:
        shell, cword, *words = args
        out = render(shell, words, min(int(cword), len(words)))  # a word past the end is the next one
        os.write(1, out.encode("utf-8", "replace"))
    except Exception:  # noqa: BLE001 -- a completion must never print an error into the prompt (nor a closed stdout)
        return 0
    return 0
