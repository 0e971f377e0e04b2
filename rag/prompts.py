"""Every prompt gisa sends to a model, in Korean and English, and the phrases it answers with."""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.language import Language
from rag.numbers import english_amounts
from rag.types import Passage

# The model answers; the pipeline decides whether to abstain (rag/replies.py, rag/citations.py). An
# escape such as "reply NO_ANSWER if no source holds the answer" made the 1.5B model abstain on 9 of
# 23 answerable English seed questions, so the prompts offer none. Each language has a one-shot example
# in its own language (measured against the earlier mixed ko/en example: README, "Answer quality").
NO_ANSWER = "NO_ANSWER"  # what the earlier prompts asked for; still recognised when a model says it
SYSTEM = {
    "ko": (
        "당신은 아래 뉴스 기사 자료만 보고 질문에 답하는 도우미입니다.\n"
        "한국어 완전한 문장 한두 개로 답하고, 문장 끝에 근거 자료 번호를 [1]처럼 붙이세요.\n"
        "숫자와 금액은 자료에 적힌 그대로 쓰세요.\n\n"
        "예시:\n자료:\n[1] 삼성전자는 지난 3월 미국 텍사스에 170억 달러를 투자해 공장을 짓기로 했다.\n"
        "질문: 삼성전자는 텍사스 공장에 얼마를 투자하나요?\n"
        "답변: 삼성전자는 텍사스 공장에 170억 달러를 투자합니다 [1]."
    ),
    "en": (
        "You answer questions using only the sources below: excerpts from news articles, often in Korean.\n"
        "Answer in English in one or two complete sentences, and put the number of the source after each "
        "sentence, like [1].\n"
        "Copy numbers and amounts exactly as the source gives them.\n\n"
        "Example:\nSources:\n[1] Samsung Electronics decided in March to invest 17 billion dollars in a plant "
        "in Texas.\n"
        "Question: How much will Samsung invest in the Texas plant?\n"
        "Answer: Samsung will invest 17 billion dollars in the Texas plant [1]."
    ),
}

USER = {
    "ko": "자료:\n{sources}\n\n질문: {question}\n답변:",
    "en": "Sources:\n{sources}\n\nQuestion: {question}\nAnswer:",
}

# Asked about an answer that states no checkable figure, as a fresh question with the cited passages.
# Measured on 7 dev cases: asked inside the answer's own conversation ("is everything in your answer
# stated in the sources?") the 1.5B model said yes to all 4 made-up answers (0.4 s); asked this way it
# said no to all 4 and yes to 2 of 3 right ones (0.4-1 s). One English prompt serves both languages:
# only the model reads it, and it answers in one word.
SELF_CHECK_SYSTEM = "You check whether a statement is supported by a source. Reply with one word: yes or no."
SELF_CHECK_USER = "Source: {source}\nStatement: {statement}\nDoes the source support the statement?"
_DENIES = re.compile(r"^\W*(?:no\b|아니)", re.I)


def self_check_messages(source: str, statement: str) -> list[tuple[str, str]]:
    """The question whether `source` supports `statement`, for a yes/no reply."""
    user = SELF_CHECK_USER.format(source=source.strip(), statement=statement.strip())
    return [("system", SELF_CHECK_SYSTEM), ("user", user)]


def denies(text: str) -> bool:
    """True if a self-check reply says no."""
    return bool(_DENIES.match(text))


