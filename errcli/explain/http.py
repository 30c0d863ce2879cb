"""Raw HTTP responses in explain's input (``curl -i``, ``curl -v``): the status line, the headers
that matter, and a body that is no JSON (a framework's plain text, a gateway's HTML page)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from functools import cache

STATUS_LINE = re.compile(rb"^(?:< )?(HTTP/(?:1\.[01]|2(?:\.0)?|3))[ \t]+([1-5]\d\d)(?:[ \t]+([^\r\n]*))?[ \t]*\r?\n?$")

HEADER_LINE = re.compile(rb"^(?:< )?([A-Za-z0-9!#$%&'*+.^_`|~-]+)[ \t]*:[ \t]*([^\r\n]*?)[ \t]*\r?\n?$")

_KEPT_HEADERS = frozenset(
    {
        "retry-after",
        "content-type",
        "date",
        "www-authenticate",
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
    }
)
# RFC 6750's auth-params: what a bodiless 401 says went wrong (`error="invalid_token"`)
_AUTH_PARAM = re.compile(r'(?:^|[\s,])(error_description|error)\s*=\s*(?:"((?:[^"\\]|\\.){0,500})"|([^\s,"]{1,200}))')

_HTML_TITLE = re.compile(r"<title[^>]{0,100}>([^<]{0,500})</title>|<h1[^>]{0,100}>([^<]{0,500})</h1>", re.IGNORECASE)

_HTML_TAG = re.compile(r"<[^>]{0,500}>")

_MAX_TEXT_BODY_LINES = 20

MAX_BODY_LINES = 200  # of a non-JSON body (an HTML error page)

MAX_BODY_TEXT = 2000


def is_reason(status: int, words: str) -> bool:
    """Whether ``words`` begin with the reason phrase of ``status``: ``Gateway Time-out`` is 504's
    ``Gateway Timeout``, ``Service Temporarily Unavailable`` 503's ``Service Unavailable`` (the
    first word the same, the phrase's last word among the next few)."""
    phrase = _reason_phrases().get(status)
    if phrase is None:
        return False
    said = words.lower().replace("-", "").split()
    return bool(said) and said[0] == phrase[0] and phrase[-1] in said[: len(phrase) + 2]


@cache
def _reason_phrases() -> dict[int, list[str]]:
    """Each HTTP status's reason phrase as lower-case words (``http.HTTPStatus``, imported only when
    a text names a status)."""
    from http import HTTPStatus

    return {s.value: s.phrase.lower().replace("-", "").split() for s in HTTPStatus}


def page_title(page: str) -> str:
    """An HTML page's title (or first heading), else its text without the markup, on one line."""
    m = _HTML_TITLE.search(page)
    text = _HTML_TAG.sub(" ", (m.group(1) or m.group(2)) if m else page)
    return " ".join(text.split())[:MAX_BODY_TEXT]


@dataclass(frozen=True)
class HttpInfo:
    """The status line and the headers that matter, from a raw HTTP response (``curl -i``)."""

    line: int
    version: str
    status: int
    reason: str
    retry_after: int | None = None  # seconds, from Retry-After (delta or HTTP-date)
    headers: tuple[tuple[str, str], ...] = ()  # Retry-After, Content-Type, Date, rate-limit headers
    body: str | None = None  # a body that is no JSON: its text (plain text, or an HTML page's title)
    html: bool = False  # ... and it was an HTML page (a gateway's or proxy's error page)


def _http_date(value: str | None) -> datetime | None:
    """An HTTP date as an aware datetime (a date without a zone is UTC, as HTTP dates are); None if it is none."""
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=timezone.utc)


def auth_message(headers: tuple[tuple[str, str], ...]) -> str | None:
    """What a ``WWW-Authenticate`` header says went wrong: its ``error_description``, else its
    ``error`` (``Bearer error="invalid_token", error_description="jwt expired"`` → jwt expired)."""
    for name, value in headers:
        if name.lower() == "www-authenticate":
            params = {
                m.group(1): m.group(2) if m.group(2) is not None else m.group(3) for m in _AUTH_PARAM.finditer(value)
            }
            found = params.get("error_description") or params.get("error")
            if found:
                return found.replace("\\", "")
    return None


def parse_retry_after(value: str, date: str | None, now: datetime | None = None) -> int | None:
    """Seconds to wait: ``Retry-After`` as delay-seconds, or as an HTTP date counted from the response's
    ``Date`` header (from ``now``, the current time by default, when there is no usable ``Date``)."""
    value = value.strip()
    if value.isdigit():
        return int(value) if len(value) <= 9 else None
    when = _http_date(value)
    if when is None:
        return None
    sent = _http_date(date) or now or datetime.now(timezone.utc)
    try:
        return max(0, int((when - sent).total_seconds()))
    except (TypeError, OverflowError):
        return None


class HttpResponse:
    """A raw HTTP response while its headers and the start of its body are read."""

    def __init__(self, line: int, version: str, status: int, reason: str) -> None:
        self.line = line
        self.version = version
        self.status = status
        self.reason = reason
        self.headers: list[tuple[str, str]] = []
        self.in_headers = True
        self.info: HttpInfo | None = None
        self.used = False  # a record of the body carries it
        self.body: list[bytes] = []  # a body that is no JSON, line by line (bounded)
        self.html = False

    def start_body(self, line: bytes) -> bool:
        """The first line of a body that is no JSON; False when the body is already complete."""
        self.html = line[:1] == b"<"
        return self.add_body(line)

    def add_body(self, line: bytes) -> bool:
        """Keep one more body line; False when the body is complete (an HTML page's end, or the cap)."""
        if sum(map(len, self.body)) < MAX_BODY_TEXT * 4:
            self.body.append(line[:MAX_BODY_TEXT])
        if self.html:
            return b"</html>" not in line.lower() and len(self.body) < MAX_BODY_LINES
        return len(self.body) < _MAX_TEXT_BODY_LINES

    def body_text(self) -> str | None:
        """A plain-text body as one line; an HTML page by its title (or first heading)."""
        if not self.body:
            return None
        text = b" ".join(self.body).decode("utf-8", "replace")
        return (page_title(text) if self.html else " ".join(text.split())[:MAX_BODY_TEXT]) or None

    def finish_headers(self) -> HttpInfo:
        if self.info is None:
            found = {k.lower(): v for k, v in self.headers}
            retry = found.get("retry-after")
            self.info = HttpInfo(
                line=self.line,
                version=self.version,
                status=self.status,
                reason=self.reason,
                retry_after=parse_retry_after(retry, found.get("date")) if retry is not None else None,
                headers=tuple((k, v) for k, v in self.headers if k.lower() in _KEPT_HEADERS),
            )
            self.in_headers = False
        return self.info
