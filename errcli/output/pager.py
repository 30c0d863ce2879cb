"""Long output on a terminal goes through a pager, the way git and gh do it.

``$ERRCODE_PAGER``, else ``$PAGER``, else ``less -FRX`` (which quits at once when the output
fits on one screen, keeps colours, and leaves the text on the screen). An empty value, or
``cat``, turns paging off, as ``--no-pager`` does; so does a stdout that is no terminal.
The pager reads our stdout: the process's fd 1 is pointed at its input, so every writer
(rich, plain writes) goes through it without knowing.
"""

from __future__ import annotations

import contextlib
import os
import sys

from errcli.env import MAX_COLUMNS, stdout_is_terminal

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from subprocess import Popen

_started: list[Popen[bytes]] = []
_width: list[int] = []  # the terminal's width, taken before stdout became the pager's pipe


def terminal_width() -> int:
    return _width[0] if _width else 80


def pager_command(environ: Mapping[str, str] | None = None) -> list[str] | None:
    """The pager to run, or None when paging is turned off."""
    import shlex

    env = os.environ if environ is None else environ
    for var in ("ERRCODE_PAGER", "PAGER"):
        if var in env:
            try:
                argv = shlex.split(env[var])
            except ValueError:
                return None
            return argv if argv and argv != ["cat"] else None
    return ["less", "-FRX"]


def start_pager(no_pager: bool = False) -> bool:
    """Send the rest of stdout through the pager when stdout is a terminal and paging is not turned
    off; False (nothing changed) otherwise."""
    if no_pager or _started or not stdout_is_terminal():
        return False
    argv = pager_command()
    if argv is None:
        return False
    import atexit
    import shutil
    import subprocess

    _width[:] = [min(shutil.get_terminal_size().columns, MAX_COLUMNS)]
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")  # as git does: a bare `less` in $PAGER still keeps colours
    env.setdefault("LV", "-c")
    try:
        sys.stdout.flush()
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, env=env)  # noqa: S603 - the user's own pager
    except (OSError, ValueError):
        return False
    if proc.stdin is None:  # pragma: no cover - stdin=PIPE always gives one
        return False
    os.dup2(proc.stdin.fileno(), sys.stdout.fileno())
    proc.stdin.close()
    _started.append(proc)
    atexit.register(finish_pager)
    return True


def waiting() -> bool:
    """A pager runs that the process must wait for at its end."""
    return bool(_started)


def finish_pager() -> None:
    """Close the pager's input and wait for the user to leave it."""
    if not _started:
        return
    proc = _started.pop()
    with contextlib.suppress(OSError, ValueError):  # the user may have left the pager already
        sys.stdout.flush()
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # the pager sees the end of its input
        os.close(devnull)
    except (OSError, ValueError):
        pass
    try:
        proc.wait()
    except KeyboardInterrupt:  # Ctrl-C inside less belongs to less
        proc.wait()
