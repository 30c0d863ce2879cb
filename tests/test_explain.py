"""explain: the stream reader, finding errors, choosing the catalog, deviations, advice, JSON, summary."""

from __future__ import annotations

import io
import json
import os
import random
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest
from conftest import SHARED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from errcli.catalog import CatalogSet
from errcli.explain import (
    MAX_STORED_UNPARSED,
    ExplainedError,
    Explainer,
    ExplainReport,
    ExplainStream,
    LineTally,
    RecordReader,
    Summary,
    SummaryReport,
    SummaryRow,
    explain_stream,
    explain_text,
    iter_records,
    summarize,
)
from errcli.explain import memo as memo_module
from errcli.model import CONTRACT_KEYS
from errcli.output.json import error_dict, explain_document, report_document, summary_document
from errcli.output.reasons import describe

EXAMPLES = SHARED / "examples"


@pytest.fixture(scope="module")
def explainer(bundled: CatalogSet) -> Explainer:
    return Explainer(bundled)


def ids(report: ExplainReport) -> list[str]:
    return [f"{e.catalog}:{e.code}" for e in report.errors]


def candidates(error: ExplainedError) -> list[str]:
    """The answer and its first three alternatives, as ``catalog:code``."""
    return [f"{error.catalog}:{error.code}", *(f"{a.catalog}:{a.code}" for a in error.alternatives[:3])]


def one(explainer: Explainer, text: str) -> ExplainedError:
    report = explain_text(explainer, text)
    assert len(report.errors) == 1, (text, ids(report))
    return report.errors[0]


def dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


# --- the shared samples ------------------------------------------------------------------


def _expected_samples() -> list[tuple[str, list[str], str]]:
    path = EXAMPLES / "expected.tsv"
    if not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        name, _, expected = line.partition("\t")
        codes = re.findall(r"[a-z0-9-]+:[A-Za-z0-9_]+", expected.split("(", 1)[0])
        rows.append((name, codes, expected))
    return rows


def _sample_text(name: str) -> bytes:
    path = EXAMPLES / name
    if not path.exists():
        if os.environ.get("ERRCODE_REQUIRE_SEEDS"):
            pytest.fail(f"example input missing: {path}")
        pytest.skip(f"the shared examples are not beside this checkout ({EXAMPLES})")
    return path.read_bytes()


SAMPLES = _expected_samples()


def test_the_samples_are_there() -> None:
    if not SAMPLES:
        if os.environ.get("ERRCODE_REQUIRE_SEEDS"):
            pytest.fail(f"expected.tsv missing in {EXAMPLES}")
        pytest.skip(f"the shared examples are not beside this checkout ({EXAMPLES})")
    assert len(SAMPLES) >= 7


@pytest.mark.parametrize(("name", "expected", "note"), SAMPLES, ids=[s[0] for s in SAMPLES])
def test_shared_sample(explainer: Explainer, name: str, expected: list[str], note: str) -> None:
    report = explain_text(explainer, _sample_text(name))
    assert ids(report) == expected
    assert all(e.entry is not None and e.confidence >= 0.8 for e in report.errors)
    if "line 1 is not an error" in note:
        assert report.not_errors == 1
    if "line 3 is unparsed" in note:
        assert report.unparsed_lines == (3,)


def test_sample_details_and_advice(explainer: Explainer) -> None:
    ws = one(explainer, _sample_text("02-market-data-ws.txt").decode())
    assert ws.details["data.channel"] == "depth"
    assert ws.line == 1
    assert ws.end_line == 9
    ztdx = one(explainer, _sample_text("05-ztdx-details.txt").decode())
    assert ztdx.details == {"details.required": "653.25", "details.available": "500.00", "details.token": "USDT"}
    assert ztdx.action.kind == "do_not_retry"
    curl = one(explainer, _sample_text("06-curl-i-429.txt").decode())
    assert curl.http_status == 429
    assert (curl.action.kind, curl.action.seconds, curl.action.source) == ("wait", 30, "Retry-After header")
    assert curl.line == 5


# --- each envelope of each API, with the variations real servers send --------------------

ENVELOPES = [
    # market-data HTTP {code, message, data}
    ('{"code": 1001, "message": "Invalid or expired token"}', "market-data:1001"),
    ('{"message": "Invalid or expired token", "code": 1001}', "market-data:1001"),
    ('{"code":1001,"message":"API key expired","data":null}', "market-data:1001"),
    ('{"code": 1001, "message": "API Key 無效或已過期"}', "market-data:1001"),
    ('{"code": 1001, "message": "API Key 无效或已过期"}', "market-data:1001"),
    ('{"code": 1002, "message": "Token is required"}', "market-data:1002"),
    ('{"code": 1002, "message": "Missing API key"}', "market-data:1002"),
    ('{"code": 1003, "message": "IP address 10.1.2.3 not in whitelist"}', "market-data:1003"),
    ('{"code": 1004, "message": "Permission denied", "data": {"plan": "free"}}', "market-data:1004"),
    ('{"code": 2001, "message": "Invalid parameter: interval is required"}', "market-data:2001"),
    ('{"code": 2002, "message": "Symbol not found: FOO"}', "market-data:2002"),
    ('{"code": 2003, "message": "Invalid time range"}', "market-data:2003"),
    ('{"code": 2004, "message": "Request limit exceeded: max 1000"}', "market-data:2004"),
    ('{"code": 3001, "message": "Rate limit exceeded", "request_id": "r-17"}', "market-data:3001"),
    ('{"code": 3001, "message": "请求频率超限"}', "market-data:3001"),
    ('{"code": 3002, "message": "Monthly quota exhausted"}', "market-data:3002"),
    ('{"code": 3003, "message": "Connection limit exceeded"}', "market-data:3003"),
    ('{"code": 3004, "message": "Too many subscriptions"}', "market-data:3004"),
    ('{"code": 5000, "message": "Internal server error"}', "market-data:5000"),
    ('{"code": 5001, "message": "Data source unavailable"}', "market-data:5001"),
    ('{"code": 5002, "message": "Service temporarily unavailable"}', "market-data:5002"),
    # market-data WebSocket {cmd, code, message, data}
    (
        '{"cmd": "subscribe", "code": 4003, "message": "Depth subscriptions temporarily unavailable"}',
        "market-data:4003",
    ),
    (
        '{"cmd":"subscribe","code":4004,"message":"Trade subscriptions temporarily unavailable","data":{}}',
        "market-data:4004",
    ),
    ('{"cmd": "foo", "code": 4001, "message": "Unknown command"}', "market-data:4001"),
    ('{"cmd": "subscribe", "code": 4002, "message": "Invalid message format"}', "market-data:4002"),
    ('{"cmd": "subscribe", "code": 3004, "message": "Subscription limit exceeded"}', "market-data:3004"),
    # qaexchange HTTP {success: false, data, error: {code, message}}
    (
        '{"success": false, "data": null, "error": {"code": 1001, "message": "资金不足: 需要 1.00, 可用 0.50"}}',
        "qaexchange:1001",
    ),
    ('{"error": {"message": "资金不足", "code": 1001}, "success": false}', "qaexchange:1001"),
    ('{"success": false, "error": {"code": 1001, "message": "Insufficient funds"}}', "qaexchange:1001"),
    (
        '{"success": false, "error": {"code": 1002, "message": "超过持仓限额: 当前持仓占比 70%, 限制 50%"}}',
        "qaexchange:1002",
    ),
    ('{"success": false, "data": null, "error": {"code": 1007, "message": "合约不存在: XX9999"}}', "qaexchange:1007"),
    (
        '{"success": false, "data": null, "error": {"code": 2002, "message": "Account frozen: user42"}}',
        "qaexchange:2002",
    ),
    ('{"success": false, "data": null, "error": {"code": 3001, "message": "订单不存在: O98765"}}', "qaexchange:3001"),
    (
        '{"success": false, "data": null, "error": {"code": 3002, "message": "Order cannot be cancelled"}}',
        "qaexchange:3002",
    ),
    (
        '{"success": false, "data": null, "error": {"code": 5000, "message": "内部错误: 数据库连接失败"}}',
        "qaexchange:5000",
    ),
    ('{"success": false, "data": null, "error": {"code": 6001, "message": "结算价未设置: IF2401"}}', "qaexchange:6001"),
    ('{"success": false, "error": {"code": 9999, "message": "未知错误"}}', "qaexchange:9999"),
    # qaexchange WebSocket {type: "error", code, message}
    ('{"type": "error", "code": 9001, "message": "认证失败: Token 无效"}', "qaexchange:9001"),
    ('{"type": "error", "code": 9002, "message": "Not authenticated"}', "qaexchange:9002"),
    ('{"code": 9003, "type": "error", "message": "消息格式错误: JSON 解析失败"}', "qaexchange:9003"),
    ('{"type": "error", "code": 9004, "message": "请求频率过高: 限制 100 req/s"}', "qaexchange:9004"),
    ('{"type": "error", "code": 1001, "message": "资金不足"}', "qaexchange:1001"),
    # qaexchange's WebSocket order response (src/service/websocket/messages.rs: OrderResponse)
    (
        (
            '{"type": "order_response", "success": false, "order_id": null, "error_code": 1004, '
            '"error_message": "Risk ratio too high: 0.96 > 0.95"}'
        ),
        "qaexchange:1004",
    ),
    # qaexchange codes in a bare {code, message}: the message decides between the APIs
    ('{"code": 1001, "message": "资金不足: 需要 10000.00, 可用 5000.00"}', "qaexchange:1001"),
    ('{"code": 1004, "message": "风险度过高: 当前 96%, 限制 95%"}', "qaexchange:1004"),
    ('{"code": 2004, "message": "出金失败: 可用资金不足"}', "qaexchange:2004"),
    ('{"code": 5002, "message": "存储错误: MongoDB 写入失败"}', "qaexchange:5002"),
    ('{"code": 9005, "message": "服务不可用: 系统维护中"}', "qaexchange:9005"),
    # ztdx {error: "...", code: "UPPER_SNAKE", details}
    ('{"error": "余额不足,需要 10.5 USDT 作为保证金", "code": "INSUFFICIENT_BALANCE"}', "ztdx:INSUFFICIENT_BALANCE"),
    (
        '{"code": "INSUFFICIENT_BALANCE", "details": {"required": "1", "available": "0"}, "error": "x"}',
        "ztdx:INSUFFICIENT_BALANCE",
    ),
    ('{"error": "Invalid signature", "code": "SIGNATURE_INVALID"}', "ztdx:SIGNATURE_INVALID"),
    (
        '{"error": "杠杆倍数超出范围", "code": "INVALID_LEVERAGE", "details": {"max_leverage": 50}}',
        "ztdx:INVALID_LEVERAGE",
    ),
    ('{"error": "订单不存在", "code": "ORDER_NOT_FOUND"}', "ztdx:ORDER_NOT_FOUND"),
    ('{"error": "Too many requests", "code": "RATE_LIMIT_EXCEEDED"}', "ztdx:RATE_LIMIT_EXCEEDED"),
    # symbolic codes in any case or separator
    ('{"error": "balance too low", "code": "insufficient_balance"}', "ztdx:INSUFFICIENT_BALANCE"),
    ('{"error": "token expired", "code": "token-expired"}', "ztdx:TOKEN_EXPIRED"),
    ('{"error": "nonce reused", "code": "nonceInvalid"}', "ztdx:NONCE_INVALID"),
    # the usual field names outside the documented envelopes
    ('{"error_code": 3001, "error_message": "Rate limit exceeded"}', "market-data:3001"),
    ('{"errorCode": "ORDER_NOT_FOUND", "errorMessage": "order 42 not found"}', "ztdx:ORDER_NOT_FOUND"),
    ('{"err_code": 2002, "msg": "Symbol not found"}', "market-data:2002"),
    ('{"retCode": 2003, "retMsg": "Invalid time range", "result": {}, "time": 1764841277001}', "market-data:2003"),
    ('{"status": "error", "code": 9004, "msg": "请求频率过高"}', "qaexchange:9004"),
    ('{"code": "1001", "message": "Invalid or expired token"}', "market-data:1001"),
    ('{"code": 1001.0, "message": "Invalid or expired token"}', "market-data:1001"),
]


@pytest.mark.parametrize(("text", "expected"), ENVELOPES)
def test_envelopes(explainer: Explainer, text: str, expected: str) -> None:
    error = one(explainer, text)
    assert f"{error.catalog}:{error.code}" == expected, describe(error)
    assert error.entry is not None
    assert error.basis == "code"
    assert error.confidence >= 0.55, describe(error)
    assert describe(error)


@pytest.mark.parametrize(
    "text",
    [
        '{"cmd": "subscribe", "code": 4003, "message": "Depth subscriptions temporarily unavailable"}',
        '{"type": "error", "code": 9002, "message": "未认证"}',
        '{"success": false, "data": null, "error": {"code": 1001, "message": "资金不足"}}',
        '{"error": "余额不足", "code": "INSUFFICIENT_BALANCE"}',
    ],
)
def test_the_reason_names_the_envelope(explainer: Explainer, text: str) -> None:
    error = one(explainer, text)
    assert "shape is" in describe(error)
    assert error.catalog is not None
    assert error.catalog in describe(error)


def test_ambiguous_code_is_decided_by_the_message(explainer: Explainer) -> None:
    market = one(explainer, '{"code": 1001, "message": "Invalid or expired token"}')
    qa = one(explainer, '{"code": 1001, "message": "资金不足: 需要 100.00, 可用 50.00"}')
    assert (market.catalog, qa.catalog) == ("market-data", "qaexchange")
    assert "code.exact" in {f"{ev.kind}.{ev.note}" for ev in market.evidence}
    assert "message.agrees" in {f"{ev.kind}.{ev.note}" for ev in qa.evidence}
    assert market.confidence >= 0.8
    assert qa.confidence >= 0.8


