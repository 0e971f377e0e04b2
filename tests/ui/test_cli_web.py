"""`gisa ingest URL… --feed URL` against a real local news site, and what `index info` and `ask` show of it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.index.news_site import NewsSite, manifest, serving
from tests.ui.test_cli import gisa

HASH = {"GISA_EMBEDDER": "hash"}


@pytest.fixture(scope="module")
def site() -> Iterator[NewsSite]:
    with serving() as running:
        yield running


def test_ingest_urls_and_a_feed_then_info_shows_the_metadata(site: NewsSite, tmp_path: Path) -> None:
    index = tmp_path / "idx"
    out = gisa(
        "ingest", f"{site.base}/moved", f"{site.base}/missing", "--feed", f"{site.base}/feed.xml", index=index, env=HASH
    )
    assert out.returncode == 3, out.stderr
    assert "added 5" in out.stdout and "failed 1" in out.stdout and "HTTP 404" in out.stdout
    assert "Traceback" not in out.stderr

    out = gisa("index", "info", index=index)
    assert out.returncode == 0, out.stderr
    assert "The White House, 2024-02-24" in out.stdout and "위키뉴스, 위키뉴스 기고자, 2016-03-09" in out.stdout
    assert f"{site.base}/news/en-odysseus.html" in out.stdout

    info = json.loads(gisa("index", "info", "--json", index=index).stdout)
    dates = {a["title"]: a["published"] for a in info["articles"]}
    assert dates == {e["title"]: e["published"] for e in manifest()}

    again = gisa("ingest", "--feed", f"{site.base}/feed.xml", index=index, env=HASH)
    assert again.returncode == 0 and "unchanged 5" in again.stdout and "embedded 0 chunks" in again.stdout


def test_bad_addresses_fail_with_a_reason_and_exit_1(tmp_path: Path) -> None:
    out = gisa("ingest", "ftp://example.com/news.html", index=tmp_path / "idx", env=HASH)
    assert out.returncode == 1 and "only http:// and https://" in out.stdout
    assert "the index is empty" in out.stderr and "Traceback" not in out.stderr
    out = gisa("ingest", index=tmp_path / "idx", env=HASH)
    assert out.returncode == 2 and "nothing to ingest" in out.stderr
    assert "exit status" in gisa("ingest", "--help", index=tmp_path / "idx").stdout


@pytest.mark.slow
def test_an_answer_about_an_ingested_page_cites_its_title_date_and_url(site: NewsSite, tmp_path: Path) -> None:
    index = tmp_path / "idx"
    page = f"{site.base}/news/en-odysseus.html"
    assert gisa("ingest", page, index=index).returncode == 0
    out = gisa("ask", "From where did the Odysseus lander launch?", "--no-stream", index=index)
    assert out.returncode == 0, out.stderr
    answer, _, sources = out.stdout.partition("Sources:")
    assert "Kennedy" in answer, out.stdout
    # the citation line: title, outlet and date; then the page's URL (JSON's `byline`: tests/rag/test_assistant.py)
    assert "Odysseus" in sources and "The White House, 2024-02-24" in sources and page in sources
