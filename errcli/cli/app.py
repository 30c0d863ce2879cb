"""The full command line: a Typer app built from the command table (errcli.cli.spec).

Every command's function is made from its row of the table and hands its option values to
:func:`errcli.cli.main.run`, as the fast lane does. What is Typer's alone lives here: help
that reads like a person wrote it, ``errcode QUERY`` meaning ``errcode lookup QUERY``, piped
input meaning ``explain``, and Click's messages made plain.
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from errcli import __version__
from errcli.cli.argv import first_positional, negatives_last, typo_of
from errcli.cli.main import guarded, run
from errcli.cli.spec import COMMANDS, DEFAULT_COMMAND, HELP_FLAGS, OPTIONS, ROOT_HELP, ROOT_OPTIONS, Arg, Command, Opt
from errcli.env import stdin_is_piped
from errcli.errors import ErrcodeError, ExitCode

PROG = "errcode"
# Click's base exception, by its public subclass: Typer exports BadParameter whether Click is
# vendored (0.26+) or a dependency (earlier), but not ClickException itself.
ClickException: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")
_ROOT_ONLY = frozenset({*HELP_FLAGS, *(name for o in ROOT_OPTIONS if o.key == "version" for name in o.flags)})


def _complete_catalog(incomplete: str) -> list[str]:
    from errcli.catalog import load_all

    try:
        ids = load_all().ids
    except (ErrcodeError, OSError):  # completion must never print an error into the prompt
        return []
    return [i for i in ids if i.startswith(incomplete)]


_CHOICES: dict[tuple[str, ...], type[Enum]] = {}


def _choice(choices: tuple[str, ...]) -> type[Enum]:
    """The Enum Typer wants for a set of choices (one class per set)."""
    if choices not in _CHOICES:
        made: Any = Enum(f"Choice{len(_CHOICES)}", {c: c for c in choices}, type=str)  # type: ignore[misc]
        _CHOICES[choices] = made
    return _CHOICES[choices]


_TYPES: dict[str, Any] = {"str": str, "int": int, "float": float, "path": Path, "flag": bool, "switch": bool}


def _option(opt: Opt) -> inspect.Parameter:
    kind: Any = _choice(opt.choices) if opt.choices else _TYPES[opt.kind]
    default: Any = opt.default
    if opt.repeat:
        kind, default = list[kind] | None, None
    elif default is None and opt.kind != "flag":
        kind = kind | None
    settings: dict[str, Any] = {"help": opt.help}
    if opt.metavar:
        settings["metavar"] = opt.metavar
    if opt.minimum is not None:
        settings["min"] = opt.minimum
    if opt.maximum is not None:
        settings["max"] = opt.maximum
    if not opt.show_default:
        settings["show_default"] = False
    if opt.complete == "catalog":
        settings["autocompletion"] = _complete_catalog
    names = (f"{opt.flags[0]}/{opt.off}",) if opt.off else opt.flags
    info = typer.Option(*names, **settings)
    return inspect.Parameter(opt.key, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=Annotated[kind, info])


def _argument(arg: Arg) -> inspect.Parameter:
    kind: Any = _choice(arg.choices) if arg.choices else _TYPES[arg.kind]
    if arg.many:
        kind = list[kind]
    settings: dict[str, Any] = {"help": arg.help}
    if not arg.choices:
        settings["metavar"] = arg.metavar
    default: Any = inspect.Parameter.empty
    if not arg.required:
        default = arg.default
        kind = kind if arg.default is not None else kind | None
    info = typer.Argument(**settings)
    return inspect.Parameter(arg.key, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=Annotated[kind, info])


def _plain(value: Any) -> Any:
    """Typer's values as the table's: an Enum member as its text."""
    return value.value if isinstance(value, Enum) else value


def _function(command: Command) -> Callable[..., int]:
    """The command's function, with the signature Typer reads its arguments and options from."""

    def answer(**values: Any) -> int:
        return run(command.name, {key: _plain(value) for key, value in values.items()})

    params = [*(_argument(a) for a in command.args), *(_option(OPTIONS[key]) for key in command.options)]
    answer.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    answer.__annotations__ = {p.name: p.annotation for p in params}
    answer.__name__ = answer.__qualname__ = f"{command.name}_command"
    answer.__doc__ = command.help
    return answer


_HELP_TYPES = re.compile(r" <(?:list\[\w+\]|str|int|float|path|int range|float range)>")
_HELP_RANGES = re.compile(r"(?:; |\[)(?:x[<>]=[\d.]+|[\d.]+<=x<=[\d.]+)(?=[;\]])")
_PYDANTIC = (
    (re.compile(r"^Value error, "), ""),
    (re.compile(r"^Input should be greater than or equal to (\S+)$"), r"must be \1 or more"),
    (re.compile(r"^Input should be less than or equal to (\S+)$"), r"must be \1 or less"),
    (re.compile(r"^Input should be a valid integer.*$"), "must be a whole number"),
    (re.compile(r"^Input should be a valid number.*$"), "must be a number"),
    (re.compile(r"^Input should be "), "must be "),
    (re.compile(r"^(\S+) is not in the range x>=(\S+)\.$"), r"must be \2 or more, not \1"),
    (re.compile(r"^(\S+) is not in the range x<=(\S+)\.$"), r"must be \2 or less, not \1"),
    (re.compile(r"^(\S+) is not in the range (\S+)<=x<=(\S+)\.$"), r"must be from \2 to \3, not \1"),
)


