"""Scale benchmark: the FAISS index type gisa picks by size (index/vectors.py) against flat, at 100k and 1M chunks.

Run: .venv/bin/python bench/scale.py [--sizes 100000,1000000] [--queries 300]
Writes bench/results/scale.md and scale.json. Vectors are synthetic (384 dims, 2,000 clusters plus noise, the same
generator as bench/compare.py): embedding a million real chunks takes ~10 hours here. Queries are perturbed
corpus vectors, one at a time, k = 10; recall@10 is measured against exact (flat) search.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import faiss
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index import vectors  # noqa: E402

DIM = 384
K = 10


def clustered(n: int, rng: np.random.Generator, centers: np.ndarray) -> np.ndarray:
    """`n` unit vectors around random cluster centres."""
    out = centers[rng.integers(0, len(centers), n)] + 0.6 * rng.standard_normal((n, DIM)).astype(np.float32)
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    return out


def timed_search(index: faiss.Index, queries: np.ndarray) -> tuple[list[float], np.ndarray]:
    """Per-query latencies (one query a call) and the ids found."""
    times, found = [], []
    for q in queries:
        start = time.perf_counter()
        _, ids = index.search(q[None, :], K)
        times.append(time.perf_counter() - start)
        found.append(ids[0])
    return times, np.array(found)


def rss_mb() -> float:
    """Peak resident memory of this process so far, MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench(n: int, queries: int, rng: np.random.Generator, centers: np.ndarray) -> list[dict]:
    """Flat and the picked layout at `n` vectors, built through the store's own code path."""
    data = clustered(n, rng, centers)
    ids = np.arange(n, dtype=np.int64)
    qs = data[rng.integers(0, n, queries)] + 0.3 * rng.standard_normal((queries, DIM)).astype(np.float32)
    qs /= np.linalg.norm(qs, axis=1, keepdims=True)
    rows = []
    truth = None
    picked = vectors.layout_for(n, vectors.VectorLayout())
    for name, layout in (("flat (exact)", vectors.VectorLayout()), ("picked by gisa", picked)):
        before = rss_mb()
        start = time.perf_counter()
        index = vectors.build(layout, data, ids)
        build_s = time.perf_counter() - start
        times, found = timed_search(index, qs)
        if truth is None:
            truth = found
        recall = float(np.mean([len(set(a) & set(b)) / K for a, b in zip(found, truth, strict=True)]))
        arr = np.array(times) * 1000
        rows.append(
            {
                "chunks": n,
                "index": name,
                "layout": layout.to_json(),
                "build_s": build_s,
                "p50_ms": float(np.percentile(arr, 50)),
                "p95_ms": float(np.percentile(arr, 95)),
                "recall@10": recall,
                "bytes": len(faiss.serialize_index(index)) if n <= 200_000 else n * (4 * DIM + 8),
                "peak_rss_growth_mb": max(0.0, rss_mb() - before),
            }
        )
        del index
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    centers = rng.standard_normal((2000, DIM)).astype(np.float32)
    rows = [row for n in (int(s) for s in args.sizes.split(",")) for row in bench(n, args.queries, rng, centers)]
    machine = f"{platform.machine()}, {faiss.omp_get_max_threads()} threads"

    def layout_text(r: dict) -> str:
        lay = r["layout"]
        return "flat" if lay["kind"] == "flat" else f"IVF, nlist {lay['nlist']}, nprobe {lay['nprobe']}"

    lines = [
        f"# FAISS type by size ({datetime.now(UTC):%Y-%m-%d}, {machine})",
        "",
        f"Synthetic clustered unit vectors, {DIM} dims; {args.queries} queries one at a time, k = {K}.",
        "",
        "| chunks | index | layout | build s | p50 ms | p95 ms | recall@10 vs flat | index MB |",
        "|---:|---|---|---:|---:|---:|---:|---:|",
        *[
            f"| {r['chunks']:,} | {r['index']} | {layout_text(r)} | {r['build_s']:.1f} | {r['p50_ms']:.2f} | "
            f"{r['p95_ms']:.2f} | {r['recall@10']:.3f} | {r['bytes'] / 1e6:,.0f} |"
            for r in rows
        ],
    ]
    report = "\n".join(lines)
    print(report)
    out = ROOT / "bench" / "results"
    (out / "scale.md").write_text(report + "\n", encoding="utf-8")
    (out / "scale.json").write_text(json.dumps({"machine": machine, "rows": rows}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
