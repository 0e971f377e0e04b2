"""Milvus as the index's store: milvus-lite (a local .db file) or a Milvus server or cluster, one client API.

Two collections per index, named from the spec (`gisa` by default):

- `NAME_chunks`: one row per chunk: `vid` (primary key, the vector id), `doc_id`, `chunk` (the Chunk as JSON),
  `dense` (the embedding, inner product) and, where the server has full-text search (Milvus >= 2.5 and
  milvus-lite), `terms` (the chunk's Kiwi morphemes joined by spaces, analysed by Milvus's standard
  tokenizer) with a BM25 function filling `sparse`. Hybrid search fuses the two on the server (RRFRanker).
- `NAME_meta`: the manifest, the articles and a version token, as JSON split into rows of at most
  `BODY_CHARS` characters (a VARCHAR holds 65,535 bytes). Milvus needs a vector field in every
  collection, so each row carries a dummy 2-dimensional one.

Kiwi stays the tokenizer everywhere: gisa sends morphemes, Milvus only splits them at spaces.

Quirks, measured on milvus-lite 3.2 (README, "Milvus"): BM25 distances come back negative (the ranking is
right; gisa reports their magnitude), and IDF is computed per segment, so BM25 scores (not ranks) drift as
segments seal. A commit is not atomic across rows: readers may see new chunks of a replaced article for a
moment before its old ones are deleted (never neither). Writers are serialised by a file lock beside a
milvus-lite file; against a server, run one writer at a time.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from filelock import FileLock

from index.chunk_store import Committed, StoreChange, Stored, StoreKind, StoreSpec
from index.errors import ConfigError, IndexCorruptError, IndexNotFoundError, StoreUnavailableError
from index.fusion import HYBRID_CANDIDATES_PER_RESULT, RRF_K
from index.store import REBUILD_HINT
from index.types import Article, Chunk

if TYPE_CHECKING:
    from pymilvus import MilvusClient

log = logging.getLogger(__name__)

TOKEN_ENV = "GISA_MILVUS_TOKEN"
CONNECT_TIMEOUT_S = 10.0
BODY_CHARS = 16_000  # at most 4 UTF-8 bytes a character: 64,000 bytes, under VARCHAR's 65,535
KEY_CHARS = 1000  # a document id, in characters (VARCHAR lengths are bytes: 4 a character at most)
KEY_BYTES = 4 * KEY_CHARS + 16
WRITE_BATCH = 500
READ_BATCH = 1000
DELETE_BATCH = 1000
FULL_TEXT_SINCE = (2, 5)  # Milvus version that added BM25 functions


def _split(text: str) -> list[str]:
    return [text[i : i + BODY_CHARS] for i in range(0, len(text), BODY_CHARS)] or [""]


def _quote(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


class MilvusStore:
    """An index in Milvus; the client connects on first use."""

    def __init__(self, spec: StoreSpec) -> None:
        if spec.kind == "faiss":
            raise ValueError("MilvusStore needs a milvus spec")
        self.spec = spec
        self.kind: StoreKind = spec.kind
        self.location = f"milvus:{spec.address}" if spec.kind == "milvus-lite" else f"{spec.address}/{spec.name}"
        self.chunk_collection = f"{spec.name}_chunks"
        self.meta_collection = f"{spec.name}_meta"
        self._client: MilvusClient | None = None
        self._full_text: bool | None = None
        self._next_vid = 0
        self._warned = False
        self._loaded: set[str] = set()

    # ----- connection -----

    @property
    def client(self) -> MilvusClient:
        """The connected client; raises StoreUnavailableError naming the URI."""
        if self._client is None:
            self._client = self._connect()
        return self._client

    def _connect(self) -> MilvusClient:
        try:
            from pymilvus import MilvusClient
        except ImportError:
            raise ConfigError(
                f"GISA_STORE={self._spec_text()} needs pymilvus and milvus-lite: pip install 'gisa[milvus]'"
            ) from None
        # milvus-lite has no MVCC timestamp to give query iterators: its in-process gRPC service logs a
        # traceback and pymilvus a warning for every iterator, then the iterator uses the client's clock
        logging.getLogger("pymilvus.orm.iterator").setLevel(logging.ERROR)
        if self.spec.kind == "milvus-lite":
            logging.getLogger("grpc._server").setLevel(logging.CRITICAL)
        try:
            if self.spec.kind == "milvus-lite":
                Path(self.spec.address).parent.mkdir(parents=True, exist_ok=True)
                return MilvusClient(uri=self.spec.address)
            client = MilvusClient(uri=self.spec.address, token=os.environ.get(TOKEN_ENV, ""), timeout=CONNECT_TIMEOUT_S)
            client.get_server_version()
            return client
        except Exception as exc:  # pymilvus raises its own and grpc's errors; all mean "not reachable"
            raise StoreUnavailableError(
                f"cannot reach Milvus at {self.spec.address} ({type(exc).__name__}: {_first_line(exc)}); start the "
                f"server (or fix GISA_STORE), and set {TOKEN_ENV} if it needs a token"
            ) from None

    @property
    def full_text(self) -> bool:
        """Whether the store does BM25 itself (milvus-lite, and servers from Milvus 2.5)."""
        if self._full_text is None:
            if self.spec.kind == "milvus-lite":
                self._full_text = True
            else:
                found = re.search(r"(\d+)\.(\d+)", str(self.client.get_server_version()))
                self._full_text = bool(found) and (int(found[1]), int(found[2])) >= FULL_TEXT_SINCE
        return self._full_text

    def close(self) -> None:
        """Close the client (milvus-lite stops its local server process)."""
        if self._client is not None:
            self._client.close()
            self._client = None

    # ----- reading -----

    def exists(self) -> bool:
        """True if the meta collection holds a version."""
        return bool(self.version())

    def _has(self, collection: str) -> bool:
        """Whether the collection exists; loaded into memory the first time (a server releases it on restart)."""
        if collection in self._loaded:
            return True
        if not self.client.has_collection(collection):
            return False
        self.client.load_collection(collection)
        self._loaded.add(collection)
        return True

    def version(self) -> str:
        """The version token the last commit wrote ("" when there is no index)."""
        if not self._has(self.meta_collection):
            return ""
        rows = self.client.query(self.meta_collection, filter='base == "version"', output_fields=["body"])
        return rows[0]["body"] if rows else ""

    def read(self) -> Stored:
        """The manifest and articles, with the chunk collection's vector size checked against the manifest."""
        version = self.version()
        if not version:
            raise IndexNotFoundError(
                f"no index in {self.location}: build one with `gisa ingest PATH` (GISA_STORE={self._spec_text()})"
            )
        bodies = self._bodies()
        try:
            manifest = json.loads(bodies.pop("manifest"))
            articles = [Article.from_json(json.loads(body)) for base, body in sorted(bodies.items())]
            dim = int(manifest["embedder"]["dim"])
        except (KeyError, ValueError, TypeError) as exc:
            raise IndexCorruptError(
                f"index in {self.location} has a damaged manifest or article ({exc}); {REBUILD_HINT}"
            ) from None
        if self._has(self.chunk_collection) and self._dense_dim() != dim:
            raise IndexCorruptError(
                f"index in {self.location}: the chunk collection holds {self._dense_dim()}-dimension vectors, "
                f"the manifest says {dim}; {REBUILD_HINT}"
            )
        self._next_vid = int(manifest.get("next_vector_id", 0))
        return Stored(manifest, articles, version)

    def _bodies(self) -> dict[str, str]:
        parts: dict[str, list[tuple[int, str]]] = {}
        for row in self._rows(self.meta_collection, 'base != "version"', ["base", "part", "body"]):
            parts.setdefault(row["base"], []).append((int(row["part"]), row["body"]))
        return {base: "".join(body for _, body in sorted(rows)) for base, rows in parts.items()}

    def _rows(self, collection: str, where: str, fields: list[str]) -> Iterator[dict[str, Any]]:
        iterator = self.client.query_iterator(collection, batch_size=READ_BATCH, filter=where, output_fields=fields)
        try:
            while batch := iterator.next():
                yield from batch
        finally:
            iterator.close()

    def _dense_dim(self) -> int:
        fields = self.client.describe_collection(self.chunk_collection)["fields"]
        return next(int(f["params"]["dim"]) for f in fields if f["name"] == "dense")

    def next_vector_id(self) -> int:
        """From the manifest read or written last."""
        return self._next_vid

    def chunks(self) -> list[Chunk]:
        """Every chunk, read from the server in batches."""
        if not self._has(self.chunk_collection):
            return []
        found = [
            Chunk.from_json(json.loads(r["chunk"])) for r in self._rows(self.chunk_collection, "vid >= 0", ["chunk"])
        ]
        return sorted(found, key=lambda c: c.vector_id)

    def bytes_used(self) -> int:
        """The milvus-lite file's size; 0 for a server (it keeps its own storage)."""
        if self.spec.kind != "milvus-lite":
            return 0
        path = Path(self.spec.address)
        if path.is_dir():
            return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        return path.stat().st_size if path.exists() else 0

    # ----- searching -----

    def dense(self, vector: np.ndarray, k: int) -> list[tuple[Chunk, float]]:
        """Inner-product search on the server."""
        found = self.client.search(
            self.chunk_collection,
            [vector.astype(np.float32).tolist()],
            anns_field="dense",
            limit=k,
            output_fields=["chunk"],
            search_params={"metric_type": "IP"},
        )
        return _hits(found)

    def lexical(self, terms: list[str], k: int) -> list[tuple[Chunk, float]]:
        """BM25 on the server (scores as magnitudes: milvus-lite returns them negated)."""
        if not self._can_match(terms):
            return []
        found = self.client.search(
            self.chunk_collection,
            [" ".join(terms)],
            anns_field="sparse",
            limit=k,
            output_fields=["chunk"],
            search_params={"metric_type": "BM25"},
        )
        return [(c, abs(s)) for c, s in _hits(found)]

    def hybrid(self, vector: np.ndarray, terms: list[str], k: int) -> list[tuple[Chunk, float]]:
        """Dense and BM25 fused by the server's RRFRanker (dense alone where the server has no BM25)."""
        if not self._can_match(terms):
            return self.dense(vector, k)
        from pymilvus import AnnSearchRequest, RRFRanker

        n = k * HYBRID_CANDIDATES_PER_RESULT
        requests = [
            AnnSearchRequest([vector.astype(np.float32).tolist()], "dense", {"metric_type": "IP"}, limit=n),
            AnnSearchRequest([" ".join(terms)], "sparse", {"metric_type": "BM25"}, limit=n),
        ]
        found = self.client.hybrid_search(
            self.chunk_collection, requests, RRFRanker(RRF_K), limit=k, output_fields=["chunk"]
        )
        return _hits(found)

    def _can_match(self, terms: list[str]) -> bool:
        if not terms:
            return False
        if not self.full_text:
            if not self._warned:
                log.warning(
                    "the Milvus server at %s has no BM25 (Milvus < 2.5): lexical search is off", self.spec.address
                )
                self._warned = True
            return False
        return True

    # ----- writing -----

    def writer_lock(self) -> AbstractContextManager[None]:
        """A file lock beside a milvus-lite file; nothing for a server (run one writer at a time)."""
        if self.spec.kind == "milvus-lite":
            Path(self.spec.address).parent.mkdir(parents=True, exist_ok=True)
            return FileLock(self.spec.address + ".lock")
        return contextlib.nullcontext()

    def commit(self, change: StoreChange) -> Committed:
        """Insert the new chunks, then delete the dropped ones, then rewrite the articles, manifest and version."""
        dim = int(change.manifest["embedder"]["dim"])
        if change.fresh:
            for name in (self.chunk_collection, self.meta_collection):
                self.client.drop_collection(name)
                self._loaded.discard(name)
        self._ensure_collections(dim)
        old_vids = self._vids_of(change.drop_docs) if change.drop_docs and not change.fresh else []
        self._insert_chunks(change)
        for i in range(0, len(old_vids), DELETE_BATCH):
            self.client.delete(self.chunk_collection, ids=old_vids[i : i + DELETE_BATCH])
        replaced = change.drop_docs | {a.doc_id for a in change.articles}
        self._delete_bases([f"article:{doc}" for doc in sorted(replaced)])
        self._write_bodies(
            {f"article:{a.doc_id}": json.dumps(a.to_json(), ensure_ascii=False) for a in change.articles}
        )
        top = max((c.vector_id for c in change.chunks), default=-1) + 1
        self._next_vid = max(0 if change.fresh else self._next_vid, top)
        vectors = {"kind": self._dense_index_type()}
        manifest = dict(change.manifest, store=self.spec.kind, next_vector_id=self._next_vid, vectors=vectors)
        self._delete_bases(["manifest"])
        self._write_bodies({"manifest": json.dumps(manifest, ensure_ascii=False)})
        version = uuid.uuid4().hex
        self.client.upsert(self.meta_collection, [_meta_row("version", 0, version)])
        return Committed(version, manifest)

    def _vids_of(self, docs: frozenset[str]) -> list[int]:
        where = f"doc_id in [{', '.join(_quote(d) for d in sorted(docs))}]"
        return [int(r["vid"]) for r in self._rows(self.chunk_collection, where, ["vid"])]

    def _insert_chunks(self, change: StoreChange) -> None:
        rows = []
        for chunk, vector, terms in zip(change.chunks, change.vectors, change.terms, strict=True):
            row = {
                "vid": chunk.vector_id,
                "doc_id": chunk.doc_id,
                "chunk": json.dumps(chunk.to_json(), ensure_ascii=False),
                "dense": vector.astype(np.float32).tolist(),
            }
            if self.full_text:
                row["terms"] = " ".join(terms)
            rows.append(row)
        for i in range(0, len(rows), WRITE_BATCH):
            self.client.insert(self.chunk_collection, rows[i : i + WRITE_BATCH])

    def _delete_bases(self, bases: list[str]) -> None:
        for i in range(0, len(bases), DELETE_BATCH):
            batch = bases[i : i + DELETE_BATCH]
            self.client.delete(self.meta_collection, filter=f"base in [{', '.join(_quote(b) for b in batch)}]")

    def _write_bodies(self, bodies: dict[str, str]) -> None:
        rows = [
            _meta_row(base, part, piece) for base, body in bodies.items() for part, piece in enumerate(_split(body))
        ]
        for i in range(0, len(rows), WRITE_BATCH):
            self.client.insert(self.meta_collection, rows[i : i + WRITE_BATCH])

    def _ensure_collections(self, dim: int) -> None:
        from pymilvus import DataType, Function, FunctionType

        client = self.client
        if not self._has(self.meta_collection):
            schema = client.create_schema(auto_id=False)
            schema.add_field("key", DataType.VARCHAR, is_primary=True, max_length=KEY_BYTES)
            schema.add_field("base", DataType.VARCHAR, max_length=KEY_BYTES)
            schema.add_field("part", DataType.INT64)
            schema.add_field("body", DataType.VARCHAR, max_length=65_535)
            schema.add_field("v", DataType.FLOAT_VECTOR, dim=2)
            params = client.prepare_index_params()
            params.add_index("v", index_type="FLAT", metric_type="L2")
            client.create_collection(
                self.meta_collection, schema=schema, index_params=params, consistency_level="Strong"
            )
        if self._has(self.chunk_collection):
            return
        schema = client.create_schema(auto_id=False)
        schema.add_field("vid", DataType.INT64, is_primary=True)
        schema.add_field("doc_id", DataType.VARCHAR, max_length=KEY_BYTES)
        schema.add_field("chunk", DataType.VARCHAR, max_length=65_535)
        schema.add_field("dense", DataType.FLOAT_VECTOR, dim=dim)
        params = client.prepare_index_params()
        # milvus-lite searches exactly (FLAT); a server builds its own default ANN index (HNSW in Milvus).
        params.add_index("dense", index_type=self._dense_index_type(), metric_type="IP")
        if self.full_text:
            schema.add_field(
                "terms",
                DataType.VARCHAR,
                max_length=65_535,
                enable_analyzer=True,
                analyzer_params={"tokenizer": "standard"},
            )
            schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
            schema.add_function(
                Function(
                    name="bm25",
                    function_type=FunctionType.BM25,
                    input_field_names=["terms"],
                    output_field_names=["sparse"],
                )
            )
            params.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
        client.create_collection(self.chunk_collection, schema=schema, index_params=params, consistency_level="Strong")

    def _dense_index_type(self) -> str:
        return "FLAT" if self.spec.kind == "milvus-lite" else "AUTOINDEX"

    def _spec_text(self) -> str:
        return f"milvus:{self.spec.address}" if self.spec.kind == "milvus-lite" else self.location


def _meta_row(base: str, part: int, body: str) -> dict[str, Any]:
    if len(base) > KEY_CHARS:
        raise IndexCorruptError(f"document id too long for Milvus ({len(base)} characters, at most {KEY_CHARS})")
    return {"key": f"{base}#{part:05d}", "base": base, "part": part, "body": body, "v": [0.0, 0.0]}


def _hits(found: Any) -> list[tuple[Chunk, float]]:
    rows = found[0] if found else []
    return [(Chunk.from_json(json.loads(r["entity"]["chunk"])), float(r["distance"])) for r in rows]


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [""])[0][:200]
