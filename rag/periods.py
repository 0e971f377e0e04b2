"""The year before: whether a figure is said of the previous period, in an answer and in a Korean source.

"Tencent spent 23 billion yuan in the same period last year" is wrong where the source's 230억 위안 is this
year's ("텐센트도 230억 위안으로 전년 동기 대비 176% 증가"), and right where it reads "전년 동기 230억 위안".
A period named only to compare with ("grew 123% from a year earlier", "전년 동기 대비") claims nothing.
"""

from __future__ import annotations

import re

from rag.numbers import Quantity

_EARLIER = re.compile(
    r"\b(?:(?:in |during )?the same period (?:of )?(?:last|the previous|the prior) year|last year|"
    r"a year (?:earlier|before|ago)|the (?:previous|prior) year|the year before)\b"
    r"|전년(?:\s?동기)?|지난해(?:\s?같은\s?기간)?|작년(?:\s?같은\s?기간)?|1년\s?전",
    re.I,
)
# Just before an English period phrase, or just after a Korean one: it is the base of a comparison.
_COMPARED_BEFORE = re.compile(r"\b(?:from|than|compared (?:with|to)|over|versus|vs\.?|since)\s*$", re.I)
_COMPARED_AFTER = re.compile(r"^\s*(?:대비|보다|에\s?비해|[와과]\s?비교|比)")
RATES = ("%", "pp", "x")  # units of figures that compare with a period rather than belong to one
# How far before a figure a Korean source's period word may end and still be the figure's own, and the
# room left before that for the word itself ("전년 동기"): together, the text looked at.
MAX_KOREAN_GAP = 8
MAX_KOREAN_PHRASE = 8
# Between a Korean period word and the figure: another figure, or a comparison ("대비", "보다", "비해").
_NOT_OWN = re.compile(r"\d|대비|보다|비해")


def _claimed(text: str) -> list[re.Match[str]]:
    """Period phrases that say when something was, not what it is compared with."""
    return [
        m
        for m in _EARLIER.finditer(text)
        if not _COMPARED_BEFORE.search(text[: m.start()]) and not _COMPARED_AFTER.match(text[m.end() :])
    ]


def names_earlier_period(text: str) -> bool:
    """Whether a question or sentence asks about the year before ("in the same period last year", "작년 같은 기간")."""
    return bool(_claimed(text))


def said_of_earlier(sentence: str, claim: Quantity, claims: list[Quantity]) -> bool:
    """Whether an answer sentence gives `claim` (an amount or a count, not a rate) to the previous period.

    A period phrase belongs to the figure nearest it ("500억 위안으로 전년 동기 230억 위안": the 230억),
    the one after it on a tie.
    """
    if claim.unit in RATES:
        return False  # a rate of change or a ratio is measured against the year before, not said of it

    def distance(c: Quantity, m: re.Match[str]) -> tuple[int, int]:
        return (c.start - m.end(), 0) if c.start >= m.end() else (max(0, m.start() - c.end), 1)

    return any(min(claims, key=lambda c: distance(c, m)) is claim for m in _claimed(sentence))


def earlier_figure(passage: str, occurrence: Quantity) -> bool:
    """Whether a Korean passage states this occurrence of a figure as the previous period's ("전년 동기 230억 위안")."""
    window = passage[max(0, occurrence.start - MAX_KOREAN_GAP - MAX_KOREAN_PHRASE) : occurrence.start]
    return any(
        len(window) - m.end() <= MAX_KOREAN_GAP and not _NOT_OWN.search(window[m.end() :]) for m in _claimed(window)
    )