# Asked instead of an answer when the question wants a difference or a sum (rag/arithmetic.py): the model
# only copies the two figures, and the pipeline does the arithmetic. Measured on the 13 difference and sum
# questions of both fact sets: the 1.5B model gave both figures right for 9 of 13 (answering them, it got 2
# right). One line per thing the question names, with an example from two sources, won 9 to 8 against an
# example from one sentence. The example is made up (no fact set's article).
OPERANDS_SYSTEM = {
    "ko": (
        "뉴스 자료에서 계산에 필요한 수치 두 개를 찾으세요. 질문이 말하는 두 대상 각각에 대해 한 줄씩, 그 대상 다음에 "
        "수치를 자료에 적힌 그대로 단위까지 모두 옮기고, 줄 끝에 자료 번호를 붙이세요.\n정확히 두 줄로만 답하세요.\n\n"
        "예시:\n자료:\n[1] 삼성전자는 지난해 텍사스 공장에 170억 달러를 투자했다.\n"
        "[2] SK는 인디애나 공장에 150억 달러를 들였다.\n질문: 삼성전자는 SK보다 얼마를 더 투자했나요?\n"
        "수치:\n삼성전자: 170억 달러 [1]\nSK: 150억 달러 [2]"
    ),
    "en": (
        "You find in news sources the two figures that a calculation needs. For each of the two things the question "
        "names, write one line: the thing, then its figure copied whole, exactly as the source gives it, with its "
        "unit, and the source number at the end.\nReply with exactly two lines, nothing else.\n\n"
        "Example:\nSources:\n[1] Samsung invested 17 billion dollars in its Texas plant last year.\n"
        "[2] SK spent 15 billion dollars on its Indiana plant.\nQuestion: How much more did Samsung invest than SK?\n"
        "Figures:\nSamsung: 17 billion dollars [1]\nSK: 15 billion dollars [2]"
    ),
}
OPERANDS_USER = {
    "ko": "자료:\n{sources}\n\n질문: {question}\n수치:\n",
    "en": "Sources:\n{sources}\n\nQuestion: {question}\nFigures:\n",
}
# The answer the pipeline writes from the two figures: the result first, then where each figure stands.
WORKED = {
    ("ko", "difference"): "차이는 {result}입니다 ({first} [{n}] − {second} [{m}]).",
    ("ko", "sum"): "합계는 {result}입니다 ({first} [{n}] + {second} [{m}]).",
    ("en", "difference"): "The difference is {result} ({first} [{n}] − {second} [{m}]).",
    ("en", "sum"): "The total is {result} ({first} [{n}] + {second} [{m}]).",
}

# The answer the pipeline writes from a conversion the article gives in brackets (rag/conversions.py).
CONVERTED = {
    "ko": "{original} 약 {converted}입니다 [{n}].",
    "en": "{original} is about {converted} [{n}].",
}

# The answer the pipeline writes when the model's was refused and the sources give the asked name one
# figure of the asked kind (rag/sourced.py): it says where the figure comes from, not what it measures.
SOURCED = {
    ("ko", "figure"): "자료에 나온 {name}의 수치는 {figure}입니다 [{n}].",
    ("en", "figure"): "The figure the sources give for {name} is {figure} [{n}].",
    ("ko", "year"): "자료에 나온 {name} 관련 연도는 {figure}입니다 [{n}].",
    ("en", "year"): "The year the sources give for {name} is {figure} [{n}].",
    ("ko", "earlier"): "자료에 나온 {name}의 전년 수치는 {figure}입니다 [{n}].",
    ("en", "earlier"): "The figure the sources give for {name} a year earlier is {figure} [{n}].",
}


def operand_messages(question: str, passages: Sequence[Passage], language: Language) -> list[tuple[str, str]]:
    """The request to copy the two figures a difference or sum needs, one per line with its source."""
    lang = language if language in OPERANDS_SYSTEM else "en"
    user = OPERANDS_USER[lang].format(sources=format_sources(passages, lang), question=question.strip())
    return [("system", OPERANDS_SYSTEM[lang]), ("user", user)]


# Rewriting a follow-up into a standalone question, used only where the rule in rag/followup.py cannot
# tell what the follow-up refers to. The one-shot example is made up (no fact set's article or question).
REWRITE_SYSTEM = {
    "ko": (
        "대화의 마지막 질문을, 앞의 대화를 보지 않아도 이해할 수 있는 하나의 완전한 질문으로 다시 쓰세요. "
        "빠진 주어와 대상은 앞의 질문과 답변에서 채우고, 질문만 한 줄로 답하세요.\n\n"
        "예시\n이전 질문: 삼성전자의 3분기 영업이익은 얼마인가요?\n이전 답변: 10조원입니다.\n"
        "마지막 질문: SK하이닉스는요?\n완전한 질문: SK하이닉스의 3분기 영업이익은 얼마인가요?"
    ),
    "en": (
        "Rewrite the last question of the conversation as one standalone question that can be understood "
        "without the conversation. Fill in the subject and object it leaves out from the earlier question and "
        "answer, and reply with the question only, on one line.\n\n"
        "Example\nEarlier question: What was Toyota's operating profit in 2023?\nEarlier answer: 5.4 trillion yen.\n"
        "Last question: And Honda?\nStandalone question: What was Honda's operating profit in 2023?"
    ),
}
REWRITE_TURN = {
    "ko": "이전 질문: {question}\n이전 답변: {answer}\n",
    "en": "Earlier question: {question}\nEarlier answer: {answer}\n",
}
REWRITE_ASK = {"ko": "마지막 질문: {question}\n완전한 질문:", "en": "Last question: {question}\nStandalone question:"}
_REWRITE_LABEL = re.compile(r"^\s*(?:완전한 질문|standalone question|question|질문)\s*[:：]\s*", re.I)


