"""errcode import: error-code documents of many layouts become catalog drafts that validate."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import run, seed_text

from errcli.catalog import parse_catalog
from errcli.cli.complete import FILES, candidates
from errcli.errors import ExitCode, UsageError
from errcli.importer import Document, ImportResult, import_document, read_document
from errcli.importer.source import decode


def imported(text: str, path: str = "doc.md", **options: Any) -> ImportResult:
    result = import_document(Document(text, path), **options)
    if result.report.codes:
        parse_catalog(result.yaml, path)  # every draft passes the loader `errcode validate` uses
    return result


def entries(result: ImportResult) -> dict[Any, dict[str, Any]]:
    return {e["code"]: e for e in result.draft["entries"]}


def text_of(value: dict[str, str] | None) -> str:
    """The one text of a ``{zh|en: …}`` mapping (a draft never invents the other language)."""
    assert value is not None
    assert len(value) == 1, value
    return next(iter(value.values()))


def texts(items: list[dict[str, str]] | None) -> list[str]:
    return [text_of(i) for i in items or []]


# --- the seed documents: every code each one defines, checked against the document itself -------------


def _sections(doc: str, starts: re.Pattern[str]) -> list[tuple[str, str]]:
    """Each section as (the line that starts it, the text below it)."""
    lines = doc.splitlines()
    marks = [i for i, line in enumerate(lines) if starts.match(line)]
    return [(lines[i], "\n".join(lines[i + 1 : j])) for i, j in zip(marks, [*marks[1:], len(lines)], strict=True)]


def test_market_data_seed() -> None:
    doc = seed_text("market-data")
    result = imported(doc, "000_c431a25d0d23b25d.txt")
    found = entries(result)
    table = {int(m[1]): m[2] for m in re.finditer(r"(?m)^\| (\d+) \| ([^|]+?) \|", doc)}
    headed = _sections(doc, re.compile(r"^#### "))
    defined = set(table)
    for heading, _ in headed:
        defined |= {int(c) for c in re.findall(r"\d+", heading.split(" - ")[0])}
    assert set(found) == defined
    assert len(found) == 20
    for code, title in table.items():  # the quick table's meaning is each code's title
        assert text_of(found[code]["title"]) == title.strip()
    for heading, body in headed:
        for code in map(int, re.findall(r"\d+", heading.split(" - ")[0])):
            if "**原因**" in body:
                assert found[code].get("causes"), code
            if "**解決**" in body:
                assert found[code].get("fixes"), code
    assert texts(found[1001]["causes"]) == ["API Key 輸入錯誤", "API Key 已被禁用", "API Key 已過期"]
    assert texts(found[3001]["fixes"]) == ["降低請求頻率", "使用 WebSocket 訂閱替代輪詢", "升級套餐獲取更高配額"]
    assert found[3001]["description"] == {"zh": "HTTP 響應會包含 `Retry-After` 頭，指示等待秒數。"}
    assert found[1001]["examples"] == ['{\n  "code": 1001,\n  "message": "Invalid or expired token"\n}']
    assert '"channel": "depth"' in found[4003]["examples"][0]  # the shared section's example names 4003
    assert "examples" not in found[4004]
    assert found[4001]["category"] == "4xxx"
    assert result.draft["language"] == "zh-Hant"
    categories = {c["id"]: (text_of(c["title"]), c["range"]) for c in result.draft["categories"]}
    assert categories["1xxx"] == ("認證錯誤", [1000, 1999])
    assert categories["5xxx"] == ("服務錯誤", [5000, 5999])
    shapes = {(e["transport"], tuple(e["keys"])) for e in result.draft["envelopes"]}
    assert shapes == {("http", ("code", "message")), ("websocket", ("cmd", "code", "message"))}


def test_qaexchange_seed() -> None:
    doc = seed_text("qaexchange")
    result = imported(doc, "003_08f538c71cef415e.txt")
    found = entries(result)
    sections = _sections(doc, re.compile(r"^\d{4} - \S"))
    titles = {int(line.split(" - ")[0]): line.split(" - ", 1)[1] for line, _ in sections}
    assert set(found) == set(titles)
    assert len(found) == 32
    for line, body in sections:
        code = int(line.split(" - ")[0])
        entry = found[code]
        assert text_of(entry["title"]) == titles[code]
        description = re.search(r"(?m)^描述: (.+)$", body)
        assert description
        assert text_of(entry["description"]) == description.group(1)
        if "原因:" in body:
            causes = re.findall(r"(?m)^  • (.+)$", body.split("原因:")[1].split("示例:")[0])
            assert texts(entry["causes"]) == causes
        if "解决方案:" in body:
            after = body.split("解决方案:")[1]
            fixes = re.findall(r"(?m)^  \d\. (.+)$", after) or [after.strip().splitlines()[0]]
            assert texts(entry["fixes"]) == fixes
        else:
            assert "fixes" not in entry
        assert len(entry["examples"]) == 1
        assert f'"code": {code}' in entry["examples"][0]
    severities = dict(re.findall(r"(?m)^(\d{4})\S+?(⚠️ 警告|🔴 严重)$", doc))
    assert len(severities) == 28
    for code, word in severities.items():
        assert found[int(code)]["severity"] == ("warning" if "警告" in word else "critical")
    assert "severity" not in found[3004]  # not in the severity table: left for the loader to derive
    assert {c for c, e in found.items() if e.get("retryable")} == {5000, 5002, 9004, 9005}  # RETRYABLE_ERRORS
    assert result.draft["version"] == "v0.1.0"
    assert result.draft["date"] == "2025-10-03"
    categories = {c["id"]: c for c in result.draft["categories"]}
    assert len(categories) == 7
    assert text_of(categories["1xxx"]["title"]) == "风控错误"
    assert text_of(categories["1xxx"]["description"]) == "盘前风控检查拒绝"
    assert categories["9xxx"]["range"] == [9000, 9999]
    assert found[9001]["category"] == "9xxx"
    envelopes = {tuple(e["keys"]): e for e in result.draft["envelopes"]}
    assert envelopes["success", "data", "error"]["code_path"] == "error.code"
    assert envelopes["success", "data", "error"]["error_when"] == {"success": False}
    assert envelopes["type", "code", "message"]["error_when"] == {"type": "error"}
    assert result.report.unparsed == ()


def test_ztdx_seed() -> None:
    doc = seed_text("ztdx")
    result = imported(doc, "004_6e9168183eaa6021.txt")
    found = entries(result)
    sections = _sections(doc, re.compile(r"^[A-Z][A-Z0-9_]+$"))
    statuses = {int(m[1]): m[2] for m in re.finditer(r"(?m)^\| (\d{3}) \| ([^|]+?) \|", doc)}
    symbols = {line for line, _ in sections}
    assert set(found) == symbols | set(statuses)
    assert len(found) == 42  # 34 codes (INVALID_AMOUNT twice: one entry, two meanings) + 8 HTTP statuses
    for status, title in statuses.items():
        assert found[status]["http_status"] == status
        assert found[status]["title"] == {"en": title}
    first_seen: set[str] = set()
    for code, body in sections:
        entry = found[code]
        documented = re.search(r"(?m)^HTTP状态码: (\d+)$", body)
        description = re.search(r"(?m)^描述: (.+)$", body)
        assert documented
        assert description
        target = entry if code not in first_seen else entry["contexts"][0]
        first_seen.add(code)
        assert target["http_status"] == int(documented.group(1))
        assert text_of(target["title"]) == description.group(1)
        if "原因:" in body:
            assert target.get("causes"), code
        if "解决方案:" in body:
            assert target.get("fixes") or target.get("snippets"), code
    assert texts(found["ORDER_NOT_CANCELLABLE"]["causes"]) == [
        "订单已完全成交(filled)",
        "订单已取消(cancelled)",
        "订单已拒绝(rejected)",
    ]
    assert texts(found["INSUFFICIENT_BALANCE"]["fixes"]) == ["充值更多资金", "降低订单数量", "增加杠杆倍数(谨慎)"]
    assert '"required": "653.25"' in found["INSUFFICIENT_BALANCE"]["examples"][0]
    assert "Math.floor(Date.now() / 1000)" in found["TIMESTAMP_EXPIRED"]["snippets"][0]
    assert texts(found["TIMESTAMP_EXPIRED"]["fixes"]) == ["始终使用最新的时间戳"]  # the code's own comment
    assert texts(found["RATE_LIMIT_EXCEEDED"]["limits"]) == [
        "公开接口: 100次/分钟",
        "私有接口: 60次/分钟",
        "订单操作: 20次/秒",
    ]
    context = found["INVALID_AMOUNT"]["contexts"][0]
    assert text_of(context["name"]) == "充值提现相关错误"
    assert text_of(context["title"]) == "金额无效(< 最小金额或 > 最大金额)"
    assert [(d.code, d.kept_as) for d in result.report.duplicates] == [("INVALID_AMOUNT", "context")]
    categories = {text_of(c["title"]): c["id"] for c in result.draft["categories"]}
    assert found["INSUFFICIENT_BALANCE"]["category"] == categories["订单相关错误"]
    assert found["SERVICE_UNAVAILABLE"]["category"] == categories["系统相关错误"]
    (envelope,) = result.draft["envelopes"]
    assert envelope["keys"] == ["error", "code"]
    assert (envelope["message_path"], envelope["details_path"]) == ("error", "details")


@pytest.mark.parametrize("catalog_id", ["market-data", "qaexchange", "ztdx"])
def test_seed_drafts_validate_and_answer_lookups(catalog_id: str, tmp_path: Path) -> None:
    source = tmp_path / f"{catalog_id}.txt"
    source.write_text(seed_text(catalog_id), encoding="utf-8")
    out = tmp_path / "draft.yaml"
    result = run("import", str(source), "--id", "mine", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "codes found in" in result.stderr
    assert run("validate", str(out)).exit_code == 0
    code = {"market-data": "1001", "qaexchange": "1001", "ztdx": "INVALID_AMOUNT"}[catalog_id]
    looked_up = run("--catalog-path", str(out), f"mine:{code}", "--json")
    assert looked_up.exit_code == 0, looked_up.output
    assert '"catalog": "mine"' in looked_up.stdout


# --- other layouts --------------------------------------------------------------------------------------

ENGLISH_TABLE = """\
# Acme Payments API: error reference

