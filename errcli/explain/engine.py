"""The explain pipeline: reader → detect → classify → result, for one stream.

:class:`Explainer` holds what is computed once per run (the catalogs' envelopes, codes,
texts) and the caches; :class:`ExplainStream` runs the one line pump
(:func:`errcli.explain.reader.pump`) either to full results, error by error, or to the
``--summary`` counts. The summary remembers line *templates* (:mod:`errcli.explain.template`):
a line that differs from a remembered one only in its interpolated values (ids, amounts,
uuids, prices) is counted without being decoded at all.
"""

from __future__ import annotations

import gc
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from operator import itemgetter
from typing import Any

from errcli.catalog import CatalogSet
from errcli.explain.classify import Classifier, Verdict, is_status_entry
from errcli.explain.detect import Detector, Finding
from errcli.explain.http import HttpInfo
from errcli.explain.lines import Source
from errcli.explain.plan import CACHE_LIMIT, MISSING, envs_of, get_path
from errcli.explain.reader import LineTally, pump
from errcli.explain.result import Action, Evidence, ExplainedError, ExplainReport, Summary, SummaryReport, SummaryRow
from errcli.explain.split import MIN_SPLIT_BYTES, WARM_BYTES, Fork, Half, Window, cut, line_end, resume
from errcli.explain.template import DIGITS, FOLD
from errcli.explain.template import template as make_template
from errcli.model import Catalog, Entry

MAX_DETAILS = 50
_DETAIL_PATHS = (("details",), ("error", "details"), ("data",))
ZEROS = bytes.maketrans(b"0123456789", b"0" * 10)  # every digit folds to 0: lines equal but for digits
DIGIT_MARKS = bytes(0xFF if 0x30 <= b <= 0x39 else 0 for b in range(256))
_MARKED = re.compile(rb"[^\x00]+")
MEMO_MAX_LINE = 2048  # the summary remembers shapes of lines up to this long
MEMO_LIMIT = 20_000  # templates remembered (then the memo starts over)
MEMO_VALUES = 1_000  # canons remembered per template
CANON_LIMIT = 100_000  # canons remembered in all: ~30 MB for lines of 200 bytes
SIGHTINGS = 3  # a template is made when its folded line is seen this often
ONCE_LIMIT = 50_000  # folded lines seen once, before they are remembered
MEMO_BYTES = 32 << 20  # bytes of lines held by each of the memo's tables (then it starts over)
UNKNOWN_CODES_LIMIT = 10_000  # distinct unknown codes counted one by one; the others share a row
MAX_CODE_CHARS = 200  # a longer unknown code is counted among the others

# A call that places, cancels or moves something, seen in a log prefix or the message.
_CALL = re.compile(
    r"(?i)\b(?:orders?|cancel\w*|withdraw\w*|transfers?|submit\w*|place\w*|deposit\w*|trades?|positions?)\b"
    r"|下单|撤单|报单|提现|出金|入金|转账|划转|平仓|开仓|委托"
)
_READ_ONLY = re.compile(r"\b(?:GET|HEAD|OPTIONS)\s+/")
STATE_CATEGORIES = frozenset(
    {"order", "orders", "matching", "trade", "trading", "settlement", "withdrawal", "transfer"}
)


