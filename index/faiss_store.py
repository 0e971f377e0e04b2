"""The embedded default store: FAISS vectors and Kiwi BM25 in generations of files (`index.store`)."""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager
from dataclasses import replace
from pathlib import Path

import numpy as np

from index import store, vectors
from index.chunk_store import Committed, StoreChange, Stored, StoreKind
from index.errors import IndexCorruptError
from index.fusion import HYBRID_CANDIDATES_PER_RESULT, reciprocal_rank_fusion
from index.lexical import BM25
from index.types import Chunk, Hit
from index.vectors import FLAT_MAX_CHUNKS, VectorLayout


class FaissStore:
    """An index directory; holds the generation it last read or wrote in memory for searching."""

    def __init__(self, directory: Path, flat_max: int = FLAT_MAX_CHUNKS) -> None:
        self.directory = Path(directory)
        self.location = str(self.directory)
        self.kind: StoreKind = "faiss"
        self.flat_max = flat_max  # above this many chunks the vectors are IVF (lowered by tests)
        self._snapshot: store.Snapshot | None = None
        self._by_id: dict[int, Chunk] = {}
        self._lock = threading.Lock()  # the snapshot and its id map are swapped together

    def exists(self) -> bool:
        """True if a generation has been committed here."""
        return store.exists(self.directory)

    def version(self) -> str:
        """The live generation's name."""
        return store.current_name(self.directory)

    def read(self) -> Stored:
        """Load and verify the live generation."""
        snapshot = store.read_snapshot(self.directory)
        self._install(snapshot)
        return Stored(snapshot.manifest, snapshot.articles, snapshot.generation)

    def writer_lock(self) -> AbstractContextManager[None]:
        """The directory's OS file lock."""
        return store.writer_lock(self.directory)

    @property
    def layout(self) -> VectorLayout:
        """The vector layout of the generation held in memory (flat before the first write)."""
        snapshot = self._snapshot
        return VectorLayout.from_json(snapshot.manifest.get("vectors")) if snapshot else VectorLayout()

    def next_vector_id(self) -> int:
        """One past the largest vector id in use."""
        return max(self._by_id, default=-1) + 1

    def commit(self, change: StoreChange) -> Committed:
        """Build the next generation from the one held (or from nothing, if `fresh`) and write it atomically."""
        base = None if change.fresh else self._snapshot
        old_chunks = base.chunks if base else []
        dropped = [c.vector_id for c in old_chunks if c.doc_id in change.drop_docs]
        gone = set(dropped)
        kept = [c for c in old_chunks if c.vector_id not in gone]
        layout = self.layout if base else VectorLayout()
        index, layout = vectors.changed(
            base.vectors if base else None,
            layout,
            np.array([c.vector_id for c in kept], dtype=np.int64),
            dropped,
            change.vectors,
            np.array([c.vector_id for c in change.chunks], dtype=np.int64),
            self.flat_max,
        )
        old_bm25 = base.bm25 if base else BM25({})
        bm25 = old_bm25.with_changes(
            {c.vector_id: list(t) for c, t in zip(change.chunks, change.terms, strict=True)}, dropped
        )
        chunks = sorted([*kept, *change.chunks], key=lambda c: c.vector_id)
        old_articles = base.articles if base else []
        articles = {a.doc_id: a for a in old_articles if a.doc_id not in change.drop_docs}
        articles.update({a.doc_id: a for a in change.articles})
        snapshot = store.Snapshot(
            manifest=dict(change.manifest, vectors=layout.to_json()),
            vectors=index,
            chunks=chunks,
            articles=[articles[k] for k in sorted(articles)],
            bm25=bm25,
        )
        final = store.write_snapshot(self.directory, snapshot)
        self._install(replace(snapshot, generation=final.name))
        return Committed(final.name, snapshot.manifest)

    def _install(self, snapshot: store.Snapshot) -> None:
        try:
            VectorLayout.from_json(snapshot.manifest.get("vectors"))
        except ValueError as exc:
            raise IndexCorruptError(f"index at {self.directory}: {exc}; {store.REBUILD_HINT}") from None
        with self._lock:
            self._snapshot = snapshot
            self._by_id = {c.vector_id: c for c in snapshot.chunks}

    def dense(self, vector: np.ndarray, k: int) -> list[tuple[Chunk, float]]:
        """FAISS inner-product search."""
        with self._lock:
            snapshot, by_id = self._snapshot, self._by_id
        if snapshot is None or not by_id:
            return []
        scores, ids = snapshot.vectors.search(vector.reshape(1, -1), min(k, len(by_id)))
        return [(by_id[int(i)], float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def lexical(self, terms: list[str], k: int) -> list[tuple[Chunk, float]]:
        """BM25 over the held generation's terms."""
        with self._lock:
            snapshot, by_id = self._snapshot, self._by_id
        if snapshot is None:
            return []
        return [(by_id[i], s) for i, s in snapshot.bm25.search(terms, k)]

    def hybrid(self, vector: np.ndarray, terms: list[str], k: int) -> list[tuple[Chunk, float]]:
        """Dense and BM25 fused by reciprocal rank, here in the process."""
        n = k * HYBRID_CANDIDATES_PER_RESULT
        rankings = [
            [Hit(c, s, rank, name) for rank, (c, s) in enumerate(found, 1)]
            for name, found in (("dense", self.dense(vector, n)), ("bm25", self.lexical(terms, n)))
        ]
        return [(h.chunk, h.score) for h in reciprocal_rank_fusion(rankings)[:k]]

    def chunks(self) -> list[Chunk]:
        """The held generation's chunks, in vector-id order."""
        snapshot = self._snapshot
        return list(snapshot.chunks) if snapshot else []

    def bytes_used(self) -> int:
        """Bytes of the live generation's files."""
        return store.disk_usage(self.directory)
