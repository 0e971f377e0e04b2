"""Differences and sums worked out by the pipeline, not by the model: the model only finds the two figures.

The 1.5B model rarely gets "how much more …" right: it states one of the figures, or subtracts the
wrong pair (dev set, stop 12: 9 of 11 multi-hop questions wrong). Asked only to copy the two figures
the calculation needs, it mostly finds them; the pipeline then locates each figure in an evidence
passage, checks that it belongs to what the model says it belongs to, and does the arithmetic.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from index.korean import KoreanText
from index.language import Language, has_hangul
from rag.citations import MARKER, marker_numbers, owned_by
from rag.entities import mentions
from rag.numbers import (
    CURRENCIES,
    DURATION,
    Quantity,
    asks_difference,
    asks_sum,
    english_amount,
    extract_quantities,
    is_calendar_year,
    same_kind,
)
from rag.sourced import Operand, owned_figures
from rag.types import Passage

Operation = Literal["difference", "sum"]

# Two words stand for the same thing when they share this many first letters ("invests" and "investment");
# shorter words must be equal. Five would join "international" and "internet".
SHARED_PREFIX = 6
_NOT_COUNTERS = {"이상", "이하", "미만", "가량", "정도", "남짓", "여", "and", "or", "in", "of", "the", "to", "more",
                 "less", "than", "over", "about", "from", "at", "for", "by", "on"}  # fmt: skip


@dataclass(frozen=True)
class Worked:
    """A difference or sum of two located figures; `attributed` when both belong to what they are said to."""

    operation: Operation
    first: Operand
    second: Operand
    result: Quantity
    attributed: bool


def asked_operation(question: str) -> Operation | None:
    """Whether the question asks for a difference or a sum of two figures."""
    if asks_difference(question):
        return "difference"
    if asks_sum(question):
        return "sum"
    return None


def question_operands(question: str) -> list[Quantity]:
    """The question's own figures when it names both ("between the 1972 theory and the 2016 prize")."""
    found = extract_quantities(question)
    return found if len(found) == 2 and _same_kind(*found) else []


def parse_operands(reply: str) -> list[tuple[str, Quantity, int | None, str]]:
    """(label, figure, cited passage, counter word) for each figure of a reply such as "Tencent: 176% [2]".

    The label is what comes before a colon ("이세돌 9단: 28분 28초": its "9" is no figure). Anything after
    "=" is the model's own arithmetic, and is ignored.
    """
    out: list[tuple[str, Quantity, int | None, str]] = []
    for line in reply.splitlines():
        line = line.split("=")[0]
        marks = [(m.start(), marker_numbers(m)[0]) for m in MARKER.finditer(line)]
        masked = MARKER.sub(lambda m: " " * len(m.group(0)), line)
        label, colon, _ = masked.partition(":")
        found = [q for q in extract_quantities(masked) if q.start > len(label)] if colon else []
        if not found:  # "$50 billion: [1]" or "1만2000달러 [1] - 1만3000달러 [1]"
            label, found = "", extract_quantities(masked)
        for i, q in enumerate(found):
            end = found[i + 1].start if i + 1 < len(found) else len(masked)
            cited = next((n for at, n in marks if q.end <= at < end), None)
            named = label.strip(" -•*·,;") if i == 0 else ""
            out.append((named, q, cited, _counter(masked[q.end : end])))
    return out


def work_out(
    operation: Operation,
    question: str,
    reply: str,
    passages: Sequence[Passage],
    korean: KoreanText,
) -> Worked | None:
    """The difference or sum of the two figures the reply names, or None when they cannot be trusted.

    Each figure must stand in an evidence passage (its marker is corrected if another passage holds it),
    and no other passage may name what it belongs to more closely while holding a figure of the same kind.
    """
    given = question_operands(question)
    raw = [("", q, None, "") for q in given] if given else parse_operands(reply)
    operands = [_locate(label, q, cited, counter, passages, korean) for label, q, cited, counter in raw[:2]]
    if len(operands) < 2 or None in operands:
        return None
    first, second = operands
    assert first is not None and second is not None
    return _combine(operation, first, second, passages, korean)