Every error is returned as:

```json
{"error": {"code": "CARD_DECLINED", "message": "The card was declined", "details": {"decline_code": "x"}}}
```

## Error codes

| HTTP Status | Error Code | Severity | Solution | Description |
|-------------|-----------|----------|----------|-------------|
| 402 | `CARD_DECLINED` | Warning | Ask the customer for another card | The card was declined |
| 429 | `RATE_LIMITED` | Low | Wait for the `Retry-After` seconds, then retry | Too many requests |
| 500 | `INTERNAL` | Critical | Retry later; contact support if it persists | Something went wrong on our side |
"""


def test_english_table_any_column_order_with_severity() -> None:
    result = imported(ENGLISH_TABLE, "acme.md")
    found = entries(result)
    assert list(found) == ["CARD_DECLINED", "RATE_LIMITED", "INTERNAL"]
    card = found["CARD_DECLINED"]
    assert card["http_status"] == 402
    assert card["title"] == {"en": "The card was declined"}
    assert card["fixes"] == [{"en": "Ask the customer for another card"}]
    assert [found[c]["severity"] for c in found] == ["warning", "info", "critical"]
    assert found["INTERNAL"]["fixes"] == [{"en": "Retry later; contact support if it persists"}]
    assert result.draft["language"] == "en"
    assert result.draft["name"] == {"en": "Acme Payments API: error reference"}
    (envelope,) = result.draft["envelopes"]
    assert (envelope["code_path"], envelope["message_path"]) == ("error.code", "error.message")
    assert envelope["details_path"] == "error.details"


def test_table_with_numbers_and_symbols_and_a_repeated_code() -> None:
    doc = """\
