"""The development set (seed article plus nine other real articles) and the fresh set on the same articles, through
the default pipeline."""

from pathlib import Path

import pytest

from evals.factset import DEV_CORPUS, DEV_FACTSET, FRESH_FACTSET, load_factset
from evals.harness import check_thresholds, load_thresholds, run_eval
from evals.report import write_report
from index import Index
from index.embedding import E5Embedder
from rag.assistant import Assistant
from rag.config import Config
from rag.generation import make_generator
from tests.samples import SEED_DIR

THRESHOLDS = Path(__file__).resolve().parents[2] / "evals" / "thresholds.dev.json"
FRESH_THRESHOLDS = THRESHOLDS.with_name("thresholds.fresh.json")


def test_dev_fact_set_is_curated_as_promised() -> None:
    facts = load_factset(DEV_FACTSET)
    assert len(facts) >= 60
    korean_docs = {f.doc_id for f in facts if f.language == "ko" and f.kind != "cross-lingual" and f.doc_id}
    english_docs = {f.doc_id for f in facts if f.language == "en" and f.kind != "cross-lingual" and f.doc_id}
    crossing = [f for f in facts if f.kind == "cross-lingual"]
    # cross-lingual both ways: English questions on Korean articles and Korean questions on English ones
    assert any(f.language == "en" and f.doc_id in korean_docs for f in crossing)
    assert any(f.language == "ko" and f.doc_id in english_docs for f in crossing)
    assert sum(f.kind == "multi-hop" for f in facts) >= 8
    assert sum(f.kind == "unanswerable" for f in facts) >= 10
    holdout = sum(f.split == "holdout" for f in facts)
    assert abs(holdout - len(facts) / 3) <= 1
    assert (DEV_CORPUS / "SOURCES.md").is_file() and len(list(DEV_CORPUS.glob("*.txt"))) == 9


@pytest.fixture(scope="module")
def dev_index(tmp_path_factory: pytest.TempPathFactory, e5: E5Embedder) -> Index:
    """The seed article and the development corpus (its SOURCES.md is documentation, not an article)."""
    index, report = Index.build(tmp_path_factory.mktemp("dev-index"), [SEED_DIR, *DEV_CORPUS.glob("*.txt")], e5)
    assert len(report.added) == 10 and not report.failures
    return index


def test_fresh_fact_set_holds_none_of_the_dev_questions() -> None:
    fresh, dev = load_factset(FRESH_FACTSET), load_factset(DEV_FACTSET)
    assert len(fresh) >= 30 and {f.language for f in fresh} == {"ko", "en"}
    assert sum(f.kind == "unanswerable" for f in fresh) >= 10 and sum(f.kind == "cross-lingual" for f in fresh) >= 10
    assert not {f.question for f in fresh} & {f.question for f in dev}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("factset", "thresholds"), [(DEV_FACTSET, THRESHOLDS), (FRESH_FACTSET, FRESH_THRESHOLDS)], ids=["dev", "fresh"]
)
def test_default_pipeline_stays_above_thresholds(
    dev_index: Index, qwen_config: Config, tmp_path: Path, factset: Path, thresholds: Path
) -> None:
    assistant = Assistant(dev_index, make_generator(qwen_config), qwen_config)
    run = run_eval(assistant, load_factset(factset), name=factset.stem)
    failures = check_thresholds(run.metrics, load_thresholds(thresholds))
    report = write_report(run, tmp_path, failures)
    assert not failures, f"{failures}; see {report}"
