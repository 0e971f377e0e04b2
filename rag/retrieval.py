"""Hybrid retrieval: dense FAISS search fused with Kiwi-BM25 by reciprocal rank fusion."""

from __future__ import annotations

from dataclasses import replace

from index import Hit, Index

RRF_K = 60
BM25_RULES = ("auto", "always", "never")


def reciprocal_rank_fusion(rankings: list[list[Hit]], k: int = RRF_K) -> list[Hit]:
    """Fuse ranked hit lists: each chunk scores the sum of 1/(k + rank) over the lists it appears in."""
    scores: dict[str, float] = {}
    chunks: dict[str, Hit] = {}
    for ranking in rankings:
        for hit in ranking:
            cid = hit.chunk.chunk_id
            scores[cid] = scores.get(cid, 0.0) + 1.0 / (k + hit.rank)
            chunks.setdefault(cid, hit)
    order = sorted(scores, key=lambda cid: -scores[cid])
    return [replace(chunks[cid], score=scores[cid], rank=rank, retriever="hybrid") for rank, cid in enumerate(order, 1)]


class HybridRetriever:
    """Dense search, plus BM25 for Korean questions (`bm25="auto"`), fused by RRF.

    Measured on the seed fact set (bench/retrieval.py): BM25 over Korean morphemes lifts Korean
    questions, but English questions share almost no terms with Korean articles, so for them BM25
    only adds noise; "auto" uses it when the question is Korean.
    """

    def __init__(self, index: Index, bm25: str = "auto", candidates: int = 10) -> None:
        if bm25 not in BM25_RULES:
            raise ValueError(f"bm25 must be one of {BM25_RULES}")
        self.index = index
        self.bm25 = bm25
        self.candidates = candidates

    def uses_bm25(self, language: str) -> bool:
        """Whether BM25 joins the fusion for a question in this language."""
        return self.bm25 == "always" or (self.bm25 == "auto" and language == "ko")

    def retrieve(self, question: str, k: int, language: str) -> list[Hit]:
        """The k best chunks for the question."""
        n = max(k, self.candidates)
        dense = self.index.search(question, n)
        if not self.uses_bm25(language):
            return dense[:k]
        lexical = self.index.lexical_search(question, n)
        return reciprocal_rank_fusion([dense, lexical])[:k]
