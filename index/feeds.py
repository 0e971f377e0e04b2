"""Read the items of an RSS or Atom feed (feedparser), never letting the parser fetch anything itself."""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urljoin

from index.errors import FetchError

MAX_FEED_ITEMS = 50  # a feed's newest items taken per ingest; news feeds list 10 to 50


@dataclass(frozen=True)
class FeedItem:
    """One feed entry: the page it links to, and the title, date and author the feed gives it."""

    url: str
    title: str = ""
    published: str = ""  # YYYY-MM-DD
    author: str = ""


def feed_items(data: bytes, feed_url: str, limit: int = MAX_FEED_ITEMS) -> list[FeedItem]:
    """The linked items of a feed document (bytes as fetched); raises FetchError if it is no feed."""
    import feedparser  # lazy: only `ingest --feed` needs it

    parsed = feedparser.parse(data, response_headers={"content-location": feed_url})
    if not parsed.entries:
        why = f" ({parsed.bozo_exception})" if parsed.get("bozo") else ""
        raise FetchError(f"{feed_url}: not an RSS or Atom feed with items{why}")
    items: list[FeedItem] = []
    for entry in parsed.entries[:limit]:
        link = entry.get("link") or ""
        if not link:
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        items.append(
            FeedItem(
                url=urljoin(feed_url, link),
                title=" ".join(str(entry.get("title", "")).split()),
                published=time.strftime("%Y-%m-%d", stamp) if stamp else "",
                author=" ".join(str(entry.get("author", "")).split()),
            )
        )
    return items
