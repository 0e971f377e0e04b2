"""Split cleaned article text into sentence spans: Kiwi for Korean lines, rules for English."""

from __future__ import annotations

import re

from index.korean import KoreanText
from index.language import has_hangul

_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st mt vs etc inc corp co ltd no gov gen sen rep fig approx jan feb mar "
    "apr jun jul aug sep sept oct nov dec u.s u.k e.g i.e a.m p.m".split()
)
# A candidate boundary: ., ! or ? (plus closing quotes/brackets), whitespace, then a likely sentence start.
WORD_WINDOW = 40  # characters before a boundary searched for the last word (abbreviation check)
# Kiwi's time grows faster than linearly with the length of one input (1.6 MB on one line took 132 s),
# so a long line is cut into pieces of at most this many characters, at whitespace where possible.
KIWI_PIECE_CHARS = 2000
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*(\s+)(?=[\"'“‘(\[]?[A-Z0-9가-힣])")


def english_sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans in English text, not splitting after common abbreviations or initials."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        before = text[max(start, match.start() - WORD_WINDOW) : match.start()].split()
        word = before[-1].lower().rstrip(".") if before else ""
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        spans.append((start, match.start(1)))
        start = match.end(1)
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def _pieces(line: str, limit: int = KIWI_PIECE_CHARS) -> list[tuple[int, int]]:
    """Spans of `line` of at most `limit` characters, cut at the last whitespace before the limit if any."""
    spans: list[tuple[int, int]] = []
    start = 0
    while len(line) - start > limit:
        cut = line.rfind(" ", start + limit // 2, start + limit)
        end = cut + 1 if cut > 0 else start + limit
        spans.append((start, end))
        start = end
    spans.append((start, len(line)))
    return spans


def korean_sentence_spans(line: str, korean: KoreanText) -> list[tuple[int, int]]:
    """Kiwi's sentence spans of one line, run on bounded pieces so time stays linear in the line's length."""
    spans: list[tuple[int, int]] = []
    for start, end in _pieces(line):
        spans.extend((start + s, start + e) for s, e in korean.sentence_spans(line[start:end]))
    return spans


def sentence_spans(text: str, korean: KoreanText) -> list[tuple[int, int]]:
    """Spans of every sentence in `text`; a line break always ends a sentence."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            base = offset + lead
            inner = (
                korean_sentence_spans(stripped, korean) if has_hangul(stripped) else english_sentence_spans(stripped)
            )
            for s, e in inner:
                piece = stripped[s:e]
                # trim whitespace so each span slices to exactly its sentence
                s += len(piece) - len(piece.lstrip())
                e -= len(piece) - len(piece.rstrip())
                if e > s:
                    spans.append((base + s, base + e))
        offset += len(line) + 1
    return spans
