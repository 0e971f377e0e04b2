"""Scores for an eval run, per language, per kind and overall, computed without any LLM judge."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from evals.factset import KINDS, SPLITS, Fact
from evals.matching import all_facts_present, fact_present
from index.language import detect_language
from rag.replies import foreign_script
from rag.types import Answer


@dataclass(frozen=True)
class QuestionResult:
    """How one question went."""

    id: str
    question: str
    language: str
    kind: str
    answer: str
    abstained: bool
    verified: bool
    correct: bool
    language_ok: bool
    evidence_rank: int | None  # rank of the first retrieved chunk holding the evidence span
    citations: int
    precise_citations: int
    cites_evidence: bool
    first_token_s: float
    total_s: float
    prompt_tokens: int
    error: str = ""
    retrieval_s: float = 0.0
    split: str = "tune"
    mixed_script: bool = False  # shown with Chinese characters or kana that no source holds
    reply: str = ""  # the model's own reply, before the pipeline checked it
    flaw: str = ""  # why that reply was not shown (rag.replies.Flaw), or ""

    @property
    def answerable(self) -> bool:
        """False for unanswerable questions."""
        return self.kind != "unanswerable"


@dataclass(frozen=True)
class Span:
    """Where a fact's evidence sits: its article and character offsets in the cleaned text."""

    doc_id: str
    start: int
    end: int


def score_answer(fact: Fact, answer: Answer, evidence: Sequence[Span] = ()) -> QuestionResult:
    """Judge one answer against its fact: correctness, retrieval rank, citations, language."""
    if fact.answerable:
        correct = not answer.abstained and all_facts_present(fact.expected, answer.text)
    else:
        correct = answer.abstained
    rank = None
    precise = 0
    cites_evidence = False
    if evidence:
        first = evidence[0]
        rank = next(
            (
                h.rank
                for h in answer.hits
                if h.chunk.doc_id == first.doc_id and h.chunk.start <= first.start and first.end <= h.chunk.end
            ),
            None,
        )
        for c in answer.citations:
            overlaps = [c.doc_id == e.doc_id and c.start < e.end and e.start < c.end for e in evidence]
            holds = any(fact_present(e, c.quote) for e in fact.expected)
            precise += any(overlaps) or holds
            cites_evidence = cites_evidence or overlaps[0]
    language_ok = answer.abstained or detect_language(answer.text) == fact.language
    sources = " ".join(p.text for p in answer.passages)
    mixed = not answer.abstained and bool(foreign_script(answer.text, sources))
    t = answer.timings
    return QuestionResult(
        id=fact.id,
        question=fact.question,
        language=fact.language,
        kind=fact.kind,
        answer=answer.text,
        abstained=answer.abstained,
        verified=answer.verified,
        correct=correct,
        language_ok=language_ok,
        evidence_rank=rank,
        citations=len(answer.citations),
        precise_citations=precise,
        cites_evidence=cites_evidence,
        first_token_s=t.first_token,
        total_s=t.total,
        prompt_tokens=t.prompt_tokens,
        retrieval_s=t.retrieval,
        split=fact.split,
        mixed_script=mixed,
        reply=answer.raw_text,
        flaw=answer.flaw,
    )


def _ratio(num: float, den: float) -> float | None:
    return round(num / den, 4) if den else None


def summarize(results: Sequence[QuestionResult]) -> dict[str, float | int | None]:
    """Metrics for one group of results (None where a metric has nothing to count)."""
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    ranks = [r.evidence_rank for r in answerable]
    correct_answerable = [r for r in answerable if r.correct]
    abstained = [r for r in results if r.abstained]
    return {
        "n": len(results),
        "correct": _ratio(sum(r.correct for r in results), len(results)),
        "answer_correct": _ratio(len(correct_answerable), len(answerable)),
        "hit@1": _ratio(sum(1 for k in ranks if k is not None and k <= 1), len(ranks)),
        "hit@3": _ratio(sum(1 for k in ranks if k is not None and k <= 3), len(ranks)),
        "hit@5": _ratio(sum(1 for k in ranks if k is not None and k <= 5), len(ranks)),
        "mrr": _ratio(sum(1 / k for k in ranks if k), len(ranks)),
        "citation_precision": _ratio(
            sum(r.precise_citations for r in answerable), sum(r.citations for r in answerable)
        ),
        "citation_recall": _ratio(sum(r.cites_evidence for r in correct_answerable), len(correct_answerable)),
        "language_match": _ratio(sum(r.language_ok for r in results), len(results)),
        "abstention_precision": _ratio(sum(not r.answerable for r in abstained), len(abstained)),
        "abstention_recall": _ratio(sum(r.abstained for r in unanswerable), len(unanswerable)),
        # answerable questions met with "the articles don't say" (the second-worst failure)
        "false_abstention": _ratio(sum(r.abstained for r in answerable), len(answerable)),
        # shown as verified but wrong, or verified on a question the articles do not answer (the worst)
        "wrong_verified": sum(r.verified and not r.correct for r in results),
        "mixed_script": sum(r.mixed_script for r in results),
        "first_token_p50_s": _pct([r.first_token_s for r in results], 50),
        "first_token_p95_s": _pct([r.first_token_s for r in results], 95),
        "total_p50_s": _pct([r.total_s for r in results], 50),
        "total_p95_s": _pct([r.total_s for r in results], 95),
    }


def _pct(values: Iterable[float], q: int) -> float | None:
    data = list(values)
    return round(float(np.percentile(data, q)), 3) if data else None


def breakdown(results: Sequence[QuestionResult]) -> dict[str, dict[str, float | int | None]]:
    """Metrics overall, per language and per kind (groups with no questions are left out)."""
    groups: dict[str, list[QuestionResult]] = {"overall": list(results)}
    for lang in ("ko", "en"):
        groups[f"lang:{lang}"] = [r for r in results if r.language == lang]
    for kind in KINDS:
        groups[f"kind:{kind}"] = [r for r in results if r.kind == kind]
    if any(r.split != "tune" for r in results):
        for split in SPLITS:
            groups[f"split:{split}"] = [r for r in results if r.split == split]
    return {name: summarize(rs) for name, rs in groups.items() if rs}
