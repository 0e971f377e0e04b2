"""Figures the sources themselves give to the names a question asks about: found without a model.

A Korean passage marks whose a figure is: the topic before it ("알리바바는 … 123%, 텐센트도 … 176%") or
the name it is bracketed after ("사울레스(…, 82)"); an English one by the names in its clause ("… invests
$67 billion in the Department of Energy"). Where the question's names own figures of the asked
kind, the pipeline can pick them itself: two for a difference or a sum (rag/arithmetic.py), one for a
question that asks a single figure when the model's own answer was refused (`figure_from_sources`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from index.korean import KoreanText
from index.language import has_hangul
from rag.asked import Asked, asked_kind
from rag.counters import asked_count, counted, counting_word
from rag.entities import (
    bracketed_by,
    clause_owner,
    english_clause,
    mentions,
    owner_at,
    owners,
    places_apart,
    same_entity,
)
from rag.numbers import CURRENCIES, DURATION, Quantity, asks_difference, asks_sum, extract_quantities, is_calendar_year
from rag.periods import earlier_figure, names_earlier_period
from rag.types import Passage


@dataclass(frozen=True)
class Operand:
    """One figure: what it belongs to, its value, and the passage that states it."""

    label: str
    quantity: Quantity
    passage: int
    counter: str = ""  # the word counted, when the figure has no unit ("대", "servers")


GROUP_KO, GROUP_EN = "·", " and "  # how names that own a figure together are joined, in each language
# (unit, calendar year, thing counted): figures of one kind, which could answer the same question
FigureKind = tuple[str, bool, str]
# figure kind -> question name -> {value: the figure, where first stated}
OwnedFigures = dict[FigureKind, dict[str, dict[float, Operand]]]


def owned_figures(
    question: str, passages: Sequence[Passage], korean: KoreanText, together: bool = False, earlier: bool = False
) -> OwnedFigures:
    """The figures of the asked kind that the passages give to exactly one of the question's names.

    A Korean passage gives a figure to its topic or the name it is bracketed after, an English one to the
    names in its clause (`clause_owner`). With `together`, also those a passage gives to several of them
    jointly ("사울리스 교수와 코스털리츠 교수는 1972년 …"), under their names joined. A figure stated as the
    year before's ("전년 동기 230억 위안") is left out: it is no answer about now. With `earlier`, only such
    figures are kept: the question asks about the year before.
    """
    names = list(dict.fromkeys(m.text for m in mentions(question, korean)))
    kind, count = asked_kind(question), asked_count(question)
    found: OwnedFigures = {}
    if not names:
        return found
    for passage in passages:
        english = not has_hangul(passage.text)
        topics = [] if english else owners(passage.text, korean)
        for q in extract_quantities(passage.text):
            if english:  # the names in its clause; a clause naming an earlier period may give that period's figure
                start, end = english_clause(passage.text, q.start)
                if names_earlier_period(passage.text[start:end]) != earlier:
                    continue
                owner = clause_owner(passage.text, q.start, names)
            else:
                bracketing = bracketed_by(passage.text, q.start, korean)  # "사울레스(…, 82)": his, whatever the topic
                owner = (bracketing,) if bracketing else owner_at(q.start, topics)
            # the question's names that are one owner: "Office" and "Science" (Kiwi splits "Office of Science")
            matched = [n for n in names if len(owner) == 1 and same_entity(n, owner[0])][:1]
            if together and len(owner) > 1:
                members = [n for n in names if any(same_entity(n, o) for o in owner)]
                if len(members) == len(owner):  # every owner is one the question names
                    matched = [(GROUP_KO if has_hangul(question) else GROUP_EN).join(members)]
            things = counted(passage.text, q.end)
            glued = has_hangul(passage.text[q.end : q.end + 1]) and not is_calendar_year(q)  # but "1972년"
            if not q.unit and not things and glued:
                continue  # a word of unknown kind glued to it ("2차원", two dimensions): it counts something else
            stated_earlier = not english and earlier_figure(passage.text, q)
            if len(matched) != 1 or not fits(q, kind, count, things) or stated_earlier != (earlier and not english):
                continue
            by_value = found.setdefault((q.unit, is_calendar_year(q), things), {}).setdefault(matched[0], {})
            by_value.setdefault(q.value, Operand(matched[0], q, passage.number, counting_word(passage.text, q.end)))
    return found


def fits(q: Quantity, kind: Asked, count: str, things: str) -> bool:
    """Whether a figure is of the kind the question asks: a percentage, a year, or a count of the asked things."""
    if q.unit == "month":
        return False
    if kind == Asked.PERCENT:
        return q.unit == "%"
    if kind == Asked.DATE:
        return is_calendar_year(q)
    if kind == Asked.NUMBER:
        return q.unit != "%" and not is_calendar_year(q) and (not count or things == count)
    return True


# "얼마" / "how much" asks an amount of money; "몇" / "how many" a count. Durations ("몇 분", "how long") and
# ages are left to the model: a duration owned by the right name is often another one (dev: "28분 28초" is
# the time 이세돌 had left, not his average per move).
_ASKS_MONEY = re.compile(r"얼마|\bhow much\b|\bwhat (?:amount|price)\b", re.I)
_ASKS_COUNT = re.compile(r"몇|\bhow many\b", re.I)
# The words that ask something: a question with two of them asks two things.
_ASKS = re.compile(r"누구|누가|얼마|몇|언제|어디|어느|무엇|\b(?:who|how much|how many|when|where|which|what)\b", re.I)
_ASKS_YEAR = re.compile(r"몇\s?년도|연도|(?:^|\s|[한은는던을])해(?:는|에|가)|어느 해|\b(?:what|which) year\b", re.I)


def _answers(kind: FigureKind, question: str) -> bool:
    """Whether figures of this kind can be the single figure the question asks for."""
    unit, year, things = kind
    if asked_kind(question) == Asked.PERCENT:
        return unit == "%"
    if asked_kind(question) == Asked.DATE:  # a year, where the question asks one: "언제 별세했나요" wants the day
        return year and bool(_ASKS_YEAR.search(question))
    if year or unit == DURATION or things in ("age", "month-count", "year", "week", "day"):
        return False
    if _ASKS_COUNT.search(question):  # "몇 분이 걸렸나요" counts no things: a duration, the model's to read
        return not unit and bool(things) and things == asked_count(question)
    return bool(_ASKS_MONEY.search(question)) and unit in CURRENCIES


def figure_from_sources(question: str, passages: Sequence[Passage], korean: KoreanText) -> Operand | None:
    """The one figure of the asked kind that the sources give to the one name the question asks about.

    "By what percentage did Alibaba's capex grow?" where a passage says "알리바바는 … 123% 증가": 123%,
    even where the model, answering, copied another company's rate. None unless exactly one of the
    question's names (or the names together) owns figures of that kind, and exactly one value; None for
    differences and sums, and for durations and ages. A question about the year before takes only figures
    the sources state as the year before's ("전년 동기 230억 위안").
    """
    if asked_kind(question) not in (Asked.PERCENT, Asked.NUMBER, Asked.DATE):
        return None
    if asks_difference(question) or asks_sum(question) or len(_ASKS.findall(question)) > 1:
        return None  # one figure answers neither a calculation nor two questions ("누구이고, … 얼마인가요")
    found = owned_figures(question, passages, korean, together=True, earlier=names_earlier_period(question))
    candidates = [owned for kind, owned in found.items() if _answers(kind, question)]
    if len(candidates) != 1 or len(candidates[0]) != 1:
        return None
    (by_value,) = candidates[0].values()
    if len(by_value) != 1:
        return None
    figure = next(iter(by_value.values()))
    passage = next(p for p in passages if p.number == figure.passage)
    if places_apart(passage.text, figure.quantity.start, question, korean):
        return None  # "… 미국 데이터센터에 갖춘 서버는 몇 대": the 300여대 are in 호주
    return figure if _names_all(question, passage.text, korean) else None


def _names_all(question: str, text: str, korean: KoreanText) -> bool:
    """Whether a passage names everything the question does: Derek Oh's 300 servers in Australia answer
    nothing about "데릭 오씨가 캘리포니아 데이터센터에 갖춘 서버" (a follow-up's rewrite)."""
    named = [m.text for m in mentions(text, korean)]
    return all(
        n.lower() in text.lower() or any(same_entity(n, m) for m in named)
        for n in (m.text for m in mentions(question, korean))
    )