class Explainer:
    """Indexes built once from the catalogs; explains records.

    ``catalogs`` restricts (and thereby forces) the catalogs considered, like ``--catalog``
    (ids are taken as given: check them first, e.g. with ``lookup.check_catalogs``).
    """

    def __init__(self, cs: CatalogSet, catalogs: Sequence[str] = ()) -> None:
        wanted = set(catalogs)
        chosen: tuple[Catalog, ...] = tuple(c for c in cs.catalogs if not wanted or c.id in wanted)
        self.catalogs = chosen
        self.classifier = Classifier(cs, chosen, forced=bool(wanted))
        symbols = set(self.classifier.by_symbol)
        self.detector = Detector(envs_of(chosen), symbols, set(self.classifier.by_int))
        self._shapes: dict[tuple[Any, ...], tuple[Verdict, ...]] = {}

    # -- records --

    def findings(self, value: Any, http: HttpInfo | None) -> list[Finding] | None:
        return self.detector.findings(value, http)

    def verdict(self, finding: Finding) -> Verdict:
        return self.classifier.verdict(finding)

    def record_verdicts(self, value: Any, http: HttpInfo | None) -> tuple[Verdict, ...]:
        """The verdicts of one record (empty: not an error); objects whose relevant values were
        seen before cost a few look-ups."""
        if http is None and type(value) is dict:
            return self.object_verdicts(value)
        found = self.findings(value, http)
        return () if found is None else tuple(self.verdict(f) for f in found)

    def object_verdicts(self, value: dict[str, Any]) -> tuple[Verdict, ...]:
        """:meth:`record_verdicts` of a JSON object: cached by the object's shape key."""
        key = self.detector.shape_key(value)
        if key is not None:
            cached = self._shapes.get(key)
            if cached is not None:
                return cached
        found = self.findings(value, None)
        verdicts = () if found is None else tuple(self.verdict(f) for f in found)
        if key is not None:
            if len(self._shapes) > CACHE_LIMIT:
                self._shapes.clear()
            self._shapes[key] = verdicts
        return verdicts

    def explain(self, line: int, end_line: int, finding: Finding, prefix: bytes = b"") -> ExplainedError:
        verdict = self.verdict(finding)
        raw_code = finding.code if isinstance(finding.code, (int, str)) and not isinstance(finding.code, bool) else None
        if isinstance(finding.code, float) and finding.code.is_integer():
            raw_code = int(finding.code)
        status = verdict.http_status
        meaning = verdict.entry or (self.classifier.status_entry(status) if status is not None else None)
        action, call = _action(verdict.entry, meaning, finding, prefix)
        evidence = verdict.evidence if call is None else (*verdict.evidence, call)
        return ExplainedError(
            line=line,
            catalog=verdict.catalog,
            code=verdict.code,
            http_status=verdict.http_status,
            message=finding.message,
            confidence=verdict.confidence,
            entry=verdict.entry,
            alternatives=verdict.alternatives,
            evidence=evidence,
            details=_details(finding, verdict.entry),
            action=action,
            raw=finding.node or None,
            raw_code=raw_code,
            basis=verdict.basis,
            contradiction=verdict.contradiction,
            end_line=end_line,
        )


def _action(
    entry: Entry | None, meaning: Entry | None, finding: Finding, prefix: bytes
) -> tuple[Action, Evidence | None]:
    """What to do: check the state first when the outcome is unknown on a call that places, cancels
    or moves something, wait for Retry-After, retry what the catalog calls retryable, else fix the
    cause first. ``meaning`` is the entry, or for an unknown error the HTTP status's entry."""
    advice = entry.retry_advice if entry is not None else None
    documented_wait = entry.retry_after if entry is not None else None
    domain = entry is not None and not is_status_entry(entry)
    call: Evidence | None = None
    if meaning is not None and meaning.outcome_unknown:
        text = prefix.decode("utf-8", "replace") + " " + (finding.message or "")
        seen = None if _READ_ONLY.search(text) else _CALL.search(text)
        if seen is not None:
            call = Evidence("call", None, value=seen.group(0))
        if seen is not None or (entry is not None and entry.category in STATE_CATEGORIES):
            return Action("check_first", None, "derived", advice), call
    if finding.retry_after is not None:
        fallback = documented_wait if documented_wait != finding.retry_after else None
        return Action("wait", finding.retry_after, "Retry-After header", advice, fallback), call
    if entry is None or not domain:
        if meaning is not None and meaning.retryable:
            return Action("retry", None, "derived", advice), call
        return Action("do_not_retry", None, "derived", advice), call
    source = entry.retryable_source
    if documented_wait is not None:
        return Action("wait", documented_wait, source, advice), call
    if entry.retryable:
        return Action("retry", None, source, advice), call
    return Action("do_not_retry", None, source, advice), call


