"""The article and upload limits, defined once: which files are articles, and how large they may be."""

from __future__ import annotations

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
META_SUFFIX = ".meta.json"
MAX_ARTICLE_BYTES = 20 * 1024 * 1024  # a file read from disk (`gisa ingest`)
MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # a file uploaded through the chat
DEFAULT_MAX_QUERY_CHARS = 2000


def megabytes(n: int) -> int:
    """Whole megabytes in `n` bytes, for messages."""
    return n // 1_048_576