| Code | Enum | Description | HTTP Mapping |
|:----:|------|-------------|--------------|
| 0 | OK | Not an error; returned on success. | 200 OK |
| 3 | INVALID_ARGUMENT | The client specified an invalid argument. | 400 Bad Request |
| 14 | UNAVAILABLE | The service is currently unavailable. | 503 Service Unavailable |
| 3 | INVALID_ARGUMENT | The client specified an invalid argument. | 400 Bad Request |
| 14 | UNAVAILABLE | Reused for maintenance windows | 503 |
"""
    result = imported(doc, "grpc.md")
    found = entries(result)
    assert list(found) == [0, 3, 14]
    assert (found[3]["symbol"], found[3]["http_status"]) == ("INVALID_ARGUMENT", 400)
    assert found[14]["contexts"][0]["title"] == {"en": "Reused for maintenance windows"}
    kinds = [(d.code, d.first_line, d.line, d.kept_as) for d in result.report.duplicates]
    assert kinds == [(3, 4, 6, "merged"), (14, 5, 7, "context")]


HTML_PAGE = """\
<!DOCTYPE html>
<html><head><title>Foo API Errors</title><style>td { color: red }</style>
<script>var ERR_FAKE = 1;</script></head>
<body>
<h1>Foo API error codes</h1>
<p>All errors look like this:</p>
<pre><code class="language-json">{
  "status": "error",
  "code": 40001,
  "msg": "bad thing"
}</code></pre>
<h2>Request errors (4xxxx)</h2>
<table>
<thead><tr><th>Message</th><th>Code</th><th>How to fix</th></tr></thead>
<tbody>
<tr><td>Missing parameter</td><td>40001</td><td>Add the parameter &amp; retry</td></tr>
<tr><td>Invalid signature</td><td><code>40002</code></td><td>Sign with HMAC-SHA256<br>Check the clock</td></tr>
</tbody>
</table>
<h2>Server errors</h2>
<h3>50001 - Internal error</h3>
<p><strong>Cause:</strong> a bug on our side.</p>
<p><strong>Solution:</strong> retry later.</p>
<dl><dt>UPSTREAM_TIMEOUT</dt><dd>The upstream service timed out.</dd></dl>
</body></html>
"""


def test_html_tables_headings_and_definition_lists() -> None:
    result = imported(HTML_PAGE, "foo.html")
    assert result.report.format == "html"
    found = entries(result)
    assert list(found) == [40001, 40002, 50001, "UPSTREAM_TIMEOUT"]
    assert found[40001]["title"] == {"en": "Missing parameter"}
    assert texts(found[40001]["fixes"]) == ["Add the parameter & retry"]
    assert texts(found[40002]["fixes"]) == ["Sign with HMAC-SHA256", "Check the clock"]
    assert found[40001]["category"] == "4xxxx"
    assert result.draft["categories"][0]["range"] == [40000, 49999]
    assert texts(found[50001]["causes"]) == ["a bug on our side."]
    assert texts(found[50001]["fixes"]) == ["retry later."]
    assert found["UPSTREAM_TIMEOUT"]["title"] == {"en": "The upstream service timed out."}
    assert result.draft["name"] == {"en": "Foo API Errors"}
    (envelope,) = result.draft["envelopes"]
    assert envelope["error_when"] == {"status": "error"}
    assert envelope["message_path"] == "msg"


def test_html_is_recognised_by_content_too() -> None:
    page = "<table><tr><th>错误码</th><th>说明</th></tr><tr><td>1001</td><td>余额不足</td></tr></table>"
    result = imported(page, "-")
    assert result.report.format == "html"
    assert entries(result)[1001]["title"] == {"zh": "余额不足"}


PREFIXED = """\
# Widget API errors

