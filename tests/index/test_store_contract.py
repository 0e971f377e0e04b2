"""The index contract, run against every embedded store: FAISS files and milvus-lite (a real Milvus, in process).

Each test builds its index through `Index.load(..., store=SPEC)`, so both stores pass the very same checks:
ingest, incremental re-ingest, pruning, removal, dense, BM25 and hybrid search, reopening, `info` and the
embedder-mismatch error.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index import Index
from index.chunk_store import StoreSpec
from index.embedding import HashEmbedder
from index.errors import DocumentNotFoundError, IndexMismatchError, IndexNotFoundError
from tests.samples import ENGLISH_ARTICLE, SEED_ID, CountingEmbedder

SERVERS = "300여대의 서버"


@pytest.fixture(params=["faiss", pytest.param("milvus-lite", marks=pytest.mark.slow)])
def spec(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store spec: the FAISS directory (given to `Index.load` as the directory) or a milvus-lite file."""
    return "faiss" if request.param == "faiss" else f"milvus:{tmp_path / 'milvus' / 'gisa.db'}"


def _open(tmp_path: Path, spec: str, embedder: object = None, **kwargs: object) -> Index:
    return Index.load(tmp_path / "idx", embedder, store=spec, **kwargs)  # type: ignore[arg-type]


def _close(index: Index) -> None:
    close = getattr(index.store, "close", None)
    if close:
        close()


def test_ingest_search_and_reopen(tmp_path: Path, spec: str, corpus: Path, hashed: HashEmbedder) -> None:
    index = _open(tmp_path, spec, hashed, create=True)
    report = index.ingest([corpus])
    assert sorted(report.added) == sorted(["battery", SEED_ID])
    assert report.chunks_embedded == len(index.chunks) == sum(index.chunk_counts().values())
    assert [c.vector_id for c in index.chunks] == sorted(c.vector_id for c in index.chunks)

    lexical = index.lexical_search("호주 데이터센터 서버", 3)
    assert SERVERS in lexical[0].chunk.text and lexical[0].retriever == "bm25"
    assert lexical[0].score > 0  # milvus-lite returns BM25 distances negated; the store reports magnitudes
    dense = index.search("How much did the Texas battery plant cost?", 3)
    assert [h.rank for h in dense] == [1, 2, 3] and dense[0].score >= dense[1].score >= dense[2].score
    assert dense[0].chunk.doc_id == "battery"
    hybrid = index.hybrid_search("호주 데이터센터 서버", 3)
    assert any(SERVERS in h.chunk.text for h in hybrid) and {h.retriever for h in hybrid} == {"hybrid"}
    assert hybrid[0].score >= hybrid[-1].score

    info = index.info()
    assert (info.documents, info.chunks, info.dim) == (2, len(index.chunks), hashed.dim)
    assert info.store == StoreSpec.parse(spec).kind and info.bytes_on_disk > 0
    _close(index)

    again = _open(tmp_path, spec, hashed)
    assert [a.doc_id for a in again.articles] == sorted(["battery", SEED_ID])
    assert again.article(SEED_ID).text == index.article(SEED_ID).text  # long texts survive the store's row limit
    assert [h.chunk.chunk_id for h in again.search("battery plant", 3)] == [
        h.chunk.chunk_id for h in index.search("battery plant", 3)
    ]
    _close(again)


