"""The query checker: what every search and question passes before it reaches a model."""

from __future__ import annotations

import re

from index.errors import QueryError

MAX_K = 1000  # more passages than any prompt or page can use
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def check_query(query: str, max_chars: int) -> str:
    """Return the stripped query, or raise QueryError if it is empty or longer than `max_chars`.

    Lone surrogates (which no encoder accepts) become U+FFFD instead of crashing search.
    """
    text = _SURROGATE.sub("\ufffd", query).strip() if isinstance(query, str) else ""
    if not text:
        raise QueryError("the question is empty: type a question about the articles")
    if len(text) > max_chars:
        raise QueryError(f"the question is {len(text)} characters long; the limit is {max_chars}: shorten it")
    return text


def check_k(k: int) -> int:
    """Return `k` if it is a whole number of passages from 1 to `MAX_K`, else raise QueryError."""
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise QueryError(f"the number of passages (-k) must be a whole number from 1 to {MAX_K}, got {k!r}")
    return k
