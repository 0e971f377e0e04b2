"""What a figure counts, read from the word after it in Korean or English."""

import pytest

from rag.counters import asked_count, asked_noun, counted, counted_noun
from rag.numbers import extract_quantities


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("186수만에 불계패했다", "move"),
        ("After 5 moves, he resigned", "move"),
        ("5경기 중에서", "game"),
        ("300여대의 서버를", "machine"),
        ("3 more servers", "machine"),
        ("82세", "age"),
        ("5개월 만에", "month-count"),  # not 개 (pieces)
        ("3세대 제품", "generation"),  # not 세 (years of age)
        ("1972년 이론", "year"),
        ("3주 뒤부터", "week"),  # a span of time, no count of servers
        ("25일부로", "day"),
        ("5 H100 chips", ""),
        ("from 30 game records", ""),  # counts records: "game" only says which
    ],
)
def test_the_counted_kind_follows_the_figure(text: str, kind: str) -> None:
    (figure,) = extract_quantities(text)
    assert counted(text, figure.end) == kind


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("블랙웰 칩은 몇 개인가요?", "piece"),
        ("칩은 몇개?", "piece"),
        ("After how many moves did he resign?", "move"),
        ("코스털리츠는 홀데인보다 몇 살 많나요?", "age"),
        ("몇 년 만인가요?", "year"),
        ("What was the price?", ""),
    ],
)
def test_the_question_counted_kind(question: str, kind: str) -> None:
    assert asked_count(question) == kind


def test_the_english_noun_a_figure_counts() -> None:
    text = "at least 50 community colleges have announced, 3,000 GPUs and 30 million game records"
    assert counted_noun(text, text.index("50") + 2) == "college"
    assert counted_noun(text, text.index("3,000") + 5) == "gpu"
    assert counted_noun(text, text.index("million") + 7) == "record"
    assert counted_noun("50 announced", 2) == ""  # a verb counts nothing
    assert asked_noun("How many new chip factories have opened?") == "factory"
    assert asked_noun("How many community colleges announced new programs?") == "college"
    assert asked_noun("How many times did he win?") == ""
