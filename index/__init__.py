"""Loading, cleaning, chunking, embedding and the persisted FAISS index: the bottom layer.

Imports nothing else of the project. Public API: `Index`, its values, `check_query` and `GisaError`.
"""

from index.article_index import Index, IngestReport
from index.errors import GisaError
from index.query import check_query
from index.types import Article, Chunk, Hit

__all__ = ["Article", "Chunk", "GisaError", "Hit", "Index", "IngestReport", "check_query"]
