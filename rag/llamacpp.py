"""`LlamaCppLLM`: a llama-index LLM over a local GGUF model with llama-cpp-python (ChatML prompts)."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
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
from rag.prefix_cache import PrefixCache, PrefixState, cache_key, model_sha256
from rag.replies import FOREIGN

CHATML_STOP = "<|im_end|>"
N_BATCH = 512
# UTF-8 lead bytes of CJK ideographs (U+4000-U+9FFF) and of kana (U+3040-U+30FF). Qwen slips Chinese
# words into Korean answers ("…Staged这三个状态로"); tokens spelling them are banned unless a source has them.
FOREIGN_BYTES = re.compile(rb"[\xe4-\xe9]|\xe3[\x81-\x83]")

log = logging.getLogger(__name__)


def _llama_cpp_version() -> str:
    import llama_cpp

    return str(getattr(llama_cpp, "__version__", "unknown"))


def chatml(messages: Sequence[ChatMessage]) -> str:
    """Format chat messages in ChatML, ending with an open assistant turn."""
    parts = [f"<|im_start|>{m.role.value}\n{m.content}<|im_end|>\n" for m in messages]
    return "".join(parts) + "<|im_start|>assistant\n"


def chatml_head(messages: Sequence[tuple[str, str]]) -> str:
    """The ChatML text every prompt with these opening messages starts with; the last one is left open."""
    *closed, (role, head) = messages
    parts = [f"<|im_start|>{r}\n{content}<|im_end|>\n" for r, content in closed]
    return "".join(parts) + f"<|im_start|>{role}\n{head}"


def common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    """How many leading tokens two sequences share."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


