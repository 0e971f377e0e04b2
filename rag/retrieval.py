"""Hybrid retrieval: dense FAISS search fused with Kiwi-BM25 by reciprocal rank fusion."""

from __future__ import annotations

from dataclasses import replace

from index import Hit, Index
from index.language import Language
from rag.config import BM25_MODES, BM25Mode

RRF_K = 60  # the constant of the original RRF paper (Cormack et al. 2009); not tuned here
# Chunks fetched from each retriever before fusion: 2x the default top-k, so a chunk ranked low by one
# retriever can still rise. Chosen by hand; bench/retrieval.py measures hit@k with it.
RETRIEVAL_CANDIDATES = 10


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

    def __init__(self, index: Index, bm25: BM25Mode = "auto", candidates: int = RETRIEVAL_CANDIDATES) -> None:
        if bm25 not in BM25_MODES:
            raise ValueError(f"bm25 must be one of {BM25_MODES}")
        self.index = index
        self.bm25 = bm25
        self.candidates = candidates

    def uses_bm25(self, language: Language) -> bool:
        """Whether BM25 joins the fusion for a question in this language."""
        return self.bm25 == "always" or (self.bm25 == "auto" and language == "ko")

    def retrieve(self, question: str, k: int, language: Language) -> list[Hit]:
        """The k best chunks for the question."""
        n = max(k, self.candidates)
        dense = self.index.search(question, n)
        if not self.uses_bm25(language):
            return dense[:k]
        lexical = self.index.lexical_search(question, n)
        return reciprocal_rank_fusion([dense, lexical])[:k]
