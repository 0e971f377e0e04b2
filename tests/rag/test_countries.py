import pytest

from index.korean import KoreanText
from rag.asked import Asked, asked_kind, gives_kind
from rag.countries import asks_country, names_country


@pytest.mark.parametrize(
    "question",
    [
        "덩컨 홀데인 교수의 국적은 어디인가요?",
        "블랙웰 클러스터 자금은 어느 나라 투자자들에게서 모으나요?",
        "In which country is the subsidiary that Derek Oh plans to supply?",
        "What nationality is Duncan Haldane?",
    ],
)
def test_questions_that_ask_for_a_country(question: str) -> None:
    assert asks_country(question)


def test_questions_that_ask_for_something_else() -> None:
    assert not asks_country("코스털리츠는 어느 대학 교수인가요?")
    assert not asks_country("Which company released the H20?")


def test_countries_in_either_script_and_form() -> None:
    assert names_country("중국 업체의 싱가포르 자회사") and names_country("a Singaporean subsidiary")
    assert names_country("사우디아라비아·한국 등의 투자자들") and names_country("He is British [1].")
    assert not names_country("프린스턴대 교수입니다") and not names_country("Princeton University")
    assert names_country("a Chilean firm")  # an adjective of the table names its country


def test_a_country_question_wants_a_country(korean: KoreanText) -> None:
    q = "덩컨 홀데인 교수의 국적은 어디인가요?"
    assert not gives_kind("덩컨 홀데인 교수의 국적은 프린스턴대 교수입니다 [1].", q, asked_kind(q), korean)
    assert gives_kind("덩컨 홀데인 교수의 국적은 영국입니다 [1].", q, asked_kind(q), korean)
    en = "In which country is the subsidiary?"
    assert asked_kind(en) == Asked.NAME
    assert gives_kind("The subsidiary is in Singapore [1].", en, Asked.NAME, korean)
    assert not gives_kind("The subsidiary is in Beijing Tech Park [1].", en, Asked.NAME, korean)
