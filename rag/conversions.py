"""An amount in another currency, as the article itself converts it: "500억 위안(약 9조3000억원)".

Korean news gives a foreign amount with its value in won in brackets right after it. A question that names
an amount and asks for it in another currency ("How much is the 50 billion yuan capex in Korean won?") is
answered from that bracket, with no model: the 1.5B model was seen writing "50,000,000,000 won".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from index.language import Language, has_final_consonant
from rag import prompts
from rag.arithmetic import amount
from rag.numbers import CURRENCIES, Quantity, extract_quantities
from rag.types import Passage

# The currency a question asks for: "in (Korean) won", "원화로", "in dollars", "달러로". Bounded: linear on any text.
_ASKED_IN = (
    ("KRW", re.compile(r"\bin (?:south )?(?:korean )?won\b|원화|한국 돈|우리 돈", re.I)),
    ("USD", re.compile(r"\bin (?:us |u\.s\. )?dollars\b|달러로|달러화", re.I)),
    ("CNY", re.compile(r"\bin (?:chinese )?yuan\b|위안화|위안으로", re.I)),
    ("JPY", re.compile(r"\bin (?:japanese )?yen\b|엔화", re.I)),
    ("EUR", re.compile(r"\bin euros?\b|유로화|유로로", re.I)),
)
# How far into a bracket right after the amount its conversion may start: "(약 9조3000억원)", "(about $1.2 billion)".
BRACKET_LEAD = 12
_RANGE = "∼~〜–-"


@dataclass(frozen=True)
class Conversion:
    """An amount and its value in another currency, both as a passage states them."""

    original: Quantity
    converted: Quantity
    passage: int


def asked_currency(question: str) -> str:
    """The currency the question asks an amount in ("" when it asks none)."""
    return next((unit for unit, pattern in _ASKED_IN if pattern.search(question)), "")


def converted(question: str, passages: Sequence[Passage]) -> Conversion | None:
    """The conversion of the question's one amount into the asked currency that a passage gives, if one does."""
    wanted = asked_currency(question)
    named = [q for q in extract_quantities(question) if q.unit in CURRENCIES and q.unit != wanted]
    if not wanted or len(named) != 1:
        return None
    for passage in passages:
        found = extract_quantities(passage.text)
        for i, q in enumerate(found):
            if not q.matches(named[0]) or i + 1 == len(found):
                continue
            after = found[i + 1]
            bracket = passage.text[q.end : after.start]
            if after.unit != wanted or not bracket.lstrip().startswith("(") or len(bracket) > BRACKET_LEAD:
                continue
            closing = passage.text.find(")", after.end)
            ranged = passage.text[max(0, q.start - 1) : q.start] in _RANGE or any(
                ch in passage.text[after.end : closing] for ch in _RANGE
            )
            if not ranged:  # "1만2000∼1만3000달러(약 1590만∼1723만원)": which is which is not for us to pair
                return Conversion(q, after, passage.number)
    return None


def conversion_text(conversion: Conversion, language: Language) -> str:
    """The answer: the amount and its converted value, written the answer language's way, with the source."""
    lang = "ko" if language == "ko" else "en"
    original = amount(conversion.original, lang)
    if lang == "ko":
        original += "은" if has_final_consonant(original) else "는"  # "위안은", "달러는"
    into = amount(conversion.converted, lang)
    return prompts.CONVERTED[lang].format(original=original, converted=into, n=conversion.passage)
