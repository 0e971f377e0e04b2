"""The on-disk index: generations of files switched atomically by a CURRENT pointer.

Layout of an index directory::

    CURRENT                 name of the live generation, replaced atomically
    gen-000007/manifest.json  format, embedder, chunking, documents, file checksums
    gen-000007/vectors.faiss  FAISS inner-product index over chunk vectors (ids = vector ids; flat or IVF
                              by size, `index.vectors`, recorded in the manifest's `vectors`)
    gen-000007/chunks.jsonl   one Chunk per line
    gen-000007/articles.jsonl one cleaned Article per line
    gen-000007/bm25.json      Kiwi-morpheme terms per chunk

A writer builds a complete new generation, fsyncs it, then replaces CURRENT; a crash at
any point leaves the previous generation live. Readers verify every file's checksum.

Readers take no lock. A reader reads CURRENT once and reads every file from that generation; if a
file is missing or damaged and CURRENT has moved meanwhile, it reads the new generation instead.
Old generations are removed after a grace period (`GENERATION_GRACE_S` after they were replaced),
never at once, so a reader that has just read CURRENT always finds its generation's files.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import faiss
from filelock import FileLock, Timeout

from index.errors import IndexBusyError, IndexCorruptError, IndexNotFoundError, IndexWriteError
from index.files import file_sha256
from index.lexical import BM25
from index.types import Article, Chunk
from index.vectors import VectorLayout, size_bounds

log = logging.getLogger(__name__)
T = TypeVar("T")

FORMAT = "gisa-index"
FORMAT_VERSION = 1
CURRENT = "CURRENT"
FILES = ("vectors.faiss", "chunks.jsonl", "articles.jsonl", "bm25.json")
REBUILD_HINT = "re-create it with `gisa ingest PATH --rebuild`"
GENERATION_GRACE_S = 60.0  # how long a replaced generation stays on disk for readers still reading it
READ_ATTEMPTS = 3
WRITE_LOCK_TIMEOUT_S = 600.0  # a second writer waits this long for the first (an ingest of ~15k chunks)
LOCK_FILE = ".lock"  # a reader retries when CURRENT moved under it (a writer committed meanwhile)
RETIRED = "retired"  # marker file: when a generation was replaced


@dataclass(frozen=True)
class Snapshot:
    """Everything one index generation holds (`generation`: its folder name, "" before it is written)."""

    manifest: dict[str, Any]
    vectors: faiss.Index
    chunks: list[Chunk]
    articles: list[Article]
    bm25: BM25
    generation: str = ""


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_file(path: Path, data: bytes) -> None:
    with path.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _jsonl(rows: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8")


def _generations(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("gen-*") if p.is_dir() and not p.name.endswith(".tmp"))


@contextlib.contextmanager
def writer_lock(directory: Path, timeout: float = WRITE_LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold the index's writer lock for a whole read-modify-write; readers never take it.

    A second writer waits (saying so) up to `timeout` seconds, then fails with IndexBusyError. The lock
    is an OS file lock, released by the kernel when its holder dies, so a killed writer never blocks.
    """
    directory.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(directory / LOCK_FILE))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        log.warning("another gisa process is writing the index at %s; waiting up to %.0f s", directory, timeout)
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            raise IndexBusyError(
                f"another gisa process kept the index at {directory} busy for {timeout:.0f} s; "
                "try again when it has finished"
            ) from None
    try:
        yield
    finally:
        lock.release()


def exists(directory: Path) -> bool:
    """True if `directory` holds a committed index."""
    return (directory / CURRENT).is_file()


def write_snapshot(directory: Path, snapshot: Snapshot) -> Path:
    """Write a new generation and switch CURRENT to it atomically; returns the generation folder.

    Any OS error (disk full, no permission) becomes IndexWriteError; the previous index stays live.
    """
    try:
        return _write_snapshot(directory, snapshot)
    except OSError as exc:
        for tmp in directory.glob("gen-*.tmp"):
            shutil.rmtree(tmp, ignore_errors=True)
        raise IndexWriteError(
            f"could not write the index at {directory}: {exc.strerror or exc}. The previous index is kept "
            "unchanged; free some disk space (or fix permissions) and run the command again"
        ) from exc