def test_ambiguous_code_without_message_is_a_low_confidence_choice(explainer: Explainer) -> None:
    error = one(explainer, '{"code": 1003}')
    assert error.entry is not None
    assert error.confidence < 0.7
    assert {e.catalog for e in error.alternatives} == {"qaexchange"}


def test_a_unique_code_wins_over_a_shape(explainer: Explainer) -> None:
    # 9002 exists only in qaexchange, even when it arrives in market-data's WS shape
    error = one(explainer, '{"cmd": "auth", "code": 9002, "message": "未认证: 请先发送 auth 消息"}')
    assert (error.catalog, error.code) == ("qaexchange", 9002)


@pytest.mark.parametrize(
    ("text", "forced", "expected"),
    [
        ('{"code": 1001, "message": "Invalid or expired token"}', ["qaexchange"], "qaexchange:1001"),
        ('{"code": 1001, "message": "资金不足"}', ["market-data"], "market-data:1001"),
        ('{"code": 404, "message": "Not Found"}', ["ztdx"], "ztdx:404"),
    ],
)
def test_catalogs_force_a_choice(bundled: CatalogSet, text: str, forced: list[str], expected: str) -> None:
    report = explain_text(bundled, text, catalogs=forced)
    assert ids(report) == [expected]


def test_forced_catalog_without_the_code_reports_unknown(bundled: CatalogSet) -> None:
    report = explain_text(bundled, '{"code": 9002, "message": "未认证"}', catalogs=["market-data"])
    error = report.errors[0]
    assert (error.catalog, error.raw_code) == ("market-data", 9002)
    assert error.basis in ("unknown", "message")  # unknown, or what the message names in market-data
    assert "not documented" in describe(error)


# --- the reader: every input form -----------------------------------------------------------


def test_pretty_document_spanning_lines(explainer: Explainer) -> None:
    text = json.dumps({"success": False, "data": None, "error": {"code": 1005, "message": "自成交风险"}}, indent=2)
    error = one(explainer, text)
    assert (error.catalog, error.code, error.line, error.end_line) == ("qaexchange", 1005, 1, 8)


def test_json_lines_keep_their_line_numbers(explainer: Explainer) -> None:
    text = "\n".join(
        [
            '{"code": 0, "message": "success", "data": {}}',
            '{"code": 2002, "message": "Symbol not found"}',
            "",
            '{"type": "error", "code": 9001, "message": "认证失败"}',
        ]
    )
    report = explain_text(explainer, text)
    assert [(e.line, f"{e.catalog}:{e.code}") for e in report.errors] == [
        (2, "market-data:2002"),
        (4, "qaexchange:9001"),
    ]
    assert report.not_errors == 1
    assert report.lines == 4


@pytest.mark.parametrize(
    "text",
    [
        '{"code": 2002, "message": "Symbol not found"}{"code": 3001, "message": "Rate limit exceeded"}',
        '{"code": 2002, "message": "Symbol not found"} {"code": 3001, "message": "Rate limit exceeded"}',
        '{"code": 2002,\n "message": "Symbol not found"}{"code": 3001,\n "message": "Rate limit exceeded"}',
        '{\n"code": 2002, "message": "Symbol not found"\n}\n{\n"code": 3001, "message": "Rate limit exceeded"\n}',
        '[{"code": 2002, "message": "Symbol not found"}, {"code": 3001, "message": "Rate limit exceeded"}]',
        '[\n  {"code": 2002, "message": "Symbol not found"},\n  {"code": 3001, "message": "Rate limit exceeded"}\n]',
        '{"results": [{"code": 2002, "message": "Symbol not found"},{"code": 3001, "message": "Rate limit exceeded"}]}',
    ],
)
def test_several_values_concatenated_or_in_arrays(explainer: Explainer, text: str) -> None:
    report = explain_text(explainer, text)
    assert ids(report) == ["market-data:2002", "market-data:3001"]
    assert report.unparsed_count == 0


def test_concatenated_pretty_documents_get_their_own_lines(explainer: Explainer) -> None:
    text = (
        '{\n "code": 2002,\n "message": "Symbol not found"\n}{\n "code": 3001,\n "message": "Rate limit exceeded"\n}\n'
    )
    report = explain_text(explainer, text)
    assert [(e.line, e.end_line) for e in report.errors] == [(1, 4), (4, 7)]


@pytest.mark.parametrize(
    ("prefix", "suffix"),
    [
        ("2025-10-03T12:00:01Z ERROR resp=", ""),
        ("[2025-10-03 12:00:01] [worker-3] ERROR ", " (took 12ms)"),
        ("ERROR [api] response body: ", ""),
        ("Oct  3 12:00:01 host app[123]: ", ""),
        ("level=error msg=failed body=", " trace_id=abc"),
        ("\t  ", "   "),
    ],
)
def test_json_embedded_in_log_lines(explainer: Explainer, prefix: str, suffix: str) -> None:
    text = prefix + '{"code": 1001, "message": "Invalid or expired token"}' + suffix + "\n"
    error = one(explainer, text)
    assert f"{error.catalog}:{error.code}" == "market-data:1001"


def test_pretty_json_after_a_log_prefix(explainer: Explainer) -> None:
    text = '2025-10-03 ERROR response: {\n  "error": "余额不足",\n  "code": "INSUFFICIENT_BALANCE"\n}\nafter\n'
    report = explain_text(explainer, text)
    assert ids(report) == ["ztdx:INSUFFICIENT_BALANCE"]
    assert (report.errors[0].line, report.errors[0].end_line) == (1, 4)
    assert report.unparsed_lines == (5,)


def test_bom_and_crlf(explainer: Explainer) -> None:
    data = b"\xef\xbb\xbf" + b'{"code": 3002, "message": "Quota exhausted"}\r\n{"code": 0, "message": "success"}\r\n'
    report = explain_text(explainer, data)
    assert ids(report) == ["market-data:3002"]
    assert (report.not_errors, report.unparsed_count) == (1, 0)


def test_bom_before_pretty_json(explainer: Explainer) -> None:
    data = '\ufeff{\r\n  "code": 3002,\r\n  "message": "Quota exhausted"\r\n}\r\n'
    assert ids(explain_text(explainer, data)) == ["market-data:3002"]


CURL = [
    ("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 30\r\n\r\n", 429, 30),
    ("HTTP/2 429\r\nretry-after: 12\r\ncontent-type: application/json\r\n\r\n", 429, 12),
    ("HTTP/2.0 429 \nRETRY-AFTER: 7\n\n", 429, 7),
    (
        "HTTP/1.0 429 x\nDate: Fri, 03 Oct 2025 12:00:00 GMT\nRetry-After: Fri, 03 Oct 2025 12:01:30 GMT\n\n",
        429,
        90,
    ),
    ("HTTP/1.1 400 Bad Request\nContent-Type: application/json\nX-Request-Id: abc\n\n", 400, None),
    ("< HTTP/1.1 429 Too Many Requests\r\n< Retry-After: 5\r\n< \r\n", 429, 5),
]


@pytest.mark.parametrize(("head", "status", "retry"), CURL)
def test_curl_include_output(explainer: Explainer, head: str, status: int, retry: int | None) -> None:
    body = '{"code": 3001, "message": "Rate limit exceeded"}\n'
    report = explain_text(explainer, head + body)
    assert ids(report) == ["market-data:3001"]
    error = report.errors[0]
    assert error.http_status == status
    if retry is None:
        assert (error.action.kind, error.action.seconds) == ("wait", 60)  # the document's advice
        assert error.action.source == "documented"
    else:
        assert (error.action.kind, error.action.seconds, error.action.source) == ("wait", retry, "Retry-After header")
    assert report.unparsed_count == 0


def test_curl_with_pretty_body_and_records_reader(bundled: CatalogSet) -> None:
    text = (
        "HTTP/2 400\r\ncontent-type: application/json\r\n\r\n"
        '{\r\n  "error": "bad",\r\n  "code": "INVALID_AMOUNT"\r\n}\r\n'
    )
    tally = LineTally()
    records = list(iter_records(io.BytesIO(text.encode()), tally))
    assert len(records) == 1
    record = records[0]
    assert (record.line, record.end_line) == (4, 7)
    assert record.http is not None
    assert (record.http.version, record.http.status, record.http.line) == ("HTTP/2", 400, 1)
    assert ("content-type", "application/json") in record.http.headers
    assert (tally.http_lines, tally.record_lines, tally.unparsed_count, tally.lines) == (3, 4, 0, 7)
    report = explain_text(bundled, text)
    assert ids(report) == ["ztdx:INVALID_AMOUNT"]
    assert report.errors[0].http_status == 400


def test_curl_without_json_body_reports_the_status(explainer: Explainer) -> None:
    report = explain_text(
        explainer, "HTTP/1.1 502 Bad Gateway\nContent-Type: text/html\n\n<html><body>502</body></html>\n"
    )
    assert ids(report) == ["http:502"]
    error = report.errors[0]
    assert (error.line, error.basis, error.http_status) == (1, "http_status", 502)
    assert report.unparsed_lines == ()  # the HTML body belongs to the response
    assert error.message == "502"
    empty = explain_text(explainer, "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 120\r\n\r\n")
    assert ids(empty) == ["http:503"]
    assert (empty.errors[0].action.kind, empty.errors[0].action.seconds) == ("wait", 120)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            'Bearer realm="api", error="invalid_token", error_description="The access token expired"',
            "ztdx:TOKEN_EXPIRED",
        ),
        ('Bearer error=invalid_token, error_description="jwt expired"', "ztdx:TOKEN_EXPIRED"),
    ],
)
def test_curl_bodiless_401_reads_www_authenticate(explainer: Explainer, header: str, expected: str) -> None:
    """A 401 without a body says what went wrong in its WWW-Authenticate header (RFC 6750's
    ``error_description``, else ``error``): that is the message the catalogs are searched with."""
    report = explain_text(explainer, f"HTTP/2 401\r\nwww-authenticate: {header}\r\ncontent-length: 0\r\n\r\n")
    assert len(report.errors) == 1
    error = report.errors[0]
    assert error.http_status == 401
    found = candidates(error)
    assert expected in found, found
    assert error.message is not None
    assert "expired" in error.message
    plain = explain_text(explainer, 'HTTP/2 401\r\nwww-authenticate: Basic realm="api"\r\n\r\n')
    assert plain.errors[0].message is None  # a realm alone says nothing


@pytest.mark.parametrize("key", ["type", "event"])
def test_an_error_event_without_a_code(explainer: Explainer, key: str) -> None:
    """``{"event": "error", "message": …}`` (a WebSocket API's error frame) is an error by its kind alone."""
    error = one(explainer, f'{{"{key}": "error", "message": "Insufficient funds: available=10.5, required=200.0"}}')
    assert "qaexchange:1001" in candidates(error), candidates(error)
    quiet = explain_text(explainer, f'{{"{key}": "trade", "message": "filled 3 @ 101.5"}}')
    assert (quiet.errors, quiet.not_errors) == ((), 1)


def test_curl_verbose_transcript(explainer: Explainer) -> None:
    """``curl -v``: ``*`` notes and ``>`` request lines around the response, a bare ``<`` ending its
    headers, a note between the headers and the body; the body is the response's, the request's
    path steers the meaning."""
    text = (
        "*   Trying 127.0.0.1:8094...\n* Connected to 127.0.0.1 (127.0.0.1) port 8094\n"
        "> POST /api/account/withdraw HTTP/1.1\n> Host: 127.0.0.1:8094\n> Content-Length: 69\n>\n"
        "< HTTP/1.1 400 Bad Request\n< content-type: application/json\n<\n"
        "* Connection #0 to host 127.0.0.1 left intact\n"
        '{"success":false,"data":null,"error":{"code":400,"message":"Insufficient available balance"}}\n'
    )
    error = one(explainer, text)
    assert error.http_status == 400
    assert error.message == "Insufficient available balance"
    assert "qaexchange:2004" in candidates(error)[:4], candidates(error)


def test_curl_401_whose_body_is_only_its_reason_reads_www_authenticate(explainer: Explainer) -> None:
    text = (
        'HTTP/2 401\r\nwww-authenticate: Bearer error="invalid_token", '
        'error_description="The access token expired"\r\ncontent-type: text/plain\r\n\r\nUnauthorized\r\n'
    )
    error = one(explainer, text)
    assert "ztdx:TOKEN_EXPIRED" in candidates(error), candidates(error)
    assert error.message is not None
    assert "expired" in error.message


def test_curl_interim_and_success_responses(explainer: Explainer) -> None:
    text = (
        "HTTP/1.1 100 Continue\r\n\r\n"
        "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n\r\n"
        '{"error": "JWT expired", "code": "TOKEN_EXPIRED"}\r\n'
    )
    report = explain_text(explainer, text)
    assert ids(report) == ["ztdx:TOKEN_EXPIRED"]
    assert report.errors[0].http_status == 401
    ok = explain_text(explainer, 'HTTP/1.1 200 OK\n\n{"code": 0, "message": "success", "data": {}}\n')
    assert (ok.errors, ok.not_errors) == ((), 1)


def test_curl_status_with_message_only_body(explainer: Explainer) -> None:
    found = one(explainer, 'HTTP/1.1 404 Not Found\n\n{"error": "Order not found"}\n')
    assert f"{found.catalog}:{found.code}" == "ztdx:ORDER_NOT_FOUND"
    assert found.basis == "message"
    assert "best guess" in describe(found)
    nothing = one(explainer, 'HTTP/1.1 500 Internal Server Error\n\n{"message": "oops"}\n')
    assert (nothing.catalog, nothing.code, nothing.basis) == ("http", 500, "http_status")
    assert nothing.action.kind == "retry"


