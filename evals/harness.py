"""Run a fact set through an `Assistant` and collect per-question results and metrics."""

from __future__ import annotations

import json
import logging
import platform
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tqdm import tqdm

from evals.factset import Fact, FactSetError
from evals.metrics import QuestionResult, Span, breakdown, score_answer
from index.errors import DocumentNotFoundError, GisaError
from rag.assistant import Assistant
from rag.followup import Turn

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EvalRun:
    """Everything one eval run produced."""

    info: dict[str, Any]
    metrics: dict[str, dict[str, float | int | None]]
    results: list[QuestionResult]

    def to_json(self) -> dict[str, Any]:
        """Plain-JSON form, written as report.json."""
        return {"info": self.info, "metrics": self.metrics, "results": [asdict(r) for r in self.results]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EvalRun:
        """Inverse of `to_json` (for comparing with a previous run)."""
        return cls(data["info"], data["metrics"], [QuestionResult(**r) for r in data["results"]])


def evidence_spans(assistant: Assistant, facts: Sequence[Fact]) -> dict[str, list[Span]]:
    """Where each answerable fact's evidence (its own, then `also_evidence`) sits in the cleaned articles."""
    spans: dict[str, list[Span]] = {}
    for fact in facts:
        if not fact.answerable:
            continue
        wanted = [(fact.doc_id or "", fact.evidence)] + [(e["doc_id"], e["text"]) for e in fact.also_evidence]
        spans[fact.id] = [_span(assistant, fact.id, doc_id, text) for doc_id, text in wanted]
    return spans


def _span(assistant: Assistant, fact_id: str, doc_id: str, evidence: str) -> Span:
    try:
        text = assistant.index.article(doc_id).text
    except DocumentNotFoundError:
        raise FactSetError(
            f"fact {fact_id}: article {doc_id!r} is not in the index; ingest it first (gisa ingest PATH)"
        ) from None
    start = text.find(evidence)
    if start < 0:
        raise FactSetError(f"fact {fact_id}: its evidence text is not in article {doc_id}")
    return Span(doc_id, start, start + len(evidence))


def run_eval(assistant: Assistant, facts: Sequence[Fact], name: str = "", progress: bool = False) -> EvalRun:
    """Ask every question, score the answers, and compute the metrics."""
    spans = evidence_spans(assistant, facts)
    assistant.warm_up()  # as `gisa ask` and the chat do: models loaded, prompt heads cached, before timing
    started = time.perf_counter()
    results = []
    for fact in tqdm(facts, desc="eval", unit="q", disable=None if progress else True):
        try:
            answer = assistant.ask(fact.question, history=[Turn(q, a) for q, a in fact.history])
        except GisaError as exc:
            log.warning("question %s failed: %s", fact.id, exc)
            results.append(
                QuestionResult(
                    fact.id,
                    fact.question,
                    fact.language,
                    fact.kind,
                    "",
                    False,
                    False,
                    False,
                    False,
                    None,
                    0,
                    0,
                    False,
                    0.0,
                    0.0,
                    0,
                    error=str(exc),
                    split=fact.split,
                )
            )
            continue
        results.append(score_answer(fact, answer, spans.get(fact.id, ())))
    info = {
        "factset": name,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {platform.system()}, {assistant.config.threads} threads",
        "generator": assistant.generator.id,
        "embedder": assistant.index.embedder.id,
        "questions": len(facts),
        "seconds": round(time.perf_counter() - started, 1),
    }
    return EvalRun(info, breakdown(results), results)


def check_thresholds(metrics: dict[str, dict[str, Any]], thresholds: dict[str, float]) -> list[str]:
    """Failures as "group.metric = value < minimum"; keys look like "overall.correct" or "lang:ko.hit@3".

    A key starting with "max " is a ceiling instead: "max overall.wrong_verified": 5.
    """
    failures = []
    for key, limit in thresholds.items():
        ceiling = key.startswith("max ")
        group, _, metric = key.removeprefix("max ").rpartition(".")
        value = metrics.get(group, {}).get(metric)
        if value is None or (value > limit if ceiling else value < limit):
            failures.append(f"{key} = {value} {'>' if ceiling else '<'} {limit}")
    return failures


def load_thresholds(path: str | Path) -> dict[str, float]:
    """Read a thresholds JSON file: {"overall.correct": 0.5, ...}."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FactSetError(f"cannot read thresholds {path}: {exc}") from exc
    return {str(k): float(v) for k, v in data.items() if not str(k).startswith("_")}
