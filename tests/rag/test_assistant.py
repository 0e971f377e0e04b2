import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from index import Article, Index
from index.embedding import HashEmbedder
from index.errors import ConfigError, QueryError
from index.types import Byline
from rag.assistant import Assistant, _recite
from rag.config import Config
from rag.errors import BackendError, ModelError
from rag.generation import make_generator
from rag.types import Answer, SentenceCheck, SentenceStatus
from tests.samples import ScriptedGenerator, smollm2_path


def scripted(seed_index: Index, reply: str) -> tuple[Assistant, ScriptedGenerator]:
    generator = ScriptedGenerator(reply)
    return Assistant(seed_index, generator, Config()), generator


# ----- pipeline logic with a scripted generator (real index and retrieval) -----


def test_streams_tokens_then_a_verified_answer(hash_index: Index) -> None:
    seed_index = hash_index
    assistant, generator = scripted(seed_index, "H20은 개당 1만2000∼1만3000달러 수준입니다 [1].")
    events = list(assistant.stream("H20 칩은 개당 얼마인가요?"))
    assert all(isinstance(e, str) for e in events[:-1]) and len(events) > 3
    answer = events[-1]
    assert isinstance(answer, Answer)
    assert "".join(events[:-1]) == answer.raw_text
    assert answer.language == "ko" and not answer.abstained and answer.verified
    quote = answer.citations[0].quote
    assert "1만2000∼1만3000달러" in quote
    article = seed_index.article(answer.citations[0].doc_id)
    assert article.text[answer.citations[0].start : answer.citations[0].end] == quote
    system, user = generator.prompts[0]
    assert system[0] == "system" and "[1] " in user[1] and "질문: H20 칩은 개당 얼마인가요?" in user[1]
    t = answer.timings
    assert 0 < t.retrieval <= t.first_token <= t.total and t.prompt_tokens > 0


@pytest.mark.slow
def test_unsupported_number_turns_the_answer_into_an_abstention_with_sources(seed_index: Index) -> None:
    assistant, _ = scripted(seed_index, "The three companies spent 500 billion yuan [1].")
    answer = assistant.ask("What was the combined capex of Alibaba, Tencent and Baidu?")
    assert answer.abstained and not answer.verified
    assert answer.text.startswith("The articles do not answer")
    assert answer.passages and answer.sentences[0].missing == ("500 billion yuan",)


@pytest.mark.slow
def test_invalid_markers_are_removed_and_model_abstention_is_honoured(seed_index: Index) -> None:
    assistant, _ = scripted(seed_index, "They spent 50 billion yuan [1][9].")
    answer = assistant.ask("What was the combined capex of Alibaba, Tencent and Baidu?")
    assert answer.removed_markers == 1 and "[9]" not in answer.text and answer.verified
    for reply in ("NO_ANSWER", "기사에 나와 있지 않습니다."):
        assistant, _ = scripted(seed_index, reply)
        answer = assistant.ask("H100 칩 한 개의 가격은?")
        assert answer.abstained and answer.text == "기사에 나와 있지 않습니다."
    assistant, _ = scripted(seed_index, "[2]")  # a bare marker says nothing: the closest passages are shown
    answer = assistant.ask("H100 칩 한 개의 가격은?")
    assert answer.abstained and answer.flaw == "empty" and answer.passages


def test_language_override_and_bad_questions(hash_index: Index) -> None:
    assistant, generator = scripted(hash_index, "NO_ANSWER")
    assert assistant.ask("H20 가격은?", lang="en").language == "en"
    assert "Question: H20 가격은?" in generator.prompts[-1][1][1]
    with pytest.raises(QueryError, match="empty"):
        assistant.ask(" \n ")
    with pytest.raises(QueryError, match="limit"):
        assistant.ask("x" * 3000)
    with pytest.raises(ConfigError, match="ko, en"):
        assistant.ask("H20?", lang="fr")


# ----- real models -----


@pytest.mark.slow
def test_qwen_answers_korean_question_with_verified_citation(qwen_assistant: Assistant) -> None:
    answer = qwen_assistant.ask("데릭 오씨가 호주 데이터센터에 갖춘 서버는 몇 대인가요?")
    assert not answer.abstained and answer.verified and answer.language == "ko"
    assert "300" in answer.text and "[" in answer.text
    assert any("300여대의 서버" in c.quote and c.verified for c in answer.citations)


@pytest.mark.slow
def test_qwen_answers_english_question_in_english_with_normalised_amount(qwen_assistant: Assistant) -> None:
    answer = qwen_assistant.ask("What was the combined first-half capital expenditure of Alibaba, Tencent and Baidu?")
    assert not answer.abstained and answer.verified and answer.language == "en"
    assert "50 billion yuan" in answer.text and "500 billion" not in answer.text
    assert any("500억 위안" in c.quote for c in answer.citations)


@pytest.mark.slow
def test_qwen_abstains_on_h100_price(qwen_assistant: Assistant) -> None:
    # the article gives the H20's price, not the H100's
    answer = qwen_assistant.ask("H100 칩 한 개의 가격은?")
    assert answer.abstained and answer.language == "ko" and not answer.citations
    assert answer.text.startswith("기사")


