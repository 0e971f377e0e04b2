"""All configuration: one dataclass, read from the environment in one function."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal, get_args

from index.chunk_store import StoreSpec
from index.chunking import ChunkingConfig
from index.errors import ConfigError
from index.limits import DEFAULT_MAX_QUERY_CHARS

Backend = Literal["local", "openai", "ollama"]
BACKENDS: tuple[Backend, ...] = get_args(Backend)
# auto: fuse BM25 for Korean questions only (measured in bench/results/retrieval.txt, see rag/retrieval.py)
BM25Mode = Literal["auto", "always", "never"]
BM25_MODES: tuple[BM25Mode, ...] = get_args(BM25Mode)
# Evidence sentences put in the prompt: recall 0.95 at ~425 characters on the seed set
# (bench/retrieval.py, bench/results/retrieval.txt).
EVIDENCE_SENTENCES = 5

# How a follow-up becomes a standalone question (rag/followup.py): the rule, then the generator where the
# rule cannot tell; the rule alone; the generator alone; or not at all.
FollowUpMode = Literal["rule+llm", "rule", "llm", "off"]
FOLLOWUP_MODES: tuple[FollowUpMode, ...] = get_args(FollowUpMode)


@dataclass(frozen=True)
class Config:
    """Settings for every gisa entry point; build it with `from_env` or directly in code."""

    index_dir: Path = Path(".gisa/index")
    store: str = "faiss"  # GISA_STORE: faiss, milvus:PATH.db or milvus://HOST:PORT[/NAME] (index/chunk_store.py)
    embedder: str | None = None  # None: the index's own embedder, or e5 for a new index
    threads: int = 2
    chunking: ChunkingConfig | None = None  # None: the index's own chunking, or the defaults for a new index
    top_k: int = 5
    max_query_chars: int = DEFAULT_MAX_QUERY_CHARS
    progress: bool = True
    bm25: BM25Mode = "auto"
    evidence_sentences: int = EVIDENCE_SENTENCES
    backend: Backend = "local"
    model_path: Path = field(default_factory=lambda: default_model_path({}))
    n_ctx: int = 4096
    temperature: float = 0.0
    max_tokens: int = 256
    openai_url: str = "http://127.0.0.1:8000/v1"
    openai_model: str = "local"
    openai_key: str = ""
    ollama_url: str = "http://127.0.0.1:11434"
    ollama_model: str = "qwen2.5:1.5b"
    request_timeout: float = 120.0
    prefix_cache_dir: Path | None = None  # llama.cpp states of the prompt heads; None: kept in RAM only
    self_check: bool = True  # ask the model to confirm an answer that has no checkable figure
    followup: FollowUpMode = "rule+llm"  # how follow-ups become standalone questions (rag/followup.py)

    def __post_init__(self) -> None:
        StoreSpec.parse(self.store)  # raises ConfigError naming the accepted forms
        if self.threads < 1:
            raise ConfigError("GISA_THREADS must be a positive integer")
        if self.top_k < 1:
            raise ConfigError("top-k must be at least 1 (GISA_TOP_K)")
        if self.bm25 not in BM25_MODES:
            raise ConfigError(f"GISA_BM25 must be one of {', '.join(BM25_MODES)}, got {self.bm25!r}")
        if self.backend not in BACKENDS:
            raise ConfigError(
                f"unknown backend {self.backend!r}: choose one of {', '.join(BACKENDS)} (GISA_BACKEND, --backend)"
            )
        if self.followup not in FOLLOWUP_MODES:
            raise ConfigError(f"GISA_FOLLOWUP must be one of {', '.join(FOLLOWUP_MODES)}, got {self.followup!r}")
        if self.evidence_sentences < 1:
            raise ConfigError("GISA_EVIDENCE_SENTENCES must be at least 1")
        if not 0.0 <= self.temperature <= 2.0:
            raise ConfigError("temperature must be between 0 and 2 (GISA_TEMPERATURE)")
        if self.max_tokens < 1 or self.n_ctx < 256:
            raise ConfigError("GISA_MAX_TOKENS must be >= 1 and GISA_N_CTX >= 256")
        if self.embedder is not None and not self.embedder.strip():
            raise ConfigError("GISA_EMBEDDER is empty: use e5, use or st:<model name or path>")

    def with_(self, **changes: object) -> Config:
        """Return a copy with some fields changed (None values are ignored)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None


