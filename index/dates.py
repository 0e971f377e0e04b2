"""Publication dates as ISO strings (YYYY-MM-DD) from the forms pages, feeds and sidecars give them."""

from __future__ import annotations

import re
from datetime import date

# "2024-02-24", "2024-02-24T10:00:00Z", "2022.10.16", "2022/10/16", "2022년 10월 16일"; bounded, linear time.
_NUMERIC = re.compile(r"(\d{4})\s{0,2}(?:[-./]|년)\s{0,2}(\d{1,2})\s{0,2}(?:[-./]|월)\s{0,2}(\d{1,2})(?!\d)")
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
# "February 24, 2024", "24 Feb 2024"
_MONTH_FIRST = re.compile(r"\b([A-Za-z]{3})[a-z]{0,6}\.?\s{1,3}(\d{1,2}),?\s{1,3}(\d{4})\b")
_DAY_FIRST = re.compile(r"\b(\d{1,2})\s{1,3}([A-Za-z]{3})[a-z]{0,6}\.?,?\s{1,3}(\d{4})\b")


def iso_date(text: str) -> str:
    """The first valid calendar date in `text` as YYYY-MM-DD, or "" when there is none."""
    text = text[:200]
    found = _NUMERIC.search(text)
    if found:
        return _valid(int(found[1]), int(found[2]), int(found[3]))
    found = _MONTH_FIRST.search(text)
    if found and found[1].lower() in _MONTHS:
        return _valid(int(found[3]), _MONTHS[found[1].lower()], int(found[2]))
    found = _DAY_FIRST.search(text)
    if found and found[2].lower() in _MONTHS:
        return _valid(int(found[3]), _MONTHS[found[2].lower()], int(found[1]))
    return ""


def _valid(year: int, month: int, day: int) -> str:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return ""
