"""The bundled catalogs: complete, bilingual, faithful to their documents."""

from __future__ import annotations

import re

import pytest
from conftest import seed_text

from errcli.catalog import CatalogSet
from errcli.model import Catalog, Entry, Text


def _span(low: int, high: int) -> list[int]:
    return list(range(low, high + 1))


EXPECTED: dict[str, list[int | str]] = {
    "market-data": [
        0, *_span(1001, 1004), *_span(2001, 2004), *_span(3001, 3004), *_span(4001, 4004), *_span(5000, 5002),
    ],
    "qaexchange": [
        *_span(1001, 1008), *_span(2001, 2005), *_span(3001, 3004), *_span(4001, 4002),
        *_span(5000, 5003), *_span(6001, 6003), *_span(9001, 9005), 9999,
    ],
    "ztdx": [
        "INVALID_SIGNATURE_FORMAT", "SIGNATURE_INVALID", "TIMESTAMP_EXPIRED", "NONCE_INVALID", "TOKEN_EXPIRED",
        "TOKEN_INVALID", "INSUFFICIENT_BALANCE", "INVALID_SYMBOL", "INVALID_LEVERAGE", "INVALID_AMOUNT",
        "PRICE_REQUIRED", "ORDER_NOT_FOUND", "ORDER_NOT_CANCELLABLE", "ORDER_NOT_OWNED", "POSITION_NOT_FOUND",
        "POSITION_NOT_OWNED", "INSUFFICIENT_COLLATERAL", "LIQUIDATION_RISK", "INVALID_TRIGGER_PRICE",
        "TRIGGER_ORDER_NOT_FOUND", "TRIGGER_ORDER_NOT_CANCELLABLE", "CODE_ALREADY_EXISTS", "CODE_NOT_FOUND",
        "ALREADY_BOUND", "SELF_REFERRAL", "NO_PENDING_EARNINGS", "BELOW_MINIMUM", "INVALID_TOKEN",
        "WITHDRAW_NOT_FOUND", "WITHDRAW_NOT_CANCELLABLE", "DATABASE_ERROR", "MATCHING_ERROR",
        "RATE_LIMIT_EXCEEDED", "SERVICE_UNAVAILABLE",
        200, 400, 401, 403, 404, 429, 500, 503,
    ],
    "http": [
        100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226,
        300, 301, 302, 303, 304, 305, 307, 308,
        *_span(400, 418), 421, 422, 423, 424, 425, 426, 428, 429, 431, 451,
        *_span(500, 508), 510, 511,
    ],
}  # fmt: skip


def _texts(entry: Entry) -> list[tuple[str, Text | None]]:
    return [
        ("title", entry.title),
        ("description", entry.description),
        *((f"causes[{i}]", t) for i, t in enumerate(entry.causes)),
        *((f"fixes[{i}]", t) for i, t in enumerate(entry.fixes)),
    ]


def test_bundled_catalogs_are_the_four(bundled: CatalogSet) -> None:
    assert set(bundled.ids) == set(EXPECTED)
    assert not bundled.problems


@pytest.mark.parametrize("catalog_id", sorted(EXPECTED))
def test_every_documented_code_is_present(bundled: CatalogSet, catalog_id: str) -> None:
    catalog = bundled.get(catalog_id)
    assert catalog is not None
    codes = [e.code for e in catalog.entries]
    missing = [c for c in EXPECTED[catalog_id] if c not in codes]
    assert not missing, f"{catalog_id} lacks {missing}"
    if catalog_id != "http":  # the http catalog may carry more than the RFC minimum
        assert sorted(map(str, codes)) == sorted(map(str, EXPECTED[catalog_id]))


