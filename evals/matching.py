"""Deterministic answer checking: an expected fact is present as a pattern or as an equal quantity."""

from __future__ import annotations

import re

from rag.numbers import extract_quantities


def fact_present(expected: str, answer: str) -> bool:
    """True if any `|`-separated alternative of `expected` is in the answer.

    An alternative matches as a case-insensitive regular expression, or, when it states a number,
    by value after normalisation: "500억 위안" matches "50 billion yuan", "1만2000" matches "12,000".
    """
    claims = extract_quantities(answer)
    for alternative in expected.split("|"):
        alternative = alternative.strip()
        if not alternative:
            continue
        # a number must not match inside a longer one ("300" is not in "3000")
        if re.search(rf"(?<![0-9])(?:{alternative})(?![0-9])", answer, re.IGNORECASE):
            return True
        wanted = extract_quantities(alternative)
        if wanted and all(any(w.matches(c) for c in claims) for w in wanted):
            return True
    return False


def all_facts_present(expected: list[str], answer: str) -> bool:
    """True if every expected fact is present (and there is at least one)."""
    return bool(expected) and all(fact_present(e, answer) for e in expected)