def default_model_path(env: Mapping[str, str]) -> Path:
    """Where `gisa models fetch` puts the default GGUF: $GISA_MODEL_DIR or $XDG_CACHE_HOME/gisa/models."""
    cache = Path(env.get("XDG_CACHE_HOME") or Path(env.get("HOME") or Path.home()) / ".cache")
    folder = Path(env["GISA_MODEL_DIR"]) if env.get("GISA_MODEL_DIR") else cache / "gisa" / "models"
    return folder / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"


def from_env(env: Mapping[str, str] | None = None) -> Config:
    """Read the configuration from environment variables (GISA_*), with defaults."""
    env = os.environ if env is None else env
    chunking = None
    if any(env.get(name) for name in ("GISA_CHUNK_SENTENCES", "GISA_CHUNK_OVERLAP", "GISA_CHUNK_MAX_CHARS")):
        chunking = ChunkingConfig(
            sentences=_int(env, "GISA_CHUNK_SENTENCES", ChunkingConfig.sentences),
            overlap=_int(env, "GISA_CHUNK_OVERLAP", ChunkingConfig.overlap),
            max_chars=_int(env, "GISA_CHUNK_MAX_CHARS", ChunkingConfig.max_chars),
        )
    return Config(
        index_dir=Path(env.get("GISA_INDEX") or Config.index_dir),
        store=env.get("GISA_STORE") or Config.store,
        embedder=env.get("GISA_EMBEDDER") or None,
        threads=_int(env, "GISA_THREADS", min(os.cpu_count() or 2, 8)),
        chunking=chunking,
        top_k=_int(env, "GISA_TOP_K", Config.top_k),
        max_query_chars=_int(env, "GISA_MAX_QUERY_CHARS", Config.max_query_chars),
        progress=env.get("GISA_PROGRESS", "1") not in ("0", "false", "no"),
        bm25=env.get("GISA_BM25") or Config.bm25,  # type: ignore[arg-type]  # checked in __post_init__
        evidence_sentences=_int(env, "GISA_EVIDENCE_SENTENCES", Config.evidence_sentences),
        backend=env.get("GISA_BACKEND") or Config.backend,  # type: ignore[arg-type]  # checked in __post_init__
        model_path=Path(env["GISA_MODEL"]).expanduser() if env.get("GISA_MODEL") else default_model_path(env),
        n_ctx=_int(env, "GISA_N_CTX", Config.n_ctx),
        temperature=_float(env, "GISA_TEMPERATURE", Config.temperature),
        max_tokens=_int(env, "GISA_MAX_TOKENS", Config.max_tokens),
        openai_url=env.get("GISA_OPENAI_URL") or Config.openai_url,
        openai_model=env.get("GISA_OPENAI_MODEL") or Config.openai_model,
        openai_key=env.get("GISA_OPENAI_API_KEY") or "",
        ollama_url=env.get("GISA_OLLAMA_URL") or Config.ollama_url,
        ollama_model=env.get("GISA_OLLAMA_MODEL") or Config.ollama_model,
        request_timeout=_float(env, "GISA_REQUEST_TIMEOUT", Config.request_timeout),
        prefix_cache_dir=None if env.get("GISA_PREFIX_CACHE", "1") in ("0", "false", "no") else _prefix_dir(env),
        self_check=env.get("GISA_SELF_CHECK", "1") not in ("0", "false", "no"),
        followup=env.get("GISA_FOLLOWUP", "rule+llm"),  # type: ignore[arg-type]  (checked in __post_init__)
    )


def _prefix_dir(env: Mapping[str, str]) -> Path:
    """The prefix cache lives beside the models: $GISA_MODEL_DIR (or the cache folder)/prefix-cache."""
    return default_model_path(env).parent / "prefix-cache"
