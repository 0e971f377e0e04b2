"""Ingest and removal never lose articles by accident, and one bad file never stops the rest (issue 15)."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from index import Index, store
from index.embedding import HashEmbedder
from index.errors import ArticleError, DocumentNotFoundError, IndexWriteError
from tests.samples import ENGLISH_ARTICLE, SEED_ID


@pytest.fixture
def built(tmp_path: Path, corpus: Path, hashed: HashEmbedder) -> Index:
    index, report = Index.build(tmp_path / "idx", [corpus], hashed)
    assert sorted(report.added) == sorted(["battery", SEED_ID])
    return index


def _ids(directory: Path) -> list[str]:
    return [a.doc_id for a in Index.load(directory).articles]


def test_remove_with_an_unknown_absolute_path_removes_nothing(built: Index) -> None:
    before = _ids(built.directory)
    for _ in range(3):
        with pytest.raises(DocumentNotFoundError, match="gisa index info"):
            built.remove("/no/such/file.txt")
    assert _ids(built.directory) == before


def test_remove_by_exact_source_path(built: Index, corpus: Path) -> None:
    removed = built.remove(str(corpus / "battery.txt"))
    assert removed.doc_id == "battery" and _ids(built.directory) == [SEED_ID]


def test_a_missing_folder_is_an_error_and_changes_nothing(built: Index, corpus: Path) -> None:
    moved = corpus.with_name("moved-away")
    corpus.rename(moved)
    generation = store.current_generation(built.directory)
    with pytest.raises(ArticleError, match="nothing was changed"):
        built.ingest([corpus])
    assert store.current_generation(built.directory) == generation
    assert sorted(_ids(built.directory)) == sorted(["battery", SEED_ID])


def test_pruning_still_removes_a_file_deleted_from_an_existing_folder(built: Index, corpus: Path) -> None:
    (corpus / "battery.txt").unlink()
    assert built.ingest([corpus]).removed == ("battery",)


def _bad_files(folder: Path) -> dict[str, str]:
    """Each trigger seen to abort a whole ingest, by file name."""
    (folder / "odd-utf16.txt").write_bytes(b"\xff\xfe" + "기사 본문".encode("utf-16-le") + b"\x00")
    (folder / "lone-surrogate.txt").write_bytes(b"\xff\xfe" + b"\x00\xd8" + "abc".encode("utf-16-le"))
    (folder / "listmeta.txt").write_text("A story with a list sidecar.\nIt still goes in.", encoding="utf-8")
    (folder / "listmeta.meta.json").write_text("[1, 2, 3]", encoding="utf-8")
    long_name = "가" * 82 + ".txt"  # 250 bytes; its sidecar name would pass the 255-byte limit
    (folder / long_name).write_text("긴 이름의 기사입니다.\n본문은 짧습니다.", encoding="utf-8")
    return {"odd-utf16.txt": "UTF-16", "lone-surrogate.txt": "UTF-16"}


def test_one_bad_file_is_reported_by_name_and_the_rest_go_in(tmp_path: Path, corpus: Path, hashed) -> None:  # type: ignore[no-untyped-def]
    failing = _bad_files(corpus)
    loop = tmp_path / "loop"
    os.symlink(loop, loop)  # a symlink loop given as a path
    index = Index.load(tmp_path / "idx", hashed, create=True)
    report = index.ingest([corpus, loop])
    reasons = {Path(f.path).name: f.reason for f in report.failures}
    for name, why in failing.items():
        assert why in reasons[name]
    assert "loop" in reasons
    added = set(report.added)
    assert {"battery", SEED_ID, "listmeta"} <= added and any(doc.startswith("가") for doc in added)


def test_links_out_of_an_ingested_folder_are_not_followed_unless_asked(tmp_path: Path, corpus: Path, hashed) -> None:  # type: ignore[no-untyped-def]
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0:root:/root:/bin/bash\nA private line.", encoding="utf-8")
    os.symlink(outside, corpus / "passwd.txt")
    index = Index.load(tmp_path / "idx", hashed, create=True)
    report = index.ingest([corpus])
    assert "passwd" not in report.added
    assert any("outside" in f.reason for f in report.failures if f.path.endswith("passwd.txt"))
    assert "passwd" in index.ingest([corpus], follow_symlinks=True).added


def test_a_full_disk_keeps_the_old_index_and_says_so(built: Index, corpus: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    generation = store.current_generation(built.directory)

    def full(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store, "_write_file", full)
    (corpus / "battery.txt").write_text(ENGLISH_ARTICLE.replace("$450", "$460"), encoding="utf-8")
    with pytest.raises(IndexWriteError, match="previous index is kept") as err:
        built.ingest([corpus])
    assert "No space left" in str(err.value)
    assert store.current_generation(built.directory) == generation
    assert not list(built.directory.glob("*.tmp"))
    monkeypatch.undo()
    assert sorted(_ids(built.directory)) == sorted(["battery", SEED_ID])


def test_readers_racing_a_writer_always_see_a_whole_generation(built: Index, corpus: Path) -> None:
    """A reader pinned to a generation whose files vanish re-reads the new one instead of failing."""
    old = store.current_generation(built.directory)
    (corpus / "battery.txt").write_text(ENGLISH_ARTICLE.replace("$450", "$470"), encoding="utf-8")
    built.ingest([corpus])
    assert old.exists(), "a replaced generation stays for the grace period"
    shutil.rmtree(old)  # as if the grace period ran out while a reader was still reading it
    calls = {"n": 0}
    real = store.current_generation

    def stale_then_live(directory: Path) -> Path:
        calls["n"] += 1
        return old if calls["n"] == 1 else real(directory)

    store.current_generation = stale_then_live  # type: ignore[assignment]
    try:
        snapshot = store.read_snapshot(built.directory)
    finally:
        store.current_generation = real  # type: ignore[assignment]
    assert "$470" in next(a.text for a in snapshot.articles if a.doc_id == "battery")
