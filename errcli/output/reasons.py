"""The sentence behind an explained error, written from its evidence, in English or Chinese.

The core (:mod:`errcli.explain`) returns structured evidence; this output-layer module turns
it into the one line a person reads (``why``) and the JSON ``reason``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from errcli.model import Lang

if TYPE_CHECKING:
    from errcli.explain.result import Evidence, ExplainedError

_EN = {
    "envelope": "the {value} shape is {catalog}'s",
    "envelope.strong": "the {value} shape is {catalog}'s (its error flag is set)",
    "frame": "it sits in a {catalog} {value} frame",
    "named": "the text names {catalog}",
    "code.exact": "code {value} is documented in {catalog}",
    "code.folded": "code {value} is {catalog}:{code} as documented",
    "code.http_status": "code {value} is an HTTP status, not an API error code",
    "code.not_documented": "code {value} is not documented in {where}",
    "code.elsewhere": "code {value} is documented only in {catalog}, not in the API whose shape this is",
    "code.catch_all": "code {value} is {catalog}'s code for errors that fit no other",
    "message.agrees": "the message matches its meaning ({score:.0f}%)",
    "message.unrelated": "the message does not resemble {catalog}:{code}'s meaning",
    "message.contradicts": "but the message contradicts that meaning: it matches {catalog}:{code} ({score:.0f}%)",
    "message.guess": "best guess from the message: {catalog}:{code} ({score:.0f}% match)",
    "message.resembles": "the message resembles {catalog}:{code} ({score:.0f}%; a guess, see alternatives)",
    "message": "the message matches {catalog}:{code} ({score:.0f}%)",
    "http_status": "HTTP {value}",
    "http_status.documented": "HTTP {value} is the documented status",
    "http_status.differs": "the response says HTTP {value}, the document another status",
    "http_status.only": "HTTP {value} is all the response says clearly",
    "header": "{value}",
    "call": "the call places, cancels or moves something (“{value}”)",
}
_ZH = {
    "envelope": "响应结构 {value} 属于 {catalog}",
    "envelope.strong": "响应结构 {value}（含错误标志）属于 {catalog}",
    "frame": "位于 {catalog} 的 {value} 帧中",
    "named": "文本提到 {catalog}",
    "code.exact": "错误码 {value} 见于 {catalog} 的文档",
    "code.folded": "错误码 {value} 即文档中的 {catalog}:{code}",
    "code.http_status": "错误码 {value} 是 HTTP 状态码，不是 API 错误码",
    "code.not_documented": "错误码 {value} 未见于 {where} 的文档",
    "code.elsewhere": "错误码 {value} 只见于 {catalog}，而响应结构属于另一个 API",
    "code.catch_all": "错误码 {value} 是 {catalog} 用于无法归入其他错误码的错误",
    "message.agrees": "消息与其含义一致（{score:.0f}%）",
    "message.unrelated": "消息与 {catalog}:{code} 的含义不符",
    "message.contradicts": "但消息与该含义矛盾：它对应 {catalog}:{code}（{score:.0f}%）",
    "message.guess": "按消息推测：{catalog}:{code}（匹配 {score:.0f}%）",
    "message.resembles": "消息近似 {catalog}:{code}（{score:.0f}%；仅为推测，见备选）",
    "message": "消息对应 {catalog}:{code}（{score:.0f}%）",
    "http_status": "HTTP {value}",
    "http_status.documented": "HTTP {value} 正是文档给出的状态码",
    "http_status.differs": "响应为 HTTP {value}，与文档给出的状态码不同",
    "http_status.only": "响应中明确的只有 HTTP {value}",
    "header": "{value}",
    "call": "该调用会下单、撤单或转移资金（“{value}”）",
}
_NOTHING = {"en": "nothing in the response names a documented error", "zh": "响应中没有可对应文档的错误"}
_NO_CODE = {"en": "no error code in the response", "zh": "响应中没有错误码"}
_ANY = {"en": "any catalog", "zh": "任何目录"}


def _sentence(ev: Evidence, lang: Lang) -> str:
    table = _ZH if lang == "zh" else _EN
    template = table.get(f"{ev.kind}.{ev.note}") or table.get(ev.kind, "")
    from errcli._text import safe

    return template.format(
        value=safe(str(ev.value))[:80],
        catalog=safe(ev.catalog or "?"),
        code=safe(str(ev.code)),
        score=ev.score or 0.0,
        where=safe(ev.catalog) if ev.catalog else _ANY[lang],
    )


def describe(error: ExplainedError, lang: Lang = "en") -> str:
    """``why``: the evidence as one sentence, strongest first."""
    parts: list[str] = []
    if error.code is None and error.raw_code is None and error.basis != "http_status":
        parts.append(_NO_CODE[lang])
    seen: set[str] = set()
    for ev in error.evidence:
        text = _sentence(ev, lang)
        if text and text not in seen:
            seen.add(text)
            parts.append(text)
    return ("；" if lang == "zh" else "; ").join(parts) or _NOTHING[lang]
