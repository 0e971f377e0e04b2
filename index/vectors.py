"""The FAISS vector index, its type picked by size: exact (flat) while small, IVF once flat search gets slow.

The layout (type, lists, probes, how many vectors the lists were trained on) is recorded in the manifest.
Every change builds a new index object (the store writes it as a new generation), so the switch keeps
the atomic-generation guarantees: a reader sees the old index or the new one, never half of a retraining.
"""

from __future__ import annotations

import logging
import math
from dataclasses import asdict, dataclass
from typing import Any, Literal

import faiss
import numpy as np

log = logging.getLogger(__name__)

VectorKind = Literal["flat", "ivf"]
VECTOR_KINDS: tuple[VectorKind, ...] = ("flat", "ivf")

# Above this many chunks the index is IVF. Flat search costs ~0.055 µs a vector at 384 dims on this machine
# (55 ms at 1M, 5.5 ms at 100k: bench/results/compare.md); at 20k it is ~1 ms, where IVF starts to pay.
FLAT_MAX_CHUNKS = 20_000
# nlist = 8·√n (within FAISS's 4-16·√n guideline), at most 4,096; 96 lists probed. Chosen with bench/scale.py
# on clustered synthetic vectors: at 100k, 4·√n lists with 32 probes gave recall@10 0.78, 8·√n with 158 probes
# 0.990; at 1M, 62 probes gave 0.993 at 2.4 ms p95 and 256 probes 1.000 at 8.2 ms (over the 5 ms goal).
IVF_LISTS_PER_SQRT = 8
IVF_MAX_LISTS = 4096
IVF_PROBES = 96
TRAIN_POINTS_PER_LIST = 64  # k-means sample: 64 points a list
MIN_POINTS_PER_LIST = 39  # FAISS warns below this many training points a list (tiny test indexes get fewer lists)
RETRAIN_GROWTH = 4.0  # lists are retrained when the index grows (or shrinks) 4x from what they were trained on


@dataclass(frozen=True)
class VectorLayout:
    """How the vectors are indexed: `flat`, or `ivf` with `nlist` lists, `nprobe` probed, trained on `trained_on`."""

    kind: VectorKind = "flat"
    nlist: int = 0
    nprobe: int = 0
    trained_on: int = 0

    def to_json(self) -> dict[str, Any]:
        """Plain-JSON form for the manifest."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> VectorLayout:
        """Inverse of `to_json`; an index written before layouts existed is flat. Raises ValueError."""
        if data is None:
            return cls()
        if not isinstance(data, dict) or data.get("kind") not in VECTOR_KINDS:
            raise ValueError(f"unknown vector layout {data!r}")
        layout = cls(data["kind"], int(data["nlist"]), int(data["nprobe"]), int(data["trained_on"]))
        if layout.kind == "ivf" and not (1 <= layout.nprobe <= layout.nlist):
            raise ValueError(f"impossible IVF layout {data!r}")
        return layout


def ivf_layout(n: int) -> VectorLayout:
    """The IVF layout for `n` vectors."""
    nlist = max(1, min(IVF_MAX_LISTS, int(IVF_LISTS_PER_SQRT * math.sqrt(n)), n // MIN_POINTS_PER_LIST))
    nprobe = min(nlist, IVF_PROBES)
    return VectorLayout("ivf", nlist, nprobe, n)


def layout_for(n: int, current: VectorLayout, flat_max: int = FLAT_MAX_CHUNKS) -> VectorLayout:
    """The layout an index of `n` vectors should have, given the one it has (kept while it still fits).

    An IVF index goes back to flat only below half of `flat_max`, so an index near it does not flip on every
    ingest; its lists are retrained when it has grown or shrunk `RETRAIN_GROWTH` times from their training.
    """
    if current.kind == "ivf":
        fits = current.trained_on / RETRAIN_GROWTH <= n <= current.trained_on * RETRAIN_GROWTH
        if n >= flat_max // 2 and fits:
            return current
        return ivf_layout(n) if n >= flat_max // 2 else VectorLayout()
    return ivf_layout(n) if n > flat_max else current


def empty(dim: int) -> faiss.Index:
    """An empty flat index."""
    return faiss.IndexIDMap2(faiss.IndexFlatIP(dim))


def build(layout: VectorLayout, vectors: np.ndarray, ids: np.ndarray) -> faiss.Index:
    """A new index of `layout` holding `vectors` under `ids` (IVF lists are trained on a sample of them)."""
    dim = vectors.shape[1]
    if layout.kind == "flat":
        index = empty(dim)
    else:
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, layout.nlist, faiss.METRIC_INNER_PRODUCT)
        sample = min(len(vectors), layout.nlist * TRAIN_POINTS_PER_LIST)
        rows = np.random.default_rng(0).choice(len(vectors), sample, replace=False)
        index.train(np.ascontiguousarray(vectors[np.sort(rows)], dtype=np.float32))
        index.set_direct_map_type(faiss.DirectMap.Hashtable)  # lets remove_ids and reconstruct work by id
        index.nprobe = layout.nprobe
    if len(vectors):
        index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids.astype(np.int64))
    return index


def changed(
    index: faiss.Index | None,
    layout: VectorLayout,
    kept_ids: np.ndarray,
    drop_ids: list[int],
    add: np.ndarray,
    add_ids: np.ndarray,
    flat_max: int = FLAT_MAX_CHUNKS,
) -> tuple[faiss.Index, VectorLayout]:
    """A new index: `index` without `drop_ids`, plus `add` under `add_ids`, retyped if its size calls for it.

    `kept_ids` are the ids that stay (read back only when the layout changes). `index` is not modified.
    """
    dim = add.shape[1]
    n = len(kept_ids) + len(add_ids)
    target = layout_for(n, layout, flat_max)
    if index is None or index.ntotal == 0:
        return build(target, add, add_ids), target
    if target != layout:
        kept = index.reconstruct_batch(kept_ids.astype(np.int64)) if len(kept_ids) else np.zeros((0, dim), np.float32)
        log.info("vector index: %s -> %s (%d vectors)", layout.kind, target.kind, n)
        return build(target, np.vstack([kept, add]), np.concatenate([kept_ids, add_ids])), target
    copy = faiss.deserialize_index(faiss.serialize_index(index))
    if drop_ids:
        copy.remove_ids(np.array(drop_ids, dtype=np.int64))
    if len(add_ids):
        copy.add_with_ids(np.ascontiguousarray(add, dtype=np.float32), add_ids.astype(np.int64))
    return copy, layout


def size_bounds(layout: VectorLayout, count: int, dim: int) -> tuple[int, int]:
    """The smallest and largest size in bytes a serialised index of this layout can have."""
    payload = count * (4 * dim + 8)
    header = 4096
    if layout.kind == "flat":
        return payload, payload + header
    # IVF adds the centroids, per-list headers and the id hash table (a few words an entry).
    return payload, payload + layout.nlist * (4 * dim + 64) + count * 64 + header
