"""The real chat app (gisa chat) driven in Debian's headless Chromium with Playwright."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.samples import ENGLISH_ARTICLE, ROOT

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def chat_url(tmp_path_factory: pytest.TempPathFactory, qwen_config) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """`gisa ingest seeds/` then `gisa chat` on a free loopback port."""
    work = tmp_path_factory.mktemp("chat")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "GISA_INDEX": str(work / "index"),
        "GISA_PROGRESS": "0",
        "GRADIO_ANALYTICS_ENABLED": "False",
    }
    subprocess.run(
        [sys.executable, "-m", "ui.cli", "ingest", str(ROOT / "seeds")],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    port = _free_port()
    log = (work / "chat.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "ui.cli", "chat", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(url, timeout=1)
                break
            except OSError:
                assert proc.poll() is None, (work / "chat.log").read_text()
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        proc.wait(30)


@pytest.fixture(scope="module")
def browser_page():  # type: ignore[no-untyped-def]
    """Open pages in one headless Chromium (1280x900) for the module; each waits until the chat is up."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: make test installs it (apt-get install chromium)"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def open_page(url: str):  # type: ignore[no-untyped-def]
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url)
            page.wait_for_selector("#gisa-question textarea", timeout=60_000)
            return page

        yield open_page
        browser.close()


@pytest.fixture(scope="module")
def page(chat_url: str, browser_page):  # type: ignore[no-untyped-def]
    """One page (one chat session) shared by the tests of this module, in the order they are written."""
    return browser_page(chat_url)


DRAFTING = ("작성 중", "drafting")


def answered(page) -> str:  # type: ignore[no-untyped-def]
    """Wait until no answer is being drafted or queued; the last answer's text."""
    page.wait_for_function(
        "() => { const t = document.querySelector('#gisa-chat').innerText;"
        " return !t.includes('작성 중') && !t.includes('drafting') && !t.includes('⏳'); }",
        timeout=180_000,
    )
    return page.locator("#gisa-chat .message").last.inner_text()


def ask(page, question: str, expect_in_sources: str, turn: int):  # type: ignore[no-untyped-def]
    """Send a question and wait for its answer; its own sources (ids src-TURN-n) must mark `expect_in_sources`."""
    page.fill("#gisa-question textarea", question)
    page.click("#gisa-ask")
    mark = page.locator(f"#gisa-chat [id^='src-{turn}-'] mark", has_text=expect_in_sources)
    mark.first.wait_for(timeout=180_000)
    return answered(page)


def test_the_start_screen_lists_the_articles_and_an_example_gets_an_answer(page) -> None:  # type: ignore[no-untyped-def]
    chat = page.locator("#gisa-chat")
    chat.get_by_text("美반도체 제재의 허점").first.wait_for(timeout=10_000)
    example = chat.get_by_text("데릭 오씨가 호주 데이터센터에 갖춘 서버는 몇 대인가요?").first
    example.click()
    page.locator("#gisa-chat [id^='src-0-'] mark", has_text="300여대").first.wait_for(timeout=180_000)
    answered(page)
    page.click("#gisa-clear")
    chat.get_by_text("美반도체 제재의 허점").first.wait_for(timeout=10_000)  # the start screen is back


def test_the_interface_switches_language(page) -> None:  # type: ignore[no-untyped-def]
    page.locator("#gisa-ui-language label", has_text="English").click()
    page.locator("#gisa-ask", has_text="Ask").wait_for(timeout=10_000)
    assert page.get_attribute("#gisa-question textarea", "placeholder").startswith("Ask a question")
    page.locator("#gisa-ui-language label", has_text="한국어").click()
    page.locator("#gisa-ask", has_text="질문하기").wait_for(timeout=10_000)


