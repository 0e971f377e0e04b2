"""Reciprocal rank fusion of ranked hit lists (what hybrid retrieval and the FAISS store's hybrid search use)."""

from __future__ import annotations

from dataclasses import replace

from index.types import Hit

RRF_K = 60  # the constant of the original RRF paper (Cormack et al. 2009), and Milvus's RRFRanker default
HYBRID_CANDIDATES_PER_RESULT = 2  # each side's candidates for a store's hybrid search, per result asked for


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
