"""Property-based tests: lookup and the CLI never raise on arbitrary input."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from unittest import mock

import msgspec
import pytest
from conftest import run
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from errcli._text import safe
from errcli.catalog import CatalogSet
from errcli.errors import UsageError
from errcli.explain.decode import ARRAY_OPEN as _ARRAY_OPEN
from errcli.explain.decode import js_object, python_dict
from errcli.explain.fields import _ERROR_WORDS_ZH_PATTERN, says_error
from errcli.explain.lines import Lines
from errcli.explain.template import FOLD, RUNS, _Parser, run_kinds, runs_key
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


# the prefix check of the explain reader's fast path, as it was first written (no possessive
# quantifiers, no look-ahead): the faster pattern must find exactly what this one finds
_ARRAY_OPEN_REFERENCE = re.compile(
    rb'\[(?:[\s"\[{\]]|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?\s*(?:[,\]]|$)|(?:true|false|null)\s*(?:[,\]]|$)|$)'
)
_PREFIX_BYTES = st.lists(
    st.sampled_from([b"[", b"]", b"{", b"-", b".", b"e", b"E", b"+", b",", b" ", b"\t", b"\n", b'"', b"1", b"0"])
    | st.sampled_from([b"true", b"false", b"null", b"tru", b"2025-10-14", b"12.5e-3", b"info", b"x"]),
    max_size=12,
).map(b"".join)


@settings(max_examples=3000, suppress_health_check=[HealthCheck.too_slow])
@given(_PREFIX_BYTES, st.integers(min_value=-1, max_value=40))
def test_array_open_check_is_the_reference_pattern(data: bytes, end: int) -> None:
    end = len(data) if end < 0 else min(end, len(data))
    expected = _ARRAY_OPEN_REFERENCE.search(data, 0, end)
    found = _ARRAY_OPEN.search(data, 0, end)
    assert (found and found.start()) == (expected and expected.start())
    for at in range(len(data)):
        assert bool(_ARRAY_OPEN.match(data, at)) == bool(_ARRAY_OPEN_REFERENCE.match(data, at))


def test_compiled_array_open_check_is_the_pattern() -> None:
    """The compiled summary lookup's own prefix check (errcli/explain/_scan.c) finds a `[` that may
    open an array exactly where the reader's pattern does."""
    try:
        from errcli.explain import _scan
    except ImportError:
        pytest.fail("the compiled lookup is not built: install the package (pip install -e .) with a C compiler")

    @settings(max_examples=3000, suppress_health_check=[HealthCheck.too_slow])
    @given(_PREFIX_BYTES, st.integers(min_value=0, max_value=40))
    def check(data: bytes, end: int) -> None:
        end = min(end, len(data))
        assert _scan.array_open(data, end) == (_ARRAY_OPEN.search(data, 0, end) is not None), (data, end)

    check()


_BODY_BYTES = st.lists(
    st.sampled_from([b"0", b"7", b"a", b"F", b"x", b"{", b'"', b":", b",", b" ", b"\\", b"u", b"-", b"\xe4\xb8\xad"]),
    max_size=60,
).map(b"".join)


@settings(max_examples=3000, suppress_health_check=[HealthCheck.too_slow])
@given(_BODY_BYTES)
def test_compiled_form_is_the_run_templates_key(body: bytes) -> None:
    """The form the compiled summary lookup computes for a line is template.runs_key of the line
    folded, and its runs are template.RUNS's, place for place."""
    try:
        from errcli.explain import _scan
    except ImportError:
        pytest.fail("the compiled lookup is not built: install the package (pip install -e .) with a C compiler")
    form, spans = _scan.form(body)
    assert form == runs_key(body.translate(FOLD))
    assert spans == [m.span() for m in RUNS.finditer(body)]


@settings(max_examples=3000, suppress_health_check=[HealthCheck.too_slow])
@given(_BODY_BYTES, st.data())
def test_compiled_run_kinds_are_the_run_templates(body: bytes, data: st.DataObject) -> None:
    """The compiled reading of a reference line's masks (which runs are kept, numbers', or must hold a
    digit) is template.run_kinds's, for any bytes and masks."""
    try:
        from errcli.explain import _scan
    except ImportError:
        pytest.fail("the compiled lookup is not built: install the package (pip install -e .) with a C compiler")
    masks = [
        bytearray(data.draw(st.lists(st.sampled_from([0, 0xFF]), min_size=len(body), max_size=len(body))))
        for _ in range(3)
    ]
    assert _scan.run_kinds(body, *masks) == run_kinds(body, *masks)


_JSONISH = st.lists(
    st.sampled_from([b"{", b"}", b"[", b"]", b":", b",", b" ", b"\t", b"\n", b'"', b"\\", b"-", b".", b"e", b"+"])
    | st.sampled_from([b"1", b"0", b"true", b"false", b"null", b"tru", b'"k"', b'"\\u4e2d"', b"\xe4\xb8", b"x"])
    | st.sampled_from([b'{"a": 1}', b'["s", 2.5e3]', b'{"code": 1001, "message": "x"}', b"[[[[", b"]]]]"]),
    max_size=30,
).map(b"".join)


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats(allow_nan=False) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)