class LlamaCppLLM(CustomLLM):
    """A llama-index LLM running a local GGUF model with llama-cpp-python (loaded on first use)."""

    takes_sampler_options: ClassVar[bool] = True  # `repeat_penalty=`, `temperature=`, `seed=` reach the sampler
    model_path: str = Field(description="path to a GGUF file")
    n_ctx: int = Field(default=4096)
    n_threads: int = Field(default=2)
    temperature: float = Field(default=0.0)
    max_tokens: int = Field(default=256)
    seed: int = Field(default=0)
    prefix_cache_dir: str | None = Field(default=None, description="where prefix states persist; None: RAM only")
    _model: Any = PrivateAttr(default=None)
    _lock: Any = PrivateAttr(default_factory=threading.Lock)  # a Lock: a stream may resume in another thread
    _prefixes: list[PrefixState] = PrivateAttr(default_factory=list)
    _last: tuple[int, int] = PrivateAttr(default=(0, 0))  # (prompt tokens, tokens prefilled) of the last call
    _foreign: Any = PrivateAttr(default=None)  # [(token id, its text)] of tokens that spell Chinese or kana
    _brackets: Any = PrivateAttr(default=None)  # ids of tokens that start with "["
    _all_foreign: Any = PrivateAttr(default=None)  # the ids of `_foreign`, banned whole when no source has any

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
                    n_batch=N_BATCH,
                    seed=self.seed,
                    verbose=False,
                )
            except (ValueError, RuntimeError) as exc:
                raise ModelError(f"llama.cpp could not load {self.model_path}: {exc}") from exc
        return self._model

    def count_tokens(self, text: str) -> int:
        """Tokens of `text` in this model's vocabulary."""
        return len(self._llama().tokenize(text.encode("utf-8"), add_bos=False, special=True))

    @property
    def last_prefill(self) -> tuple[int, int]:
        """(prompt tokens, tokens actually prefilled) of the last completion; the rest came from cache."""
        return self._last

    def _tokens(self, text: str) -> tuple[int, ...]:
        # as llama.cpp tokenizes a string prompt: BOS only where the model wants one, special tokens parsed
        return tuple(self._llama().tokenize(text.encode("utf-8"), add_bos=True, special=True))

    def warm(self, prefixes: Sequence[Sequence[tuple[str, str]]]) -> None:
        """Load the model and a state for each prompt head: from the prefix cache, or prefilled and saved."""
        from llama_cpp import LlamaState

        with self._lock:
            llama = self._llama()
            cache = PrefixCache(Path(self.prefix_cache_dir)) if self.prefix_cache_dir else None
            settings = {"n_ctx": self.n_ctx, "n_batch": N_BATCH, "llama_cpp": _llama_cpp_version()}
            model_hash = model_sha256(Path(self.model_path)) if cache else ""
            for messages in prefixes:
                head = chatml_head(messages)
                tokens = self._tokens(head)
                if any(p.tokens == tokens for p in self._prefixes):
                    continue
                key = cache_key(model_hash, head, settings)
                state = cache.load(key, tokens) if cache else None
                if state is None:
                    llama.reset()
                    llama.eval(list(tokens))
                    saved: LlamaState = llama.save_state()
                    state = PrefixState(tokens, saved.llama_state, saved.seed)
                    if cache:
                        cache.save(key, state)
                    log.info("prefix of %d tokens prefilled%s", len(tokens), " and cached" if cache else "")
                self._prefixes.append(state)
            self._token_sets(cache, cache_key(model_hash, "token-sets", settings) if cache else "")
            if self._prefixes and llama.n_tokens == 0:
                # states came from disk, so no weight has been read yet: one decode pages the model in now
                llama.eval(list(self._prefixes[0].tokens[:1]))

    def _prepare(self, prompt: str) -> list[int]:
        """The prompt's tokens, with the llama.cpp state set to the longest cached prefix of them."""
        from llama_cpp import LlamaState

        llama = self._llama()
        tokens = self._tokens(prompt)
        reused = common_prefix(llama.input_ids[: llama.n_tokens].tolist(), tokens)
        best = max(self._prefixes, key=lambda p: common_prefix(p.tokens, tokens), default=None)
        shared = common_prefix(best.tokens, tokens) if best is not None else 0
        if best is not None and shared > reused:  # llama.cpp drops the state past `shared` before decoding
            scores = np.zeros((1, llama.n_vocab()), dtype=np.single)  # logits are recomputed by the next decode
            input_ids = np.zeros(llama.n_ctx(), dtype=np.intc)  # llama-cpp-python keeps one slot per context token
            input_ids[: len(best.tokens)] = best.tokens
            llama.load_state(
                LlamaState(
                    input_ids,
                    scores,
                    len(best.tokens),
                    best.state,
                    len(best.state),
                    best.seed,
                )
            )
            reused = shared
        reused = min(reused, len(tokens) - 1)  # llama.cpp always decodes at least the last token
        self._last = (len(tokens), len(tokens) - reused)
        return list(tokens)

    def _token_sets(self, cache: PrefixCache | None, key: str) -> None:
        """Find the banned-token sets once per model: from the cache, or by reading the vocabulary (about 2 s)."""
        stored = cache.load_arrays(key, ("foreign", "foreign_text", "openers")) if cache else None
        if stored is not None:
            self._foreign = list(zip(stored["foreign"].tolist(), stored["foreign_text"].tolist(), strict=True))
            self._brackets = stored["openers"]
            return
        foreign, openers = self._foreign_tokens(), self._openers()
        if cache:
            cache.save_arrays(
                key,
                foreign=np.array([t for t, _ in foreign], dtype=np.int32),
                foreign_text=np.array([text for _, text in foreign], dtype=str),
                openers=openers,
            )

    def _foreign_tokens(self) -> list[tuple[int, str]]:
        """Every vocabulary token that spells (part of) a Chinese character or kana, found once per model."""
        if self._foreign is None:
            llama = self._llama()
            found = []
            for token in range(llama.n_vocab()):
                piece = llama.detokenize([token])
                if FOREIGN_BYTES.search(piece):
                    found.append((token, piece.decode("utf-8", errors="ignore")))
            self._foreign = found
        return self._foreign

    def _banned(self, prompt: str) -> np.ndarray:
        """Tokens the reply may not use: Chinese characters and kana that the prompt (its sources) lacks."""
        allowed = set(FOREIGN.findall(prompt))
        if not allowed:  # the usual case: the same array for every prompt
            if self._all_foreign is None:
                self._all_foreign = np.array([t for t, _ in self._foreign_tokens()], dtype=np.intc)
            return self._all_foreign
        return np.array(
            [t for t, text in self._foreign_tokens() if not set(FOREIGN.findall(text)) <= allowed], dtype=np.intc
        )

    def _openers(self) -> np.ndarray:
        """Tokens that start with "[": a reply may not open with a citation marker (the 1.5B model's bare "[1]")."""
        if self._brackets is None:
            llama = self._llama()
            self._brackets = np.array(
                [t for t in range(llama.n_vocab()) if llama.detokenize([t]).lstrip().startswith(b"[")], dtype=np.intc
            )
        return self._brackets

    def _params(self, kwargs: dict[str, Any], prompt: str, prompt_tokens: int) -> dict[str, Any]:
        from llama_cpp import LogitsProcessorList

        banned = self._banned(prompt)
        openers = self._openers()

        def ban(input_ids: np.ndarray, scores: np.ndarray) -> np.ndarray:
            scores[banned] = -np.inf
            if len(input_ids) <= prompt_tokens:
                scores[openers] = -np.inf
            return scores

        return {
            "max_tokens": kwargs.get("max_tokens", self.max_tokens),
            "temperature": kwargs.get("temperature", self.temperature),
            "stop": [CHATML_STOP, "<|endoftext|>"],
            "seed": kwargs.get("seed", self.seed),
            "repeat_penalty": kwargs.get("repeat_penalty", 1.0),  # 1.0: none, llama.cpp's default
            "logits_processor": LogitsProcessorList([ban]),
        }

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        """Generate the whole reply at once."""
        with self._lock:
            tokens = self._prepare(prompt)
            out = self._llama()(tokens, **self._params(kwargs, prompt, len(tokens)))
        return CompletionResponse(text=out["choices"][0]["text"], raw=out)

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        """Generate the reply token by token."""

        def gen() -> CompletionResponseGen:
            text = ""
            with self._lock:
                tokens = self._prepare(prompt)
                for part in self._llama()(tokens, stream=True, **self._params(kwargs, prompt, len(tokens))):
                    delta = part["choices"][0]["text"]
                    text += delta
                    yield CompletionResponse(text=text, delta=delta, raw=part)

        return gen()