@pytest.mark.parametrize("catalog_id", sorted(EXPECTED))
def test_every_entry_is_complete_in_both_languages(bundled: CatalogSet, catalog_id: str) -> None:
    catalog = bundled.get(catalog_id)
    assert catalog is not None
    for entry in catalog.entries:
        where = f"{catalog_id}:{entry.code}"
        assert entry.causes, f"{where} has no causes"
        assert entry.fixes, f"{where} has no fixes"
        for name, text in _texts(entry):
            assert text is not None, f"{where} has no {name}"
            assert (text.zh or "").strip(), f"{where} {name} has no zh text"
            assert (text.en or "").strip(), f"{where} {name} has no en text"
            if catalog_id != "ztdx":  # ztdx's English may quote Chinese UI messages
                assert not re.search(r"[\u4e00-\u9fff]", text.en or ""), (
                    f"{where} {name}.en is not English: {text.en!r}"
                )
        assert entry.severity in ("info", "warning", "critical"), where
        assert entry.severity_source in ("documented", "derived"), where
        assert isinstance(entry.retryable, bool), where
        assert entry.retryable_source in ("documented", "derived"), where
        assert entry.keywords, f"{where} has no keywords"


DOCUMENTED = pytest.mark.parametrize("catalog_id", ["market-data", "qaexchange", "ztdx"])


def _with_document(bundled: CatalogSet, catalog_id: str) -> tuple[Catalog, str]:
    """A bundled catalog and the seed document it was written from."""
    catalog = bundled.get(catalog_id)
    assert catalog is not None
    return catalog, seed_text(catalog_id)


@DOCUMENTED
def test_examples_and_snippets_are_verbatim(bundled: CatalogSet, catalog_id: str) -> None:
    catalog, document = _with_document(bundled, catalog_id)
    for entry in catalog.entries:
        for text in (*entry.examples, *entry.snippets):
            assert text in document, f"{catalog_id}:{entry.code} example/snippet not in the document:\n{text}"
    for envelope in catalog.envelopes:
        assert envelope.example in document, f"{catalog_id} envelope {envelope.name} example not verbatim"


@DOCUMENTED
def test_titles_come_from_the_document(bundled: CatalogSet, catalog_id: str) -> None:
    catalog, document = _with_document(bundled, catalog_id)
    for entry in catalog.entries:
        if "title" in entry.added:
            continue
        assert entry.title.zh, entry.code
        for part in entry.title.zh.split(" / "):  # one code documented twice joins both titles
            assert part in document, f"{catalog_id}:{entry.code} title {part!r} is not the document's"


def test_codes_found_in_the_documents_are_all_catalogued(bundled: CatalogSet) -> None:
    """Independent of the list above: scan each document for the codes it defines."""
    found = {
        "market-data": {int(c) for c in re.findall(r"^\| (\d+) \|", seed_text("market-data"), re.MULTILINE)},
        "qaexchange": {int(c) for c in re.findall(r"^(\d{4}) - ", seed_text("qaexchange"), re.MULTILINE)},
        "ztdx": set(re.findall(r"^([A-Z][A-Z_]+)\nHTTP状态码", seed_text("ztdx"), re.MULTILINE))
        | {int(c) for c in re.findall(r"^\| (\d{3}) \|", seed_text("ztdx"), re.MULTILINE)},
    }
    for catalog_id, codes in found.items():
        catalog = bundled.get(catalog_id)
        assert catalog is not None
        assert codes, catalog_id
        assert codes <= {e.code for e in catalog.entries}, f"{catalog_id}: {codes - {e.code for e in catalog.entries}}"


def test_qaexchange_severity_follows_its_table(bundled: CatalogSet) -> None:
    document = seed_text("qaexchange")
    table = dict(re.findall(r"^(\d{4})\S+?(⚠️ 警告|🔴 严重)$", document, re.MULTILINE))
    assert len(table) == 28
    expected = {"⚠️ 警告": "warning", "🔴 严重": "critical"}
    catalog = bundled.get("qaexchange")
    assert catalog is not None
    for entry in catalog.entries:
        if str(entry.code) in table:
            assert entry.severity == expected[table[str(entry.code)]], entry.code
            assert entry.severity_source == "documented", entry.code
        else:
            assert entry.code in (3004, 4001, 4002, 5003)
            assert entry.severity_source == "derived", entry.code


def test_qaexchange_retryable_list_is_documented(bundled: CatalogSet) -> None:
    catalog = bundled.get("qaexchange")
    assert catalog is not None
    retryable = {e.code for e in catalog.entries if e.retryable}
    assert {5000, 5002, 9004, 9005} <= retryable
    for code in (5000, 5002, 9004, 9005):
        entry = next(e for e in catalog.entries if e.code == code)
        assert entry.retryable_source == "documented"


