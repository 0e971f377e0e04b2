"""Main-text extraction from HTML pages: trafilatura (body, title, date, author, site), or a simple block reader.

Measured on the saved news pages in tests/fixtures/web (`python bench/extraction.py`, README "Web pages"):
trafilatura keeps the body and drops the menus, headline lists and comments; the simple reader keeps
whatever is not inside nav/header/footer/aside tags. The simple reader remains as the fallback for short
pages trafilatura declines (under a few hundred characters).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import ClassVar, Literal

from index.dates import iso_date

log = logging.getLogger(__name__)

# trafilatura's precision mode: on a page with little text (tests/index/test_loading.py) the default kept a
# menu line; on the saved news pages both modes keep every body sentence (bench/extraction.py).
FAVOR_PRECISION = True

Extractor = Literal["trafilatura", "simple"]
EXTRACTORS: tuple[Extractor, ...] = ("trafilatura", "simple")


@dataclass(frozen=True)
class Extracted:
    """What a page holds: its main text (one block per line) and whatever metadata it declares."""

    title: str
    text: str
    outlet: str = ""
    author: str = ""
    published: str = ""


def extract_html(html: str, url: str = "", extractor: Extractor = "trafilatura") -> Extracted:
    """The article in an HTML page; trafilatura unless told otherwise, the simple reader where it finds nothing."""
    if extractor == "trafilatura":
        found = _trafilatura(html, url)
        if found is not None and found.text.strip():
            return found
        log.info("trafilatura found no main text in %s; reading its text blocks", url or "the page")
    title, text = html_to_text(html)
    return Extracted(title=title, text=text)


def _trafilatura(html: str, url: str) -> Extracted | None:
    import trafilatura  # lazy: 0.2 s of imports that only web and HTML ingest need

    doc = trafilatura.bare_extraction(
        html,
        url=url or None,
        with_metadata=True,
        favor_precision=FAVOR_PRECISION,
        include_comments=False,
        include_tables=True,
        include_images=False,
        deduplicate=False,
    )
    if doc is None:
        return None
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    return Extracted(
        title=_one_line(data.get("title")),
        text=str(data.get("text") or ""),
        outlet=_one_line(data.get("sitename")),
        author=_one_line(data.get("author")),
        published=iso_date(str(data.get("date") or "")),
    )


def _one_line(value: object) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip()


class _HTMLText(HTMLParser):
    """Collect a page's title and its visible block text, skipping navigation and scripts."""

    _SKIP: ClassVar[frozenset[str]] = frozenset(
        {"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "svg", "button"}
    )
    _BLOCK: ClassVar[frozenset[str]] = frozenset(
        {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "blockquote"}
        | {"figcaption", "pre"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.h1 = ""
        self.parts: list[str] = []
        self._skip_depth = 0
        self._in_title = False
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skip_depth += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "h1":
            self._in_h1 = True
        if tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skip_depth:
            self._skip_depth -= 1
        elif tag == "title":
            self._in_title = False
        elif tag == "h1":
            self._in_h1 = False
        if tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
            return
        if self._skip_depth:
            return
        if self._in_h1:
            self.h1 += data
        self.parts.append(data)


def html_to_text(html: str) -> tuple[str, str]:
    """The simple reader: (title, body text) of an HTML page, one block per line."""
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    body = "\n".join(line for line in lines if line)
    title = (parser.h1 or parser.title).strip()
    return re.sub(r"\s+", " ", title), body
