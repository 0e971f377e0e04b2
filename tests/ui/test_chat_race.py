"""A chat upload and a CLI ingest at the same time lose no article (issue 14)."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from index import Index
from tests.samples import ROOT
from tests.ui.servers import chat_server, cli_env

pytestmark = pytest.mark.slow


def _articles(folder: Path, prefix: str, n: int) -> list[Path]:
    folder.mkdir()
    paths = []
    for i in range(n):
        path = folder / f"{prefix}{i}.txt"
        path.write_text(
            f"{prefix} story {i}\n" + " ".join(f"Line {j} of {prefix} {i} counts {i * 11 + j}." for j in range(40)),
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def test_chat_upload_racing_a_cli_ingest(tmp_path: Path) -> None:
    from gradio_client import Client, handle_file

    index = tmp_path / "index"
    subprocess.run(
        [sys.executable, "-m", "ui.cli", "ingest", str(ROOT / "seeds")],
        env=cli_env(index, GISA_EMBEDDER="hash"),
        check=True,
        capture_output=True,
        timeout=300,
    )
    uploads = _articles(tmp_path / "up", "upload", 4)
    cli_folder = _articles(tmp_path / "cli", "cli", 4)[0].parent
    with chat_server(tmp_path) as url:
        client = Client(url, verbose=False)
        statuses: list[str] = []

        def upload() -> None:
            for path in uploads:
                statuses.append(client.predict([handle_file(str(path))], api_name="/add_articles")[0])

        thread = threading.Thread(target=upload)
        thread.start()
        cli = subprocess.run(
            [sys.executable, "-m", "ui.cli", "ingest", str(cli_folder)],
            env=cli_env(index),
            capture_output=True,
            text=True,
            timeout=300,
        )
        thread.join(300)
    assert cli.returncode == 0, cli.stderr
    assert all("added as" in s for s in statuses), statuses
    assert len(Index.load(index).articles) == 9  # 1 + 4 + 4