def test_scripts_are_kept(bundled: CatalogSet) -> None:
    md = {e.code: e for e in bundled.entries(["market-data"])}
    assert md[1004].title.zh == "權限不足"  # Traditional, as the document writes it
    assert md[2003].title.zh == "時間範圍無效"
    qa = {e.code: e for e in bundled.entries(["qaexchange"])}
    assert qa[1001].title.zh == "资金不足"  # Simplified
    zt = {e.code: e for e in bundled.entries(["ztdx"])}
    assert zt["INSUFFICIENT_BALANCE"].title.zh == "可用余额不足"


def test_limits_and_headers_are_kept(bundled: CatalogSet) -> None:
    def all_text(entry: Entry) -> str:
        texts = [*_texts(entry), *(("limit", t) for t in entry.limits)]
        for context in entry.contexts:
            texts += [("c", context.description), *(("c", t) for t in (*context.limits, *context.causes))]
        return " ".join(f"{t.zh} {t.en}" for _, t in texts if t)

    by = {(e.catalog, e.code): e for e in bundled.entries()}
    assert "1 手" in all_text(by["qaexchange", 1008])
    assert "100 req/s" in all_text(by["qaexchange", 9004])
    assert "50" in all_text(by["ztdx", "INVALID_LEVERAGE"])
    assert "10 USDT" in all_text(by["ztdx", "BELOW_MINIMUM"])
    assert "5" in all_text(by["ztdx", "TIMESTAMP_EXPIRED"])
    rate = all_text(by["ztdx", "RATE_LIMIT_EXCEEDED"])
    assert "100次/分钟" in rate
    assert "60次/分钟" in rate
    assert "20次/秒" in rate
    assert "Retry-After" in by["market-data", 3001].headers
    assert "X-API-Key" in by["market-data", 1002].headers
    assert by["ztdx", "RATE_LIMIT_EXCEEDED"].http_status == 429


def test_invalid_amount_keeps_both_contexts(bundled: CatalogSet) -> None:
    entries = [e for e in bundled.entries(["ztdx"]) if e.code == "INVALID_AMOUNT"]
    assert len(entries) == 1
    contexts = entries[0].contexts
    assert len(contexts) == 2
    joined = " ".join(f"{c.name.zh} {c.description.zh if c.description else ''}" for c in contexts)
    assert "订单" in joined
    assert "10 USDT" in " ".join(t.zh or "" for c in contexts for t in c.limits)


def test_details_fields_are_declared(bundled: CatalogSet) -> None:
    by = {(e.catalog, e.code): e for e in bundled.entries()}
    fields = {d.field for d in by["ztdx", "INSUFFICIENT_BALANCE"].details}
    assert {"details.required", "details.available"} <= fields
    assert "data.channel" in {d.field for d in by["market-data", 4003].details}


def test_headers_describe_their_document(bundled: CatalogSet) -> None:
    for catalog in bundled.catalogs:
        assert catalog.name.zh
        assert catalog.name.en
        assert catalog.source is not None
        assert catalog.rules.severity is not None
        assert catalog.rules.retryable is not None
        assert catalog.translated
        if catalog.id != "http":
            assert catalog.envelopes, catalog.id
            assert catalog.categories, catalog.id
    qa = bundled.get("qaexchange")
    assert qa is not None
    assert qa.version == "v0.1.0"
    assert qa.date == "2025-10-03"
    risk = qa.category(next(e.category for e in qa.entries if e.code == 1001))
    assert risk is not None
    assert risk.range == (1000, 1999)
    assert risk.title.zh == "风控错误"


def test_added_text_is_marked(bundled: CatalogSet) -> None:
    """Fields errcode wrote itself are named in `added`, and only known fields are named."""
    allowed = {"title", "description", "causes", "fixes", "limits", "details", "retry_advice", "contexts"}
    for entry in bundled.entries():
        assert set(entry.added) <= allowed, (entry.catalog, entry.code, entry.added)
    qa3004 = next(e for e in bundled.entries(["qaexchange"]) if e.code == 3004)
    assert "fixes" in qa3004.added  # the document gives no fix for 3004
