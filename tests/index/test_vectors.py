"""The FAISS index type follows the index's size: flat while small, IVF above a threshold, and back."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from index import Index, store
from index.embedding import HashEmbedder
from index.faiss_store import FaissStore
from index.vectors import FLAT_MAX_CHUNKS, VectorLayout, ivf_layout, layout_for
from tests.samples import SEED_ID

FLAT_MAX = 12  # lowered so that the two test articles (about 20 chunks) cross it


def test_layout_switches_by_size_with_hysteresis_and_retrains_on_growth() -> None:
    flat = VectorLayout()
    assert layout_for(FLAT_MAX_CHUNKS, flat) == flat
    ivf = layout_for(FLAT_MAX_CHUNKS + 1, flat)
    assert ivf.kind == "ivf" and ivf.trained_on == FLAT_MAX_CHUNKS + 1 and 1 <= ivf.nprobe <= ivf.nlist
    assert layout_for(FLAT_MAX_CHUNKS * 3, ivf) == ivf  # grown 3x: the lists still fit
    assert layout_for(FLAT_MAX_CHUNKS * 5, ivf) == ivf_layout(FLAT_MAX_CHUNKS * 5)  # grown past 4x: retrained
    assert layout_for(FLAT_MAX_CHUNKS * 3 // 4, ivf) == ivf  # a little under the threshold: still IVF
    assert layout_for(FLAT_MAX_CHUNKS // 2 - 1, ivf) == flat  # under half of it: flat again
    big = ivf_layout(1_000_000)
    assert (big.nlist, big.nprobe) == (4096, 96)


def _manifest(directory: Path) -> dict:
    return json.loads((store.current_generation(directory) / "manifest.json").read_text(encoding="utf-8"))


def test_index_turns_ivf_past_the_threshold_and_flat_again_after_removals(
    tmp_path: Path, corpus: Path, hashed: HashEmbedder
) -> None:
    directory = tmp_path / "idx"
    index = Index.load(directory, hashed, create=True, store=FaissStore(directory, flat_max=FLAT_MAX))
    index.ingest([corpus / "battery.txt"])
    assert _manifest(directory)["vectors"]["kind"] == "flat"
    flat_results = {q: [h.chunk.chunk_id for h in index.search(q, 3)] for q in ("battery plant", "Texas jobs")}

    index.ingest([corpus])  # the seed article takes it past FLAT_MAX chunks
    manifest = _manifest(directory)
    assert len(index.chunks) > FLAT_MAX and manifest["vectors"]["kind"] == "ivf"
    assert manifest["vectors"]["trained_on"] == len(index.chunks)
    # a new process reads the IVF generation (its size checked against the layout) and finds the same chunks
    reopened = Index.load(directory, hashed)
    assert index.info().vectors == reopened.info().vectors == "ivf"
    for question, before in flat_results.items():
        found = [h.chunk.chunk_id for h in reopened.search(question, 3)]
        assert found == [h.chunk.chunk_id for h in index.search(question, 3)]
        assert found[0] == before[0]  # nprobe covers every list at this size: exact, as flat was
    assert "300여대의 서버" in reopened.search("데이터센터 서버 300여대", 1)[0].chunk.text

    # an incremental change on an IVF index keeps the trained lists
    (corpus / "battery.txt").write_text("Battery news\nThe plant will open in 2026 in Texas.", encoding="utf-8")
    index.ingest([corpus])
    assert _manifest(directory)["vectors"] == manifest["vectors"]
    assert "open in 2026" in index.search("When will the plant open?", 1)[0].chunk.text

    index.remove(SEED_ID)  # far under half the threshold: flat again
    assert _manifest(directory)["vectors"]["kind"] == "flat"
    assert [c.doc_id for c in Index.load(directory, hashed).chunks] == ["battery"]
    vectors = store.read_snapshot(directory).vectors
    assert vectors.ntotal == 1 and np.allclose(
        vectors.reconstruct(index.chunks[0].vector_id) @ vectors.reconstruct(index.chunks[0].vector_id), 1.0, atol=1e-4
    )