## Authentication (1000-1999)

### E1001 Invalid API key
The API key is missing or malformed.

**Cause:** The `Authorization` header is wrong.

**Solution:**
1. Check the key in the dashboard
2. Regenerate the key

### E1002: Expired token
Description: The token has expired.
HTTP Status: 401

## Orders (2000-2999)

### E2001 - Order not found
- **Cause**: the order id does not exist
- **Fix**: list the orders first

## ERR_QUOTA: Monthly quota used up

Example:
```
{"code": "ERR_QUOTA", "message": "quota exceeded"}
```

## Changelog
- 2024-01-01 - first version
"""


def test_headings_with_prefixed_codes() -> None:
    result = imported(PREFIXED, "widget.md")
    found = entries(result)
    assert list(found) == ["E1001", "E1002", "E2001", "ERR_QUOTA"]
    first = found["E1001"]
    assert first["title"] == {"en": "Invalid API key"}
    assert first["description"] == {"en": "The API key is missing or malformed."}
    assert texts(first["causes"]) == ["The `Authorization` header is wrong."]
    assert texts(first["fixes"]) == ["Check the key in the dashboard", "Regenerate the key"]
    assert found["E1002"]["http_status"] == 401
    assert texts(found["E2001"]["causes"]) == ["the order id does not exist"]
    assert texts(found["E2001"]["fixes"]) == ["list the orders first"]
    assert found["ERR_QUOTA"]["title"] == {"en": "Monthly quota used up"}
    assert found["ERR_QUOTA"]["examples"] == ['{"code": "ERR_QUOTA", "message": "quota exceeded"}']
    assert "category" not in found["ERR_QUOTA"]  # E-codes are strings: no numeric range applies
    assert [(c["id"], c["range"]) for c in result.draft["categories"]] == [
        ("1000-1999", [1000, 1999]),
        ("2000-2999", [2000, 2999]),
    ]


def test_plain_text_prefixed_lines_with_chinese_labels() -> None:
    doc = """\
