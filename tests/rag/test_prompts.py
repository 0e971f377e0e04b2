from index.types import Byline
from rag import prompts
from rag.types import Passage

P = [Passage(1, "d", "T", "d#0", "설비투자 합계는 500억 위안(약 9조3000억원)이다.", 0, 30)]


def test_prompts_follow_the_question_language() -> None:
    ko = prompts.build_messages("설비투자는?", P, "ko")
    en = prompts.build_messages("How much capex?", P, "en")
    assert [role for role, _ in ko] == ["system", "user"]
    assert "한국어" in ko[0][1] and "[1]" in ko[0][1] and "질문: 설비투자는?" in ko[1][1]
    assert "English" in en[0][1] and "Question: How much capex?" in en[1][1]


def test_english_prompt_gets_korean_amounts_in_english_but_korean_prompt_keeps_them() -> None:
    assert "[1] 설비투자 합계는 50 billion yuan(약 9.3 trillion won)이다." in prompts.build_messages("q", P, "en")[1][1]
    assert "500억 위안(약 9조3000억원)" in prompts.build_messages("q", P, "ko")[1][1]


def test_abstention_is_recognised_in_both_languages() -> None:
    assert prompts.says_abstain("NO_ANSWER")
    assert prompts.says_abstain("기사에 나와 있지 않습니다.")
    assert prompts.says_abstain("The articles do not say.")
    assert not prompts.says_abstain("The chips are not available in China [1].")


def test_each_passage_carries_its_article_date_when_known() -> None:
    dated = Passage(1, "d", "t", "d#0", "It landed on Thursday.", 0, 22, byline=Byline(published="2024-02-24"))
    undated = Passage(2, "e", "t", "e#0", "It launched on February 15.", 0, 27)
    sources = prompts.format_sources([dated, undated], "en")
    assert sources.splitlines() == [
        "[1] (published 2024-02-24) It landed on Thursday.",
        "[2] It launched on February 15.",
    ]
    assert prompts.format_sources([dated], "ko") == "[1] (2024-02-24 보도) It landed on Thursday."
