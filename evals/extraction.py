"""How well an HTML extractor recovers a news article: body sentences kept, site furniture removed, metadata.

The pages are saved news pages (tests/fixtures/web) wrapping known article texts; `pages.json` lists, per
page, the article file, the metadata the page declares and its furniture (menus, headline lists, comments).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from index.charsets import decode_page
from index.cleaning import clean_text
from index.dates import iso_date
from index.extraction import Extractor, extract_html

SHORT_FURNITURE = 12  # menu labels and shorter count as kept only when a whole extracted line is just them
_SENTENCE_END = re.compile(r"(?<=[.!?다])\s+")


@dataclass(frozen=True)
class PageScore:
    """One page through one extractor."""

    page: str
    extractor: Extractor
    body_sentences: int
    body_kept: float  # share of the article's sentences found in the extracted text
    furniture: int
    furniture_removed: float  # share of furniture lines absent from it
    title_ok: bool
    date_ok: bool
    outlet_ok: bool


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).replace("\u00a0", " ")).strip()


def sentences(text: str) -> list[str]:
    """The article body's sentences (the headline line left out), for counting what an extractor kept."""
    lines = [line for line in text.splitlines() if line.strip()][1:]
    return [_norm(s) for line in lines for s in _SENTENCE_END.split(line) if s.strip()]


def score_page(folder: Path, corpus: Path, entry: dict, extractor: Extractor) -> PageScore:
    """Extract one page as `gisa ingest` would (decode, extract, clean) and score it against its article."""
    html = decode_page((folder / entry["file"]).read_bytes(), name=entry["file"])
    found = extract_html(html, entry["url"], extractor)
    cleaned = clean_text(found.text)
    text = _norm(cleaned)
    lines = {_norm(line) for line in cleaned.splitlines()}
    body = sentences((corpus / entry["corpus"]).read_text(encoding="utf-8"))
    kept = sum(s in text for s in body)
    furniture = entry["furniture"]
    left = sum(item in lines or (len(item) > SHORT_FURNITURE and _norm(item) in text) for item in furniture)
    return PageScore(
        page=entry["file"],
        extractor=extractor,
        body_sentences=len(body),
        body_kept=kept / len(body),
        furniture=len(furniture),
        furniture_removed=1 - left / len(furniture),
        title_ok=_norm(found.title) == _norm(entry["title"]),
        date_ok=iso_date(found.published) == entry["published"],
        outlet_ok=found.outlet == entry["outlet"],
    )


def score_pages(folder: Path, corpus: Path, extractor: Extractor) -> list[PageScore]:
    """Every page listed in `folder`/pages.json, through `extractor`."""
    entries = json.loads((folder / "pages.json").read_text(encoding="utf-8"))
    return [score_page(folder, corpus, entry, extractor) for entry in entries]


def totals(scores: list[PageScore]) -> dict[str, float]:
    """Sentence-weighted body kept, furniture removed, and the share of pages with each field right."""
    return {
        "body_kept": sum(s.body_kept * s.body_sentences for s in scores) / sum(s.body_sentences for s in scores),
        "furniture_removed": sum(s.furniture_removed * s.furniture for s in scores) / sum(s.furniture for s in scores),
        "title": sum(s.title_ok for s in scores) / len(scores),
        "date": sum(s.date_ok for s in scores) / len(scores),
        "outlet": sum(s.outlet_ok for s in scores) / len(scores),
    }
