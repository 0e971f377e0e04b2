"""Ingest throughput: local against Ray Data with 1 and 2 workers, on the 1,000-article synthetic corpus.

Run: .venv/bin/python bench/ray_ingest.py [--articles 1000]   (results: bench/results/ray_ingest.md and .json)

Every run builds a fresh FAISS index with e5 from the same folder and uses both cores: local embeds with 2
threads, Ray with 1 worker × 2 threads or 2 workers × 1 thread. The time spent outside `prepare` (finding
files, de-duplicating, the BM25 rebuild and the index write) is the serial part no cluster shares; it and
the per-worker rate give the projection for N machines in the README.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import make_corpus  # noqa: E402

from index import Index, store  # noqa: E402
from index.embedding import make_embedder  # noqa: E402
from index.loading import LoadResult  # noqa: E402
from index.preparing import LocalPreparer, Preparation, Prepared, Preparer  # noqa: E402
from index.ray_ingest import RayPreparer  # noqa: E402
from index.types import Article  # noqa: E402


class Timed:
    """A preparer that records how long loading and preparing took."""

    def __init__(self, inner: Preparer) -> None:
        self.inner = inner
        self.load_s = 0.0
        self.prepare_s = 0.0

    def load(self, paths: Sequence[Path], follow_symlinks: bool) -> LoadResult:
        start = time.perf_counter()
        try:
            return self.inner.load(paths, follow_symlinks)
        finally:
            self.load_s += time.perf_counter() - start

    def prepare(self, articles: Sequence[Article], start: int, how: Preparation) -> Prepared:
        began = time.perf_counter()
        try:
            return self.inner.prepare(articles, start, how)
        finally:
            self.prepare_s += time.perf_counter() - began


def run(label: str, preparer: Preparer, corpus: Path, out: Path) -> dict:
    """One fresh ingest of `corpus` into `out`."""
    timed = Timed(preparer)
    index = Index.load(out, make_embedder("e5", 2), create=True)
    index.preparer = timed
    index.korean.terms("준비")  # Kiwi loaded outside the timing, as the embedder loads lazily on either path
    start = time.perf_counter()
    report = index.ingest([corpus])
    total = time.perf_counter() - start
    chunks = report.chunks_embedded
    row = {
        "run": label,
        "chunks": chunks,
        "seconds": total,
        "chunks_per_s": chunks / total,
        "load_s": timed.load_s,
        "prepare_s": timed.prepare_s,
        "serial_s": total - timed.load_s - timed.prepare_s,
    }
    print(row, flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    import ray

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        make_corpus(corpus, args.articles)
        rows = [run("local (1 process, 2 threads)", LocalPreparer(), corpus, Path(tmp) / "local")]
        started = time.perf_counter()
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
        ray_start_s = time.perf_counter() - started
        rows.append(
            run("Ray, 1 worker × 2 threads", RayPreparer(workers=1, threads_per_worker=2), corpus, Path(tmp) / "r1")
        )
        rows.append(
            run("Ray, 2 workers × 1 thread", RayPreparer(workers=2, threads_per_worker=1), corpus, Path(tmp) / "r2")
        )
        ray.shutdown()
        local = store.read_snapshot(Path(tmp) / "local")
        same = []
        for name in ("r1", "r2"):
            other = store.read_snapshot(Path(tmp) / name)
            ids = np.array([c.vector_id for c in local.chunks])
            same.append(
                [c.to_json() for c in other.chunks] == [c.to_json() for c in local.chunks]
                and float(np.abs(other.vectors.reconstruct_batch(ids) - local.vectors.reconstruct_batch(ids)).max())
                < 1e-5
            )

    lines = [
        f"# Ingest on Ray ({time.strftime('%Y-%m-%d')}, {platform.machine()}, 2 cores, e5)",
        "",
        f"{args.articles} synthetic articles (bench/corpus.py), fresh FAISS index each run; Ray started in "
        f"{ray_start_s:.1f} s (not counted).",
        "",
        "| run | chunks | seconds | chunks/s | load s | chunk+embed s | serial s (dedup, BM25, write) |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *[
            f"| {r['run']} | {r['chunks']} | {r['seconds']:.1f} | {r['chunks_per_s']:.1f} | {r['load_s']:.1f} | "
            f"{r['prepare_s']:.1f} | {r['serial_s']:.1f} |"
            for r in rows
        ],
        "",
        f"Same chunks and vectors (max difference < 1e-5) as the local ingest: Ray 1 worker {same[0]}, "
        f"2 workers {same[1]}.",
    ]
    report = "\n".join(lines)
    print(report)
    results = ROOT / "bench" / "results"
    (results / "ray_ingest.md").write_text(report + "\n", encoding="utf-8")
    (results / "ray_ingest.json").write_text(
        json.dumps({"ray_start_s": ray_start_s, "rows": rows, "identical": same}, indent=2), encoding="utf-8"
    )


if __name__ == "__main__":
    main()
