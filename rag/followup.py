"""Turn a follow-up ("텐센트는요?", "And Tencent?", "Where did it land?") into a standalone question.

A rule is tried first: an elliptical question ("X는요?", "what about X?") puts X in place of the previous
question's subject; a pronoun ("그의", "it", "his") is replaced by the one name it can refer to. Where the
rule cannot tell (several candidate names, a bare "언제요?"), it says so, and the generator may rewrite
the question (`rewrite_with_generator`). Measured on evals/factsets/followups.jsonl (bench/followups.py).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from index.korean import KoreanText
from index.language import has_final_consonant
from rag import prompts
from rag.config import FollowUpMode
from rag.entities import Mention, has_hangul, mentions
from rag.generation import Generator, close_stream

log = logging.getLogger(__name__)

MAX_SUBJECT_WORDS = 4  # a Korean topic phrase longer than this is a clause, not a subject
MAX_ELLIPTICAL_WORDS = 6  # "what about the California data center?" and no longer
MAX_BARE_WORDS = 4  # "How many GPUs?": a question this short with no name of its own leans on the last one
MAX_REWRITE_CHARS = 300  # a generator's rewrite longer than this is no question
ANSWER_CONTEXT_CHARS = 200  # of each previous answer, shown to the generator


@dataclass(frozen=True)
class Turn:
    """One earlier exchange: the question as asked, what was searched for, and the answer text."""

    question: str
    answer: str = ""
    searched: str = ""

    @property
    def standalone(self) -> str:
        """The question as it was understood (the rewrite, if there was one)."""
        return self.searched or self.question


class How(StrEnum):
    """How the standalone question was made."""

    AS_ASKED = "as-asked"  # no history, or the question stands on its own
    RULE = "rule"
    GENERATOR = "generator"
    UNRESOLVED = "unresolved"  # a follow-up the rule could not resolve, and no generator was asked


@dataclass(frozen=True)
class Rewrite:
    """The question to search and answer, and how it came about."""

    text: str
    how: How


# Korean: particles that end the subject phrase, and the endings of an elliptical question.
_KO_SUBJECT_END = frozenset({"JX", "JKS", "JKG"})
_KO_LEAD = re.compile(r"^(?:그럼|그러면|그렇다면|그리고|또|한편|근데|그런데)\s*")
_KO_ELLIPTICAL = re.compile(
    r"^(?P<x>.{1,40}?)\s*(?:의\s*경우)?(?:은|는|도)\s*(?:요|어때요|어떤가요|어떻습니까|어떻게\s*되나요|어떻게\s*됐나요)?\s*[?？.]*$"
)
_KO_PERSONAL = re.compile(r"(?<![가-힣])(?:그녀|그)(?=의|는|가|도|를|에게)")
_KO_DEMONSTRATIVE = re.compile(r"(?<![가-힣])(?:그|이|해당|저)\s+(?=[가-힣])")
_KO_TIME = re.compile(r"전년|작년|지난해|올해|내년|상반기|하반기|분기|\d+\s*(?:년|월|일)|당시|이후|이전")
# a time phrase of a question, whole: "전년 동기", "지난해 상반기", "2020년 10월"
_KO_TIME_PHRASE = re.compile(rf"(?:(?:{_KO_TIME.pattern})(?:\s*(?:동기|대비))?\s*)+(?<!\s)")
# English: "and X?", "what about X?", "how about X?", "X?"
_EN_ELLIPTICAL = re.compile(
    r"^(?:(?:and|so|then|ok|okay|but)\s*,?\s+)?(?:(?:what|how)\s+about\s+|and\s+|what\s+of\s+)?"
    r"(?:(?P<prep>for|in|at|on|to)\s+)?(?P<x>[^?]{1,60}?)\s*[?.]*$",
    re.I,
)
_EN_QUESTION_WORD = re.compile(
    r"\b(?:who|whom|whose|what|which|when|where|why|how|is|are|was|were|do|does|did|can|could|will|would)\b", re.I
)
_EN_PRONOUN = re.compile(r"\b(?:it|its|they|them|their|he|him|his|she|her|this|that)\b(?!\s+(?:is|was)\s+\w+ing)", re.I)
_EN_PERSONAL = frozenset({"he", "him", "his", "she", "her"})
_EN_POSSESSIVE = frozenset({"its", "their", "his", "her"})
_EN_TIME = re.compile(r"\b(?:year|month|quarter|earlier|later|before|after|ago|now|then|today|last|next)\b", re.I)


def standalone_question(question: str, history: Sequence[Turn], korean: KoreanText) -> Rewrite:
    """The rule: the question itself, or the previous question with this one's subject put in."""
    question = question.strip()
    if not history:
        return Rewrite(question, How.AS_ASKED)
    previous = history[-1]
    if has_hangul(question):
        return _korean(question, previous, korean)
    return _english(question, previous, korean)


