"""``errcode catalogs``: what is loaded, from where, and what was skipped."""

from __future__ import annotations

from dataclasses import dataclass

from errcli.catalog import CatalogSet, bundled_dir
from errcli.errors import ExitCode


@dataclass(frozen=True)
class CatalogsAnswer:
    catalogs: CatalogSet
    bundled: str  # the folder of the bundled catalogs (shown by file name: an install detail)
    status: ExitCode = ExitCode.OK


def run(cs: CatalogSet) -> CatalogsAnswer:
    return CatalogsAnswer(cs, str(bundled_dir()))
