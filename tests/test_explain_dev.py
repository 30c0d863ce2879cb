"""explain on what real servers send: the development sets in tests/explain_dev/ (see explain_dev.py).

The QAExchange set is read from the server's own source (yutiansut/qaexchange-rs, file:line in
each case's comment); the others are plausible deviations of each kind; documented.yaml holds the
documents' own shapes with realistic variation; kinds.yaml ten responses of each kind of deviation,
over all three APIs.
"""

from __future__ import annotations

import pytest
from explain_dev import SETS, load_set, score

from errcli.catalog import CatalogSet
from errcli.explain import Explainer

TARGETS = {"documented": 0.97, "qaexchange": 0.85, "market-data": 0.75, "ztdx": 0.75, "kinds": 0.85}


@pytest.fixture(scope="module")
def explainer(bundled: CatalogSet) -> Explainer:
    return Explainer(bundled)


def test_every_set_is_there_and_well_formed(bundled: CatalogSet) -> None:
    known = {f"{e.catalog}:{e.code}" for e in bundled.entries()}
    for name in SETS:
        cases = load_set(name)
        assert len(cases) >= 40, name
        for case in cases:
            assert case.input.strip(), (name, case.index)
            assert case.expect == "none" or case.expect in known, (name, case.index, case.expect)


@pytest.mark.parametrize("name", SETS)
def test_hit_rate(explainer: Explainer, name: str) -> None:
    rate, misses = score(explainer, name)
    shown = "\n".join(f"#{c.index} {c.kind}: want {c.expect}, got {got}" for c, got in misses)
    assert rate >= TARGETS[name], f"{name}: {rate:.1%}\n{shown}"


def test_no_set_raises_or_loses_a_case(explainer: Explainer) -> None:
    from errcli.explain import explain_text

    for name in SETS:
        for case in load_set(name):
            report = explain_text(explainer, case.input)
            assert report.lines >= 1
            assert report.records + report.unparsed_count >= 1 or not case.input.strip()
