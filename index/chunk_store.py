"""Where an index keeps its chunks, vectors and lexical terms: the `ChunkStore` protocol and its choice.

`Index` does the article work (loading, de-duplication, chunking, embedding) and hands each change to a
store as one `StoreChange`. Two stores implement the protocol:

- `faiss` (`index.faiss_store`): the embedded default, generations of files in a directory;
- `milvus:PATH.db` (milvus-lite, embedded) or `milvus://HOST:PORT[/NAME]` (a Milvus server or cluster;
  token from GISA_MILVUS_TOKEN): `index.milvus_store`.
"""

from __future__ import annotations

import re
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np

from index.errors import ConfigError
from index.types import Article, Chunk

StoreKind = Literal["faiss", "milvus-lite", "milvus-server"]
STORE_HELP = "faiss (default), milvus:PATH.db (milvus-lite) or milvus://HOST:PORT[/NAME] (a Milvus server)"
DEFAULT_COLLECTION = "gisa"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,200}")


@dataclass(frozen=True)
class StoreSpec:
    """A parsed GISA_STORE value: which store, and where (a path or a URI) and under which collection name."""

    kind: StoreKind
    address: str = ""
    name: str = DEFAULT_COLLECTION

    @classmethod
    def parse(cls, value: str) -> StoreSpec:
        """`faiss`, `milvus:PATH.db` or `milvus://HOST:PORT[/NAME]`; anything else is a ConfigError."""
        text = (value or "faiss").strip()
        if text == "faiss":
            return cls("faiss")
        if text.startswith(("milvus://", "milvus+https://")):
            rest = text.split("://", 1)[1]
            host, _, name = rest.partition("/")
            scheme = "https" if text.startswith("milvus+https") else "http"
            if not host or (name and not _NAME.fullmatch(name)):
                raise ConfigError(f"GISA_STORE={value!r}: expected milvus://HOST:PORT or milvus://HOST:PORT/NAME")
            return cls("milvus-server", f"{scheme}://{host}", name or DEFAULT_COLLECTION)
        if text.startswith("milvus:"):
            path = text.removeprefix("milvus:")
            if not path.endswith(".db"):
                raise ConfigError(f"GISA_STORE={value!r}: a milvus-lite store is a file ending in .db (milvus:PATH.db)")
            return cls("milvus-lite", str(Path(path).expanduser()), DEFAULT_COLLECTION)
        raise ConfigError(f"GISA_STORE={value!r} is not a store: use {STORE_HELP}")


@dataclass(frozen=True)
class Stored:
    """What a store holds about its index, read in one go: the manifest, the articles and a version token."""

    manifest: dict[str, Any]
    articles: list[Article]
    version: str


@dataclass(frozen=True)
class Committed:
    """What a commit made live: its version token and the manifest as the store wrote it."""

    version: str
    manifest: dict[str, Any]


@dataclass(frozen=True)
class StoreChange:
    """One write: articles (with their new chunks, vectors and BM25 terms) in, documents out.

    `drop_docs` lists every document whose chunks and article go (replaced ones included); `fresh` starts
    from an empty store (a rebuild). `manifest` is the new manifest, which the store may extend.
    """

    manifest: dict[str, Any]
    articles: tuple[Article, ...]
    chunks: tuple[Chunk, ...]
    vectors: np.ndarray
    terms: tuple[tuple[str, ...], ...]
    drop_docs: frozenset[str] = frozenset()
    fresh: bool = False


class ChunkStore(Protocol):
    """A place an index lives: read, written (one writer at a time) and searched."""

    location: str
    kind: StoreKind

    def exists(self) -> bool:
        """True if an index has been written here."""
        ...

    def version(self) -> str:
        """A cheap token that changes whenever a writer commits ("" when there is no index)."""
        ...

    def read(self) -> Stored:
        """Load the live index; raises IndexNotFoundError or IndexCorruptError."""
        ...

    def writer_lock(self) -> AbstractContextManager[None]:
        """Held around a whole read-modify-write."""
        ...

    def commit(self, change: StoreChange) -> Committed:
        """Apply a change and make it live."""
        ...

    def next_vector_id(self) -> int:
        """The first vector id no chunk uses."""
        ...

    def dense(self, vector: np.ndarray, k: int) -> list[tuple[Chunk, float]]:
        """The k chunks nearest to `vector` (inner product), best first."""
        ...

    def lexical(self, terms: list[str], k: int) -> list[tuple[Chunk, float]]:
        """The k best BM25 matches for the morpheme terms, best first."""
        ...

    def hybrid(self, vector: np.ndarray, terms: list[str], k: int) -> list[tuple[Chunk, float]]:
        """Dense and BM25 fused by reciprocal rank (server-side where the store can)."""
        ...

    def chunks(self) -> list[Chunk]:
        """Every chunk, in vector-id order."""
        ...

    def bytes_used(self) -> int:
        """Bytes the live index takes on disk (0 where the store cannot tell, e.g. a remote server)."""
        ...


def open_store(spec: StoreSpec | str, directory: Path) -> ChunkStore:
    """The store a spec names; `directory` is where a FAISS index lives."""
    spec = spec if isinstance(spec, StoreSpec) else StoreSpec.parse(spec)
    if spec.kind == "faiss":
        from index.faiss_store import FaissStore

        return FaissStore(directory)
    from index.milvus_store import MilvusStore

    return MilvusStore(spec)