def test_two_curl_responses_in_a_row(explainer: Explainer) -> None:
    text = (
        'HTTP/1.1 429 Too Many Requests\nRetry-After: 3\n\n{"code": 3001, "message": "Rate limit exceeded"}\n'
        'HTTP/1.1 403 Forbidden\n\n{"code": 1004, "message": "Permission denied"}\n'
    )
    report = explain_text(explainer, text)
    assert [(f"{e.catalog}:{e.code}", e.http_status, e.action.seconds) for e in report.errors] == [
        ("market-data:3001", 429, 3),
        ("market-data:1004", 403, None),
    ]


# --- nested results ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            dumps(
                {
                    "code": 0,
                    "message": "success",
                    "data": {
                        "results": [
                            {"symbol": "A", "code": 0, "message": "ok"},
                            {"symbol": "ZZZ", "code": 2002, "message": "Symbol not found"},
                        ]
                    },
                }
            ),
            ["market-data:2002"],
        ),
        (
            dumps(
                {
                    "success": True,
                    "data": {
                        "orders": [{"id": 1, "error": {"code": 1001, "message": "资金不足"}}, {"id": 2, "error": None}]
                    },
                    "error": None,
                }
            ),
            ["qaexchange:1001"],
        ),
        (
            '{"level": "error", "ts": "2025-10-03", "response": {"code": 1002, "message": "Token is required"}}',
            ["market-data:1002"],
        ),
        (
            '{"level": "error", "body": "{\\"code\\": 3001, \\"message\\": \\"Rate limit exceeded\\"}"}',
            ["market-data:3001"],
        ),
        (
            '{"errors": [{"code": "ORDER_NOT_FOUND", "message": "no order 1"}, {"code": "INVALID_SYMBOL"}]}',
            ["ztdx:ORDER_NOT_FOUND", "ztdx:INVALID_SYMBOL"],
        ),
    ],
)
def test_errors_nested_in_results(explainer: Explainer, text: str, expected: list[str]) -> None:
    assert ids(explain_text(explainer, text)) == expected


def test_nested_objects_without_message_are_not_errors(explainer: Explainer) -> None:
    text = '{"code": 0, "message": "success", "data": {"instrument": {"code": "AAPL", "name": "Apple"}, "status": 1}}'
    report = explain_text(explainer, text)
    assert (report.errors, report.not_errors) == ((), 1)


# --- deviations ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "status", "alternative"),
    [
        ('{"code": 404, "message": "Order not found"}', 404, "ztdx:ORDER_NOT_FOUND"),
        ('{"code": 500, "message": "Internal server error"}', 500, "market-data:5000"),
        ('{"code": 429, "msg": "Too many requests, slow down"}', 429, "ztdx:RATE_LIMIT_EXCEEDED"),
        ('{"status": 400, "error": "参数错误"}', 400, "market-data:2001"),
        ('{"code": 503, "message": "服务暂时不可用"}', 503, "market-data:5002"),
    ],
)
def test_code_that_is_an_http_status(explainer: Explainer, text: str, status: int, alternative: str) -> None:
    error = one(explainer, text)
    assert error.http_status == status
    assert error.entry is not None
    assert "is an HTTP status" in describe(error)
    # the message's meaning is the answer, or leads the alternatives to the HTTP meaning
    answers = [f"{error.catalog}:{error.code}"] + [f"{e.catalog}:{e.code}" for e in error.alternatives]
    assert alternative in answers[:4]
    assert f"http:{status}" in answers or error.basis == "message"


@pytest.mark.parametrize(
    ("text", "catalog", "code"),
    [
        ('{"code": 7777, "message": "something new"}', "market-data", 7777),
        ('{"success": false, "data": null, "error": {"code": 1234, "message": "新的错误"}}', "qaexchange", 1234),
        ('{"type": "error", "code": 9100, "message": "会话过期"}', "qaexchange", 9100),
        ('{"error": "brand new", "code": "SOMETHING_NEW"}', "ztdx", "SOMETHING_NEW"),
        ('{"error_code": "E_WEIRD", "error_message": "weird"}', None, "E_WEIRD"),
    ],
)
def test_undocumented_codes_are_reported_unknown(
    explainer: Explainer, text: str, catalog: str | None, code: object
) -> None:
    report = explain_text(explainer, text)
    error = report.errors[0]
    assert (error.catalog, error.code, error.entry, error.basis) == (catalog, code, None, "unknown")
    assert "not documented" in describe(error)
    assert report.unknown == 1
    assert not error.identified


def test_unknown_code_lists_what_the_message_resembles(explainer: Explainer) -> None:
    error = one(explainer, '{"code": 7777, "message": "余额不足"}')
    assert error.entry is None
    found = {f"{e.catalog}:{e.code}" for e in error.alternatives}
    assert {"qaexchange:1001", "ztdx:INSUFFICIENT_BALANCE"} <= found
    assert "a guess" in describe(error)


def test_a_code_found_only_in_another_api_than_the_shape_says(explainer: Explainer) -> None:
    # qaexchange's own envelope with a code only market-data documents, and a qaexchange-like message
    error = one(explainer, '{"success": false, "error": {"code": 4003, "message": "撮合引擎繁忙"}}')
    assert (error.catalog, error.raw_code) == ("qaexchange", 4003)
    assert error.entry is None or error.entry.catalog == "qaexchange"
    assert "market-data:4003" in [f"{e.catalog}:{e.code}" for e in error.alternatives]
    # ... but when the message is market-data's own, it is that entry
    agreed = one(
        explainer,
        '{"success": false, "error": {"code": 4003, "message": "Depth subscriptions temporarily unavailable"}}',
    )
    assert (agreed.catalog, agreed.code) == ("market-data", 4003)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"error": "余额不足,需要 653.25 USDT 作为保证金"}', "ztdx:INSUFFICIENT_BALANCE"),
        ('{"error": "Order not found"}', "ztdx:ORDER_NOT_FOUND"),
        ('{"message": "Rate limit exceeded", "status": "error"}', "market-data:3001"),
        ('{"detail": "Insufficient funds"}', "qaexchange:1001"),
        ('{"success": false, "error": {"message": "合约不存在: IF9999"}}', "qaexchange:1007"),
        ('{"error": {"message": "Nonce invalid or already used"}}', "ztdx:NONCE_INVALID"),
    ],
)
def test_error_text_without_code_is_a_best_guess(explainer: Explainer, text: str, expected: str) -> None:
    error = one(explainer, text)
    assert f"{error.catalog}:{error.code}" == expected
    assert error.basis == "message"
    assert error.raw_code is None
    assert "best guess" in describe(error)
    assert 0.3 <= error.confidence <= 0.75


def test_error_text_that_matches_nothing_is_unknown(explainer: Explainer) -> None:
    error = one(explainer, '{"error": "zxqv wprt"}')
    assert (error.entry, error.basis, error.confidence) == (None, "unknown", 0.0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"code": 1001, "message": "Insufficient funds: need 100, have 50"}', "qaexchange:1001"),
        ('{"code": 1002, "message": "Position limit exceeded"}', "qaexchange:1002"),
        ('{"code": 2001, "message": "Account already exists: user001"}', "qaexchange:2001"),
        ('{"code": 3003, "message": "Order submission failed: engine busy"}', "qaexchange:3003"),
        ('{"success": false, "error": {"code": 6003, "message": "Forced liquidation failed"}}', "qaexchange:6003"),
        ('{"error": "Insufficient available balance", "code": "INSUFFICIENT_BALANCE"}', "ztdx:INSUFFICIENT_BALANCE"),
        ('{"code": 1004, "message": "Risk ratio too high: 96%"}', "qaexchange:1004"),
    ],
)
def test_english_messages_for_chinese_documents(explainer: Explainer, text: str, expected: str) -> None:
    error = one(explainer, text)
    assert f"{error.catalog}:{error.code}" == expected
    assert not error.contradiction


def test_message_that_contradicts_the_code(explainer: Explainer) -> None:
    error = one(explainer, '{"code": 1001, "message": "Order not found"}')
    assert error.entry is not None
    assert error.code == 1001  # the code's entry is kept ...
    assert error.contradiction
    assert error.confidence <= 0.5
    assert "contradicts" in describe(error)
    assert "ztdx:ORDER_NOT_FOUND" in [f"{e.catalog}:{e.code}" for e in error.alternatives]  # ... with what fits


@pytest.mark.parametrize("message", ["请求过于频繁", "請求過於頻繁，請稍後再試"])
def test_the_same_meaning_in_other_words_is_the_code(explainer: Explainer, message: str) -> None:
    """9004 with "too frequent" in words the document does not use: the documented meaning, confidently."""
    error = one(explainer, json.dumps({"type": "error", "code": 9004, "message": message}, ensure_ascii=False))
    assert (error.catalog, error.code, error.contradiction) == ("qaexchange", 9004, False)
    assert error.confidence >= 0.75


def test_a_generic_symbolic_code_keeps_the_other_apis_in_view(explainer: Explainer) -> None:
    """RATE_LIMIT_EXCEEDED is ZTDX's, but any API may spell its rate limit so: outside ZTDX's shape,
    the other APIs' rate-limit entries follow."""
    error = one(explainer, '{"code": "RATE_LIMIT_EXCEEDED", "message": "Rate limit exceeded"}')
    assert (error.catalog, error.code) == ("ztdx", "RATE_LIMIT_EXCEEDED")
    assert "market-data:3001" in candidates(error), candidates(error)
    own = one(explainer, '{"error": "Rate limit exceeded", "code": "RATE_LIMIT_EXCEEDED"}')  # ZTDX's own shape
    assert own.alternatives == ()


def test_a_catch_all_code_gives_way_to_the_message(explainer: Explainer) -> None:
    """9999 (未知错误, for what fits no other code) with a message that names a documented entry of the
    same API: that entry leads, 9999 follows."""
    body = {"success": False, "data": None, "error": {"code": 9999, "message": "Order volume 0.5 below minimum 1"}}
    error = one(explainer, json.dumps(body))
    assert (error.catalog, error.code) == ("qaexchange", 1008), candidates(error)
    assert "qaexchange:9999" in candidates(error)
    vague = one(explainer, json.dumps({**body, "error": {"code": 9999, "message": "未知错误: something broke"}}))
    assert (vague.catalog, vague.code) == ("qaexchange", 9999)


def test_inside_its_own_shape_a_code_is_weighed_against_its_own_api(explainer: Explainer) -> None:
    """A DIFF notify is QAExchange's: code 5001 (配置错误) with "Unsupported duration" is the server's own
    use of the number, not a contradiction by another API's entry ("unsupported token")."""
    notify = {"type": "MESSAGE", "level": "ERROR", "code": 5001, "content": "Unsupported duration: 7000000000"}
    frame = {"aid": "rtn_data", "data": [{"notify": {"chart_error": notify}}]}
    error = one(explainer, json.dumps(frame))
    assert error.entry is None
    assert (error.catalog, error.contradiction) == ("qaexchange", False)
    assert "qaexchange:5001" in candidates(error)


def test_consistent_message_is_no_contradiction(explainer: Explainer) -> None:
    error = one(explainer, '{"code": 3001, "message": "订单不存在: O12345"}')
    assert (error.catalog, error.contradiction, error.alternatives) == ("qaexchange", False, ())


# --- success responses ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '{"code": 0, "message": "success", "data": {"price": 1}}',
        '{"code": 0, "msg": "ok"}',
        '{"cmd": "subscribe", "code": 0, "message": "success", "data": {"channel": "depth"}}',
        '{"success": true, "data": {"order_id": "O1"}, "error": null}',
        '{"type": "order_response", "success": true, "order_id": "O1", "error_code": null, "error_message": null}',
        '{"type": "subscribed", "channel": "trade"}',
        '{"code": 200, "message": "OK"}',
        '{"status": "ok", "result": []}',
        '{"user": "bob", "message": "hello"}',
        "[]",
    ],
)
def test_success_responses_are_not_errors(explainer: Explainer, text: str) -> None:
    report = explain_text(explainer, text)
    assert report.errors == ()
    assert report.not_errors == 1
    assert report.unparsed_count == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"success": true, "message": "Invalid password", "data": null}', "qaexchange:9001"),
        ('{"code": 0, "message": "Symbol not found", "data": []}', "market-data:2002"),
        ('{"code": 200, "msg": "Quota exhausted: 100000/100000 requests used", "data": null}', "market-data:3002"),
        ('{"status": "ok", "message": "余额不足"}', "ztdx:INSUFFICIENT_BALANCE"),
    ],
)
def test_a_success_that_says_an_error(explainer: Explainer, text: str, expected: str) -> None:
    """A body flagged a success whose message reports an error (a login's ``"message": "Invalid
    password"``) is an error, explained by its message; its success code is no meaning of it."""
    error = one(explainer, text)
    assert expected in candidates(error), candidates(error)
    assert error.entry is None or error.entry.category != "success"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"message": "Connection limit exceeded", "data": {"open": 10, "max": 10}}', "market-data:3003"),
        ('{"message": "The API key provided has been revoked."}', "market-data:1001"),
        ('{"msg": "Insufficient funds: available=10.00, required=250.00"}', "qaexchange:1001"),
        ('{"message": "配额已用尽，请等待配额重置或升级套餐", "data": null}', "market-data:3002"),
    ],
)
def test_a_lone_message_that_reports_an_error(explainer: Explainer, text: str, expected: str) -> None:
    """A body that is only a message (and data) is an error when its words say one (API gateways'
    ``{"message": "Forbidden"}``); a message that says nothing of the kind stays no error."""
    error = one(explainer, text)
    assert expected in candidates(error), candidates(error)