def _details(finding: Finding, entry: Entry | None) -> dict[str, Any]:
    """The response's own details: the envelope's details object and the fields the entry documents."""
    node = finding.node
    out: dict[str, Any] = {}
    paths = [env.details_path for env, _ in finding.envs if env.details_path]
    for path in (*paths, *_DETAIL_PATHS):
        value = get_path(node, path)
        if isinstance(value, dict):
            if value:
                prefix = ".".join(path)
                for key, item in list(value.items())[:MAX_DETAILS]:
                    if not isinstance(item, (dict, list)):
                        out.setdefault(f"{prefix}.{key}", item)
            break
    if entry is not None:
        for detail in entry.details:
            value = get_path(node, tuple(detail.field.split(".")))
            if value is not MISSING:
                out.setdefault(detail.field, value)
    return out


class _Shapes:
    """The summary's line memo: the pump's fast-path hooks.

    A line met again as it is costs one dictionary look-up. Otherwise its *template*
    (:mod:`errcli.explain.template`) is looked up by the line with digits and hex letters
    folded; within a template, records are told apart by the bytes their verdict can depend
    on (``canon``): the codes, the messages with their interpolated values left out, the keys.
    A template is made from the second line that has its folded form (a line with a uuid in
    it may never come back: the first one only notes it).
    """

    def __init__(self, explainer: Explainer, rows: SummaryRows) -> None:
        self.explainer = explainer
        self.rows = rows
        self.by_verdict: dict[int, tuple[Verdict, list[Any]]] = {}  # the row of a verdict seen lately
        # folded line → [keep, num, numref, {canon: rows}]
        self.memo: dict[bytes, list[Any]] = {}
        self.canons = 0  # canons remembered over all templates
        self.canon_bytes = 0  # ... and the bytes of their lines
        self.once_bytes = 0
        self.once: dict[bytes, int] = {}  # folded lines seen, not yet remembered: how often
        # lines with their digits folded → (what tells their verdicts apart, {those bytes: verdicts})
        self.exact: dict[bytes, tuple[Any, dict[Any, tuple[Verdict, ...]]]] = {}
        self.exact_once: dict[bytes, None] = {}
        self.exact_key = b""
        self.exact_entry: tuple[Any, dict[Any, tuple[Verdict, ...]]] | None = None
        self.records = 0
        self.not_errors = 0
        # the line being looked up: its body, folded form, template and canon (None: not remembered)
        self.body: bytes | None = None
        self.key = b""
        self.template: list[Any] | None = None
        self.canon = 0

    def known(self, n: int, body: bytes) -> bool:
        if len(body) > MEMO_MAX_LINE:
            self.body = None
            return False
        # first, lines that differ from a remembered one in digits only, where no verdict looks
        self.exact_key = exact_key = body.translate(ZEROS)
        exact = self.exact.get(exact_key)
        if exact is not None:
            canon_of, table = exact
            verdicts = table.get(canon_of(body) if canon_of is not None else None)
            if verdicts is not None:
                self.hit(n, verdicts)
                return True
        self.exact_entry = exact
        self.key = key = body.translate(FOLD)
        template = self.memo.get(key)
        if template is None:
            self.body = body
            self.template = None
            return False
        keep, num, numref, by_canon = template
        if num and int.from_bytes(body.translate(DIGITS), "big") & num != numref:
            self.body = None  # a letter where the template has a number: decoded, not remembered
            return False
        self.canon = canon = int.from_bytes(body, "big") & keep
        verdicts = by_canon.get(canon)
        if verdicts is None:
            self.body = body
            self.template = template
            return False
        self.learn_exact(body, keep, verdicts)
        self.hit(n, verdicts)
        return True

    def hit(self, n: int, verdicts: tuple[Verdict, ...]) -> None:
        """Count a line the memo knows."""
        self.records += 1
        if verdicts:
            by_verdict = self.by_verdict
            for verdict in verdicts:
                seen = by_verdict.get(id(verdict))
                if seen is not None and seen[0] is verdict:
                    row = seen[1]
                    row[1] += 1
                    row[3] = n  # lines come in order here
                else:
                    self.new_row(verdict, n)
        else:
            self.not_errors += 1

    def learn_exact(self, body: bytes, keep: int, verdicts: tuple[Verdict, ...]) -> None:
        """Remember ``body``'s verdicts for the lines that differ from it in digits only: told apart by
        the digits its template keeps (a code), from the second line of that form on."""
        exact = self.exact_entry
        if exact is None:
            key = self.exact_key
            if key not in self.exact_once:
                if len(self.exact_once) >= ONCE_LIMIT:
                    self.exact_once.clear()
                self.exact_once[key] = None
                return
            if len(self.exact) >= MEMO_LIMIT:
                self.exact.clear()
            kept = (int.from_bytes(body.translate(DIGIT_MARKS), "big") & keep).to_bytes(len(body), "big")
            slices = [slice(*m.span()) for m in _MARKED.finditer(kept)]
            exact = self.exact[key] = (itemgetter(*slices) if slices else None, {})
        canon_of, table = exact
        if len(table) < MEMO_VALUES:
            table[canon_of(body) if canon_of is not None else None] = verdicts

    def decoded(self, n: int, value: dict[str, Any]) -> None:
        verdicts = self.explainer.object_verdicts(value)
        self.count(n, verdicts)
        body = self.body
        if body is None:
            return
        template = self.template
        if template is None:
            key = self.key
            seen = self.once.get(key, 0)
            if seen < SIGHTINGS - 1:
                if len(self.once) >= ONCE_LIMIT or self.once_bytes >= MEMO_BYTES:
                    self.once.clear()
                    self.once_bytes = 0
                if not seen:
                    self.once_bytes += len(key)
                self.once[key] = seen + 1
                return
            del self.once[key]
            self.once_bytes -= len(key)
            made = make_template(body, self.explainer.detector)
            if made is None:
                return
            if len(self.memo) >= MEMO_LIMIT or self.canons >= CANON_LIMIT or self.canon_bytes >= MEMO_BYTES:
                self.memo.clear()
                self.canons = 0
                self.canon_bytes = 0
            keep, num, numref = made
            template = self.memo[key] = [keep, num, numref, {}]
            self.canon = int.from_bytes(body, "big") & keep
        by_canon = template[3]
        self.learn_exact(body, template[0], verdicts)
        if len(by_canon) < MEMO_VALUES:
            by_canon[self.canon] = verdicts
            self.canons += 1
            self.canon_bytes += len(body)

    def count(self, n: int, verdicts: tuple[Verdict, ...]) -> None:
        """Count one record."""
        self.records += 1
        if not verdicts:
            self.not_errors += 1
            return
        by_verdict = self.by_verdict
        for verdict in verdicts:
            seen = by_verdict.get(id(verdict))
            if seen is not None and seen[0] is verdict:
                row = seen[1]
                row[1] += 1
                row[2] = min(row[2], n)  # a response without a JSON body is counted when it ends
                row[3] = max(row[3], n)
            else:
                self.new_row(verdict, n)

    def new_row(self, verdict: Verdict, n: int) -> None:
        """Count ``verdict`` in its row, the first time this memo sees it."""
        row = self.rows.row(verdict, n)
        if len(self.by_verdict) >= CACHE_LIMIT:
            self.by_verdict.clear()
        self.by_verdict[id(verdict)] = (verdict, row)

    def restart(self, rows: SummaryRows) -> None:
        """Count into ``rows`` from now on, from nothing; what the memo has learnt is kept."""
        self.rows = rows
        self.by_verdict = {}
        self.records = 0
        self.not_errors = 0


