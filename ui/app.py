"""The Gradio chat: ask, read the cited answer, see the sources, manage articles and settings.

Each tab is built by its own function; the event handlers are small functions over the controller.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from typing import Any

import gradio as gr
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware

from index.errors import GisaError
from index.limits import ARTICLE_SUFFIXES, MAX_UPLOAD_BYTES, megabytes
from rag.config import BACKENDS
from rag.types import Answer
from ui.answer_queue import BusyError
from ui.controller import ChatController, SessionSettings
from ui.render import CSS, answer_markdown, queue_message, sources_html

log = logging.getLogger(__name__)

THINKING = "…"
WAIT_POLL_S = 1.0  # how often a waiting user's position is refreshed
ERROR_PREFIX = "⚠ "
QUEUE_SIZE = 64  # Gradio's own bound, for all events; answers are bounded by the controller's AnswerQueue


def _message(content: str) -> dict[str, str]:
    return {"role": "assistant", "content": content}


def respond(
    controller: ChatController,
    question: str,
    history: list[dict[str, Any]],
    lang: str,
    settings: SessionSettings | None = None,
) -> Iterator[tuple[Any, ...]]:
    """Stream one answer into the chat: (question box, history, sources panel) after each event."""
    history = [*history, {"role": "user", "content": question}, _message(THINKING)]
    yield "", history, gr.update()
    try:
        ticket = controller.answers.join()
    except BusyError as exc:
        history[-1] = _message(ERROR_PREFIX + str(exc))
        yield question, history, gr.update()
        return
    started = None
    try:
        ahead = controller.answers.wait(ticket, 0)
        while ahead:
            history[-1] = _message(queue_message(ahead, controller.answers.eta(ahead)))
            yield "", history, gr.update()
            ahead = controller.answers.wait(ticket, WAIT_POLL_S)
        started = time.monotonic()
        yield from _answer(controller, question, history, lang, settings)
    finally:  # answered, failed, or the user left: the next in line moves up
        controller.answers.leave(ticket, started)


def _answer(
    controller: ChatController,
    question: str,
    history: list[dict[str, Any]],
    lang: str,
    settings: SessionSettings | None,
) -> Iterator[tuple[Any, ...]]:
    streamed = ""
    history[-1] = _message(THINKING)
    yield "", history, gr.update()
    try:
        for event in controller.ask(question, lang, settings):
            if isinstance(event, Answer):
                history[-1] = _message(answer_markdown(event))
                yield "", history, sources_html(event, controller.assistant.index)
            else:
                streamed += event
                history[-1] = _message(streamed)
                yield "", history, gr.update()
    except GisaError as exc:
        history[-1] = _message(ERROR_PREFIX + str(exc))
        yield question, history, gr.update()
    except Exception:  # never show a stack trace in the chat
        log.exception("answer failed")
        history[-1] = _message(ERROR_PREFIX + "Something went wrong; see the server log.")
        yield question, history, gr.update()


def _article_ids(controller: ChatController) -> list[str]:
    return [str(row[0]) for row in controller.articles()]


def add_files(
    controller: ChatController,
    files: list[str] | None,
    progress: gr.Progress = gr.Progress(),  # noqa: B008 (Gradio's API)
) -> tuple[Any, ...]:
    """Ingest uploaded files: (status, table, article choices, cleared upload box)."""
    if not files:
        return "No files chosen.", controller.articles(), gr.update(), None
    try:
        lines = controller.add_files([str(f) for f in files], lambda f, d: progress(f, desc=d))
    except GisaError as exc:
        lines = [ERROR_PREFIX + str(exc)]
    return "\n".join(lines), controller.articles(), gr.update(choices=_article_ids(controller)), None


def remove_article(controller: ChatController, doc_id: str | None) -> tuple[Any, ...]:
    """Remove one article: (status, table, article choices)."""
    try:
        message = controller.remove(doc_id) if doc_id else "Choose an article to remove."
    except GisaError as exc:
        message = ERROR_PREFIX + str(exc)
    return message, controller.articles(), gr.update(choices=_article_ids(controller), value=None)


def configure(
    controller: ChatController, current: SessionSettings | None, *values: Any
) -> tuple[str, SessionSettings | None]:
    """Apply the settings tab to this session only: (status line, the session's settings)."""
    fields = ("top_k", "temperature", "backend", "model_path", "openai_url", "openai_model", "ollama_model")
    settings = SessionSettings(**dict(zip(fields, values, strict=False)))
    try:
        cfg = controller.session_config(settings)
    except GisaError as exc:
        return ERROR_PREFIX + str(exc), current
    where = f"{cfg.backend}" + (f", {cfg.openai_url}" if cfg.backend == "openai" else "")
    return f"this session: {where}, top-k {cfg.top_k}, temperature {cfg.temperature}", settings


def _chat_tab(controller: ChatController, settings: gr.State) -> None:
    cfg = controller.assistant.config
    with gr.Row():
        with gr.Column(scale=3):
            chatbot = gr.Chatbot(label="Answers", height=460, elem_id="gisa-chat", buttons=["copy"])
            with gr.Row():
                question = gr.Textbox(
                    placeholder="질문을 입력하세요 / Ask a question",
                    show_label=False,
                    scale=5,
                    elem_id="gisa-question",
                    max_length=cfg.max_query_chars,
                )
                send = gr.Button("Ask", variant="primary", scale=1, elem_id="gisa-ask")
            lang = gr.Radio(["auto", "ko", "en"], value="auto", label="Answer language")
        with gr.Column(scale=2):
            sources = gr.HTML(sources_html(None, controller.assistant.index), elem_id="gisa-sources")

    def on_ask(
        question: str, history: list[dict[str, Any]], lang: str, session: SessionSettings | None
    ) -> Iterator[tuple[Any, ...]]:
        yield from respond(controller, question, history, lang, session)

    gr.on(
        [question.submit, send.click],
        on_ask,
        [question, chatbot, lang, settings],
        [question, chatbot, sources],
        api_name="ask",
        concurrency_id="answer",
        # every question enters at once, so AnswerQueue can show each its place or turn it away when the
        # line is full; AnswerQueue, not Gradio, keeps generation to one at a time
        concurrency_limit=None,
    )


def _articles_tab(controller: ChatController) -> None:
    table = gr.Dataframe(
        controller.articles(),
        headers=["id", "title", "outlet", "date", "lang", "chunks"],
        interactive=False,
        elem_id="gisa-articles",
        wrap=True,
    )
    upload = gr.File(
        file_count="multiple",
        file_types=list(ARTICLE_SUFFIXES),
        label=f"Add articles (.txt, .md, .html; up to {megabytes(MAX_UPLOAD_BYTES)} MB each)",
        elem_id="gisa-upload",
    )
    add_btn = gr.Button("Add to index", elem_id="gisa-add")
    status = gr.Textbox(label="Status", interactive=False, elem_id="gisa-status")
    doc = gr.Dropdown(_article_ids(controller), label="Article", elem_id="gisa-doc")
    remove_btn = gr.Button("Remove article", variant="stop")

    def on_add(files: list[str] | None, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        return add_files(controller, files, progress)

    def on_remove(doc_id: str | None) -> tuple[Any, ...]:
        return remove_article(controller, doc_id)

    # uploads queue apart from answers: one ingest never waits behind, or blocks, other users' questions
    add_btn.click(on_add, [upload], [status, table, doc, upload], api_name="add_articles", concurrency_id="articles")
    remove_btn.click(on_remove, [doc], [status, table, doc], api_name="remove_article", concurrency_id="articles")


def _settings_tab(controller: ChatController, settings: gr.State) -> None:
    cfg = controller.assistant.config
    gr.Markdown("Settings apply to this browser session only. 설정은 이 세션에만 적용됩니다.")
    top_k = gr.Slider(1, 20, value=cfg.top_k, step=1, label="Top-k chunks")
    temperature = gr.Slider(0.0, 1.5, value=cfg.temperature, step=0.05, label="Temperature")
    routing: list[gr.components.Component] = []
    if controller.allow_settings:  # where prompts and keys go: only when the server was started to allow it
        routing = [
            gr.Dropdown(list(BACKENDS), value=cfg.backend, label="Backend"),
            gr.Textbox(cfg.model_path.name, label=f"Local GGUF model (a file in {cfg.model_path.parent.name}/)"),
            gr.Textbox(
                cfg.openai_url, label="OpenAI-compatible URL (the server's API key is sent only to its own URL)"
            ),
            gr.Textbox(cfg.openai_model, label="OpenAI-compatible model"),
            gr.Textbox(cfg.ollama_model, label="Ollama model"),
        ]
    apply = gr.Button("Apply", elem_id="gisa-apply")
    applied = gr.Textbox(label="Status", interactive=False, elem_id="gisa-applied")

    def on_apply(current: SessionSettings | None, *values: Any) -> tuple[str, SessionSettings | None]:
        return configure(controller, current, *values)

    apply.click(on_apply, [settings, top_k, temperature, *routing], [applied, settings], api_name="apply_settings")


def build_app(controller: ChatController) -> gr.Blocks:
    """Lay out the chat, sources panel, articles tab and settings tab."""
    with gr.Blocks(title="gisa · 기사 Q&A", analytics_enabled=False) as app:
        gr.Markdown("## gisa · 기사 Q&A\nAsk about your articles in Korean or English. 한국어나 영어로 질문하세요.")
        settings = gr.State(None)  # this session's SessionSettings
        with gr.Tab("Chat / 대화"):
            _chat_tab(controller, settings)
        with gr.Tab("Articles / 기사"):
            _articles_tab(controller)
        with gr.Tab("Settings / 설정"):
            _settings_tab(controller, settings)
    return app


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


def is_loopback(host: str) -> bool:
    """True if the server binds to this machine only."""
    return host in LOOPBACK_HOSTS or host.startswith("127.")


def allowed_hosts(bind: str, extra: Sequence[str] = ()) -> list[str]:
    """Host header values the server answers: loopback names when bound to loopback (DNS rebinding)."""
    if is_loopback(bind):
        return [*LOOPBACK_HOSTS, bind, *extra]
    return [*extra] if extra else ["*"]


def launch(
    app: gr.Blocks,
    host: str = "127.0.0.1",
    port: int = 7860,
    share: bool = False,
    auth: tuple[str, str] | None = None,
    extra_hosts: Sequence[str] = (),
) -> None:
    """Serve the chat built by `build_app`; answers go through the controller's bounded line, one at a time."""
    app.queue(default_concurrency_limit=1, max_size=QUEUE_SIZE)
    theme = gr.themes.Soft(font=["system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"])
    hosts = allowed_hosts(host, extra_hosts)
    app.launch(
        server_name=host,
        server_port=port,
        share=share,
        auth=auth,
        max_file_size=MAX_UPLOAD_BYTES,
        show_error=False,
        theme=theme,
        css=CSS,
        footer_links=[],
        app_kwargs={"middleware": [Middleware(TrustedHostMiddleware, allowed_hosts=hosts)]},
    )