def test_incremental_ingest_prune_and_remove(
    tmp_path: Path, spec: str, corpus: Path, counting: CountingEmbedder
) -> None:
    index = _open(tmp_path, spec, counting, create=True)
    index.ingest([corpus])
    seed_chunks = [c for c in index.chunks if c.doc_id == SEED_ID]

    counting.passages.clear()
    assert sorted(index.ingest([corpus]).unchanged) == sorted(["battery", SEED_ID])
    assert counting.passages == []

    (corpus / "battery.txt").write_text(ENGLISH_ARTICLE.replace("$450 million", "$520 million"), encoding="utf-8")
    changed = index.ingest([corpus])
    assert changed.updated == ("battery",)
    assert counting.passages == [c.text for c in index.chunks if c.doc_id == "battery"]
    assert [c for c in index.chunks if c.doc_id == SEED_ID] == seed_chunks
    assert "$520 million" in index.search("How much did the Texas battery plant cost?", 1)[0].chunk.text
    assert not any("$450 million" in c.text for c in index.chunks)

    (corpus / "battery.txt").unlink()
    assert index.ingest([corpus]).removed == ("battery",)
    assert all(h.chunk.doc_id == SEED_ID for h in index.search("battery plant in Texas", 5))
    assert set(index.chunk_counts()) == {SEED_ID}

    removed = index.remove(SEED_ID)
    assert removed.doc_id == SEED_ID and index.articles == [] and index.chunks == []
    assert index.search("서버", 3) == [] and index.lexical_search("서버", 3) == []
    with pytest.raises(DocumentNotFoundError, match="gisa index info"):
        index.remove(SEED_ID)
    _close(index)


def test_rebuild_starts_over(tmp_path: Path, spec: str, corpus: Path, hashed: HashEmbedder) -> None:
    first = _open(tmp_path, spec, hashed, create=True)
    first.ingest([corpus])
    _close(first)
    rebuilt = _open(tmp_path, spec, hashed, rebuild=True)
    assert rebuilt.ingest([corpus / "battery.txt"], prune=False).added == ("battery",)
    assert [a.doc_id for a in rebuilt.articles] == ["battery"]
    assert {c.doc_id for c in rebuilt.chunks} == {"battery"}
    assert min(c.vector_id for c in rebuilt.chunks) == 0
    _close(rebuilt)


def test_another_embedder_is_refused_and_a_missing_index_explained(
    tmp_path: Path, spec: str, corpus: Path, hashed: HashEmbedder
) -> None:
    with pytest.raises(IndexNotFoundError, match="gisa ingest"):
        _open(tmp_path, spec, hashed)
    index = _open(tmp_path, spec, hashed, create=True)
    index.ingest([corpus])
    _close(index)
    with pytest.raises(IndexMismatchError, match="--rebuild") as err:
        _open(tmp_path, spec, HashEmbedder(dim=64))
    assert "hash:trigram-256" in str(err.value) and "64 dims" in str(err.value)


@pytest.mark.slow
def test_both_stores_return_the_same_chunks(tmp_path: Path, corpus: Path, hashed: HashEmbedder) -> None:
    """Exact search on both stores: the same ranking for dense and lexical queries."""
    faiss_index = Index.load(tmp_path / "faiss", hashed, create=True)
    milvus_index = Index.load(tmp_path / "unused", hashed, create=True, store=f"milvus:{tmp_path / 'm.db'}")
    for index in (faiss_index, milvus_index):
        index.ingest([corpus])
    assert [c.to_json() for c in faiss_index.chunks] == [c.to_json() for c in milvus_index.chunks]
    for question in ("How much did the Texas battery plant cost?", "H20 칩 가격", "데이터센터 서버 몇 대"):
        assert [h.chunk.chunk_id for h in faiss_index.search(question, 5)] == [
            h.chunk.chunk_id for h in milvus_index.search(question, 5)
        ]
        faiss_top = faiss_index.lexical_search(question, 1)
        assert [h.chunk.chunk_id for h in faiss_top] == [
            h.chunk.chunk_id for h in milvus_index.lexical_search(question, 1)
        ]
    _close(milvus_index)


def test_a_copy_of_the_corpus_is_a_duplicate_on_every_store(
    tmp_path: Path, spec: str, corpus: Path, hashed: HashEmbedder
) -> None:
    shutil.copy(corpus / "battery.txt", corpus / "battery-copy.txt")
    index = _open(tmp_path, spec, hashed, create=True)
    report = index.ingest([corpus])
    assert report.duplicates and len(index.articles) == 2
    _close(index)
