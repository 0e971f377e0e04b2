"""Index benchmark: ingest throughput vs raw encoder throughput, and dense search latency by size.

Run: make bench   (or .venv/bin/python bench/index_bench.py [--articles N] [--embedder e5|use])
Figures are measured in one run on one machine; ratios compare them.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import faiss
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index import Index  # noqa: E402
from index.embedding import make_embedder  # noqa: E402
from index.preparing import EMBED_BATCH, passage_text  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from corpus import make_corpus  # noqa: E402


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 in milliseconds."""
    arr = np.array(samples) * 1000
    return float(np.percentile(arr, 50)), float(np.percentile(arr, 95))


def bench_ingest(spec: str, articles: int) -> dict:
    """Ingest a synthetic corpus, then encode the same chunk texts raw with the same embedder."""
    embedder = make_embedder(spec, threads=2)
    embedder.embed_passages(["warm-up"])  # load the model outside the timings
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        make_corpus(corpus, articles)
        index = Index.load(Path(tmp) / "idx", embedder, create=True)
        index.korean.terms("워밍업")  # load Kiwi outside the timings too
        start = time.perf_counter()
        report = index.ingest([corpus])
        ingest_s = time.perf_counter() - start
        texts = [passage_text(c) for c in index.chunks]
    start = time.perf_counter()
    for i in range(0, len(texts), EMBED_BATCH):
        embedder.embed_passages(texts[i : i + EMBED_BATCH])
    raw_s = time.perf_counter() - start
    chunks = report.chunks_embedded
    return {
        "embedder": embedder.id,
        "articles": articles,
        "chunks": chunks,
        "ingest_s": ingest_s,
        "ingest_chunks_per_s": chunks / ingest_s,
        "raw_encode_s": raw_s,
        "raw_chunks_per_s": chunks / raw_s,
        "ingest_over_raw": (chunks / ingest_s) / (chunks / raw_s),
    }


def bench_search(sizes: list[int], dim: int = 384, queries: int = 200) -> list[dict]:
    """Flat inner-product search latency (one query at a time) over synthetic unit vectors."""
    rng = np.random.default_rng(0)
    rows = []
    for n in sizes:
        vectors = rng.standard_normal((n, dim), dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        index.add_with_ids(vectors, np.arange(n, dtype=np.int64))
        qs = rng.standard_normal((queries, dim), dtype=np.float32)
        qs /= np.linalg.norm(qs, axis=1, keepdims=True)
        times = []
        for q in qs:
            start = time.perf_counter()
            index.search(q[None, :], 5)
            times.append(time.perf_counter() - start)
        p50, p95 = percentiles(times)
        rows.append(
            {"chunks": n, "index": "IndexFlatIP", "p50_ms": p50, "p95_ms": p95, "memory_mb": vectors.nbytes / 1e6}
        )
    return rows


def bench_query_embedding(spec: str, n: int = 30) -> tuple[float, float]:
    """p50/p95 of embedding one query (the other half of a search)."""
    embedder = make_embedder(spec, threads=2)
    embedder.embed_queries(["warm-up"])
    times = []
    for i in range(n):
        start = time.perf_counter()
        embedder.embed_queries([f"호주 데이터센터에 서버는 몇 대 있나요? {i}"])
        times.append(time.perf_counter() - start)
    return percentiles(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--embedder", default="e5")
    parser.add_argument("--sizes", default="1000,10000,100000")
    args = parser.parse_args()

    ingest = bench_ingest(args.embedder, args.articles)
    search = bench_search([int(s) for s in args.sizes.split(",")])
    q50, q95 = bench_query_embedding(args.embedder)
    machine = f"{platform.machine()}, {platform.processor() or 'cpu'}, {faiss.omp_get_max_threads()} threads"

    lines = [
        f"# Index benchmark ({datetime.now(UTC):%Y-%m-%d}, {machine})",
        "",
        f"Embedder: {ingest['embedder']}",
        "",
        "| ingest | articles | chunks | seconds | chunks/s |",
        "|---|---:|---:|---:|---:|",
        f"| gisa ingest (load, clean, split, embed, BM25, write) | {ingest['articles']} | {ingest['chunks']} | "
        f"{ingest['ingest_s']:.1f} | {ingest['ingest_chunks_per_s']:.1f} |",
        f"| raw encode of the same chunks | | {ingest['chunks']} | {ingest['raw_encode_s']:.1f} | "
        f"{ingest['raw_chunks_per_s']:.1f} |",
        f"| **ratio ingest / raw** | | | | **{ingest['ingest_over_raw']:.2f}** |",
        "",
        f"Query embedding: p50 {q50:.1f} ms, p95 {q95:.1f} ms",
        "",
        "| dense search (FAISS only, k=5) | index | p50 ms | p95 ms | vectors MB |",
        "|---:|---|---:|---:|---:|",
        *[
            f"| {r['chunks']:,} chunks | {r['index']} | {r['p50_ms']:.2f} | {r['p95_ms']:.2f} | {r['memory_mb']:.0f} |"
            for r in search
        ],
    ]
    report = "\n".join(lines)
    print(report)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "index.md").write_text(report + "\n", encoding="utf-8")
    (out / "index.json").write_text(
        json.dumps(
            {"machine": machine, "ingest": ingest, "query_embedding_ms": {"p50": q50, "p95": q95}, "search": search},
            indent=2,
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
