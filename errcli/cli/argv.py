"""Reading argv, shared by the fast lane and the Typer app: negative codes, slips of a command's name,
where the first positional word is (plain functions over the command table; nothing heavy imported)."""

from __future__ import annotations

import os

from errcli.cli.spec import COMMANDS, OPTIONS

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (costs start-up time)

if TYPE_CHECKING:
    from collections.abc import Sequence

TAKES_VALUE = frozenset(name for o in OPTIONS.values() if o.takes_value for name in o.flags)


def is_negative_number(arg: str) -> bool:
    """``-1021``: a code (Binance-style APIs use negative ones), not an option."""
    return len(arg) > 1 and arg[0] == "-" and arg[1:].isdigit()


def typo_of(word: str, rest: Sequence[str] = ()) -> str | None:
    """The subcommand a word is a slip of (``explian``, ``catalog``), or None. Only a word alone
    (or before a file name) is taken for one: ``errcode catalog not found`` is a search."""
    if not (word.isascii() and word.isalpha() and word.islower()) or word in COMMANDS:
        return None
    if rest and not os.path.exists(rest[0]):  # noqa: PTH110 - pathlib costs start-up time here
        return None
    near = [c for c in COMMANDS if c[0] == word[0] and abs(len(c) - len(word)) <= 2]
    if not near:
        return None
    import difflib

    found = difflib.get_close_matches(word, near, n=1, cutoff=0.75)
    return found[0] if found else None


def negatives_last(args: list[str]) -> list[str]:
    """``lookup -1021``: a negative number is a code, not an option; it goes after ``--``."""
    kept: list[str] = []
    codes: list[str] = []
    skip = False
    for i, arg in enumerate(args):
        if skip:
            skip = False
            kept.append(arg)
        elif arg == "--":
            return [*kept, "--", *codes, *args[i + 1 :]]
        elif i > 0 and is_negative_number(arg):
            codes.append(arg)
        else:
            skip = arg in TAKES_VALUE
            kept.append(arg)
    return [*kept, "--", *codes] if codes else kept


def first_positional(args: list[str]) -> int | None:
    skip = False
    for i, arg in enumerate(args):
        if skip:
            skip = False
        elif arg == "--":
            return i + 1 if i + 1 < len(args) else None
        elif arg.startswith("-") and len(arg) > 1 and not is_negative_number(arg):
            skip = arg in TAKES_VALUE
        else:
            return i
    return None
