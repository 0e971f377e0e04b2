"""The chat's pieces that need no browser: taking a question, stopping, labels, rendering, the start screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import Article, Index
from index.embedding import HashEmbedder
from rag.assistant import Assistant
from rag.config import Config
from rag.types import Answer, Citation
from tests.samples import SEED_DIR, ScriptedGenerator
from ui.app import message_text, start, stopped_chat
from ui.controller import ChatController
from ui.labels import UI
from ui.render import answer_markdown, draft_markdown, sources_html
from ui.start import example_questions, start_screen


@pytest.fixture
def controller(tmp_path: Path, hash_index: Index) -> ChatController:
    return ChatController(Assistant(hash_index, ScriptedGenerator("300여대입니다 [1]."), Config()), tmp_path / "up")


def test_a_question_is_taken_once_per_session_until_its_answer_ends(controller: ChatController) -> None:
    box, chat, taken = start(controller, "H20 가격은?", [], "ko", "s1")
    assert (box, taken) == ("", "H20 가격은?") and chat[-1]["content"] == draft_markdown("", "ko")
    with pytest.warns(UserWarning, match="중지"):  # refused aloud: the first is still being written
        assert start(controller, "another", chat, "ko", "s1")[2] == ""
    assert start(controller, "other user", [], "ko", "s2")[2] == "other user"  # other sessions are not held up
    assert start(controller, "", [], "ko", "s3")[2] == ""  # an empty box sends nothing
    controller.stop("s1")
    assert start(controller, "after stop", chat, "ko", "s1")[2] == "after stop"


def test_a_stopped_answer_keeps_what_was_shown_and_says_it_stopped() -> None:
    chat = [
        {"role": "user", "content": "q"},
        {"role": "assistant", "content": [{"type": "text", "text": draft_markdown("", "en") + "\n\nTencent grew"}]},
    ]
    stopped = stopped_chat(chat, "en")
    assert message_text(stopped[-1]).startswith("Tencent grew") and "stopped" in message_text(stopped[-1])


def test_labels_exist_in_both_languages() -> None:
    assert set(UI["ko"]) == set(UI["en"]) and all(UI["ko"].values()) and all(UI["en"].values())


def test_each_answer_links_its_own_sources_and_model_text_is_inert(tmp_path: Path) -> None:
    index = Index.load(tmp_path / "idx", HashEmbedder(), create=True)
    text = "Exports rose 12% in May."
    index.add([Article("doc", "Chip <exports>", text, "en")])
    citation = Citation(1, "doc", "Chip <exports>", "doc#0", text, 0, len(text), True)
    answer = Answer("q", "Exports rose <b>12%</b> [1].", "en", (citation,), (), False, (), searched="q about exports")
    markdown = answer_markdown(answer, turn=3)
    assert "(#src-3-1)" in markdown and "<b>" not in markdown and "searched for: q about exports" in markdown
    html = sources_html(answer, index, turn=3)
    assert 'id="src-3-1"' in html and "<details" in html and "Chip &lt;exports&gt;" in html


def test_the_start_screen_lists_the_articles_and_draws_examples_from_them(hash_index: Index, tmp_path: Path) -> None:
    screen = start_screen(hash_index)
    assert "美반도체 제재의 허점" in screen and "디지털타임스" in screen
    examples = example_questions(hash_index)
    assert len(examples) == 3 and len(set(examples)) == 3 and any("데릭" in q or "H20" in q for q in examples)
    empty = Index.load(tmp_path / "empty", HashEmbedder(), create=True)
    assert "No articles yet" in start_screen(empty) and example_questions(empty) == []
    other, _ = Index.build(tmp_path / "other", [SEED_DIR], HashEmbedder())
    other.add([Article("x", "Battery plant opens", "Battery plant opens\nIt cost $450 million.", "en")])
    assert len(example_questions(other)) == 3