def resolve(
    question: str,
    history: Sequence[Turn],
    korean: KoreanText,
    generator: Generator | None = None,
    mode: FollowUpMode = "rule+llm",
) -> Rewrite:
    """The standalone question under `mode`: the rule, the generator where the rule cannot tell, or both."""
    question = question.strip()
    if mode == "off" or not history:
        return Rewrite(question, How.AS_ASKED)
    if mode == "llm":
        return rewrite_with_generator(question, history, generator) if generator else Rewrite(question, How.UNRESOLVED)
    rewrite = standalone_question(question, history, korean)
    if rewrite.how == How.UNRESOLVED and mode == "rule+llm" and generator is not None:
        return rewrite_with_generator(question, history, generator)
    return rewrite


def rewrite_with_generator(question: str, history: Sequence[Turn], generator: Generator) -> Rewrite:
    """Ask the generator for the standalone question; the question itself if its reply is unusable."""
    turns = [(t.standalone, t.answer[:ANSWER_CONTEXT_CHARS]) for t in history[-2:]]
    reply = ""
    stream = generator.stream(prompts.rewrite_messages(question, turns, "ko" if has_hangul(question) else "en"))
    try:
        for piece in stream:
            reply += piece
            if "\n" in reply.strip() or len(reply) > MAX_REWRITE_CHARS:
                break
    finally:
        close_stream(stream)
    text = prompts.clean_rewrite(reply)
    earlier = {t.standalone.strip() for t in history}
    if (
        not text
        or len(text) > MAX_REWRITE_CHARS
        or has_hangul(text) != has_hangul(question)
        or text in earlier  # the earlier question again: the follow-up was dropped
        or text.startswith(("이전 질문", "Earlier question"))
    ):
        log.info("follow-up rewrite unusable: %r", reply[:120])
        return Rewrite(question, How.UNRESOLVED)
    return Rewrite(text, How.GENERATOR)


# ----- Korean -----


def _korean(question: str, previous: Turn, korean: KoreanText) -> Rewrite:
    prev = previous.standalone
    bare = _KO_LEAD.sub("", question)
    elliptical = _KO_ELLIPTICAL.match(bare)
    if elliptical and not _has_predicate(bare, korean):
        new = elliptical["x"].strip()
        if _KO_TIME.search(new):  # "전년 동기는요?": a time, not a subject; it takes the previous one's place
            times = list(_KO_TIME_PHRASE.finditer(prev))
            if len(times) != 1:
                return Rewrite(question, How.UNRESOLVED)
            return Rewrite(prev[: times[0].start()] + new + prev[times[0].end() :], How.RULE)
        aligned = _align_korean(new, prev)
        if aligned:
            return Rewrite(aligned, How.RULE)
        subject = _korean_subject(prev, korean)
        if subject is None:
            return Rewrite(question, How.UNRESOLVED)
        return Rewrite(_with_particle(prev.replace(subject, new, 1), subject, new), How.RULE)
    if _KO_PERSONAL.search(question) or _KO_DEMONSTRATIVE.search(question):
        subject = _korean_subject(prev, korean)
        if subject is None:
            return Rewrite(question, How.UNRESOLVED)
        text = _KO_PERSONAL.sub(subject, question, count=1)
        if text == question:
            text = _KO_DEMONSTRATIVE.sub(f"{subject}의 ", question, count=1)
        return Rewrite(text, How.RULE)
    if len(bare.split()) <= 2 and not mentions(bare, korean):  # "언제요?", "몇 대요?"
        return Rewrite(question, How.UNRESOLVED)
    return Rewrite(question, How.AS_ASKED)


def _has_predicate(text: str, korean: KoreanText) -> bool:
    """True if the question has a verb or a question word of its own ("몇 시에 시작됐나요")."""
    fillers = {"어떻", "되", "요"}
    for token in korean.kiwi.tokenize(text):
        if token.form in fillers:
            continue
        if token.tag.startswith(("VV", "VA", "NR")) or token.form in ("몇", "얼마", "언제", "어디", "누구", "무엇"):
            return True
    return False


def _korean_subject(question: str, korean: KoreanText) -> str | None:
    """The previous question's subject: the phrase before its first topic, subject or possessive particle."""
    for token in korean.kiwi.tokenize(question):
        if token.tag in _KO_SUBJECT_END:
            phrase = question[: token.start].strip()
            if phrase and len(phrase.split()) <= MAX_SUBJECT_WORDS:
                return phrase
            return None
    return None