def rewrite_messages(question: str, turns: Sequence[tuple[str, str]], language: Language) -> list[tuple[str, str]]:
    """The request to rewrite `question` standalone, given earlier (question, answer) turns."""
    lang = language if language in REWRITE_SYSTEM else "en"
    context = "".join(REWRITE_TURN[lang].format(question=q.strip(), answer=a.strip() or "-") for q, a in turns)
    return [("system", REWRITE_SYSTEM[lang]), ("user", context + REWRITE_ASK[lang].format(question=question.strip()))]


def clean_rewrite(reply: str) -> str:
    """The rewritten question from a reply: its first line, without a label or quotes."""
    line = next((line for line in reply.strip().splitlines() if line.strip()), "")
    return _REWRITE_LABEL.sub("", line).strip().strip("\"'“”‘’").strip()


# What the assistant says when it abstains.
ABSTAIN = {
    "ko": "기사에 나와 있지 않습니다.",
    "en": "The articles do not say.",
}
ABSTAIN_WITH_SOURCES = {
    "ko": "기사에서 이 질문의 답을 확인할 수 없습니다. 가장 관련 있는 대목은 다음과 같습니다.",
    "en": "The articles do not answer this question. The closest passages are listed below.",
}
# Phrases by which a model signals that the sources lack the answer.
ABSTAIN_MARKERS = (
    NO_ANSWER.lower(),
    "no answer",
    "기사에 나와 있지 않",
    "자료에 나와 있지 않",
    "자료에 없",
    "기사에 없",
    "알 수 없습니다",
    "the articles do not say",
    "the articles don't say",
    "the sources do not",
    "the sources don't",
    "do not contain the answer",
    "does not contain the answer",
    "no information about",
    "not mentioned",
    "does not mention",
    "do not mention",
    "not specified",
    "not known",
    "not provided",
    "언급되지 않",
    "나와 있지 않",
    "알려지지 않",
    "밝혀지지 않",
)


def format_sources(passages: Sequence[Passage], language: Language) -> str:
    """Number the evidence passages as the model will cite them, each after its article's date when known.

    For English answers, Korean large-unit amounts are written the English way ("500억 위안" becomes
    "50 billion yuan"): the 1.5B model was seen turning 500억 into "500 billion", even when given both.
    """
    if language == "en":
        return "\n".join(f"[{p.number}] {_dated(p, language)}{english_amounts(p.text)}" for p in passages)
    return "\n".join(f"[{p.number}] {_dated(p, language)}{p.text}" for p in passages)


DATED = {"ko": "({date} 보도) ", "en": "(published {date}) "}


def _dated(passage: Passage, language: Language) -> str:
    """The article's publication date before its passage, so that "last January" can be read against it."""
    if not passage.byline.published:
        return ""
    return DATED.get(language, DATED["en"]).format(date=passage.byline.published)


def prompt_heads() -> list[list[tuple[str, str]]]:
    """The fixed start of every prompt (per language, and the self-check's): system turn and user turn's head.

    Backends that can (llama.cpp) keep the model's state after these, so only sources and question
    are processed per question.
    """
    answer_heads = [[("system", SYSTEM[lang]), ("user", USER[lang].split("{sources}")[0])] for lang in SYSTEM]
    return [*answer_heads, [("system", SELF_CHECK_SYSTEM), ("user", SELF_CHECK_USER.split("{source}")[0])]]


def build_messages(question: str, passages: Sequence[Passage], language: Language) -> list[tuple[str, str]]:
    """(role, content) pairs: a system prompt and a user turn in the question's language."""
    lang = language if language in SYSTEM else "en"
    user = USER[lang].format(sources=format_sources(passages, lang), question=question.strip())
    return [("system", SYSTEM[lang]), ("user", user)]


def says_abstain(text: str) -> bool:
    """True if a model reply says the sources do not hold the answer."""
    lowered = text.lower()
    return any(marker in lowered for marker in ABSTAIN_MARKERS)
