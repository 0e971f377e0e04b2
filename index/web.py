"""Fetch news pages and feeds over HTTP(S) with timeouts, a size limit and bounded redirects."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from email.message import Message
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from index.errors import FetchError
from index.limits import megabytes

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

SCHEMES = ("http", "https")
USER_AGENT = "gisa/0.1 (news question answering)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]{0,20}://")


@dataclass(frozen=True)
class FetchLimits:
    """How long, how much and how far a fetch may go."""

    timeout_s: float = 15.0  # connect and each read
    max_bytes: int = 10 * 1024 * 1024  # a news page is well under 2 MB; a feed under 5 MB
    max_redirects: int = 5

    def __post_init__(self) -> None:
        if self.timeout_s <= 0 or self.max_bytes <= 0 or self.max_redirects < 0:
            raise ValueError(f"fetch limits must be positive: {self}")


@dataclass(frozen=True)
class Response:
    """A fetched document: where it was asked for, where it ended up, its media type, charset and bytes."""

    url: str
    final_url: str
    media_type: str
    charset: str | None
    body: bytes


def is_url(text: str) -> bool:
    """True if `text` starts like a URL (scheme://), whichever the scheme."""
    return bool(_URL.match(text.strip()))


def check_url(url: str) -> str:
    """The URL stripped, if it is http(s) with a host; raises FetchError saying what is wrong."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES:
        raise FetchError(f"{url}: only http:// and https:// addresses can be ingested (not {parts.scheme or '?'}://)")
    if not parts.hostname:
        raise FetchError(f"{url}: no host name in the address")
    return url


def fetch(url: str, limits: FetchLimits | None = None, accept: str = "text/html,*/*;q=0.5") -> Response:
    """GET `url`, following at most `limits.max_redirects` redirects, each to http(s) only.

    Raises FetchError for a bad address, a connection failure, a timeout, an HTTP error status, or a
    body over `limits.max_bytes`.
    """
    import httpx  # lazy: only web ingest needs it

    limits = limits or FetchLimits()
    asked = check_url(url)
    current = asked
    timeout = httpx.Timeout(limits.timeout_s)
    headers = {"User-Agent": USER_AGENT, "Accept": accept}
    with httpx.Client(timeout=timeout, follow_redirects=False, headers=headers) as client:
        for _ in range(limits.max_redirects + 1):
            try:
                with client.stream("GET", current) as response:
                    if response.is_redirect:
                        location = response.headers.get("location", "")
                        if not location:
                            raise FetchError(f"{asked}: a redirect without a Location header")
                        target = urljoin(current, location)
                        if urlsplit(target).scheme.lower() not in SCHEMES:
                            raise FetchError(f"{asked}: redirects to {target}; only http:// and https:// are followed")
                        current = check_url(target)
                        log.info("%s redirects to %s", response.url, current)
                        continue
                    if response.status_code != 200:
                        reason = response.reason_phrase or "error"
                        raise FetchError(f"{asked}: the server answered HTTP {response.status_code} {reason}")
                    body = _read_limited(response, asked, limits.max_bytes)
                    media_type, charset = _content_type(response.headers.get("content-type", ""))
                    return Response(asked, str(response.url), media_type, charset, body)
            except httpx.TimeoutException:
                raise FetchError(
                    f"{asked}: no answer within {limits.timeout_s:g} s; check the address or try again later"
                ) from None
            except (httpx.HTTPError, httpx.InvalidURL, UnicodeError) as exc:
                raise FetchError(f"{asked}: cannot fetch it ({type(exc).__name__}: {exc})") from None
    raise FetchError(f"{asked}: more than {limits.max_redirects} redirects; open it in a browser to see where it goes")


def _read_limited(response: httpx.Response, url: str, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"{url}: {megabytes(int(declared))} MB is over the {megabytes(max_bytes)} MB limit for a page")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"{url}: larger than the {megabytes(max_bytes)} MB limit for a page; not ingested")
        chunks.append(chunk)
    return b"".join(chunks)


def _content_type(header: str) -> tuple[str, str | None]:
    """(media type, charset) from a Content-Type header; ("", None) when there is none."""
    message = Message()
    message["content-type"] = header or "application/octet-stream"
    charset = message.get_param("charset")
    return message.get_content_type().lower(), str(charset) if isinstance(charset, str) else None