支付接口错误码

E1001 余额不足
原因：账户余额小于支付金额
解决方法：充值后重试
严重程度：警告

E1002 签名错误
原因：
- 密钥错误
- 参数顺序错误
处理建议：检查签名算法

常见问题
E1003 这一行在问答里，不是错误码定义吗？
"""
    result = imported(doc, "pay.txt")
    found = entries(result)
    assert found["E1001"] == {
        "code": "E1001",
        "title": {"zh": "余额不足"},
        "causes": [{"zh": "账户余额小于支付金额"}],
        "fixes": [{"zh": "充值后重试"}],
        "severity": "warning",
    }
    assert texts(found["E1002"]["causes"]) == ["密钥错误", "参数顺序错误"]
    assert result.draft["language"] == "zh-Hans"


def test_bare_code_lines_with_english_labels() -> None:
    doc = """\
Acme error codes

Authentication errors
INVALID_TOKEN
HTTP Status: 401
Description: The token is invalid
Cause:
• The token was revoked
• The token is malformed
Solution: Log in again
TOKEN_EXPIRED
HTTP Status: 401
Description: The token has expired
Severity: warning
Retryable: yes
Payment errors
CARD_DECLINED
HTTP Status: 402
Description: The card was declined
"""
    found = entries(imported(doc, "auth.txt"))
    assert found["INVALID_TOKEN"]["http_status"] == 401
    assert texts(found["INVALID_TOKEN"]["causes"]) == ["The token was revoked", "The token is malformed"]
    assert texts(found["INVALID_TOKEN"]["fixes"]) == ["Log in again"]
    assert (found["TOKEN_EXPIRED"]["severity"], found["TOKEN_EXPIRED"]["retryable"]) == ("warning", True)
    assert found["INVALID_TOKEN"]["category"] != found["CARD_DECLINED"]["category"]


def test_plain_text_tables_split_by_tabs_or_run_together() -> None:
    doc = (
        "Code\tName\tMeaning\tSeverity\n"
        "100\tBAD_INPUT\tThe input is invalid\twarning\n"
        "101\tNO_AUTH\tNot signed in\tfatal\n"
    )
    found = entries(imported(doc, "tabs.txt"))
    assert found[100] == {
        "code": 100,
        "symbol": "BAD_INPUT",
        "title": {"en": "The input is invalid"},
        "severity": "warning",
    }
    assert found[101]["severity"] == "critical"
    flat = "快速查询\n\n错误码简述严重程度\n7001余额不足⚠️ 警告\n7002账户冻结🔴 严重\n"
    found = entries(imported(flat, "flat.txt"))
    assert found[7001] == {"code": 7001, "title": {"zh": "余额不足"}, "severity": "warning"}
    assert found[7002]["severity"] == "critical"


def test_chinese_tables_with_the_code_column_anywhere() -> None:
    doc = """\
### 返回码说明

| 返回码 | 返回信息 | 说明 |
|-------|---------|------|
| 0 | ok | 请求成功 |
| -1 | system error | 系统繁忙，此时请开发者稍候再试 |

| 名称 | 描述 | 原因 | 解决方案 | 状态码 | 错误码 |
| --- | --- | --- | --- | --- | --- |
| 签名错误 | 签名验证失败 | 签名错误 | 请检查签名参数和方法 | 401 | SIGN_ERROR |
"""
    found = entries(imported(doc, "wx.md"))
    assert found[-1] == {
        "code": -1,
        "title": {"en": "system error"},
        "description": {"zh": "系统繁忙，此时请开发者稍候再试"},
    }
    assert found["SIGN_ERROR"] == {
        "code": "SIGN_ERROR",
        "http_status": 401,
        "title": {"zh": "签名错误"},
        "description": {"zh": "签名验证失败"},
        "causes": [{"zh": "签名错误"}],
        "fixes": [{"zh": "请检查签名参数和方法"}],
    }


def test_headings_with_an_error_prefix_and_sub_headings() -> None:
    doc = """\
