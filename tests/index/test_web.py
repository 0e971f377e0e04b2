"""Web ingest against a real HTTP server on 127.0.0.1: saved news pages, a feed, redirects and failures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from evals.extraction import sentences
from index import Index
from index.embedding import HashEmbedder
from index.errors import FetchError
from index.web import FetchLimits, check_url, fetch, is_url
from index.web_loading import doc_id_for_url, load_web
from tests.index.news_site import SLOW_S, NewsSite, manifest, serving
from tests.samples import ROOT

CORPUS = ROOT / "evals" / "corpus"
QUICK = FetchLimits(timeout_s=1.0, max_bytes=1024 * 1024, max_redirects=3)


@pytest.fixture(scope="module")
def site() -> Iterator[NewsSite]:
    with serving() as running:
        yield running


@pytest.mark.parametrize("entry", manifest(), ids=lambda e: e["file"])
def test_a_page_keeps_its_body_and_metadata_and_drops_the_furniture(site: NewsSite, entry: dict) -> None:
    url = f"{site.base}/news/{entry['file']}"
    loaded = load_web([url], limits=QUICK)
    assert not loaded.failures
    (article,) = loaded.articles
    body = " ".join(article.text.split())
    missing = [s for s in sentences((CORPUS / entry["corpus"]).read_text(encoding="utf-8")) if s not in body]
    assert not missing, f"body sentences lost: {missing[:2]}"
    left = [item for item in entry["furniture"] if len(item) > 12 and item in body]
    left += [line for line in article.text.splitlines() if line.strip() in entry["furniture"]]
    assert not left, f"furniture kept: {left}"
    assert (article.title, article.outlet, article.published) == (entry["title"], entry["outlet"], entry["published"])
    assert article.author == entry["author"]
    assert article.language == entry["language"]
    assert article.source == url and article.url == url


def test_euc_kr_by_header_and_undeclared_cp949_by_detection(site: NewsSite) -> None:
    loaded = load_web([f"{site.base}/news/ko-alphago-euckr.html", f"{site.base}/news/ko-nobel-undeclared.html"])
    alphago, nobel = loaded.articles
    assert "이세돌 9단" in alphago.text and "\ufffd" not in alphago.text
    assert "노벨물리학상" in nobel.text and "\ufffd" not in nobel.text


def test_a_redirect_is_followed_and_the_asked_url_stays_the_source(site: NewsSite) -> None:
    (article,) = load_web([f"{site.base}/moved"], limits=QUICK).articles
    assert article.source == f"{site.base}/moved"
    assert article.url == f"{site.base}/news/en-odysseus.html"
    assert "Odysseus" in article.title


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/loop", "more than 3 redirects"),
        ("/to-file", "only http:// and https://"),
        ("/missing", "HTTP 404"),
        ("/slow", "no answer within 1 s"),
        ("/huge", "larger than the 1 MB limit"),
        ("/huge-declared", "over the 1 MB limit"),
        ("/photo.png", "not a web page but image/png"),
    ],
)
def test_each_failure_says_what_went_wrong_and_the_rest_still_load(site: NewsSite, path: str, says: str) -> None:
    good = f"{site.base}/news/en-odysseus.html"
    loaded = load_web([f"{site.base}{path}", good], limits=QUICK)
    assert [a.source for a in loaded.articles] == [good]
    (failure,) = loaded.failures
    assert failure.path == f"{site.base}{path}"
    assert says in failure.reason and failure.reason.startswith(f"{site.base}{path}")


def test_the_timeout_ends_the_wait(site: NewsSite) -> None:
    import time

    started = time.perf_counter()
    with pytest.raises(FetchError):
        fetch(f"{site.base}/slow", FetchLimits(timeout_s=0.5))
    assert time.perf_counter() - started < SLOW_S


@pytest.mark.parametrize("url", ["ftp://example.com/a", "file:///etc/passwd", "javascript:alert(1)", "http://"])
def test_only_http_and_https_with_a_host_are_fetched(url: str) -> None:
    with pytest.raises(FetchError, match=r"only http|no host"):
        check_url(url)


def test_is_url_and_doc_ids() -> None:
    assert is_url("https://news.example.com/a") and is_url("ftp://x/y") and not is_url("articles/a.html")
    assert doc_id_for_url("https://ko.wikinews.org/wiki/%EC%95%8C%ED%8C%8C%EA%B3%A0") == "ko_wikinews_org_wiki_알파고"


def test_a_feed_ingests_its_five_items_and_reingest_embeds_nothing(site: NewsSite, tmp_path: Path) -> None:
    index = Index.load(tmp_path / "idx", HashEmbedder(), create=True)
    first = index.ingest_web([], feeds=[f"{site.base}/feed.xml"], limits=QUICK)
    assert len(first.added) == 5 and not first.failures and first.chunks_embedded > 0
    dates = {a.title: a.published for a in index.articles}
    assert dates == {e["title"]: e["published"] for e in manifest()}
    again = index.ingest_web([], feeds=[f"{site.base}/feed.xml"], limits=QUICK)
    assert (len(again.unchanged), again.added, again.updated, again.chunks_embedded) == (5, (), (), 0)


def test_a_changed_page_is_updated_in_place(site: NewsSite, tmp_path: Path) -> None:
    index = Index.load(tmp_path / "idx", HashEmbedder(), create=True)
    url = f"{site.base}/mutable"
    (doc,) = index.ingest_web([url], limits=QUICK).added
    assert index.ingest_web([url], limits=QUICK).chunks_embedded == 0
    site.mutable = site.mutable.replace("First version", "Second, corrected version")
    report = index.ingest_web([url], limits=QUICK)
    assert report.updated == (doc,) and report.chunks_embedded > 0
    assert "corrected" in index.article(doc).text and len(index.articles) == 1
