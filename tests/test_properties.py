"""Property-based tests: lookup and the CLI never raise on arbitrary input."""

from __future__ import annotations

import json

from conftest import run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from errcli._text import safe
from errcli.catalog import CatalogSet
from errcli.errors import UsageError
from errcli.lookup import lookup, parse_query

IDS = ("market-data", "qaexchange", "ztdx", "http")
codeish = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"[a-zA-Z]{1,12}:[A-Za-z0-9_\-]{0,20}", fullmatch=True),
    st.from_regex(r"(0x)?[0-9A-Fa-f]{1,25}[xX]{0,4}", fullmatch=True),
    st.from_regex(r"[A-Za-z_\- ]{1,40}", fullmatch=True),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(codeish)
def test_parse_and_lookup_never_raise(bundled: CatalogSet, text: str) -> None:
    query, message = None, ""
    try:
        query = parse_query(text, IDS)
    except UsageError as exc:  # a clear message is the only acceptable failure
        message = exc.message
    if query is None:
        assert message
        return
    result = lookup(bundled, query)
    for entry in result.all_matches:
        assert entry.catalog in IDS


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=60).filter(lambda s: not s.startswith("-")))
def test_cli_answers_any_query_with_a_known_status(text: str) -> None:
    result = run(text, "--json")
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output
    if result.exit_code in (0, 1) and result.stdout:
        json.loads(result.stdout)


@given(st.text())
def test_safe_leaves_no_control_characters(text: str) -> None:
    shown = safe(text)
    assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in shown)
