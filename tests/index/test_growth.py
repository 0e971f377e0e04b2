"""The cleaner and Kiwi sentence splitting take time linear in their input (issue 15: a 1.4 KB upload froze
the server for 24 s; 1.6 MB of one-line Korean took 132 s). Four times the input may take at most 10x
the time (linear: 4x, quadratic: 16x; megabyte inputs measured up to 8.6x from memory effects alone).
The inputs are the shapes that were superlinear before, sized so that one run takes tens of
milliseconds. Best of 5 runs: one pause (a garbage collection) in a best of 3 once failed the ratio,
and doubling an 8 ms run once measured 3.3x on a slower machine."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

import pytest

from index.cleaning import clean_text
from index.korean import KoreanText
from index.loading import markdown_to_text
from index.sentences import english_sentence_spans, sentence_spans

GROWTH_LIMIT = 10.0
GROWTH_FACTOR = 4


def _best_of(fn: Callable[[str], object], text: str, runs: int = 5) -> float:
    best = float("inf")
    gc.collect()
    gc.disable()  # a collection inside one timed run is noise, not growth
    try:
        for _ in range(runs):
            started = time.perf_counter()
            fn(text)
            best = min(best, time.perf_counter() - started)
    finally:
        gc.enable()
    return best


def _growth(fn: Callable[[str], object], make: Callable[[int], str], n: int) -> float:
    fn(make(n // 10))  # warm up (Kiwi loads its model on first use)
    return _best_of(fn, make(GROWTH_FACTOR * n)) / _best_of(fn, make(n))


SHAPES: dict[str, tuple[Callable[[str], object], Callable[[int], str], int]] = {
    "whitespace run around an e-mail": (clean_text, lambda n: "기자" + " " * n + "a@" + " " * n + "x\n", 100_000),
    "word run before an @": (clean_text, lambda n: "a" * n + " b@c d\n" + "x" * n + "\n", 500_000),
    "related-articles line with trailing spaces": (
        clean_text,
        lambda n: "x\n" * 10 + "related articles" + " " * n + "x\n",
        2_000_000,
    ),
    "markdown brackets without ends": (markdown_to_text, lambda n: "![x](" * n, 20_000),
    "initials that never end a sentence": (english_sentence_spans, lambda n: "A. " * n + "End.", 50_000),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_text_handling_grows_linearly(shape: str) -> None:
    fn, make, n = SHAPES[shape]
    assert _growth(fn, make, n) <= GROWTH_LIMIT


def test_kiwi_on_one_long_korean_line_grows_linearly(korean: KoreanText) -> None:
    sentence = "반도체 수출이 3개월 연속 늘었고 삼성전자는 칩을 판다 "

    def split(text: str) -> object:
        return sentence_spans(text, korean)

    assert _growth(split, lambda n: sentence * n, 1_000) <= GROWTH_LIMIT
