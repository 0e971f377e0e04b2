"""A corruption matrix over every index file: each damage is a GisaError that names the file (issue 14)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from index import Index, store
from index.embedding import HashEmbedder
from index.errors import GisaError
from tests.samples import ENGLISH_ARTICLE, ROOT, SEED_DIR

FILES = [*store.FILES, "manifest.json", store.CURRENT]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two healthy indexes: the one to damage, and another one to swap files from."""
    root = tmp_path_factory.mktemp("pristine")
    Index.build(root / "a", [SEED_DIR], HashEmbedder())
    other = root / "other-articles"
    other.mkdir()
    (other / "battery.txt").write_text(ENGLISH_ARTICLE, encoding="utf-8")
    Index.build(root / "b", [other], HashEmbedder())
    return root / "a", root / "b"


def _target(directory: Path, name: str) -> Path:
    return directory / name if name == store.CURRENT else store.current_generation(directory) / name


def _reseal(directory: Path, name: str) -> None:
    """Make the manifest's checksum agree with a damaged file (damage that checksums cannot catch)."""
    if name in store.FILES:
        manifest_path = _target(directory, "manifest.json")
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        data = _target(directory, name).read_bytes()
        manifest["files"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for i in range(0, len(data), max(1, len(data) // 7)):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))


def _faiss_header(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[8:16] = (2**40).to_bytes(8, "little")  # a vector count that would need terabytes
    path.write_bytes(bytes(data))


def _manifest_field(path: Path) -> None:
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["chunking"]["bogus"] = 1
    del manifest["embedder"]["id"]
    path.write_text(json.dumps(manifest), encoding="utf-8")


DAMAGE: dict[str, Callable[[Path], None]] = {
    "truncate": lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 3]),
    "flip bytes": _flip,
    "delete": lambda p: p.unlink(),
    "empty": lambda p: p.write_bytes(b""),
}


def _copy(pristine: Path, tmp_path: Path) -> Path:
    directory = tmp_path / "idx"
    shutil.copytree(pristine, directory)
    return directory


def _assert_named(directory: Path, name: str) -> None:
    with pytest.raises(GisaError) as err:
        Index.load(directory)
    assert name in str(err.value) and "--rebuild" in str(err.value)


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_file(pristine: tuple[Path, Path], tmp_path: Path, name: str, damage: str) -> None:
    directory = _copy(pristine[0], tmp_path)
    DAMAGE[damage](_target(directory, name))
    _assert_named(directory, name if name != store.CURRENT else "CURRENT")


@pytest.mark.parametrize("name", [*store.FILES, "manifest.json"])
def test_file_swapped_with_another_indexs(pristine: tuple[Path, Path], tmp_path: Path, name: str) -> None:
    directory = _copy(pristine[0], tmp_path)
    shutil.copyfile(_target(pristine[1], name), _target(directory, name))
    _assert_named(directory, name)


@pytest.mark.parametrize("name", store.FILES)
@pytest.mark.parametrize("damage", ["truncate", "flip bytes"])
def test_damage_with_a_consistent_checksum(pristine: tuple[Path, Path], tmp_path: Path, name: str, damage: str) -> None:
    directory = _copy(pristine[0], tmp_path)
    DAMAGE[damage](_target(directory, name))
    _reseal(directory, name)
    _assert_named(directory, name)


def test_faiss_header_asking_for_terabytes(pristine: tuple[Path, Path], tmp_path: Path) -> None:
    directory = _copy(pristine[0], tmp_path)
    _faiss_header(_target(directory, "vectors.faiss"))
    _reseal(directory, "vectors.faiss")
    _assert_named(directory, "vectors.faiss")


def test_manifest_that_parses_but_is_wrong(pristine: tuple[Path, Path], tmp_path: Path) -> None:
    directory = _copy(pristine[0], tmp_path)
    _manifest_field(_target(directory, "manifest.json"))
    _assert_named(directory, "manifest.json")


@pytest.mark.parametrize("damage", ["flip bytes", "truncate"])
def test_cli_on_damaged_index_prints_no_traceback(pristine: tuple[Path, Path], tmp_path: Path, damage: str) -> None:
    directory = _copy(pristine[0], tmp_path)
    for name in [*store.FILES, "manifest.json"]:
        DAMAGE[damage](_target(directory, name))
        _reseal(directory, name)
    for args in (["index", "info"], ["search", "H20"]):
        out = subprocess.run(
            [sys.executable, "-m", "ui.cli", *args, "--index", str(directory)],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            timeout=120,
        )
        assert out.returncode == 2 and out.stderr.startswith("error:") and "Traceback" not in out.stderr
