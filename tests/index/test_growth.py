"""The cleaner and Kiwi sentence splitting take time linear in their input (issue 15: a 1.4 KB upload froze
the server for 24 s; 1.6 MB of one-line Korean took 132 s). Doubling the input may at most about
2.5x the time; the inputs are the shapes that were superlinear before. Best of 5 runs: one pause (a
garbage collection) in a best of 3 once failed the ratio."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from index.cleaning import clean_text
from index.korean import KoreanText
from index.loading import markdown_to_text
from index.sentences import english_sentence_spans, sentence_spans

GROWTH_LIMIT = 2.5


def _best_of(fn: Callable[[str], object], text: str, runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - started)
    return best


def _growth(fn: Callable[[str], object], make: Callable[[int], str], n: int) -> float:
    fn(make(n // 10))  # warm up (Kiwi loads its model on first use)
    return _best_of(fn, make(2 * n)) / _best_of(fn, make(n))


SHAPES: dict[str, tuple[Callable[[str], object], Callable[[int], str], int]] = {
    "whitespace run around an e-mail": (clean_text, lambda n: "기자" + " " * n + "a@" + " " * n + "x\n", 100_000),
    "word run before an @": (clean_text, lambda n: "a" * n + " b@c d\n" + "x" * n + "\n", 100_000),
    "related-articles line with trailing spaces": (
        clean_text,
        lambda n: "x\n" * 10 + "related articles" + " " * n + "x\n",
        100_000,
    ),
    "markdown brackets without ends": (markdown_to_text, lambda n: "![x](" * n, 20_000),
    "initials that never end a sentence": (english_sentence_spans, lambda n: "A. " * n + "End.", 20_000),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_text_handling_grows_linearly(shape: str) -> None:
    fn, make, n = SHAPES[shape]
    assert _growth(fn, make, n) <= GROWTH_LIMIT


def test_kiwi_on_one_long_korean_line_grows_linearly(korean: KoreanText) -> None:
    sentence = "반도체 수출이 3개월 연속 늘었고 삼성전자는 칩을 판다 "

    def split(text: str) -> object:
        return sentence_spans(text, korean)

    assert _growth(split, lambda n: sentence * n, 2_000) <= GROWTH_LIMIT
