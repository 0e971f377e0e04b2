"""gisa against a real Milvus standalone server on loopback: dense ingest and search, and a server that is down."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from index import Index
from index.embedding import HashEmbedder
from index.errors import StoreUnavailableError
from tests.index.milvus_server import free_port, milvus_server
from tests.samples import SEED_ID

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """milvus://127.0.0.1:PORT of a server started for this module."""
    with milvus_server(tmp_path_factory.mktemp("milvus-server")) as uri:
        yield uri.replace("http://", "milvus://")


def test_dense_ingest_search_and_remove_on_a_server(
    server: str, tmp_path: Path, corpus: Path, hashed: HashEmbedder, caplog: pytest.LogCaptureFixture
) -> None:
    spec = f"{server}/smoke"
    index = Index.load(tmp_path / "unused", hashed, create=True, store=spec)
    report = index.ingest([corpus])
    assert sorted(report.added) == sorted(["battery", SEED_ID])
    assert index.search("How much did the Texas battery plant cost?", 1)[0].chunk.doc_id == "battery"
    info = index.info()
    assert info.store == "milvus-server" and info.chunks == report.chunks_embedded and info.vectors == "AUTOINDEX"

    # Milvus 2.3 has no BM25: lexical search is off (said once in the log), hybrid search is dense
    assert index.lexical_search("호주 데이터센터 서버", 3) == []
    assert "no BM25" in caplog.text
    assert index.hybrid_search("battery plant", 2)[0].chunk.doc_id == "battery"

    # a second client (another process would do the same) sees the same index, and its removal
    other = Index.load(tmp_path / "unused", hashed, store=spec)
    assert [a.doc_id for a in other.articles] == sorted(["battery", SEED_ID])
    assert len(other.chunks) == report.chunks_embedded
    other.remove("battery")
    assert index.refresh() and [a.doc_id for a in index.articles] == [SEED_ID]
    assert all(h.chunk.doc_id == SEED_ID for h in index.search("battery plant in Texas", 5))


def test_an_unreachable_server_is_named_in_the_error(tmp_path: Path, hashed: HashEmbedder) -> None:
    spec = f"milvus://127.0.0.1:{free_port()}"
    with pytest.raises(StoreUnavailableError, match=r"http://127\.0\.0\.1:\d+") as err:
        Index.load(tmp_path / "unused", hashed, store=spec)
    assert "GISA_STORE" in str(err.value)
    env = dict(os.environ, GISA_STORE=spec)
    done = subprocess.run(
        [sys.executable, "-m", "ui.cli", "index", "info"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2 and "cannot reach Milvus at http://127.0.0.1" in done.stderr
    assert "Traceback" not in done.stderr