# Error and Warning Dictionary

## Error 20003: Authentication Error

### Description
Your request could not be authenticated.

### Possible Causes
- Wrong Account SID
- Wrong Auth Token

### Possible Solutions
- Double-check your credentials.

## Error 20404: Not Found
The requested resource was not found.
"""
    found = entries(imported(doc, "dictionary.md"))
    assert found[20003] == {
        "code": 20003,
        "title": {"en": "Authentication Error"},
        "description": {"en": "Your request could not be authenticated."},
        "causes": [{"en": "Wrong Account SID"}, {"en": "Wrong Auth Token"}],
        "fixes": [{"en": "Double-check your credentials."}],
    }
    assert found[20404]["title"] == {"en": "Not Found"}


def test_aligned_code_lists_without_a_header() -> None:
    doc = "API return codes\n\n0      Success\n-1     Unknown error\n10001  Invalid parameter\n\nThat is all.\n"
    found = entries(imported(doc, "codes.txt"))
    assert {c: text_of(e["title"]) for c, e in found.items()} == {
        0: "Success",
        -1: "Unknown error",
        10001: "Invalid parameter",
    }


def test_lists_of_codes_and_retryable_lists() -> None:
    doc = """\
# Errors

1. **1001**: Insufficient funds
2. **1002**: Position limit exceeded
- `2001` - Account exists

```js
const RETRYABLE_CODES = [1002, 2001]; // the others need a fix first
```
"""
    found = entries(imported(doc, "list.md"))
    assert {c: e["title"]["en"] for c, e in found.items()} == {
        1001: "Insufficient funds",
        1002: "Position limit exceeded",
        2001: "Account exists",
    }
    assert [e.get("retryable") for e in found.values()] == [None, True, True]


def test_documents_own_words_only() -> None:
    """Fields the document does not give are left out: no translations, severities or keywords invented."""
    result = imported(seed_text("ztdx"), "004.txt")
    for entry in result.draft["entries"]:
        assert not {"keywords", "severity", "retryable", "retry_after"} & set(entry)
        for key in ("title", "description"):
            if key in entry:
                assert len(entry[key]) == 1
    assert result.draft["entries"][0]["title"] == {"en": "OK"}  # English where the document is English
    assert result.draft["entries"][0]["causes"] == [{"zh": "请求成功"}]
    assert "translated" not in result.draft


def test_draft_header() -> None:
    result = imported(ENGLISH_TABLE, "docs/acme-errors.md")
    header = result.draft
    assert header["id"] == "acme-errors"
    assert header["source"] == {"title": "Acme Payments API: error reference", "document": "acme-errors.md"}
    assert header["description"] == {"en": "Draft imported from acme-errors.md by errcode import; review before use"}
    named = imported(ENGLISH_TABLE, "x.md", catalog_id="acme", name="Acme 支付")
    assert (named.draft["id"], named.draft["name"]) == ("acme", {"zh": "Acme 支付"})
    assert named.yaml.startswith("# Draft catalog written by `errcode import`")
    assert yaml.safe_load(named.yaml)["entries"][0]["code"] == "CARD_DECLINED"


def test_sections_that_could_not_be_read_are_reported() -> None:
    doc = """\
| code | meaning |
|---|---|
| 1001 | Insufficient funds |
| ??? | broken row |

Solution: this fix belongs to no code

