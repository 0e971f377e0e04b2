import json
from pathlib import Path

import pytest

from evals.factset import Fact, FactSetError, load_factset
from evals.harness import EvalRun, check_thresholds, run_eval
from evals.report import write_report
from index import Index
from rag.assistant import Assistant
from rag.config import Config
from tests.samples import SEED_ID, ScriptedGenerator

CAPEX = Fact(
    id="capex",
    question="What was the combined first-half capital expenditure of Alibaba, Tencent and Baidu?",
    language="en",
    kind="cross-lingual",
    expected=["500억 위안"],
    evidence="알리바바·텐센트·바이두의 지난 상반기 설비투자 합계는 500억 위안(약 9조3000억원)",
    doc_id=SEED_ID,
)
H100 = Fact(id="h100", question="H100 칩 한 개의 가격은?", language="ko", kind="unanswerable")


def evaluate(seed_index: Index, reply: str, facts: list[Fact], by_question: dict[str, str] | None = None) -> EvalRun:
    return run_eval(Assistant(seed_index, ScriptedGenerator(reply, by_question), Config()), facts, name="t")


pytestmark = pytest.mark.slow


def test_wrong_number_fails(seed_index: Index) -> None:
    run = evaluate(seed_index, "The three companies spent 23 billion yuan [1].", [CAPEX])
    assert not run.results[0].correct and run.metrics["overall"]["correct"] == 0


def test_right_answer_in_the_other_languages_numerals_passes(seed_index: Index) -> None:
    run = evaluate(seed_index, "Together they spent 50 billion yuan [1].", [CAPEX])
    result = run.results[0]
    assert result.correct and result.language_ok and result.cites_evidence
    assert result.evidence_rank in (1, 2, 3) and result.precise_citations == result.citations == 1
    assert run.metrics["overall"]["citation_precision"] == 1.0


def test_abstaining_on_an_answerable_question_is_a_miss_and_on_an_unanswerable_a_hit(seed_index: Index) -> None:
    run = evaluate(seed_index, "NO_ANSWER", [CAPEX, H100])
    by_id = {r.id: r for r in run.results}
    assert not by_id["capex"].correct and by_id["h100"].correct
    overall = run.metrics["overall"]
    assert overall["abstention_recall"] == 1.0 and overall["abstention_precision"] == 0.5
    assert run.metrics["kind:cross-lingual"]["answer_correct"] == 0.0


def test_wrong_language_is_counted(seed_index: Index) -> None:
    run = evaluate(seed_index, "세 회사의 설비투자 합계는 500억 위안입니다 [1].", [CAPEX])
    assert run.results[0].correct and not run.results[0].language_ok


def test_report_compares_with_previous_run_and_thresholds_fail(seed_index: Index, tmp_path: Path) -> None:
    first = evaluate(seed_index, "NO_ANSWER", [CAPEX, H100])
    write_report(first, tmp_path)
    # now the capex answer is right, and the H100 question gets an (unverifiable) answer instead of NO_ANSWER
    second = evaluate(seed_index, "They spent 50 billion yuan [1].", [CAPEX, H100], {"H100": "H100은 비싸다 [1]."})
    limits = {"overall.correct": 0.9, "lang:en.hit@3": 0.5, "max overall.wrong_verified": 0}
    failures = check_thresholds(second.metrics, limits)
    assert (
        failures[0] == "overall.correct = 0.5 < 0.9"
        and len(failures) == 1 + second.metrics["overall"]["wrong_verified"]
    )
    assert check_thresholds(second.metrics, {"max overall.mixed_script": 0}) == []
    report = write_report(second, tmp_path, failures).read_text(encoding="utf-8")
    assert "Got better (1): capex" in report and "Got worse (1): h100" in report
    assert report.index("❌") < report.index("✅")  # failures first
    assert "Below thresholds" in report and (tmp_path / "scores.svg").read_text().startswith("<svg")
    assert json.loads((tmp_path / "previous.json").read_text())["results"][0]["id"] == "capex"
    assert "| unanswerable, answered (1) | h100 |" in report


def test_report_counts_refused_answers_by_the_flaw_that_refused_them(seed_index: Index, tmp_path: Path) -> None:
    run = evaluate(seed_index, "NO_ANSWER", [CAPEX, H100])
    capex = run.results[0]
    assert capex.reply == "NO_ANSWER" and capex.flaw == "says-no-answer"
    report = write_report(run, tmp_path).read_text(encoding="utf-8")
    assert "| answerable, refused: says-no-answer (1) | capex |" in report
    assert "(abstained: says-no-answer)" in report and "h100 |" not in report.split("## Questions")[0]


def test_fact_set_validation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "question": "q", "language": "fr", "kind": "fact"}\n', encoding="utf-8")
    with pytest.raises(FactSetError, match=r"bad.jsonl:1: language"):
        load_factset(bad)
    bad.write_text('{"id": "a", "question": "q", "language": "ko", "kind": "number"}\n', encoding="utf-8")
    with pytest.raises(FactSetError, match="needs expected facts"):
        load_factset(bad)
    with pytest.raises(FactSetError, match="cannot read"):
        load_factset(tmp_path / "missing.jsonl")
    also = '{"id": "a", "question": "q", "language": "ko", "kind": "fact", "expected": ["x"], "evidence": "e", '
    bad.write_text(also + '"doc_id": "d", "also_evidence": ["e2"]}\n', encoding="utf-8")
    with pytest.raises(FactSetError, match="also_evidence must be"):
        load_factset(bad)


SERVERS = Fact(
    id="servers",
    question="데릭 오씨의 호주 서버와 조지프 체 씨가 말한 캘리포니아 데이터센터의 서버를 합치면 몇 대인가요?",
    language="ko",
    kind="multi-hop",
    expected=["700"],
    evidence="지난 6월 호주의 한 데이터센터에 300여대의 서버를 갖췄고",
    doc_id=SEED_ID,
)


def test_a_multi_hop_answer_citing_both_passages_it_needs_is_precise(seed_index: Index) -> None:
    reply = "데릭 오: 300여대 [1]\n조지프 체: 400대 이상 [2]"
    other = {"doc_id": SEED_ID, "text": "H100 칩을 활용하는 서버가 400대 이상 갖춰진 미국 캘리포니아 내 데이터센터"}
    both = Fact(**{**SERVERS.__dict__, "id": "both", "also_evidence": [other]})
    run = evaluate(seed_index, reply, [SERVERS, both])
    one, two = run.results
    assert one.correct and two.correct and one.citations == two.citations == 2
    assert one.precise_citations == 1 and two.precise_citations == 2  # the 400대 passage is evidence only if named


def test_evidence_must_be_in_the_indexed_article(seed_index: Index) -> None:
    wrong = Fact("x", "q?", "ko", "fact", ["a"], "이 문장은 기사에 없다", SEED_ID)
    with pytest.raises(FactSetError, match="evidence text is not in article"):
        evaluate(seed_index, "NO_ANSWER", [wrong])
    missing = Fact("y", "q?", "ko", "fact", ["a"], "x", "other-doc")
    with pytest.raises(FactSetError, match="ingest it first"):
        evaluate(seed_index, "NO_ANSWER", [missing])
