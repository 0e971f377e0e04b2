"""Small file helpers shared by the index and the layers above it."""

from __future__ import annotations

import hashlib
from pathlib import Path

HASH_BLOCK_BYTES = 1 << 22


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(HASH_BLOCK_BYTES), b""):
            digest.update(block)
    return digest.hexdigest()
