"""Measure dense retrieval on the seed fact set for several chunking settings (how defaults were chosen).

Run: .venv/bin/python bench/chunking.py
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index import Index  # noqa: E402
from index.chunking import ChunkingConfig  # noqa: E402
from index.embedding import make_embedder  # noqa: E402

BUDGET = 800  # characters of retrieved text a prompt can afford (~400 tokens of Korean)
SETTINGS = [(1, 0, 400), (2, 1, 500), (3, 1, 500), (3, 1, 700), (4, 1, 700), (5, 2, 900), (8, 2, 1500)]


def evaluate(index: Index, facts: list[dict]) -> dict[str, float]:
    """hit@1, hit@3, MRR, and hit within the first BUDGET characters, of the evidence chunk."""
    article = index.articles[0]
    h1 = h3 = rr = budget_hits = 0.0
    for fact in facts:
        start = article.text.index(fact["evidence"])
        end = start + len(fact["evidence"])
        hits = index.search(fact["question"], 10)
        used = 0
        for hit in hits:
            used += len(hit.chunk.text)
            if used > BUDGET and hit.rank > 1:
                break
            if hit.chunk.start <= start and end <= hit.chunk.end:
                budget_hits += 1
                break
        for hit in hits:
            if hit.chunk.start <= start and end <= hit.chunk.end:
                h1 += hit.rank == 1
                h3 += hit.rank <= 3
                rr += 1 / hit.rank
                break
    n = len(facts)
    return {"hit@1": h1 / n, "hit@3": h3 / n, "mrr": rr / n, "budget": budget_hits / n}


def main() -> None:
    facts = [json.loads(line) for line in (ROOT / "evals/factsets/seed.jsonl").read_text().splitlines()]
    facts = [f for f in facts if f["evidence"]]
    for spec in ("e5", "use"):
        embedder = make_embedder(spec, 2)
        print(f"\nembedder {embedder.id}, {len(facts)} answerable questions")
        print("sentences overlap max_chars | chunks mean_chars | hit@1 hit@3  MRR  hit@800ch | ko hit@3 en hit@3")
        for s, o, m in SETTINGS:
            with tempfile.TemporaryDirectory() as tmp:
                index, _ = Index.build(tmp, [ROOT / "seeds"], embedder, ChunkingConfig(s, o, m))
                t = time.perf_counter()
                all_ = evaluate(index, facts)
                ko = evaluate(index, [f for f in facts if f["language"] == "ko"])
                en = evaluate(index, [f for f in facts if f["language"] == "en"])
                mean = sum(len(c.text) for c in index.chunks) / len(index.chunks)
                print(
                    f"{s:9d} {o:7d} {m:9d} | {len(index.chunks):6d} {mean:10.0f} | {all_['hit@1']:.2f}  "
                    f"{all_['hit@3']:.2f}  {all_['mrr']:.2f}  {all_['budget']:.2f}      | "
                    f"{ko['hit@3']:.2f}     {en['hit@3']:.2f}"
                    f"   ({time.perf_counter() - t:.1f}s)"
                )


if __name__ == "__main__":
    main()