FAILED_PARSE = (
    "[2025-01-15T08:03:29Z ERROR qaexchange::service::websocket::diff_handler] Failed to parse DIFF message: "
    '{"aid":"req_login","bid":"qaexchange","user_name":"trader_wang"}, '
    "error: missing field `password` at line 1 column 64"
)


def test_an_error_line_around_a_json_that_is_no_error(bundled: CatalogSet, explainer: Explainer) -> None:
    """A server's error log line that quotes the request it failed on (``Failed to parse DIFF message:
    {…}, error: missing field …``): the JSON is no error, the line around it is. At INFO, or when the
    words after the JSON say nothing of an error, it stays no error; the summary counts it alike."""
    error = one(explainer, FAILED_PARSE + "\n")
    assert "qaexchange:9003" in candidates(error), candidates(error)
    assert error.message is not None
    assert "missing field" in error.message
    assert "req_login" not in error.message
    for quiet in (
        FAILED_PARSE.replace(" ERROR ", " INFO "),
        '2025-01-15T08:03:29Z ERROR gateway: {"aid":"peek_message"} took 3 ms',
    ):
        report = explain_text(explainer, quiet + "\n")
        assert (report.errors, report.not_errors) == ((), 1), quiet
    _agree(bundled, "\n".join([FAILED_PARSE, FAILED_PARSE.replace("64", "71"), '{"code": 0}'] * 3).encode())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('Disconnected (code: 1008, reason: "connection limit exceeded: 5/5")', "market-data:3003"),
        ('Disconnected (code: 1006, reason: "")', None),
        ("WebSocket connection failed: CloseEvent {isTrusted: true, wasClean: false, code: 1002, reason: ''}", None),
        ('[ws] closed code=1012 reason="Service Restart" url=wss://ws.example.com/v1/stream', None),
    ],
)
def test_a_websocket_close_code_is_no_api_code(explainer: Explainer, text: str, expected: str | None) -> None:
    """A close frame's code (RFC 6455's 1000–1015: 1006 abnormal closure, 1008 policy) is no catalog's
    code 1006 or 1008: the reason says what went wrong, else the error is unknown."""
    error = one(explainer, text + "\n")
    if expected is None:
        assert error.entry is None or error.entry.catalog == "http", candidates(error)
    else:
        assert expected in candidates(error), candidates(error)
    assert error.code not in (1002, 1006, 1008, 1012) or error.entry is None


def test_a_normal_websocket_close_is_no_error(explainer: Explainer) -> None:
    report = explain_text(explainer, '[ws] closed code=1000 reason="client requested"\n')
    assert report.errors == ()


@pytest.mark.parametrize(
    "text",
    [
        "curl: (6) Could not resolve host: api.example.com",
        "curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to api.example.com:443",
        '2025/12/04 11:02:17 Post "https://api.example.com/v1/login": dial tcp: lookup api.example.com: no such host',
    ],
)
def test_a_failure_before_any_response_is_an_unknown_error(explainer: Explainer, text: str) -> None:
    """A request that never got an answer (DNS, TLS, a refused connection) is an error no catalog
    documents: explained as unknown, not dismissed as input without a response."""
    error = one(explainer, text + "\n")
    assert error.entry is None, candidates(error)


AXIOS_ERROR = """AxiosError: Request failed with status code 400
    at settle (/app/node_modules/axios/dist/node/axios.cjs:1966:12) {
  code: 'ERR_BAD_REQUEST',
  config: { method: 'post', url: 'https://api.example.com/v1/orders', data: '{"symbol":"BTC-USDT"}' },
  response: {
    status: 400,
    statusText: 'Bad Request',
    headers: Object [AxiosHeaders] { 'content-type': 'application/json', 'x-request-id': undefined },
    data: { error: 'Insufficient balance: need 10.5 USDT', code: 'INSUFFICIENT_BALANCE', details: [Object] }
  }
}
"""


def test_a_javascript_print_of_a_response_is_read(explainer: Explainer) -> None:
    """Node's console.log of an axios error (bare keys, single quotes, ``Object [AxiosHeaders] {…}``,
    ``[Object]``, ``undefined``, over many lines) is the object it stands for; so is one line of it."""
    report = explain_text(explainer, AXIOS_ERROR)
    assert ids(report) == ["ztdx:INSUFFICIENT_BALANCE"]
    error = report.errors[0]
    assert (error.http_status, error.line, error.end_line) == (400, 2, 11)
    ok = "{status: 200, statusText: 'OK', headers: {...}, data: {code: 0, message: 'success', data: [Array]}}\n"
    assert (explain_text(explainer, ok).errors, explain_text(explainer, ok).not_errors) == ((), 1)
    line = "resp: { code: 2002, message: 'Symbol not found: XYZ', data: null }\n"
    assert ids(explain_text(explainer, line)) == ["market-data:2002"]


def test_a_pprinted_python_dict_over_lines_is_one_record(explainer: Explainer) -> None:
    text = "{'data': None,\n 'error': {'code': 1001, 'message': 'Insufficient funds'},\n 'success': False}\n"
    error = one(explainer, text)
    assert (error.catalog, error.code, error.line, error.end_line) == ("qaexchange", 1001, 1, 3)


def test_an_unclosed_javascript_literal_gives_its_lines_back(explainer: Explainer) -> None:
    """A literal that never closes does not swallow the records after it."""
    text = "debug { a: 1,\n" + '{"code": 2002, "message": "Symbol not found"}\n' + "tail\n"
    report = explain_text(explainer, text)
    assert ids(report) == ["market-data:2002"]
    assert report.lines == 3


def test_a_debug_print_inside_an_error_log_line(explainer: Explainer) -> None:
    """A Rust ``{:?}`` print (``SubscribeQuote { ins_list: "…" }``) is read like a JavaScript literal; when it
    is no error, the words of the warning around it are."""
    line = (
        "[2025-01-15T08:04:10Z WARN  qaexchange::service::websocket::diff_handler] Unauthenticated DIFF message "
        'from session 0f7a3c9e, rejecting: SubscribeQuote { ins_list: "SHFE.cu2501" }\n'
    )
    assert "qaexchange:9002" in candidates(one(explainer, line))


def test_a_rejected_item_inside_a_success_says_why(explainer: Explainer) -> None:
    """``{"success": true, "data": {"status": "rejected", "message": "Insufficient funds…"}}``: the order
    was answered, and refused; a rejected item that says nothing stays no error."""
    body = {"success": True, "data": {"order_id": "O1760", "status": "rejected", "message": "Insufficient funds"}}
    error = one(explainer, json.dumps(body))
    assert "qaexchange:1001" in candidates(error), candidates(error)
    quiet = explain_text(explainer, json.dumps({"success": True, "data": {"order_id": "O1", "status": "rejected"}}))
    assert quiet.errors == ()


def test_a_success_whose_message_is_a_documented_error_word_for_word(explainer: Explainer) -> None:
    """No error word, but the message is a catalog's text almost verbatim (没有待领取的佣金): an error; a
    success's ordinary message stays none."""
    error = one(explainer, '{"success": true, "message": "没有待领取的佣金", "data": {"claimed": "0.00"}}')
    assert (error.catalog, error.code) == ("ztdx", "NO_PENDING_EARNINGS")
    for fine in ('{"success": true, "message": "Order placed", "data": {}}', '{"code": 0, "msg": "订单已提交"}'):
        report = explain_text(explainer, fine)
        assert (report.errors, report.not_errors) == ((), 1), fine


def test_a_structured_log_record_s_own_words_give_way_to_the_response_it_holds(explainer: Explainer) -> None:
    """zap/pino: ``{"level": "error", "msg": "order rejected", "resp": {…the server's error…}}``: the
    response inside says what went wrong, not the log's own message."""
    inner = {"success": False, "data": None, "error": {"code": 1004, "message": "Risk ratio too high: 0.97"}}
    record = {"level": "error", "ts": "2025-01-14T10:16:44.012+0800", "msg": "order rejected", "resp": inner}
    error = one(explainer, json.dumps(record))
    assert (error.catalog, error.code) == ("qaexchange", 1004)


def test_a_rust_client_error_names_its_status(explainer: Explainer) -> None:
    text = 'Error: reqwest::Error { kind: Status(502), url: Url { scheme: "http", host: Some(Domain("localhost")) } }\n'
    error = one(explainer, text)
    assert error.http_status == 502


# --- unparsed lines --------------------------------------------------------------------------------


def test_unparsed_lines_are_counted_with_their_numbers(explainer: Explainer) -> None:
    text = "\n".join(
        [
            "starting up",  # 1
            '{"code": 2002, "message": "Symbol not found"}',  # 2
            "{'code': 1001, 'message': 'Invalid or expired token'}",  # 3 a Python dict repr: read
            "",  # 4 blank: neither parsed nor unparsed
            "DEBUG entering handler {",  # 5 an opened brace that never becomes JSON
            '{"code": 3001, "message": "Rate limit exceeded"}',  # 6
            '{"code": 1001, "message": "truncated',  # 7
            '{"code": 1002, "message": "Token is required"}',  # 8
        ]
    )
    report = explain_text(explainer, text)
    assert ids(report) == ["market-data:2002", "market-data:1001", "market-data:3001", "market-data:1002"]
    assert [e.line for e in report.errors] == [2, 3, 6, 8]
    assert report.unparsed_lines == (1, 5, 7)
    assert report.unparsed_count == 3


def test_unparsed_line_numbers_are_capped_but_counted(explainer: Explainer) -> None:
    lines = [f"noise {i}" for i in range(MAX_STORED_UNPARSED + 500)]
    lines.append('{"code": 2002, "message": "Symbol not found"}')
    report = explain_text(explainer, "\n".join(lines))
    assert report.unparsed_count == MAX_STORED_UNPARSED + 500
    assert report.unparsed_lines == tuple(range(1, MAX_STORED_UNPARSED + 1))
    assert ids(report) == ["market-data:2002"]
    assert report.errors[0].line == MAX_STORED_UNPARSED + 501


# --- hostile input: never an exception -------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b'\xff\xfe\xfa invalid utf-8 {"code": 1001, "message": "x\xff"}',
        b"\x00\x00\x00{\x00}\x00",
        b"[" * 200_000,
        b"{" * 200_000,
        b'{"a":' * 100_000,
        b'{"code": ' + b"9" * 10_000 + b', "message": "huge"}',
        b'{"code": 1, "message": 1e99999}',
        b'{"code": 1001, "message": "\\ud800 lone surrogate"}',
        bytes(range(256)) * 40,
        b"}{][" * 10_000,
        b'"' * 50_000,
    ],
)
def test_hostile_input_never_raises(explainer: Explainer, data: bytes) -> None:
    report = explain_text(explainer, data)
    assert report.lines >= 1
    assert report.unparsed_count + report.records >= 1


def test_huge_single_line_is_capped(explainer: Explainer) -> None:
    big = b'{"code": 1001, "message": "' + b"x" * (20 << 20) + b'"}\n{"code": 2002, "message": "Symbol not found"}\n'
    stream = explain_stream(explainer, io.BytesIO(big))
    errors = list(stream)
    assert [f"{e.catalog}:{e.code}" for e in errors] == ["market-data:2002"]
    assert stream.unparsed_lines == [1]
    assert errors[0].line == 2


def test_huge_pretty_document_is_dropped_but_its_end_is_found(explainer: Explainer) -> None:
    inner = ",\n".join(f'  "k{i}": "{"v" * 100}"' for i in range(12_000))
    text = "{\n" + inner + "\n}\n" + '{"code": 2002, "message": "Symbol not found"}\n'
    report = explain_text(explainer, text)
    assert ids(report) == ["market-data:2002"]
    assert report.errors[0].line == 12_003
    assert report.unparsed_count == 12_002


def test_a_garbage_opener_does_not_swallow_the_rest(explainer: Explainer) -> None:
    text = (
        "[" * 300
        + "\n"
        + '{"code": 2002, "message": "Symbol not found"}\n'
        + 'x {"code": 3001, "message": "Rate limit exceeded"}\n'
    )
    report = explain_text(explainer, text)
    assert [(e.line, e.code) for e in report.errors] == [(2, 2002), (3, 3001)]
    assert report.unparsed_lines == (1,)


def test_deep_nesting_across_lines_is_skipped(explainer: Explainer) -> None:
    text = "[\n" * 1000 + "]\n" * 1000 + '{"code": 2002, "message": "Symbol not found"}\n'
    report = explain_text(explainer, text)
    assert ids(report) == ["market-data:2002"]
    assert report.errors[0].line == 2001


# --- sources --------------------------------------------------------------------------------------


def test_sources_bytes_text_and_iterables(explainer: Explainer, tmp_path: Path) -> None:
    text = '{"code": 2002, "message": "Symbol not found"}\n{"code": 3001, "message": "Rate limit exceeded"}\n'
    path = tmp_path / "log.ndjson"
    path.write_text(text, encoding="utf-8")
    expected = ["market-data:2002", "market-data:3001"]
    with path.open("rb") as binary:
        assert [f"{e.catalog}:{e.code}" for e in explain_stream(explainer, binary)] == expected
    with path.open(encoding="utf-8") as textual:
        assert [f"{e.catalog}:{e.code}" for e in explain_stream(explainer, textual)] == expected
    assert [f"{e.catalog}:{e.code}" for e in explain_stream(explainer, text.splitlines())] == expected
    assert [f"{e.catalog}:{e.code}" for e in explain_stream(explainer, text.encode().splitlines())] == expected


def test_stream_yields_before_the_input_ends(explainer: Explainer) -> None:
    read: list[int] = []

    def lines() -> Iterator[bytes]:
        for i in range(1, 1000):
            read.append(i)
            yield b'{"code": 2002, "message": "Symbol not found"}\n'

    stream = explain_stream(explainer, lines())
    first = next(iter(stream))
    assert first.line == 1
    assert len(read) <= 2  # one line of look-ahead at most: works with `tail -f`


