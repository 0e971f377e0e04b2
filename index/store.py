"""The on-disk index: generations of files switched atomically by a CURRENT pointer.

Layout of an index directory::

    CURRENT                 name of the live generation, replaced atomically
    gen-000007/manifest.json  format, embedder, chunking, documents, file checksums
    gen-000007/vectors.faiss  FAISS inner-product index over chunk vectors (ids = vector ids)
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
import fcntl
import hashlib
import json
import logging
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import faiss

from index.errors import IndexCorruptError, IndexNotFoundError, IndexWriteError
from index.files import file_sha256
from index.lexical import BM25
from index.types import Article, Chunk

log = logging.getLogger(__name__)

FORMAT = "gisa-index"
FORMAT_VERSION = 1
CURRENT = "CURRENT"
FILES = ("vectors.faiss", "chunks.jsonl", "articles.jsonl", "bm25.json")
REBUILD_HINT = "re-create it with `gisa ingest PATH --rebuild`"
GENERATION_GRACE_S = 60.0  # how long a replaced generation stays on disk for readers still reading it
READ_ATTEMPTS = 3  # a reader retries when CURRENT moved under it (a writer committed meanwhile)
RETIRED = "retired"  # marker file: when a generation was replaced


@dataclass(frozen=True)
class Snapshot:
    """Everything one index generation holds."""

    manifest: dict[str, Any]
    vectors: faiss.Index
    chunks: list[Chunk]
    articles: list[Article]
    bm25: BM25


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
def write_lock(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on the index directory while writing."""
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / ".lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


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
        raise IndexCorruptError(f"index at {directory} points to a missing generation {name!r}; {REBUILD_HINT}")
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
    return manifest


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_snapshot(directory: Path) -> Snapshot:
    """Load and validate the live generation; any damage raises IndexCorruptError.

    The generation is pinned: CURRENT is read once and every file comes from that generation. If the
    read fails and CURRENT has moved meanwhile (a writer committed), the new generation is read instead.
    """
    attempt = 1
    while True:
        pinned = _current_name(directory)
        try:
            generation = current_generation(directory)
            pinned = generation.name
            return _read_generation(directory, generation)
        except IndexCorruptError:
            if attempt == READ_ATTEMPTS or _current_name(directory) == pinned:
                raise
            log.info("index at %s moved on while reading %s; reading the new generation", directory, pinned)
        attempt += 1


def _current_name(directory: Path) -> str:
    try:
        return (directory / CURRENT).read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return ""


def _read_generation(directory: Path, generation: Path) -> Snapshot:
    manifest = _manifest(directory, generation)
    files = manifest.get("files")
    for fname in FILES:
        path = generation / fname
        expected = files.get(fname, {}).get("sha256") if isinstance(files, dict) else None
        if not isinstance(expected, str):
            raise IndexCorruptError(
                f"index manifest {generation / 'manifest.json'} lists no checksum for {fname}; {REBUILD_HINT}"
            )
        try:
            actual = file_sha256(path)
        except OSError:
            raise IndexCorruptError(f"index file {path} is missing; {REBUILD_HINT}") from None
        if actual != expected:
            raise IndexCorruptError(f"index file {path} is corrupted (checksum mismatch); {REBUILD_HINT}")
    try:
        vectors = faiss.read_index(str(generation / "vectors.faiss"))
        chunks = [Chunk.from_json(row) for row in _read_jsonl(generation / "chunks.jsonl")]
        articles = [Article.from_json(row) for row in _read_jsonl(generation / "articles.jsonl")]
        bm25 = BM25.from_json(json.loads((generation / "bm25.json").read_text(encoding="utf-8")))
    except (RuntimeError, ValueError, TypeError, KeyError, AttributeError, MemoryError) as exc:
        raise IndexCorruptError(f"index at {directory} cannot be read ({exc}); {REBUILD_HINT}") from exc
    except OSError as exc:
        raise IndexCorruptError(f"index at {directory} cannot be read ({exc.strerror or exc}); {REBUILD_HINT}") from exc
    dim = manifest.get("embedder", {}).get("dim")
    if vectors.d != dim or vectors.ntotal != len(chunks) or len(bm25) != len(chunks):
        raise IndexCorruptError(
            f"index at {directory} is inconsistent: {vectors.ntotal} vectors of size {vectors.d}, "
            f"{len(chunks)} chunks, {len(bm25)} lexical entries, manifest dim {dim}; {REBUILD_HINT}"
        )
    return Snapshot(manifest, vectors, chunks, articles, bm25)


def disk_usage(directory: Path) -> int:
    """Bytes used by the live generation."""
    return sum(p.stat().st_size for p in current_generation(directory).iterdir() if p.is_file())
