"""BM25 over Kiwi morphemes: the lexical half of hybrid retrieval."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping

import numpy as np


class BM25:
    """Okapi BM25 over pre-tokenised chunks, keyed by vector id."""

    def __init__(self, docs: Mapping[int, list[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b
        self.docs: dict[int, list[str]] = {int(k): list(v) for k, v in docs.items()}
        self._ids = np.array(sorted(self.docs), dtype=np.int64)
        self._lengths = np.array([len(self.docs[i]) for i in self._ids], dtype=np.float32)
        self._avg = float(self._lengths.mean()) if len(self._ids) else 0.0
        self._postings: dict[str, list[tuple[int, int]]] = {}
        for row, vid in enumerate(self._ids):
            for term, tf in Counter(self.docs[int(vid)]).items():
                self._postings.setdefault(term, []).append((row, tf))

    def __len__(self) -> int:
        return len(self._ids)

    def with_changes(self, add: Mapping[int, list[str]], remove: Iterable[int]) -> BM25:
        """A new BM25 with some chunks added and some removed."""
        docs = dict(self.docs)
        for vid in remove:
            docs.pop(int(vid), None)
        docs.update(add)
        return BM25(docs, self.k1, self.b)

    def search(self, terms: list[str], k: int) -> list[tuple[int, float]]:
        """Top-k (vector id, score) pairs for the query terms; zero-score chunks are left out."""
        if not len(self._ids) or not terms:
            return []
        scores = np.zeros(len(self._ids), dtype=np.float32)
        n = len(self._ids)
        for term in set(terms):
            posting = self._postings.get(term)
            if not posting:
                continue
            idf = math.log(1.0 + (n - len(posting) + 0.5) / (len(posting) + 0.5))
            rows = np.array([r for r, _ in posting])
            tf = np.array([t for _, t in posting], dtype=np.float32)
            norm = self.k1 * (1 - self.b + self.b * self._lengths[rows] / max(self._avg, 1e-9))
            scores[rows] += idf * tf * (self.k1 + 1) / (tf + norm)
        top = np.argsort(-scores)[:k]
        return [(int(self._ids[i]), float(scores[i])) for i in top if scores[i] > 0]

    def to_json(self) -> dict:
        """Plain-JSON form for bm25.json."""
        return {"k1": self.k1, "b": self.b, "docs": {str(k): v for k, v in self.docs.items()}}

    @classmethod
    def from_json(cls, data: dict) -> BM25:
        """Inverse of `to_json`."""
        return cls({int(k): v for k, v in data["docs"].items()}, float(data["k1"]), float(data["b"]))