def _combine(
    operation: Operation, first: Operand, second: Operand, passages: Sequence[Passage], korean: KoreanText
) -> Worked | None:
    if not _same_kind(first.quantity, second.quantity):
        return None
    if first.quantity.value == second.quantity.value and first.passage == second.passage:
        return None  # one figure twice ("Thouless: 44 years, Kosterlitz: 44 years")
    if operation == "difference" and first.quantity.value < second.quantity.value:
        first, second = second, first
    result = _result(operation, first.quantity, second.quantity)
    attributed = all(op.label and _belongs(op, passages, korean) for op in (first, second))
    return Worked(operation, first, second, result, attributed)


def work_out_from_sources(
    operation: Operation, question: str, passages: Sequence[Passage], korean: KoreanText
) -> Worked | None:
    """The difference or sum of the figures the sources themselves give to two things the question names.

    "Which grew faster, Alibaba or Tencent, and by how many percentage points?" needs no model where a
    Korean passage says "알리바바는 … 123%, 텐센트도 … 176%": each name owns one figure of the asked kind,
    as the topic before it or bracketing it ("사울레스(…, 82)").
    None (ask the model) unless exactly two of the question's names own exactly one such figure each, in
    exactly one kind of figure.
    """
    if len({m.text for m in mentions(question, korean)}) < 2:
        return None
    found = owned_figures(question, passages, korean)
    pairs = [
        [only for by_value in owned.values() for only in by_value.values()]
        for owned in found.values()
        if len(owned) == 2 and all(len(by_value) == 1 for by_value in owned.values())
    ]
    if len(pairs) != 1 or sum(len(owned) >= 2 for owned in found.values()) != 1:
        return None  # no pair, or several kinds of figure for the names: which one is asked is the model's to say
    first, second = pairs[0]
    return _combine(operation, first, second, passages, korean)


def _locate(
    label: str, q: Quantity, cited: int | None, counter: str, passages: Sequence[Passage], korean: KoreanText
) -> Operand | None:
    """The operand with the passage that states it (the cited one when it does), or None if none does."""
    holders = [p for p in passages if any(_same_figure(q, f) for f in extract_quantities(p.text))]
    if not holders:
        return None
    chosen = next((p for p in holders if p.number == cited), holders[0])
    words = _words(label, korean)
    if words:
        score = _shared(words, chosen.text, korean)
        best = max(holders, key=lambda p: _shared(words, p.text, korean))
        if _shared(words, best.text, korean) > score:
            chosen, score = best, _shared(words, best.text, korean)
        for other in passages:
            if other.number == chosen.number or has_hangul(other.text) != has_hangul(chosen.text):
                continue
            if _shared(words, other.text, korean) > score and any(
                _same_kind(q, f) and not _same_figure(q, f) for f in extract_quantities(other.text)
            ):
                return None  # another passage is about what the label names, with another figure of this kind
    if q.unit == DURATION:  # "28 minutes" for 28분 28초: the whole figure counts
        q = next(f for f in extract_quantities(chosen.text) if _same_figure(q, f))
    return Operand(label, q, chosen.number, counter)


def _belongs(op: Operand, passages: Sequence[Passage], korean: KoreanText) -> bool:
    """Whether the passage gives the figure to a name in the label (anything goes where the label names none)."""
    subjects = tuple(m.text for m in mentions(op.label, korean))
    pool = [p for p in passages if p.number == op.passage]
    return bool(subjects) and owned_by(op.quantity, subjects, pool, korean)


def _same_figure(claim: Quantity, stated: Quantity) -> bool:
    """The claimed figure is the stated one; a duration in whole minutes may leave out the stated seconds."""
    if (claim.unit == DURATION) != (stated.unit == DURATION):
        return False
    if claim.unit == DURATION and claim.value % 60 == 0 and claim.value == stated.value // 60 * 60:
        return True
    return claim.matches(stated)


