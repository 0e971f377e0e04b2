"""The query checker: what every search and question passes before it reaches a model."""

from __future__ import annotations

from index.errors import QueryError


def check_query(query: str, max_chars: int) -> str:
    """Return the stripped query, or raise QueryError if it is empty or longer than `max_chars`."""
    text = query.strip() if isinstance(query, str) else ""
    if not text:
        raise QueryError("the question is empty: type a question about the articles")
    if len(text) > max_chars:
        raise QueryError(f"the question is {len(text)} characters long; the limit is {max_chars}: shorten it")
    return text
