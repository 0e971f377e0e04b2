"""Follow-up rewriting on evals/factsets/followups.jsonl: the rule, the generator, and the rule with the
generator where the rule cannot tell. Accuracy per language, and the time the generator adds.

Run: .venv/bin/python bench/followups.py   (writes bench/results/followups.md and .json; loads the local model)
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evals.factset import FOLLOWUP_FACTSET, load_factset  # noqa: E402
from evals.followups import accuracy, score_rewrites  # noqa: E402
from index.korean import KoreanText  # noqa: E402
from rag.config import from_env  # noqa: E402
from rag.followup import resolve  # noqa: E402
from rag.generation import make_generator  # noqa: E402

OUT = ROOT / "bench" / "results"
MODES = ("rule", "llm", "rule+llm")


def main() -> None:
    """Score every mode and write the table."""
    facts = load_factset(FOLLOWUP_FACTSET)
    korean = KoreanText()
    generator = make_generator(from_env())
    generator.warm([])
    summary, rows = {}, []
    for mode in MODES:
        started = time.perf_counter()
        results = score_rewrites(facts, lambda q, h, m=mode: resolve(q, h, korean, generator, m))  # type: ignore[misc]
        seconds = time.perf_counter() - started
        summary[mode] = {
            "all": accuracy(results),
            "ko": accuracy(results, "ko"),
            "en": accuracy(results, "en"),
            "generator_calls": sum(r.how in ("generator", "unresolved") and mode != "rule" for r in results),
            "seconds": round(seconds, 1),
        }
        rows += [asdict(r) | {"mode": mode} for r in results]
    n = len(rows) // len(MODES)
    lines = [
        f"# Follow-up rewriting: {n} follow-ups (evals/factsets/followups.jsonl), {generator.id}",
        "",
        "| method | right | ko | en | generator asked | seconds (all) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for mode, t in summary.items():
        lines.append(
            f"| {mode} | {t['all']:.2f} ({round(t['all'] * n)} of {n}) | {t['ko']:.2f} | {t['en']:.2f} | "
            f"{t['generator_calls']} | {t['seconds']} |"
        )
    lines += ["", "| mode | follow-up | rewritten as | how | right |", "|---|---|---|---|---|"]
    lines += [
        f"| {r['mode']} | {r['question']} | {r['rewrite']} | {r['how']} | {'✓' if r['correct'] else '✗'} |"
        for r in rows
    ]
    OUT.mkdir(exist_ok=True)
    (OUT / "followups.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (OUT / "followups.json").write_text(json.dumps({"summary": summary, "rows": rows}, ensure_ascii=False, indent=1))
    print("\n".join(lines[:8]))


if __name__ == "__main__":
    main()
