"""The ``--summary`` line memo: a line is counted from what was learnt on lines like it, undecoded.

Four levels, cheapest first; a line goes down until one of them knows it:

1. *exact*: the line with its digits folded (:data:`ZEROS`). Lines equal there differ in digits
   only, and are told apart by the digits their template keeps (a code). Each such canon has a
   *tally*; from its second line in a count on, the pump itself counts a line there (one
   increment, no call), and :meth:`LineMemo.flush` adds the tallies to the rows.
2. *folded*: the line with digits and hex letters folded (:data:`~errcli.explain.template.FOLD`)
   → a template of lines of one length: the bytes their verdict may depend on, compared as one
   integer (:mod:`errcli.explain.template`).
3. *runs*: the folded line with every run of folded bytes cut to one
   (:func:`~errcli.explain.template.runs_key`) → a template of lines of any length: the runs their
   verdict may depend on are compared, the others checked for digits where the reference had them.
4. the line is decoded and its verdicts computed (cached by the object's shape key).

Each level learns from the line a lower one dealt with: an exact entry from a folded template, a
folded template from a run template (no parse), a run template from the second line of its
form; lines too long for run templates get a folded template from the third line of their form.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from itertools import compress, repeat
from itertools import count as numbers
from operator import and_, getitem, is_, itemgetter
from typing import TYPE_CHECKING, Any, Protocol, cast

from errcli.explain.compiled import scan as compiled
from errcli.explain.decode import ARRAY_OPEN
from errcli.explain.lines import MAX_LINE_BYTES, Lines
from errcli.explain.plan import CACHE_LIMIT
from errcli.explain.template import (
    DIGIT_MARKS,
    FOLD,
    MARKED,
    RUNS_MAX_LINE,
    ZEROS,
    RunTemplate,
    Swap,
    canon_runs,
    run_template,
    runs_key,
    runs_of,
)
from errcli.explain.template import template as make_template

if TYPE_CHECKING:
    from errcli.explain.classify import Verdict
    from errcli.explain.detect import Detector
    from errcli.explain.http import HttpInfo


class Explainer(Protocol):
    """What the memo asks of :class:`errcli.explain.engine.Explainer`."""

    detector: Detector

    def object_verdicts(self, value: dict[str, Any]) -> tuple[Verdict, ...]: ...

    def record_verdicts(self, value: Any, http: HttpInfo | None, words: bytes = b"") -> tuple[Verdict, ...]: ...

    def patch_code(self, verdict: Verdict, code: int) -> Verdict | None: ...


MEMO_MAX_LINE = 2048  # the summary remembers shapes of lines up to this long
MEMO_LIMIT = 20_000  # templates remembered at each level (then that level starts over)
MEMO_VALUES = 1_000  # canons remembered per template
PAIRS_LIMIT = 50_000  # (folded line, canon) pairs bulk remembers: ~25 MB for lines of 200 bytes
CANON_LIMIT = 100_000  # canons remembered in all: ~30 MB for lines of 200 bytes
SIGHTINGS = 3  # a folded template is made from a long line when its folded form is seen this often
ONCE_LIMIT = 20_000  # forms seen once, before they are remembered (each level)
MEMO_BYTES = 32 << 20  # bytes of lines held by each of the memo's tables (then it starts over)
UNKNOWN_CODES_LIMIT = 10_000  # distinct unknown codes counted one by one; the others share a row
MAX_CODE_CHARS = 200  # a longer unknown code is counted among the others
_MAX_RUNS = 255  # the compiled lookup's run templates have at most this many runs

_scan = compiled  # (the tests set it to None: the interpreter's lookup, as a build without a C compiler has)
COMPILED = _scan is not None  # whether the summary's first level is the compiled lookup

Verdicts = tuple["Verdict", ...]
_VERSIONS = numbers()  # of the compiled lookup's forms, across memos (its cache is one per process)
_NO_STATS = bytes(24)  # a group's [lines, first, last] in the compiled lookup's stats
_NO_TEMPLATE = [0, 0, 0, {}, 0]  # (a folded template with no canon: what bulk finds for a form it does not know)
_MASK = itemgetter(0)
_AS_INT = cast("Callable[[bytes], int]", int.from_bytes)  # (big-endian: the default)


class LineMemo:
    """The pump's fast-path hooks for ``--summary`` (:class:`~errcli.explain.reader.FastLane`)."""

    def __init__(self, explainer: Explainer, rows: SummaryRows) -> None:
        self.explainer = explainer
        self.rows = rows
        self.by_verdict: dict[int, tuple[Verdict, list[Any]]] = {}  # the row of a verdict seen lately
        self.records = 0
        self.not_errors = 0
        # exact: line with digits folded → (what tells its verdicts apart, {those bytes: tally}); a tally
        # is [verdicts, lines counted in this count, the last of them, how many of them are in the rows]:
        # the pump counts a line there (see flush)
        self.exact: dict[bytes, tuple[Any, dict[Any, list[Any]]]] = {}
        self.tallies: list[list[Any]] = []
        # bulk: (folded line, canon, None) → the index of its verdicts in `groups` (see bulk)
        self.pairs: dict[tuple[bytes, int, Any], int] = {}
        self.groups: list[Verdicts] = []
        self.group_index: dict[int, int] = {}  # id(verdicts) → their index in groups
        self.zeros = ZEROS  # (for the pump, which computes exact's keys)
        # the compiled lookup's run templates: key_hash(runs key) → (runs, kept, numbers, digits,
        # {key_hash(canon): (index in groups, canon)}, runs key, the RunTemplate, the code's places among
        # the kept runs, {key_hash(place + the other kept runs): (index in groups, that)}) (see _scan.c)
        self.forms: dict[int, tuple[Any, ...]] = {}
        self.compiled_canons = 0
        self.version = next(_VERSIONS)  # a new one whenever an entry of forms is replaced or dropped
        # per group: [lines, first, last] (int64) counted by the compiled lookup since the last flush,
        # for groups whose rows exist (flags[group] set); groups started over, not yet flushed
        self.stats = bytearray()
        self.flags = bytearray()
        self.retired: list[tuple[list[Verdicts], bytearray]] = []
        self.exact_once: dict[int, None] = {}
        # folded: folded line → [mask, nums, nums_ref, {canon: verdicts}, keep] (see learn_folded)
        self.memo: dict[bytes, list[Any]] = {}
        self.canons = 0  # canons remembered over all folded templates
        self.canon_bytes = 0  # ... and the bytes of their lines
        # forms seen, not yet remembered (by their hash: a rare clash only changes what is learnt when)
        self.once: dict[int, int] = {}  # folded forms of long lines: how often
        # runs: runs key → its template
        self.runs: dict[bytes, RunTemplate] = {}
        self.runs_once: dict[int, None] = {}
        self.folded_once: dict[int, None] = {}  # folded forms counted from a run template once
        # the line being looked up (body None: it is not remembered)
        self.body: bytes | None = None
        self.exact_key = b""
        self.exact_entry: tuple[Any, dict[Any, list[Any]]] | None = None
        self.key = b""
        self.template: list[Any] | None = None
        self.canon = 0
        self.runs_form = b""
        self.run_template: RunTemplate | None = None
        self.runs_canon: Any = None

    # -- the hooks --

    def known(self, n: int, body: bytes, exact_key: bytes | None = None) -> bool:
        """True when the line is counted from the memo (``exact_key``: its digits folded, when known)."""
        size = len(body)
        if size > MEMO_MAX_LINE:
            self.body = None
            return False
        if exact_key is None:
            exact_key = body.translate(ZEROS)
        exact = self.exact.get(exact_key)
        if exact is not None:
            canon_of, table = exact
            tally = table.get(canon_of(body) if canon_of is not None else None)
            if tally is not None:  # its first line in this count (the pump counts the others)
                self.count(n, tally[0])
                tally[1] += 1
                tally[2] = n
                tally[3] += 1
                return True
        self.body = body  # what the levels below and the learning read
        self.exact_key = exact_key
        self.exact_entry = exact
        self.key = key = body.translate(FOLD)
        self.template = template = self.memo.get(key)
        self.run_template = None
        if template is not None:
            mask, nums, nums_ref, by_canon, keep = template
            self.canon = canon = int.from_bytes(body, "big") & mask
            verdicts = by_canon.get(canon)
            if verdicts is None:
                if canon & nums != nums_ref:
                    self.body = None  # a letter where the template has a number: decoded, not remembered
                return False
            self.learn_exact(body, keep, verdicts)
            self.count(n, verdicts)
            return True
        if size > RUNS_MAX_LINE:
            return False
        self.runs_form = form = runs_key(key)
        runs_template = self.runs.get(form)
        if runs_template is None:
            return False
        runs = runs_of(body)
        if not runs_template.fits(runs):
            self.body = None
            return False
        self.run_template = runs_template
        self.runs_canon = canon = runs_template.canon(runs)
        verdicts = runs_template.by_canon.get(canon)
        if verdicts is None and runs_template.swaps:
            verdicts = runs_template.swapped(canon, self.explainer.patch_code)
        if verdicts is None:
            return False
        if _scan is None and not _first_sight(self.folded_once, key):
            # the second line of this folded form: a folded template (the compiled lookup needs none)
            self.learn_folded(body, runs_template.folded(body), verdicts)
        self.learn_compiled(form, runs_template, canon, verdicts)
        self.count(n, verdicts)
        return True

    def decoded(self, n: int, value: dict[str, Any]) -> None:
        """The line's object, decoded: count it, and learn what its verdicts were."""
        verdicts = self.explainer.object_verdicts(value)
        self.count(n, verdicts)
        body = self.body
        if body is None:
            return
        if self.template is not None:
            self.learn_canon(body, self.template, verdicts)
            return
        runs_template = self.run_template
        if runs_template is not None:  # a new canon of a run template
            self.learn_runs(self.runs_form, runs_template, self.runs_canon, verdicts)
            return
        if len(body) <= RUNS_MAX_LINE:
            self.first_runs(body, verdicts)
        else:
            self.first_folded(body, verdicts)

    def bulk(self, block: Sequence[bytes], base: int) -> tuple[list[int], Callable[[int], int], list[int]]:
        """Look a block of lines up at once (their line numbers follow ``base``): in the compiled
        run templates (:mod:`errcli.explain._scan`) when it is built, else in the folded templates.
        Returns the lines none knows (in order: the pump takes them one by one) and
        ``commit(stop)``, which counts the known lines before ``stop`` and says how many those were."""
        if _scan is None or type(block) not in (list, Lines):
            return self.bulk_folded(block, base)
        if self.retired:
            self.flush_compiled()
        if type(block) is Lines:
            found = _scan.scan_chunk(block.data, block.starts, self.forms, RUNS_MAX_LINE, MAX_LINE_BYTES, self.version)
        else:
            found = _scan.scan(cast("list[bytes]", block), self.forms, RUNS_MAX_LINE, MAX_LINE_BYTES, self.version)
        misses, ids, texts, patched = found
        groups, stats, flags = self.groups, self.stats, self.flags  # (a miss taught below may start them over)
        codes: list[tuple[int, Verdicts]] = []  # lines of an undocumented code, its number patched in
        for i, at, code in patched:
            verdict = self.explainer.patch_code(groups[at][0], code)
            if verdict is None:
                misses.append(i)
            else:
                codes.append((i, (verdict,)))
        if len(codes) < len(patched):
            misses.sort()

        def commit(stop: int) -> int:
            assert _scan is not None  # noqa: S101 - (for the type checker)
            counted, new = _scan.tally(ids, stop, base, stats, flags)
            for at, lines, first, last in new:  # their rows are made now, in the order they begin
                counted += lines
                self.count_many(groups[at], lines, base, base + last + 1, base + first + 1)
                flags[at] = 1
            for i, verdicts in codes:
                if i < stop:
                    counted += 1
                    self.count(base + i + 1, verdicts)
            return counted

        return misses, commit, texts

    def bulk_folded(self, block: Sequence[bytes], base: int) -> tuple[list[int], Callable[[int], int], list[int]]:
        """:meth:`bulk` in the folded templates, with the interpreter's bulk operations."""
        starts = list(map(bytes.find, block, repeat(b"{")))
        bodies: list[bytes] = list(map(getitem, cast("list[Any]", block), map(slice, starts, repeat(None))))
        skips = list(map(ARRAY_OPEN.search, block, repeat(0), starts))
        keys = list(map(bytes.translate, bodies, repeat(FOLD)))
        memo = self.memo
        canons = map(and_, map(_AS_INT, bodies), map(_MASK, map(memo.get, keys, repeat(_NO_TEMPLATE))))
        pairs = list(zip(keys, canons, skips, strict=True))
        known = self.pairs
        ids = list(map(known.get, pairs))  # the index of each line's verdicts in `groups`, None: not known yet
        groups = self.groups
        misses = []
        for i in compress(numbers(), map(is_, ids, repeat(None))):
            pair = pairs[i]
            key, canon, skip = pair
            made = memo.get(key)
            verdicts = made[3].get(canon) if made is not None and skip is None and starts[i] >= 0 else None
            if verdicts is None:
                misses.append(i)
                continue
            if len(known) >= PAIRS_LIMIT:
                known.clear()
            ids[i] = known[pair] = self.group_of(verdicts)

        def commit(stop: int) -> int:
            part = ids if stop >= len(ids) else ids[:stop]
            last = dict(zip(part, numbers(base + 1)))
            counted = 0
            for at, lines in Counter(part).items():
                if at is not None:
                    counted += lines
                    self.count_many(groups[at], lines, base, last[at], partial(_first, part, at, base))
            return counted

        return misses, commit, []

    def group_of(self, verdicts: Verdicts) -> int:
        """The index of ``verdicts`` in ``groups`` (the verdicts a block's lookup gives)."""
        at = self.group_index.get(id(verdicts))
        if at is None:
            at = self.group_index[id(verdicts)] = len(self.groups)
            self.groups.append(verdicts)
            self.stats.extend(_NO_STATS)
            self.flags.append(0)
        return at

    def learn_compiled(self, form: bytes, made: RunTemplate, canon: Any, verdicts: Verdicts) -> None:
        """Remember a canon of a run template in the compiled lookup's forms."""
        if _scan is None or made.count > _MAX_RUNS:
            return
        form_key = _scan.key_hash(form)
        entry = self.forms.get(form_key)
        if entry is None or entry[5] != form or entry[6] is not made:
            if len(self.forms) >= MEMO_LIMIT or self.compiled_canons >= CANON_LIMIT or len(self.groups) >= CANON_LIMIT:
                self.forms = {}
                self.compiled_canons = 0
                self.version = next(_VERSIONS)
                # new lists: a block's commit still counts in the ones it was given, flushed later
                self.retired.append((self.groups, self.stats))
                self.groups, self.stats, self.flags = [], bytearray(), bytearray()
                self.group_index = {}
            kept, numbers, digits = bytes(made.kept), bytes(made.numbers), bytes(made.digits)
            if form_key in self.forms:
                self.version = next(_VERSIONS)  # (the compiled lookup may hold the entry replaced)
            entry = self.forms[form_key] = (made.count, kept, numbers, digits, {}, form, made, bytearray(), {})
        canons = entry[4]
        key = b",".join(canon_runs(canon))
        canon_key = _scan.key_hash(key)
        if len(canons) < MEMO_VALUES and canon_key not in canons:
            canons[canon_key] = (self.group_of(verdicts), key)
            self.compiled_canons += 1

    def learn_compiled_swap(self, form: bytes, made: RunTemplate, swap: Swap) -> None:
        """Tell the compiled lookup a confirmed place of an undocumented code in a run template's
        canons, and the other kept runs it was confirmed with (see RunTemplate.learn_swap)."""
        entry = self.forms.get(_scan.key_hash(form)) if _scan is not None else None
        if entry is None or entry[6] is not made:  # (see learn_compiled)
            return
        at, rest, first = swap
        key = bytes([at]) + b",".join(rest)
        if at not in entry[7]:
            entry[7].append(at)
        entry[8][_scan.key_hash(key)] = (self.group_of(first), key)

    # -- counting --

    def count(self, n: int, verdicts: Verdicts) -> None:
        """Count one record."""
        self.count_many(verdicts, 1, n - 1, n, n)

    def count_many(self, verdicts: Verdicts, lines: int, since: int, last: int, first: int | Callable[[], int]) -> None:
        """Count ``lines`` records of these verdicts, all after line ``since``, the last on line ``last``;
        ``first`` is where the first was (or says it: asked only when a row may begin there)."""
        self.records += lines
        if not verdicts:
            self.not_errors += lines
            return
        by_verdict = self.by_verdict
        for verdict in verdicts:
            seen = by_verdict.get(id(verdict))
            if seen is not None and seen[0] is verdict:
                row = seen[1]
                row[1] += lines
                row[3] = max(row[3], last)
                if row[2] > since:  # the row's first line may be one of these (a response without a JSON
                    # body is counted when it ends, after later lines)
                    row[2] = min(row[2], first if isinstance(first, int) else first())
            else:
                row = self.new_row(verdict, first if isinstance(first, int) else first())
                row[1] += lines - 1
                row[3] = max(row[3], last)

    def new_row(self, verdict: Verdict, n: int) -> list[Any]:
        """Count ``verdict`` in its row, the first time this memo sees it."""
        row = self.rows.row(verdict, n)
        if len(self.by_verdict) >= CACHE_LIMIT:
            self.by_verdict.clear()
        self.by_verdict[id(verdict)] = (verdict, row)
        return row

    def flush_compiled(self) -> None:
        """Add to the rows the lines the compiled lookup counted in ``stats`` since the last flush."""
        for groups, stats in [*self.retired, (self.groups, self.stats)]:
            counts = memoryview(stats).cast("q")
            for at in compress(range(len(groups)), counts[::3]):
                self.count_many(groups[at], counts[3 * at], 0, counts[3 * at + 2], counts[3 * at + 1])
            stats[:] = bytes(len(stats))
        self.retired = []

    def flush(self) -> None:
        """Add to the rows the lines the pump counted in the exact level's tallies and the compiled
        lookup's stats since the last flush (each canon's first line was counted in this count
        already: its rows are there)."""
        self.flush_compiled()
        for tally in self.tallies:
            more = tally[1] - tally[3]
            if more:
                tally[3] = tally[1]
                self.count_many(tally[0], more, tally[2], tally[2], tally[2])

    def restart(self, rows: SummaryRows) -> None:
        """Count into ``rows`` from now on, from nothing; what the memo has learnt is kept."""
        self.flush()
        for tally in self.tallies:
            tally[1] = tally[3] = 0
        self.flags[:] = bytes(len(self.flags))  # (no group has a row in the new count)
        self.rows = rows
        self.by_verdict = {}
        self.records = 0
        self.not_errors = 0

    # -- learning --

    def learn_exact(self, body: bytes, keep: int, verdicts: Verdicts) -> None:
        """Remember ``body``'s verdicts for the lines that differ from it in digits only: told apart by
        the digits its template keeps (a code), from the second line of that form on."""
        exact = self.exact_entry
        if exact is None:
            key = self.exact_key
            if _first_sight(self.exact_once, key):
                return
            if len(self.exact) >= MEMO_LIMIT or len(self.tallies) >= CANON_LIMIT:
                self.flush()
                self.exact.clear()
                self.tallies = []
            kept = (int.from_bytes(body.translate(DIGIT_MARKS), "big") & keep).to_bytes(len(body), "big")
            slices = [slice(*m.span()) for m in MARKED.finditer(kept)]
            exact = self.exact[key] = (itemgetter(*slices) if slices else None, {})
            self.exact_entry = exact
        canon_of, table = exact
        canon = canon_of(body) if canon_of is not None else None
        if len(table) < MEMO_VALUES and canon not in table:
            tally = table[canon] = [verdicts, 1, 0, 1]  # (this line is counted already)
            self.tallies.append(tally)

    def learn_canon(self, body: bytes, template: list[Any], verdicts: Verdicts) -> None:
        """Remember the verdicts of ``body``'s canon in its folded template."""
        self.learn_exact(body, template[4], verdicts)
        by_canon = template[3]
        if len(by_canon) < MEMO_VALUES:
            by_canon[self.canon] = verdicts
            self.canons += 1
            self.canon_bytes += len(body)

    def learn_folded(self, body: bytes, made: tuple[int, int, int], verdicts: Verdicts) -> None:
        """Make the folded template of ``body`` and remember its verdicts there."""
        if len(self.memo) >= MEMO_LIMIT or self.canons >= CANON_LIMIT or self.canon_bytes >= MEMO_BYTES:
            self.memo.clear()
            self.canons = 0
            self.canon_bytes = 0
        keep, num, _ = made
        # the canon holds the kept bytes and the high half of each number's digit: 3 for a digit,
        # 4 or 6 for the hex letter FOLD also folds there. A canon is remembered only from a line
        # with digits there, so a line with a letter in a number never finds one.
        size = len(body)
        nums = num & int.from_bytes(b"\xf0" * size, "big")
        digits = int.from_bytes(b"\x30" * size, "big") & nums
        template = self.memo[self.key] = [keep | nums, nums, digits, {}, keep]
        self.canon = int.from_bytes(body, "big") & template[0]
        self.learn_canon(body, template, verdicts)

    def learn_runs(self, form: bytes, runs_template: RunTemplate, canon: Any, verdicts: Verdicts) -> None:
        if len(runs_template.by_canon) < MEMO_VALUES:
            runs_template.by_canon[canon] = verdicts
        self.learn_compiled(form, runs_template, canon, verdicts)
        swap = runs_template.learn_swap(canon, verdicts, self.explainer.patch_code)
        if swap is not None:
            self.learn_compiled_swap(form, runs_template, swap)

    def first_runs(self, body: bytes, verdicts: Verdicts) -> None:
        """A line no template knows: its run template is made from the second line of its form (from
        the first, for the compiled lookup, which takes every line of a block a template knows)."""
        form = self.runs_form
        if _scan is None and _first_sight(self.runs_once, form):  # (the compiled lookup: from the first)
            return
        made = run_template(body, self.explainer.detector)
        if made is None:
            return
        if len(self.runs) >= MEMO_LIMIT:
            self.runs.clear()
        self.runs[form] = made
        self.learn_runs(form, made, made.canon(runs_of(body)), verdicts)
        if _scan is None:  # (the compiled lookup needs no folded template)
            self.learn_folded(body, made.folded(body), verdicts)

    def first_folded(self, body: bytes, verdicts: Verdicts) -> None:
        """A long line no template knows: its folded template is made from the third of its form."""
        key = hash(self.key)
        seen = self.once.get(key, 0)
        if seen < SIGHTINGS - 1:
            if len(self.once) >= ONCE_LIMIT:
                self.once.clear()
            self.once[key] = seen + 1
            return
        del self.once[key]
        made = make_template(body, self.explainer.detector)
        if made is not None:
            self.learn_folded(body, made, verdicts)