@pytest.mark.slow
def test_smollm2_runs_through_the_same_local_backend(seed_index: Index, qwen_config: Config) -> None:
    cfg = replace(qwen_config, model_path=smollm2_path(), max_tokens=40)
    generator = make_generator(cfg)
    assert generator.id == "local:SmolLM2-135M-Instruct.Q4_1.gguf"
    answer = Assistant(seed_index, generator, cfg).ask("How much does an H20 chip cost?")
    assert answer.raw_text.strip() and answer.timings.prompt_tokens > 100


def test_missing_model_says_how_to_fetch_it(hash_index: Index, tmp_path: Path) -> None:
    cfg = Config(model_path=tmp_path / "none.gguf")
    with pytest.raises(ModelError, match="gisa models fetch"):
        Assistant(hash_index, make_generator(cfg), cfg).ask("H20 가격은?")


def test_unreachable_openai_server_is_a_clear_error(hash_index: Index) -> None:
    cfg = Config(backend="openai", openai_url="http://127.0.0.1:9/v1", request_timeout=5)
    with pytest.raises(BackendError, match=r"127\.0\.0\.1:9.*GISA_OPENAI_URL"):
        Assistant(hash_index, make_generator(cfg), cfg).ask("H20 가격은?")


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(ConfigError, match="local, openai, ollama"):
        make_generator(Config(backend="gpt"))


# ----- a real OpenAI-compatible server (llama_cpp.server) on loopback -----


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def openai_server(qwen_config: Config) -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(qwen_config.model_path),
            "--model_alias",
            "qwen",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "4096",
            "--n_threads",
            "2",
            "--chat_format",
            "chatml",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/models", timeout=1)
                break
            except OSError:
                assert proc.poll() is None, "llama_cpp.server exited"
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        proc.wait(30)


@pytest.mark.slow
def test_openai_backend_against_llama_cpp_server(seed_index: Index, qwen_config: Config, openai_server: str) -> None:
    cfg = replace(qwen_config, backend="openai", openai_url=openai_server, openai_model="qwen")
    generator = make_generator(cfg)
    events = list(Assistant(seed_index, generator, cfg).stream("H20 칩은 개당 얼마인가요?"))
    answer = events[-1]
    assert isinstance(answer, Answer) and len(events) > 3  # streamed over HTTP
    assert not answer.abstained and answer.verified
    assert any("1만2000∼1만3000달러" in c.quote for c in answer.citations)


@pytest.mark.slow
def test_a_stream_may_be_resumed_from_other_threads(hash_index: Index, qwen_config: Config) -> None:
    # the chat's web server resumes a streaming answer from whichever worker thread is free
    import threading

    cfg = replace(qwen_config, model_path=smollm2_path(), max_tokens=12)
    assistant = Assistant(hash_index, make_generator(cfg), cfg)
    events = assistant.stream("H20 칩은 개당 얼마인가요?")
    got: list[object] = []
    while not got or not isinstance(got[-1], Answer):
        worker = threading.Thread(target=lambda: got.append(next(events)))
        worker.start()
        worker.join(60)
    again = assistant.ask("H20 가격은?")  # the model is free again
    assert again.raw_text.strip()


def test_citations_carry_the_article_byline_and_the_prompt_its_date(tmp_path: Path, hashed: HashEmbedder) -> None:
    index = Index.load(tmp_path / "idx", hashed, create=True)
    text = "Lander reaches the Moon\nThe Odysseus lander launched from Kennedy Space Center on February 15."
    index.add(
        [
            Article(
                "odysseus",
                "Lander reaches the Moon",
                text,
                "en",
                outlet="The White House",
                published="2024-02-24",
                url="https://www.whitehouse.gov/x",
            )
        ]
    )
    assistant = Assistant(index, ScriptedGenerator("It launched on February 15 [1]."), Config(self_check=False))
    answer = assistant.ask("When did the Odysseus lander launch?")
    (citation,) = answer.citations
    assert citation.byline == Byline("The White House", "", "2024-02-24", "https://www.whitehouse.gov/x")
    assert answer.to_json()["citations"][0]["byline"]["url"] == "https://www.whitehouse.gov/x"
    assert "(published 2024-02-24)" in assistant.generator.prompts[0][-1][1]


def test_moved_markers_take_the_commas_between_them_along() -> None:
    text = "According to sources [1], [2], [3], and [4], Chinese AI companies use the H100."
    check = SentenceCheck(text, (1, 2), SentenceStatus.UNCHECKABLE, corrected=True)
    assert _recite(text, (check,)) == "According to sources, Chinese AI companies use the H100 [1][2]."
    korean = "알리바바는 123% 늘었다 [1], [2]."
    check = SentenceCheck(korean, (2,), SentenceStatus.VERIFIED, corrected=True)
    assert _recite(korean, (check,)) == "알리바바는 123% 늘었다 [2]."
