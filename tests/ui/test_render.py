"""The sources panel's HTML: bylines shown, article text and metadata escaped, only http(s) links."""

from __future__ import annotations

from pathlib import Path

from index import Article, Index
from index.embedding import HashEmbedder
from index.types import Byline
from rag.types import Answer, Citation
from ui.render import sources_html


def _answer(byline: Byline, text: str) -> Answer:
    return Answer(
        question="q",
        text="It did [1].",
        language="en",
        citations=(Citation(1, "doc", "Title <b>", "doc#0", text, 0, len(text), True, byline),),
        sentences=(),
        abstained=False,
        passages=(),
    )


def test_the_byline_is_shown_escaped_with_an_https_link(tmp_path: Path) -> None:
    index = Index.load(tmp_path / "idx", HashEmbedder(), create=True)
    text = "Lander <img src=x onerror=alert(1)> lands"
    index.add([Article("doc", "Title <b>", text, "en")])
    byline = Byline("Outlet <script>alert(1)</script>", "A. Writer", "2024-02-24", "https://news.example/a?b=1&c=2")
    answer = _answer(byline, text)
    html = sources_html(answer, index)
    assert "Outlet &lt;script&gt;alert(1)&lt;/script&gt; · A. Writer · 2024-02-24" in html
    assert 'href="https://news.example/a?b=1&amp;c=2"' in html and 'rel="noopener noreferrer nofollow"' in html
    assert "<script>" not in html and "<img" not in html and "Title &lt;b&gt;" in html


def test_a_url_that_is_not_http_is_never_a_link(tmp_path: Path) -> None:
    index = Index.load(tmp_path / "idx", HashEmbedder(), create=True)
    index.add([Article("doc", "T", "Some text here.", "en")])
    answer = _answer(Byline(url="javascript:alert(1)"), "Some text here.")
    html = sources_html(answer, index)
    assert "javascript:" not in html and "href" not in html
