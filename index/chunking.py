"""Cut an article into overlapping windows of whole sentences."""

from __future__ import annotations

from dataclasses import dataclass

from index.errors import ConfigError
from index.korean import KoreanText
from index.sentences import sentence_spans
from index.types import Article, Chunk


@dataclass(frozen=True)
class ChunkingConfig:
    """How articles are cut into retrievable chunks (sentence windows).

    Defaults measured with bench/chunking.py on the seed fact set (results in bench/results/chunking.txt):
    3-sentence windows kept hit@3 at 0.95 with ~200-character chunks, while 4+ sentences lost
    evidence within an 800-character prompt budget and 1-sentence chunks lost English hit@3.
    """

    sentences: int = 3
    overlap: int = 1
    max_chars: int = 500

    def __post_init__(self) -> None:
        if self.sentences < 1:
            raise ConfigError("chunk size must be at least 1 sentence (GISA_CHUNK_SENTENCES)")
        if not 0 <= self.overlap < self.sentences:
            raise ConfigError(
                "chunk overlap must be >= 0 and smaller than the chunk size "
                f"(got overlap={self.overlap}, sentences={self.sentences}; GISA_CHUNK_OVERLAP)"
            )
        if self.max_chars < 50:
            raise ConfigError("GISA_CHUNK_MAX_CHARS must be at least 50")


def _windows(spans: list[tuple[int, int]], cfg: ChunkingConfig) -> list[list[tuple[int, int]]]:
    """Group sentence spans: at most `cfg.sentences` each and about `cfg.max_chars` long."""
    windows: list[list[tuple[int, int]]] = []
    i = 0
    while i < len(spans):
        j = i + 1
        while j < len(spans) and j - i < cfg.sentences and spans[j][1] - spans[i][0] <= cfg.max_chars:
            j += 1
        windows.append(spans[i:j])
        if j >= len(spans):
            break
        i = max(j - cfg.overlap, i + 1)
    return windows


def chunk_article(article: Article, cfg: ChunkingConfig, korean: KoreanText, first_vector_id: int = 0) -> list[Chunk]:
    """Chunks of `article` with sentence offsets into `article.text`; vector ids count up from the given one."""
    chunks: list[Chunk] = []
    for n, window in enumerate(_windows(sentence_spans(article.text, korean), cfg)):
        start, end = window[0][0], window[-1][1]
        chunks.append(
            Chunk(
                chunk_id=f"{article.doc_id}#{n}",
                vector_id=first_vector_id + n,
                doc_id=article.doc_id,
                title=article.title,
                text=article.text[start:end],
                start=start,
                end=end,
                sentences=tuple(window),
            )
        )
    return chunks