def _same_kind(a: Quantity, b: Quantity) -> bool:
    """Figures that add up or subtract: of the same kind, and not months ("June" minus "March" is no answer)."""
    return same_kind(a, b) and a.unit != "month"


def _words(label: str, korean: KoreanText) -> set[str]:
    return {t for t in korean.terms(MARKER.sub("", label)) if not t.isdigit() and len(t) > 1}


def _shared(words: set[str], text: str, korean: KoreanText) -> int:
    """How many of `words` the text has, "invests" counting for "investment"."""
    terms = set(korean.terms(text))
    return sum(1 for w in words if any(_alike(w, t) for t in terms))


def _alike(a: str, b: str) -> bool:
    return a == b or (a[:SHARED_PREFIX] == b[:SHARED_PREFIX] and min(len(a), len(b)) >= SHARED_PREFIX)


def _counter(after: str) -> str:
    """The word counted right after a figure without a unit: "대" in "400대 이상", "servers" in "400 servers"."""
    m = re.match(r"\s?([가-힣]{1,2})(?![가-힣])|\s([a-z]{3,})\b", after)
    word = (m.group(1) or m.group(2)) if m else ""
    return "" if word in _NOT_COUNTERS else word


def _result(operation: Operation, a: Quantity, b: Quantity) -> Quantity:
    if operation == "sum":
        return Quantity(a.value + b.value, a.unit, f"{a.text}+{b.text}")
    unit = "pp" if a.unit == "%" else ("year" if is_calendar_year(a) else a.unit)
    return Quantity(a.value - b.value, unit, f"{a.text}-{b.text}")


_KO_UNITS = {"CNY": "위안", "USD": "달러", "KRW": "원", "JPY": "엔", "EUR": "유로", "%": "%", "pp": "%p", "x": "배",
             "year": "년"}  # fmt: skip
_EN_UNITS = {"pp": " percentage points", "x": " times", "year": " years", "%": "%"}


def amount(q: Quantity, language: Language, counter: str = "") -> str:
    """A figure written for an answer in `language`: "22분 58초", "1만3000달러", "116 billion dollars"."""
    if q.unit == DURATION:
        return _duration(q.value, language)
    if is_calendar_year(q):
        return f"{q.text}년" if language == "ko" else q.text
    if language == "ko":
        text = f"{_korean_number(q.value)}{_KO_UNITS.get(q.unit, '')}"
    elif q.unit in CURRENCIES:
        text = english_amount(q)
    else:
        text = f"{_plain(q.value)}{_EN_UNITS.get(q.unit, '')}"
    if not q.unit and counter:
        text += counter if has_hangul(counter) else f" {counter}"
    return text


def _duration(seconds: float, language: Language) -> str:
    total = round(seconds)
    parts = [(total // 3600, "시간", "hours"), (total % 3600 // 60, "분", "minutes"), (total % 60, "초", "seconds")]
    shown = [(n, ko, en) for n, ko, en in parts if n] or [(0, "초", "seconds")]
    if language == "ko":
        return " ".join(f"{n}{ko}" for n, ko, _ in shown)
    return " ".join(f"{n} {en[:-1] if n == 1 else en}" for n, _, en in shown)


def _plain(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0").rstrip(".")


def _korean_number(value: float) -> str:
    """ "1만3000", "270억", "9조3000억": the way Korean articles write large numbers."""
    if not math.isfinite(value) or value != int(value) or abs(value) < 10_000:
        return _plain(value)
    n, parts = int(abs(value)), []
    for scale, word in ((10**12, "조"), (10**8, "억"), (10**4, "만")):
        if n >= scale:
            parts.append(f"{n // scale}{word}")
            n %= scale
    if n:
        parts.append(str(n))
    return ("-" if value < 0 else "") + "".join(parts)
