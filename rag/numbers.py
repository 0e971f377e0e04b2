"""Find numbers, amounts and dates in Korean or English text and normalise them for comparison.

"500억 위안" and "50 billion yuan" both become Quantity(5e10, "CNY"); "1만2000달러" and "$12,000"
become Quantity(12000, "USD"); "6월" and "June" become Quantity(6, "month").
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

_KO_SCALE = {"천": 1e3, "만": 1e4, "억": 1e8, "조": 1e12}
_EN_SCALE = {
    "thousand": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
_UNITS = [
    (r"위안|元|yuan|renminbi|rmb|cny", "CNY"),
    (r"us\$|\$|달러|dollars?|usd", "USD"),
    (r"₩|원|won|krw", "KRW"),
    (r"¥|엔|yen|jpy", "JPY"),
    (r"€|유로|euros?|eur", "EUR"),
    (r"%p|퍼센트포인트|%포인트|포인트|percentage points?", "pp"),
    (r"%|퍼센트|percent|per cent|pct", "%"),
    (r"배|times|-fold|fold", "x"),
]
_MONTHS = {
    m: i
    for i, m in enumerate(
        "january february march april may june july august september october november december".split(), 1
    )
}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9

# Relative tolerance for "the same number": 0.5% absorbs rounding in unit conversion (500억 = 50 billion)
# and rounded restatements, while 1,590 vs 1,600 stays different. Chosen by hand; pinned in tests/rag/test_numbers.py.
SAME_VALUE_TOLERANCE = 0.005
# Looser tolerance for derived figures (sums, differences, ratios), whose answers are rounded more:
# "2.3 times" for 23/10. Chosen by hand; pinned in tests/rag/test_numbers.py.
DERIVED_TOLERANCE = 0.05

MAX_DIGITS = 24  # longer digit runs are not quantities (and would overflow); parsing stays linear
# Derived figures (sums, differences, ratios) are computed among at most this many quantities of the
# cited passages: pairs grow quadratically, and five evidence sentences rarely hold more than a dozen.
MAX_DERIVED_FROM = 40

_NUM = rf"\d[\d,]{{0,{MAX_DIGITS}}}(?:\.\d{{1,{MAX_DIGITS}}})?"
_KO_COMPOUND = rf"(?:{_NUM}\s?[조억만천]\s?)+(?:{_NUM})?|{_NUM}"
_UNIT_RE = "|".join(u for u, _ in _UNITS)
_QUANTITY = re.compile(
    rf"(?<![A-Za-z\d.])(?P<pre>us\$|\$|₩|¥|€)?\s?(?P<num>{_KO_COMPOUND})"
    rf"(?:\s?(?P<scale>thousand|million|billion|trillion|bn|mn|tn|m)(?![A-Za-z]))?"
    rf"(?:\s?(?P<approx>여|여개|가량|남짓))?"
    rf"(?:\s?(?P<unit>{_UNIT_RE}))?"
    rf"(?:\s?(?P<month>월))?",
    re.IGNORECASE,
)
DURATION = "s"  # the unit of durations, in seconds: "28분 28초" is one figure, 1708 s, and "28분" another
_AND = r"[\s,]{0,2}(?:and\s)?"
_DURATION = re.compile(
    rf"(?<![\d.])(?:(?P<h>\d{{1,4}})\s?(?:시간|hours?){_AND})?(?:(?P<m>\d{{1,4}})\s?(?:분(?![기의])|minutes?){_AND})?"
    r"(?:(?P<s>\d{1,4})\s?(?:초(?![반기])|seconds?))?(?![A-Za-z\d])",  # not 3분기 (a quarter), 3분의 1, 초반
    re.IGNORECASE,
)
_MONTH_WORD = re.compile(r"\b(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?", re.IGNORECASE)
_RANGE = re.compile(r"^\s*(?:∼|~|～|-|–|—|to|에서)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Quantity:
    """A normalised number: its value, a unit ("" when unknown) and where it was found."""

    value: float
    unit: str
    text: str
    start: int = 0
    end: int = 0

    def matches(self, other: Quantity, tolerance: float = SAME_VALUE_TOLERANCE) -> bool:
        """Same value (within relative tolerance) and compatible units ("" is compatible with any unit)."""
        if self.unit and other.unit and self.unit != other.unit:
            return False
        if (self.unit == "month") != (other.unit == "month"):
            return False
        scale = max(abs(self.value), abs(other.value), 1e-9)
        return abs(self.value - other.value) / scale <= tolerance


FIRST_YEAR, LAST_YEAR = 1000, 2200  # a bare four-digit figure in this range reads as a calendar year


def is_calendar_year(quantity: Quantity) -> bool:
    """A bare four-digit figure such as 1962: a year, not a count."""
    return not quantity.unit and len(quantity.text) == 4 and FIRST_YEAR <= quantity.value <= LAST_YEAR


def same_kind(a: Quantity, b: Quantity) -> bool:
    """Figures that could answer the same question: same unit, and both calendar years or neither."""
    return a.unit == b.unit and is_calendar_year(a) == is_calendar_year(b)


def parse_korean_number(text: str) -> float:
    """Value of a numeral like "9조3000억", "1만2000", "1,590만" or "3.5"."""
    text = "".join(text.replace(",", "").split())  # any whitespace may stand between 500억 and 위안
    total, current = 0.0, ""
    for ch in text:
        if ch in _KO_SCALE:
            total += (float(current) if current else 1.0) * _KO_SCALE[ch]
            current = ""
        else:
            current += ch
    return total + (float(current) if current else 0.0)


def _unit(pre: str | None, unit: str | None) -> str:
    raw = (unit or pre or "").lower()
    for pattern, name in _UNITS:
        if raw and re.fullmatch(pattern, raw, re.IGNORECASE):
            return name
    return ""


def extract_quantities(text: str) -> list[Quantity]:
    """Every number, amount, percentage, duration and month in `text`, normalised; model codes like H100 are skipped."""
    found = _durations(text)
    taken = [(q.start, q.end) for q in found]
    for m in _QUANTITY.finditer(text):
        if any(start <= m.start("num") < end for start, end in taken):
            continue
        end = m.end()
        if end < len(text) and re.match(r"[A-Za-z]", text[end]) and not m.group("unit") and not m.group("scale"):
            continue  # part of a code such as "100GB" or a word
        value = parse_korean_number(m.group("num"))
        if m.group("scale"):
            value *= _EN_SCALE[m.group("scale").lower()]
        unit = "month" if m.group("month") else _unit(m.group("pre"), m.group("unit"))
        lead = len(m.group(0)) - len(m.group(0).lstrip())
        found.append(Quantity(value, unit, m.group(0).strip(), m.start() + lead, end))
    for m in _MONTH_WORD.finditer(text):
        word = m.group(1).lower()
        if word == "may" and not re.match(r"\s+\d", text[m.end() :]):
            continue  # the verb "may"
        found.append(Quantity(float(_MONTHS[word]), "month", m.group(0), m.start(), m.end()))
    found.sort(key=lambda q: q.start)
    return _spread_range_units(text, found)


def _durations(text: str) -> list[Quantity]:
    found = []
    for m in _DURATION.finditer(text):
        if not any(m.group(g) for g in "hms"):
            continue
        hours, minutes, seconds = (int(m.group(g) or 0) for g in "hms")
        value = float(hours * 3600 + minutes * 60 + seconds)
        found.append(
            Quantity(value, DURATION, m.group(0).strip(" ,"), m.start(), m.start() + len(m.group(0).rstrip(" ,")))
        )
    return found


def _spread_range_units(text: str, found: list[Quantity]) -> list[Quantity]:
    """In "1만2000∼1만3000달러" the first number takes the unit of the second."""
    out = list(found)
    for i in range(len(out) - 2, -1, -1):
        a, b = out[i], out[i + 1]
        if not a.unit and b.unit and _RANGE.match(text[a.end : b.start]):
            out[i] = Quantity(a.value, b.unit, a.text, a.start, a.end)
    return out


def derived(quantities: list[Quantity]) -> list[Quantity]:
    """Differences, sums and ratios of pairs with the same unit: what a multi-hop answer may state."""
    out: list[Quantity] = []
    for a, b in itertools.permutations(quantities[:MAX_DERIVED_FROM], 2):
        if a.unit != b.unit or a.unit == "month":
            continue
        out.append(Quantity(a.value - b.value, "pp" if a.unit == "%" else a.unit, f"{a.text}-{b.text}"))
        out.append(Quantity(a.value + b.value, a.unit, f"{a.text}+{b.text}"))
        if b.value:
            out.append(Quantity(round(a.value / b.value, 1), "x", f"{a.text}/{b.text}"))
    return out


def asks_difference(question: str) -> bool:
    """Whether the question asks how much one figure exceeds another: a figure the sources state is no answer."""
    return bool(_DIFFERENCE.search(question))


_DIFFERENCE = re.compile(
    r"\bhow (?:many|much) (?:(?!times\b)\w+ )?(?:more|less|fewer|older|younger|longer|higher|lower|larger|smaller"
    r"|bigger|greater)\b|\b(?:older|younger) than\b|\bdifference\b"
    r"|\bexceed\w*|\bby how (?:many|much)\b|\bhow (?:many|much) \w+ (?:passed|elapsed) between\b"
    r"|차이|얼마나 더|몇 (?:살|대|개|명|년) 더|더 (?:많|적|남)"
    r"|보다 몇\s?(?!배)\S{1,4}\s?(?:더 )?(?:많|적|높|낮|크|작|길|짧)|몇\s?(?!배)\S{1,4}\s?더 (?:높|낮|크|작|길|짧)",
    re.I,
)


def asks_sum(question: str) -> bool:
    """Whether the question asks for two figures added up ("합치면", "the total of")."""
    return bool(_SUM.search(question))


# Not "combined" alone: "How did the combined capex compare with a year earlier?" asks for a ratio.
_SUM = re.compile(r"\b(?:the )?(?:total|sum) of\b|\bin total\b|\baltogether\b|합치면|합하면|합해|합산", re.I)


def asks_comparison(question: str) -> bool:
    """Whether the question asks for a figure worked out from others (a difference, sum or ratio)."""
    return bool(_COMPARISON.search(question))


# Only these questions may be answered with a figure the sources do not state but imply: "2.3 times"
# is no answer to "What was Alibaba's capex growth?", but is one to "How did it compare?".
_COMPARISON = re.compile(
    r"\b(?:more|less|fewer|than|differ\w*|compar\w*|combined|total|sum|altogether|exceed\w*|gap|faster|slower"
    r"|higher|lower|times)\b|보다|차이|합치|합계|합하|모두 합|더 많|더 적|더 남|비교|몇\s?배|몇 살 많",
    re.I,
)


def supported(claim: Quantity, evidence: list[Quantity], allow_derived: bool = True) -> bool:
    """True if the evidence states the claimed quantity, directly or (optionally) as a difference/sum/ratio."""
    if any(claim.matches(e) for e in evidence):
        return True
    if claim.unit == "pp" and any(Quantity(claim.value, "%", "").matches(e) for e in evidence):
        return True
    if not allow_derived:
        return False
    # "grew 53% more" is how answers often state a difference of two percentages (176% - 123%)
    loose = Quantity(claim.value, "pp", claim.text) if claim.unit == "%" else claim
    return any(c.matches(d, tolerance=DERIVED_TOLERANCE) for d in derived(evidence) for c in {claim, loose})


CURRENCIES = frozenset({"CNY", "USD", "KRW", "JPY", "EUR"})  # the units of `_UNITS` that are money
_EN_UNIT_NAMES = {"CNY": "yuan", "USD": "dollars", "KRW": "won", "JPY": "yen", "EUR": "euros", "%": "%"}


def english_amount(q: Quantity) -> str:
    """Spell a quantity the English way: 5e10 CNY -> "50 billion yuan", 12000 USD -> "12,000 dollars"."""
    value = q.value
    if not math.isfinite(value):
        return q.text
    for word, scale in (("trillion", 1e12), ("billion", 1e9), ("million", 1e6)):
        if abs(value) >= scale:
            number = f"{value / scale:.3f}".rstrip("0").rstrip(".")
            text = f"{number} {word}"
            break
    else:
        text = f"{value:,.0f}" if value == int(value) else f"{value:,}"
    unit = _EN_UNIT_NAMES.get(q.unit, "")
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}".strip()


def english_amounts(text: str) -> str:
    """Rewrite Korean large-unit amounts the English way: "500억 위안" -> "50 billion yuan"."""
    out, last = [], 0
    for q in extract_quantities(text):
        if not re.search(r"\d\s?[만억조]", q.text):
            continue
        out.append(text[last : q.start])
        out.append(english_amount(q))
        last = q.end
    out.append(text[last:])
    return "".join(out)
