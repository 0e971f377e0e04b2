"""Drafts: a reply being generated shows only what the checks cannot take back."""

from __future__ import annotations

import pytest

from rag.drafts import Drafts, draft


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


def test_drafts_hand_out_only_new_text_and_stop_when_the_reply_turns_into_a_no_answer() -> None:
    drafts = Drafts()
    assert [drafts.feed(p) for p in ["H2", "0은 [", "1] 수준", "입니다."]] == ["H2", "0은", " [1] 수준", "입니다."]
    turning = Drafts()
    assert turning.feed("Tencent grew 176% but") == "Tencent grew 176% but"
    assert turning.feed(" the articles do not say more") == ""
