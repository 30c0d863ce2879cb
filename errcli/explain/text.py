"""A plain-text body: what a few lines of text with no JSON say (a leaf of :mod:`errcli.explain`).

``curl -s`` of a framework's plain-text error, a gateway's HTML page saved without its headers,
a client's exception, a server's text log line. This module reads the words: the log prefix
and its level, ``key=value`` pairs (logfmt), an HTTP status the text names, whether it says an
error at all. The engine (:meth:`errcli.explain.engine.Explainer.text_body`) weighs them against
the catalogs. It is imported only when such a body is read, so its patterns cost nothing on an
explain run that has none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from errcli.explain.fields import CODE_KEYS, ERROR_LEVELS, MESSAGE_KEYS, QUIET_LEVELS, WS_CLOSE_CODES, says_error
from errcli.explain.http import is_reason, page_title

# a stack trace's frame (JavaScript's ``at f (app.js:14:15)``, Python's ``File "x.py", line 3, in f``)
# and a browser's ``Uncaught (in promise)``: not part of a message
_FRAME = re.compile(
    r"\s*(?:at\s+(?:async\s+)?[^()\n]{0,200}?\(?[^()\s]+:\d+(?::\d+)?\)?|File \"[^\"\n]*\", line \d+.*)\s*"
)
_UNCAUGHT = re.compile(r"^\s*Uncaught(?: \(in promise\))?\s+")
# an HTTP status a text names outright: a client's exception (requests' ``404 Client Error``), a
# browser's ``response code: 400``, axios' ``status code 403``, an access log's ``"GET / HTTP/1.1" 502``
_SAID_STATUS = re.compile(
    r"(?i)\b([45]\d\d) (?:Client|Server) Error\b|\b(?:status(?:[ _]code)?|response(?: code)?)\s*[:= ]\s*([45]\d\d)\b"
    r'|\bHTTP/\d(?:\.\d)?"? ([45]\d\d)\b'
    r"|\b([45]\d\d), message='"  # aiohttp's ClientResponseError
    r"|\bkind: Status\(([45]\d\d)\)"  # Rust reqwest's Error
)
# a status followed by words (``504 Gateway Time-out``, ``502: Bad gateway``): a status only when
# the words are its reason phrase (:func:`errcli.explain.http.is_reason`)
_STATUS_WORDS = re.compile(r"(?<![\w.])([45]\d\d)(?![\w.])[\s:|-]{1,4}([A-Za-z][A-Za-z' -]{1,60})")
# logfmt's key=value pairs (a value quoted or bare), and name: value pairs with a quoted or numeric
# value (Node's console.log of an object, ``code: 'X', message: '…'``; a close frame's ``(code: 1008,
# reason: "…")``)
_PAIR = re.compile(
    r'(?<![\w.])([A-Za-z_][\w.]{0,40})(?:=("(?:[^"\\]|\\.){0,2000}"|[^\s"]{1,200})'
    r"|:[ \t]*(\"(?:[^\"\\]|\\.){0,2000}\"|'(?:[^'\\]|\\.){0,2000}'|-?\d{1,18}(?![\w.])))"
)

# A log line's prefix: it starts with a timestamp, a bracketed group, a level or a glog header,
# and may go on with a logger's name (``a::b::c``, ``risk.pre_trade:``, ``md-gw[2231]:``).
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_LEVEL = r"(?:TRACE|DEBUG|INFO|NOTICE|WARN(?:ING)?|ERROR|ERR|FATAL|CRITICAL|SEVERE)"
_PREFIX_START = (
    r"\[[^\]\n]{0,160}\]"
    r"|\d{4}[-/]\d\d[-/]\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:[.,]\d{1,9})?)?(?:Z|[+-]\d\d:?\d\d)?)?"
    r"|\d\d:\d\d:\d\d(?:[.,]\d{1,9})?"
    rf"|{_MONTH} [ \d]?\d(?= )"
    r"|[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+ +\d+ [\w.-]+:\d+\]"
    rf"|{_LEVEL}(?![\w-])"
)
_PREFIX_MORE = r"\w+(?:::\w+)+|[\w-]+(?:\.[\w-]+)+(?::\d+)?(?=[:\]])|[\w.-]+\[\d+\]"
_PREFIX = re.compile(rf"(?:(?:{_PREFIX_START})[\s:|,-]*)+(?:(?:{_PREFIX_START}|{_PREFIX_MORE})[\s:|,-]*)*")
_PREFIX_LEVEL = re.compile(rf"(?<![\w-])({_LEVEL})(?![\w-])|^\[?([IWEF])\d{{4}} ")
_GLOG = {"I": "INFO", "W": "WARNING", "E": "ERROR", "F": "FATAL"}


@dataclass(frozen=True)
class Text:
    """What a text body says: its message (prefixes and markup gone) and the level its log prefix gave."""

    message: str
    level: str | None  # the level of the lines the message is made of: an error level if one says it
    page: bool  # the text was an HTML page (its message is the page's title)
    prefixes: str = ""  # the log prefixes taken off the message's lines (``[Proxy Error]``)

    @property
    def quiet(self) -> bool:
        """Every line is a log's at INFO or lower: ordinary lines, whatever their words."""
        return self.level is not None and self.level in QUIET_LEVELS

    @property
    def says_error(self) -> bool:
        if self.level is not None and self.level in ERROR_LEVELS:
            return True
        return says_error(self.message) or says_error(self.prefixes)


