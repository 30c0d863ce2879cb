"""The Typer app is the command table (errcli.cli.spec): the same commands, names, arity, choices and
defaults. The fast lane and completion read the table too, so the three cannot drift apart."""

from __future__ import annotations

from typing import Any

import pytest
from typer.main import get_command

from errcli.cli import complete
from errcli.cli.app import app
from errcli.cli.spec import COMMANDS, HELP_FLAGS, OPTIONS, ROOT_OPTIONS, Command

GROUP: Any = get_command(app)


def _params(name: str) -> dict[str, Any]:
    return {p.name: p for p in GROUP.commands[name].params}


def _choices(param: Any) -> tuple[str, ...] | None:
    """A parameter's choices, as Click keeps them (Typer before 0.26) or as Typer's own core does."""
    if hasattr(param, "type"):
        found = getattr(param.type, "choices", None)
        return tuple(found) if found is not None else None
    annotation = param.type_descriptor.annotation
    members = getattr(annotation, "__members__", None)
    return tuple(m.value for m in members.values()) if members else None


def _range(param: Any) -> tuple[Any, Any]:
    source = param.type if hasattr(param, "type") else param
    return getattr(source, "min", None), getattr(source, "max", None)


def _default(param: Any) -> Any:
    return param.default.value if hasattr(param.default, "value") else param.default


def test_the_app_has_the_tables_commands() -> None:
    assert list(GROUP.commands) == list(COMMANDS)
    root = {name for p in GROUP.params for name in p.opts}
    assert root == {name for o in ROOT_OPTIONS for name in o.flags}


@pytest.mark.parametrize("command", COMMANDS.values(), ids=list(COMMANDS))
def test_arguments_match(command: Command) -> None:
    params = _params(command.name)
    args = [p for p in params.values() if p.param_type_name == "argument"]
    assert [p.name for p in args] == [a.key for a in command.args]
    for param, arg in zip(args, command.args, strict=True):
        assert param.nargs == (-1 if arg.many else 1), arg.key
        assert param.required == (arg.required or arg.many), arg.key
        assert _choices(param) == arg.choices, arg.key
        if not arg.required:
            assert _default(param) == arg.default


@pytest.mark.parametrize("command", COMMANDS.values(), ids=list(COMMANDS))
def test_options_match(command: Command) -> None:
    params = _params(command.name)
    options = [p for p in params.values() if p.param_type_name == "option" and p.name != "help"]
    assert [p.name for p in options] == list(command.options)
    for param in options:
        opt = OPTIONS[param.name]
        assert tuple(param.opts) == opt.flags, opt.key
        assert tuple(param.secondary_opts) == ((opt.off,) if opt.off else ()), opt.key
        assert param.multiple == opt.repeat, opt.key
        assert param.is_flag == (not opt.takes_value), opt.key
        assert _choices(param) == opt.choices, opt.key
        assert _default(param) == (None if opt.repeat else opt.default), opt.key
        if opt.minimum is not None or opt.maximum is not None:
            assert _range(param) == (opt.minimum, opt.maximum), opt.key


@pytest.mark.parametrize("command", COMMANDS.values(), ids=list(COMMANDS))
def test_completion_offers_each_commands_options(command: Command) -> None:
    params = [p for p in GROUP.commands[command.name].params if p.param_type_name == "option"]
    flags = {name for p in params for name in (*p.opts, *p.secondary_opts)}
    assert set(complete.OPTIONS[command.name]) == flags | set(HELP_FLAGS)
    assert complete.COMMANDS[command.name]


def test_every_option_of_the_table_is_used() -> None:
    used = {key for c in COMMANDS.values() for key in c.options}
    assert used == set(OPTIONS)