def test_text_from_the_input_is_kept_as_is(explainer: Explainer) -> None:
    message = "[bold red]boom[/] \x1b[31mred\x1b[0m [link=http://x]y[/link] \u202e"
    error = one(explainer, dumps({"code": 7777, "message": message}))
    assert error.message == message
    assert error.raw == {"code": 7777, "message": message}
    assert message not in describe(error)


# --- advice and details -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "seconds", "source"),
    [
        ('{"code": 3001, "message": "Rate limit exceeded"}', "wait", 60, "documented"),
        ('{"type": "error", "code": 9004, "message": "请求频率过高"}', "wait", 1, "documented"),
        ('{"success": false, "error": {"code": 5000, "message": "内部错误"}}', "wait", 1, "documented"),
        ('{"code": 5001, "message": "Data source unavailable"}', "retry", None, "documented"),
        ('{"error": "db down", "code": "DATABASE_ERROR"}', "retry", None, "documented"),
        ('{"code": 1001, "message": "Invalid or expired token"}', "do_not_retry", None, "documented"),
        ('{"error": "余额不足", "code": "INSUFFICIENT_BALANCE"}', "do_not_retry", None, "documented"),
        ('{"code": 7777, "message": "??"}', "do_not_retry", None, "derived"),
    ],
)
def test_advised_action(explainer: Explainer, text: str, kind: str, seconds: int | None, source: str) -> None:
    error = one(explainer, text)
    assert (error.action.kind, error.action.seconds) == (kind, seconds)
    if error.entry is not None:
        assert error.action.source == error.entry.retryable_source
    else:
        assert error.action.source == source


def test_retry_after_header_wins_over_the_document(explainer: Explainer) -> None:
    error = one(
        explainer,
        'HTTP/1.1 429 x\nRetry-After: 5\n\n{"type": "error", "code": 9004, "message": "请求频率过高"}\n',
    )
    assert (error.action.kind, error.action.seconds, error.action.source) == ("wait", 5, "Retry-After header")
    assert error.action.advice is not None or error.entry is not None


def test_documented_retry_advice_is_carried(explainer: Explainer) -> None:
    error = one(explainer, '{"code": 3001, "message": "Rate limit exceeded"}')
    assert error.entry is not None
    assert error.action.advice == error.entry.retry_advice
    assert error.action.advice is not None


def test_details_from_the_response(explainer: Explainer) -> None:
    ztdx = one(
        explainer,
        dumps(
            {
                "error": "余额不足",
                "code": "INSUFFICIENT_BALANCE",
                "details": {"required": "10", "available": "2", "token": "USDC"},
            }
        ),
    )
    assert ztdx.details == {"details.required": "10", "details.available": "2", "details.token": "USDC"}
    market = one(
        explainer,
        dumps(
            {
                "cmd": "subscribe",
                "code": 4003,
                "message": "Depth unavailable",
                "data": {"channel": "depth", "suggestion": "use HTTP"},
            }
        ),
    )
    assert market.details == {"data.channel": "depth", "data.suggestion": "use HTTP"}
    bare = one(explainer, '{"code": 2002, "message": "Symbol not found"}')
    assert bare.details == {}


# --- the JSON document (SPEC §7) ---------------------------------------------------------------


def test_json_document_keys(explainer: Explainer) -> None:
    text = "\n".join(
        [
            '{"code": 1001, "message": "Order not found"}',
            "not json",
            '{"code": 0, "message": "success"}',
            '{"code": 7777, "message": "new"}',
        ]
    )
    report = explain_text(explainer, text)
    document = report_document(report, describe)
    assert list(document)[:4] == ["schema_version", "errors", "not_errors", "unparsed_lines"]
    assert (document["not_errors"], document["unparsed_lines"], document["unparsed_count"]) == (1, [2], 1)
    first, unknown = document["errors"]
    assert list(first)[:11] == [
        "line",
        "catalog",
        "code",
        "http_status",
        "message",
        "confidence",
        "reason",
        "evidence",
        "action",
        "entry",
        "alternatives",
    ]
    assert (first["line"], first["code"], first["message"]) == (1, 1001, "Order not found")
    assert isinstance(first["confidence"], float)
    assert set(CONTRACT_KEYS) <= set(first["entry"])
    assert first["entry"]["title"]["en"]
    assert all(set(CONTRACT_KEYS) <= set(alt) for alt in first["alternatives"])
    assert (unknown["entry"], unknown["code"], unknown["catalog"]) == (None, 7777, "market-data")
    # it is plain data: JSON all the way down, and the same as the streamed document's parts
    assert json.loads(msgspec.json.encode(document)) == document
    errors = [error_dict(e, describe(e)) for e in report.errors]
    assert explain_document(errors, report.not_errors, report.unparsed_lines, report.unparsed_count) == document


def test_error_dict_extras(explainer: Explainer) -> None:
    error = one(explainer, 'HTTP/1.1 429 x\nRetry-After: 9\n\n{"code": "rate_limit_exceeded", "error": "slow down"}\n')
    data = error_dict(error, describe(error))
    assert (data["code"], data["raw_code"], data["http_status"]) == ("RATE_LIMIT_EXCEEDED", "rate_limit_exceeded", 429)
    assert data["action"] == {
        "kind": "wait",
        "seconds": 9,
        "source": "Retry-After header",
        "fallback_seconds": data["action"]["fallback_seconds"],
        "advice": data["action"]["advice"],
    }
    assert data["basis"] == "code"


# --- summary ---------------------------------------------------------------------------------------


def test_summary_counts_first_and_last_line(bundled: CatalogSet) -> None:
    lines = [
        '{"code": 3001, "message": "Rate limit exceeded"}',  # 1
        '{"code": 0, "message": "success"}',  # 2
        '{"code": 3001, "message": "Rate limit exceeded", "id": 7}',  # 3
        "garbage",  # 4
        '{"error": "余额不足", "code": "INSUFFICIENT_BALANCE"}',  # 5
        '{"code": 3001, "message": "Rate limit exceeded"}',  # 6
        '{"code": 7777, "message": "x"}',  # 7
    ]
    report = summarize(bundled, io.BytesIO("\n".join(lines).encode()))
    rows = [(r.catalog, r.code, r.count, r.first_line, r.last_line) for r in report.rows]
    assert rows == [
        ("market-data", 3001, 3, 1, 6),
        ("ztdx", "INSUFFICIENT_BALANCE", 1, 5, 5),
        ("market-data", 7777, 1, 7, 7),
    ]
    assert (report.errors, report.unknown, report.not_errors, report.unparsed_lines, report.lines) == (5, 1, 1, (4,), 7)
    document = summary_document(report)
    assert document["summary"][0]["title"]["en"] == "Request rate limit exceeded"
    assert document["summary"][0]["severity"] == "warning"


def _varied_log() -> str:
    parts = []
    for i in range(400):
        parts.extend(
            [
                dumps({"success": False, "data": None, "error": {"code": 1001, "message": f"资金不足: 需要 {i}.00"}}),
                f'{{"code": 0, "message": "success", "data": {{"price": {i}}}}}',
                f"2025-10-03T12:00:{i % 60:02d}Z ERROR "
                + dumps({"error": "订单不存在", "code": "ORDER_NOT_FOUND", "rid": i}),
                dumps({"code": 0, "message": "success", "data": {"results": [{"code": 2002, "message": "not found"}]}}),
                f'{{"code": {7000 + i % 3}, "message": "odd {i}"}}',
                "noise"
                if i % 7
                else 'HTTP/1.1 429 x\nRetry-After: 1\n\n{"code": 3001, "message": "Rate limit exceeded"}',
                '{"code": 3001, "message": "Rate limit exceeded"}',
                '{"code": 3001, "message": "Rate limit exceeded"}',
            ]
        )
    return "\n".join(parts) + "\n"


def test_summary_agrees_with_the_full_stream(bundled: CatalogSet) -> None:
    fast, stream, slow = _both_ways(bundled, _varied_log().encode())
    assert [(r.catalog, r.code, r.count, r.first_line, r.last_line) for r in fast.rows] == [
        (r.catalog, r.code, r.count, r.first_line, r.last_line) for r in slow.rows()
    ]
    assert (fast.not_errors, fast.unparsed_count, fast.lines, fast.records) == (
        stream.not_errors,
        stream.unparsed_count,
        stream.lines,
        stream.records,
    )
    assert fast.errors == slow.total == stream.errors


# --- properties ----------------------------------------------------------------------------------

JSONISH = st.sampled_from(
    [
        "{ code: 2002, message: 'Symbol not found' }",
        "resp: { status: 400,",
        '  data: { error: "余额不足", code: "INSUFFICIENT_BALANCE" } }',
        'ERROR failed to parse: {"aid": "peek_message"}, error: missing field `x`',
        '{"code": 1001, "message": "Invalid or expired token"}',
        '{"success": false, "error": {"code": 1001, "message": "资金不足"}}',
        '{"type": "error", "code": 9002, "message": "未认证"}',
        '{"error": "余额不足", "code": "INSUFFICIENT_BALANCE"}',
        '{"code": 0, "message": "success"}',
        "{",
        "}",
        "[",
        "]",
        '"',
        "\\",
        "HTTP/1.1 429 Too Many Requests",
        "HTTP/2 200",
        "Retry-After: 3",
        "",
        "  ",
        "\ufeff",
        "\r",
        "ERROR ",
        '{"a": [1, ',
        "],",
        "null",
        "[]",
        "1e99999",
    ]
)


def _lines_of(data: bytes) -> int:
    """Lines ended by LF, CRLF or a lone CR (the last one may have no end); UTF-16 as its text."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        data = data.decode("utf-16", "replace").encode("utf-8")
    if not data:
        return 0
    ends = data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")
    return ends + (0 if data.endswith((b"\n", b"\r")) else 1)


def _check_accounting(data: bytes) -> None:
    tally = LineTally()
    records = list(RecordReader(io.BytesIO(data), tally))
    assert tally.lines == _lines_of(data)
    assert tally.record_lines + tally.blank_lines + tally.http_lines + tally.unparsed_count == tally.lines
    covered = {n for r in records for n in range(r.line, r.end_line + 1)}
    assert not covered & set(tally.unparsed_lines)
    assert all(1 <= r.line <= r.end_line <= tally.lines for r in records)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_reader_never_raises_on_bytes(data: bytes) -> None:
    _check_accounting(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=500))
def test_reader_never_raises_on_text(text: str) -> None:
    _check_accounting(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(JSONISH, max_size=5).map("".join), max_size=15).map("\n".join))
def test_every_line_is_accounted_for(text: str) -> None:
    _check_accounting(text.encode("utf-8", "surrogatepass"))


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(JSONISH, max_size=4).map("".join), max_size=12).map("\n".join))
def test_every_record_is_an_error_or_not(bundled: CatalogSet, text: str) -> None:
    stream = explain_stream(bundled, io.BytesIO(text.encode("utf-8", "surrogatepass")))
    errors = list(stream)
    with_errors = len({(e.line, id(e.raw)) for e in errors})
    assert stream.records >= stream.not_errors
    assert stream.records - stream.not_errors <= len(errors)
    assert with_errors <= len(errors)
    fast = summarize(bundled, io.BytesIO(text.encode("utf-8", "surrogatepass")))
    assert (fast.errors, fast.not_errors, fast.records, fast.unparsed_count) == (
        len(errors),
        stream.not_errors,
        stream.records,
        stream.unparsed_count,
    )


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
        lambda kids: (
            st.lists(kids, max_size=4)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "code",
                        "message",
                        "error",
                        "success",
                        "type",
                        "data",
                        "results",
                        "status",
                        "detail",
                        "errors",
                        "cmd",
                        "x",
                    ]
                ),
                kids,
                max_size=5,
            )
        ),
        max_leaves=20,
    )
)
def test_explaining_any_json_never_raises(bundled: CatalogSet, value: object) -> None:
    text = dumps(value)
    report = explain_text(bundled, text)
    assert report.records >= 1 or report.unparsed_count == 1
    for error in report.errors:
        assert 0.0 <= error.confidence <= 1.0
        assert describe(error)
        json.dumps(error_dict(error, describe(error)), default=str)


def _rows(report_rows: list[SummaryRow] | tuple[SummaryRow, ...]) -> list[tuple[object, ...]]:
    return [(r.catalog, r.code, r.count, r.first_line, r.last_line) for r in report_rows]


def _both_ways(bundled: CatalogSet, data: bytes) -> tuple[SummaryReport, ExplainStream, Summary]:
    """``data`` summarised (the line memo) and explained in full, then summed up the same way."""
    fast = summarize(bundled, io.BytesIO(data))
    stream = explain_stream(bundled, io.BytesIO(data))
    slow = Summary()
    for error in stream:
        slow.add(error)
    return fast, stream, slow


def _agree(bundled: CatalogSet, data: bytes) -> None:
    """The summary of ``data`` (the line memo) says what explaining every line in full says."""
    fast, stream, slow = _both_ways(bundled, data)
    assert _rows(fast.rows) == _rows(slow.rows())
    assert (fast.not_errors, fast.unparsed_count, fast.lines, fast.records) == (
        stream.not_errors,
        stream.unparsed_count,
        stream.lines,
        stream.records,
    )


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled", "interpreted"])
def test_summary_agrees_with_the_full_stream_on_a_real_looking_log(
    bundled: CatalogSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compiled: bool
) -> None:
    """The line-shape memo of --summary gives what the full path gives, line for line, on a log with
    prefixes, interpolated ids and amounts, escaped Chinese, WS frames and plain lines: with its
    compiled first level, and with the interpreter's lookup that a build without a C compiler has."""
    if compiled:
        assert memo_module.COMPILED, "the compiled lookup is not built: pip install -e . with a C compiler"
    else:
        monkeypatch.setattr(memo_module, "_scan", None)
    import importlib.util

    spec = importlib.util.spec_from_file_location("reallog", Path(__file__).parent / "bench" / "reallog.py")
    assert spec is not None
    assert spec.loader is not None
    reallog = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reallog)
    path = tmp_path / "real.log"
    reallog.write_log(path, lines=6000)
    _agree(bundled, path.read_bytes())


