"""Filters for ``errcode list``."""

from __future__ import annotations

import re
from collections.abc import Sequence

from errcli.catalog import CatalogSet
from errcli.errors import UsageError
from errcli.model import Entry

_HTTP = re.compile(r"^([1-5])(xx|\d\d)$", re.IGNORECASE)


def _http_range(spec: str) -> tuple[int, int]:
    match = _HTTP.match(spec.strip())
    if not match:
        raise UsageError(
            f"--http {spec!r} is not an HTTP status", hint="use a status such as 429 or a class such as 4xx"
        )
    if match.group(2).lower() == "xx":
        low = int(match.group(1)) * 100
        return low, low + 99
    status = int(spec.strip())
    return status, status


def filter_entries(
    cs: CatalogSet,
    catalogs: Sequence[str] = (),
    category: str | None = None,
    severity: str | None = None,
    retryable: bool | None = None,
    http: str | None = None,
) -> list[Entry]:
    """The entries that pass every filter given; they are selected by their keys
    (``CatalogSet.entry_keys``), so only those are decoded."""
    low, high = _http_range(http) if http else (0, 0)
    wanted_category = category.strip().casefold() if category else None
    found: list[Entry] = []
    for catalog in cs.catalogs:
        if catalogs and catalog.id not in catalogs:
            continue
        matching_categories: set[str | None] | None = None
        if wanted_category:
            matching_categories = {
                c.id
                for c in catalog.categories
                if wanted_category == c.id.casefold()
                or any(wanted_category in (t or "").casefold() for t in (c.title.zh, c.title.en))
            }
        keys = cs.entry_keys(catalog)
        for i in range(len(catalog.entries)):
            if matching_categories is not None and keys.categories[i] not in matching_categories:
                continue
            if severity and keys.severities[i] != severity:
                continue
            if retryable is not None and keys.retryable[i] != retryable:
                continue
            status = keys.statuses[i]
            if http and not (status is not None and low <= status <= high):
                continue
            found.append(catalog.entries[i])
    return found