def read_text(lines: list[str]) -> Text:
    """The message of a few lines of text: an HTML page by its title, each log line without its prefix."""
    joined = " ".join(lines)
    if joined.lstrip()[:1] == "<":
        return Text(page_title(joined), None, True)
    parsed = [strip_prefix(_UNCAUGHT.sub("", line)) for line in lines if not _FRAME.fullmatch(line)]
    if not parsed:
        return Text("", None, False)
    loud = [(level, prefix, rest) for level, prefix, rest in parsed if level is None or level not in QUIET_LEVELS]
    if not loud:  # every line is a log's ordinary line
        return Text(" ".join(rest for _, _, rest in parsed), parsed[0][0], False)
    levels = [level for level, _, _ in loud if level is not None]
    level = next((v for v in levels if v in ERROR_LEVELS), levels[0] if levels else None)
    message = " ".join(" ".join(rest for _, _, rest in loud).split())
    return Text(message, level, False, " ".join(prefix for _, prefix, _ in loud))


def strip_prefix(line: str) -> tuple[str | None, str, str]:
    """A log line's level (upper case; glog's letter spelt out), its prefix and the text after it."""
    line = line.strip()
    found = _PREFIX.match(line)
    if found is None or found.end() == len(line):
        return None, "", line
    prefix = found.group(0)
    named = _PREFIX_LEVEL.search(prefix)
    level = None
    if named is not None:
        level = named.group(1) or _GLOG[named.group(2)]
        level = "WARNING" if level == "WARN" else level
    return level, prefix, line[found.end() :]


def pairs_of(text: str) -> dict[str, Any] | None:
    """The object a text's ``key=value`` (or ``name: 'value'``) pairs make (numbers as numbers), when
    they name a code or a message; None otherwise."""
    pairs: dict[str, Any] = {}
    for key, bare, said in _PAIR.findall(text):
        raw = bare or said
        quote = raw[:1]
        value: Any = raw[1:-1].replace("\\" + quote, quote) if quote in ("'", '"') else raw
        if value.lstrip("-").isdigit() and len(value) < 19:
            value = int(value)
        pairs.setdefault(key, value)
    if any(k in pairs for k in CODE_KEYS) or any(k in pairs for k in MESSAGE_KEYS):
        return pairs
    return None


# a text about a closed WebSocket (a client's "Disconnected (code: 1006, reason: …)", a CloseEvent)
_WS_CLOSE = re.compile(r"(?i)\b(?:clos(?:e|ed|ing)|disconnect(?:ed)?|CloseEvent)\b")


def close_code(pairs: dict[str, Any], text: str) -> int | None:
    """The close code (RFC 6455's, no API's code) that a text about a closed WebSocket gives."""
    code = pairs.get("code")
    if type(code) is int and code in WS_CLOSE_CODES and _WS_CLOSE.search(text):
        return code
    return None


def named_catalog(lines: list[str], ids: list[str]) -> str | None:
    """The one of ``ids`` (catalog ids) the text names as a word (``api.ztdx.io``, ``qaexchange::``)."""
    text = " ".join(lines).lower()
    named = [i for i in ids if re.search(rf"(?<![a-z0-9]){re.escape(i.lower())}(?![a-z0-9])", text)]
    return named[0] if len(named) == 1 else None


def named_status(text: str) -> tuple[int | None, bool]:
    """The HTTP status a text names, and whether it names it by its reason phrase (then those words
    are the status's own, like an error page's title): outright (``404 Client Error``, ``status code
    403``), or as a status followed by its phrase (``504 Gateway Time-out``)."""
    said = _SAID_STATUS.search(text)
    if said is not None:
        return int(next(g for g in said.groups() if g)), False
    for found in _STATUS_WORDS.finditer(text):
        status = int(found.group(1))
        if is_reason(status, found.group(2)):
            return status, True
    for title, status in _CDN_PAGES:
        if title.match(text):
            return status, True
    return None, False


# a CDN's block and challenge pages, whose titles name no status (Cloudflare's 1020 block, its check)
_CDN_PAGES = (
    (re.compile(r"(?i)attention required!? \| cloudflare|access denied \| .{1,200} used cloudflare"), 403),
    (re.compile(r"(?i)just a moment\.\.\.|checking your browser"), 503),
)