def _align_korean(new: str, prev: str) -> str | None:
    """ "캘리포니아 데이터센터" into "…호주 데이터센터에…": the same head noun, a new modifier."""
    words = new.split()
    if len(words) < 2:
        return None
    head = words[-1]
    found = re.search(rf"(?:[^\s]+\s+){{1,{len(words) - 1}}}{re.escape(head)}", prev)
    if not found:
        return None
    return prev[: found.start()] + new + prev[found.end() :]


_PAIRS = {"은": "는", "는": "은", "이": "가", "가": "이", "을": "를", "를": "을", "과": "와", "와": "과"}
_NEEDS_CONSONANT = frozenset({"은", "이", "을", "과"})


def _with_particle(text: str, old: str, new: str) -> str:
    """Fix the particle after `new` where it replaced `old` ("알리바바는" -> "텐센트는", "H20은" -> "바이두는")."""
    at = text.find(new)
    after = at + len(new)
    particle = text[after : after + 1]
    consonant = has_final_consonant(new)
    if at < 0 or particle not in _PAIRS or consonant is None:
        return text
    wanted = particle if (particle in _NEEDS_CONSONANT) == consonant else _PAIRS[particle]
    return text[:after] + wanted + text[after + 1 :]


# ----- English -----


def _english(question: str, previous: Turn, korean: KoreanText) -> Rewrite:
    prev = previous.standalone
    elliptical = _EN_ELLIPTICAL.match(question)
    words = question.split()
    if elliptical and not _EN_QUESTION_WORD.search(_without_about(question)) and len(words) <= MAX_ELLIPTICAL_WORDS:
        new = elliptical["x"].strip()
        if _EN_TIME.search(new) or not mentions(new, korean):
            return Rewrite(question, How.UNRESOLVED)  # "and a year earlier?", "and the total?"
        aligned = _align_english(_bare_name(new), elliptical["prep"], prev) if elliptical["prep"] else None
        if aligned:
            return Rewrite(aligned, How.RULE)
        old = _replaced_name(mentions(prev, korean), mentions(new, korean)[0].text)
        if old is None:
            return Rewrite(question, How.UNRESOLVED)
        return Rewrite(prev.replace(old, _bare_name(new), 1), How.RULE)
    pronoun = _EN_PRONOUN.search(question)
    if pronoun and not mentions(question, korean):
        word = pronoun.group(0).lower()
        source = previous.answer if word in _EN_PERSONAL and previous.answer else prev
        candidates = {m.text for m in mentions(source, korean)} if not has_hangul(source) else set()
        if len(candidates) != 1:
            return Rewrite(question, How.UNRESOLVED)
        name = candidates.pop()
        replacement = f"{name}'s" if word in _EN_POSSESSIVE else name
        return Rewrite(question[: pronoun.start()] + replacement + question[pronoun.end() :], How.RULE)
    if len(words) <= MAX_BARE_WORDS and not mentions(question, korean):  # "When?", "How many GPUs?"
        return Rewrite(question, How.UNRESOLVED)
    return Rewrite(question, How.AS_ASKED)


def _replaced_name(candidates: Sequence[Mention], name: str) -> str | None:
    """Which name of the previous question a new one replaces: the only one, or the only one as long.

    "California" replaces "Australia", not "Derek Oh"; "Haldane" replaces "Thouless", the first one-word
    name of "How old was Thouless when he won the Nobel Prize in Physics?" (a subject comes early).
    """
    if len(candidates) == 1:
        return candidates[0].text
    size = len(name.split())
    alike = [m.text for m in candidates if len(m.text.split()) == size]
    return alike[0] if alike else None


def _align_english(new: str, preposition: str, prev: str) -> str | None:
    """ "in the Department of Energy" into "…invest in domestic semiconductor manufacturing, according to…": what
    the previous question's one phrase after the same preposition named (None if it has none, or several)."""
    found = list(re.finditer(rf"\b{preposition}\s+(?P<x>[^,;?]+?)(?=\s*(?:[,;?]|$))", prev, re.I))
    if len(found) != 1:
        return None
    return prev[: found[0].start("x")] + new + prev[found[0].end("x") :]


def _without_about(question: str) -> str:
    return re.sub(r"^(?:and\s+)?(?:what|how)\s+about\b", "", question.strip(), flags=re.I)


def _bare_name(phrase: str) -> str:
    """ "the California data center" -> "the California data center"; "Tencent?" -> "Tencent"."""
    return phrase.strip().rstrip("?.!").strip()
