"""A real local news site on 127.0.0.1 for the web-ingest tests: saved pages, a feed, redirects and failures."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.samples import ROOT

PAGES = ROOT / "tests" / "fixtures" / "web"
SLOW_S = 3.0  # how long /slow waits before answering
HUGE_BYTES = 2 * 1024 * 1024


def manifest() -> list[dict]:
    """pages.json: each saved page with its article, declared metadata and furniture."""
    return json.loads((PAGES / "pages.json").read_text(encoding="utf-8"))


class NewsSite:
    """What the site serves; `mutable` is a page whose body a test may change between ingests."""

    def __init__(self) -> None:
        self.base = ""
        self.mutable = "<html><body><article><h1>Changing story</h1><p>First version of the story.</p></article>"
        self.requests: list[str] = []

    def feed(self) -> bytes:
        """An RSS 2.0 feed of the five saved pages, newest first."""
        items = []
        for entry in manifest():
            day = datetime.fromisoformat(entry["published"]).replace(hour=9, tzinfo=UTC)
            items.append(
                f"<item><title>{escape(entry['title'])}</title><link>{self.base}/news/{entry['file']}</link>"
                f"<pubDate>{format_datetime(day)}</pubDate><guid>{entry['file']}</guid></item>"
            )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Saved news</title>'
            f"<link>{self.base}/</link><description>fixtures</description>{''.join(items)}</channel></rss>"
        ).encode()


def _handler(site: NewsSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
            pass

        def _send(self, status: int, body: bytes, content_type: str, length: bool = True, **headers: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            if length:
                self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_GET(self) -> None:
            site.requests.append(self.path)
            path = self.path.split("?")[0]
            if path.startswith("/news/") and (PAGES / path[6:]).is_file() and path.endswith(".html"):
                name = path[6:]
                charset = "; charset=euc-kr" if "euckr" in name else ""
                self._send(200, (PAGES / name).read_bytes(), f"text/html{charset}")
            elif path == "/feed.xml":
                self._send(200, site.feed(), "application/rss+xml; charset=utf-8")
            elif path == "/moved":
                self._send(301, b"", "text/html", Location="/news/en-odysseus.html")
            elif path == "/loop":
                self._send(302, b"", "text/html", Location="/loop")
            elif path == "/to-file":
                self._send(302, b"", "text/html", Location="file:///etc/passwd")
            elif path == "/slow":
                time.sleep(SLOW_S)
                self._send(200, b"<html><body><p>late</p></body></html>", "text/html")
            elif path == "/huge":  # no Content-Length: the limit must hold while reading
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                block = b"<p>" + b"x" * 65_000 + b"</p>\n"
                for _ in range(HUGE_BYTES // len(block) + 1):
                    self.wfile.write(block)
            elif path == "/huge-declared":
                self._send(200, b"<p>" + b"y" * HUGE_BYTES + b"</p>", "text/html")
            elif path == "/photo.png":
                self._send(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")
            elif path == "/mutable":
                self._send(200, site.mutable.encode(), "text/html; charset=utf-8")
            else:
                self._send(404, b"<html><body>not here</body></html>", "text/html")

    return Handler


@contextmanager
def serving() -> Iterator[NewsSite]:
    """Run the site on a free loopback port for the duration of the block."""
    site = NewsSite()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
