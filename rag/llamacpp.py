"""`LlamaCppLLM`: a llama-index LLM over a local GGUF model with llama-cpp-python (ChatML prompts)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from llama_index.core.base.llms.types import (
    ChatMessage,
    CompletionResponse,
    CompletionResponseGen,
    LLMMetadata,
)
from llama_index.core.llms import CustomLLM
from llama_index.core.llms.callbacks import llm_completion_callback
from pydantic import Field, PrivateAttr

from rag.errors import ModelError
from rag.models import check_model

CHATML_STOP = "<|im_end|>"


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