def _count(records: Iterator[Any], shapes: _Shapes) -> None:
    """Count the records the lane left to decode."""
    record_verdicts = shapes.explainer.record_verdicts
    count = shapes.count
    for line_no, _end, value, http, _prefix in records:
        count(line_no, record_verdicts(value, http))


class SummaryRows:
    """The summary's rows, ``[verdict, count, first, last]``: one per (catalog, code), in bounded memory.

    Catalog entries are finite and each is counted exactly; so are the first
    :data:`UNKNOWN_CODES_LIMIT` distinct unknown codes. Later unknown codes share one row
    (``other``), with their count and first and last line.
    """

    def __init__(self) -> None:
        self.rows: dict[tuple[Any, ...], list[Any]] = {}
        self.unknown_codes = 0
        self.other: list[Any] | None = None

    def row(self, verdict: Verdict, n: int) -> list[Any]:
        """The row ``verdict`` counts in, with this record counted."""
        key = (verdict.catalog, verdict.code, verdict.entry is None)
        row = self.rows.get(key)
        if row is None:
            code = verdict.code
            if verdict.entry is None and (
                self.unknown_codes >= UNKNOWN_CODES_LIMIT or (isinstance(code, str) and len(code) > MAX_CODE_CHARS)
            ):
                if self.other is None:
                    self.other = [verdict, 0, n, n]
                row = self.other
            else:
                self.unknown_codes += verdict.entry is None
                row = self.rows[key] = [verdict, 0, n, n]
        row[1] += 1
        row[2] = min(row[2], n)
        row[3] = max(row[3], n)
        return row

    def absorb(self, rows: Sequence[list[Any]], folded: bool, offset: int) -> bool:
        """Add the rows of the stream's next part (its line numbers moved on by ``offset``), as
        counting that part here would; False, changing nothing, when that could differ (some of
        its unknown codes were folded, or together they pass the limit)."""
        if folded:
            return False
        new_unknown = sum(1 for v, *_ in rows if v.entry is None and (v.catalog, v.code, True) not in self.rows)
        if new_unknown and self.unknown_codes + new_unknown > UNKNOWN_CODES_LIMIT:
            return False
        for verdict, count, first, last in sorted(rows, key=lambda r: r[2]):
            key = (verdict.catalog, verdict.code, verdict.entry is None)
            row = self.rows.get(key)
            if row is None:
                self.unknown_codes += verdict.entry is None
                self.rows[key] = [verdict, count, first + offset, last + offset]
            else:
                row[1] += count
                row[3] = max(row[3], last + offset)
        return True


