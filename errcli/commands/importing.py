"""``errcode import FILE|-``: a catalog draft from an API's error-code document."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from errcli.errors import ExitCode

if TYPE_CHECKING:
    from errcli.importer import ImportReport


@dataclass(frozen=True)
class ImportAnswer:
    draft: str | None  # the YAML for stdout; None when it was written to a file or nothing was found
    report: ImportReport
    written: str | None = None

    @property
    def status(self) -> ExitCode:
        return ExitCode.OK if self.report.codes else ExitCode.NOT_FOUND


def run(
    source: str, catalog_id: str | None = None, name: str | None = None, output: Path | None = None, force: bool = False
) -> ImportAnswer:
    from errcli.importer import check_id, check_output, import_document, read_document, write_draft

    to_file = output if output is not None and str(output) != "-" else None
    if catalog_id is not None:
        check_id(catalog_id)
    check_output(to_file, force)
    result = import_document(read_document(source), catalog_id=catalog_id, name=name)
    if result.report.codes and to_file is not None:
        write_draft(to_file, result.yaml, force)
    if to_file is not None:
        return ImportAnswer(None, result.report, str(to_file))
    return ImportAnswer(result.yaml or None, result.report)
