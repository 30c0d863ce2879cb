"""Line templates for the ``--summary`` memo: which bytes of a JSON line its verdict can depend on.

A template is taken from one line (the *reference*) and stands for every line of the same
length whose bytes differ from it only where the verdict cannot see: inside interpolated
values (a run of id characters holding a digit: amounts, order ids, uuids) in messages, and
anywhere in the values of keys the detector never reads (a price, an order id, a timestamp).
The rules mirror :meth:`errcli.explain.detect.Detector.shape_key`, which says what the walk
reads: the read keys' values (messages folded by :func:`errcli.explain.plan.fold_message`),
and the same for every object nested where the walk goes.

Lines are compared as integers, without decoding them:

* ``key``: the line with every digit and hex letter folded to ``1`` (:data:`FOLD`): lines of
  one template share it (their punctuation, quotes, keys and words sit at the same places);
* ``canon``: ``int.from_bytes(line) & keep`` — the bytes the verdict may depend on, exactly;
* ``number check``: where the reference has a number the line must have digits too (a hex
  letter there would be invalid JSON), ``int.from_bytes(line.translate(DIGITS)) & num``.

Known limits, the price of never decoding: a number with a leading zero (which no encoder
writes) is counted as the reference line is, and so, in a folded template, is an interpolated
id made only of the letters a-f where the reference had digits (run templates check for a digit).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from operator import itemgetter
from typing import TYPE_CHECKING, Any

import msgspec

from errcli.explain.compiled import scan as compiled
from errcli.explain.fields import INNER_STRIP

if TYPE_CHECKING:
    from errcli.explain.detect import Detector

# every digit and hex letter folds to 1: a uuid and an amount keep their length, not their value
_FOLDED = b"0123456789abcdefABCDEF"
_DIGITS = b"0123456789"
FOLD = bytes.maketrans(_FOLDED, b"1" * len(_FOLDED))
DIGITS = bytes.maketrans(_DIGITS, b"1" * len(_DIGITS))
ZEROS = bytes.maketrans(_DIGITS, b"0" * len(_DIGITS))  # lines equal after it differ in digits only


def _marks(chosen: bytes) -> bytes:
    """A translation table: 0xFF for the ``chosen`` bytes, 0 for every other."""
    return bytes(0xFF if b in chosen else 0 for b in range(256))


FOLD_MARKS = _marks(_FOLDED)
DIGIT_MARKS = _marks(_DIGITS)
MARKED = re.compile(rb"[^\x00]+")  # a run of marked bytes

MAX_DEPTH = 8  # deeper objects are kept whole (detect.MAX_WALK_DEPTH)
_FOLDED_PREFIX = 500  # fold_message looks at a message's first 500 characters
_TOKEN = re.compile(
    rb'\s*(?:"((?:[^"\\]|\\.)*)"|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|(true|false|null)|([{}\[\]:,]))', re.DOTALL
)
# an interpolated value as fold_message sees it; none starts right after a backslash (an escape)
_VARIABLE = re.compile(rb"(?<![\\A-Za-z0-9_.%$+/\-])[A-Za-z0-9_.%$+/\-]*\d[A-Za-z0-9_.%$+/\-]*")
_DIGIT = re.compile(rb"\d")
_EXPONENT = re.compile(rb"[eE]")
_decode_key = msgspec.json.Decoder(str).decode

# parsed nodes: ("o", [(key, key_start, key_end, node)]), ("a", [node]), ("s" | "n" | "l", start, end)
Node = tuple[Any, ...]


class _Parser:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def token(self) -> re.Match[bytes]:
        m = _TOKEN.match(self.data, self.pos)
        if m is None:
            raise ValueError(self.pos)
        self.pos = m.end()
        return m

    def member(self, depth: int, m: re.Match[bytes]) -> tuple[Any, ...]:
        """``"key": value`` of an object: the key's text and place, then the value."""
        if m.group(1) is None:
            raise ValueError("key")
        key = m.group(1)
        name = _decode_key(b'"' + key + b'"') if b"\\" in key else key.decode("utf-8")
        if self.token().group(4) != b":":
            raise ValueError(":")
        return (name, m.start(1), m.end(1), self.value(depth + 1))

    def value(self, depth: int, m: re.Match[bytes] | None = None) -> Node:
        if depth > 256:
            raise ValueError("deep")
        m = m or self.token()
        if m.group(1) is not None:
            return ("s", m.start(1), m.end(1))
        if m.group(2) is not None:
            return ("n", m.start(2), m.end(2))
        if m.group(3) is not None:
            return ("l", m.start(3), m.end(3))
        punct = m.group(4)
        if punct in (b"{", b"["):
            obj = punct == b"{"
            close = b"}" if obj else b"]"
            members: list[Any] = []
            m = self.token()
            if m.group(4) == close:
                return ("o" if obj else "a", members)
            while True:
                members.append(self.member(depth, m) if obj else self.value(depth + 1, m))
                m = self.token()
                if m.group(4) == close:
                    return ("o" if obj else "a", members)
                if m.group(4) != b",":
                    raise ValueError(",")
                m = self.token()
        raise ValueError(punct)


