"""Cut an article into overlapping windows of whole sentences."""

from __future__ import annotations

from index.korean import KoreanText
from index.sentences import sentence_spans
from index.types import Article, Chunk
from rag.config import ChunkingConfig


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
