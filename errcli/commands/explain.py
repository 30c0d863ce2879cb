"""``errcode explain [INPUT]``: every error in a stream as it is read (constant memory), or a summary."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from errcli.catalog import CatalogSet
from errcli.env import is_terminal
from errcli.errors import ExitCode, UsageError
from errcli.lookup import check_catalogs

if TYPE_CHECKING:
    from errcli.explain import ExplainStream, SummaryReport

NO_INPUT_HINT = "pipe a response (curl -si URL | errcode explain), or give a FILE or JSON"


@dataclass(frozen=True)
class ExplainAnswer:
    """The stream is read as the view shows it (``tail -f``); the status is known once it is read."""

    stream: ExplainStream
    catalogs: CatalogSet
    report: SummaryReport | None = None  # --summary: the whole input, counted
    verbose: bool = False

    @property
    def lines(self) -> int:
        return self.report.lines if self.report is not None else self.stream.lines

    @property
    def unknown(self) -> int:
        return self.report.unknown if self.report is not None else self.stream.unknown

    @property
    def problem(self) -> str | None:
        """``no_input`` (nothing was read), ``no_response`` (only text), or None."""
        if self.lines == 0:
            return "no_input"
        return None if self.stream.records else "no_response"

    @property
    def status(self) -> ExitCode:
        if self.problem == "no_input":
            return ExitCode.USAGE
        return ExitCode.NOT_FOUND if self.problem or self.unknown else ExitCode.OK


def open_input(argument: str | None, stdin: BinaryIO | None = None) -> BinaryIO:
    """The input of ``explain``: stdin, a file, or a response given as the argument itself."""
    import io
    from pathlib import Path

    if argument is None or argument == "-":
        stream = stdin or (sys.stdin.buffer if sys.stdin is not None else None)  # None: stdin is closed
        if stream is None or (argument is None and is_terminal(stream)):
            raise UsageError("nothing to explain", hint=NO_INPUT_HINT)
        return stream
    text = argument.lstrip("\ufeff \t\r\n")
    if not text:
        raise UsageError(
            "no file named: the argument is empty", hint="give a file, - for stdin, or a JSON response in quotes"
        )
    if text[:1] in ("{", "[") or text.upper().startswith("HTTP/"):
        return io.BytesIO(argument.encode("utf-8", "surrogateescape"))
    try:
        return Path(argument).open("rb")
    except OSError as exc:
        raise UsageError(
            f"cannot read {argument}: {exc.strerror or exc}", hint="give a file, -, or a JSON response in quotes"
        ) from None


def run(
    cs: CatalogSet,
    source: str | None = None,
    catalog: Sequence[str] = (),
    summary: bool = False,
    verbose: bool = False,
) -> ExplainAnswer:
    from errcli.explain import explain_stream

    stream = explain_stream(cs, open_input(source), check_catalogs(catalog, cs))
    return ExplainAnswer(stream, cs, stream.summarize() if summary else None, verbose)