@st.composite
def _json_bodies(draw: st.DrawFn) -> bytes:
    """A JSON text as encoders write it (spaced or not, escaped or not), sometimes cut or changed."""
    body = json.dumps(
        draw(_JSON_VALUES),
        ensure_ascii=draw(st.booleans()),
        separators=draw(st.sampled_from([(",", ":"), (", ", ": "), (" ,", " :  ")])),
    ).encode()
    if body and draw(st.booleans()):
        at = draw(st.integers(0, len(body) - 1))
        body = body[:at] + draw(st.sampled_from([b"", b" ", b"x", b"}", b'"', b"\\", b"\xff"])) + body[at + 1 :]
    return body


@settings(max_examples=5000, suppress_health_check=[HealthCheck.too_slow])
@given(_JSONISH | _json_bodies())
def test_compiled_parse_is_the_template_parser(body: bytes) -> None:
    """The compiled parser of a reference line gives template._Parser's nodes, places and all, or
    None where that finds no one JSON value; a key with an escape is left to _Parser (False)."""
    try:
        from errcli.explain import _scan
    except ImportError:
        pytest.fail("the compiled lookup is not built: install the package (pip install -e .) with a C compiler")
    parser = _Parser(body)
    try:
        root = parser.value(0)
        expected = None if body[parser.pos :].strip() else root
    except (ValueError, UnicodeDecodeError, msgspec.DecodeError):
        expected = None
    got = _scan.parse(body)
    if got is not False:
        assert got == expected, body


_STREAM_BYTES = st.lists(
    st.sampled_from([b"a", b"{}", b"\n", b"\r", b"\r\n", b"\n\n", b" ", b"\xe4\xb8\xad", b'{"code": 1}']), max_size=40
).map(b"".join)


@settings(max_examples=2000, suppress_health_check=[HealthCheck.too_slow])
@given(_STREAM_BYTES)
def test_compiled_line_starts_cut_lines_as_split_does(data: bytes) -> None:
    """A chunk's lines where they lie (lines.Lines, cut by the compiled line_starts) are the ones
    split gives, in order and from the end."""
    try:
        from errcli.explain import _scan
    except ImportError:
        pytest.fail("the compiled lookup is not built: install the package (pip install -e .) with a C compiler")
    cut = data.rfind(b"\n")
    assume(cut >= 0)
    lines = Lines(data, _scan.line_starts(data, cut))
    expected = data[:cut].split(b"\n")
    assert list(lines) == expected
    assert [lines[i] for i in range(-len(lines), 0)] == expected
    assert lines[1:3] == expected[1:3]


@settings(max_examples=1000, suppress_health_check=[HealthCheck.too_slow])
@given(_STREAM_BYTES, st.lists(st.integers(1, 9), min_size=1, max_size=8))
def test_chunk_lines_where_they_lie_are_the_split_ones(data: bytes, sizes: list[int]) -> None:
    """The lines of a stream read in chunks of any size are the same whether each chunk's lines are
    left where they lie (the compiled lookup's way) or split out, CRs and all."""
    from errcli.explain import lines as lines_module

    def reader() -> Callable[[int], bytes]:
        chunks = [data[sum(sizes[:k]) : sum(sizes[: k + 1])] for k in range(len(sizes))] + [data[sum(sizes) :]]
        chunks = [c for c in chunks if c]
        return lambda _n: chunks.pop(0) if chunks else b""

    where_they_lie = [line for block in lines_module.chunk_lines(reader()) for line in block]
    with mock.patch.object(lines_module, "compiled", None):
        split = [line for block in lines_module.chunk_lines(reader()) for line in block]
    assert where_they_lie == split


@st.composite
def _python_log_lines(draw: st.DrawFn) -> bytes:
    """A log line with a Python dict repr after its prefix (``order params {'symbol': …}``), sometimes
    cut short or changed, with words after it or bad bytes before."""
    prefix = draw(
        st.sampled_from([b"", b"2025-10-14 INFO [app] req=9f3a ", b"\xe8\xb5\x84\xe9\x87\x91 ", b"x\xff ", b"[ ] "])
    )
    value = draw(_JSON_VALUES.map(lambda v: {"v": v}) | st.dictionaries(st.text(max_size=4), _JSON_VALUES, max_size=3))
    body = draw(st.sampled_from([repr(value), repr(value)[:-1], repr(value).replace("'", '"', 1), repr(value) + "}"]))
    after = draw(st.sampled_from([b"", b" took 5ms", b" failed: timeout", b" {'x': 1}"]))
    return prefix + body.encode("utf-8", "surrogatepass") + after


