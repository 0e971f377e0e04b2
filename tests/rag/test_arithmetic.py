"""Differences and sums: the model copies two figures, the pipeline locates, attributes and adds them up."""

import pytest

from index import Index
from index.korean import KoreanText
from rag import prompts
from rag.arithmetic import (
    amount,
    asked_operation,
    parse_operands,
    question_operands,
    work_out,
    work_out_from_sources,
)
from rag.assistant import Assistant, _worked_text
from rag.config import Config
from rag.numbers import DURATION, Quantity, extract_quantities
from tests.samples import CAPEX, GAME, ScriptedGenerator, passages

GAME_END = "결국 오후 4시 30분 경 186수만에 이세돌 9단이 돌을 던지면서 불계패했다."
ANNOUNCED = "In the year since I signed this legislation into law, companies have announced over $166 billion."
CHIPS = "This legislation invests over $50 billion in the domestic manufacturing of semiconductors and microchips."
DOE = "The legislation invests $67 billion in the Department of Energy."


@pytest.mark.parametrize(
    ("question", "operation"),
    [
        ("By how many percentage points did Tencent's capex growth exceed Alibaba's?", "difference"),
        ("How many years older is David Thouless than Duncan Haldane?", "difference"),
        ("코스털리츠는 홀데인보다 몇 살 많나요?", "difference"),
        ("H20 개당 가격의 상한과 하한은 몇 달러 차이인가요?", "difference"),
        ("데릭 오씨의 호주 서버와 캘리포니아 데이터센터의 서버를 합치면 몇 대인가요?", "sum"),
        ("What is the total of the Act's investment in chips and in the Department of Energy?", "sum"),
        ("How did the three companies' combined first-half capex compare with a year earlier?", None),  # a ratio
        ("알리바바의 설비투자는 몇 퍼센트 증가했나요?", None),
        ("텐센트의 증가율은 알리바바보다 몇 %p 더 높나요?", "difference"),  # a stated 176% is no answer
        ("How much higher was Tencent's growth than Alibaba's?", "difference"),
        ("세 회사의 설비투자는 전년보다 몇 배 많나요?", None),  # a ratio
        ("How many times larger was the capex?", None),
        ("알리바바와 텐센트 중 증가율이 더 높은 곳은?", None),  # a choice
    ],
)
def test_the_asked_operation_is_recognised(question: str, operation: str | None) -> None:
    assert asked_operation(question) == operation


def test_durations_are_read_whole_and_ranks_in_labels_are_no_extract_quantities() -> None:
    found = extract_quantities(GAME)
    assert [(q.value, q.unit) for q in found if q.unit == DURATION] == [(330.0, DURATION), (1708.0, DURATION)]
    assert [(q.value, q.unit) for q in extract_quantities("5 minutes 30 seconds")] == [(330.0, DURATION)]
    parsed = parse_operands("이세돌 9단: 28분 28초 [2]\n알파고: 5분 30초 [1]")
    assert [(label, q.value, cited) for label, q, cited, _ in parsed] == [
        ("이세돌 9단", 1708.0, 2),
        ("알파고", 330.0, 1),
    ]


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("1만2000달러 [1] - 1만3000달러 [1] = 1000달러 [1]", [("", 12000.0, 1), ("", 13000.0, 1)]),  # no labels
        ("Companies: over $166 billion [3]\n$50 billion: [1]", [("Companies", 1.66e11, 3), ("", 5e10, 1)]),
        ("- Derek Oh: 300여대 [1]\n- 조지프 체: 400대 이상 [2]", [("Derek Oh", 300.0, 1), ("조지프 체", 400.0, 2)]),
    ],
)
def test_replies_of_several_shapes_give_their_figures(reply: str, expected: list[tuple[str, float, int]]) -> None:
    assert [(label, q.value, cited) for label, q, cited, _ in parse_operands(reply)] == expected


def test_a_difference_is_worked_out_from_figures_located_in_the_passages(korean: KoreanText) -> None:
    pool = passages(GAME_END, GAME)
    reply = "이세돌 9단: 28분 28초 [1]\n알파고: 5분 30초 [2]"
    worked = work_out("difference", "이세돌은 알파고보다 시간을 얼마나 더 남겼나요?", reply, pool, korean)
    assert worked is not None
    assert (worked.first.passage, worked.second.passage) == (2, 2)  # the marker is moved to the passage holding it
    assert amount(worked.result, "ko") == "22분 58초" and amount(worked.result, "en") == "22 minutes 58 seconds"


