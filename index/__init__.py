"""Loading, cleaning, chunking, embedding and the persisted FAISS index."""

from index.article_index import Index, IngestReport
from index.types import Article, Chunk, Hit

__all__ = ["Article", "Chunk", "Hit", "Index", "IngestReport"]
