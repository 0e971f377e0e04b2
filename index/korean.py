"""Kiwi (kiwipiepy), loaded lazily: Korean sentence splitting and morphemes."""

from __future__ import annotations

import functools
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiwipiepy import Kiwi

# Morpheme tags kept for lexical search: nouns (units such as 위안 and 대 too), numerals,
# foreign words, roots, verb and adjective stems.
CONTENT_TAGS = frozenset({"NNG", "NNP", "NNB", "NR", "SN", "SL", "SH", "XR", "VV", "VA", "NP", "MAG"})
_EN_STOPWORDS = frozenset(
    "a an the of in on at to for from by with and or but is are was were be been being do does did "
    "how what which who whom whose when where why many much that this these those it its as into "
    "about than then there their they he she his her we you i not no".split()
)


_KIWI_LOCK = threading.Lock()


@functools.cache
def _load_kiwi() -> Kiwi:
    from kiwipiepy import Kiwi

    return Kiwi(num_workers=-1)


def _kiwi() -> Kiwi:
    """The process's one Kiwi analyser: read-only after loading, so every `KoreanText` shares it."""
    with _KIWI_LOCK:
        return _load_kiwi()


class KoreanText:
    """Korean sentences and morphemes from Kiwi, loaded on first use (about 1 s, once per process)."""

    @property
    def kiwi(self) -> Kiwi:
        """The underlying Kiwi analyser."""
        return _kiwi()

    def sentence_spans(self, text: str) -> list[tuple[int, int]]:
        """Character spans of the sentences Kiwi finds in `text`."""
        return [(s.start, s.end) for s in self.kiwi.split_into_sents(text)]

    def terms(self, text: str) -> list[str]:
        """Lower-cased content morphemes for BM25 (Korean and English alike)."""
        out: list[str] = []
        for token in self.kiwi.tokenize(text):
            if token.tag not in CONTENT_TAGS:
                continue
            form = token.form.lower()
            if token.tag == "SL":
                if form in _EN_STOPWORDS:
                    continue
                if len(form) > 3 and form.endswith("s") and not form.endswith("ss"):
                    form = form[:-1]
            out.append(form)
        return out
