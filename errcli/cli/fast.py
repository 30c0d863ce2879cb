"""The fast lane: answer the hot invocations without importing Typer.

``errcode 1001``, ``errcode search 资金``, ``curl -si URL | errcode explain``, ``errcode --version``
and TAB completion are most of what people type, and importing Typer costs more than everything
else together. When the arguments are a lookup, search or explain whose options are all plain
(read from the same table as the Typer app, :mod:`errcli.cli.spec`), this module parses them
itself and hands the values to
:func:`errcli.cli.main.run`, as the app does; for anything else — other subcommands, --help,
invalid options — it hands over to the Typer app, so errors and help look exactly the same.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (costs start-up time)

if TYPE_CHECKING:  # kept out of start-up: every import here costs every run
    from collections.abc import Sequence
    from typing import Any

    from errcli.cli.spec import Opt


def _value(opt: Opt, text: str) -> Any:
    """An option's value as the Typer app would take it, or None when the app must judge it."""
    if opt.choices is not None:
        return text if text in opt.choices else None
    if opt.kind in ("int", "float"):
        try:
            number = int(text) if opt.kind == "int" else float(text)
        except ValueError:
            return None
        low = opt.minimum if opt.minimum is not None else number
        high = opt.maximum if opt.maximum is not None else number
        return number if low <= number <= high else None
    return text


FAST_COMMANDS = ("search", "explain")  # the subcommands the fast lane parses (and the default one)


def parse(args: Sequence[str]) -> tuple[str, dict[str, Any]] | None:
    """The command and its option values for a plain lookup, search or explain, or None when the Typer app
    must answer."""
    from errcli.cli.argv import is_negative_number, typo_of
    from errcli.cli.spec import COMMANDS, DEFAULT_COMMAND, OPTIONS

    name = args[0] if args[:1] and args[0] in FAST_COMMANDS else DEFAULT_COMMAND
    command = COMMANDS[name]
    by_flag = {flag: OPTIONS[key] for key in command.options for flag in OPTIONS[key].flags}
    values: dict[str, Any] = {key: [] if OPTIONS[key].repeat else OPTIONS[key].default for key in command.options}
    words: list[str] = []
    i = 0 if name == DEFAULT_COMMAND else 1
    while i < len(args):
        arg = args[i]
        flag, eq, inline = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        opt = by_flag.get(flag)
        if arg == "--":
            words.extend(args[i + 1 :])
            break
        if opt is not None and opt.takes_value:
            if not eq:
                if i + 1 == len(args):
                    return None
                i += 1
                inline = args[i]
            value = _value(opt, inline)
            if value is None:
                return None
            if opt.repeat:
                values[opt.key].append(value)
            else:
                values[opt.key] = value
        elif opt is not None and opt.kind == "flag" and not eq:
            values[opt.key] = True
        elif arg.startswith("-") and len(arg) > 1 and not (name == DEFAULT_COMMAND and is_negative_number(arg)):
            return None  # --help, a subcommand's option, a mistake: the app's to answer (a lookup's -1021 is a code)
        else:
            if name == DEFAULT_COMMAND and not words and (arg in COMMANDS or typo_of(arg, args[i + 1 :])):
                return None
            words.append(arg)
        i += 1
    given = command.args[0]
    if given.many:
        if not words:
            return None
        values[given.key] = words
    else:  # one argument, which may be left out
        if len(words) > 1 or (given.required and not words):
            return None
        values[given.key] = words[0] if words else given.default
    return name, values


def main(argv: Sequence[str] | None = None) -> None:
    """The ``errcode`` command. Ctrl-C at any moment, imports included, is a quiet exit 130."""
    try:
        status = _main(list(sys.argv[1:] if argv is None else argv))
    except KeyboardInterrupt:
        status = 130
    except RuntimeError as exc:  # Ctrl-C while a class is made in an import comes wrapped (``__set_name__``)
        if not isinstance(exc.__cause__, KeyboardInterrupt):
            raise
        status = 130
    sys.exit(status)


