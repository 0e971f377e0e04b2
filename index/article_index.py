"""`Index`: the persisted, incrementally updated article index (dense vectors + BM25, in a `ChunkStore`)."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from index import store as store_module
from index.chunk_store import ChunkStore, StoreChange, Stored, StoreSpec, open_store
from index.chunking import ChunkingConfig
from index.embedding import Embedder, make_embedder
from index.errors import ArticleError, ConfigError, DocumentNotFoundError, IndexCorruptError, IndexMismatchError
from index.korean import KoreanText
from index.limits import DEFAULT_MAX_QUERY_CHARS
from index.loading import LoadFailure, LoadResult
from index.preparing import LocalPreparer, Preparation, Preparer
from index.query import check_k, check_query
from index.types import Article, Chunk, Hit
from index.web import FetchLimits
from index.web_loading import load_web

log = logging.getLogger(__name__)
DEFAULT_EMBEDDER = "e5"


@dataclass(frozen=True)
class IngestReport:
    """What an ingest did, document by document."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    duplicates: tuple[tuple[str, str], ...] = ()
    failures: tuple[LoadFailure, ...] = ()
    chunks_embedded: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        """True if the index content changed."""
        return bool(self.added or self.updated or self.removed)


@dataclass(frozen=True)
class IndexInfo:
    """Summary for `gisa index info`."""

    directory: str
    documents: int
    chunks: int
    embedder: str
    dim: int
    chunking: dict
    bytes_on_disk: int
    updated: str
    store: str = "faiss"
    vectors: str = "flat"


def _chunk_counts(chunks: Iterable[Chunk]) -> dict[str, int]:
    return dict(Counter(c.doc_id for c in chunks))


def _resolved(path: str) -> str:
    try:
        return str(Path(path).resolve())
    except (OSError, RuntimeError, ValueError):  # a symlink loop or an impossible path matches nothing
        return path


def _existing_scopes(paths: Iterable[str | Path]) -> list[Path]:
    """The paths to ingest, absolute; a path that does not exist at all is an error and nothing changes.

    A moved or unmounted folder must not read as "every article in it was deleted". A path that exists
    but cannot be read (a symlink loop, no permission) is left to the loader, which reports it by name.
    """
    scopes, missing = [], []
    for raw in paths:
        path = Path(raw)
        if not os.path.lexists(path):
            missing.append(str(path))
            continue
        try:
            scopes.append(path.resolve())
        except (OSError, RuntimeError):
            scopes.append(path.absolute())
    if missing:
        raise ArticleError(
            f"no such file or folder: {', '.join(missing)}; nothing was changed. Check the path "
            "(a moved or unmounted folder is not treated as deleted articles)"
        )
    return scopes


def _within(source: str, scope: Path) -> bool:
    path = Path(source)
    return path == scope or scope in path.parents