ORPHAN_CODE
is a name with no description below it.
"""
    report = imported(doc, "odd.md").report
    assert report.codes == (1001,)
    assert [u.line for u in report.unparsed] == [4, 6, 8]


# --- bad input ---------------------------------------------------------------------------------------------


def test_empty_and_blank_files(tmp_path: Path) -> None:
    for content in ("", "  \n\n\t\n"):
        path = tmp_path / "empty.md"
        path.write_text(content, encoding="utf-8")
        result = run("import", str(path))
        assert result.exit_code == ExitCode.USAGE
        assert "empty.md is empty" in result.stderr
        assert result.stdout == ""


def test_no_codes_is_exit_1_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("# Meeting notes\n\nWe talked about the weather.\n", encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == ExitCode.NOT_FOUND
    assert f"no error codes found in {path}" in result.stderr
    assert "hint:" in result.stderr
    assert result.stdout == ""


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "logo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    result = run("import", str(path))
    assert result.exit_code == ExitCode.USAGE
    assert "binary file" in result.stderr
    assert "Traceback" not in result.output


def test_huge_file_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    with path.open("wb") as file:
        file.write(b"1001 - too big\n" * (50 * 1024 * 1024 // 15 + 1))
    started = time.perf_counter()
    result = run("import", str(path))
    assert time.perf_counter() - started < 5
    assert result.exit_code == ExitCode.USAGE
    assert "larger than 8 MiB" in result.stderr
    with pytest.raises(UsageError, match="larger than"):
        read_document("-", stdin=io.BytesIO(b"x" * 2048), limit=1024)


def test_a_large_document_is_read_in_reasonable_time() -> None:
    sections = "".join(
        f"{i} - 错误 {i}\n描述: 第 {i} 个错误\n原因:\n  • 原因 {i}\n解决方案: 处理 {i}\n\n" for i in range(10000, 14000)
    )
    started = time.perf_counter()
    result = imported(sections, "big.txt")
    assert time.perf_counter() - started < 30
    assert len(result.report.codes) == 4000


def test_unreadable_paths(tmp_path: Path) -> None:
    assert run("import", str(tmp_path / "missing.md")).exit_code == ExitCode.USAGE
    folder = run("import", str(tmp_path))
    assert folder.exit_code == ExitCode.USAGE
    assert "is a folder" in folder.stderr


def test_devices_and_fifos_are_refused_without_reading_them(tmp_path: Path) -> None:
    started = time.perf_counter()
    zero = run("import", "/dev/zero")
    assert time.perf_counter() - started < 5
    assert zero.exit_code == ExitCode.USAGE
    assert "/dev/zero" in zero.stderr
    assert "Traceback" not in zero.output
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    proc = subprocess.run(
        [sys.executable, "-m", "errcli", "import", str(fifo)], capture_output=True, text=True, timeout=20, check=False
    )
    assert proc.returncode == ExitCode.USAGE
    assert str(fifo) in proc.stderr
    assert "Traceback" not in proc.stderr


def test_other_encodings() -> None:
    doc = "错误码说明\n\n1001 - 资金不足\n描述: 账户可用资金不足\n"
    for raw in (doc.encode("gb18030"), doc.encode("utf-16"), b"\xef\xbb\xbf" + doc.encode()):
        text, _ = decode(raw, "x")
        assert entries(imported(text, "x.txt"))[1001]["title"] == {"zh": "资金不足"}
    assert decode(doc.encode("gb18030"), "x")[1] == "gb18030"
    assert decode("资金不足".encode()[:-1], "x")[0] == "资金不"  # cut in the middle of a character


# --- the command ---------------------------------------------------------------------------------------------


def test_stdin_to_stdout_with_report_on_stderr() -> None:
    result = run("import", "-", "--id", "acme", stdin=ENGLISH_TABLE)
    assert result.exit_code == 0, result.output
    draft = yaml.safe_load(result.stdout)
    assert draft["id"] == "acme"
    assert draft["source"]["document"] == "stdin"
    assert "3 codes found in stdin" in result.stderr
    assert "CARD_DECLINED, RATE_LIMITED, INTERNAL" in result.stderr


def test_output_file_and_force(tmp_path: Path) -> None:
    source = tmp_path / "widget.md"
    source.write_text(PREFIXED, encoding="utf-8")
    out = tmp_path / "widget.yaml"
    out.write_text("keep me\n", encoding="utf-8")
    refused = run("import", str(source), "-o", str(out))
    assert refused.exit_code == ExitCode.USAGE
    assert "already exists" in refused.stderr
    assert "--force" in refused.stderr
    assert out.read_text(encoding="utf-8") == "keep me\n"
    written = run("import", str(source), "-o", str(out), "--force")
    assert written.exit_code == 0, written.output
    assert f"wrote {out}" in written.stderr
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["id"] == "widget"
    assert run("validate", str(out)).exit_code == 0


def test_output_never_follows_a_link_planted_at_a_temporary_name(tmp_path: Path) -> None:
    source = tmp_path / "doc.md"
    source.write_text(PREFIXED, encoding="utf-8")
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched\n", encoding="utf-8")
    (tmp_path / ".out.yaml.tmp").symlink_to(victim)
    out = tmp_path / "out.yaml"
    written = run("import", str(source), "-o", str(out))
    assert written.exit_code == 0, written.output
    assert victim.read_text(encoding="utf-8") == "untouched\n"
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["id"] == "doc"
    assert not out.is_symlink()


def test_report_lists_duplicates_and_unparsed_lines(tmp_path: Path) -> None:
    source = tmp_path / "dup.md"
    source.write_text(
        "| code | meaning |\n|---|---|\n| 7 | Seven |\n| 7 | Something else |\n| ??? | broken |\n", encoding="utf-8"
    )
    result = run("import", str(source))
    assert result.exit_code == 0
    assert "7: line 3, again at line 4 (another meaning, kept in contexts)" in result.stderr
    assert "line 5: ??? | broken" in result.stderr


def test_bad_id_is_a_usage_error(tmp_path: Path) -> None:
    source = tmp_path / "a.md"
    source.write_text(ENGLISH_TABLE, encoding="utf-8")
    result = run("import", str(source), "--id", "Not An Id")
    assert result.exit_code == ExitCode.USAGE
    assert "is not a catalog id" in result.stderr


def test_import_is_a_command_everywhere() -> None:
    assert run("import", "--help").exit_code == 0
    assert [v for v, _ in candidates(["errcode", "imp"], 1)] == ["import"]
    assert candidates(["errcode", "import", ""], 2) == [(FILES, "")]
    assert candidates(["errcode", "import", "x.md", "-o", ""], 4) == [(FILES, "")]
    assert candidates(["errcode", "import", "x.md", "--id", ""], 4) == []


# --- HTTP-status documents: the statuses get the bundled http catalog's severities ------------------------

HTTP_TABLE = """\
# HTTP status codes

