"""Text generation behind a small `Generator` protocol, built on llama-index's LLM interface.

llama-index and the backends are imported only when a generator is made or first used.

Backends: `local` (llama.cpp through llama-cpp-python, default model Qwen2.5-Coder-1.5B-Instruct
GGUF, ChatML format with <|im_end|> as stop), `openai` (any OpenAI-compatible server) and
`ollama`. Any other llama-index LLM plugs in through `LlamaIndexGenerator(llm)`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from index.errors import ConfigError, GisaError
from rag.config import BACKENDS, Config
from rag.errors import BackendError

# The temperature of a sampled reply (rag/assistant.py draws a few after a refused greedy one and shows what
# two of them agree on). 0.7 is llama.cpp's own default; on the seed and dev sets' refused replies it gave
# answers that differ in wording but agree on their facts when right (README, "Answer quality").
SAMPLE_TEMPERATURE = 0.7

if TYPE_CHECKING:
    from llama_index.core.llms import LLM


@runtime_checkable
class Generator(Protocol):
    """Streams a reply to chat messages given as (role, content) pairs."""

    @property
    def id(self) -> str:
        """Backend and model, for logs and reports."""
        ...

    @property
    def samples(self) -> bool:
        """Whether `stream(…, sample_seed=n)` samples a reply instead of decoding the greedy one again."""
        ...

    def stream(
        self, messages: Sequence[tuple[str, str]], repeat_penalty: float = 1.0, sample_seed: int | None = None
    ) -> Iterator[str]:
        """Yield the reply piece by piece; a `repeat_penalty` above 1 discourages repeats where the backend can.

        With `sample_seed`, a backend that `samples` draws the reply at `SAMPLE_TEMPERATURE` with that seed.
        """
        ...

    def count_tokens(self, text: str) -> int:
        """Prompt size in the model's tokens (estimated where the backend cannot tell)."""
        ...

    def warm(self, prefixes: Sequence[Sequence[tuple[str, str]]]) -> None:
        """Load the model and prepare the fixed heads of prompts (a no-op where the backend cannot)."""
        ...

    def prompt_usage(self) -> tuple[int, int] | None:
        """(prompt tokens, tokens actually processed) of the last reply, the rest cached; None if unknown."""
        ...


class LlamaIndexGenerator:
    """Adapts any llama-index `LLM` to the `Generator` protocol, turning backend failures into BackendError."""

    def __init__(self, llm: LLM, name: str, hint: str = "") -> None:
        self.llm = llm
        self.name = name
        self.hint = hint

    @property
    def id(self) -> str:
        return self.name

    @property
    def samples(self) -> bool:
        """True for llama.cpp, whose sampler takes a temperature and seed per call; other backends decode greedily."""
        return bool(getattr(self.llm, "takes_sampler_options", False))

    def stream(
        self, messages: Sequence[tuple[str, str]], repeat_penalty: float = 1.0, sample_seed: int | None = None
    ) -> Iterator[str]:
        """Stream the reply through `llm.stream_chat` (penalty and sampling reach llama.cpp only; others ignore it)."""
        from llama_index.core.base.llms.types import ChatMessage

        chat = [ChatMessage(role=role, content=content) for role, content in messages]
        options: dict[str, float | int] = {}
        if self.samples:
            options["repeat_penalty"] = repeat_penalty
            if sample_seed is not None:
                options.update(temperature=SAMPLE_TEMPERATURE, seed=sample_seed)
        try:
            for part in self.llm.stream_chat(chat, **options):
                if part.delta:
                    yield part.delta
        except GisaError:
            raise
        except Exception as exc:  # any client library's network or server error, translated at this edge
            raise BackendError(f"generation backend {self.name} failed: {exc}. {self.hint}".strip()) from exc

    def count_tokens(self, text: str) -> int:
        """Exact for llama.cpp; about 2.5 characters a token elsewhere."""
        counter = getattr(self.llm, "count_tokens", None)
        return int(counter(text)) if counter else max(1, round(len(text) / 2.5))

    def warm(self, prefixes: Sequence[Sequence[tuple[str, str]]]) -> None:
        """Load a local model and its prompt-prefix states; remote backends need nothing."""
        warm = getattr(self.llm, "warm", None)
        if warm is not None:
            warm(prefixes)

    def prompt_usage(self) -> tuple[int, int] | None:
        """(prompt tokens, tokens prefilled) of the last reply from llama.cpp; None for backends that do not say."""
        last = getattr(self.llm, "last_prefill", None)
        return (int(last[0]), int(last[1])) if last else None


def close_stream(stream: Iterator[str]) -> None:
    """End a reply stream read only in part, so the model is free for the next request at once."""
    close = getattr(stream, "close", None)
    if close is not None:
        close()


def make_generator(cfg: Config) -> Generator:
    """The generator the configuration asks for (nothing is loaded until the first call)."""
    if cfg.backend == "local":
        from rag.llamacpp import LlamaCppLLM

        llm = LlamaCppLLM(
            model_path=str(cfg.model_path),
            prefix_cache_dir=str(cfg.prefix_cache_dir) if cfg.prefix_cache_dir else None,
            n_ctx=cfg.n_ctx,
            n_threads=cfg.threads,
            temperature=cfg.temperature,
            max_tokens=cfg.max_tokens,
        )
        return LlamaIndexGenerator(llm, f"local:{cfg.model_path.name}")
    if cfg.backend == "openai":
        from llama_index.llms.openai_like import OpenAILike

        llm = OpenAILike(
            model=cfg.openai_model,
            api_base=cfg.openai_url,
            api_key=cfg.openai_key or "not-needed",
            is_chat_model=True,
            context_window=cfg.n_ctx,
            temperature=cfg.temperature,
            max_tokens=cfg.max_tokens,
            timeout=cfg.request_timeout,
            max_retries=0,
        )
        hint = f"Is the OpenAI-compatible server running at {cfg.openai_url}? (GISA_OPENAI_URL, --openai-url)"
        return LlamaIndexGenerator(llm, f"openai:{cfg.openai_model}@{cfg.openai_url}", hint)
    if cfg.backend == "ollama":
        from llama_index.llms.ollama import Ollama

        llm = Ollama(
            model=cfg.ollama_model,
            base_url=cfg.ollama_url,
            request_timeout=cfg.request_timeout,
            temperature=cfg.temperature,
            context_window=cfg.n_ctx,
            additional_kwargs={"num_predict": cfg.max_tokens},
        )
        hint = f"Is Ollama running at {cfg.ollama_url} with model {cfg.ollama_model} pulled? (GISA_OLLAMA_URL)"
        return LlamaIndexGenerator(llm, f"ollama:{cfg.ollama_model}@{cfg.ollama_url}", hint)
    raise ConfigError(f"unknown backend {cfg.backend!r}: choose one of {', '.join(BACKENDS)} (GISA_BACKEND, --backend)")
