"""Exit statuses and the user-facing errors that map to them."""

from __future__ import annotations

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


class UsageError(ErrcodeError):
    exit_code = ExitCode.USAGE
