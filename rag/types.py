"""The values an answer is made of: evidence passages, citations, timings and the answer itself."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from index.language import Language
from index.types import Byline, Hit

CLOSEST_SHOWN = 3  # passages listed after an abstention


@dataclass(frozen=True)
class Passage:
    """A numbered piece of evidence shown to the model: one or more adjacent sentences of one article."""

    number: int
    doc_id: str
    title: str
    chunk_id: str
    text: str
    start: int
    end: int
    score: float = 0.0
    byline: Byline = field(default_factory=Byline)  # the article's outlet, author, publication date and URL


@dataclass(frozen=True)
class Citation:
    """A passage an answer cites, with the exact quote and its offsets in the cleaned article."""

    number: int
    doc_id: str
    title: str
    chunk_id: str
    quote: str
    start: int
    end: int
    verified: bool
    byline: Byline = field(default_factory=Byline)


class SentenceStatus(StrEnum):
    """The verifier's verdict on one answer sentence."""

    VERIFIED = "verified"  # its facts are in the cited passage
    UNSUPPORTED = "unsupported"  # it states a fact the cited passages do not hold
    UNCHECKABLE = "uncheckable"  # it states no checkable fact


@dataclass(frozen=True)
class SentenceCheck:
    """The verifier's verdict on one answer sentence."""

    text: str
    citations: tuple[int, ...]
    status: SentenceStatus
    missing: tuple[str, ...] = ()
    corrected: bool = False  # the model cited another passage; the citation now points at the one holding the facts


@dataclass(frozen=True)
class Timings:
    """Where the time went, in seconds; prompt size in tokens."""

    retrieval: float = 0.0
    evidence: float = 0.0
    first_token: float = 0.0
    generation: float = 0.0
    total: float = 0.0
    prompt_tokens: int = 0
    prefilled_tokens: int = 0  # of the prompt, how many the model processed (the rest was cached)


@dataclass(frozen=True)
class Answer:
    """An answer with its citations, verification results, retrieved hits and timings."""

    question: str
    text: str
    language: Language
    citations: tuple[Citation, ...]
    sentences: tuple[SentenceCheck, ...]
    abstained: bool
    passages: tuple[Passage, ...]
    hits: tuple[Hit, ...] = ()
    raw_text: str = ""
    removed_markers: int = 0
    timings: Timings = field(default_factory=Timings)
    flaw: str = ""  # why the model's reply was not shown (a `rag.replies.Flaw`), "" when it was
    searched: str = ""  # the standalone question searched and answered, when a follow-up was rewritten

    @property
    def verified(self) -> bool:
        """True when some sentence's facts were found in its sources and none was flagged as unsupported."""
        return (
            not self.abstained
            and any(s.status == SentenceStatus.VERIFIED for s in self.sentences)
            and all(s.status != SentenceStatus.UNSUPPORTED for s in self.sentences)
        )

    @property
    def unsupported(self) -> tuple[SentenceCheck, ...]:
        """The sentences whose facts the cited passages do not hold."""
        return tuple(s for s in self.sentences if s.status == SentenceStatus.UNSUPPORTED)

    @property
    def sources(self) -> tuple[Citation, ...]:
        """What to show under the answer: its citations, or (after an abstention) the closest passages."""
        if self.citations:
            return self.citations
        return tuple(
            Citation(p.number, p.doc_id, p.title, p.chunk_id, p.text, p.start, p.end, verified=False, byline=p.byline)
            for p in self.passages[:CLOSEST_SHOWN]
        )

    def to_json(self) -> dict[str, Any]:
        """Plain-JSON form (for `gisa ask --json` and eval reports)."""
        data = {k: v for k, v in asdict(self).items() if k != "hits"}
        data["verified"] = self.verified
        data["hits"] = [
            {"rank": h.rank, "score": h.score, "retriever": h.retriever, "chunk_id": h.chunk.chunk_id}
            for h in self.hits
        ]
        return data
