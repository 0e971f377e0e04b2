"""Parse [n] citation markers in a reply and check each sentence's facts against what it cites."""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.korean import KoreanText
from index.sentences import sentence_spans
from rag.numbers import extract_quantities, supported
from rag.types import Passage, SentenceCheck, SentenceStatus

MAX_MARKER_DIGITS = 3  # [1]..[999]; a longer "[n]" is text, not a citation
_N = rf"\d{{1,{MAX_MARKER_DIGITS}}}"
MARKER = re.compile(rf"\s?[\[【]\s*({_N}(?:\s*[,，]\s*{_N})*)\s*[\]】]")
ONLY_MARKERS = re.compile(rf"^(?:\s*[\[【]\s*{_N}(?:\s*[,，]\s*{_N})*\s*[\]】])+\s*[.。]?\s*$")
CODE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{1,4}\d{1,5}[A-Za-z]{0,3}(?![A-Za-z0-9])")


def strip_invalid_markers(text: str, n_passages: int) -> tuple[str, int]:
    """Remove citation numbers that point at no passage; returns the new text and how many were removed."""
    removed = 0

    def fix(match: re.Match[str]) -> str:
        nonlocal removed
        numbers = marker_numbers(match)
        valid = [n for n in numbers if 1 <= n <= n_passages]
        removed += len(numbers) - len(valid)
        return f" [{', '.join(str(n) for n in valid)}]" if valid else ""

    return MARKER.sub(fix, text).strip(), removed


def marker_numbers(match: re.Match[str]) -> list[int]:
    """The citation numbers of one `MARKER` match: "[1, 2]" gives [1, 2]."""
    return [int(n) for n in re.split(r"[,，]", match.group(1))]


def markers_in(text: str) -> tuple[int, ...]:
    """Citation numbers in order of appearance, without repeats."""
    seen: list[int] = []
    for match in MARKER.finditer(text):
        seen.extend(n for n in marker_numbers(match) if n not in seen)
    return tuple(seen)


def answer_sentences(text: str, korean: KoreanText) -> list[str]:
    """Sentences of a reply; a sentence made only of markers joins the one before it."""
    out: list[str] = []
    for start, end in sentence_spans(text, korean):
        piece = text[start:end]
        if out and ONLY_MARKERS.match(piece):
            out[-1] += " " + piece.strip()
        else:
            out.append(piece)
    return out


def check_sentence(sentence: str, passages: Sequence[Passage], question: str) -> SentenceCheck:
    """Verify the numbers, amounts and dates of one sentence against the passages it cites.

    Only the cited passages are evidence: the question decides what is asked, never what is true, so a
    figure that appears only in the question is unsupported. A sentence that cites nothing is checked
    against all passages and takes the ones that hold its facts as its citations. When the question
    names a code such as "H100", the cited passages must mention it too: an H20 price is no answer to
    an H100 question.
    """
    by_number = {p.number: p for p in passages}
    cited = tuple(n for n in markers_in(sentence) if n in by_number)
    claims = extract_quantities(MARKER.sub("", sentence))
    if not claims:
        return SentenceCheck(sentence, cited, SentenceStatus.UNCHECKABLE)
    codes = {c.upper() for c in CODE.findall(question)}

    def gaps(pool: Sequence[Passage]) -> tuple[str, ...]:
        evidence = [q for p in pool for q in extract_quantities(p.text)]
        quoted = " ".join(p.text.upper() for p in pool)
        return tuple(c.text for c in claims if not supported(c, evidence)) + tuple(
            sorted(code for code in codes if code not in quoted)
        )

    missing = gaps([by_number[n] for n in cited]) if cited else ("(no citation)",)
    if missing:
        # the facts may be right but the marker wrong: cite the passages that do hold them
        holders = tuple(p.number for p in passages if not gaps([p]))
        if holders:
            return SentenceCheck(sentence, holders, SentenceStatus.VERIFIED, (), corrected=bool(cited))
    status = SentenceStatus.UNSUPPORTED if missing else SentenceStatus.VERIFIED
    return SentenceCheck(sentence, cited, status, missing)
