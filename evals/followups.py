"""How well follow-ups become standalone questions: each rewrite checked against its fact's `rewrite` terms.

A rewrite is right when every `rewrite` entry (`|`-separated alternatives) occurs in it and no
`rewrite_not` term does, case-insensitively: "텐센트는요?" after a question about 알리바바's growth must
name 텐센트 and growth, and no longer 알리바바.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from evals.factset import Fact
from rag.followup import Rewrite, Turn


@dataclass(frozen=True)
class RewriteResult:
    """One follow-up through one method."""

    fact_id: str
    language: str
    question: str
    rewrite: str
    how: str
    correct: bool


def rewrite_ok(fact: Fact, text: str) -> bool:
    """True if `text` says what the fact's standalone form must, and not what it must no longer."""
    lowered = text.lower()
    has_all = all(any(alt.lower() in lowered for alt in term.split("|")) for term in fact.rewrite)
    return has_all and not any(term.lower() in lowered for term in fact.rewrite_not)


def score_rewrites(facts: Sequence[Fact], rewrite: Callable[[str, list[Turn]], Rewrite]) -> list[RewriteResult]:
    """Rewrite every follow-up in `facts` with `rewrite` and check each."""
    results = []
    for fact in facts:
        if not fact.history:
            continue
        made = rewrite(fact.question, [Turn(q, a) for q, a in fact.history])
        results.append(
            RewriteResult(fact.id, fact.language, fact.question, made.text, str(made.how), rewrite_ok(fact, made.text))
        )
    return results


def accuracy(results: Sequence[RewriteResult], language: str | None = None) -> float:
    """Share of rewrites that are right (in one language, if given)."""
    chosen = [r for r in results if language is None or r.language == language]
    return sum(r.correct for r in chosen) / len(chosen) if chosen else 0.0