@pytest.mark.parametrize(
    "prefix",
    [
        "[2025-10-14T07:30:00.123Z] [info] api: ",
        "2025-10-14 07:30:00,126 ERROR [ztdx.api] (e9791519) <- 400 ",
        "[12:30:01] ",
    ],
)
def test_log_prefixes_with_brackets_are_prefixes(explainer: Explainer, prefix: str) -> None:
    report = explain_text(explainer, prefix + '{"code": 2002, "message": "Symbol not found"}\n')
    assert ids(report) == ["market-data:2002"]
    assert report.unparsed_count == 0


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a server fault on an order submission: the order may exist; look before sending it again
        (
            (
                '2025-10-03T10:00:00Z ERROR POST /api/order/submit resp={"success":false,"data":null,'
                '"error":{"code":5000,"message":"Internal error"}}'
            ),
            "check_first",
        ),
        ('{"success":false,"data":null,"error":{"code":3003,"message":"Order submission failed"}}', "check_first"),
        (
            '2025-10-03T10:00:00Z WARN POST /v1/withdraw <- {"code": 500, "message": "Internal Server Error"}',
            "check_first",
        ),
        # the same fault on a query changes nothing: retry
        (
            '2025-10-03T10:00:00Z ERROR GET /api/order/list resp={"success":false,"error":{"code":5000,"message":"x"}}',
            "wait",
        ),
        ('{"code": 5000, "message": "internal error"}', "retry"),
    ],
)
def test_unknown_outcome_on_a_call_that_moves_something_is_checked_first(
    explainer: Explainer, text: str, kind: str
) -> None:
    error = one(explainer, text)
    assert error.action.kind == kind, (error.catalog, error.code, error.action)
    if kind == "check_first":
        assert error.action.source == "derived"


def test_a_gateway_page_is_the_http_meaning(explainer: Explainer) -> None:
    text = "HTTP/1.1 504 Gateway Time-out\n\n<html><head><title>504 Gateway Time-out</title></head>\n</html>\n"
    report = explain_text(explainer, text)
    assert ids(report) == ["http:504"]
    assert report.unparsed_count == 0
    assert report.errors[0].message == "504 Gateway Time-out"


@pytest.mark.parametrize(
    ("title", "status"),
    [
        ("Attention Required! | Cloudflare", 403),
        ("Access denied | api.example.com used Cloudflare to restrict access", 403),
        ("Just a moment...", 503),
    ],
)
def test_a_cdn_page_saved_without_headers_names_its_status(explainer: Explainer, title: str, status: int) -> None:
    """A CDN's block or challenge page has no status in its title; its title is as good as one."""
    page = f"<!DOCTYPE html>\n<html>\n<head><title>{title}</title></head>\n<body>Sorry</body>\n</html>\n"
    assert ids(explain_text(explainer, page)) == [f"http:{status}"]


def test_a_plain_text_body_after_the_headers_is_the_message(explainer: Explainer) -> None:
    text = "HTTP/1.1 400 Bad Request\ncontent-type: text/plain\n\nJson deserialize error: missing field `user_id`\n"
    report = explain_text(explainer, text)
    assert report.unparsed_count == 0
    error = report.errors[0]
    assert error.message == "Json deserialize error: missing field `user_id`"
    assert error.http_status == 400


def test_a_strong_envelope_outweighs_a_middling_message_elsewhere(explainer: Explainer) -> None:
    # qaexchange's WS error shape with its own code; "Invalid password" shares only a word with
    # market-data's 1001 ("API key invalid") but is qaexchange's 9001 word for word
    error = one(explainer, '{"type": "error", "code": 1001, "message": "Invalid password"}')
    assert (error.catalog, error.code) == ("qaexchange", 1001)
    assert [f"{e.catalog}:{e.code}" for e in error.alternatives][:1] == ["qaexchange:9001"]


def test_notify_frames(explainer: Explainer) -> None:
    frame = (
        '{"aid": "rtn_data", "data": [{"notify": {"service_error": {"type": "MESSAGE", "level": "ERROR",'
        ' "code": 3003, "content": "Order routing service is not available"}}}]}'
    )
    error = one(explainer, frame)
    assert (error.catalog, error.code) == ("qaexchange", 3003)
    assert "qaexchange:9005" in [f"{e.catalog}:{e.code}" for e in error.alternatives]
    assert ("envelope", "qaexchange", "diff-notify") in {(ev.kind, ev.catalog, ev.value) for ev in error.evidence}
    assert error.action.kind == "check_first"  # an order may or may not have been routed
    info = '{"aid": "rtn_data", "data": [{"notify": {"n1": {"type": "MESSAGE", "level": "INFO", "code": 0}}}]}'
    report = explain_text(explainer, info)
    assert (report.errors, report.not_errors) == ((), 1)


def test_a_message_that_fits_another_entry_better_follows_the_code(explainer: Explainer) -> None:
    # qaexchange's DIFF handler sends every failed cancel as 3002 (its status forbids it), whatever the
    # cause; this one's cause is 3001's meaning (the order does not exist), which the message names better
    frame = (
        '{"aid":"rtn_data","data":[{"notify":{"cancel_failed":{"code":3002,"content":"Cancel order failed: '
        'Order error: Order not found: O17497151089770000000187","level":"ERROR","type":"MESSAGE"}}}]}'
    )
    error = one(explainer, frame)
    assert (error.catalog, error.code) == ("qaexchange", 3002)
    assert [f"{e.catalog}:{e.code}" for e in error.alternatives][:1] == ["qaexchange:3001"]
    # the code's own message: nothing follows
    agreed = one(explainer, '{"success":false,"data":null,"error":{"code":3001,"message":"Order not found: O1"}}')
    assert (agreed.catalog, agreed.code, agreed.alternatives) == ("qaexchange", 3001, ())


def test_summary_first_and_last_lines_of_responses_without_json(bundled: CatalogSet) -> None:
    # a response without a JSON body is counted when it ends, at its status line: after later lines
    text = "HTTP/1.1 429 Too Many Requests{]\n[]["  # found by fuzzing: the response ends at the end of input
    fast, _, slow = _both_ways(bundled, text.encode())
    assert _rows(fast.rows) == _rows(slow.rows())
    assert all(r.first_line <= r.last_line for r in fast.rows)


@given(st.lists(st.lists(JSONISH, min_size=1, max_size=3).map("".join), min_size=1, max_size=12), st.integers(1, 3))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_summary_agrees_with_the_full_stream_on_any_input(bundled: CatalogSet, lines: list[str], times: int) -> None:
    _agree(bundled, ("\n".join(lines) * times).encode("utf-8", "surrogatepass"))


# --- the summary's line templates ------------------------------------------------------------------

TWINS = [
    # (a line, its twin: same length, digits and hex letters elsewhere) — the twin means something else
    ('{"code": 1001, "message": "Invalid or expired token"}', '{"code": 2001, "message": "Invalid or expired token"}'),
    (
        '{"code": 1001, "message": "\\u4f59\\u989d\\u4e0d\\u8db3"}',
        '{"code": 1001, "message": "\\u8ba2\\u5355\\u4e0d\\u5b58"}',
    ),
    ('{"error": "E1001", "code": 77}', '{"error": "E2002", "code": 77}'),
    ('{"code": 0, "data": {"x": 105}}', '{"code": 0, "data": {"x": 1a5}}'),  # no JSON: unparsed
    ('{"code": 0, "data": {"s": "\\b"}}', '{"code": 0, "data": {"s": "\\d"}}'),  # an invalid escape
    ('{"co1e": 1001}', '{"code": 1001}'),  # a key with a digit is no field the walk reads
    ('{"status": 200, "data": {"code": 1}}', '{"status": 400, "data": {"code": 1}}'),
    ('{"type": "error", "code": 9002, "message": "a"}', '{"type": "error", "code": 9002, "message": "b"}'),
    # of another length where values vary (run templates)
    ('{"code": 1001, "message": "Order O12 not found"}', '{"code": 10011, "message": "Order O1 not found"}'),
    ('{"code": 0, "data": {"x": 105}}', '{"code": 0, "data": {"x": 1a}}'),
    ('{"code": 0, "data": {"x": "\\u4e2d"}}', '{"code": 0, "data": {"x": "\\u4e"}}'),
    ('{"code": 0, "data": {"s": "\\b"}}', '{"code": 0, "data": {"s": "\\dd"}}'),
    ('{"code": 7, "message": "cannot fill O12345"}', '{"code": 7, "message": "cannot fill Oabcdef"}'),
    ('{"code": 7, "msg": "bad value"}', '{"code": 7, "msg": "bad vdcfe"}'),
    ('{"code": 1001, "message": "x 1e5"}', '{"code": 1001, "message": "x 1e55"}'),
    ('{"code": 0, "data": {"n": 1e5}}', '{"code": 0, "data": {"n": 1e5e}}'),
]


@pytest.mark.parametrize(("line", "twin"), TWINS)
def test_summary_templates_tell_twins_apart(bundled: CatalogSet, line: str, twin: str) -> None:
    """A template stands for lines that differ only where no verdict looks; a twin, of the same length
    or not, that differs where one looks (a code, an escaped message, a key) or that is no JSON is
    counted as the full path counts it."""
    _agree(bundled, ("\n".join([line] * 4 + [twin] * 3 + [line]) + "\n").encode())


def _decoded_lines(explainer: Explainer, lines: list[bytes]) -> tuple[int, list[tuple[int, int, int]]]:
    """How many of ``lines`` the summary's memo had decoded, and the rows (count, first, last)."""
    from errcli.explain.memo import LineMemo, SummaryRows

    rows = SummaryRows()
    memo = LineMemo(explainer, rows)
    decoded = 0
    for n, body in enumerate(lines, 1):
        if not memo.known(n, body):
            decoded += 1
            try:
                value = json.loads(body)
            except ValueError:
                continue  # no JSON: the pump's careful path takes it
            memo.decoded(n, value)
    return decoded, [(row[1], row[2], row[3]) for row in rows.rows.values()]


# the line of a form its run template is made from: the first with the compiled lookup, else the second
_TEMPLATE_FROM = 1 if memo_module.COMPILED else 2


def _same_length(i: int) -> str:
    return (
        f'{{"success":false,"data":{{"price":{110 + i}.5}},"error":{{"code":4001,'
        f'"message":"Order not found: O{17370 + i} ({uuid.UUID(int=(i + 10) * 7919)})"}}}}'
    )


def _any_length(i: int) -> str:
    return (
        f'{{"success":false,"data":{{"price":{7**i}.{i}}},"error":{{"code":4001,'
        f'"message":"Order not found: O{3**i} acct{i * 91}"}}}}'
    )


@pytest.mark.parametrize(("make", "lengths"), [(_same_length, 1), (_any_length, 29)])
def test_summary_templates_skip_interpolated_values(
    explainer: Explainer, make: Callable[[int], str], lengths: int
) -> None:
    """Lines that differ in ids, amounts, uuids and prices, of the same length or not, are counted from
    the template of the first one (of the second without the compiled lookup: seen, seen again and
    remembered), not decoded."""
    lines = [make(i).encode() for i in range(1, 30)]
    assert len({len(line) for line in lines}) >= lengths - 5
    assert _decoded_lines(explainer, lines) == (_TEMPLATE_FROM, [(29, 1, 29)])


def test_summary_run_templates_decode_an_id_without_digits(explainer: Explainer) -> None:
    """An interpolated value is one because it holds a digit: a line whose value there has none is decoded
    (its message may mean something else), and so is a line with letters where a number was."""
    line = b'{"code": 7, "message": "cannot fill O12345", "qty": 12}'
    variants = [line.replace(b"O12345", b"Oabcdef"), line.replace(b": 12}", b": 12a}")]
    for variant in variants:
        assert _decoded_lines(explainer, [line, line, line, variant])[0] == _TEMPLATE_FROM + 1


def _learnt_then(tail: list[str]) -> bytes:
    """A first block of lines the summary learns from (interpolated amounts and uuids: a few forms), then
    ``tail`` among more such lines, in the blocks after it (each block is looked up at once); ``KNOWN``
    in ``tail`` stands for one more of those lines."""
    line = (
        '[2025-10-14T07:30:00.{ms:03d}Z] [warn] qa.http: <- 400 {{"success":false,"data":null,'
        '"error":{{"code":{code},"message":"Insufficient funds: available={a}.{b}, required=7.55 ({u})"}}}}'
    )
    lines = [
        line.format(ms=i % 1000, code=1001 + (i % 3 == 0), a=7 ** (i % 9), b=i % 97, u=uuid.UUID(int=i * 7919))
        for i in range(6000)
    ]
    extra = iter(lines[::-1])
    tail = [next(extra).partition(" <- 400 ")[2] if t == "KNOWN" else t for t in tail]
    return "\n".join(lines[:4000] + tail + lines[4000:] + tail).encode() + b"\n"


