"""Where and how output goes: the Output settings, the rich console, and the one-line problems on stderr."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from errcli._text import safe
from errcli.env import columns, force_color, is_terminal
from errcli.model import Lang
from errcli.output.words import ColorMode, Format

if TYPE_CHECKING:
    from rich.console import Console

    from errcli.catalog import LoadProblem


_SGR = {"heading": "1", "header": "1", "critical": "1;31", "warning": "33", "info": "36"}


@dataclass(frozen=True)
class Output:
    """How to print: decided once from options and the environment."""

    format: Format
    lang: Lang
    color: ColorMode = "auto"
    brief: bool = False
    stream: TextIO | None = None
    paged: bool = False  # stdout goes through a pager to a terminal: laid out and coloured for it

    @property
    def out(self) -> TextIO:
        return self.stream or sys.stdout

    def write(self, text: str) -> None:
        self.out.write(text)

    @property
    def plain_color(self) -> bool:
        """The plain layout is coloured too: `--color always`, or FORCE_COLOR (for `| less -R`)."""
        if self.color != "auto":
            return self.color == "always"
        return force_color()

    def paint(self, text: str, role: str) -> str:
        """``text`` in the colour of its role (heading, header, critical, warning, info) when the plain
        layout is coloured; as it is otherwise."""
        sgr = _SGR.get(role)
        return f"\x1b[{sgr}m{text}\x1b[0m" if sgr and text and self.plain_color else text

    def console(self, stderr: bool = False) -> Console:
        terminal = self.paged and not stderr
        return make_console(self.color, stderr=stderr, file=None if stderr else self.stream, terminal=terminal)


def default_format(stream: TextIO | None = None) -> Format:
    return "table" if is_terminal(stream or sys.stdout) else "plain"


def make_console(color: ColorMode, stderr: bool = False, file: TextIO | None = None, terminal: bool = False) -> Console:
    """The one place that decides colour; NO_COLOR and FORCE_COLOR are left to rich. ``terminal``:
    the output reaches a terminal through a pager (our stdout is its pipe)."""
    from rich.console import Console

    kwargs: dict[str, Any] = {"stderr": stderr, "file": file, "highlight": False, "emoji": False, "markup": False}
    if terminal:
        from errcli.output.pager import terminal_width

        kwargs["force_terminal"] = color != "never"
        if columns() is None:
            kwargs["width"] = terminal_width()
    if color == "always":  # an explicit request beats NO_COLOR and a dumb TERM
        truecolor = os.environ.get("COLORTERM", "") in ("truecolor", "24bit")
        kwargs.update(force_terminal=True, no_color=False, color_system="truecolor" if truecolor else "256")
    elif color == "never":
        kwargs["no_color"] = True
        kwargs["color_system"] = None
    if (width := columns()) is not None:  # rich reads $COLUMNS too, but unclamped
        kwargs["width"] = width
    elif not terminal and not is_terminal(file or (sys.stderr if stderr else sys.stdout)):
        kwargs["width"] = 100
    return Console(**kwargs)


def print_problem(message: str, hint: str | None = None) -> None:
    """One line on stderr: ``errcode: message`` plus an optional hint."""
    text = f"errcode: {safe(message)}\n" + (f"hint: {safe(hint)}\n" if hint else "")
    sys.stderr.write(text)


def print_warnings(problems: Sequence[LoadProblem]) -> None:
    for problem in problems:
        sys.stderr.write(f"errcode: skipped catalog {safe(problem.error)}\n")
