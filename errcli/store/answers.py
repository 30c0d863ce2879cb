"""Answers kept: the text a plain lookup or search printed, printed again by the next identical run.

``errcode 1001`` prints the same text each time as long as nothing it depends on changes: the
arguments, errcode's version and installation, the environment variables the output reads
(:data:`ENV`), the output's encoding, and the catalog files and folders it read (their size, times
and inode: a file edited, added or removed changes them). The first run answers the full way and
keeps its text here (a run that found everything and printed nothing on stderr); a later run
checks the sources with one ``stat`` each, reads one marshal file and prints.

Standard library only (``os`` and ``marshal``): this runs before anything else is imported. The
file lives in the cache folder beside the compiled catalogs; a missing, damaged or stale one only
means the full way is taken (and, for a damaged one, that it is written again).
"""

from __future__ import annotations

import marshal
import os

from errcli.store.files import cache_folder, read_bounded, stat_key, write_bytes_atomic

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (costs start-up time)

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

FILE = "answers.marshal"
FORMAT = 1
MAX_ANSWERS = 200  # answers kept (then the oldest go)
MAX_TEXT = 64 * 1024  # a longer answer is not kept
MAX_FILE = MAX_ANSWERS * MAX_TEXT * 4  # what is read of the file at most (four bytes a character)
# what an answer's text can depend on besides its arguments: language, layout width, colour, where
# catalogs and the cache are, the output's encoding (every variable of errcode's own is added)
ENV = (
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "COLUMNS",
    "LINES",
    "NO_COLOR",
    "FORCE_COLOR",
    "COLORTERM",
    "TERM",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "HOME",
    "XDG_CONFIG_HOME",
    "XDG_CACHE_HOME",
    "PYTHONIOENCODING",
    "PYTHONUTF8",
)
PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # noqa: PTH100, PTH120 - pathlib costs start-up time

Stat = tuple[int, int, int, int] | None  # size, mtime_ns, ctime_ns, inode; None: not there


def stat_of(path: str) -> Stat:
    """What a source looks like now (None: not there); OSError when it cannot be looked at."""
    try:
        return stat_key(path)
    except (FileNotFoundError, NotADirectoryError):
        return None


def snapshot(paths: Sequence[str]) -> list[tuple[str, Stat]] | None:
    """The sources as they are now, or None when one cannot be looked at."""
    try:
        return [(path, stat_of(path)) for path in paths]
    except OSError:
        return None


def key(args: Sequence[str], environ: Mapping[str, str], encoding: str, version: str) -> tuple[Any, ...]:
    """What names an answer: the arguments and everything else its text depends on (``version``: errcode's)."""
    env = tuple(sorted((k, v) for k, v in environ.items() if k in ENV or k.startswith("ERRCODE_")))
    return (version, PACKAGE, tuple(args), env, encoding)


def _path(environ: Mapping[str, str]) -> str | None:
    folder = cache_folder(environ)
    return os.path.join(folder, FILE) if folder else None  # noqa: PTH118 - pathlib costs start-up time


def _read(path: str) -> dict[str, Any] | None:
    """The kept answers and their sources, or None when the file is missing or damaged."""
    try:
        data = marshal.loads(read_bounded(path, MAX_FILE))  # noqa: S302 - our own cache file, like a .pyc
    except OSError:
        return None
    except (ValueError, EOFError, TypeError):
        try:  # noqa: SIM105 - contextlib costs start-up time
            os.unlink(path)  # noqa: PTH108 - damaged: written again by the next full run
        except OSError:
            pass
        return None
    if (
        type(data) is not dict
        or data.get("format") != FORMAT
        or type(data.get("sources")) is not list
        or type(data.get("answers")) is not dict
    ):
        return None
    return data


def recall(args: Sequence[str], environ: Mapping[str, str], encoding: str, version: str) -> tuple[str, int] | None:
    """The text and exit status kept for this run, or None when there is none or it may be stale."""
    path = _path(environ)
    if path is None:
        return None
    data = _read(path)
    if data is None:
        return None
    found = data["answers"].get(key(args, environ, encoding, version))
    if type(found) is not tuple or len(found) != 2 or type(found[0]) is not str or type(found[1]) is not int:
        return None
    try:
        for source, seen in data["sources"]:
            if stat_of(source) != seen:
                return None
    except (OSError, TypeError, ValueError):
        return None
    return found


def keep(
    args: Sequence[str],
    environ: Mapping[str, str],
    encoding: str,
    version: str,
    answer: tuple[str, int],
    sources: list[tuple[str, Stat]],
) -> bool:
    """Keep ``answer`` (text, exit status) for this run, read from ``sources`` (as they were before it ran:
    nothing is kept when they changed meanwhile); False when it is not kept."""
    path = _path(environ)
    if path is None or len(answer[0]) > MAX_TEXT or snapshot([s for s, _ in sources]) != sources:
        return False
    data = _read(path)
    answers: dict[Any, Any] = {}
    if data is not None and data["sources"] == sources:
        answers = data["answers"]
    answers.pop(name := key(args, environ, encoding, version), None)
    answers[name] = answer
    while len(answers) > MAX_ANSWERS:
        del answers[next(iter(answers))]
    from pathlib import Path  # (a full run has it loaded already)

    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_bytes_atomic(Path(path), marshal.dumps({"format": FORMAT, "sources": sources, "answers": answers}), 0o600)
    except (OSError, ValueError):
        return False
    return True
