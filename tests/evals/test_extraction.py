"""Extraction quality on the saved news pages: the chosen extractor keeps the body and drops the furniture."""

from __future__ import annotations

from evals.extraction import score_pages, sentences, totals
from tests.samples import ROOT

PAGES = ROOT / "tests" / "fixtures" / "web"
CORPUS = ROOT / "evals" / "corpus"


def test_trafilatura_keeps_every_body_sentence_drops_the_furniture_and_reads_the_metadata() -> None:
    scores = score_pages(PAGES, CORPUS, "trafilatura")
    assert len(scores) == 5 and all(s.body_sentences > 5 for s in scores)
    t = totals(scores)
    assert t["body_kept"] == 1.0
    assert t["furniture_removed"] >= 0.95
    assert (t["title"], t["date"], t["outlet"]) == (1.0, 1.0, 1.0)


def test_the_simple_reader_is_measured_too_and_does_worse_on_furniture() -> None:
    simple = totals(score_pages(PAGES, CORPUS, "simple"))
    chosen = totals(score_pages(PAGES, CORPUS, "trafilatura"))
    assert simple["body_kept"] == 1.0
    assert simple["furniture_removed"] < chosen["furniture_removed"]


def test_sentences_leave_out_the_headline() -> None:
    assert sentences("Headline\nFirst one. Second one!\n\nThird 말했다. 끝") == [
        "First one.",
        "Second one!",
        "Third 말했다.",
        "끝",
    ]
