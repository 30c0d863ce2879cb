"""One run of a command: options → answer → view → exit status, and the one place that maps
user errors, Ctrl-C, a closed pipe and a failed write to exit statuses.

Both the fast lane and the Typer app end here with the same option values (keys of
:data:`errcli.cli.spec.OPTIONS` and the arguments' keys), so their answers cannot differ.
"""

from __future__ import annotations

import os
import sys

from errcli.cli.spec import COMMANDS, OPTIONS
from errcli.errors import ErrcodeError, ExitCode

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (costs start-up time)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any, TextIO

    from errcli.output.console import Output

_SHOWN = frozenset({"fmt", "as_json", "lang", "color", "brief", "no_pager"})  # for output_for
_REPEATED = frozenset(key for key, opt in OPTIONS.items() if opt.repeat)


def _resolve(where: str) -> Callable[..., Any]:
    """``module:function`` of the command table, imported (``__import__``: importlib costs start-up time)."""
    module, _, name = where.partition(":")
    found: Callable[..., Any] = getattr(__import__(module, fromlist=[name]), name)
    return found


def output_for(name: str, values: Mapping[str, Any], stream: TextIO | None = None) -> Output:
    """How the command's output looks and where it goes (a pager on a terminal, unless turned off;
    ``stream``: instead of stdout)."""
    from errcli.env import default_lang, stdout_is_terminal
    from errcli.output.console import Output, default_format

    command = COMMANDS[name]
    fmt = "json" if values.get("as_json") else values.get("fmt") or default_format(stream)
    page = not values.get("no_pager") and command.page != "no"
    if command.page == "file":
        page = page and values.get("source") not in (None, "-")
    paged = False
    if page and stream is None and stdout_is_terminal():  # a pipe imports no pager
        from errcli.output import pager

        paged = pager.start_pager()
    lang = values.get("lang") or default_lang()
    return Output(
        format=fmt,
        lang=lang,
        color=values.get("color") or "auto",
        brief=bool(values.get("brief")),
        stream=stream,
        paged=paged,
    )


def run(name: str, values: Mapping[str, Any], stream: TextIO | None = None) -> int:
    """Answer command ``name`` with these option values (printed on ``stream``, else stdout); the exit status."""
    command = COMMANDS[name]
    out = output_for(name, values, stream)
    handler, view = _resolve(command.run), _resolve(command.view)
    given = {
        key: () if value is None and key in _REPEATED else value for key, value in values.items() if key not in _SHOWN
    }
    if command.catalogs is None:
        answer = handler(**given)
    else:
        from errcli.catalog import load_all

        paths = [str(p) for p in given.pop("catalog_path", None) or ()]
        cs = load_all(paths, strict=command.catalogs == "strict")  # a named path must load
        if command.catalogs == "strict":
            from errcli.output.console import print_warnings

            print_warnings(cs.problems)
        answer = handler(cs, **given)
    view(answer, out)
    return int(answer.status)


def guarded(call: Callable[[], int], debug: bool = False) -> int:
    """``call()``'s status, with user errors shown as one line and a hint, Ctrl-C as 130, a reader that
    went away (``| head -1``) as a quiet success and a failed write (``> /dev/full``) as one line, exit 2."""
    try:
        status = call()
        sys.stdout.flush()
    except ErrcodeError as exc:
        if debug:
            raise
        from errcli.output.console import print_problem

        print_problem(exc.headline, exc.hint)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        quiet_closed_pipe()
        return int(ExitCode.OK)
    except OSError as exc:
        if debug or getattr(exc, "filename", None) is not None:  # a file of ours, not the output
            raise
        quiet_closed_pipe()
        _say(f"errcode: cannot write the output: {exc.strerror or exc}\n")
        return int(ExitCode.USAGE)
    return status


def quiet_closed_pipe() -> None:
    """The reader went away (``errcode list | head -1``): whatever is still buffered goes nowhere."""
    try:  # noqa: SIM105 - contextlib is one more import on the fast path
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _say(text: str) -> None:
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass
