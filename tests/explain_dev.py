"""The explain development sets (tests/explain_dev/*.yaml): load them and score explain on them.

    python tests/explain_dev.py            # the hit rate of every set, and the misses
    python tests/explain_dev.py cases.yaml # the same for another file of cases

A case is ``{kind, expect, input}``; ``expect`` is ``CATALOG:CODE`` (the documented meaning),
``http:STATUS``, or ``none`` (no documented code fits: unknown or the HTTP meaning is right, and
so is "not an error" for a response that is a success).
A case is a hit when the expected entry is the answer or among the first three alternatives;
in ``documented.yaml`` only the exact answer counts, with nothing extra reported.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from errcli.catalog import CatalogSet, load_all
from errcli.explain import ExplainedError, Explainer, explain_text

HERE = Path(__file__).resolve().parent / "explain_dev"
SETS = ("documented", "qaexchange", "market-data", "ztdx", "kinds")


@dataclass(frozen=True)
class Case:
    name: str
    index: int
    kind: str
    expect: str
    input: str


def load_set(name: str) -> list[Case]:
    path = Path(name) if name.endswith(".yaml") else HERE / f"{name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Case(name, i, str(c["kind"]), str(c["expect"]), str(c["input"])) for i, c in enumerate(data)]


def _id(catalog: str | None, code: object) -> str:
    return f"{catalog}:{code}"


def answer(errors: tuple[ExplainedError, ...]) -> str:
    if not errors:
        return "(no error)"
    e = errors[0]
    alts = ",".join(_id(a.catalog, a.code) for a in e.alternatives[:3])
    return f"{_id(e.catalog, e.code) if e.entry else 'unknown'} [{alts}]"


def hit(case: Case, errors: tuple[ExplainedError, ...], exact: bool, not_errors: int = 0) -> bool:
    if exact:
        return (
            len(errors) == 1 and errors[0].entry is not None and _id(errors[0].catalog, errors[0].code) == case.expect
        )
    if not errors:
        return case.expect == "none" and not_errors > 0  # a success is no error: right where nothing fits
    if case.expect == "none":
        first = errors[0]
        return first.entry is None or first.entry.catalog == "http"
    for error in errors:
        found = [_id(error.catalog, error.code)] if error.entry is not None else []
        found += [_id(a.catalog, a.code) for a in error.alternatives[:3]]
        if case.expect in found:
            return True
    return False


def score(explainer: Explainer, name: str) -> tuple[float, list[tuple[Case, str]]]:
    cases = load_set(name)
    misses = []
    for case in cases:
        report = explain_text(explainer, case.input)
        errors = report.errors
        if not hit(case, errors, exact=name == "documented", not_errors=report.not_errors):
            misses.append((case, answer(errors)))
    return 1 - len(misses) / len(cases), misses


def main(argv: list[str]) -> int:
    cs: CatalogSet = load_all(environ={})
    explainer = Explainer(cs)
    for name in argv or SETS:
        rate, misses = score(explainer, name)
        print(f"{name}: {rate:.1%} ({len(misses)} misses)")  # noqa: T201 - a report
        for case, got in misses:
            snippet = " ".join(case.input.split())[:110]
            print(f"  #{case.index} {case.kind}: want {case.expect}, got {got}\n      {snippet}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