| Code | Description |
|------|-------------|
| 200 | OK |
| 301 | Moved Permanently |
| 404 | Not Found |
| 429 | Too Many Requests |
| 500 | Internal Server Error |
| 503 | Service Unavailable |
"""

HTTP_SECTIONS = """\
# Status codes

## 200 OK
The request succeeded.

## 404 Not Found
The resource does not exist.

## 500 Internal Server Error
The server failed to answer.

## 502 Bad Gateway
An upstream server failed.
"""

NOT_HTTP = """\
# Payment errors

| Code | Description |
|------|-------------|
| 1001 | Card declined |
| 5001 | Gateway timeout |
| 101 | Missing signature |
| 102 | Invalid parameter |
"""


def _imported_list(tmp_path: Path, doc: str, catalog_id: str) -> dict[Any, dict[str, Any]]:
    source = tmp_path / f"{catalog_id}.md"
    source.write_text(doc, encoding="utf-8")
    out = tmp_path / f"{catalog_id}.yaml"
    assert run("import", str(source), "-o", str(out)).exit_code == 0
    listed = run("list", "--catalog-path", str(out), "-c", catalog_id, "--json")
    assert listed.exit_code == 0, listed.output
    return {e["code"]: e for e in json.loads(listed.stdout)["entries"]}


@pytest.mark.parametrize(("doc", "catalog_id"), [(HTTP_TABLE, "statuses"), (HTTP_SECTIONS, "sections")])
def test_http_status_document_gets_the_http_catalogs_severities(doc: str, catalog_id: str, tmp_path: Path) -> None:
    found = _imported_list(tmp_path, doc, catalog_id)
    http = {e["code"]: e for e in json.loads(run("list", "-c", "http", "--json").stdout)["entries"]}
    assert found
    for code, entry in found.items():
        assert entry["http_status"] == code  # the code is the status
        assert entry["severity"] == http[code]["severity"], code
        assert entry["severity_source"] == "derived"
    fives = json.loads(
        run("list", "--catalog-path", str(tmp_path / f"{catalog_id}.yaml"), "--http", "5xx", "--json").stdout
    )
    assert sorted(e["code"] for e in fives["entries"] if e["catalog"] == catalog_id) == sorted(
        c for c in found if c >= 500
    )


def test_numbers_of_another_api_are_not_http_statuses(tmp_path: Path) -> None:
    found = _imported_list(tmp_path, NOT_HTTP, "payments")
    assert {c: (e["http_status"], e["severity"]) for c, e in found.items()} == {
        1001: (None, "warning"),
        5001: (None, "warning"),
        101: (None, "warning"),
        102: (None, "warning"),
    }
