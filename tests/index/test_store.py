import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from index import Index, store
from index.embedding import E5Embedder
from index.errors import IndexCorruptError
from tests.samples import ROOT, SEED_ID

pytestmark = pytest.mark.slow

# Runs an ingest in a child process that SIGKILLs itself during the n-th file write of the commit
# (4 data files, then manifest.json, then the CURRENT pointer), after writing half of that file.
KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from index import store
    from index import Index
    from index.embedding import make_embedder

    target, calls, real = int(sys.argv[3]), [0], store._write_file

    def dying_write(path, data):
        calls[0] += 1
        if calls[0] == target:
            with open(path, "wb") as fh:
                fh.write(data[: len(data) // 2])
            os.kill(os.getpid(), signal.SIGKILL)
        real(path, data)

    store._write_file = dying_write
    Index.load(sys.argv[1], make_embedder("e5"), create=True).ingest([sys.argv[2]])
    """
)


def _child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.fixture
def old_index(tmp_path: Path, e5: E5Embedder) -> Path:
    """An index holding only the seed article."""
    directory = tmp_path / "idx"
    Index.build(directory, [ROOT / "seeds"], e5)
    return directory


def _assert_old_index_intact(directory: Path) -> None:
    index = Index.load(directory)
    assert [a.doc_id for a in index.articles] == [SEED_ID]
    assert "300여대의 서버" in index.search("How many servers in Australia?", 1)[0].chunk.text


@pytest.mark.parametrize("die_at_write", [1, 2, 3, 4, 5, 6])
def test_ingest_killed_during_commit_leaves_previous_index_loadable(
    tmp_path: Path, old_index: Path, corpus: Path, die_at_write: int, e5: E5Embedder
) -> None:
    child = subprocess.run(
        [sys.executable, "-c", KILLER, str(old_index), str(corpus), str(die_at_write)],
        env=_child_env(),
        capture_output=True,
        timeout=120,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()
    _assert_old_index_intact(old_index)
    # the next ingest succeeds and clears the half-written generation
    report = Index.load(old_index, e5, create=True).ingest([corpus])
    assert report.added == ("battery",)
    assert not list(old_index.glob("*.tmp"))
    live = store.current_generation(old_index)
    # replaced generations stay, marked, for the grace period; only the live one is unmarked
    assert [g for g in old_index.glob("gen-*") if not (g / store.RETIRED).exists()] == [live]


def test_ingest_killed_while_embedding_leaves_previous_index_loadable(tmp_path: Path, old_index: Path) -> None:
    many = tmp_path / "many"
    many.mkdir()
    sentences = (ROOT / "seeds" / "000_cfd0560a8afc951a.txt").read_text(encoding="utf-8").splitlines()[3:18]
    for i in range(150):
        body = "\n".join(sentences[(i + j) % len(sentences)] for j in range(8))
        (many / f"a{i:03d}.txt").write_text(f"기사 {i}\n{body}\n번호 {i}.", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "ui.cli", "ingest", str(many), "--index", str(old_index)],
        env=_child_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(6)
    assert proc.poll() is None, "ingest finished before it could be killed; make the corpus larger"
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    _assert_old_index_intact(old_index)


def _generation(directory: Path) -> Path:
    return store.current_generation(directory)


def test_corrupted_chunk_file_is_detected(tmp_path: Path, old_index: Path) -> None:
    path = _generation(old_index) / "chunks.jsonl"
    data = bytearray(path.read_bytes())
    data[100] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(IndexCorruptError, match=r"chunks.jsonl.*corrupted.*--rebuild"):
        Index.load(old_index)


def test_truncated_vectors_are_detected(old_index: Path) -> None:
    path = _generation(old_index) / "vectors.faiss"
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(IndexCorruptError, match=r"vectors\.faiss"):
        Index.load(old_index)


def test_missing_generation_and_garbled_manifest_are_detected(old_index: Path) -> None:
    manifest = _generation(old_index) / "manifest.json"
    manifest.write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexCorruptError, match="manifest"):
        Index.load(old_index)
    shutil.rmtree(_generation(old_index))
    with pytest.raises(IndexCorruptError, match="CURRENT names a missing generation"):
        Index.load(old_index)


def test_manifest_records_embedder_chunking_documents_and_checksums(old_index: Path) -> None:
    manifest = json.loads((_generation(old_index) / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == "gisa-index" and manifest["format_version"] == store.FORMAT_VERSION
    assert manifest["embedder"]["dim"] == 384 and manifest["embedder"]["normalized"] is True
    assert manifest["chunking"] == {"sentences": 3, "overlap": 1, "max_chars": 500}
    assert len(manifest["documents"][SEED_ID]["sha256"]) == 64
    assert set(manifest["files"]) == set(store.FILES)


def test_wrong_dimension_in_manifest_is_detected(old_index: Path) -> None:
    path = _generation(old_index) / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["embedder"]["dim"] = 512
    path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexCorruptError, match=r"vectors\.faiss.*512 dimensions|inconsistent"):
        Index.load(old_index)
