"""The one figure the sources give the asked name, found without a model (rag/sourced.py)."""

from __future__ import annotations

import pytest

from index.korean import KoreanText
from rag.sourced import figure_from_sources, owned_figures
from tests.samples import CAPEX, GAME, passages

TOTAL = "알리바바·텐센트·바이두의 지난 상반기 설비투자 합계는 500억 위안으로 전년 동기 230억 위안보다 2배 이상이다."
GAME_END = "결국 오후 4시 30분 경 흑을 잡은 이세돌 9단이 돌을 던지면서 186수만에 불계패했다."
PRIZE = "왕립과학원은 사울레스와 코스털리츠를 2016년 노벨 물리학 수상자로 선정했다."
THEORY = "스승과 제자 관계인 사울리스 교수와 코스털리츠 교수는 1972년 2차원 평면의 초전도성 이론을 발표하였다."
DEREK = "데릭 오씨는 호주 데이터센터에 300여대의 서버를 갖췄다."
DOE = "The act invests $67 billion in the Department of Energy, including $50 billion for DOE's Office of Science."
GREW = "Alibaba grew 123%, while Tencent grew 176%."


@pytest.mark.parametrize(
    ("question", "texts", "figure", "owner"),
    [
        ("알리바바의 상반기 설비투자는 전년 동기 대비 몇 퍼센트 증가했나요?", [TOTAL, CAPEX], "123%", "알리바바"),
        ("By what percentage did Alibaba's first-half capex grow year on year?", [TOTAL, CAPEX], "123%", "Alibaba"),
        ("How much did Tencent spend on capex in the first half?", [TOTAL, CAPEX], "230억 위안", "Tencent"),
        ("After how many moves did Lee Sedol resign in the first game?", [GAME, GAME_END], "186", "Lee Sedol"),
        ("How many servers did Derek Oh set up in Australia?", [DEREK], "300여", "Derek Oh"),
        # a year two of the question's names own together
        (
            "사울레스와 코스털리츠가 2차원 초전도성과 초유체성 이론을 발표한 해는 언제인가요?",
            [PRIZE, THEORY],
            "1972",
            "사울레스·코스털리츠",
        ),
        ("In what year did Thouless and Kosterlitz publish the theory?", [THEORY], "1972", "Thouless and Kosterlitz"),
        # English sources: the names in the figure's clause, or the body it goes to
        (
            "By what percentage did Alibaba's capex grow?",
            ["Alibaba grew 123%, while Tencent grew 176%."],
            "123%",
            "Alibaba",
        ),
        ("반도체과학법은 에너지부에 얼마를 투자하나요?", [DOE], "$67 billion", "에너지부"),
        # a question about the year before: the figure the source states as the year before's
        (
            "알리바바·텐센트·바이두의 전년 동기 설비투자 합계는 얼마인가요?",
            [TOTAL, CAPEX],
            "230억 위안",
            "알리바바·텐센트·바이두",
        ),
        (
            "How much did Tencent spend last year?",
            ["Tencent spent $7 billion this year.", "Tencent had spent $5 billion last year."],
            "$5 billion",
            "Tencent",
        ),
        # a "respectively" list: each figure is the name's in its place
        (
            "By what percentage did Tencent's capex grow?",
            ["Alibaba and Tencent grew 123% and 176%, respectively."],
            "176%",
            "Tencent",
        ),
    ],
)
def test_the_one_figure_of_the_asked_kind_the_sources_give_the_asked_name(
    korean: KoreanText, question: str, texts: list[str], figure: str, owner: str
) -> None:
    found = figure_from_sources(question, passages(*texts), korean)
    assert found is not None and found.quantity.text == figure and found.label == owner
    assert figure in texts[found.passage - 1]


@pytest.mark.parametrize(
    ("question", "texts"),
    [
        # the article gives Baidu's figures only together with the others'
        ("바이두의 상반기 설비투자는 몇 퍼센트 증가했나요?", [TOTAL, CAPEX]),
        # this year's 230억 위안 is no answer about last year's
        ("How much did Tencent spend on capex in the same period last year?", [TOTAL, CAPEX]),
        # "몇 분" asks a duration: 이세돌 owns 28분 28초 (time left) and 186 moves, neither an average
        ("이세돌 9단은 한 수를 둘 때 평균 몇 분이 걸렸나요?", [GAME, GAME_END]),
        # two names own a figure of the asked kind: which one is meant is the model's to say
        ("알리바바와 텐센트의 설비투자 증가율은 각각 몇 %인가요?", [CAPEX]),
        # one name, two values
        ("알리바바의 증가율은 몇 %인가요?", ["알리바바는 상반기 123%, 하반기에는 150% 증가했다."]),
        # an English clause that gives its figures to two names, respectively
        ("By what percentage did Alibaba's capex grow?", ["Alibaba and Tencent grew 123% and 176%."]),
        # a clause giving this year's figure and last year's: which one is which is the model's to say
        ("How much did Tencent spend last year?", ["Tencent spent $5 billion last year and $7 billion this year."]),
        # a group's total is not one member's
        ("How much did Tencent spend on capex?", ["Alibaba and Tencent spent a combined 50 billion yuan."]),
        # one question asking two things: a name and an amount
        (
            "에너지부 장관은 누구이고, 에너지부 투자액은 얼마인가요?",
            ["The act invests $67 billion in the Department of Energy."],
        ),
        # counts servers, and the question asks about chips
        ("데릭 오씨가 구축할 블랙웰 칩은 몇 개인가요?", [DEREK]),
        # a difference is rag/arithmetic.py's
        ("알리바바와 텐센트의 증가율은 몇 %p 차이인가요?", [CAPEX]),
        # "언제" asks the day: a year is half an answer
        ("이건희 회장은 언제 별세했나요?", ["삼성전자의 이건희 회장이 2020년 10월 25일부로 별세했다."]),
        # the group is not the one asked about
        ("코스털리츠가 이론을 발표한 해는 언제인가요?", [THEORY]),
        # a name question
        ("누가 호주에 서버를 갖췄나요?", [DEREK]),
        # the passage does not name everything the question does: Derek Oh's servers are in Australia
        ("데릭 오씨가 캘리포니아 데이터센터에 갖춘 서버는 몇 대인가요?", [DEREK]),
        ("How many servers did Derek Oh set up in the California data center?", [DEREK]),
        # the passage names 미국, but as where the investors came from: the 300여대 are in 호주
        (
            "데릭 오씨가 미국 데이터센터에 갖춘 서버는 몇 대인가요?",
            ["데릭 오씨는 미국에서 투자자들을 모집, 서버를 매입했고, 지난 6월 호주에 300여대의 서버를 갖췄다."],
        ),
    ],
)
def test_sources_that_do_not_settle_the_one_figure_leave_it_unanswered(
    korean: KoreanText, question: str, texts: list[str]
) -> None:
    assert figure_from_sources(question, passages(*texts), korean) is None


def test_a_figure_stated_as_the_year_befores_is_owned_by_no_one(korean: KoreanText) -> None:
    previous = "텐센트는 전년 동기 230억 위안에서 올해 500억 위안으로 늘렸다."
    found = owned_figures("텐센트의 설비투자는 얼마인가요?", passages(previous), korean)
    assert [list(by_value) for owned in found.values() for by_value in owned.values()] == [[5e10]]
