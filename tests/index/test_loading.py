from pathlib import Path

import pytest

from index.charsets import decode_bytes
from index.errors import ArticleError
from index.loading import load_article, load_articles
from tests.samples import ROOT, SEED_FILE, SEED_ID

KOREAN = "반도체 수출이 3개월 연속 늘었다.\n삼성전자는 1만2000달러짜리 칩을 판다."


@pytest.mark.parametrize("encoding", ["cp949", "euc-kr", "utf-8", "utf-8-sig", "utf-16"])
def test_korean_legacy_encodings_decode(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(KOREAN.encode(encoding))
    article = load_article(path)
    assert article.text == KOREAN
    assert article.language == "ko"


def test_cp949_only_characters_decode() -> None:
    # 똠 is in CP949 but not in EUC-KR
    assert decode_bytes("똠방각하".encode("cp949")) == "똠방각하"


def test_seed_article_with_metadata_sidecar() -> None:
    article = load_article(SEED_FILE)
    assert article.doc_id == SEED_ID
    assert article.title == "美반도체 제재의 허점…해외 클라우드서 엔비디아칩 쓰는 中"
    assert article.outlet.startswith("디지털타임스")
    assert article.author == "김영욱"
    assert article.language == "ko"
    assert len(article.sha256) == 64


def test_bad_files_are_reported_by_name_and_the_rest_load(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Good article\nIt has one sentence.", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 10)
    (tmp_path / "garbage.md").write_bytes(bytes([0xFF, 0xFE - 1, 0x81, 0x20, 0xC8]) * 3)
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    result = load_articles([tmp_path, tmp_path / "missing.txt"])
    assert [a.doc_id for a in result.articles] == ["good"]
    failed = {Path(f.path).name: f.reason for f in result.failures}
    assert set(failed) == {"binary.txt", "garbage.md", "empty.txt", "missing.txt"}
    assert "binary" in failed["binary.txt"]
    assert "UTF-8" in failed["garbage.md"] and "garbage.md" in failed["garbage.md"]


def test_html_article_keeps_title_and_body_drops_navigation(tmp_path: Path) -> None:
    html = """<html><head><title>Site | Headline</title><script>var x=1;</script></head>
    <body><nav>Home News Sports</nav><article><h1>Chip exports rise</h1>
    <p>Exports rose 12% in May.</p><p>Officials expect more growth.</p></article>
    <footer>Copyright 2026 Site</footer></body></html>"""
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    article = load_article(path)
    assert article.title == "Chip exports rise"
    assert article.text == "Chip exports rise\nExports rose 12% in May.\nOfficials expect more growth."


def test_markdown_markup_is_removed(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("# Big news\n\nA [link](http://x) and **bold** text. ![img](a.png)\n", encoding="utf-8")
    article = load_article(path)
    assert article.title == "Big news"
    assert article.text == "Big news\n\nA link and bold text."


def test_unreadable_file_raises_domain_error(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match="cannot read"):
        load_article(tmp_path / "nope.txt")


def test_an_html_file_gives_its_metadata_and_a_sidecar_overrides_it(tmp_path: Path) -> None:
    page = (ROOT / "tests" / "fixtures" / "web" / "en-odysseus.html").read_bytes()
    (tmp_path / "odysseus.html").write_bytes(page)
    article = load_article(tmp_path / "odysseus.html")
    assert (article.outlet, article.published) == ("The White House", "2024-02-24")
    assert "Odysseus" in article.title and "Most read" not in article.text
    (tmp_path / "odysseus.meta.json").write_text(
        '{"outlet": "Archive", "date": "2024.02.25", "reporter": "Desk", "url": "https://example.org/o"}',
        encoding="utf-8",
    )
    article = load_article(tmp_path / "odysseus.html")
    assert (article.outlet, article.published, article.author, article.url) == (
        "Archive",
        "2024-02-25",
        "Desk",
        "https://example.org/o",
    )


def test_an_explicit_file_that_is_no_article_is_refused(tmp_path: Path) -> None:
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    result = load_articles([tmp_path / "report.pdf"])
    assert not result.articles and "not an article file" in result.failures[0].reason
