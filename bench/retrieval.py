"""Retrieval choices measured on the seed fact set: fusion rule and evidence-sentence budget.

Run: .venv/bin/python bench/retrieval.py   (results: bench/results/retrieval.txt)
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index import Index  # noqa: E402
from index.embedding import make_embedder  # noqa: E402
from rag.evidence import EvidenceSelector  # noqa: E402
from rag.retrieval import HybridRetriever  # noqa: E402


def span_of(index: Index, fact: dict) -> tuple[int, int]:
    """Character span of a fact's evidence in its article."""
    start = index.article(fact["doc_id"]).text.index(fact["evidence"])
    return start, start + len(fact["evidence"])


def main() -> None:
    facts = [json.loads(x) for x in (ROOT / "evals/factsets/seed.jsonl").read_text(encoding="utf-8").splitlines()]
    facts = [f for f in facts if f["evidence"]]
    embedder = make_embedder("e5", 2)
    with tempfile.TemporaryDirectory() as tmp:
        index, _ = Index.build(tmp, [ROOT / "seeds"], embedder)
        print(f"{len(facts)} answerable questions, {len(index.chunks)} chunks\n")
        print("fusion rule | lang | hit@1 hit@3 MRR")
        for rule in ("never", "always", "auto"):
            retriever = HybridRetriever(index, bm25=rule)
            for lang in ("ko", "en"):
                subset = [f for f in facts if f["language"] == lang]
                h1 = h3 = rr = 0.0
                for fact in subset:
                    s, e = span_of(index, fact)
                    for hit in retriever.retrieve(fact["question"], 10, lang):
                        if hit.chunk.start <= s and e <= hit.chunk.end:
                            h1 += hit.rank == 1
                            h3 += hit.rank <= 3
                            rr += 1 / hit.rank
                            break
                n = len(subset)
                print(f"{rule:11} | {lang}   | {h1 / n:.2f}  {h3 / n:.2f}  {rr / n:.2f}")
        print("\nevidence sentences kept (from top-5 chunks, auto fusion) | evidence recall | mean prompt chars")
        retriever = HybridRetriever(index, bm25="auto")
        for n_sent in (2, 3, 4, 5, 6, 8):
            selector = EvidenceSelector(embedder, max_sentences=n_sent)
            found = chars = 0
            for fact in facts:
                s, e = span_of(index, fact)
                passages = selector.select(fact["question"], retriever.retrieve(fact["question"], 5, fact["language"]))
                chars += sum(len(p.text) for p in passages)
                found += any(p.start <= s < p.end for p in passages) and any(p.start < e <= p.end for p in passages)
            print(f"{n_sent:2d} | {found / len(facts):.2f} | {chars / len(facts):.0f}")


if __name__ == "__main__":
    main()