def test_a_conversation_keeps_each_answers_sources_and_resolves_a_follow_up(page) -> None:  # type: ignore[no-untyped-def]
    answer = ask(page, "데릭 오씨가 호주 데이터센터에 갖춘 서버는 몇 대인가요?", "300여대의 서버", turn=0)
    assert "300" in answer and re.search(r"\[\d\]", answer) and "✓" in answer

    answer = ask(page, "그는 어느 나라들에서 투자자를 모집했나요?", "투자자들을 모집", turn=1)
    assert "미국" in answer or "아랍에미리트" in answer or "UAE" in answer
    assert "검색한 질문" in answer and "데릭 오" in answer  # the follow-up, as it was searched for
    page.screenshot(path=str(ARTIFACTS / "chat-conversation.png"), full_page=True)

    # the first answer's [n] still points at the first answer's own passage
    first_link = page.locator("#gisa-chat a[href^='#src-0-']").first
    first_link.click()
    target = page.evaluate("() => document.querySelector(':target')?.id || ''")
    assert target.startswith("src-0-") and "300여대" in page.locator(f"#{target}").inner_text()
    assert page.locator("#gisa-chat [id^='src-1-']").count() >= 1

    page.click("#gisa-clear")
    page.wait_for_function("() => !document.querySelector('#gisa-chat [id^=src-]')", timeout=30_000)


def test_english_question_gets_korean_amounts_in_english(page) -> None:  # type: ignore[no-untyped-def]
    answer = ask(
        page, "What was the combined first-half capital expenditure of Alibaba, Tencent and Baidu?", "500억 위안", 0
    )
    assert "50 billion yuan" in answer
    assert page.input_value("#gisa-question textarea") == ""
    # the interface followed the question into English
    page.locator("#gisa-ask", has_text="Ask").wait_for(timeout=10_000)
    page.click("#gisa-clear")


def test_typing_while_an_answer_streams_is_kept_and_a_second_send_is_refused_aloud(page) -> None:  # type: ignore[no-untyped-def]
    page.fill("#gisa-question textarea", "H20 칩은 개당 얼마인가요?")
    page.press("#gisa-question textarea", "Enter")
    page.locator("#gisa-chat", has_text="H20 칩은 개당 얼마인가요?").wait_for(timeout=10_000)
    page.fill("#gisa-question textarea", "틱톡의 모회사는 어디인가요?")
    page.press("#gisa-question textarea", "Enter")
    page.get_by_text(re.compile("그대로 있습니다|stays here")).first.wait_for(timeout=10_000)  # the notice
    assert page.input_value("#gisa-question textarea") == "틱톡의 모회사는 어디인가요?"
    answered(page)
    assert page.input_value("#gisa-question textarea") == "틱톡의 모회사는 어디인가요?"  # still there
    page.press("#gisa-question textarea", "Enter")
    page.locator("#gisa-chat [id^='src-1-'] mark", has_text="바이트댄스").first.wait_for(timeout=180_000)
    answered(page)
    page.click("#gisa-clear")


def test_stop_ends_the_answer_and_the_next_question_is_answered(page) -> None:  # type: ignore[no-untyped-def]
    page.fill("#gisa-question textarea", "How many GPUs does another supplier connect?")
    page.click("#gisa-ask")
    page.locator("#gisa-chat", has_text="drafting").wait_for(timeout=10_000)
    page.click("#gisa-stop")
    page.locator("#gisa-chat", has_text="stopped").wait_for(timeout=30_000)
    assert page.locator("#gisa-chat [id^='src-0-']").count() == 0
    page.screenshot(path=str(ARTIFACTS / "chat-stopped.png"), full_page=True)
    answer = ask(page, "How many GPUs does another supplier connect?", "3000개 이상 GPU", turn=0)
    assert "3000" in answer.replace(",", "")
    assert page.locator("#gisa-chat", has_text="stopped").count() == 1  # the stopped one stays, marked
    page.click("#gisa-clear")


