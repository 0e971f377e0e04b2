from index.korean import KoreanText
from rag.asked import Asked
from rag.votes import agree, facts_of

QUESTION = "Where did Derek Oh recruit investors to buy the H100 servers?"


def test_answers_in_other_words_agree_on_a_shared_fact(korean: KoreanText) -> None:
    two = facts_of("He recruited them in the United States and the United Arab Emirates [1].", QUESTION, korean)
    three = facts_of("Investors came from the United States, the UAE, and China [1].", QUESTION, korean)
    assert agree(two, three, Asked.NAME) and two.size == 2 and three.size == 3
    korean_answer = facts_of("데릭 오씨는 미국에서 투자자를 모았습니다 [1].", QUESTION, korean)
    assert agree(two, korean_answer, Asked.NAME)  # a name in either script


def test_answers_with_nothing_in_common_do_not_agree(korean: KoreanText) -> None:
    texas = facts_of("He recruited investors in Texas [1].", QUESTION, korean)
    japan = facts_of("He recruited investors in Japan [1].", QUESTION, korean)
    assert not agree(texas, japan, Asked.NAME)
    none = facts_of("He recruited investors abroad [1].", QUESTION, korean)
    assert not agree(none, none, Asked.NAME)  # an answer that states nothing can agree with nothing


def test_figures_agree_by_value(korean: KoreanText) -> None:
    q = "How many servers did Derek Oh set up in Australia?"
    korean_answer = facts_of("호주에 서버 300여대를 갖췄다 [1].", q, korean)
    assert agree(facts_of("About 300 servers [1].", q, korean), korean_answer, Asked.NUMBER)
    assert not agree(facts_of("300 servers [1].", q, korean), facts_of("400 servers [2].", q, korean), Asked.NUMBER)


def test_only_facts_of_the_asked_kind_make_an_agreement(korean: KoreanText) -> None:
    q = "Which colour stones did Lee Sedol play with?"
    stone = facts_of('Lee Sedol "rushed" the 9-stone, a move made by AlphaGo [4].', q, korean)
    units = facts_of("The colour stones used by Lee Sedol were 9 units [3].", q, korean)
    assert not agree(stone, units, Asked.OTHER)  # the same "9" (from 이세돌 9단) answers no colour question
    q = "How many servers did Derek Oh set up?"
    assert not agree(
        facts_of("Derek Oh set up 300 servers [1].", q, korean),
        facts_of("Derek Oh in Australia set up 400 [2].", q, korean),
        Asked.NUMBER,
    )