def test_a_duration_in_whole_minutes_stands_for_the_stated_one(korean: KoreanText) -> None:
    reply = "Lee Sedol: 28 minutes [1]\nAlphaGo: 5 minutes [1]"
    question = "How much more time did Lee Sedol have left than AlphaGo?"
    worked = work_out("difference", question, reply, passages(GAME), korean)
    assert worked is not None and worked.result.value == 1708 - 330


def test_a_figure_the_passages_do_not_state_gives_no_answer(korean: KoreanText) -> None:
    pool = passages(CAPEX)
    assert work_out("difference", "How much more?", "Tencent: 180% [1]\nAlibaba: 123% [1]", pool, korean) is None
    assert work_out("sum", "합치면?", "300대 이상 [1]", pool, korean) is None  # one figure
    assert work_out("difference", "How much more?", "A: 123% [1]\nB: 123% [1]", pool, korean) is None  # twice
    assert work_out("difference", "How much more?", "A: 123% [1]\nB: 230억 위안 [1]", pool, korean) is None  # kinds


def test_a_figure_from_a_passage_about_something_else_gives_no_answer(korean: KoreanText) -> None:
    # "companies announced $166 billion" is not the Act's investment in chip manufacturing, which [2] states
    energy = "Act's investment in the Department of Energy: $67 billion [3]"
    reply = f"Act's investment in chip manufacturing: $166 billion [1]\n{energy}"
    question = "What is the total of the Act's investment in chip manufacturing and in the Department of Energy?"
    assert work_out("sum", question, reply, passages(ANNOUNCED, CHIPS, DOE), korean) is None
    right = f"Act's investment in chip manufacturing: $50 billion [2]\n{energy}"
    worked = work_out("sum", question, right, passages(ANNOUNCED, CHIPS, DOE), korean)
    assert worked is not None and amount(worked.result, "en") == "117 billion dollars"


def test_only_figures_given_to_their_own_subjects_are_attributed(korean: KoreanText) -> None:
    question = "By how many percentage points did Tencent's capex growth exceed Alibaba's?"
    right = work_out("difference", question, "Tencent: 176% [1]\nAlibaba: 123% [1]", passages(CAPEX), korean)
    swapped = work_out("difference", question, "Tencent: 123% [1]\nAlibaba: 176% [1]", passages(CAPEX), korean)
    unnamed = work_out("difference", question, "176% [1]\n123% [1]", passages(CAPEX), korean)
    assert right is not None and right.attributed and amount(right.result, "en") == "53 percentage points"
    assert swapped is not None and not swapped.attributed  # the same 53, but each figure given to the wrong company
    assert unnamed is not None and not unnamed.attributed


def test_the_question_own_figures_need_no_model(korean: KoreanText) -> None:
    question = "How many years passed between the 1972 theory and the 2016 Nobel Prize?"
    assert [q.value for q in question_operands(question)] == [1972.0, 2016.0]
    pool = passages("2016년 노벨물리학상은 세 사람에게 돌아갔다.", "두 사람은 1972년 이론을 발표하였다.")
    worked = work_out("difference", question, "", pool, korean)
    assert worked is not None and amount(worked.result, "en") == "44 years" and amount(worked.result, "ko") == "44년"


@pytest.mark.parametrize(
    ("quantity", "language", "text"),
    [
        (Quantity(13000, "USD", ""), "ko", "1만3000달러"),
        (Quantity(2.7e10, "CNY", ""), "ko", "270억위안"),
        (Quantity(1.16e11, "USD", ""), "en", "116 billion dollars"),
        (Quantity(53, "pp", ""), "ko", "53%p"),
        (Quantity(61, DURATION, ""), "en", "1 minute 1 second"),
    ],
)
def test_amounts_are_written_the_answer_language_way(quantity: Quantity, language: str, text: str) -> None:
    assert amount(quantity, language) == text  # type: ignore[arg-type]


GAP_Q = "알리바바와 텐센트의 상반기 설비투자 증가율은 몇 %p 차이인가요?"
RANGE_Q = "H20 개당 가격의 상한은 하한보다 몇 달러 더 많나요?"


