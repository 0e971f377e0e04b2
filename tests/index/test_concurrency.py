"""Concurrent writers never lose updates; readers pick up what another process committed (issue 14)."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from index import Index, store
from index.embedding import HashEmbedder
from index.errors import IndexBusyError
from tests.samples import ROOT

WRITER = """
import sys
from index import Index
from index.embedding import HashEmbedder
Index.load(sys.argv[1], HashEmbedder(), create=True).ingest([sys.argv[2]])
"""


def _articles(folder: Path, prefix: str, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"{prefix}{i}.txt").write_text(
            f"{prefix} story {i}\n" + " ".join(f"Sentence {j} of {prefix} {i} says {i * 7 + j}." for j in range(30)),
            encoding="utf-8",
        )
    return folder


def _writer(directory: Path, folder: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(directory), str(folder)],
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        stderr=subprocess.PIPE,
    )


CONCURRENT_WRITER_TRIALS = 3


@pytest.mark.slow
@pytest.mark.parametrize("trial", range(CONCURRENT_WRITER_TRIALS))
def test_two_ingest_processes_lose_no_update(tmp_path: Path, hashed: HashEmbedder, trial: int) -> None:
    directory = tmp_path / "idx"
    Index.build(directory, [_articles(tmp_path / "base", "base", 2)], hashed)
    left, right = _articles(tmp_path / "left", "left", 4), _articles(tmp_path / "right", "right", 4)
    procs = [_writer(directory, left), _writer(directory, right)]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
    assert len(Index.load(directory).articles) == 10  # 2 + 4 + 4


def test_two_writers_in_one_process_lose_no_update(tmp_path: Path, hashed: HashEmbedder) -> None:
    directory = tmp_path / "idx"
    Index.build(directory, [_articles(tmp_path / "base", "base", 2)], hashed)
    first, second = Index.load(directory, hashed), Index.load(directory, hashed)  # both read the same generation
    folders = [_articles(tmp_path / "a", "a", 4), _articles(tmp_path / "b", "b", 4)]
    threads = [threading.Thread(target=w.ingest, args=([f],)) for w, f in zip((first, second), folders, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert len(Index.load(directory).articles) == 10
    assert len(first.articles) in (6, 10) and len(second.articles) in (6, 10)


def test_a_reader_sees_what_another_writer_committed(tmp_path: Path, hashed: HashEmbedder) -> None:
    directory = tmp_path / "idx"
    reader, _ = Index.build(directory, [_articles(tmp_path / "base", "base", 2)], hashed)
    assert not reader.refresh()
    Index.load(directory, hashed).ingest([_articles(tmp_path / "more", "more", 3)])
    assert reader.refresh() and len(reader.articles) == 5
    assert reader.search("more story 2", 1)[0].chunk.doc_id.startswith("more")


def test_a_second_writer_waits_then_fails_clearly(tmp_path: Path) -> None:
    directory = tmp_path / "idx"
    with store.writer_lock(directory), pytest.raises(IndexBusyError, match="try again"):  # noqa: SIM117
        with store.writer_lock(directory, timeout=0.2):
            pass


@pytest.mark.slow
def test_a_killed_writers_lock_does_not_block(tmp_path: Path) -> None:
    directory = tmp_path / "idx"
    directory.mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom index import store\nfrom pathlib import Path\n"
            "with store.writer_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(60)",
            str(directory),
        ],
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        stdout=subprocess.PIPE,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == b"held"
    holder.kill()
    holder.wait(10)
    with store.writer_lock(directory, timeout=5):
        pass


CHURN = """
import sys
from pathlib import Path
from index import Index
from index.embedding import HashEmbedder
folder = Path(sys.argv[2])
for i in range(int(sys.argv[3])):
    (folder / "churn.txt").write_text(f"Churn story {i}\\nIt changed {i} times.", encoding="utf-8")
    Index.load(sys.argv[1], HashEmbedder()).ingest([folder])
"""


@pytest.mark.slow
def test_readers_racing_a_writer_never_see_a_broken_index(tmp_path: Path, hashed: HashEmbedder) -> None:
    directory = tmp_path / "idx"
    folder = _articles(tmp_path / "base", "base", 2)
    Index.build(directory, [folder], hashed)
    writer = subprocess.Popen(
        [sys.executable, "-c", CHURN, str(directory), str(folder), "15"],
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        stderr=subprocess.PIPE,
    )
    loads, failures = 0, []
    while writer.poll() is None:
        try:
            Index.load(directory, hashed)
        except Exception as exc:  # any failure counts; none is expected
            failures.append(repr(exc))
        loads += 1
    assert writer.returncode == 0, writer.stderr.read().decode() if writer.stderr else ""
    assert loads > 20 and failures == [], failures[:3]
