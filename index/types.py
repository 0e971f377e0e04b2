"""The values the index works with: articles, chunks and search hits."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from index.language import Language


@dataclass(frozen=True)
class Byline:
    """Where an article comes from; each field is "" when unknown. `published` is an ISO date (YYYY-MM-DD)."""

    outlet: str = ""
    author: str = ""
    published: str = ""
    url: str = ""

    def parts(self) -> list[str]:
        """The known fields, in reading order (outlet, author, date, URL)."""
        return [v for v in (self.outlet, self.author, self.published, self.url) if v]


@dataclass(frozen=True)
class Article:
    """One cleaned article: `text` is what chunk offsets point into; `source` is its file path or URL."""

    doc_id: str
    title: str
    text: str
    language: Language
    source: str = ""
    sha256: str = ""
    outlet: str = ""
    author: str = ""
    published: str = ""
    url: str = ""

    @property
    def byline(self) -> Byline:
        """Outlet, author, publication date and URL."""
        return Byline(self.outlet, self.author, self.published, self.url)

    def to_json(self) -> dict[str, Any]:
        """Plain-JSON form for the index's articles.jsonl."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Article:
        """Inverse of `to_json`; reads indexes written before `reporter` became `author`."""
        fields = dict(data)
        if "reporter" in fields:
            fields.setdefault("author", fields.pop("reporter"))
        return cls(**fields)


@dataclass(frozen=True)
class Chunk:
    """A window of sentences from one article, with offsets into the cleaned text."""

    chunk_id: str
    vector_id: int
    doc_id: str
    title: str
    text: str
    start: int
    end: int
    sentences: tuple[tuple[int, int], ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.end - self.start != len(self.text):
            raise ValueError(f"chunk {self.chunk_id}: offsets {self.start}:{self.end} do not fit its text")

    @property
    def sentence_texts(self) -> list[str]:
        """The chunk's sentences, sliced from its text by their article offsets."""
        return [self.text[s - self.start : e - self.start] for s, e in self.sentences]

    def to_json(self) -> dict[str, Any]:
        """Plain-JSON form for the index's chunks.jsonl."""
        data = asdict(self)
        data["sentences"] = [list(span) for span in self.sentences]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Chunk:
        """Inverse of `to_json`."""
        fields = dict(data)
        fields["sentences"] = tuple((int(s), int(e)) for s, e in fields.get("sentences", ()))
        return cls(**fields)


@dataclass(frozen=True)
class Hit:
    """A chunk returned by a search, with its score and 1-based rank."""

    chunk: Chunk
    score: float
    rank: int
    retriever: str = "dense"