@settings(max_examples=2000, suppress_health_check=[HealthCheck.too_slow])
@given(_python_log_lines())
def test_a_python_dict_line_reads_the_same_on_the_fast_path(line: bytes) -> None:
    """A line whose one value is a Python dict repr gives the record the careful path gives (which
    reads a stream's first line), when it is read on the fast path (any later line)."""
    from errcli.explain.reader import RecordReader

    start = line.find(b"{")
    try:
        json.loads(line[start:])
    except ValueError:
        pass
    else:
        assume(False)  # (JSON: not what this is about)
    careful = [r[2:] for r in RecordReader(io.BytesIO(line + b"\n")).raw()]
    fast = [r[2:] for r in RecordReader(io.BytesIO(b"{}\n" + line + b"\n")).raw()][1:]
    assert fast == careful


# the error words as they were first written: one case-blind search for English and Chinese alike
# (says_error now searches the text lower-cased, after a look for a part each English word holds)
_ERROR_WORDS_REFERENCE = re.compile(
    r"(?i)\b(?:err(?:or)?s?|fail(?:ed|ure|s)?|invalid|not\s+found|denied|exceed(?:s|ed)?|insufficient|missing"
    r"|unable|cannot|can't|refused|reject(?:ed|s|ing)?|expired?|forbidden|unauthori[sz]ed|unauthenticated"
    r"|not\s+authenticated|unavailable|timed?\s*out|timeout|too\s+many|not\s+allowed|not\s+supported"
    r"|unsupported|exhausted|incorrect|wrong|frozen|locked|suspended|banned|exception|panic|crash(?:ed)?"
    r"|violat\w*|mismatch|malformed|already|required|overflow|unknown|revoked|disabled|blocked"
    r"|could\s+not|couldn't|no\s+such\s+host|unreachable|hang\s+up|SSL_ERROR_\w+|not\s+valid|\w+(?:Exception|Error)"
    r"|E(?:TIMEDOUT|CONNREFUSED|CONNRESET|CONNABORTED|HOSTUNREACH|NETUNREACH|AI_AGAIN|NOTFOUND|PIPE))\b|"
    + _ERROR_WORDS_ZH_PATTERN
)
_WORDS = st.lists(
    st.sampled_from(["Error", "ERRORS", "fail", "Failed", "not  found", "timed out", "TimeOut", "TypeError"])
    | st.sampled_from(["ECONNRESET", "SSL_ERROR_SYSCALL", "错误", "资金不足", "ok", "info", "errorless", "xerror"])
    | st.sampled_from([" ", "_", "-", ".", "\t", "é", "资", "…", "2", "a", "ʼ", "K", "İ", "ß", "Σ"])
    | st.text(max_size=3),
    max_size=8,
).map("".join)


@settings(max_examples=3000, suppress_health_check=[HealthCheck.too_slow])
@given(_WORDS)
def test_error_words_are_the_reference_pattern(text: str) -> None:
    """The two searches says_error makes (English lower-cased, then Chinese) find what one case-blind
    search finds, for every text without the four letters outside ASCII that (?i) folds into ASCII."""
    assume(not any(c in text for c in "\u0130\u0131\u017f\u212a"))
    assert says_error(text) == (_ERROR_WORDS_REFERENCE.search(text) is not None), text


_JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["None", "True", "it's", 'say "hi"', "a\\b", "\n", "'", "\"'", "null", "{'x': 1}"])
)
_JSON_VALUES = st.recursive(
    _JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.text(max_size=8) | st.sampled_from(["code", "message", "None"]), _JSON_VALUES, max_size=5))
def test_a_python_dict_repr_reads_as_the_object_it_stands_for(value: dict[str, object]) -> None:
    """Whatever path reads it (the quick one or ast), a printed dict gives back the dict."""
    assert python_dict(repr(value).encode("utf-8", "surrogatepass")) == value


def _js(value: object) -> str:
    """``value`` as Node's util.inspect prints it: bare keys where they are identifiers, single quotes."""
    if isinstance(value, dict):
        items = ", ".join(f"{k if k.isidentifier() and k.isascii() else _js(k)}: {_js(v)}" for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    if isinstance(value, list):
        return "[ " + ", ".join(_js(v) for v in value) + " ]"
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n")
        return "'" + "".join(c if c >= " " else f"\\u{ord(c):04x}" for c in escaped) + "'"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=8)
_JS_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=10,
)


@settings(max_examples=800, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_TEXT | st.sampled_from(["code", "message", "status"]), _JS_VALUES, min_size=1, max_size=5))
def test_a_javascript_print_reads_as_the_object_it_stands_for(value: dict[str, object]) -> None:
    printed = _js(value)
    assert js_object(printed.encode()) == value, printed


@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=60), st.sampled_from([b"{ a: ", b"{ 'k': ", b"{\n  code: "]))
def test_a_javascript_literal_reader_never_raises(tail: bytes, head: bytes) -> None:
    value = js_object(head + tail)
    assert value is None or type(value) is dict


def test_an_odd_escape_in_a_python_print_warns_no_one() -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert python_dict(b"{'code': 1, 'message': 'a \\{ b', \"x\": 1}") == {"code": 1, "message": "a \\{ b", "x": 1}