class Index:
    """Articles, their chunks and vectors in one store (a FAISS directory by default; `index.chunk_store`)."""

    def __init__(
        self,
        directory: str | Path,
        embedder: Embedder,
        chunking: ChunkingConfig | None = None,
        korean: KoreanText | None = None,
        progress: bool = False,
        max_query_chars: int = DEFAULT_MAX_QUERY_CHARS,
        store: ChunkStore | None = None,
        preparer: Preparer | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.preparer: Preparer = preparer or LocalPreparer()
        self.store = store or open_store("faiss", self.directory)
        self.embedder = embedder
        self.chunking = chunking or ChunkingConfig()
        self.korean = korean or KoreanText()
        self.progress = progress
        self.max_query_chars = max_query_chars
        self._articles: dict[str, Article] = {}
        self._counts: dict[str, int] = {}  # chunks per document, from the manifest
        self._manifest: dict = {}
        self._generation = ""  # the store's version this object holds ("" before the first write)
        self._fresh = False  # a rebuild: ignore what is on disk until this object has written
        self._state = threading.RLock()  # searches never see half of a newly adopted generation

    # ----- opening -----

    @classmethod
    def load(
        cls,
        directory: str | Path,
        embedder: Embedder | None = None,
        *,
        chunking: ChunkingConfig | None = None,
        create: bool = False,
        rebuild: bool = False,
        threads: int = 2,
        progress: bool = False,
        max_query_chars: int = DEFAULT_MAX_QUERY_CHARS,
        store: StoreSpec | str | ChunkStore = "faiss",
    ) -> Index:
        """Open the index at `directory` (or in the store `store` names); the one way every caller opens one.

        An existing index keeps its own embedder and chunking: a different `embedder` or `chunking`
        given here is refused. With `create`, a missing index starts empty (with `rebuild`, always),
        using the given embedder and chunking or the defaults (e5, `ChunkingConfig()`).
        """
        directory = Path(directory)
        chunk_store = store if not isinstance(store, StoreSpec | str) else open_store(store, directory)
        where = chunk_store.location
        if rebuild or (create and not chunk_store.exists()):
            index = cls(
                directory,
                embedder or make_embedder(DEFAULT_EMBEDDER, threads),
                chunking,
                progress=progress,
                max_query_chars=max_query_chars,
                store=chunk_store,
            )
            index._fresh = rebuild
            return index
        stored = chunk_store.read()
        meta = stored.manifest
        embedder = embedder or make_embedder(meta["embedder"]["id"], threads)
        cls._check_embedder(where, meta, embedder)
        try:
            built = ChunkingConfig(**meta["chunking"])
        except (ConfigError, TypeError) as exc:
            raise IndexCorruptError(
                f"index manifest in {where} has impossible chunking ({exc}); {store_module.REBUILD_HINT}"
            ) from None
        if chunking is not None and built != chunking:
            raise IndexMismatchError(
                f"index at {where} was chunked with {asdict(built)}, not {asdict(chunking)}; "
                "re-ingest with `gisa ingest PATH --rebuild` to change chunking"
            )
        index = cls(directory, embedder, built, progress=progress, max_query_chars=max_query_chars, store=chunk_store)
        index._install(stored)
        return index

    @classmethod
    def build(
        cls,
        directory: str | Path,
        paths: Iterable[str | Path],
        embedder: Embedder,
        chunking: ChunkingConfig | None = None,
        progress: bool = False,
    ) -> tuple[Index, IngestReport]:
        """Build a fresh index from article files, replacing any index at `directory`."""
        index = cls.load(directory, embedder, chunking=chunking, rebuild=True, progress=progress)
        report = index.ingest(paths, prune=False)
        return index, report

    @staticmethod
    def _check_embedder(where: str, manifest: dict, embedder: Embedder) -> None:
        built = manifest["embedder"]
        if built["id"] != embedder.id or built["dim"] != embedder.dim:
            raise IndexMismatchError(
                f"index at {where} was built with embedder {built['id']} ({built['dim']} dims), "
                f"but {embedder.id} ({embedder.dim} dims) was requested; use the same embedder "
                f"(GISA_EMBEDDER) or rebuild the index with `gisa ingest PATH --rebuild`"
            )

    def _install(self, stored: Stored) -> None:
        with self._state:
            self._articles = {a.doc_id: a for a in stored.articles}
            self._manifest = stored.manifest
            self._counts = {doc: int(d.get("chunks", 0)) for doc, d in stored.manifest.get("documents", {}).items()}
            self._generation = stored.version

    def refresh(self) -> bool:
        """Adopt what another process committed since this one read the index; True if it changed.

        Cheap when nothing changed (one small read): long-running readers call it between questions.
        """
        if self._fresh:
            return False
        version = self.store.version()
        if not version or version == self._generation:
            return False
        stored = self.store.read()
        self._check_embedder(self.location, stored.manifest, self.embedder)
        self._install(stored)
        log.info("index at %s: now at %s", self.location, stored.version)
        return True

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """Hold the writer lock for a whole read-modify-write, starting from the newest committed state."""
        with self.store.writer_lock():
            self.refresh()
            yield

    # ----- reading -----

    @property
    def location(self) -> str:
        """Where the index lives: its directory, or the Milvus file or server."""
        return self.store.location

    @property
    def articles(self) -> list[Article]:
        """Indexed articles, by document id."""
        return [self._articles[k] for k in sorted(self._articles)]

    @property
    def chunks(self) -> list[Chunk]:
        """All chunks, in vector-id order (read from the store: on a server, every chunk comes over the wire)."""
        return self.store.chunks()

    def chunk_counts(self) -> dict[str, int]:
        """Chunks per document id."""
        return dict(self._counts)

    def article(self, doc_id: str) -> Article:
        """One article by id; raises DocumentNotFoundError."""
        try:
            return self._articles[doc_id]
        except KeyError:
            raise DocumentNotFoundError(
                f"no document {doc_id!r} in the index; `gisa index info` lists the documents"
            ) from None

    def info(self) -> IndexInfo:
        """Counts, embedder, store and size on disk."""
        self.refresh()
        manifest = self._manifest
        return IndexInfo(
            directory=self.location,
            documents=len(self._articles),
            chunks=sum(self._counts.values()),
            embedder=self.embedder.id,
            dim=self.embedder.dim,
            chunking=asdict(self.chunking),
            bytes_on_disk=self.store.bytes_used(),
            updated=manifest.get("updated", ""),
            store=self.store.kind,
            vectors=str((manifest.get("vectors") or {}).get("kind", "flat")),
        )

    def search(self, query: str, k: int = 5) -> list[Hit]:
        """Dense search: the k chunks whose vectors are closest to the query's."""
        text, k = check_query(query, self.max_query_chars), check_k(k)
        vector = self.embedder.embed_queries([text])[0]
        with self._state:
            found = self.store.dense(vector, k) if self._counts else []
        return [Hit(c, s, rank, "dense") for rank, (c, s) in enumerate(found, 1)]

    def lexical_search(self, query: str, k: int = 5) -> list[Hit]:
        """BM25 search over Kiwi morphemes."""
        text, k = check_query(query, self.max_query_chars), check_k(k)
        terms = self.korean.terms(text)
        with self._state:
            found = self.store.lexical(terms, k) if self._counts and terms else []
        return [Hit(c, s, rank, "bm25") for rank, (c, s) in enumerate(found, 1)]

    def hybrid_search(self, query: str, k: int = 5) -> list[Hit]:
        """Dense and BM25 fused by reciprocal rank; on Milvus the server fuses them (RRFRanker)."""
        text, k = check_query(query, self.max_query_chars), check_k(k)
        vector, terms = self.embedder.embed_queries([text])[0], self.korean.terms(text)
        with self._state:
            found = self.store.hybrid(vector, terms, k) if self._counts else []
        return [Hit(c, s, rank, "hybrid") for rank, (c, s) in enumerate(found, 1)]

    # ----- writing -----

    def ingest(self, paths: Iterable[str | Path], prune: bool = True, follow_symlinks: bool = False) -> IngestReport:
        """Add new and changed articles under `paths`, skip duplicates, and (if `prune`) drop deleted files.

        Links inside a folder that lead outside it are skipped (and reported) unless `follow_symlinks`.
        The whole read-modify-write holds the writer lock, so concurrent writers never lose updates.
        """
        started = time.perf_counter()
        scopes = _existing_scopes(paths)
        loaded = self.preparer.load(scopes, follow_symlinks)
        with self._writing():
            return self._ingest_loaded(loaded, scopes, prune, started)

    def ingest_web(
        self, urls: Sequence[str], feeds: Sequence[str] = (), limits: FetchLimits | None = None
    ) -> IngestReport:
        """Fetch pages (and the items of RSS/Atom feeds) and add the new and changed ones.

        A page is known by the URL asked for: fetched again with the same text, it embeds nothing.
        Fetching happens before the writer lock is taken.
        """
        started = time.perf_counter()
        loaded = load_web(urls, feeds, limits, progress=self.progress)
        with self._writing():
            return self._ingest_loaded(loaded, [], prune=False, started=started)

    def _ingest_loaded(self, loaded: LoadResult, scopes: list[Path], prune: bool, started: float) -> IngestReport:
        added: list[str] = []
        updated: list[str] = []
        unchanged: list[str] = []
        duplicates: list[tuple[str, str]] = []
        by_source = {a.source: a for a in self._articles.values()}
        by_url = {a.url: a for a in self._articles.values() if a.url}  # a page reached by a redirect or a feed
        known_hashes = {a.sha256: a.doc_id for a in self._articles.values()}
        to_write: list[Article] = []
        for article in loaded.articles:
            old = by_source.get(article.source) or (by_url.get(article.url) if article.url else None)
            if old is not None:
                if old.sha256 == article.sha256:
                    unchanged.append(old.doc_id)
                    continue
                article = replace(article, doc_id=old.doc_id)
                updated.append(article.doc_id)
            elif article.sha256 in known_hashes:
                duplicates.append((article.source, known_hashes[article.sha256]))
                log.info("skipped %s: same text as %s", article.source, known_hashes[article.sha256])
                continue
            else:
                article = replace(article, doc_id=self._free_id(article, to_write))
                added.append(article.doc_id)
            known_hashes[article.sha256] = article.doc_id
            to_write.append(article)
        removed = self._pruned(scopes) if prune else []
        embedded = self._apply(to_write, [*updated, *removed])
        return IngestReport(
            added=tuple(added),
            updated=tuple(updated),
            unchanged=tuple(unchanged),
            removed=tuple(removed),
            duplicates=tuple(duplicates),
            failures=tuple(loaded.failures),
            chunks_embedded=embedded,
            seconds=time.perf_counter() - started,
        )

    def _pruned(self, scopes: list[Path]) -> list[str]:
        """Ids of indexed articles whose files are gone from a folder in `scopes` that still exists."""
        folders = [s for s in scopes if s.is_dir()]
        return [
            old.doc_id
            for old in self._articles.values()
            if any(_within(old.source, s) for s in folders) and not os.path.lexists(old.source)
        ]

    def add(self, articles: Sequence[Article]) -> int:
        """Add or replace articles by document id and persist; returns the number of chunks embedded."""
        with self._writing():
            return self._apply(list(articles), [a.doc_id for a in articles if a.doc_id in self._articles])

    def remove(self, doc: str) -> Article:
        """Remove one article by its exact document id or source file path, and persist."""
        with self._writing():
            return self._remove(doc)

    def _remove(self, doc: str) -> Article:
        if doc in self._articles:
            article = self._articles[doc]
        else:
            wanted = {doc, _resolved(doc)}
            matches = [a for a in self._articles.values() if a.source in wanted]
            if not matches:
                self.article(doc)  # raises DocumentNotFoundError with the hint
            article = matches[0]
        self._apply([], [article.doc_id])
        return article

    def _free_id(self, article: Article, pending: list[Article]) -> str:
        taken = set(self._articles) | {a.doc_id for a in pending}
        if article.doc_id not in taken:
            return article.doc_id
        return f"{article.doc_id}_{hashlib.sha1(article.source.encode()).hexdigest()[:6]}"

    def _apply(self, new_articles: list[Article], drop_ids: list[str]) -> int:
        """Chunk and embed the new articles, commit the change to the store, and only then adopt it in memory."""
        if not new_articles and not drop_ids and self.store.exists() and not self._fresh:
            return 0
        drop = set(drop_ids)
        start = 0 if self._fresh else self.store.next_vector_id()
        how = Preparation(self.chunking, self.embedder, self.korean, self.progress)
        prepared = self.preparer.prepare(new_articles, start, how)
        articles = {k: v for k, v in self._articles.items() if k not in drop}
        articles.update({a.doc_id: a for a in new_articles})
        counts = {k: v for k, v in self._counts.items() if k not in drop}
        counts.update(_chunk_counts(prepared.chunks))
        now = datetime.now(UTC).isoformat(timespec="seconds")
        manifest = self._manifest_for(articles, counts, now)
        change = StoreChange(
            manifest=manifest,
            articles=tuple(new_articles),
            chunks=prepared.chunks,
            vectors=prepared.vectors,
            terms=prepared.terms,
            drop_docs=frozenset(drop),
            fresh=self._fresh,
        )
        committed = self.store.commit(change)
        self._install(Stored(committed.manifest, [articles[k] for k in sorted(articles)], committed.version))
        self._fresh = False
        return len(prepared.chunks)

    def _manifest_for(self, articles: dict[str, Article], per_doc: dict[str, int], now: str) -> dict:
        return {
            "embedder": {
                "id": self.embedder.id,
                "dim": self.embedder.dim,
                "normalized": True,
                "metric": "inner_product",
            },
            "chunking": asdict(self.chunking),
            "splitter": "kiwi sentences (Korean) + rule-based (English), newline-bounded",
            "documents": {
                a.doc_id: {
                    "title": a.title,
                    "source": a.source,
                    "sha256": a.sha256,
                    "language": a.language,
                    "chunks": per_doc.get(a.doc_id, 0),
                }
                for a in sorted(articles.values(), key=lambda a: a.doc_id)
            },
            "counts": {"documents": len(articles), "chunks": sum(per_doc.get(a, 0) for a in articles)},
            "created": ("" if self._fresh else self._manifest.get("created", "")) or now,
            "updated": now,
        }
