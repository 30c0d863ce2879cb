"""``errcode validate FILE...``: catalog files checked, every problem of each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from errcli.catalog import check_files
from errcli.errors import ExitCode


@dataclass(frozen=True)
class ValidateAnswer:
    files: Sequence[tuple[str, Sequence[str], int]]  # (path, its problems, entry count); no problems: valid

    @property
    def status(self) -> ExitCode:
        return ExitCode.USAGE if any(errors for _, errors, _ in self.files) else ExitCode.OK


def run(files: Sequence[Path]) -> ValidateAnswer:
    return ValidateAnswer(check_files(files))
