"""What kind of fact a question asks for, and whether an answer sentence gives one.

A percentage question answered with "2배 이상", or a "how many" question answered without a number,
is no answer, however well it is cited.
"""

from __future__ import annotations

import re
from enum import StrEnum

from index.korean import KoreanText
from rag.citations import MARKER
from rag.counters import asked_count, counted
from rag.countries import asks_country, names_country
from rag.entities import has_hangul, mentions, new_names, same_entity
from rag.numbers import CURRENCIES, Quantity, extract_quantities, is_calendar_year


class Asked(StrEnum):
    """The kind of fact a question wants."""

    PERCENT = "percent"
    NUMBER = "number"  # a count, an amount, a duration
    DATE = "date"
    NAME = "name"  # a person, a place, an organisation
    OTHER = "other"


# Bounded alternations only: linear on any question. Order matters: the first kind that matches wins.
_PATTERNS: tuple[tuple[Asked, re.Pattern[str]], ...] = (
    (
        Asked.PERCENT,
        re.compile(r"몇\s?(?:퍼센트|%|％)|퍼센트|percentage|\bper ?cent\b|what share|증가율|성장률", re.I),
    ),
    (
        Asked.DATE,
        # "when" asks only as the question's word: "… passed the Act when Granholm issued her statement?" asks a name
        re.compile(
            r"언제|몇\s?(?:월|년도|일에)|(?:^|[,;]|\b(?:and|or|since|until|till|from|by))\s*when\b"
            r"|what (?:year|date|day|month)|which (?:year|month|day)",
            re.I,
        ),
    ),
    (
        Asked.NUMBER,
        re.compile(r"몇|얼마|\bhow (?:many|much|long|old)\b|what (?:amount|price|number)|at what age", re.I),
    ),
    (
        Asked.NAME,
        re.compile(
            r"누구|누가|어디|어느\s?(?:나라|도시|회사|기업|호텔|대학)|\bwho(?:m|se)?\b|\bwhere\b"
            r"|which (?:company|companies|country|city|university|hotel|firm)",
            re.I,
        ),
    ),
)


def asked_kind(question: str) -> Asked:
    """The kind of fact the question asks for (OTHER when it cannot tell)."""
    for kind, pattern in _PATTERNS:
        if pattern.search(question):
            return kind
    return Asked.OTHER


# A question that offers options: "알리바바와 텐센트 중", "Alibaba or Tencent".
_CHOICE = re.compile(r"\bor\b|\s중(?:\s|에|에서)|어느 쪽", re.I)


def picks_option(answer: str, question: str, korean: KoreanText) -> bool:
    """Whether the answer picks one of the options the question offers: it names that one more often."""
    if not _CHOICE.search(question):
        return False
    asked = [m.text for m in mentions(question, korean)]
    options = [o for i, o in enumerate(asked) if not any(same_entity(o, p) for p in asked[:i])]
    if len(options) < 2:
        return False
    named = [m.text for m in mentions(MARKER.sub("", answer), korean)]
    return any(sum(same_entity(n, o) for n in named) > sum(same_entity(q, o) for q in asked) for o in options)


def gives_kind(answer: str, question: str, kind: Asked, korean: KoreanText) -> bool:
    """Whether the answer text holds a fact of the asked kind (a name not already in the question, for NAME)."""
    if asks_country(question) and not names_country(MARKER.sub("", answer)):
        return False  # "국적은 프린스턴대 교수입니다": a name, but no country
    if kind == Asked.OTHER:
        return True
    if picks_option(answer, question, korean) and not _ASKS_AMOUNT.search(question):
        return True  # "둘 중 증가율이 더 높은 곳은?" asks for a name, whatever "증가율" suggests
    answer = MARKER.sub("", answer)
    quantities = extract_quantities(answer)
    if kind == Asked.PERCENT:
        return any(q.unit in ("%", "pp") for q in quantities)
    if kind == Asked.NUMBER and _YEARS_COUNT.search(question):
        return any(not is_calendar_year(q) for q in quantities)  # "1962년" is no answer to "몇 년 만인가요"
    if kind == Asked.NUMBER and _counts_otherwise(answer, question, quantities):
        return False  # "300여대" (servers) is no answer to "몇 개인가요" (how many chips)
    if kind == Asked.NUMBER and asks_money(question) and not any(_money(q) for q in quantities):
        return False  # "4시간" is no answer to "피해액은 얼마인가요" (how much damage, in money)
    if kind in (Asked.NUMBER, Asked.DATE):
        return bool(quantities) or (kind == Asked.DATE and bool(_DATE_WORDS.search(answer)))
    if new_names(answer, question, korean):
        return True
    if not has_hangul(answer):
        return False
    # Kiwi tags some names as common nouns ("아자황"): in Korean any noun the question lacks will do
    question_nouns = {t.form for t in korean.kiwi.tokenize(question) if t.tag in _NOUNS}
    return any(t.tag in _NOUNS and t.form not in question_nouns for t in korean.kiwi.tokenize(answer))


def _money(quantity: Quantity) -> bool:
    """An amount in a currency, or a bare figure that may be one ("170억")."""
    return quantity.unit in CURRENCIES or not quantity.unit


def _counts_otherwise(answer: str, question: str, quantities: list[Quantity]) -> bool:
    """Whether the question counts one kind of thing ("몇 개", pieces) and the answer's figures count others."""
    asked = asked_count(question)
    given = {counted(answer, q.end) for q in quantities if not q.unit} - {""}
    return bool(asked and given) and asked not in given


_NOUNS = frozenset({"NNG", "NNP", "SL", "SH"})
# Words that ask for a figure even in a choice question ("…, and by how many percentage points?").
_ASKS_AMOUNT = re.compile(r"몇|얼마|\bhow (?:many|much)\b|\bby what\b", re.I)
# A count of years, not a year: "몇 년 만에", "몇 년 동안", "how many years".
_YEARS_COUNT = re.compile(r"몇\s?년\s?(?:만|동안|째|간)|\bhow many years\b", re.I)

# A question that asks for an amount of money: a money noun beside 얼마, or "how much" beside a money verb. Two
# bounded searches, never one pattern with a gap: linear on any question.
_MONEY_NOUNS = re.compile(r"피해액|금액|액수|비용|가격|값은|값이|예산|투자액|매출|손실액|상금|몸값|재산|자산|수익|이익")
_MONEY_WORDS = re.compile(
    r"\b(?:cost|costs|spend|spent|pay|paid|invest|invested|price|budget|worth|fortune|revenue|profit|damages?)\b", re.I
)
_HOW_MUCH = re.compile(r"얼마(?!나)|\bhow much\b|\bwhat (?:amount|price)\b", re.I)  # "얼마나 늘었나요" asks a change
_CHANGE = re.compile(r"늘|증가|감소|줄었|\b(?:grow|grew|rise|rose|increase|increased|fall|fell|drop|dropped)\b", re.I)


def asks_money(question: str) -> bool:
    """Whether the question asks for an amount of money ("피해액은 얼마인가요", "How much did it cost?")."""
    if not _HOW_MUCH.search(question) or _CHANGE.search(question):
        return False  # "How much did its spending grow?" may be answered with a rate
    return bool(_MONEY_NOUNS.search(question) if has_hangul(question) else _MONEY_WORDS.search(question))


_DATE_WORDS = re.compile(r"어제|오늘|지난해|올해|작년|yesterday|today|last year|this year|\b(?:1[89]|20)\d\d\b", re.I)
