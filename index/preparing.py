"""The CPU-heavy half of an ingest: loading files, and turning articles into chunks, vectors and BM25 terms.

`Index` runs it through a `Preparer`: `LocalPreparer` in this process, or `index.ray_ingest.RayPreparer`
on a Ray cluster. Both give the same chunks (vector ids numbered from `start` in article order), the same
terms and the same vectors (within float tolerance).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
from tqdm import tqdm

from index.chunking import ChunkingConfig, chunk_article
from index.embedding import Embedder
from index.korean import KoreanText
from index.loading import LoadResult, load_articles
from index.types import Article, Chunk

EMBED_BATCH = 16


@dataclass(frozen=True)
class Prepared:
    """New chunks with one vector row and one tuple of BM25 terms each."""

    chunks: tuple[Chunk, ...]
    vectors: np.ndarray
    terms: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Preparation:
    """What preparing needs from the index: its chunking, embedder, Kiwi and whether to show progress."""

    chunking: ChunkingConfig
    embedder: Embedder
    korean: KoreanText
    progress: bool = False


class Preparer(Protocol):
    """Loads article files and prepares articles for the store."""

    def load(self, paths: Sequence[Path], follow_symlinks: bool) -> LoadResult:
        """Read and clean every article file under `paths` (bad files are reported, not raised)."""
        ...

    def prepare(self, articles: Sequence[Article], start: int, how: Preparation) -> Prepared:
        """Chunk, embed and tokenise `articles`, numbering vector ids from `start`."""
        ...


def passage_text(chunk: Chunk) -> str:
    """What gets embedded for a chunk: its text (the title is already in the first chunk)."""
    return chunk.text


def chunk_all(articles: Sequence[Article], start: int, chunking: ChunkingConfig, korean: KoreanText) -> list[Chunk]:
    """Every article's chunks, vector ids numbered from `start` in article order."""
    chunks: list[Chunk] = []
    for article in articles:
        chunks.extend(chunk_article(article, chunking, korean, start + len(chunks)))
    return chunks


def embed_all(embedder: Embedder, texts: Sequence[str], progress: bool = False) -> np.ndarray:
    """Passage vectors for `texts`, `EMBED_BATCH` at a time, as one float32 array."""
    if not texts:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    parts = []
    with tqdm(total=len(texts), unit="chunk", desc="embedding", disable=None if progress else True) as bar:
        for i in range(0, len(texts), EMBED_BATCH):
            batch = texts[i : i + EMBED_BATCH]
            parts.append(embedder.embed_passages(list(batch)))
            bar.update(len(batch))
    return np.ascontiguousarray(np.vstack(parts), dtype=np.float32)


def prepare_articles(articles: Sequence[Article], start: int, how: Preparation) -> Prepared:
    """Chunk `articles` (vector ids from `start`), embed the chunks in batches and take their Kiwi terms."""
    chunks = chunk_all(articles, start, how.chunking, how.korean)
    vectors = embed_all(how.embedder, [passage_text(c) for c in chunks], how.progress)
    terms = tuple(tuple(how.korean.terms(c.text)) for c in chunks)
    return Prepared(tuple(chunks), vectors, terms)


class LocalPreparer:
    """Everything in this process."""

    def load(self, paths: Sequence[Path], follow_symlinks: bool) -> LoadResult:
        """`index.loading.load_articles`."""
        return load_articles(paths, follow_symlinks=follow_symlinks)

    def prepare(self, articles: Sequence[Article], start: int, how: Preparation) -> Prepared:
        """`prepare_articles`, here."""
        return prepare_articles(articles, start, how)
