"""The chat's actions over the Python API, with a real (hash-embedded) index and a scripted generator."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from index import Index
from index.embedding import HashEmbedder
from index.errors import ConfigError
from rag.assistant import Assistant
from rag.config import Config
from tests.samples import SEED_DIR, ScriptedGenerator
from ui.controller import ChatController, SessionSettings


@pytest.fixture
def setup(tmp_path: Path, hashed: HashEmbedder) -> tuple[ChatController, Path]:
    index, _ = Index.build(tmp_path / "index", [SEED_DIR], hashed)
    received = tmp_path / "gradio-uploads"
    received.mkdir()
    cfg = Config(model_path=tmp_path / "models" / "default.gguf", openai_url="http://127.0.0.1:1/v1", openai_key="k")
    assistant = Assistant(index, ScriptedGenerator("NO_ANSWER"), cfg)
    return ChatController(assistant, tmp_path / "uploads", accepted_dirs=[received]), received


def test_only_files_the_server_received_are_ingested(setup: tuple[ChatController, Path], tmp_path: Path) -> None:
    controller, received = setup
    outside = tmp_path / "private.txt"
    outside.write_text("Private.\nNever ingest this.", encoding="utf-8")
    link = received / "link.txt"
    os.symlink(outside, link)
    inside = received / "ok.txt"
    inside.write_text("A real upload.\nIt has 3 lines.\nThe end.", encoding="utf-8")
    lines = controller.add_files([str(outside), str(link), str(received / ".." / "private.txt"), str(inside)])
    assert [line.startswith("✗") for line in lines] == [True, True, True, False]
    assert all("refused" in line for line in lines[:3])
    assert {a.doc_id for a in controller.assistant.index.articles} == {"000_cfd0560a8afc951a", "ok"}


def test_same_name_upload_is_kept_beside_the_first(setup: tuple[ChatController, Path]) -> None:
    controller, received = setup
    for n, text in enumerate(("First story.\nAbout cats.", "Second story.\nAbout dogs.")):
        folder = received / str(n)
        folder.mkdir()
        (folder / "news.txt").write_text(text, encoding="utf-8")
        [line] = controller.add_files([str(folder / "news.txt")])
        assert "added as" in line
    again = received / "0" / "news.txt"
    assert controller.add_files([str(again)]) == ["= news.txt: already indexed"]
    assert {"First story.", "Second story."} <= {a.title for a in controller.assistant.index.articles}


def test_routing_settings_need_the_server_flag(setup: tuple[ChatController, Path]) -> None:
    controller, _ = setup
    with pytest.raises(ConfigError, match="--allow-settings"):
        controller.session_config(SessionSettings(backend="openai", openai_url="http://127.0.0.1:2/v1"))
    assert controller.session_config(SessionSettings(top_k=3, temperature=0.5)).top_k == 3


def test_the_servers_key_goes_only_to_the_servers_url(setup: tuple[ChatController, Path]) -> None:
    controller, _ = setup
    controller.allow_settings = True
    elsewhere = controller.session_config(SessionSettings(backend="openai", openai_url="http://127.0.0.1:2/v1"))
    assert elsewhere.openai_key == ""
    own = controller.session_config(SessionSettings(backend="openai"))
    assert own.openai_key == "k"
    assert controller.assistant.config.backend == "local"  # nothing global changed


def test_model_paths_outside_the_model_folder_get_one_answer(setup: tuple[ChatController, Path]) -> None:
    controller, _ = setup
    controller.allow_settings = True
    messages = set()
    for path in ("/etc/passwd", "/no/such.gguf", "../../etc/x.gguf", str(Path.home())):
        with pytest.raises(ConfigError) as err:
            controller.session_config(SessionSettings(model_path=path))
        messages.add(str(err.value))
    assert len(messages) == 1
    inside = controller.session_config(SessionSettings(model_path="other.gguf"))
    assert inside.model_path == controller.assistant.config.model_path.parent.resolve() / "other.gguf"


def test_apply_tries_a_remote_backend_and_reports_an_unreachable_one(setup: tuple[ChatController, Path]) -> None:
    from index.errors import GisaError

    controller, _ = setup
    controller.allow_settings = True
    settings = SessionSettings(backend="openai", openai_url="http://127.0.0.1:9/v1", openai_model="m")
    with pytest.raises(GisaError, match=r"127\.0\.0\.1:9"):
        controller.check_backend(settings)
    assert controller.check_backend(SessionSettings(top_k=3)) == "ok"  # the server's own backend, unchanged


def test_stop_ends_a_sessions_answer_at_its_next_piece(setup: tuple[ChatController, Path]) -> None:
    controller, _ = setup
    controller.assistant.generator.reply = "Tencent grew 176% [1]. " * 4
    answering = controller.begin("s")
    assert answering is not None and controller.begin("s") is None
    stream = controller.ask("텐센트 증가율은?", answering=answering)
    first = next(stream)
    assert controller.stop("s") and answering.reason == "stop"
    rest = list(stream)
    assert isinstance(first, str) and rest == []  # no further pieces, and no Answer
    controller.end("s", answering)
    assert controller.answering("s") is None and controller.begin("s") is not None
