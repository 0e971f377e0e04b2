"""Decoding on the real default model: bans (Chinese and kana the sources lack, an opening "["), repeat penalty."""

import pytest

from rag.config import Config
from rag.llamacpp import LlamaCppLLM


@pytest.fixture(scope="module")
def qwen(qwen_config: Config) -> LlamaCppLLM:
    return LlamaCppLLM(model_path=str(qwen_config.model_path), n_threads=qwen_config.threads)


def _token(llm: LlamaCppLLM, text: str) -> int:
    ids = llm._llama().tokenize(text.encode("utf-8"), add_bos=False, special=False)
    assert len(ids) == 1, f"{text!r} is {len(ids)} tokens"
    return ids[0]


@pytest.mark.slow
def test_chinese_is_banned_unless_a_source_has_it(qwen: LlamaCppLLM) -> None:
    plain = set(qwen._banned("자료: [1] 한국어 기사 본문").tolist())
    assert _token(qwen, "这") in plain and _token(qwen, "位") in plain
    assert _token(qwen, "한") not in plain and _token(qwen, "data") not in plain
    with_hanja = set(qwen._banned("자료: [1] ‘위상(位相)’ 물리학자").tolist())
    assert _token(qwen, "位") not in with_hanja and _token(qwen, "这") in with_hanja


@pytest.mark.slow
def test_a_reply_may_not_open_with_a_marker(qwen: LlamaCppLLM) -> None:
    openers = set(qwen._openers().tolist())
    assert _token(qwen, "[") in openers and _token(qwen, "The") not in openers
    out = qwen.complete("<|im_start|>user\nWrite [1].<|im_end|>\n<|im_start|>assistant\n", max_tokens=4).text
    assert not out.lstrip().startswith("[")


@pytest.mark.slow
def test_a_repeat_penalty_reaches_the_sampler(qwen: LlamaCppLLM) -> None:
    prompt = "<|im_start|>user\nWrite the word apple ten times, separated by spaces.<|im_end|>\n<|im_start|>assistant\n"
    plain = qwen.complete(prompt, max_tokens=24).text
    penalized = qwen.complete(prompt, max_tokens=24, repeat_penalty=1.5).text
    assert plain.lower().count("apple") == 10 and penalized != plain  # greedy: only the penalty changes it


@pytest.mark.slow
def test_a_sampled_reply_follows_its_seed(qwen: LlamaCppLLM) -> None:
    from rag.generation import LlamaIndexGenerator

    generator = LlamaIndexGenerator(qwen, "local")
    assert generator.samples
    messages = [("user", "Name one fruit. Reply with one word.")]
    drawn = {seed: "".join(generator.stream(messages, sample_seed=seed)) for seed in (1, 2, 3, 4, 5, 1)}
    again = "".join(generator.stream(messages, sample_seed=1))
    assert again == drawn[1]  # the same seed, the same reply: answers are reproducible
    greedy = {"".join(generator.stream(messages)) for _ in range(2)}
    assert len(greedy) == 1  # without a seed, greedy as before
    assert len(set(drawn.values())) > 1 or drawn[1] not in greedy  # with seeds it samples
