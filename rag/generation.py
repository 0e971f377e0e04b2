"""Text generation behind a small `Generator` protocol, built on llama-index's LLM interface.

Backends: `local` (llama.cpp through llama-cpp-python, default model Qwen2.5-Coder-1.5B-Instruct
GGUF, ChatML format with <|im_end|> as stop), `openai` (any OpenAI-compatible server) and
`ollama`. Any other llama-index LLM plugs in through `LlamaIndexGenerator(llm)`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from llama_index.core.base.llms.types import (
    ChatMessage,
    CompletionResponse,
    CompletionResponseGen,
    LLMMetadata,
)
from llama_index.core.llms import LLM, CustomLLM
from llama_index.core.llms.callbacks import llm_completion_callback
from pydantic import Field, PrivateAttr

from rag.config import Config
from rag.errors import BackendError, ConfigError, GisaError, ModelError
from rag.models import check_model

BACKENDS = ("local", "openai", "ollama")
CHATML_STOP = "<|im_end|>"


@runtime_checkable
class Generator(Protocol):
    """Streams a reply to chat messages given as (role, content) pairs."""

    @property
    def id(self) -> str:
        """Backend and model, for logs and reports."""
        ...

    def stream(self, messages: Sequence[tuple[str, str]]) -> Iterator[str]:
        """Yield the reply piece by piece."""
        ...

    def count_tokens(self, text: str) -> int:
        """Prompt size in the model's tokens (estimated where the backend cannot tell)."""
        ...


def chatml(messages: Sequence[ChatMessage]) -> str:
    """Format chat messages in ChatML, ending with an open assistant turn."""
    parts = [f"<|im_start|>{m.role.value}\n{m.content}<|im_end|>\n" for m in messages]
    return "".join(parts) + "<|im_start|>assistant\n"


class LlamaCppLLM(CustomLLM):
    """A llama-index LLM running a local GGUF model with llama-cpp-python (loaded on first use)."""

    model_path: str = Field(description="path to a GGUF file")
    n_ctx: int = Field(default=4096)
    n_threads: int = Field(default=2)
    temperature: float = Field(default=0.0)
    max_tokens: int = Field(default=256)
    seed: int = Field(default=0)
    _model: Any = PrivateAttr(default=None)
    _lock: Any = PrivateAttr(default_factory=threading.Lock)

    def __init__(self, **data: Any) -> None:
        super().__init__(messages_to_prompt=chatml, **data)

    @classmethod
    def class_name(cls) -> str:
        """Name llama-index uses when serialising."""
        return "GisaLlamaCpp"

    @property
    def metadata(self) -> LLMMetadata:
        """Context size, output budget and model name."""
        return LLMMetadata(context_window=self.n_ctx, num_output=self.max_tokens, model_name=self.model_path)

    def _llama(self) -> Any:
        if self._model is None:
            check_model(Path(self.model_path))
            from llama_cpp import Llama

            try:
                self._model = Llama(
                    model_path=self.model_path,
                    n_ctx=self.n_ctx,
                    n_threads=self.n_threads,
                    n_threads_batch=self.n_threads,
                    n_batch=512,
                    seed=self.seed,
                    verbose=False,
                )
            except (ValueError, RuntimeError) as exc:
                raise ModelError(f"llama.cpp could not load {self.model_path}: {exc}") from exc
        return self._model

    def count_tokens(self, text: str) -> int:
        """Tokens of `text` in this model's vocabulary."""
        return len(self._llama().tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def _params(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        return {
            "max_tokens": kwargs.get("max_tokens", self.max_tokens),
            "temperature": kwargs.get("temperature", self.temperature),
            "stop": [CHATML_STOP, "<|endoftext|>"],
            "seed": self.seed,
        }

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        """Generate the whole reply at once."""
        with self._lock:
            out = self._llama()(prompt, **self._params(kwargs))
        return CompletionResponse(text=out["choices"][0]["text"], raw=out)

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        """Generate the reply token by token."""

        def gen() -> CompletionResponseGen:
            text = ""
            with self._lock:
                for part in self._llama()(prompt, stream=True, **self._params(kwargs)):
                    delta = part["choices"][0]["text"]
                    text += delta
                    yield CompletionResponse(text=text, delta=delta, raw=part)

        return gen()


class LlamaIndexGenerator:
    """Adapts any llama-index `LLM` to the `Generator` protocol, turning backend failures into BackendError."""

    def __init__(self, llm: LLM, name: str, hint: str = "") -> None:
        self.llm = llm
        self.name = name
        self.hint = hint

    @property
    def id(self) -> str:
        return self.name

    def stream(self, messages: Sequence[tuple[str, str]]) -> Iterator[str]:
        """Stream the reply through `llm.stream_chat`."""
        chat = [ChatMessage(role=role, content=content) for role, content in messages]
        try:
            for part in self.llm.stream_chat(chat):
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


def make_generator(cfg: Config) -> Generator:
    """The generator the configuration asks for (nothing is loaded until the first call)."""
    if cfg.backend == "local":
        llm = LlamaCppLLM(
            model_path=str(cfg.model_path),
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
