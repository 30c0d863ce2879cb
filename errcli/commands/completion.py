"""``errcode completion SHELL``: the answer is a script (the scripts are the CLI's own: errcli.cli.shells)."""

from __future__ import annotations

from dataclasses import dataclass

from errcli.errors import ExitCode


@dataclass(frozen=True)
class TextAnswer:
    text: str
    status: ExitCode = ExitCode.OK
