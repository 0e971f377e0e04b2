from index.cleaning import clean_text
from tests.samples import ENGLISH_ARTICLE, SEED_FILE


def test_seed_article_loses_footer_headlines_and_email_but_keeps_body_and_title() -> None:
    raw = SEED_FILE.read_text(encoding="utf-8")
    cleaned = clean_text(raw)
    assert "Copyright" not in cleaned
    assert "무단전재" not in cleaned
    assert "독립기념관장" not in cleaned  # first unrelated headline link
    assert "방산시장" not in cleaned  # last one
    assert "wook95@dt.co.kr" not in cleaned
    assert "김영욱기자" not in cleaned
    assert cleaned.startswith("美반도체 제재의 허점…해외 클라우드서 엔비디아칩 쓰는 中")
    assert "지난 6월 호주의 한 데이터센터에 300여대의 서버를 갖췄고" in cleaned
    assert cleaned.endswith("중국 내 데이터센터를 위해 엔비디아 칩을 대규모로 사들이고 있다.")
    # every body line before the footer survives unchanged
    body = raw.split("Copyright")[0].replace("김영욱기자 wook95@dt.co.kr", "").strip()
    assert cleaned == body


def test_english_article_cleaning_is_conservative() -> None:
    cleaned = clean_text(ENGLISH_ARTICLE)
    assert cleaned.startswith("Seoul startup opens battery plant in Texas")
    assert "The plant cost $450 million" in cleaned
    assert "Analysts at Mirae Asset" in cleaned
    assert "jane.doe@example.com" not in cleaned
    assert "All rights reserved" not in cleaned
    assert "Unrelated headline" not in cleaned


def test_copyright_word_early_in_the_text_is_not_a_footer() -> None:
    text = "Copyright fight heats up\nA court ruled on a copyright case today. " + "Details follow. " * 20
    assert clean_text(text).startswith("Copyright fight heats up")


def test_text_without_boilerplate_is_unchanged() -> None:
    text = "제목\n첫 문장이다. 두 번째 문장이다.\n\n새 문단이다."
    assert clean_text(text) == text