class _Masks:
    """Marks the reference's variable bytes: ``free`` may differ in any digit or hex letter,
    ``num`` are digits of numbers (they must stay digits)."""

    def __init__(self, data: bytes, detector: Detector) -> None:
        self.data = data
        self.detector = detector
        self.free = bytearray(len(data))
        self.num = bytearray(len(data))
        self.token = bytearray(len(data))  # interpolated values inside messages

    def tokens(self, start: int, end: int) -> None:
        """The interpolated values inside a message (as fold_message folds them)."""
        cut = min(end, start + _FOLDED_PREFIX)
        for m in _VARIABLE.finditer(self.data, start, cut):
            a, b = m.span()
            if b < cut or cut == end:  # a value cut at the fold's limit may go on past it
                self.free[a:b] = b"\xff" * (b - a)
                self.token[a:b] = b"\xff" * (b - a)

    def digits(self, start: int, end: int) -> None:
        """Digits that may change but must stay digits (a number, a notify key's serial)."""
        for m in _DIGIT.finditer(self.data, start, end):
            self.num[m.start()] = 0xFF
            self.free[m.start()] = 0xFF

    def unread(self, node: Node, depth: int) -> None:
        """A value under a key the walk does not read (a list's items, a price, an id)."""
        kind = node[0]
        if kind == "o":
            self.obj(node, depth + 1)
        elif kind == "a":
            for item in node[1]:
                self.unread(item, depth + 1)
        elif kind == "s":
            start, end = node[1], node[2]
            if self.data[start : start + 1] == b"{":
                return  # embedded JSON: the walk decodes it
            data = self.data
            i = start
            while i < end:  # the whole text, but never an escape's letter (\b is valid, \d is not)
                if data[i] == 0x5C:
                    i += 2
                    continue
                self.free[i] = 0xFF
                i += 1
        elif kind == "n" and not _EXPONENT.search(self.data, node[1], node[2]):
            self.digits(node[1], node[2])  # (with an exponent it is kept whole: 1e400 is out of range)

    def obj(self, node: Node, depth: int) -> None:
        if depth > MAX_DEPTH:
            return  # kept whole
        items = node[1]
        for _, k_start, k_end, _ in items:
            self.digits(k_start, k_end)  # no field the walk reads has a digit in its name
        plan = self.detector.plan(tuple(name for name, *_ in items))
        if plan.wrapper:
            return  # an HTTP client's response object: kept whole
        spec = dict(plan.read_spec)
        for name, _, _, value in items:
            fold = spec.get(name)
            if fold is None or (value[0] == "a" and name in plan.list_keys):
                self.unread(value, depth)  # (a list under a path head is walked like any list)
            elif value[0] == "s":
                if fold:
                    self.tokens(value[1], value[2])
            elif value[0] == "o":  # an error object: its message-like strings are folded
                for inner, _, _, item in value[1]:
                    if item[0] == "s" and inner in INNER_STRIP:
                        self.tokens(item[1], item[2])


def parse(body: bytes) -> Node | None:
    """The nodes of the one JSON value ``body`` holds, or None (compiled when the package was built
    so, but for a key with an escape)."""
    if compiled is not None:
        root = compiled.parse(body)
        if root is not False:
            return root
    parser = _Parser(body)
    try:
        root = parser.value(0)
    except (ValueError, UnicodeDecodeError, msgspec.DecodeError):
        return None
    return None if body[parser.pos :].strip() else root


