"""End-to-end answer latency with the default backend: 10 seed questions (5 Korean, 5 English).

Run: .venv/bin/python bench/answer_bench.py   (results: bench/results/answer.md and .json)
"""

from __future__ import annotations

import json
import platform
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index import Index  # noqa: E402
from index.embedding import make_embedder  # noqa: E402
from rag.assistant import Assistant  # noqa: E402
from rag.config import from_env  # noqa: E402
from rag.generation import make_generator  # noqa: E402

IDS = [
    "ko-servers",
    "ko-capex-total",
    "ko-h20-price",
    "ko-california",
    "ko-payment",
    "en-capex-total",
    "en-tencent",
    "en-california",
    "en-gpus",
    "en-payment",
]


def main() -> None:
    facts = {f["id"]: f for f in map(json.loads, (ROOT / "evals/factsets/seed.jsonl").read_text().splitlines())}
    cfg = from_env({})
    with tempfile.TemporaryDirectory() as tmp:
        index, _ = Index.build(tmp, [ROOT / "seeds"], make_embedder("e5", cfg.threads))
        assistant = Assistant(index, make_generator(cfg), cfg)
        assistant.ask("워밍업: H20 가격은?")  # loads Kiwi and the model outside the timings
        rows = []
        for qid in IDS:
            answer = assistant.ask(facts[qid]["question"])
            t = answer.timings
            rows.append(
                {
                    "id": qid,
                    "retrieval_ms": t.retrieval * 1000,
                    "evidence_ms": t.evidence * 1000,
                    "first_token_s": t.first_token,
                    "total_s": t.total,
                    "prompt_tokens": t.prompt_tokens,
                    "abstained": answer.abstained,
                    "answer": answer.text,
                }
            )

    def pct(key: str, q: int) -> float:
        return float(np.percentile([r[key] for r in rows], q))

    machine = f"{platform.machine()}, {cfg.threads} threads"
    lines = [
        f"# Answer latency ({datetime.now(UTC):%Y-%m-%d}, {machine}, {assistant.generator.id})",
        "",
        "| question | retrieval ms | evidence ms | first token s | total s | prompt tokens |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r['id']} | {r['retrieval_ms']:.0f} | {r['evidence_ms']:.0f} | {r['first_token_s']:.1f} | "
        f"{r['total_s']:.1f} | {r['prompt_tokens']} |"
        for r in rows
    ]
    for q in (50, 95):
        lines.append(
            f"| **p{q}** | {pct('retrieval_ms', q):.0f} | {pct('evidence_ms', q):.0f} | "
            f"{pct('first_token_s', q):.1f} | {pct('total_s', q):.1f} | {pct('prompt_tokens', q):.0f} |"
        )
    report = "\n".join(lines)
    print(report)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "answer.md").write_text(report + "\n", encoding="utf-8")
    (out / "answer.json").write_text(
        json.dumps({"machine": machine, "rows": rows}, ensure_ascii=False, indent=2), encoding="utf-8"
    )


if __name__ == "__main__":
    main()