@pytest.mark.parametrize(
    "tail",
    [
        # documents over several lines (pending: the rest of its block takes the careful path)
        ["[", "KNOWN", ",", "KNOWN", "]", "KNOWN"],
        ['{"code": 2002,', '"message": "Symbol not found"}', "KNOWN"],
        # a raw HTTP response: status line, headers, a body the memo knows
        ["HTTP/1.1 429 Too Many Requests", "Retry-After: 3", "", "KNOWN", "KNOWN"],
        # a prefix with a bracket that opens an array; text; a line that is no JSON
        ['[200, {"code": 2002, "message": "Symbol not found"}]', "worker started", '{"code": 1001,, }', "KNOWN"],
    ],
)
def test_summary_blocks_agree_with_the_full_stream_around_other_lines(bundled: CatalogSet, tail: list[str]) -> None:
    """Lines the memo knows are counted a block at a time; the others, and every line after one that
    leaves something pending, are taken one by one: the counts, first and last lines are the full path's."""
    _agree(bundled, _learnt_then(tail))


def test_summary_counts_known_lines_a_block_at_a_time(bundled: CatalogSet, monkeypatch: pytest.MonkeyPatch) -> None:
    """After its first block, lines of forms the memo knows are never looked up one by one."""
    from errcli.explain import memo

    looked_up: list[int] = []
    known = memo.LineMemo.known

    def counted(self: memo.LineMemo, n: int, *args: Any) -> bool:
        looked_up.append(n)
        return known(self, n, *args)

    monkeypatch.setattr(memo.LineMemo, "known", counted)
    data = _learnt_then([])
    report = summarize(bundled, io.BytesIO(data))
    assert report.records == 6000
    assert [(r.code, r.count) for r in report.rows] == [(1001, 4000), (1002, 2000)]
    first_block = data.count(b"\n", 0, 1 << 18)
    assert looked_up
    assert len([n for n in looked_up if n > first_block]) < 20


def _upstream(code: int, i: int) -> str:
    return f'{{"code": {code}, "message": "upstream error {code}: {uuid.UUID(int=(i + 3) * 7919)}"}}'


def test_summary_patches_undocumented_codes_into_one_verdict(explainer: Explainer) -> None:
    """Lines of one shape, each with an undocumented number of its own, are counted from one verdict
    with their number patched in, once two of them have shown which run is the code: a few are
    decoded, not each; every number keeps a row of its own."""
    lines = [_upstream(100_001 + 7 * i, i).encode() for i in range(40)]
    decoded, rows = _decoded_lines(explainer, lines)
    assert decoded <= 4
    assert rows == [(1, i, i) for i in range(1, 41)]


def test_summary_counts_undocumented_codes_a_block_at_a_time(
    bundled: CatalogSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a long log, lines whose only difference is an undocumented code are found in the block's
    lookup (the compiled one, when built) with their number patched in: a handful are decoded, and
    the rows are the full path's, one per code, documented codes and statuses among them included."""
    decoded: list[int] = []
    looked_up: list[int] = []
    real_decoded, real_known = memo_module.LineMemo.decoded, memo_module.LineMemo.known

    def decoding(self: memo_module.LineMemo, n: int, value: dict[str, Any]) -> None:
        decoded.append(n)
        real_decoded(self, n, value)

    def looking_up(self: memo_module.LineMemo, n: int, *args: Any) -> bool:
        looked_up.append(n)
        return real_known(self, n, *args)

    monkeypatch.setattr(memo_module.LineMemo, "decoded", decoding)
    monkeypatch.setattr(memo_module.LineMemo, "known", looking_up)
    codes = [100_000 + 37 * i for i in range(9000)]
    codes[6000:6000] = [1001, 404, 1006, 0, 2001]
    data = ("\n".join(_upstream(code, i) for i, code in enumerate(codes)) + "\n").encode()
    _agree(bundled, data)
    assert len(decoded) < 40, decoded[:50]
    if memo_module.COMPILED:  # after the first block, one by one: only the documented codes and statuses
        first_block = data.count(b"\n", 0, 1 << 18)
        assert len([n for n in looked_up if n > first_block]) < 20


def test_summary_decodes_codes_that_are_read_for_themselves(bundled: CatalogSet) -> None:
    """Among lines whose undocumented numbers are patched in, a documented code, an HTTP status, a
    WebSocket close code, a success code and a negative number are decided as the full path decides
    them, each in its own row."""
    codes = [100_001, 100_002, 100_003, 1001, 100_004, 404, 1006, 0, 200, -100_005, 100_006, 2001, 9999, 1e6]
    lines = [_upstream(code, i) for i, code in enumerate(codes)]  # type: ignore[arg-type]
    _agree(bundled, ("\n".join(lines * 2) + "\n").encode())


# Families of lines: one shape with values of every length and kind where ids, amounts and messages
# go. The memo's levels (exact, folded, runs) learn from some and count the others; the full path
# decides each one on its own. (Numbers with a leading zero, which no encoder writes, are the memo's
# known limit: errcli.explain.template.)
SKELETONS = [
    '{{"code": {n}, "message": "Invalid or expired token: {v}"}}',
    '{{"success": false, "data": {{"price": {n}, "id": "{v}"}}, "error": {{"code": {c}, "message": "{m} {v}"}}}}',
    '{{"error": "{m}: {v}", "code": "{s}", "details": {{"amount": {n}}}}}',
    '{{"type": "error", "code": {c}, "message": "{m}"}}',
    '{{"code": {c}, "msg": "{v}", "data": [{n}, "{v}", {{"code": {c}}}]}}',
    (
        '{{"aid": "rtn_data", "data": [{{"notify": {{"N{n}": {{"type": "MESSAGE", "level": "{l}", "code": {c}, '
        '"content": "{m} {v}"}}}}}}, {{"quotes": {{"IF{c}": {{"last_price": {n}}}}}}}]}}'
    ),
    '{{"code": 0, "data": {{"k{c}": "{v}", "x": {n}}}}}',
    '2026-01-04T08:15:{n} {l} client: POST /api/v1/order -> {c} {{"code": {c}, "msg": "{m} {v}"}}',
    '{l} fetch: GET /v1/klines?id={v}: {c} Bad Request: {{"detail": "{m}"}}',
    '{{"detail": [{{"loc": ["query", "{s}"], "msg": "{m} {v}", "type": "value_error.{s}"}}, {{"n": {n}}}]}}',
    '{{"detail": [{{"loc": ["body", {n}], "msg": "{m}", "type": "missing"}}]}}',
]
VALUES = st.one_of(
    st.integers(-(10**12), 10**12).map(str),
    st.text("0123456789abcdefABCDEF", min_size=0, max_size=14),
    st.text("0123456789abcdefxyzO_-.", min_size=1, max_size=12),
    st.uuids().map(str),
    st.sampled_from(["\\u4e2d", "\\u4e", "\\b", "\\d", "\\n12", "1e5", "0012", "中文12", "%", "", "\\\\12"]),
)
NUMBERS = st.one_of(
    st.integers(-(10**15), 10**15).map(str),
    st.floats(allow_nan=False, allow_infinity=False, width=32).map(repr),
    st.sampled_from(["1e5", "1E-3", "1e300", "1e400", "0", "-0", "12a", "1.", "--1", "1e999"]),
)
CODES = st.sampled_from(["1001", "2001", "9002", "1007", "4001", "400", "429", "500", "7", "-1021", "100", "10011"])
CODES |= st.sampled_from(["1006", "1000", "0", "200", "599", "600", "100000", "123456"])
CODES |= st.integers(-(10**6), 10**16).map(str)  # undocumented numbers, most of them: patched into one verdict
WORDS = st.sampled_from(
    [
        "Order not found",
        "Insufficient balance",
        "资金不足",
        "bad",
        "fed",
        "Invalid password",
        "abc",
        "Not authenticated",
    ]
)
SYMBOLS = st.sampled_from(["INSUFFICIENT_BALANCE", "ORDER_NOT_FOUND", "INVALID_AMOUNT", "NOPE", "insufficientBalance"])
LEVELS = st.sampled_from(["ERROR", "INFO", "WARNING"])


@st.composite
def _family(draw: st.DrawFn) -> list[str]:
    skeleton = draw(st.sampled_from(SKELETONS))
    values = {"n": NUMBERS, "v": VALUES, "c": CODES, "m": WORDS, "s": SYMBOLS, "l": LEVELS}
    return [
        skeleton.format(**{name: draw(strategy) for name, strategy in values.items()})
        for _ in range(draw(st.integers(4, 24)))
    ]


@given(st.lists(_family(), min_size=1, max_size=3), st.randoms(use_true_random=False))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_summary_agrees_with_the_full_stream_on_families_of_lines(
    bundled: CatalogSet, families: list[list[str]], rnd: random.Random
) -> None:
    lines = [line for family in families for line in family]
    rnd.shuffle(lines)
    data = ("\n".join(lines * 2) + "\n").encode("utf-8")
    _agree(bundled, data)


def test_http_client_error_holding_its_response(explainer: Explainer) -> None:
    """An HTTP client's error object (axios: ``{name, message, code, response: {status, data}}``) is
    explained by the response it holds, not by its own generic message."""
    axios = {
        "name": "AxiosError",
        "message": "Request failed with status code 403",
        "code": "ERR_BAD_REQUEST",
        "response": {
            "status": 403,
            "statusText": "Forbidden",
            "headers": {"content-type": "application/json"},
            "data": {"code": 1004, "message": "Upgrade your plan to access tick data"},
        },
    }
    error = one(explainer, json.dumps(axios))
    assert (error.catalog, error.code, error.http_status) == ("market-data", 1004, 403)
    network = one(explainer, json.dumps({"name": "AxiosError", "message": "Network Error", "code": "ERR_NETWORK"}))
    assert network.entry is None


def test_an_error_message_never_means_success(explainer: Explainer) -> None:
    """A catalog's success entry (market-data's code 0) is no meaning of a message that reports an error."""
    for message in ("Request failed with status code 403", "request was not successful", "status code invalid"):
        error = one(explainer, json.dumps({"code": "ERR_BAD_REQUEST", "message": message}))
        found = [(error.catalog, error.code), *((a.catalog, a.code) for a in error.alternatives)]
        assert ("market-data", 0) not in found, (message, found)


def test_python_dict_repr_after_a_prefix_is_a_record(explainer: Explainer) -> None:
    """Python clients print a decoded response (``print(resp.json())``, ``logging`` with ``%s``): single
    quotes, True/False/None. Such a dict after a log prefix is read as the JSON it came from."""
    line = "[-] 订单提交失败: {'code': 1001, 'message': 'Insufficient funds: available=0.00, required=115714.70'}\n"
    error = one(explainer, line)
    assert (error.catalog, error.code) == ("qaexchange", 1001)
    assert error.message is not None
    assert error.message.startswith("Insufficient funds")
    wrapped = one(explainer, "resp={'success': False, 'data': None, 'error': {'code': 1004, 'message': 'x'}}")
    assert (wrapped.catalog, wrapped.code) == ("qaexchange", 1004)
    params = explain_text(explainer, "order params {'symbol': 'XAUUSD', 'qty': 3, 'reduce': True}\n")
    assert (params.errors, params.not_errors, params.unparsed_lines) == ((), 1, ())


@pytest.mark.parametrize(
    "text",
    [
        "x {'a': {1, 2}}",  # a set: no JSON value
        "x {'a': 1j}",
        "x {'a': b'raw'}",
        "x {1: 'a'}",  # a key that is no string
        "x {'a': __import__('os').getcwd()}",  # code is never run
        "x {'a': 1",
        "x {'a': " + "(" * 300 + ")" * 300 + "}",  # deeper than Python's parser goes
        "x {'a': '" + "z" * 100_000 + "'}",
        "x {'a': 1e999}",
    ],
)
def test_python_dict_reprs_that_are_no_json_stay_unparsed(explainer: Explainer, text: str) -> None:
    report = explain_text(explainer, text + "\n")
    assert (report.errors, report.not_errors, report.unparsed_lines) == ((), 0, (1,))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # actix-web's own plain-text body, as `curl -s` prints it (no status line, no JSON)
        ("Json deserialize error: missing field `user_id` at line 1 column 52", "qaexchange:5003"),
        ("Query deserialize error: invalid digit found in string\n", "qaexchange:5003"),
    ],
)
def test_a_plain_text_body_alone_is_read_as_its_message(bundled: CatalogSet, text: str, expected: str) -> None:
    """A whole input of a few lines of text and no JSON (``curl -s`` of a plain-text error body) is
    explained by its text when that names a catalog entry; the summary says the same."""
    report = explain_text(bundled, text)
    assert ids(report) == [expected]
    assert (report.errors[0].line, report.unparsed_count, report.unparsed_lines) == (1, 0, ())
    assert report.errors[0].basis == "message"
    summary = summarize(bundled, io.BytesIO(text.encode()))
    assert [(r.catalog, str(r.code), r.count) for r in summary.rows] == [(*expected.split(":"), 1)]
    assert (summary.errors, summary.unparsed_count) == (1, 0)


@pytest.mark.parametrize("text", ["starting up\n", "hello world", "ok", "line one\nline two\n", "x\n" * 30])
def test_text_that_names_no_entry_stays_unparsed(bundled: CatalogSet, text: str) -> None:
    report = explain_text(bundled, text)
    assert report.errors == ()
    assert report.unparsed_count == len([t for t in text.splitlines() if t.strip()])


