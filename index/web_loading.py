"""Articles from the web: news pages by URL and the items of RSS/Atom feeds, with their metadata."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from urllib.parse import unquote, urlsplit

from tqdm import tqdm

from index.charsets import decode_page
from index.errors import ArticleError
from index.extraction import extract_html
from index.feeds import FeedItem, feed_items
from index.loading import LoadFailure, LoadResult, known_fields, make_article
from index.types import Article
from index.web import FEED_TYPES, HTML_TYPES, TEXT_TYPES, FetchLimits, Response, fetch

log = logging.getLogger(__name__)

MAX_URL_ID_CHARS = 80
_FEED_ACCEPT = ", ".join(FEED_TYPES) + ", */*;q=0.5"


def doc_id_for_url(url: str) -> str:
    """A readable document id from a URL: host and path, letters, digits, - and _ kept."""
    parts = urlsplit(url)
    raw = unquote(f"{parts.hostname or ''}{parts.path}{'_' + parts.query if parts.query else ''}")
    stem = re.sub(r"[^\w\-]+", "_", raw, flags=re.UNICODE).strip("_")
    return (stem[:MAX_URL_ID_CHARS].rstrip("_") or "page").lower()


def article_from_response(response: Response, item: FeedItem | None = None) -> Article:
    """The article in a fetched page; a feed item's title, date and author fill what the page lacks."""
    if response.media_type in HTML_TYPES:
        page = extract_html(decode_page(response.body, response.charset, response.url), response.final_url)
        raw, found = page.text, known_fields(page.title, page.outlet, page.author, page.published)
    elif response.media_type in TEXT_TYPES:
        raw, found = decode_page(response.body, response.charset, response.url), {}
    else:
        raise ArticleError(
            f"{response.url}: not a web page but {response.media_type or 'an untyped file'}; "
            "gisa ingests HTML and plain-text pages (save other documents as text first)"
        )
    meta = found
    if item is not None:
        meta = known_fields(title=item.title, published=item.published, author=item.author) | meta
    meta.setdefault("outlet", urlsplit(response.final_url).hostname or "")
    meta["url"] = response.final_url
    return make_article(raw, doc_id_for_url(response.url), response.url, meta)


def load_web(
    urls: Sequence[str], feeds: Sequence[str] = (), limits: FetchLimits | None = None, progress: bool = False
) -> LoadResult:
    """Fetch pages and the items of feeds; each URL that fails is reported and the rest still load."""
    failures: list[LoadFailure] = []
    wanted: list[tuple[str, FeedItem | None]] = [(url, None) for url in urls]
    for feed in feeds:
        try:
            response = fetch(feed, limits, accept=_FEED_ACCEPT)
            wanted.extend((item.url, item) for item in feed_items(response.body, response.final_url))
        except ArticleError as exc:
            log.info("skipped feed %s", exc)
            failures.append(LoadFailure(feed, str(exc)))
    articles: list[Article] = []
    seen: set[str] = set()
    for url, item in tqdm(wanted, unit="page", desc="fetching", disable=None if progress else True):
        if url in seen:
            continue
        seen.add(url)
        try:
            articles.append(article_from_response(fetch(url, limits), item))
        except ArticleError as exc:
            log.info("skipped %s", exc)
            failures.append(LoadFailure(url, str(exc)))
    return LoadResult(articles, failures)
