"""Replies that are no answer: the question echoed, prompt fragments, markers alone, loops, foreign script.

The pipeline, not the model, decides when to abstain: these checks run on every reply before its
facts are verified.
"""

from __future__ import annotations

import re
from enum import StrEnum

from index.korean import KoreanText
from rag.asked import picks_option
from rag.citations import MARKER
from rag.entities import new_names
from rag.numbers import extract_quantities


class Flaw(StrEnum):
    """Why a reply was not shown as an answer."""

    SAYS_NO_ANSWER = "says-no-answer"  # the model said the sources lack the answer
    EMPTY = "empty"  # nothing but markers and punctuation
    ECHO = "echo"  # the question repeated back
    FOREIGN_SCRIPT = "foreign-script"  # Chinese or Japanese that no source contains
    WRONG_KIND = "wrong-kind"  # no fact of the asked kind (no % for a percentage question)
    UNSUPPORTED = "unsupported"  # its facts are not in the cited sources
    NOT_CONFIRMED = "not-confirmed"  # no checkable figure, and the model would not confirm it from the sources
    UNSOURCED_NAME = "unsourced-name"  # it names something no source names, in any script ("The New York Times")


# A reply ending in the same unit repeated this many times is looping ("대한민국, 대한민국, …").
LOOP_REPEATS = 4
MAX_LOOP_UNIT = 40  # characters; checked at every token, so the check stays O(MAX_LOOP_UNIT * LOOP_REPEATS)
MIN_LOOP_UNIT = 2
# A reply ending in this many markers in a row is counting sources, not answering: "미국의 주는 [1] [2] [3] …"
# (dev, d06-ko-states) ran to the token limit, 8.8 s, before it was refused.
MARKER_RUN = 5
_MARKER_RUN = re.compile(rf"(?:{MARKER.pattern}[\s,，]{{0,3}}){{{MARKER_RUN},}}\[?\s*\d{{0,3}}$")
# Share of a reply's character trigrams found in the question above which, with no new figure, the
# reply only repeats the question. Chosen by hand on the echoes seen in the seed and dev runs.
ECHO_SHARE = 0.8

_PROMPT_LINE = re.compile(r"(?:^|\n)\s{0,4}(?:자료|질문|답변|출처|Sources?|Question|Answer)\s{0,2}:|<\|im_", re.I)
# "답변: 7.5집입니다": a leading answer label is no prompt fragment.
_ANSWER_LABEL = re.compile(r"^\s{0,4}(?:답변|Answer)\s{0,2}[:：]\s*", re.I)
# "According to sources [1], [2] and [3], …", "기사에 따르면 …": who says it, not what; left out when comparing.
_LEAD_IN = re.compile(r"^\s{0,4}(?:according to[^,.]{0,60},|[^\s,.]{1,12}에 따르면,?)\s*", re.I)
_QUESTION_END = re.compile(r"(?:\?|？|나요|까요|습니까|니까|인가요)\s*[.。]?\s*$")
# Chinese characters (CJK ideographs, extension A, compatibility forms) and kana.
FOREIGN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORDLESS = re.compile(r"[\W_]+", re.UNICODE)


def loop_start(text: str) -> int | None:
    """Where a reply starts repeating itself at its end (the second copy of the unit), or None.

    A run of `MARKER_RUN` markers ("[1] [2] [3] [4] [5]") counts as a loop from its first marker.
    """
    window = max(0, len(text) - MAX_LOOP_UNIT * LOOP_REPEATS)  # the tail only: checked at every token
    run = _MARKER_RUN.search(text, window)
    if run is not None:
        return run.start()
    for size in range(MIN_LOOP_UNIT, MAX_LOOP_UNIT + 1):
        span = size * LOOP_REPEATS
        if len(text) < span:
            break
        tail = text[-span:]
        if tail[:-size] == tail[size:] and tail[:size].strip(" ,.、"):
            start = len(text) - span
            while start >= size and text[start - size : start] == text[start : start + size]:
                start -= size
            return start + size
    return None


_SENTENCE = re.compile(r"[^.!?。\n]+[.!?。]?")
# A sentence this long said twice over is a loop, not emphasis ("세 사람은 세 사람에게 돌아갔다." three times).
MIN_REPEATED_CHARS = 8


def repeats_sentence(text: str) -> bool:
    """Whether the reply says one sentence again: a loop that ended before `loop_start` could see it."""
    said = [s.strip() for s in _SENTENCE.findall(MARKER.sub("", text))]
    said = [s for s in said if len(s) >= MIN_REPEATED_CHARS]
    return len(said) != len(set(said))


def cut_prompt(text: str) -> str:
    """The reply up to the first fragment of the prompt format ("질문:", "Sources:", "<|im_…").

    A leading "답변:"/"Answer:" only labels the answer that follows it, and is dropped.
    """
    text = _ANSWER_LABEL.sub("", text, count=1)
    match = _PROMPT_LINE.search(text)
    return text[: match.start()] if match else text


