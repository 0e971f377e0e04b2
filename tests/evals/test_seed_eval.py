"""The curated seed set through the default pipeline: a regression below evals/thresholds.json fails CI."""

from pathlib import Path

import pytest

from evals.factset import SEED_FACTSET, load_factset
from evals.harness import check_thresholds, load_thresholds, run_eval
from evals.report import write_report
from rag.assistant import Assistant

THRESHOLDS = Path(__file__).resolve().parents[2] / "evals" / "thresholds.json"


def test_seed_fact_set_is_curated_as_promised() -> None:
    facts = load_factset(SEED_FACTSET)
    assert len(facts) >= 40
    assert abs(sum(f.language == "ko" for f in facts) - sum(f.language == "en" for f in facts)) <= 2
    kinds = {f.kind for f in facts}
    assert {"number", "multi-hop", "cross-lingual", "unanswerable"} <= kinds
    assert sum(f.kind == "multi-hop" for f in facts) >= 3 and sum(f.kind == "unanswerable" for f in facts) >= 4


@pytest.mark.slow
def test_default_pipeline_stays_above_thresholds_on_the_seed_set(qwen_assistant: Assistant, tmp_path: Path) -> None:
    run = run_eval(qwen_assistant, load_factset(SEED_FACTSET), name="seed")
    failures = check_thresholds(run.metrics, load_thresholds(THRESHOLDS))
    report = write_report(run, tmp_path, failures)
    assert not failures, f"{failures}; see {report}"