def _first(ids: list[int | None], at: int, base: int) -> int:
    """The line number of the first line of ``ids`` (which follow line ``base``) with ``at``."""
    return base + 1 + ids.index(at)


def _first_sight(seen: dict[int, None], form: bytes) -> bool:
    """True the first time ``form`` is seen (it is noted, by its hash); False the next time."""
    key = hash(form)
    if key in seen:
        del seen[key]
        return False
    if len(seen) >= ONCE_LIMIT:
        seen.clear()
    seen[key] = None
    return True


def count_records(records: Iterator[Any], memo: LineMemo) -> None:
    """Count the records the memo left to the pump (those that take the careful path), then bring the
    rows up to date with the lines the pump counted in the memo."""
    record_verdicts = memo.explainer.record_verdicts
    count = memo.count
    for line_no, _end, value, http, _prefix, words in records:
        count(line_no, record_verdicts(value, http, words))
    memo.flush()


class SummaryRows:
    """The summary's rows, ``[verdict, count, first, last]``: one per (catalog, code), in bounded memory.

    Catalog entries are finite and each is counted exactly; so are the first
    :data:`UNKNOWN_CODES_LIMIT` distinct unknown codes. Later unknown codes share one row
    (``other``), with their count and first and last line.
    """

    def __init__(self) -> None:
        self.rows: dict[tuple[Any, ...], list[Any]] = {}
        self.limit = UNKNOWN_CODES_LIMIT
        self.unknown_codes = 0
        self.other: list[Any] | None = None

    def row(self, verdict: Verdict, n: int) -> list[Any]:
        """The row ``verdict`` counts in, with this record counted."""
        key = (verdict.catalog, verdict.code, verdict.entry is None)
        row = self.rows.get(key)
        if row is None:
            code = verdict.code
            if verdict.entry is None and (
                self.unknown_codes >= self.limit or (isinstance(code, str) and len(code) > MAX_CODE_CHARS)
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
        if new_unknown and self.unknown_codes + new_unknown > self.limit:
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
