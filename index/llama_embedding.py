"""Expose any gisa `Embedder` to llama-index as a `BaseEmbedding` (pass it explicitly, never via Settings)."""

from __future__ import annotations

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from index.embedding import Embedder


class LlamaIndexEmbedding(BaseEmbedding):
    """llama-index embedding model backed by a gisa `Embedder` (keeps the query/passage distinction)."""

    _embedder: Embedder = PrivateAttr()

    def __init__(self, embedder: Embedder, embed_batch_size: int = 16) -> None:
        super().__init__(model_name=embedder.id, embed_batch_size=embed_batch_size)
        self._embedder = embedder

    @classmethod
    def class_name(cls) -> str:
        """Name llama-index uses when serialising."""
        return "GisaEmbedding"

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embedder.embed_queries([query])[0].tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embedder.embed_passages([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._embedder.embed_passages(texts).tolist()
