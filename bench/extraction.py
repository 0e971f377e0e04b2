"""Both HTML extractors on the saved news pages: body sentences kept, furniture removed, metadata found.

Run: .venv/bin/python bench/extraction.py   (writes bench/results/extraction.md and .json)
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evals.extraction import score_pages, totals  # noqa: E402
from index.extraction import EXTRACTORS  # noqa: E402

PAGES = ROOT / "tests" / "fixtures" / "web"
CORPUS = ROOT / "evals" / "corpus"
OUT = ROOT / "bench" / "results"


def main() -> None:
    """Score every page with every extractor and write the table."""
    rows, summary = [], {}
    for extractor in EXTRACTORS:
        started = time.perf_counter()
        scores = score_pages(PAGES, CORPUS, extractor)
        seconds = time.perf_counter() - started
        summary[extractor] = totals(scores) | {"ms_per_page": 1000 * seconds / len(scores)}
        rows += [asdict(s) for s in scores]
    lines = [
        "# HTML extraction on the saved news pages (tests/fixtures/web)",
        "",
        f"{len(rows) // len(EXTRACTORS)} pages (2 en, 3 ko; 3 laid out in <div>s only; one EUC-KR, one with no "
        "declared charset). Body kept: share of the article's sentences in the extracted text (sentence-weighted). "
        "Furniture removed: share of menu items, headline lists, comments, banners and footers left out.",
        "",
        "| extractor | body kept | furniture removed | title | date | outlet | ms/page |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, t in summary.items():
        lines.append(
            f"| {name} | {t['body_kept']:.2f} | {t['furniture_removed']:.2f} | {t['title']:.2f} | "
            f"{t['date']:.2f} | {t['outlet']:.2f} | {t['ms_per_page']:.0f} |"
        )
    lines += [
        "",
        "| page | extractor | body kept | furniture removed | title | date | outlet |",
        "|---|---|---:|---:|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['page']} | {r['extractor']} | {r['body_kept']:.2f} | {r['furniture_removed']:.2f} | "
            f"{'✓' if r['title_ok'] else '✗'} | {'✓' if r['date_ok'] else '✗'} | {'✓' if r['outlet_ok'] else '✗'} |"
        )
    OUT.mkdir(exist_ok=True)
    (OUT / "extraction.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (OUT / "extraction.json").write_text(json.dumps({"summary": summary, "pages": rows}, indent=1) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
