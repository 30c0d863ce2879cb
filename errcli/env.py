"""What the environment says: variables and the terminal state of stdin and stdout (stdlib only).

Every entry point reads these through here, so "is this a terminal?" is decided in one place.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (costs start-up time)

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import IO, Any, Literal

    Lang = Literal["zh", "en"]  # as errcli.model names it (a leaf imports nothing of errcli)


def default_lang(environ: Mapping[str, str] | None = None) -> Lang:
    """ERRCODE_LANG, then the locale (LC_ALL, LANG): ``zh*`` means Chinese, anything else English."""
    env = os.environ if environ is None else environ
    for name in ("ERRCODE_LANG", "LC_ALL", "LANG"):
        value = env.get(name, "").strip().lower()
        if value:
            return "zh" if value.startswith("zh") else "en"
    return "en"


def is_terminal(stream: IO[Any] | None) -> bool:
    """A terminal; a closed or missing stream (``>&-``, ``<&-``) is none."""
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):
        return False


def stdin_is_piped() -> bool:
    """Input waits on stdin: a pipe or a file, not a terminal, and not a closed stdin (``<&-``)."""
    try:
        return sys.stdin is not None and not sys.stdin.isatty()
    except (ValueError, OSError):
        return False


def stdout_is_terminal() -> bool:
    return is_terminal(sys.stdout)


def force_color(environ: Mapping[str, str] | None = None) -> bool:
    """FORCE_COLOR asks for colour through a pipe (``| less -R``); NO_COLOR wins over it."""
    env = os.environ if environ is None else environ
    return bool(env.get("FORCE_COLOR")) and not env.get("NO_COLOR")


MAX_COLUMNS = 1000  # wider is a mistake or an attack (COLUMNS=99999999 would lay out gigabytes)


def columns(environ: Mapping[str, str] | None = None) -> int | None:
    """$COLUMNS when it is a number, at most MAX_COLUMNS."""
    value = (os.environ if environ is None else environ).get("COLUMNS", "")
    return min(int(value), MAX_COLUMNS) if value.isdigit() else None
