"""Deterministic synthetic articles for benchmarks (Korean sentences from the seed, English news lines)."""

from __future__ import annotations

import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = [
    "The central bank kept its benchmark rate at 3.5% for a third straight meeting.",
    "Exports of memory chips rose 12% in October from a year earlier, the trade ministry said.",
    "Analysts expect the company to ship more than 1 million units in the coming months.",
    "The plant cost $450 million and will employ about 1,200 workers by 2026.",
    "Officials said the new rules would take effect in January after a public comment period.",
    "Shares of the carmaker fell 4.2% after it cut its annual sales forecast.",
    "The startup raised 30 billion won in a funding round led by a state-backed fund.",
    "Regulators in Brussels opened an investigation into the cloud provider's pricing.",
    "The shipbuilder won an order for six liquefied natural gas carriers worth $1.5 billion.",
    "Household debt climbed to a record high in the second quarter, central bank data showed.",
]


def make_corpus(folder: Path, n: int, seed: int = 7) -> None:
    """Write n articles alternating Korean (seed-article sentences) and English, each numbered."""
    seed_lines = (ROOT / "seeds/000_cfd0560a8afc951a.txt").read_text(encoding="utf-8").splitlines()[3:20]
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        if i % 2:
            body, title = rng.sample(ENGLISH, 6), f"Market report {i}"
        else:
            body, title = rng.sample(seed_lines, 6), f"반도체 기사 {i}"
        (folder / f"a{i:04d}.txt").write_text(title + "\n" + "\n".join(body) + f"\n(No. {i})", encoding="utf-8")