@pytest.mark.parametrize(
    ("question", "texts", "expected"),
    [
        (GAP_Q, [CAPEX], "차이는 53%p입니다 (텐센트 176% [1] − 알리바바 123% [1])."),
        (
            "Which grew its capex faster, Alibaba or Tencent, and by how many percentage points more?",
            ["알리바바·텐센트·바이두의 합계는 500억 위안이다.", CAPEX],
            "The difference is 53 percentage points (Tencent 176% [2] − Alibaba 123% [2]).",
        ),
        (
            "데릭 오씨의 호주 서버와 조지프 체 씨가 말한 서버는 모두 합해 몇 대인가요?",
            [  # the counting word is 대, not 대의
                "데릭 오씨는 지난 6월 호주의 한 데이터센터에 300여대의 서버를 갖췄고, 3주 뒤부터 활용하기 시작했다.",
                "조지프 체 씨는 근무했던 회사가 서버가 400대 이상 갖춰진 데이터센터를 이용했다고 말했다.",
            ],
            "합계는 700대입니다",
        ),
        (
            "How many years older is David Thouless than Duncan Haldane?",
            [
                "왕립과학원은 데이비드 사울레스(David J. Thouless, 워싱턴대 명예교수, 82), "
                "마이클 코스털리츠(J. Michael Kosterlitz, 브라운대 교수, 74)와 "
                "덩컨 홀데인(F. Duncan M. Haldane, 프린스턴대 교수, 65)을 2016년 노벨 물리학 수상자로 선정했다.",
                "홀데인 교수는 2차원 이론을 기반으로 1차원에서도 유사한 현상이 일어난다는 사실을 밝혀냈다.",  # no ages
            ],
            "The difference is 17 (David Thouless 82 [1] − Duncan Haldane 65 [1]).",
        ),
        (  # an English source: each figure's clause names its owner
            "By how many percentage points did Tencent's growth exceed Alibaba's?",
            ["Alibaba grew 123%, Tencent 176%."],
            "The difference is 53 percentage points (Tencent 176% [1] − Alibaba 123% [1]).",
        ),
    ],
)
def test_figures_the_sources_give_to_the_question_names_need_no_model(
    korean: KoreanText, question: str, texts: list[str], expected: str
) -> None:
    operation = asked_operation(question)
    assert operation is not None
    worked = work_out_from_sources(operation, question, passages(*texts), korean)
    assert worked is not None and worked.attributed
    language = "ko" if "가" <= question[0] <= "힣" else "en"
    assert _worked_text(worked, language).startswith(expected)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("question", "texts"),
    [
        (RANGE_Q, ["H20은 개당 1만2000∼1만3000달러 수준이다."]),  # one name owns both: which is which is not said
        # an English clause that gives both figures to both names ("respectively")
        (
            "By how many percentage points did Tencent's growth exceed Alibaba's?",
            ["Alibaba and Tencent grew 123% and 176%."],
        ),
        # one name owns two rates
        ("알리바바와 텐센트의 증가율은 몇 %p 차이인가요?", ["알리바바는 123%, 올해는 150%. 텐센트는 176%."]),
        ("알리바바와 텐센트의 설비투자는 얼마나 차이 나나요?", [CAPEX]),  # amounts or rates: the question does not say
    ],
)
def test_sources_that_do_not_settle_the_figures_leave_them_to_the_model(
    korean: KoreanText, question: str, texts: list[str]
) -> None:
    operation = asked_operation(question)
    assert operation is not None
    assert work_out_from_sources(operation, question, passages(*texts), korean) is None


def test_the_assistant_works_out_a_difference_from_the_sources_without_the_model(hash_index: Index) -> None:
    generator = ScriptedGenerator("unused")
    answer = Assistant(hash_index, generator, Config()).ask(GAP_Q)
    assert generator.prompts == []  # 알리바바는 … 123%, 텐센트도 … 176%: the sources settle it
    assert answer.text.startswith("차이는 53%p입니다") and "176%" in answer.text and "123%" in answer.text
    assert answer.verified and answer.citations and "176%" in answer.citations[0].quote


def test_the_assistant_answers_a_difference_with_the_figures_the_model_copies(hash_index: Index) -> None:
    generator = ScriptedGenerator("상한: 1만3000달러 [1]\n하한: 1만2000달러 [1]")
    answer = Assistant(hash_index, generator, Config()).ask(RANGE_Q)
    assert [p[0][1] for p in generator.prompts] == [prompts.OPERANDS_SYSTEM["ko"]]  # one request: the figures
    assert answer.text.startswith("차이는 1,000달러입니다") and "1만3000달러" in answer.text
    assert not answer.verified  # "상한" and "하한" name nothing the source gives a figure to


def test_the_assistant_answers_the_usual_way_when_the_figures_fail(hash_index: Index) -> None:
    generator = ScriptedGenerator("H20의 상한은 하한보다 1000달러 더 많습니다 [1].")
    answer = Assistant(hash_index, generator, Config()).ask(RANGE_Q)
    assert [p[0][1] for p in generator.prompts[:2]] == [prompts.OPERANDS_SYSTEM["ko"], prompts.SYSTEM["ko"]]
    assert not answer.abstained and "1000달러" in answer.text
    assert not answer.verified  # the model's own difference may come from the wrong pair: shown, never ✓