def _masks(body: bytes, detector: Detector) -> _Masks | None:
    """The reference's variable bytes, or None when it is no plain JSON object."""
    root = parse(body)
    if root is None or root[0] != "o":
        return None
    masks = _Masks(body, detector)
    masks.obj(root, 0)
    return masks


def template(body: bytes, detector: Detector) -> tuple[int, int, int] | None:
    """``(keep, num, numref)`` of a JSON object line, or None when it is no plain JSON object."""
    masks = _masks(body, detector)
    if masks is None:
        return None
    return folded_template(body, masks.free, masks.num)


def folded_template(body: bytes, free: bytes | bytearray, num: bytes | bytearray) -> tuple[int, int, int]:
    """``(keep, num, numref)`` of ``body`` from its variable bytes (``free``) and numbers' digits."""
    size = len(body)
    full = (1 << (8 * size)) - 1
    keep = full & ~int.from_bytes(free, "big")
    digits = int.from_bytes(num, "big")
    return keep, digits, int.from_bytes(body.translate(DIGITS), "big") & digits


# --- run templates: lines of any length ------------------------------------------------------------

RUNS = re.compile(b"[" + re.escape(_FOLDED) + b"]+")  # what FOLD folds, run by run
_ONLY_RUNS = bytes(c if c in _FOLDED else 0x20 for c in range(256))  # every other byte a space


def runs_of(body: bytes) -> list[bytes]:
    """``RUNS.findall(body)``, the same list, made by translate and split (no match objects)."""
    return body.translate(_ONLY_RUNS).split()


Patch = Callable[[Any, int], Any]  # (verdict, code) → that verdict for another undocumented code, or None
Swap = tuple[int, tuple[bytes, ...], tuple[Any, ...]]  # (the code's place in a canon, the rest of it, verdicts)
_SWAPS = 1_000  # canons of undocumented codes a run template remembers
RUNS_MAX_LINE = 500  # a message's first 500 characters are folded: no line longer takes run templates


def runs_key(folded: bytes) -> bytes:
    """A folded line with each run of folded bytes cut to one: lines that differ in the length of
    their ids, amounts and numbers share it."""
    while b"11" in folded:
        folded = folded.replace(b"11", b"1")
    return folded


