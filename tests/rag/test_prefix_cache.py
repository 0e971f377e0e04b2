"""The persisted prompt-prefix cache: created, reused by a second process, invalidated (issue 16).

Checked by the prompt tokens llama.cpp actually prefilled, not by timing. SmolLM2 stands in for the
default model: the cache does not depend on which GGUF it holds.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from index import Index
from rag import prompts
from rag.assistant import Assistant
from rag.config import Config
from rag.generation import make_generator
from rag.prefix_cache import PrefixCache, PrefixState
from tests.samples import ROOT, smollm2_path

pytestmark = pytest.mark.slow

QUESTION = "H20 칩은 개당 얼마인가요?"
SECOND_PROCESS = """
import json, sys
from pathlib import Path
from index import Index
from rag.assistant import Assistant
from rag.config import Config
from rag.generation import make_generator
cfg = Config(model_path=Path(sys.argv[1]), prefix_cache_dir=Path(sys.argv[2]), max_tokens=8)
assistant = Assistant(Index.load(sys.argv[3]), make_generator(cfg), cfg)
assistant.warm_up()
t = assistant.ask(sys.argv[4]).timings
print(json.dumps({"prompt": t.prompt_tokens, "prefilled": t.prefilled_tokens}))
"""


def _config(model: Path, cache: Path) -> Config:
    return Config(model_path=model, prefix_cache_dir=cache, max_tokens=8)


def _files(cache: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in cache.glob("*.npz")}


def _second_process(model: Path, cache: Path, index: Index, question: str) -> dict[str, int]:
    out = subprocess.run(
        [sys.executable, "-c", SECOND_PROCESS, str(model), str(cache), str(index.directory), question],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_prefix_cache_is_created_reused_by_another_process_and_invalidated(tmp_path: Path, hash_index: Index) -> None:
    model, cache = smollm2_path(), tmp_path / "prefix-cache"
    cfg = _config(model, cache)
    first = Assistant(hash_index, make_generator(cfg), cfg)
    first.warm_up()
    created = _files(cache)
    # one state per language's prompt head, and the model's banned-token sets (read from its vocabulary once)
    assert len(created) == len(prompts.prompt_heads()) + 1

    # in this process, a question prefills only what follows the head
    warm = first.ask(QUESTION).timings
    heads = {lang: first.generator.count_tokens(text) for lang, text in _heads().items()}
    assert warm.prefilled_tokens <= warm.prompt_tokens - heads["ko"] + 2 < warm.prompt_tokens

    # a new process loads the states instead of prefilling the heads again
    other = _second_process(model, cache, hash_index, QUESTION)
    assert _files(cache) == created
    assert other["prefilled"] <= other["prompt"] - heads["ko"] + 2
    assert other["prefilled"] == warm.prefilled_tokens

    # a changed prompt gets its own state; the old ones are never used for it
    changed = dict(prompts.SYSTEM, ko=prompts.SYSTEM["ko"] + "\n짧게 답하세요.")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(prompts, "SYSTEM", changed)
        again = Assistant(hash_index, make_generator(cfg), cfg)
        again.warm_up()
    assert len(_files(cache)) == len(created) + 1

    # another model file (different bytes) gets states of its own
    other_model = tmp_path / "other.gguf"
    shutil.copyfile(model, other_model)
    with other_model.open("ab") as fh:
        fh.write(b"\0" * 32)
    Assistant(hash_index, make_generator(_config(other_model, cache)), cfg).warm_up()
    assert len(_files(cache)) == len(created) + 1 + len(prompts.prompt_heads()) + 1


def test_a_damaged_or_foreign_state_is_rebuilt(tmp_path: Path, hash_index: Index) -> None:
    cache = tmp_path / "prefix-cache"
    store = PrefixCache(cache)
    store.save("k", PrefixState((1, 2, 3), b"state", 0))
    assert store.load("k", (1, 2, 3)) == PrefixState((1, 2, 3), b"state", 0)
    assert store.load("k", (1, 2, 4)) is None and not store.path("k").exists()  # other tokens: removed
    store.path("k").write_bytes(b"not a numpy file")
    assert store.load("k", (1, 2, 3)) is None and not store.path("k").exists()
    # a damaged file in the real cache: warm-up rebuilds it and answers still work
    cfg = _config(smollm2_path(), cache)
    Assistant(hash_index, make_generator(cfg), cfg).warm_up()
    for path in cache.glob("*.npz"):
        path.write_bytes(path.read_bytes()[:100])
    assistant = Assistant(hash_index, make_generator(replace(cfg)), cfg)
    assistant.warm_up()
    assert assistant.ask(QUESTION).timings.prompt_tokens > 0


def _heads() -> dict[str, str]:
    from rag.llamacpp import chatml_head

    return {lang: chatml_head(h) for lang, h in zip(prompts.SYSTEM, prompts.prompt_heads(), strict=False)}
