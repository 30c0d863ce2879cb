"""The values a catalog may leave out, worked out by one rule: severity and retryable."""

from __future__ import annotations

from typing import Any

import msgspec

from errcli.model import Entry, Severity

HTTP_CATALOG = "http"
_RETRYABLE_STATUSES = (408, 425, 429, 502, 503, 504)


def http_status_of(entry: Entry, catalog_id: str | None = None) -> int | None:
    """The HTTP status an entry stands for: its ``http_status``, or in the ``http`` catalog its
    code. Any other number is the API's own (1001 is no HTTP status, nor is 5001)."""
    if entry.http_status is not None:
        return entry.http_status
    in_http = (entry.catalog if catalog_id is None else catalog_id) == HTTP_CATALOG
    if in_http and isinstance(entry.code, int) and 100 <= entry.code <= 599:
        return entry.code
    return None


def status_severity(status: int) -> Severity:
    """The severity of an HTTP status: info for 1xx-3xx, warning for 4xx (the caller can correct
    it), critical for 5xx (a server fault the caller cannot fix). The bundled http catalog and
    the drafts ``errcode import`` makes from an HTTP-status document follow it."""
    if status < 400:
        return "info"
    return "critical" if status >= 500 else "warning"


def derived_severity(entry: Entry, catalog_id: str | None = None) -> Severity:
    """For entries that do not state a severity: an HTTP status by ``status_severity``;
    code 0 (success) info; any other code warning."""
    status = http_status_of(entry, catalog_id)
    if status is not None:
        return status_severity(status)
    return "info" if entry.code == 0 else "warning"


def derived_retryable(entry: Entry, catalog_id: str | None = None) -> bool:
    """Only rate limits and transient server faults are worth retrying."""
    return entry.retry_after is not None or http_status_of(entry, catalog_id) in _RETRYABLE_STATUSES


def derive(entry: Entry, catalog_id: str) -> Entry:
    """``entry`` of catalog ``catalog_id``, with the values it leaves out filled in and marked derived."""
    changes: dict[str, Any] = {"catalog": catalog_id}
    if entry.severity is None:
        changes.update(severity=derived_severity(entry, catalog_id), severity_source="derived")
    if entry.retryable is None:
        changes.update(retryable=derived_retryable(entry, catalog_id), retryable_source="derived")
    return msgspec.structs.replace(entry, **changes)