class RunTemplate:
    """What tells apart the verdicts of lines with one :func:`runs_key`, as ordinals into the line's
    runs (:data:`RUNS`): runs that are compared (``kept``), runs that must be all digits
    (a number's), runs that must hold a digit (an interpolated value's in a message)."""

    __slots__ = ("by_canon", "canon_of", "count", "digit_runs_of", "digits", "kept", "numbers", "numbers_of", "swaps")

    def __init__(self, count: int, kept: list[int], numbers: list[int], digits: list[int]) -> None:
        self.count = count
        self.kept = tuple(kept)
        self.canon_of = itemgetter(*kept) if kept else None
        self.numbers = tuple(numbers)
        self.digits = tuple(digits)
        # (each getter gives a tuple: the first run is named again, as a number's run has no letter in
        # it and a run holding a digit is no letter-only one, the answer stays the same)
        self.numbers_of = itemgetter(*numbers, numbers[0]) if numbers else None
        self.digit_runs_of = itemgetter(*digits, digits[0]) if digits else None
        self.by_canon: dict[Any, Any] = {}
        # the kept run that is an undocumented code → {the other kept runs: [verdict, confirmed]}
        self.swaps: dict[int, dict[tuple[bytes, ...], list[Any]]] = {}

    def fits(self, runs: list[bytes]) -> bool:
        """The runs are digits where the reference's numbers are and hold a digit where its
        interpolated values did."""
        return (
            len(runs) == self.count
            and (self.numbers_of is None or b"".join(self.numbers_of(runs)).isdigit())
            and (self.digit_runs_of is None or not any(map(bytes.isalpha, self.digit_runs_of(runs))))
        )

    def canon(self, runs: list[bytes]) -> Any:
        return self.canon_of(runs) if self.canon_of is not None else None

    # -- undocumented codes: one verdict, the number patched in --

    def learn_swap(self, canon: Any, verdicts: tuple[Any, ...], patch: Patch) -> Swap | None:
        """Note a canon whose one verdict is of an undocumented number that one of its kept runs is
        (the code). A second such canon that differs from it in that run only, whose verdict is the
        first one's with its number patched in (``patch``), confirms that run as the code's: lines that
        differ there only are counted from the first verdict, their number patched in (:meth:`swapped`).
        Returns what a confirmation confirms: (the code's place among the kept runs, the other kept
        runs, the first verdicts)."""
        if len(verdicts) != 1 or verdicts[0].entry is not None or type(verdicts[0].code) is not int:
            return None
        verdict = verdicts[0]
        runs = canon_runs(canon)
        at = [k for k, run in enumerate(runs) if run == str(verdict.code).encode()]
        if len(at) != 1:
            return None
        table = self.swaps.setdefault(at[0], {})
        rest = runs[: at[0]] + runs[at[0] + 1 :]
        seen = table.get(rest)
        if seen is None:
            if len(table) < _SWAPS:
                table[rest] = [verdicts, False]
        elif not seen[1] and seen[0][0].code != verdict.code:
            seen[1] = patch(seen[0][0], verdict.code) == verdict
            return (at[0], rest, seen[0]) if seen[1] else None
        return None

    def swapped(self, canon: Any, patch: Patch) -> tuple[Any, ...] | None:
        """The verdicts of a line whose canon differs from a confirmed one in the code's run only."""
        runs = canon_runs(canon)
        for k, table in self.swaps.items():
            run = runs[k]
            if not run.isdigit() or run[:1] == b"0" or len(run) > 15:
                continue
            seen = table.get(runs[:k] + runs[k + 1 :])
            if seen is not None and seen[1]:
                patched = patch(seen[0][0], int(run))
                if patched is not None:
                    return (patched,)
        return None

    def folded(self, body: bytes) -> tuple[int, int, int]:
        """The folded template of ``body``, a line this template fits: its runs not kept may vary."""
        free = bytearray(body.translate(FOLD_MARKS))  # every run may vary ...
        num = bytearray(len(body))
        kept, numbers = self.kept, self.numbers
        if kept or numbers:
            spans = [m.span() for m in RUNS.finditer(body)]
            for i in kept:  # ... but those kept
                a, b = spans[i]
                free[a:b] = bytes(b - a)
            for i in numbers:
                a, b = spans[i]
                num[a:b] = b"\xff" * (b - a)
        return folded_template(body, free, num)


def canon_runs(canon: Any) -> tuple[bytes, ...]:
    """A run template's canon as the tuple of its kept runs."""
    return canon if isinstance(canon, tuple) else () if canon is None else (canon,)


def run_template(body: bytes, detector: Detector) -> RunTemplate | None:
    """The run template of a JSON object line (at most :data:`RUNS_MAX_LINE` bytes), or None."""
    if len(body) > RUNS_MAX_LINE:
        return None
    masks = _masks(body, detector)
    if masks is None:
        return None
    kinds = compiled.run_kinds if compiled is not None else run_kinds
    return RunTemplate(*kinds(body, masks.free, masks.num, masks.token))


def run_kinds(
    body: bytes, free: bytearray, num: bytearray, token: bytearray
) -> tuple[int, list[int], list[int], list[int]]:
    """What each run of folded bytes is, read from the masks: (how many runs, those kept, those of
    numbers, those that must hold a digit). The compiled lookup has its own (``_scan.run_kinds``)."""
    kept: list[int] = []
    numbers: list[int] = []
    digits: list[int] = []
    count = 0
    for i, m in enumerate(RUNS.finditer(body)):
        count += 1
        a, b = m.span()
        escape = a > 0 and (body[a - 1] == 0x5C or (body[a - 1] == 0x75 and a > 1 and body[a - 2] == 0x5C))
        if escape or 0 in free[a:b]:  # an escape's letters, or bytes the verdict may depend on
            kept.append(i)
        elif 0 not in num[a:b]:
            numbers.append(i)
        elif any(num[a:b]):
            kept.append(i)  # part of a number (1e5): compared as it is
        elif any(token[a:b]) and not m.group().isalpha():
            digits.append(i)
    return count, kept, numbers, digits