def _humane_help(text: str) -> str:
    """Help as a person writes it: no Python types, no ``x>=1`` ranges."""
    text = _HELP_TYPES.sub("", text)
    return _HELP_RANGES.sub(lambda m: "[" if m.group(0).startswith("[") else "", text).replace("[]", "").rstrip()


def _humane_error(message: str) -> str:
    for pattern, replacement in _PYDANTIC:
        message = pattern.sub(replacement, message)
    return message


class ErrcodeCommand(TyperCommand):
    """A command whose help and usage line read like a person wrote them."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)
        return [re.sub(r"^\{(.+?)\}(?:\.\.\.)?$|^\[(\[.+\])\]$", lambda m: m.group(1) or m.group(2), p) for p in pieces]

    def format_options(self, ctx: Any, formatter: Any) -> None:
        args: list[tuple[str, str]] = []
        opts: list[tuple[str, str]] = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is not None:
                cleaned = (_humane_help(record[0]), _humane_help(record[1]))
                (args if param.param_type_name == "argument" else opts).append(cleaned)
        for title, records in (("Arguments", args), ("Options", opts)):
            if records:
                with formatter.section(title):
                    formatter.write_dl(records)


class ErrcodeGroup(TyperGroup):
    """``errcode QUERY`` means ``errcode lookup QUERY``, ``… | errcode [OPTIONS]`` means ``explain``;
    user errors become one-line messages."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        args = list(args)
        if "--debug" in args:
            args.remove("--debug")
            ctx.meta["errcode.debug"] = True
        if not args and stdin_is_piped():
            args = ["explain"]
        elif args and args[0] not in _ROOT_ONLY:
            first = first_positional(args)
            if first is not None and args[first] in self.commands:
                args.insert(0, args.pop(first))
            elif first is None and not _ROOT_ONLY.intersection(args) and stdin_is_piped():
                args.insert(0, "explain")  # options only, and a pipe: `cat app.log | errcode --summary`
            elif first is not None or not _ROOT_ONLY.intersection(args):
                if first is not None and (command := typo_of(args[first], args[first + 1 :])) is not None:
                    from errcli.output.console import print_problem

                    print_problem(
                        f"unknown command {args[first]!r}: did you mean `{command}`?",
                        f"`errcode {command} --help` shows how to use it; "
                        f"`errcode search {args[first]}` searches for the word",
                    )
                    ctx.exit(int(ExitCode.NOT_FOUND))
                args.insert(0, DEFAULT_COMMAND)
        if args and args[0] == DEFAULT_COMMAND:
            args = negatives_last(args)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        status = guarded(lambda: int(super(ErrcodeGroup, self).invoke(ctx) or 0), ctx.meta.get("errcode.debug", False))
        if status:
            ctx.exit(status)
        return status

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Click's own loop, with its messages made plain and a closed pipe made quiet (exit 0)."""
        kwargs["standalone_mode"] = False

        def loop() -> int:
            try:
                status = super(ErrcodeGroup, self).main(*args, **kwargs)  # ctx.exit(N) and Ctrl-C come back as N
            except ClickException as exc:
                if isinstance(exc, typer.BadParameter):
                    exc.message = _humane_error(exc.message)
                exc.show()  # type: ignore[attr-defined]
                return int(exc.exit_code)  # type: ignore[attr-defined]
            except typer.Abort:  # end of input where Click reads it
                sys.stderr.write("\n")
                return int(ExitCode.INTERRUPTED)
            return int(status) if isinstance(status, int) else 0

        argv = args[0] if args else kwargs.get("args") or sys.argv[1:]
        sys.exit(guarded(loop, debug="--debug" in argv))


app = typer.Typer(
    cls=ErrcodeGroup,
    name=PROG,
    help=ROOT_HELP,
    context_settings={"help_option_names": list(HELP_FLAGS)},
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"{PROG} {__version__}\n")
        raise typer.Exit()


_VERSION, _DEBUG = ROOT_OPTIONS


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option(*_VERSION.flags, help=_VERSION.help, callback=_version, is_eager=True)
    ] = False,
    debug: Annotated[bool, typer.Option(*_DEBUG.flags, help=_DEBUG.help)] = False,
) -> None:
    """Explain API error codes offline."""


for _command in COMMANDS.values():
    app.command(
        _command.name,
        cls=ErrcodeCommand,
        short_help=_command.short_help,
        help=_command.help,
        epilog=_command.epilog,
    )(_function(_command))


def main() -> None:
    app(prog_name=PROG)
