"""Exit statuses and the one hierarchy of user-facing errors that map to them (stdlib only)."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    NOT_FOUND = 1  # nothing found, or an error code that no catalog knows
    USAGE = 2  # bad arguments, invalid catalog, unreadable input
    INTERRUPTED = 130


class ErrcodeError(Exception):
    """A mistake the user can fix; shown as one line plus a hint, never a traceback."""

    exit_code = ExitCode.USAGE

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    @property
    def headline(self) -> str:
        """The one line shown to the user."""
        return self.message


class UsageError(ErrcodeError):
    exit_code = ExitCode.USAGE


class CatalogError(ErrcodeError):
    """A catalog file that cannot be used, with where and why.

    ``others`` holds the file's further problems, so ``errcode validate`` can show them all;
    the message is the first one.
    """

    exit_code = ExitCode.USAGE

    def __init__(self, path: str, line: int | None, message: str, others: Sequence[CatalogError] = ()) -> None:
        super().__init__(message.replace("\n", " "), hint="fix the file, or check it with `errcode validate FILE`")
        self.path = path
        self.line = line
        self.others = tuple(others)
        where = f"{path}:{line}" if line else path
        self.args = (f"{where}: {self.message}",)

    @property
    def headline(self) -> str:
        return str(self)

    @property
    def problems(self) -> tuple[CatalogError, ...]:
        """Every problem found in the file, this one first."""
        return (self, *self.others)
