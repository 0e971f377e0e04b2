"""`gisa ingest --ray`: a local Ray Data ingest builds the same index as the local path."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from index import Index, store
from index.embedding import HashEmbedder
from index.errors import ConfigError
from index.ray_ingest import RayPreparer, start_ray

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ray_session() -> Iterator[None]:
    """One local Ray for the module (2 CPUs, no dashboard), shut down after."""
    ray = pytest.importorskip("ray")
    options = {"num_cpus": 2, "include_dashboard": False, "log_to_driver": False, "configure_logging": False}
    start_ray(ray, options, "a local node")
    yield
    ray.shutdown()


class _SlowStartingRay:
    """Ray's `init`/`shutdown`, failing to start as many times as told: how a loaded machine's node behaves."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls: list[str] = []

    def init(self, **options: object) -> None:
        self.calls.append("init")
        if self.failures:
            self.failures -= 1
            raise Exception("The current node timed out during startup.")

    def shutdown(self) -> None:
        self.calls.append("shutdown")


def test_a_node_that_times_out_while_starting_is_started_again() -> None:
    once = _SlowStartingRay(failures=1)
    start_ray(once, {}, "a local node")
    assert once.calls == ["init", "shutdown", "init"]
    with pytest.raises(ConfigError, match="Ray did not start at a local node"):
        start_ray(_SlowStartingRay(failures=2), {}, "a local node")


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
