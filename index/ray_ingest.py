"""Parallel ingest on Ray Data: loading and cleaning files, then chunking, embedding and tokenising articles.

`RayPreparer` is a `Preparer`: `Index` still de-duplicates, numbers and commits, so the result is the same
index a local ingest builds (same chunks, same manifest, vectors within float tolerance). Each worker is a
Ray actor that loads the embedder once. Without an address Ray starts locally; with one (`ray://HOST:10001`
or `HOST:6379`) the work runs on that cluster, whose nodes need gisa installed (`pip install 'gisa[ray]'`).

Actors ask for `WORKER_CPUS` CPUs each: a 2-core node hangs when each asks for a whole one (the driver
and Ray Data's own tasks need a share).
"""

from __future__ import annotations

import json
import logging
import os
import pickle
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import numpy as np

from index.chunking import ChunkingConfig
from index.embedding import make_embedder
from index.errors import ConfigError
from index.korean import KoreanText
from index.loading import LoadResult, find_article_files, load_articles
from index.preparing import Preparation, Prepared, prepare_articles
from index.types import Article, Chunk

log = logging.getLogger(__name__)

WORKER_CPUS = 0.5  # per actor; see the module docstring
LOAD_BATCH = 32  # files a loading task reads
PREPARE_BATCH = 8  # articles an embedding actor takes at a time (about 30 chunks: two embedder batches)
BLOCKS_PER_WORKER = 4  # input blocks per worker, so that every actor gets work and a slow block does not stall


def _load_batch(batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Ray task: `load_articles` on a batch of files; one row holding the pickled `LoadResult`."""
    loaded = load_articles([Path(str(p)) for p in batch["path"]])
    return {"order": batch["order"][:1], "result": np.array([pickle.dumps(loaded)], dtype=object)}


class _ChunkEmbedder:
    """Ray actor: chunks, embeds and tokenises batches of articles with its own embedder and Kiwi."""

    settings: tuple[str, dict[str, int], int] = ("e5", {}, 1)  # embedder spec, chunking, threads: see `_actor`

    def __init__(self) -> None:
        embedder, chunking, threads = self.settings
        self.how = Preparation(ChunkingConfig(**chunking), make_embedder(embedder, threads), KoreanText())

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        out = []
        for raw in batch["article"]:
            prepared = prepare_articles([Article.from_json(json.loads(str(raw)))], 0, self.how)
            out.append(pickle.dumps(([c.to_json() for c in prepared.chunks], prepared.vectors, prepared.terms)))
        return {"order": batch["order"], "result": np.array(out, dtype=object)}


def _actor(embedder: str, chunking: dict[str, int], threads: int) -> type[_ChunkEmbedder]:
    """The actor class with its settings built in (constructor arguments would sit in Ray's object store)."""
    return type("ChunkEmbedder", (_ChunkEmbedder,), {"settings": (embedder, chunking, threads)})


# A local Ray node gives itself 30 s to register while starting; on a loaded 2-core machine it once missed
# that (CI, 2026-11-28), and a second start succeeded.
RAY_START_TRIES = 2


def start_ray(ray: Any, options: dict[str, Any], where: str) -> None:
    """Start or reach Ray with `options`; a node that times out while starting is tried once more."""
    for attempt in range(1, RAY_START_TRIES + 1):
        try:
            ray.init(**options)
            return
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise ConfigError(f"cannot start or reach Ray at {where}: {exc}") from None
        except Exception as exc:  # Ray raises a bare Exception when its node times out during startup
            ray.shutdown()
            if attempt == RAY_START_TRIES:
                raise ConfigError(
                    f"Ray did not start at {where} ({exc}); try again when the machine is less busy"
                ) from None
            log.warning("Ray did not start (%s); trying once more", exc)


class RayPreparer:
    """Runs loading and preparing as Ray Data batches on `workers` actors (a local Ray unless `address`)."""

    def __init__(self, address: str | None = None, workers: int = 2, threads_per_worker: int = 1) -> None:
        if workers < 1 or threads_per_worker < 1:
            raise ConfigError("--workers and threads per worker must be at least 1")
        self.address = address or None
        self.workers = workers
        self.threads_per_worker = threads_per_worker

    def _ray(self) -> Any:
        try:
            import ray
        except ImportError:
            raise ConfigError("gisa ingest --ray needs Ray Data: pip install 'gisa[ray]'") from None
        if not ray.is_initialized():
            options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False, "configure_logging": False}
            if self.address:
                options["address"] = self.address
            else:
                options["num_cpus"] = os.cpu_count() or 2
            start_ray(ray, options, self.address or "a local node")
            ray.data.DataContext.get_current().enable_progress_bars = False
            logging.getLogger("ray.data").setLevel(logging.ERROR)  # progress lines and notes, every second
        return ray

    def load(self, paths: Sequence[Path], follow_symlinks: bool) -> LoadResult:
        """Find the files here, read and clean them on Ray (file order kept)."""
        files, failures = find_article_files(paths, follow_symlinks)
        if not files:
            return LoadResult([], failures)
        ray = self._ray()
        rows = [{"order": i, "path": str(p)} for i, p in enumerate(files)]
        blocks = min(len(rows), self.workers * BLOCKS_PER_WORKER)
        done = ray.data.from_items(rows, override_num_blocks=blocks).map_batches(
            _load_batch, batch_size=LOAD_BATCH, num_cpus=WORKER_CPUS
        )
        articles: list[Article] = []
        for row in sorted(done.take_all(), key=lambda r: r["order"]):
            loaded = pickle.loads(row["result"])
            articles.extend(loaded.articles)
            failures.extend(loaded.failures)
        return LoadResult(articles, failures)

    def prepare(self, articles: Sequence[Article], start: int, how: Preparation) -> Prepared:
        """Chunk, embed and tokenise on the actors, then number vector ids from `start` in article order."""
        if not articles:
            return Prepared((), np.zeros((0, how.embedder.dim), dtype=np.float32), ())
        ray = self._ray()
        rows = [{"order": i, "article": json.dumps(a.to_json(), ensure_ascii=False)} for i, a in enumerate(articles)]
        blocks = min(len(rows), self.workers * BLOCKS_PER_WORKER)
        done = ray.data.from_items(rows, override_num_blocks=blocks).map_batches(
            _actor(how.embedder.id, asdict(how.chunking), self.threads_per_worker),
            batch_size=PREPARE_BATCH,
            compute=ray.data.ActorPoolStrategy(size=min(self.workers, blocks)),
            num_cpus=WORKER_CPUS,
        )
        chunks: list[Chunk] = []
        parts: list[np.ndarray] = []
        terms: list[tuple[str, ...]] = []
        for row in sorted(done.take_all(), key=lambda r: r["order"]):
            raw_chunks, vectors, chunk_terms = pickle.loads(row["result"])
            for raw in raw_chunks:
                chunks.append(replace(Chunk.from_json(raw), vector_id=start + len(chunks)))
            parts.append(vectors)
            terms.extend(tuple(t) for t in chunk_terms)
        vectors = np.ascontiguousarray(np.vstack(parts), dtype=np.float32)
        if vectors.shape != (len(chunks), how.embedder.dim):
            raise ConfigError(
                f"the Ray workers' embedder gave {vectors.shape[1]}-dimension vectors, the index uses "
                f"{how.embedder.dim} ({how.embedder.id}); install the same gisa and models on every node"
            )
        return Prepared(tuple(chunks), vectors, tuple(terms))
