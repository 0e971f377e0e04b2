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
def page(chat_url: str):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: make test installs it (apt-get install chromium)"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(chat_url)
        page.wait_for_selector("#gisa-question textarea", timeout=60_000)
        yield page
        browser.close()


def ask(page, question: str, expect_in_sources: str):  # type: ignore[no-untyped-def]
    page.fill("#gisa-question textarea", question)
    page.click("#gisa-ask")
    mark = page.locator("#gisa-sources mark", has_text=expect_in_sources)
    mark.first.wait_for(timeout=180_000)
    page.wait_for_function("() => !document.querySelector('#gisa-chat').innerText.trim().endsWith('…')", timeout=60_000)
    return page.locator("#gisa-chat .message").last.inner_text()


def test_korean_and_english_questions_get_cited_answers_with_highlighted_sources(page) -> None:  # type: ignore[no-untyped-def]
    answer = ask(page, "데릭 오씨가 호주 데이터센터에 갖춘 서버는 몇 대인가요?", "300여대의 서버")
    assert "300" in answer and re.search(r"\[\d\]", answer)
    assert "✓" in page.locator("#gisa-sources").inner_text()
    page.screenshot(path=str(ARTIFACTS / "chat-korean.png"), full_page=True)

    answer = ask(
        page, "What was the combined first-half capital expenditure of Alibaba, Tencent and Baidu?", "500억 위안"
    )
    assert "50 billion yuan" in answer
    page.screenshot(path=str(ARTIFACTS / "chat-english.png"), full_page=True)


def test_upload_a_second_article_and_ask_about_it(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    article = tmp_path / "battery.txt"
    article.write_text(ENGLISH_ARTICLE, encoding="utf-8")
    page.get_by_role("tab", name="Articles / 기사").click()
    page.set_input_files("#gisa-upload input[type=file]", str(article))
    page.click("#gisa-add")
    page.wait_for_function(
        "() => (document.querySelector('#gisa-status textarea')?.value || '').includes('battery')", timeout=120_000
    )
    assert "✓ battery.txt" in page.input_value("#gisa-status textarea")
    page.locator("#gisa-articles", has_text="Seoul startup opens battery plant").wait_for(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "articles.png"), full_page=True)

    page.get_by_role("tab", name="Chat / 대화").click()
    answer = ask(page, "How much did the battery plant in Texas cost?", "$450 million")
    assert "450" in answer
    page.screenshot(path=str(ARTIFACTS / "chat-uploaded.png"), full_page=True)


def test_empty_question_shows_a_message_not_a_trace(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("tab", name="Chat / 대화").click()
    page.fill("#gisa-question textarea", "   ")
    page.click("#gisa-ask")
    page.locator("#gisa-chat", has_text="the question is empty").wait_for(timeout=30_000)
    assert "Traceback" not in page.locator("#gisa-chat").inner_text()
