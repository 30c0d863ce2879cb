"""The explain pipeline: reader → detect → classify → result, for one stream.

:class:`Explainer` holds what is computed once per run (the catalogs' envelopes, codes,
texts) and the caches; :class:`ExplainStream` runs the one line pump
(:func:`errcli.explain.reader.pump`) either to full results, error by error, or to the
``--summary`` counts. The summary remembers line *templates* (:mod:`errcli.explain.template`):
a line that differs from a remembered one only in its interpolated values (ids, amounts,
uuids, prices) is counted without being decoded at all.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from typing import Any

from errcli._gc import collector_paused
from errcli.catalog import CatalogSet
from errcli.explain.classify import Classifier, Verdict, is_status_entry
from errcli.explain.detect import Detector, Finding
from errcli.explain.fields import NORMAL_CLOSURE, says_error
from errcli.explain.http import MAX_BODY_LINES, HttpInfo
from errcli.explain.lines import Source
from errcli.explain.memo import LineMemo, SummaryRows, count_records
from errcli.explain.plan import CACHE_LIMIT, MISSING, envs_of, get_path
from errcli.explain.reader import pump
from errcli.explain.result import Action, Evidence, ExplainedError, ExplainReport, Summary, SummaryReport, SummaryRow
from errcli.explain.split import MIN_SPLIT_BYTES, WARM_BYTES, Half, Window, cut, line_end, received_rows, sent_rows
from errcli.explain.tally import LineTally
from errcli.model import Catalog, Entry
from errcli.store.helper import Helper

MAX_DETAILS = 50
TEXT_ONLY_LINES = 20  # a whole input of at most this many lines of text, and no JSON, is a text body
TEXT_ONLY_EXACT = 95.0  # ... explained without an error word when it is a catalog's text this closely
_DETAIL_PATHS = (("details",), ("error", "details"), ("data",))

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
        found = self.detector.findings(value, http)
        if found is not None and any(f.tentative for f in found):
            # a success's message is an error only when nothing else is and it is a catalog's text
            sure = [f for f in found if not f.tentative]
            found = sure or [f for f in found if self._word_for_word(self.verdict(f))] or None
        return found

    @staticmethod
    def _word_for_word(verdict: Verdict) -> bool:
        if verdict.entry is None or verdict.basis != "message":
            return False
        return max((e.score or 0.0 for e in verdict.evidence if e.kind == "message"), default=0.0) >= TEXT_ONLY_EXACT

    def verdict(self, finding: Finding) -> Verdict:
        return self.classifier.verdict(finding)

    def record_verdicts(self, value: Any, http: HttpInfo | None, words: bytes = b"") -> tuple[Verdict, ...]:
        """The verdicts of one record (empty: not an error); objects whose relevant values were
        seen before cost a few look-ups."""
        if http is None and type(value) is dict:
            verdicts = self.object_verdicts(value)
            if verdicts or not words:
                return verdicts
            found = self.line_findings(words)  # (the object itself was just found to hold none)
        else:
            found = self.record_findings(value, http, words)
        return () if found is None else tuple(self.verdict(f) for f in found)

    def record_findings(self, value: Any, http: HttpInfo | None, words: bytes) -> list[Finding] | None:
        """The errors of one record; for one that holds none, those of the log line's words around it."""
        found = self.findings(value, http)
        if found is None and words:
            return self.line_findings(words)
        return found

    def line_findings(self, words: bytes) -> list[Finding] | None:
        """The words of a log line around a JSON value that is no error (``Failed to parse DIFF
        message: {…}, error: missing field …``): an error when they say one, at a level not quiet."""
        from errcli.explain.text import named_catalog, read_text

        line = words.decode("utf-8", "replace")
        if not says_error(line):
            return None  # (most such lines: a request and its timing, nothing failed)
        said = read_text([line])
        if said.quiet or not says_error(said.message):
            return None
        apis = [c.id for c in self.catalogs if c.id not in self.classifier.status_catalogs]
        return [Finding({}, None, said.message, (), named=named_catalog([line], apis))]

    def patch_code(self, verdict: Verdict, code: int) -> Verdict | None:
        """See :meth:`Classifier.patch_code`."""
        return self.classifier.patch_code(verdict, code)

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

    def text_body(self, tally: LineTally) -> tuple[Finding, Verdict] | None:
        """A whole input of a few lines of text and nothing else (``curl -s`` of a plain-text error
        body, actix's ``Json deserialize error: …``, a gateway's HTML page, a client's exception, a
        server's text log line): the object its logfmt pairs make, else its text as the message
        (with an HTTP status it names), when that says an error; None otherwise (the lines stay
        unparsed, and so does a log line at INFO or below)."""
        count = tally.unparsed_count
        if tally.record_lines or tally.http_lines or not 0 < count <= MAX_BODY_LINES:
            return None
        if count != tally.lines - tally.blank_lines or count > len(tally.unparsed_texts):
            return None
        lines = [t.decode("utf-8", "replace") for t in tally.unparsed_texts]
        if count > TEXT_ONLY_LINES and lines[0].lstrip()[:1] != "<":
            return None  # only a page may be longer
        # its patterns are compiled only when a text body is read
        from errcli.explain.text import close_code, named_catalog, named_status, pairs_of, read_text

        said = read_text(lines)
        if not said.message:
            return None
        status, by_reason = named_status(said.message)
        if said.quiet and status is None:
            return None  # a log's INFO line reports nothing, unless it names a failed status (an access log)
        pairs = None if said.page else pairs_of(said.message)
        if pairs is not None and (close := close_code(pairs, said.message)) is not None:
            if close == NORMAL_CLOSURE:  # a WebSocket's close: its reason (if any) says what went wrong
                return None
            reason = pairs.get("reason")
            finding = Finding({}, None, reason if isinstance(reason, str) and reason.strip() else said.message, ())
            return finding, self.verdict(finding)
        if pairs is not None:
            for finding in self.findings(pairs, None) or ():
                verdict = self.verdict(finding)
                if verdict.entry is not None:
                    return finding, verdict
        apis = [c.id for c in self.catalogs if c.id not in self.classifier.status_catalogs]
        named = named_catalog(lines, apis)  # its host, its logger's name
        finding = Finding({}, None, said.message, (), status, page=said.page or by_reason, named=named)
        verdict = self.verdict(finding)
        if status is not None:
            return finding, verdict
        if said.says_error or self._word_for_word(verdict):
            return finding, verdict
        return None  # "retry=3 backoff=250ms" names the rate limit's words, but reports nothing

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
        findings = self.explainer.record_findings
        explain = self.explainer.explain
        for line, end, value, http, prefix, words in pump(self.source, self.tally):
            self.records += 1
            found = findings(value, http, words)
            if found is None:
                self.not_errors += 1
                continue
            for finding in found:
                error = explain(line, end, finding, prefix)
                self.errors += 1
                if error.entry is None:
                    self.unknown += 1
                yield error
        body = self.explainer.text_body(self.tally)
        if body is not None:
            first, last = self._take_text()
            self.errors += 1
            yield explain(first, last, body[0])

    def summarize(self, split_from: int = MIN_SPLIT_BYTES) -> SummaryReport:
        """Consume the stream into counts per (catalog, code), without a full result per error.

        A regular file of at least ``split_from`` bytes is counted in two halves on two cores
        (:mod:`errcli.explain.split`); 0 counts in one pass.
        """
        rows = SummaryRows()
        memo = LineMemo(self.explainer, rows)
        with collector_paused():  # JSON values are trees, freed by reference counting
            where = cut(self.source, split_from) if split_from else None
            if where is None:
                count_records(pump(self.source, self.tally, memo), memo)
            else:
                self._count_halves(where, rows, memo)
            memo_records, memo_not_errors = memo.records, memo.not_errors
            del memo  # (its tables go before the collector runs again, which would walk them all)
        body = self.explainer.text_body(self.tally)
        if body is not None:
            rows.row(body[1], self._take_text()[0])  # counted at its first line, as any record
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
        self.records += memo_records
        self.not_errors += memo_not_errors
        self.errors += summary.total
        self.unknown += unknown
        return SummaryReport(
            rows=tuple(table),
            errors=summary.total,
            unknown=unknown,
            other_unknown=other[1] if other is not None else 0,
            code_limit=rows.limit,
            **self.counts(),
        )

    def _count_halves(self, where: tuple[int, int, int], rows: SummaryRows, memo: LineMemo) -> None:
        """Count the first half here while a forked process counts the second, then add its counts
        (or count the second half here too, when they cannot simply be added).

        The first lines are counted before the fork, so that both processes start with what the
        memo learnt from them.
        """
        import pickle  # (the half's counts are objects: marshal cannot carry them)

        fd, start, middle = where
        warm = line_end(fd, start + WARM_BYTES, middle) or start
        fork: Helper | None = None
        added: list[tuple[Half, int]] = []
        ends = 0  # sources ended: the warm-up, then the rest of the first half

        def second() -> Half:  # runs in the forked process
            tally = LineTally()
            theirs = SummaryRows()
            memo.restart(theirs)
            count_records(pump(Window(fd, middle), tally, memo, resumed=True), memo)
            rows = sent_rows(theirs.rows.values())
            return Half(rows, theirs.other is not None, memo.records, memo.not_errors, tally)

        def tail(idle: bool, lines: int) -> Window | None:
            nonlocal fork, ends
            ends += 1
            if ends == 1:  # warmed up: the second half starts now, elsewhere
                fork = Helper.start(second, codec=pickle)
                return Window(fd, warm, middle)
            if ends > 2:
                return None
            half = None
            if fork is not None:
                sent = fork.result() if idle else None
                half = sent if isinstance(sent, Half) else None
                fork.close()  # something is open at the cut: it stops now (once read, nothing is left)
            memo.flush()  # (the lines the pump counted in the memo, into the rows before they are added to)
            theirs = None if half is None else received_rows(half.rows, self._entries())
            if half is not None and theirs is not None and rows.absorb(theirs, half.folded, lines):
                added.append((half, lines))
                return None
            return Window(fd, middle)  # something is open at the cut, or the half cannot be added: read on

        try:
            count_records(pump(Window(fd, start, warm), self.tally, memo, tail=tail), memo)
        finally:
            if fork is not None:
                fork.close()
        for half, lines in added:
            memo.records += half.records
            memo.not_errors += half.not_errors
            self.tally.absorb(half.tally, lines)

    def _entries(self) -> dict[tuple[str, Any], Entry]:
        """The entries of the catalogs considered, by catalog and code."""
        return {(e.catalog, e.code): e for c in self.explainer.catalogs for e in c.entries}

    def _take_text(self) -> tuple[int, int]:
        """The unparsed lines become one record (a text body): its first and last line."""
        tally = self.tally
        first, last = tally.unparsed_lines[0], tally.unparsed_lines[-1]
        self.records += 1
        tally.record_lines += tally.unparsed_count
        tally.unparsed_count = 0
        tally.unparsed_lines.clear()
        tally.unparsed_texts.clear()
        return first, last

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
