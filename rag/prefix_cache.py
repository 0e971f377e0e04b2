"""Persisted llama.cpp states for the fixed start of every prompt (system prompt and the user turn's head).

A new process loads these instead of prefilling the system prompt again, so its first question costs
about what a warm one does. A state is stored per prefix under a key made of the model file's hash,
the prefix text, the context settings and the llama-cpp-python version: change any of them and the
key changes, so a stale state is never loaded. Files are written atomically and checked on load; a
damaged one is removed and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.files import file_sha256

log = logging.getLogger(__name__)

FORMAT = 1


@dataclass(frozen=True)
class PrefixState:
    """The tokens of a prefix and the llama.cpp state right after evaluating them."""

    tokens: tuple[int, ...]
    state: bytes
    seed: int


def model_sha256(path: Path) -> str:
    """The model file's SHA-256, remembered beside it (keyed by size and mtime) so it is computed once."""
    stat = path.stat()
    sidecar = path.with_name(path.name + ".sha256.json")
    try:
        known = json.loads(sidecar.read_text(encoding="utf-8"))
        if known.get("size") == stat.st_size and known.get("mtime_ns") == stat.st_mtime_ns:
            return str(known["sha256"])
    except (OSError, ValueError, KeyError, AttributeError):
        pass
    digest = file_sha256(path)
    try:
        _atomic_write(
            sidecar, json.dumps({"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": digest}).encode()
        )
    except OSError as exc:  # a read-only model folder only costs the hash again next time
        log.info("cannot remember the model hash beside %s: %s", path, exc)
    return digest


def cache_key(model_hash: str, prefix: str, settings: dict[str, Any]) -> str:
    """The file name stem for a prefix's state: changes with the model, the prefix text or the settings."""
    material = json.dumps([FORMAT, model_hash, prefix, sorted(settings.items())], ensure_ascii=False)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class PrefixCache:
    """Prefix states on disk in one folder (the model cache folder's `prefix-cache/`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, key: str) -> Path:
        """Where the state for `key` lives."""
        return self.folder / f"{key}.npz"

    def load(self, key: str, tokens: tuple[int, ...]) -> PrefixState | None:
        """The stored state for `key` if it is whole and for exactly these tokens; else None (and it is removed)."""
        data = self.load_arrays(key, ("tokens", "state", "seed"))
        if data is None:
            return None
        stored = tuple(int(t) for t in data["tokens"])
        if stored != tokens:
            log.warning("prefix cache %s holds other tokens; rebuilding it", self.path(key))
            self.path(key).unlink(missing_ok=True)
            return None
        return PrefixState(stored, data["state"].tobytes(), int(data["seed"]))

    def save(self, key: str, state: PrefixState) -> None:
        """Store a state atomically; a cache that cannot be written is skipped with a log line."""
        self.save_arrays(
            key,
            tokens=np.array(state.tokens, dtype=np.int32),
            state=np.frombuffer(state.state, dtype=np.uint8),
            seed=np.array(state.seed),
        )

    def load_arrays(self, key: str, names: tuple[str, ...]) -> dict[str, np.ndarray] | None:
        """Arrays saved by `save_arrays` under `key`, or None when absent or damaged (then removed)."""
        path = self.path(key)
        if not path.is_file():
            return None
        try:
            with np.load(path, allow_pickle=False) as data:
                if int(data["format"]) != FORMAT:
                    raise ValueError("old format")
                return {name: data[name] for name in names}
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
            log.warning("prefix cache %s is damaged (%s); rebuilding it", path, exc)
            path.unlink(missing_ok=True)
            return None

    def save_arrays(self, key: str, **arrays: np.ndarray) -> None:
        """Store named arrays atomically (facts about the model worth keeping between processes)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.folder / f".{key}.{os.getpid()}.npz"
            np.savez(tmp, format=np.array(FORMAT), **arrays)
            os.replace(tmp, self.path(key))
        except OSError as exc:
            log.warning("cannot write the prefix cache in %s: %s", self.folder, exc)
