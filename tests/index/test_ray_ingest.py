"""`gisa ingest --ray`: a local Ray Data ingest builds the same index as the local path."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from index import Index, store
from index.embedding import HashEmbedder
from index.ray_ingest import RayPreparer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ray_session() -> Iterator[None]:
    """One local Ray for the module (2 CPUs, no dashboard), shut down after."""
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


def _without_times(directory: Path) -> dict:
    manifest = store.read_manifest(directory)
    return {k: v for k, v in manifest.items() if k not in ("created", "updated", "files")}


def test_ray_ingest_gives_the_same_index_as_a_local_one(
    ray_session: None, tmp_path: Path, corpus: Path, hashed: HashEmbedder
) -> None:
    (corpus / "empty.txt").write_text("  \n", encoding="utf-8")  # a file that fails to load on a worker
    local = Index.load(tmp_path / "local", hashed, create=True)
    local_report = local.ingest([corpus])
    on_ray = Index.load(tmp_path / "ray", hashed, create=True)
    on_ray.preparer = RayPreparer(workers=2)
    ray_report = on_ray.ingest([corpus])

    assert ray_report.added == local_report.added and ray_report.chunks_embedded == local_report.chunks_embedded
    assert [(f.path, f.reason) for f in ray_report.failures] == [(f.path, f.reason) for f in local_report.failures]
    assert [c.to_json() for c in on_ray.chunks] == [c.to_json() for c in local.chunks]
    assert [a.to_json() for a in on_ray.articles] == [a.to_json() for a in local.articles]
    assert _without_times(tmp_path / "ray") == _without_times(tmp_path / "local")
    ids = [c.vector_id for c in local.chunks]
    ray_vectors = store.read_snapshot(tmp_path / "ray").vectors.reconstruct_batch(np.array(ids))
    local_vectors = store.read_snapshot(tmp_path / "local").vectors.reconstruct_batch(np.array(ids))
    assert np.allclose(ray_vectors, local_vectors, atol=1e-6)
    bm25 = [json.dumps(store.read_snapshot(tmp_path / d).bm25.to_json(), sort_keys=True) for d in ("ray", "local")]
    assert bm25[0] == bm25[1]

    # an incremental Ray ingest embeds only what changed, numbering after the existing chunks
    (corpus / "more.txt").write_text("Chip news\nThe fab will open in 2027.\nIt cost $2 billion.", encoding="utf-8")
    again = on_ray.ingest([corpus])
    assert again.added == ("more",) and again.chunks_embedded == 1
    assert on_ray.search("When will the fab open?", 1)[0].chunk.doc_id == "more"
    assert on_ray.chunks[-1].vector_id == max(ids) + 1
