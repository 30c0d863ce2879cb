"""``errcode list``: entries, filtered."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from errcli.catalog import CatalogSet
from errcli.errors import ExitCode
from errcli.listing import filter_entries
from errcli.lookup import check_catalogs
from errcli.model import Entry


@dataclass(frozen=True)
class ListAnswer:
    entries: Sequence[Entry]
    catalogs: CatalogSet

    @property
    def status(self) -> ExitCode:
        return ExitCode.OK if self.entries else ExitCode.NOT_FOUND


def run(cs: CatalogSet, catalog: Sequence[str] = (), **filters: Any) -> ListAnswer:
    """``filters``: category, severity, retryable and http, as :func:`errcli.listing.filter_entries` takes them."""
    return ListAnswer(filter_entries(cs, catalogs=check_catalogs(catalog, cs), **filters), cs)