def _write_snapshot(directory: Path, snapshot: Snapshot) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    previous = _generations(directory)
    number = int(previous[-1].name.split("-")[1]) + 1 if previous else 1
    name = f"gen-{number:06d}"
    tmp = directory / f"{name}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()

    payloads = {
        "vectors.faiss": faiss.serialize_index(snapshot.vectors).tobytes(),
        "chunks.jsonl": _jsonl([c.to_json() for c in snapshot.chunks]),
        "articles.jsonl": _jsonl([a.to_json() for a in snapshot.articles]),
        "bm25.json": json.dumps(snapshot.bm25.to_json(), ensure_ascii=False).encode("utf-8"),
    }
    files = {}
    for fname, data in payloads.items():
        _write_file(tmp / fname, data)
        files[fname] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    manifest = dict(snapshot.manifest, format=FORMAT, format_version=FORMAT_VERSION, files=files)
    _write_file(tmp / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))
    _fsync_dir(tmp)

    final = directory / name
    os.replace(tmp, final)
    _fsync_dir(directory)
    pointer = directory / f"{CURRENT}.tmp"
    _write_file(pointer, name.encode("ascii"))
    os.replace(pointer, directory / CURRENT)
    _fsync_dir(directory)

    _retire(previous, final)
    log.info("index written: %s/%s (%d chunks)", directory, name, len(snapshot.chunks))
    return final


def _retire(previous: list[Path], live: Path) -> None:
    """Mark the generations just replaced, and remove those replaced more than the grace period ago."""
    now = time.time()
    for old in previous:
        if old == live:
            continue
        marker = old / RETIRED
        try:
            if not marker.exists():
                marker.write_text(str(now), encoding="ascii")
            elif now - float(marker.read_text(encoding="ascii") or 0) > GENERATION_GRACE_S:
                shutil.rmtree(old, ignore_errors=True)
        except (OSError, ValueError):
            shutil.rmtree(old, ignore_errors=True)
    for tmp in live.parent.glob("gen-*.tmp"):
        shutil.rmtree(tmp, ignore_errors=True)


def current_generation(directory: Path) -> Path:
    """The live generation folder; raises IndexNotFoundError or IndexCorruptError."""
    pointer = directory / CURRENT
    if not pointer.is_file():
        if directory.is_dir() and _generations(directory):
            raise IndexCorruptError(f"index at {directory} has no CURRENT pointer; {REBUILD_HINT}")
        raise IndexNotFoundError(f"no index at {directory}: build one with `gisa ingest PATH --index {directory}`")
    name = pointer.read_text(encoding="ascii", errors="replace").strip()
    generation = directory / name
    if not name.startswith("gen-") or not generation.is_dir():
        raise IndexCorruptError(f"index pointer {pointer} names a missing generation {name!r}; {REBUILD_HINT}")
    return generation


def read_manifest(directory: Path) -> dict[str, Any]:
    """The live generation's manifest, with its format checked."""
    return _manifest(directory, current_generation(directory))


def _manifest(directory: Path, generation: Path) -> dict[str, Any]:
    path = generation / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(f"index manifest {path} is unreadable ({exc}); {REBUILD_HINT}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise IndexCorruptError(f"{path} is not a gisa index manifest; {REBUILD_HINT}")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexCorruptError(
            f"index at {directory} has format version {manifest.get('format_version')}, this gisa reads "
            f"version {FORMAT_VERSION}; {REBUILD_HINT}"
        )
    problem = _schema_problem(manifest)
    if problem:
        raise IndexCorruptError(f"index manifest {path} is damaged ({problem}); {REBUILD_HINT}")
    return manifest


# The manifest's schema: each required field (as a path of keys) and the type its value must have.
_SCHEMA: dict[tuple[str, ...], type] = {
    ("embedder",): dict,
    ("embedder", "id"): str,
    ("embedder", "dim"): int,
    ("chunking",): dict,
    ("chunking", "sentences"): int,
    ("chunking", "overlap"): int,
    ("chunking", "max_chars"): int,
    ("documents",): dict,
    ("counts",): dict,
    ("counts", "chunks"): int,
    ("files",): dict,
    **{("files", name): dict for name in FILES},
    **{("files", name, "sha256"): str for name in FILES},
    **{("files", name, "bytes"): int for name in FILES},
}