@pytest.mark.parametrize(
    ("record", "expected", "status"),
    [
        (
            {"status": 400, "data": {"error": "Timestamp expired", "code": "TIMESTAMP_EXPIRED"}},
            "ztdx:TIMESTAMP_EXPIRED",
            400,
        ),
        ({"code": 500, "data": {"code": 5001, "message": "Data source unavailable"}}, "market-data:5001", 500),
        ({"success": False, "body": {"code": 1001, "message": "资金不足"}}, "qaexchange:1001", None),
    ],
)
def test_a_bare_status_defers_to_the_error_nested_in_it(
    explainer: Explainer, record: dict[str, object], expected: str, status: int | None
) -> None:
    """An outer object that says only a status (no message, no documented code) holding an error in
    ``data``/``body``: the nested error is what the response says; the status travels with it."""
    error = one(explainer, json.dumps(record))
    assert (f"{error.catalog}:{error.code}", error.http_status) == (expected, status)
    bare = one(explainer, json.dumps({"status": 400, "data": {"items": []}}))
    assert (bare.catalog, bare.code) == ("http", 400)


_HANDSHAKE = (
    "WebSocket connection to 'wss://x/ws' failed: Error during WebSocket handshake: Unexpected response code: 400"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "requests.exceptions.HTTPError: 404 Client Error: Not Found for url: http://x/api/position/account/ACC_1",
            "http:404",
        ),
        (
            _HANDSHAKE,
            "http:400",
        ),
        ('10.0.3.17 "GET /api/account/info HTTP/1.1" 502 157 "-" "python-requests/2.31.0" 0.004213', "http:502"),
        ('Oct 03 12:00:01 md-gw[2231]: upstream error code=5001 msg="Data source unavailable"', "market-data:5001"),
        ('level=error msg="Symbol not found" code=2002 symbol=XYZUSDT', "market-data:2002"),
    ],
)
def test_a_text_body_names_its_status_or_its_fields(bundled: CatalogSet, text: str, expected: str) -> None:
    """A text body that says an HTTP status (a client's exception, an access log line) has that meaning;
    one of ``key=value`` pairs (logfmt) is read as the object those pairs make."""
    report = explain_text(bundled, text + "\n")
    assert len(report.errors) == 1
    error = report.errors[0]
    assert expected in candidates(error)
    assert report.unparsed_count == 0


def test_a_process_id_in_a_log_line_is_no_response(bundled: CatalogSet) -> None:
    """``nginx[2231]:`` holds a JSON array of one number: text, not a record; JSON after it is read."""
    text = explain_text(bundled, "Oct 03 12:00:01 host nginx[2231]: worker started\n")
    assert (text.records, text.unparsed_lines) == (0, (1,))
    logged = explain_text(bundled, 'Oct 03 12:00:01 md-gw[2231]: resp={"code": 1001, "message": "x"}\n')
    assert (ids(logged), logged.records) == (["market-data:1001"], 1)
    assert explain_text(bundled, "[1, 2, 3]\n").not_errors == 1  # an array alone is a response


@pytest.mark.parametrize("text", ["GET /api/v1/ticker 200 12ms", "retry=3 backoff=250ms", "took 404 ms"])
def test_a_text_body_without_an_error_stays_unparsed(bundled: CatalogSet, text: str) -> None:
    report = explain_text(bundled, text + "\n")
    assert (report.errors, report.unparsed_count) == ((), 1)


_NGINX_504 = (
    "<html>\n<head><title>504 Gateway Time-out</title></head>\n<body>\n"
    "<center><h1>504 Gateway Time-out</h1></center>\n<hr><center>nginx/1.24.0</center>\n</body>\n</html>\n"
)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        (_NGINX_504, 504),
        ("<!DOCTYPE html><html><head><title>shop.example | 502: Bad gateway</title></head><body></body></html>", 502),
        ("<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>", 503),
        ("502 Bad Gateway", 502),
        ("upstream said: 429 Too Many Requests", 429),
    ],
)
def test_a_page_or_text_that_names_a_status_with_its_reason_has_that_meaning(
    bundled: CatalogSet, text: str, status: int
) -> None:
    """A gateway's HTML page saved or piped without its headers, or a text naming a status by its
    reason phrase: the status is the meaning, and the page's lines are one response."""
    report = explain_text(bundled, text)
    assert [(e.catalog, e.code, e.http_status) for e in report.errors] == [("http", status, status)]
    assert report.unparsed_count == 0
    summary = summarize(bundled, io.BytesIO(text.encode()))
    assert [(r.catalog, str(r.code)) for r in summary.rows] == [("http", str(status))]


def test_a_number_before_words_that_are_not_its_reason_is_no_status(bundled: CatalogSet) -> None:
    report = explain_text(bundled, "404 items synced\n")
    assert (report.errors, report.unparsed_count) == ((), 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            (
                "[2026-01-04T08:15:30Z WARN  qaexchange::service::websocket::diff_handler] Unauthenticated DIFF "
                "message from session 0b9e55a1-3c6d-4f3e-9a7b-2d1c0e8f6a4b, rejecting: SubscribeQuote"
            ),
            "qaexchange:9002",
        ),
        (
            (
                "2026-01-04 08:15:31,207 ERROR [order-api] risk.pre_trade: Insufficient funds: available=10.50, "
                "required=992.00"
            ),
            "qaexchange:1001",
        ),
        ("E0104 08:15:32.118  4411 md_client.go:88] Symbol not found: DOGEUSDT", "market-data:2002"),
    ],
)
def test_a_log_line_of_text_is_explained_without_its_prefix(bundled: CatalogSet, text: str, expected: str) -> None:
    """A server's text log line (timestamp, level, logger before the message) as a whole input: the
    message after the prefix is what is matched."""
    report = explain_text(bundled, text + "\n")
    assert len(report.errors) == 1
    error = report.errors[0]
    found = candidates(error)
    assert expected in found
    assert error.message is not None
    assert not error.message.startswith(("[", "2026", "E0104"))


@pytest.mark.parametrize(
    "text",
    [
        "2026-01-04T08:15:33Z INFO  reconnected after timeout, resubscribing 4 channels",
        "[2026-01-04 08:15:33] DEBUG order cache miss, not found locally: O1767514533",
    ],
)
def test_a_quiet_log_line_is_no_error_whatever_it_says(bundled: CatalogSet, text: str) -> None:
    report = explain_text(bundled, text + "\n")
    assert (report.errors, report.unparsed_count) == ((), 1)


def test_a_text_that_reports_an_error_no_catalog_knows_is_an_unknown_error(bundled: CatalogSet) -> None:
    """Text that says it is an error but names nothing documented: one unknown error, not "no
    response found" (the user asked what it is; the honest answer is that no catalog knows)."""
    text = "[-] sync worker crashed: KeyError: 'flux_capacitor'\n"
    report = explain_text(bundled, text)
    assert [(e.entry, e.line) for e in report.errors] == [(None, 1)]
    assert report.unparsed_count == 0
    summary = summarize(bundled, io.BytesIO(text.encode()))
    assert (summary.errors, summary.unparsed_count) == (1, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Node's console.log of an error object (util.inspect: bare keys, single quotes)
        (
            (
                "[API Error] {\n  code: 'TIMESTAMP_EXPIRED',\n  message: 'timestamp 1767514533 is 812s old',\n"
                "  details: undefined\n}\n"
            ),
            "ztdx:TIMESTAMP_EXPIRED",
        ),
        # a WebSocket client's close line: (code: N, reason: "...")
        ('Disconnected (code: 1008, reason: "Connection limit exceeded: 10/10")\n', "market-data:3003"),
    ],
)
def test_a_text_of_name_colon_value_pairs_is_read_as_their_object(
    bundled: CatalogSet, text: str, expected: str
) -> None:
    report = explain_text(bundled, text)
    assert len(report.errors) == 1
    error = report.errors[0]
    assert expected in candidates(error)
    assert report.unparsed_count == 0


def test_a_log_s_quiet_lines_are_not_part_of_the_error_after_them(bundled: CatalogSet) -> None:
    """INFO/DEBUG lines before the line that fails (a client's log, then its exception): the error is
    the lines that are not quiet."""
    text = (
        "2026-01-04 08:15:30,001 INFO md_stream: connected to wss://md.example.com/v1/ws\n"
        "2026-01-04 08:15:30,010 DEBUG md_stream: > subscribe BTCUSDT@ticker\n"
        "websockets.exceptions.ConnectionClosedError: received 1003 (unsupported data) Invalid message format\n"
    )
    report = explain_text(bundled, text)
    assert len(report.errors) == 1
    error = report.errors[0]
    assert error.message is not None
    assert "connected" not in error.message
    assert "Invalid message format" in error.message
    assert "market-data:4002" in candidates(error)


def test_a_client_s_unexpected_server_response_names_its_status(bundled: CatalogSet) -> None:
    report = explain_text(bundled, "error: Unexpected server response: 401\n")
    assert [e.http_status for e in report.errors] == [401]


def test_a_status_in_the_body_beside_an_undocumented_code_is_the_status(explainer: Explainer) -> None:
    """axios' serialised error: its own code (ERR_BAD_REQUEST) is no API's, its status is the response's."""
    record = {"message": "Request failed with status code 404", "name": "AxiosError", "code": "ERR_BAD_REQUEST",
              "status": 404}  # fmt: skip
    error = one(explainer, json.dumps(record))
    assert (error.catalog, error.code, error.http_status) == ("http", 404, 404)


def test_fastapi_validation_errors_are_errors_each(explainer: Explainer) -> None:
    """FastAPI's 422 body, ``{"detail": [{loc, msg, type}, ...]}``: each item is an error with its
    message; a ``detail`` object or list of other objects is data."""
    body = {
        "detail": [
            {"loc": ["query", "symbol"], "msg": "field required", "type": "value_error.missing"},
            {"loc": ["query", "interval"], "msg": "value is not a valid enumeration member", "type": "type_error.enum"},
        ]
    }
    report = explain_text(explainer, json.dumps(body))
    assert [e.message for e in report.errors] == ["field required", "value is not a valid enumeration member"]
    assert explain_text(explainer, json.dumps({"code": 0, "detail": [{"id": 1}]})).not_errors == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            (
                "2026-01-04T08:15:33.004Z ERROR ztdx-bot: POST https://api.ztdx.io/api/v1/orders -> 500 Internal Server"
                " Error: thread 'tokio-runtime-worker' panicked at src/handlers/orders.rs:212:41"
            ),
            "ztdx:500",
        ),
        ("[qaexchange-client] 503 Service Unavailable", "qaexchange:9005"),
    ],
)
def test_a_text_that_names_one_api_prefers_its_entries(bundled: CatalogSet, text: str, expected: str) -> None:
    """A text body that names one catalog's API (its host, its logger): that API's entries come first
    among equals (its status table), and the evidence says so."""
    report = explain_text(bundled, text + "\n")
    error = report.errors[0]
    found = candidates(error)
    assert expected in found[:2]
    assert any(e.kind == "named" for e in error.evidence)
    plain = explain_text(bundled, "POST https://api.example.com/orders -> 500 Internal Server Error\n").errors[0]
    assert not any(e.kind == "named" for e in plain.evidence)


def test_an_error_with_a_success_code_is_explained_by_its_message(explainer: Explainer) -> None:
    """``{"code": 0, …, "error": "…"}``: code 0 is documented as success, which an error cannot be;
    the error's message says what it is."""
    record = {"code": 0, "message": "success", "data": None, "error": "IP address 198.51.100.7 not in whitelist"}
    error = one(explainer, json.dumps(record))
    assert error.entry is not None
    assert error.entry.category != "success"
    assert (error.catalog, error.code) == ("market-data", 1003)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-04 09:15:02 [ticker-poller] 請求過快，30 秒後重試\n", "market-data:3001"),
        (
            (
                "Uncaught (in promise) Error: 交易品種 GBPUSD.ecn 不存在\n    at fetchTicker (app.js:14:15)\n"
                "    at async main (app.js:40:3)\n"
            ),
            "market-data:2002",
        ),
    ],
)
def test_a_text_error_in_chinese_or_with_a_stack_trace(bundled: CatalogSet, text: str, expected: str) -> None:
    """A rate-limit complaint in Traditional Chinese says an error; a JavaScript stack trace's frames
    are not part of the message."""
    report = explain_text(bundled, text)
    assert len(report.errors) == 1
    error = report.errors[0]
    found = candidates(error)
    assert expected in found
    assert "app.js" not in (error.message or "")


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("[Proxy Error] GET /api/market/depth/BTCUSDT: connect ETIMEDOUT 10.0.0.7:8080\n", None),
        (
            (
                "aiohttp.client_exceptions.ClientResponseError: 503, message='Service Unavailable', "
                "url='http://127.0.0.1:8094/api/order/submit'\n"
            ),
            503,
        ),
    ],
)
def test_a_client_s_network_or_status_error_text_is_an_error(
    bundled: CatalogSet, text: str, status: int | None
) -> None:
    """A proxy's ``[Proxy Error] … ETIMEDOUT`` (the error word is in the prefix, the cause is a Node
    error code) and aiohttp's ``503, message='…'`` report errors."""
    report = explain_text(bundled, text)
    assert len(report.errors) == 1
    assert report.errors[0].http_status == status


def test_an_undocumented_symbolic_code_is_no_numbered_api_s_error(explainer: Explainer) -> None:
    """``{"error": …, "code": "WITHDRAW_LOCKED"}``: a symbolic code no catalog documents. An API whose
    codes are all numbers (QAExchange) did not send it, however its message reads: unknown, with
    the resemblance among the alternatives."""
    record = {"error": "Withdrawals are locked while the account is frozen", "code": "WITHDRAW_LOCKED"}
    error = one(explainer, json.dumps(record))
    assert error.entry is None
    numbered = {e.catalog for e in error.alternatives if isinstance(e.code, int)}
    assert "qaexchange" in numbered  # the frozen-account entry still shows as a resemblance


def test_a_binance_style_quantity_error_is_ztdx_s_invalid_amount(explainer: Explainer) -> None:
    error = one(explainer, '{"code": -4006, "msg": "Quantity less than min quantity for SOLUSDT."}')
    assert "ztdx:INVALID_AMOUNT" in candidates(error)
