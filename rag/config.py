"""All configuration: one dataclass, read from the environment in one function."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from rag.errors import ConfigError


@dataclass(frozen=True)
class ChunkingConfig:
    """How articles are cut into retrievable chunks (sentence windows).

    Defaults measured with bench/chunking.py on the seed fact set (results in bench/results/chunking.txt):
    3-sentence windows kept hit@3 at 0.95 with ~200-character chunks, while 4+ sentences lost
    evidence within an 800-character prompt budget and 1-sentence chunks lost English hit@3.
    """

    sentences: int = 3
    overlap: int = 1
    max_chars: int = 500

    def __post_init__(self) -> None:
        if self.sentences < 1:
            raise ConfigError("chunk size must be at least 1 sentence (GISA_CHUNK_SENTENCES)")
        if not 0 <= self.overlap < self.sentences:
            raise ConfigError(
                "chunk overlap must be >= 0 and smaller than the chunk size "
                f"(got overlap={self.overlap}, sentences={self.sentences}; GISA_CHUNK_OVERLAP)"
            )
        if self.max_chars < 50:
            raise ConfigError("GISA_CHUNK_MAX_CHARS must be at least 50")


@dataclass(frozen=True)
class Config:
    """Settings for every gisa entry point; build it with `from_env` or directly in code."""

    index_dir: Path = Path(".gisa/index")
    embedder: str | None = None  # None: the index's own embedder, or e5 for a new index
    threads: int = 2
    chunking: ChunkingConfig | None = None  # None: the index's own chunking, or the defaults for a new index
    top_k: int = 5
    max_query_chars: int = 2000
    progress: bool = True

    def __post_init__(self) -> None:
        if self.threads < 1:
            raise ConfigError("GISA_THREADS must be a positive integer")
        if self.top_k < 1:
            raise ConfigError("top-k must be at least 1 (GISA_TOP_K)")
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
        embedder=env.get("GISA_EMBEDDER") or None,
        threads=_int(env, "GISA_THREADS", min(os.cpu_count() or 2, 8)),
        chunking=chunking,
        top_k=_int(env, "GISA_TOP_K", Config.top_k),
        max_query_chars=_int(env, "GISA_MAX_QUERY_CHARS", Config.max_query_chars),
        progress=env.get("GISA_PROGRESS", "1") not in ("0", "false", "no"),
    )