def leave(status: str | int | None) -> None:
    """End the process with ``status`` (what ``main`` exits with), at once when nothing is left to do:
    the output written and flushed, no pager to wait for. Tearing down what the command built (for
    ``explain --summary`` of a big log, a tenth of its time) is then work for nobody."""
    pager = sys.modules.get("errcli.output.pager")
    if type(status) is int and (pager is None or not pager.waiting()):
        try:
            for stream in (sys.stdout, sys.stderr):
                if stream is not None:  # (None: the stream was closed before errcode started)
                    stream.flush()
        except (OSError, ValueError):
            pass  # (a reader gone, a closed stream: the usual way out deals with it)
        else:
            os._exit(status)
    sys.exit(status)


def _main(args: list[str]) -> int:
    if args[:1] == ["__complete"]:  # TAB in a shell: see errcli.cli.complete
        from errcli.cli.complete import main as complete

        return complete(args[1:])
    if sys.stdout is None:  # `errcode 1001 >&-`
        if sys.stderr is not None:
            sys.stderr.write("errcode: cannot write the output: stdout is closed\n")
        return 2
    _tolerant(sys.stdout, sys.stderr)
    if args in (["--version"], ["-V"]):
        from errcli import __version__

        sys.stdout.write(f"errcode {__version__}\n")
        return 0
    from errcli.env import stdout_is_terminal

    piped = not stdout_is_terminal()
    if piped:  # the same run as before, with nothing changed since: its answer, printed again
        from errcli import __version__
        from errcli.store.answers import recall

        kept = recall(args, os.environ, _encoding(sys.stdout), __version__)
        if kept is not None:
            return _replay(*kept)
    parsed = parse(args)
    if parsed is None:
        from errcli.cli.app import main as full_cli

        full_cli()  # exits itself
        return 0
    from errcli.cli.main import guarded, run
    from errcli.cli.spec import COMMANDS

    if piped and COMMANDS[parsed[0]].kept and not parsed[1].get("catalog_path"):
        return guarded(lambda: _run_kept(args, *parsed))
    return guarded(lambda: run(*parsed))


def _run_kept(args: list[str], name: str, values: dict[str, Any]) -> int:
    """Answer as :func:`errcli.cli.main.run` does, and keep the answer (see :mod:`errcli.store.answers`)
    when it is whole: nothing went to stderr (no query without an answer, no weak guesses)."""
    from errcli import __version__
    from errcli.catalog.discover import watched
    from errcli.cli.main import run
    from errcli.store import answers

    sources = answers.snapshot(watched())
    tee, problems = _Tee(sys.stdout), _Tee(sys.stderr)
    sys.stderr = problems  # a text stream too
    try:
        status = run(name, values, tee)  # type: ignore[arg-type]  # a text stream too
        sys.stdout.flush()
    finally:
        sys.stderr = problems.stream
    if sources is not None and not problems.parts:
        answers.keep(args, os.environ, _encoding(sys.stdout), __version__, ("".join(tee.parts), status), sources)
    return status


def _replay(text: str, status: int) -> int:
    """A kept answer printed; a reader that went away or a failed write as :func:`errcli.cli.main.guarded` has them."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except OSError as exc:
        error = exc
    else:
        return status
    from errcli.cli.main import guarded

    def failed() -> int:
        raise error  # mapped as a full run's failed write is

    return guarded(failed)


class _Tee:
    """A text stream that writes through to ``stream`` and keeps what was written."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        written: int = self.stream.write(text)
        return written

    def __getattr__(self, name: str) -> Any:  # isatty, encoding, flush, fileno: the stream's own
        return getattr(self.stream, name)


def _encoding(stream: Any) -> str:
    return f"{getattr(stream, 'encoding', None)}:{getattr(stream, 'errors', None)}"


def _tolerant(*streams: Any) -> None:
    """A terminal or pipe whose encoding cannot hold Chinese text (``PYTHONIOENCODING=ascii``, ``LC_ALL=C``)
    gets ``\\u`` escapes for what it cannot hold, never an error."""
    for stream in streams:
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding not in ("utf8", "utf8sig") and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