class ExplainStream:
    """Explain a stream as it is read: iterate for the errors; the counters are final at the end.

    >>> stream = explain_stream(cs, sys.stdin.buffer)
    >>> for error in stream: ...
    >>> stream.not_errors, stream.unparsed_count, stream.unparsed_lines
    """

    def __init__(self, cs: CatalogSet | Explainer, source: Source, catalogs: Sequence[str] = ()) -> None:
        self.explainer = cs if isinstance(cs, Explainer) else Explainer(cs, catalogs)
        self.tally = LineTally()
        self.source = source
        self.not_errors = 0
        self.records = 0
        self.errors = 0
        self.unknown = 0

    @property
    def unparsed_count(self) -> int:
        return self.tally.unparsed_count

    @property
    def unparsed_lines(self) -> list[int]:
        return self.tally.unparsed_lines

    @property
    def lines(self) -> int:
        return self.tally.lines

    def __iter__(self) -> Iterator[ExplainedError]:
        findings = self.explainer.findings
        explain = self.explainer.explain
        for line, end, value, http, prefix in pump(self.source, self.tally):
            self.records += 1
            found = findings(value, http)
            if found is None:
                self.not_errors += 1
                continue
            for finding in found:
                error = explain(line, end, finding, prefix)
                self.errors += 1
                if error.entry is None:
                    self.unknown += 1
                yield error

    def summarize(self, split_from: int = MIN_SPLIT_BYTES) -> SummaryReport:
        """Consume the stream into counts per (catalog, code), without a full result per error.

        A regular file of at least ``split_from`` bytes is counted in two halves on two cores
        (:mod:`errcli.explain.split`); 0 counts in one pass.
        """
        rows = SummaryRows()
        shapes = _Shapes(self.explainer, rows)
        # JSON values are trees, freed by reference counting; the cyclic collector would only
        # rescan the catalogs and caches over and over, so it waits until the end
        collecting = gc.isenabled()
        gc.disable()
        try:
            where = cut(self.source, split_from) if split_from else None
            if where is None:
                _count(pump(self.source, self.tally, shapes), shapes)
            else:
                self._count_halves(where, rows, shapes)
        finally:
            if collecting:
                gc.enable()
        summary = Summary()
        unknown = 0
        for verdict, count, first, last in sorted(rows.rows.values(), key=lambda r: r[2]):
            summary.merge(verdict.catalog, verdict.code, verdict.entry, count, first, last)
            if verdict.entry is None:
                unknown += count
        table = summary.rows()
        other = rows.other
        if other is not None:
            table.append(SummaryRow(None, None, None, other[1], other[2], other[3], folded=True))
            summary.total += other[1]
            unknown += other[1]
        self.records += shapes.records
        self.not_errors += shapes.not_errors
        self.errors += summary.total
        self.unknown += unknown
        return SummaryReport(
            rows=tuple(table),
            errors=summary.total,
            unknown=unknown,
            other_unknown=other[1] if other is not None else 0,
            code_limit=UNKNOWN_CODES_LIMIT,
            **self.counts(),
        )

    def _count_halves(self, where: tuple[int, int, int], rows: SummaryRows, shapes: _Shapes) -> None:
        """Count the first half here while a forked process counts the second, then add its counts
        (or count the second half here too, when they cannot simply be added).

        The first lines are counted before the fork, so that both processes start with what the
        memo learnt from them.
        """
        fd, start, middle = where
        warm = line_end(fd, start + WARM_BYTES, middle)
        fork: Fork | None = None
        halves: list[tuple[Half, int]] = []
        stage = "warm" if warm is not None else "first"

        def second() -> Half:  # runs in the forked process
            tally = LineTally()
            theirs = SummaryRows()
            shapes.restart(theirs)
            _count(pump(Window(fd, middle), tally, shapes, resumed=True), shapes)
            return Half(list(theirs.rows.values()), theirs.other is not None, shapes.records, shapes.not_errors, tally)

        def begin() -> None:
            nonlocal fork
            try:
                fork = Fork(second)
            except OSError:
                fork = None

        def tail(idle: bool, lines: int) -> Iterable[bytes] | None:
            nonlocal stage
            if stage == "warm":
                stage = "first"
                begin()
                return resume(fd, warm or start, middle)
            if stage != "first":
                return None
            stage = "rest"
            half = None
            if fork is not None:
                if idle:
                    half = fork.result()
                else:
                    fork.cancel()  # something is open at the cut: read on here
            if half is None or not rows.absorb(half.rows, half.folded, lines):
                return resume(fd, middle)
            halves.append((half, lines))
            return None

        if warm is None:
            begin()
        try:
            _count(pump(Window(fd, start, warm or middle), self.tally, shapes, tail=tail), shapes)
        finally:
            if fork is not None:
                fork.cancel()
        for half, lines in halves:
            shapes.records += half.records
            shapes.not_errors += half.not_errors
            self.tally.absorb(half.tally, lines)

    def counts(self) -> dict[str, Any]:
        """What the stream has counted so far, as the reports take it."""
        tally = self.tally
        return {
            "not_errors": self.not_errors,
            "unparsed_count": tally.unparsed_count,
            "unparsed_lines": tuple(tally.unparsed_lines),
            "lines": tally.lines,
            "records": self.records,
        }


def explain_stream(cs: CatalogSet | Explainer, source: Source, catalogs: Sequence[str] = ()) -> ExplainStream:
    """Errors as they are found (a generator-like object with counters); constant memory.

    ``cs`` is the catalogs, or an :class:`Explainer` built from them (reused across calls; it
    carries its own ``catalogs`` restriction, and ``catalogs`` here is then ignored).
    """
    return ExplainStream(cs, source, catalogs)


def explain_text(cs: CatalogSet | Explainer, text: str | bytes, catalogs: Sequence[str] = ()) -> ExplainReport:
    """Explain a whole input held in memory (an argument, a small file)."""
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    stream = ExplainStream(cs, io.BytesIO(data), catalogs)
    errors = tuple(stream)
    return ExplainReport(errors=errors, **stream.counts())


def summarize(cs: CatalogSet | Explainer, source: Source, catalogs: Sequence[str] = ()) -> SummaryReport:
    """The ``--summary`` table for a stream: counts per (catalog, code) with first and last line."""
    return ExplainStream(cs, source, catalogs).summarize()


__all__ = ["ExplainStream", "Explainer", "explain_stream", "explain_text", "summarize"]