def is_empty(text: str) -> bool:
    """Nothing left once markers and punctuation are gone."""
    return not _WORDLESS.sub("", MARKER.sub("", text))


def echoes(text: str, question: str, korean: KoreanText | None = None) -> bool:
    """The reply repeats the question, or asks one, and adds no figure of its own.

    With `korean`, a reply that names something the question does not ("… is ByteDance"), or picks one
    of the options a question offers ("알리바바와 텐센트 중 … 높은 곳은 텐센트입니다"), adds an answer too. A
    lead-in that only says where it comes from ("According to sources [1] and [2], …") adds nothing.
    """
    body = MARKER.sub("", text).strip()
    asked = {q.value for q in extract_quantities(question)}
    if any(q.value not in asked for q in extract_quantities(body)):
        return False
    if asks_back(body) or breaks_off(body) or restates_subject(body):
        return True
    if korean is not None and _names_more(body, question, korean):
        return False
    if _MARKER_FOR_ANSWER.search(text):
        return True
    grams = _trigrams(_LEAD_IN.sub("", body, count=1))
    return bool(grams) and len(grams & _trigrams(question)) / len(grams) >= ECHO_SHARE


def _names_more(body: str, question: str, korean: KoreanText) -> bool:
    """Whether the reply names something the question does not, or picks one of the options it offers."""
    return bool(new_names(body, question, korean)) or picks_option(body, question, korean)


def asks_back(text: str) -> bool:
    """The reply ends as a question ("…186수만에 불계패했나요"): shown if it has figures, never verified."""
    return bool(_QUESTION_END.search(MARKER.sub("", text).strip()))


# An English reply ending on one of these stops where its answer should be ("… had already beaten AlphaGo was [3].").
_BREAKS_OFF = re.compile(
    r"\b(?:was|were|is|are|be|been|by|of|the|a|an|to|in|at|on|for|with|from|and|or|that|which|who|whose|than|its"
    r"|their|his|her)\s*[.。!]?\s*$",
    re.I,
)


# A Korean reply whose marker stands where its answer should be: "… 미국의 주는 [1]에 있습니다.", "두 부처는 [1]과
# [3]입니다.", "미국의 주는 [1]에서 설명한 것 같습니다". The answer is in the source, not in the reply.
_MARKER_FOR_ANSWER = re.compile(
    rf"{MARKER.pattern}\s?(?:(?:과|와|및|,)\s?{MARKER.pattern}\s?){{0,5}}"
    r"(?:입니다|이다|이에요|예요|에 있|에 나와|에 나온|에서 확인|에 적힌|에 적혀|에서 설명|에 설명|에서 언급"
    r"|을 참고|를 참고)"
)


_COPULA_END = re.compile(r"(?:입니다|이다|이에요|예요)\s*[.。]?\s*$")
_TOPIC_ENDS = ("은", "는", "이", "가")


def restates_subject(sentence: str) -> bool:
    """A Korean sentence that answers its subject with itself: "에너지부 장관은 에너지부 장관입니다"."""
    body = MARKER.sub("", sentence).strip()
    copula = _COPULA_END.search(body)
    if copula is None:
        return False
    words = body[: copula.start()].split()
    for i in range(len(words) - 1, 0, -1):
        if words[i - 1].endswith(_TOPIC_ENDS):
            subject = " ".join([*words[: i - 1], words[i - 1][:-1]])
            return subject.endswith(" ".join(words[i:]))
    return False


def breaks_off(text: str) -> bool:
    """The reply ends on a word that needs one after it: the question restated, its answer left out."""
    return bool(_BREAKS_OFF.search(MARKER.sub("", text).strip()))


# What a figure alone leaves once its digits are gone: "년", "대", "개월".
MAX_BARE_LETTERS = 2


def bare_figure(text: str) -> bool:
    """The reply is a figure and nothing else ("3000 [5]", "50년 [2]"): it gives a value, but not of what."""
    body = MARKER.sub("", text)
    rest = body
    for q in reversed(extract_quantities(body)):
        rest = rest[: q.start] + rest[q.end :]
    return rest != body and len(_WORDLESS.sub("", rest)) <= MAX_BARE_LETTERS


def _trigrams(text: str) -> set[str]:
    squeezed = _WORDLESS.sub("", text.lower())
    return {squeezed[i : i + 3] for i in range(len(squeezed) - 2)}


def foreign_script(text: str, sources: str) -> str:
    """Chinese characters or kana in the reply that no source contains ("" when there are none)."""
    allowed = set(FOREIGN.findall(sources))
    return "".join(dict.fromkeys(ch for ch in FOREIGN.findall(text) if ch not in allowed))