def _schema_problem(manifest: dict[str, Any]) -> str:
    """The first field of the manifest that is missing or of the wrong type, as a phrase; "" if none."""
    for keys, kind in _SCHEMA.items():
        value: Any = manifest
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        if value is None or not isinstance(value, kind) or isinstance(value, bool):
            return f"field {'/'.join(keys)!r} is missing or not a {kind.__name__}"
    extra = set(manifest["chunking"]) - {"sentences", "overlap", "max_chars"}
    if extra:
        return f"unknown chunking fields {sorted(extra)}"
    if manifest["embedder"]["dim"] < 1 or manifest["counts"]["chunks"] < 0:
        return "embedder dim or chunk count out of range"
    return ""


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_snapshot(directory: Path) -> Snapshot:
    """Load and validate the live generation; any damage raises IndexCorruptError.

    The generation is pinned: CURRENT is read once and every file comes from that generation. If the
    read fails and CURRENT has moved meanwhile (a writer committed), the new generation is read instead.
    """
    attempt = 1
    while True:
        pinned = current_name(directory)
        try:
            generation = current_generation(directory)
            pinned = generation.name
            return _read_generation(directory, generation)
        except IndexCorruptError:
            if attempt == READ_ATTEMPTS or current_name(directory) == pinned:
                raise
            log.info("index at %s moved on while reading %s; reading the new generation", directory, pinned)
        attempt += 1


def current_name(directory: Path) -> str:
    """The name CURRENT points to ("" when there is none): a cheap way to see whether a writer committed."""
    try:
        return (directory / CURRENT).read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return ""


def _read_generation(directory: Path, generation: Path) -> Snapshot:
    manifest = _manifest(directory, generation)
    for fname in FILES:
        path = generation / fname
        try:
            actual = file_sha256(path)
        except OSError:
            raise IndexCorruptError(f"index file {path} is missing; {REBUILD_HINT}") from None
        if actual != manifest["files"][fname]["sha256"]:
            raise IndexCorruptError(
                f"index file {path} is corrupted (checksum mismatch with manifest.json: one of the two is damaged "
                f"or comes from another index); {REBUILD_HINT}"
            )
    dim, count = manifest["embedder"]["dim"], manifest["counts"]["chunks"]
    try:
        layout = VectorLayout.from_json(manifest.get("vectors"))
    except ValueError as exc:
        raise IndexCorruptError(f"index manifest in {generation} is damaged ({exc}); {REBUILD_HINT}") from None
    vectors = _parse(generation / "vectors.faiss", lambda p: _read_vectors(p, layout, dim, count))
    chunks = _parse(generation / "chunks.jsonl", lambda p: [Chunk.from_json(row) for row in _read_jsonl(p)])
    articles = _parse(generation / "articles.jsonl", lambda p: [Article.from_json(row) for row in _read_jsonl(p)])
    bm25 = _parse(generation / "bm25.json", lambda p: BM25.from_json(json.loads(p.read_text(encoding="utf-8"))))
    if vectors.d != dim or vectors.ntotal != len(chunks) or len(bm25) != len(chunks) or count != len(chunks):
        raise IndexCorruptError(
            f"index at {directory} is inconsistent: {vectors.ntotal} vectors of size {vectors.d}, "
            f"{len(chunks)} chunks, {len(bm25)} lexical entries, manifest dim {dim} and {count} chunks; {REBUILD_HINT}"
        )
    return Snapshot(manifest, vectors, chunks, articles, bm25, generation.name)


def _parse(path: Path, read: Callable[[Path], T]) -> T:
    """Read one index file; any failure is an IndexCorruptError that names the file."""
    try:
        return read(path)
    except IndexCorruptError:
        raise
    except (OSError, RuntimeError, ValueError, TypeError, KeyError, AttributeError, MemoryError) as exc:
        raise IndexCorruptError(
            f"index file {path} cannot be read ({type(exc).__name__}: {exc}); {REBUILD_HINT}"
        ) from exc


def _read_vectors(path: Path, layout: VectorLayout, dim: int, count: int) -> faiss.Index:
    """The FAISS index, after checking its size against the manifest (a damaged header may ask for terabytes)."""
    low, high = size_bounds(layout, count, dim)
    size = path.stat().st_size
    if not low <= size <= high:
        raise IndexCorruptError(
            f"index file {path} has {size} bytes, but {count} vectors of {dim} dimensions ({layout.kind}) need "
            f"{low} to {high}; {REBUILD_HINT}"
        )
    return faiss.read_index(str(path))


def disk_usage(directory: Path) -> int:
    """Bytes used by the live generation."""
    return sum(p.stat().st_size for p in current_generation(directory).iterdir() if p.is_file())
