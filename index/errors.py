"""Domain errors rooted at `GisaError`. Each message says what went wrong and how to fix it.

The root and the index layer's errors live here, at the bottom layer; `rag.errors` adds the
answering layer's own. The CLI and the chat translate them into messages at the edge.
"""

from __future__ import annotations


class GisaError(Exception):
    """Base class for every error gisa raises on purpose."""


class ConfigError(GisaError):
    """A setting (environment variable or flag) has an invalid value."""


class ArticleError(GisaError):
    """An article file could not be read or decoded."""


class IndexNotFoundError(GisaError):
    """No index exists at the given directory."""


class IndexCorruptError(GisaError):
    """Index files are missing, truncated or do not match their manifest."""


class IndexMismatchError(GisaError):
    """The index was built with a different embedder or chunking than requested."""


class DocumentNotFoundError(GisaError):
    """A document id named by the user is not in the index."""


class EmbedderError(GisaError):
    """An embedding model could not be loaded or run."""


class QueryError(GisaError):
    """A question or search query is empty, whitespace-only or too long."""


class IndexWriteError(GisaError):
    """The index could not be written (disk full, no permission); the previous index is kept."""


class IndexBusyError(GisaError):
    """Another process held the index's writer lock for too long."""


class FetchError(ArticleError):
    """A web page or feed could not be fetched (bad URL, HTTP error, timeout, too large, not a page)."""


class StoreUnavailableError(GisaError):
    """The configured store (a Milvus server) cannot be reached."""