def test_dark_theme_keeps_the_highlighted_evidence_readable(chat_url: str, browser_page) -> None:  # type: ignore[no-untyped-def]
    from io import BytesIO

    from PIL import Image

    page = browser_page(chat_url + "?__theme=dark")
    ask(page, "데릭 오씨가 호주 데이터센터에 갖춘 서버는 몇 대인가요?", "300여대의 서버", turn=0)
    mark = page.locator("#gisa-chat [id^='src-0-'] mark").first
    page.screenshot(path=str(ARTIFACTS / "chat-dark.png"), full_page=True)
    pixels = Image.open(BytesIO(mark.screenshot())).convert("RGB")
    background, text = _two_colours(pixels)
    assert _contrast(background, text) >= 4.5, (background, text)


def _two_colours(image) -> tuple[tuple[int, int, int], tuple[int, int, int]]:  # type: ignore[no-untyped-def]
    """The most common colour (the highlight) and the colour farthest from it (the glyphs)."""
    counts = image.getcolors(maxcolors=1 << 20)
    background = max(counts)[1]
    text = max((c for _, c in counts), key=lambda c: sum((a - b) ** 2 for a, b in zip(c, background, strict=True)))
    return background, text


def _contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG contrast ratio of two sRGB colours."""

    def luminance(c: tuple[int, int, int]) -> float:
        parts = [v / 255 for v in c]
        lin = [p / 12.92 if p <= 0.03928 else ((p + 0.055) / 1.055) ** 2.4 for p in parts]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_upload_ask_and_remove_with_confirmation(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    article = tmp_path / "battery.txt"
    article.write_text(ENGLISH_ARTICLE, encoding="utf-8")
    page.get_by_role("tab", name="기사 / Articles").click()
    page.set_input_files("#gisa-upload input[type=file]", str(article))
    page.click("#gisa-add")
    page.wait_for_function(
        "() => (document.querySelector('#gisa-status textarea')?.value || '').includes('battery')", timeout=120_000
    )
    assert "✓ battery.txt" in page.input_value("#gisa-status textarea")
    page.locator("#gisa-articles", has_text="Seoul startup opens battery plant").wait_for(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "articles.png"), full_page=True)

    page.get_by_role("tab", name="대화 / Chat").click()
    answer = ask(page, "How much did the battery plant in Texas cost?", "$450 million", turn=0)
    assert "450" in answer
    page.click("#gisa-clear")

    page.get_by_role("tab", name="기사 / Articles").click()
    assert page.input_value("#gisa-doc input") == ""  # nothing chosen at first
    page.click("#gisa-remove")
    page.wait_for_function(
        "() => /Choose|고르세요/.test(document.querySelector('#gisa-status textarea')?.value || '')", timeout=10_000
    )
    assert not page.locator("#gisa-confirm").is_visible()  # nothing to confirm without a choice
    page.click("#gisa-doc input")
    page.get_by_role("option", name=re.compile("Seoul startup opens battery plant")).click()
    page.click("#gisa-remove")
    page.locator("#gisa-confirm", has_text="Seoul startup opens battery plant").wait_for(timeout=10_000)
    page.click("#gisa-cancel-remove")
    page.locator("#gisa-articles", has_text="Seoul startup opens battery plant").wait_for(timeout=10_000)
    page.click("#gisa-remove")
    page.click("#gisa-confirm-remove")
    page.wait_for_function(
        "() => (document.querySelector('#gisa-status textarea')?.value || '').includes('removed')", timeout=60_000
    )
    assert "Seoul startup" not in page.locator("#gisa-articles").inner_text()
    page.get_by_role("tab", name="대화 / Chat").click()


def test_empty_question_shows_a_message_not_a_trace(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("tab", name="대화 / Chat").click()
    page.fill("#gisa-question textarea", "   ")
    page.click("#gisa-ask")
    page.locator("#gisa-chat", has_text="the question is empty").wait_for(timeout=30_000)
    assert "Traceback" not in page.locator("#gisa-chat").inner_text()
    page.click("#gisa-clear")
