"""Follow-ups into standalone questions: the rule, the generator where the rule cannot tell, and the Assistant."""

from __future__ import annotations

import pytest

from index import Index
from index.korean import KoreanText
from rag.assistant import Assistant
from rag.config import Config
from rag.followup import How, Turn, resolve, standalone_question
from tests.samples import ScriptedGenerator

ALIBABA = Turn("알리바바의 상반기 설비투자는 전년 동기 대비 몇 퍼센트 증가했나요?", "123% 증가했습니다 [1].")


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [
        (ALIBABA, "텐센트는요?", "텐센트의 상반기 설비투자는 전년 동기 대비 몇 퍼센트 증가했나요?"),
        (ALIBABA, "그럼 바이두는 어때요?", "바이두의 상반기 설비투자는 전년 동기 대비 몇 퍼센트 증가했나요?"),
        (
            Turn("데릭 오씨가 호주 데이터센터에 갖춘 서버는 몇 대인가요?"),
            "캘리포니아 데이터센터는요?",
            "데릭 오씨가 캘리포니아 데이터센터에 갖춘 서버는 몇 대인가요?",
        ),
        (Turn("사울레스는 몇 살인가요?"), "홀데인은요?", "홀데인은 몇 살인가요?"),
        (Turn("H20의 개당 가격은 얼마인가요?"), "바이두는요?", "바이두의 개당 가격은 얼마인가요?"),
        (Turn("이건희 회장은 언제 별세했나요?"), "그의 사인은 무엇인가요?", "이건희 회장의 사인은 무엇인가요?"),
        (
            Turn("By what percentage did Alibaba's first-half capex grow year on year?"),
            "And Tencent?",
            "By what percentage did Tencent's first-half capex grow year on year?",
        ),
        (
            Turn("How many servers did Derek Oh set up in Australia?"),
            "What about the California data center?",
            "How many servers did Derek Oh set up in the California data center?",
        ),
        (Turn("When did the Odysseus lander launch?"), "Where did it touch down?", "Where did Odysseus touch down?"),
        # a time takes the place of the previous question's one time
        (
            Turn("알리바바·텐센트·바이두의 상반기 설비투자 합계는 얼마인가요?"),
            "전년 동기는요?",
            "알리바바·텐센트·바이두의 전년 동기 설비투자 합계는 얼마인가요?",
        ),
        # "in X" takes the place of what the previous question's one "in" phrase named
        (
            Turn("How much does the CHIPS Act invest in domestic semiconductor manufacturing, according to Granholm?"),
            "And in the Department of Energy?",
            "How much does the CHIPS Act invest in the Department of Energy, according to Granholm?",
        ),
        (
            Turn("Who led the talks in Washington?", "Jake Sullivan led them [1]."),
            "What is his position?",
            "What is Jake Sullivan's position?",
        ),
    ],
)
def test_the_rule_puts_the_follow_up_in_the_previous_question(
    korean: KoreanText, previous: Turn, question: str, expected: str
) -> None:
    rewrite = standalone_question(question, [previous], korean)
    assert (rewrite.text, rewrite.how) == (expected, How.RULE)


@pytest.mark.parametrize(
    ("previous", "question"),
    [
        (ALIBABA, "틱톡의 모회사는 어디인가요?"),
        (Turn("How much does one H20 chip cost?"), "Which TikTok parent company is buying Nvidia chips in bulk?"),
    ],
)
def test_a_question_that_stands_on_its_own_is_left_alone(korean: KoreanText, previous: Turn, question: str) -> None:
    assert standalone_question(question, [previous], korean).how == How.AS_ASKED


@pytest.mark.parametrize("question", ["전년 동기는요?", "언제요?", "And a year earlier?", "When?"])
def test_what_the_rule_cannot_tell_it_leaves_to_the_generator(korean: KoreanText, question: str) -> None:
    assert standalone_question(question, [ALIBABA], korean).how == How.UNRESOLVED
    generator = ScriptedGenerator("완전한 질문: 알리바바의 전년 동기 설비투자는 얼마였나요?\n설명은 생략합니다.")
    rewrite = resolve("전년 동기는요?", [ALIBABA], korean, generator, "rule+llm")
    assert (rewrite.text, rewrite.how) == ("알리바바의 전년 동기 설비투자는 얼마였나요?", How.GENERATOR)
    assert "전년 동기는요?" in generator.prompts[0][-1][1] and ALIBABA.question in generator.prompts[0][-1][1]


@pytest.mark.parametrize(
    "reply", ["", ALIBABA.question, "What was Alibaba's capex a year earlier?", "이전 질문: 알리바바는?", "x" * 400]
)
def test_an_unusable_generator_rewrite_keeps_the_question(korean: KoreanText, reply: str) -> None:
    rewrite = resolve("전년 동기는요?", [ALIBABA], korean, ScriptedGenerator(reply), "rule+llm")
    assert (rewrite.text, rewrite.how) == ("전년 동기는요?", How.UNRESOLVED)


def test_modes(korean: KoreanText) -> None:
    generator = ScriptedGenerator("텐센트의 상반기 설비투자 증가율은?")
    assert resolve("텐센트는요?", [ALIBABA], korean, generator, "off").how == How.AS_ASKED
    assert resolve("텐센트는요?", [ALIBABA], korean, generator, "rule").how == How.RULE
    assert resolve("텐센트는요?", [ALIBABA], korean, generator, "llm").how == How.GENERATOR
    assert resolve("텐센트는요?", [], korean, generator, "llm").how == How.AS_ASKED


def test_the_assistant_answers_the_standalone_question_and_says_so(hash_index: Index) -> None:
    generator = ScriptedGenerator("텐센트는 전년 동기 대비 176% 증가했습니다 [1].")
    assistant = Assistant(hash_index, generator, Config(self_check=False))
    answer = assistant.ask("텐센트는요?", history=[ALIBABA])
    assert answer.question == "텐센트는요?"
    assert answer.searched == "텐센트의 상반기 설비투자는 전년 동기 대비 몇 퍼센트 증가했나요?"
    assert "질문: 텐센트의 상반기 설비투자는" in generator.prompts[-1][-1][1]
    assert answer.verified and "176%" in answer.citations[0].quote
    alone = assistant.ask("텐센트는요?")
    assert alone.searched == "" and alone.question == "텐센트는요?"
