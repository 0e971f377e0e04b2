"""Store parity: retrieval on FAISS against Milvus (milvus-lite, and a real Milvus 2.3.5 server) on two fact sets.

Run: .venv/bin/python bench/store_parity.py   (results: bench/results/store_parity.md and .json)

For each fact set the same articles go into each store with e5, and every answerable question is retrieved
the way the product does (HybridRetriever: dense with the cross-lingual bonus, plus BM25 for Korean questions,
fused by RRF in gisa) and, for reference, by the store's own hybrid search (on Milvus: the server's RRFRanker).
hit@k: the evidence's chunk is among the first k; MRR over the first 5. The milvus-lite BM25 quirks are
measured too: the sign of its raw scores, and how often its BM25 top 5 equals gisa's own BM25 top 5.
"""

from __future__ import annotations

import json
import logging
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evals.factset import Fact, load_factset  # noqa: E402
from index import Index  # noqa: E402
from index.embedding import make_embedder  # noqa: E402
from rag.retrieval import HybridRetriever  # noqa: E402
from tests.index.milvus_server import milvus_server  # noqa: E402

K = 5
SETS = {
    "seed": (ROOT / "evals/factsets/seed.jsonl", [ROOT / "seeds"]),
    "dev": (ROOT / "evals/factsets/dev.jsonl", [ROOT / "seeds", *sorted((ROOT / "evals/corpus").glob("*.txt"))]),
}


def rank_of(index: Index, fact: Fact, hits: list) -> int | None:
    """1-based rank of the first hit holding the fact's evidence, or None."""
    start = index.article(fact.doc_id or "").text.index(fact.evidence)
    end = start + len(fact.evidence)
    return next(
        (h.rank for h in hits if h.chunk.doc_id == fact.doc_id and h.chunk.start <= start and end <= h.chunk.end),
        None,
    )


def scores(ranks: list[int | None]) -> dict[str, float]:
    """hit@1, hit@3 and MRR@5."""
    n = len(ranks)
    return {
        "hit@1": sum(r == 1 for r in ranks) / n,
        "hit@3": sum(r is not None and r <= 3 for r in ranks) / n,
        "mrr": sum(1 / r for r in ranks if r) / n,
    }


def measure(index: Index, facts: list[Fact]) -> dict:
    """Product retrieval and the store's own hybrid search, over the answerable facts."""
    retriever = HybridRetriever(index, bm25="auto")
    product = [rank_of(index, f, retriever.retrieve(f.question, K, f.language)) for f in facts]
    own = [rank_of(index, f, index.hybrid_search(f.question, K)) for f in facts]
    return {"product": scores(product), "store_hybrid": scores(own)}


def lexical_agreement(a: Index, b: Index, facts: list[Fact]) -> float:
    """Share of Korean questions whose BM25 top 5 is the same on both indexes (same chunks, same order)."""
    korean = [f for f in facts if f.language == "ko"]
    same = sum(
        [h.chunk.chunk_id for h in a.lexical_search(f.question, K)]
        == [h.chunk.chunk_id for h in b.lexical_search(f.question, K)]
        for f in korean
    )
    return same / len(korean)


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    embedder = make_embedder("e5", 2)
    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        server = stack.enter_context(milvus_server(Path(tmp) / "server")).replace("http://", "milvus://")
        for name, (path, articles) in SETS.items():
            facts = [f for f in load_factset(path) if f.answerable]
            stores = {
                "faiss": "faiss",
                "milvus-lite": f"milvus:{tmp}/{name}-lite.db",
                "milvus 2.3.5 server (no BM25)": f"{server}/{name}",
            }
            built: dict[str, Index] = {}
            results[name] = {"questions": len(facts), "stores": {}}
            for label, spec in stores.items():
                started = time.perf_counter()
                index = Index.load(Path(tmp) / f"{name}-faiss", embedder, create=True, rebuild=True, store=spec)
                index.ingest(articles, prune=False)
                ingest_s = time.perf_counter() - started
                built[label] = index
                row = measure(index, facts) | {"ingest_s": ingest_s, "chunks": sum(index.chunk_counts().values())}
                results[name]["stores"][label] = row
            lite = built["milvus-lite"]
            raw = lite.store.client.search(  # type: ignore[attr-defined]
                lite.store.chunk_collection,  # type: ignore[attr-defined]
                [" ".join(lite.korean.terms(facts[0].question))],
                anns_field="sparse",
                limit=1,
                search_params={"metric_type": "BM25"},
            )
            results[name]["lite_raw_bm25_score"] = float(raw[0][0]["distance"]) if raw and raw[0] else None
            results[name]["lite_bm25_top5_same_as_faiss"] = lexical_agreement(built["faiss"], lite, facts)
            for index in built.values():
                close = getattr(index.store, "close", None)
                if close:
                    close()

    lines = ["# Store parity: FAISS and Milvus (e5, hit@k of the evidence chunk, MRR over the top 5)", ""]
    for name, res in results.items():
        lines += [
            f"## {name} set ({res['questions']} answerable questions)",
            "",
            "| store | retrieval | hit@1 | hit@3 | MRR | Δ hit@1 | Δ hit@3 | Δ MRR | ingest s |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        base = res["stores"]["faiss"]
        for label, row in res["stores"].items():
            for kind, title in (("product", "gisa (HybridRetriever)"), ("store_hybrid", "store's hybrid search")):
                s, b = row[kind], base[kind]
                lines.append(
                    f"| {label} | {title} | {s['hit@1']:.3f} | {s['hit@3']:.3f} | {s['mrr']:.3f} | "
                    f"{s['hit@1'] - b['hit@1']:+.3f} | {s['hit@3'] - b['hit@3']:+.3f} | {s['mrr'] - b['mrr']:+.3f} | "
                    f"{row['ingest_s']:.1f} |"
                )
        lines += [
            "",
            f"milvus-lite raw BM25 score of a top hit: {res['lite_raw_bm25_score']:.3f} (negative: gisa reports "
            f"magnitudes); BM25 top 5 identical to gisa's own BM25 on {res['lite_bm25_top5_same_as_faiss']:.0%} "
            "of Korean questions.",
            "",
        ]
    report = "\n".join(lines)
    print(report)
    out = ROOT / "bench" / "results"
    (out / "store_parity.md").write_text(report + "\n", encoding="utf-8")
    (out / "store_parity.json").write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
