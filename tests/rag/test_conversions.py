"""Amounts in another currency, read from the bracket in which the article converts them."""

import pytest

from index import Index
from rag.assistant import Assistant
from rag.config import Config
from rag.conversions import asked_currency, conversion_text, converted
from tests.samples import ScriptedGenerator, passages

TOTAL = "설비투자 합계는 500억 위안(약 9조3000억원)으로 전년 동기 230억 위안(약 4조3000억원)보다 2배 이상이다."
PRICE = "H20은 개당 1만2000∼1만3000달러(약 1590만∼1723만원) 수준이다."


@pytest.mark.parametrize(
    ("question", "currency"),
    [
        ("How much is the 50 billion yuan capex in Korean won?", "KRW"),
        ("500억 위안은 원화로 얼마인가요?", "KRW"),
        ("What is 9.3 trillion won in yuan?", "CNY"),
        ("How much did Alibaba spend?", ""),
        ("Where did he recruit investors who won the bid?", ""),
    ],
)
def test_the_asked_currency_is_read_from_the_question(question: str, currency: str) -> None:
    assert asked_currency(question) == currency


def test_the_bracket_after_the_named_amount_gives_its_conversion() -> None:
    pool = passages("알리바바는 230억 위안을 썼다.", TOTAL)
    found = converted("How much is the 50 billion yuan capex in Korean won?", pool)
    assert found is not None and found.passage == 2 and found.converted.text == "9조3000억원"
    assert conversion_text(found, "en") == "50 billion yuan is about 9.3 trillion won [2]."
    earlier = converted("230억 위안은 원화로 얼마인가요?", pool)  # the first passage converts nothing: the second does
    assert earlier is not None and conversion_text(earlier, "ko") == "230억위안은 약 4조3000억원입니다 [2]."


@pytest.mark.parametrize(
    "question",
    [
        "H20 칩 1만3000달러는 원화로 얼마인가요?",  # a range: which bound converts to which is not ours to pair
        "How much is 50 billion yuan in dollars?",  # the article gives no dollar figure
        "500억 위안은 얼마인가요?",  # no currency asked
        "How much is 2 billion yuan in Korean won?",  # an amount the article does not state
    ],
)
def test_no_conversion_without_one_the_article_gives(question: str) -> None:
    assert converted(question, passages(TOTAL, PRICE)) is None


def test_the_assistant_answers_a_conversion_from_the_article_without_the_model(hash_index: Index) -> None:
    generator = ScriptedGenerator("unused")
    answer = Assistant(hash_index, generator, Config()).ask("How much is the 50 billion yuan capex in Korean won?")
    assert generator.prompts == [] and not answer.abstained and answer.verified
    assert answer.text.startswith("50 billion yuan is about 9.3 trillion won [")
    assert "500억 위안(약 9조3000억원)" in answer.citations[0].quote
