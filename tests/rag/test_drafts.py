"""Drafts: a reply being generated shows only what the checks cannot take back."""

from __future__ import annotations

import pytest

from rag.drafts import draft


@pytest.mark.parametrize("raw", ["NO", "NO_ANS", "NO_ANSWER", "  N", "The articles", "The articles do not say."])
def test_a_reply_that_may_be_a_no_answer_is_held_back(raw: str) -> None:
    assert draft(raw) == ""


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("H20은 개당 [", "H20은 개당"),
        ("H20은 개당 [1", "H20은 개당"),
        ("H20은 [1, 2", "H20은"),
        ("H20은 [1] 수준", "H20은 [1] 수준"),
        ("Odysseus landed near the South Pole", "Odysseus landed near the South Pole"),
    ],
)
def test_an_unfinished_citation_marker_waits_until_it_closes(raw: str, shown: str) -> None:
    assert draft(raw) == shown
