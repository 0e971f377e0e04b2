"""The Gradio chat: ask, read the cited answer, see the sources, manage articles and settings.

Each tab is built by its own function; the event handlers are small functions over the controller.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import gradio as gr
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware

from index.errors import GisaError
from index.language import Language, detect_language
from index.limits import ARTICLE_SUFFIXES, MAX_UPLOAD_BYTES
from rag.config import BACKENDS, Config
from rag.drafts import draft
from rag.followup import Turn
from rag.types import Answer
from ui.answer_queue import BusyError
from ui.controller import Answering, ChatController, SessionSettings
from ui.labels import UI_LANGUAGES, labels
from ui.render import (
    CSS,
    answer_markdown,
    draft_markdown,
    plain_markdown,
    queue_message,
    sources_html,
    stopped_markdown,
)
from ui.start import example_questions, start_screen

log = logging.getLogger(__name__)

WAIT_POLL_S = 1.0  # how often a waiting user's position is refreshed
ERROR_PREFIX = "⚠ "
QUEUE_SIZE = 64  # Gradio's own bound, for all events; answers are bounded by the controller's AnswerQueue
Message = dict[str, Any]


def _message(content: str, **extra: Any) -> Message:
    return {"role": "assistant", "content": content, **extra}


def _language(question: str, lang: str) -> Language:
    return lang if lang in ("ko", "en") else detect_language(question)  # type: ignore[return-value]


# ----- asking -----


def start(controller: ChatController, question: str, history: list[Message], ui: str, session: str) -> tuple[Any, ...]:
    """Take a question into the chat with a drafting mark, the box cleared: (box, chat, question to answer).

    While this session's previous answer is still being written, the question is refused with a notice
    and stays in the box; an empty box sends nothing.
    """
    if not question:
        return gr.update(), gr.update(), ""
    if controller.begin(session) is None:
        log.info("question refused: session %s is still receiving an answer", session[:8])
        gr.Warning(labels(ui)["busy"], duration=6)
        return gr.update(), gr.update(), ""
    language = _language(question, "auto") if question.strip() else ui
    if history and _is_draft(history[-1]):  # the previous answer was stopped before its last output arrived
        history = stopped_chat(history, ui)
    chat = [*history, {"role": "user", "content": plain_markdown(question)}, _message(draft_markdown("", language))]
    return "", chat, question


def _is_draft(message: Message) -> bool:
    text = message_text(message)
    return message.get("role") == "assistant" and any(
        text.startswith(draft_markdown("", lang)) for lang in ("ko", "en")
    )


def answer_turn(
    controller: ChatController,
    question: str,
    history: list[Message],
    lang: str,
    settings: SessionSettings | None,
    turns: list[Turn],
    session: str = "",
) -> Iterator[tuple[Any, ...]]:
    """Stream one answer into the chat after its question: (chat, conversation turns, UI language).

    The reply shows as a draft (held back where the checks could still take it back), then the checked
    answer, then its own collapsible sources. A follow-up is answered as the standalone question the
    conversation so far makes of it, shown under the answer.
    """
    if not question:  # refused or empty: nothing to answer
        return
    log.info("answering session %s: %.60r", session[:8], question)
    answering = controller.answering(session) or controller.begin(session) or Answering()
    job = _Job(controller, question, lang, settings, list(turns or []), answering)
    try:
        yield from _queued(job, history)
    finally:
        controller.end(session, answering)


@dataclass(frozen=True)
class _Job:
    """One question being answered for one session, with what it needs to be answered and stopped."""

    controller: ChatController
    question: str
    lang: str
    settings: SessionSettings | None
    turns: list[Turn]
    answering: Answering

    @property
    def language(self) -> Language:
        return _language(self.question, self.lang)

    def stopped(self, history: list[Message]) -> tuple[Any, ...]:
        """The last output of a stopped answer: the chat marked stopped, or empty after a Clear."""
        if self.answering.reason == "clear":
            return [], [], gr.update()
        return stopped_chat(history, self.language), self.turns, gr.update()


def _queued(job: _Job, history: list[Message]) -> Iterator[tuple[Any, ...]]:
    controller, turns = job.controller, job.turns
    if not history or history[-1].get("role") != "assistant":  # called through the API: add the turn here
        history = [*history, {"role": "user", "content": plain_markdown(job.question)}, _message("")]
    history = list(history)
    history[-1] = _message(draft_markdown("", job.language))
    yield history, turns, gr.update()
    try:
        ticket = controller.answers.join()
    except BusyError as exc:
        history[-1] = _message(ERROR_PREFIX + str(exc))
        yield history, turns, gr.update()
        return
    started = None
    try:
        ahead = controller.answers.wait(ticket, 0)
        while ahead:
            if job.answering.stopped.is_set():  # stopped or cleared while waiting its turn
                yield job.stopped(history)
                return
            history[-1] = _message(queue_message(ahead, controller.answers.eta(ahead)))
            yield history, turns, gr.update()
            ahead = controller.answers.wait(ticket, WAIT_POLL_S)
        started = time.monotonic()
        yield from _stream(job, history)
    finally:  # answered, failed, stopped, or the user left: the next in line moves up
        controller.answers.leave(ticket, started)


def _stream(job: _Job, history: list[Message]) -> Iterator[tuple[Any, ...]]:
    raw, turns, answered = "", job.turns, False
    try:
        for event in job.controller.ask(job.question, job.lang, job.settings, turns, job.answering):
            if isinstance(event, Answer):
                turn = len(turns)
                sources = sources_html(event, job.controller.assistant.index, turn)
                history[-1] = _message(f"{answer_markdown(event, turn)}\n\n{sources}")
                turns = [*turns, Turn(job.question, event.text, event.searched)]
                answered = True
                yield history, turns, event.language
            else:
                raw += event
                history[-1] = _message(draft_markdown(draft(raw), job.language))
                yield history, turns, gr.update()
        if not answered:  # stopped: its last output must say so, or the browser keeps showing the last draft
            yield job.stopped(history)
    except GisaError as exc:
        history[-1] = _message(ERROR_PREFIX + str(exc))
        yield history, turns, gr.update()
    except Exception:  # never show a stack trace in the chat
        log.exception("answer failed")
        history[-1] = _message(ERROR_PREFIX + "Something went wrong; see the server log.")
        yield history, turns, gr.update()


def message_text(message: Message) -> str:
    """A chat message's text, whether its content is a string or (as the browser sends it back) a list of parts."""
    content = message.get("content", "")
    if isinstance(content, list):
        return "".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return str(content or "")


def stopped_chat(history: list[Message], ui: str) -> list[Message]:
    """The chat with the answer being written marked as stopped; what was shown of it stays."""
    history = list(history or [])
    if history and history[-1].get("role") == "assistant":
        shown = message_text(history[-1])
        for mark in {draft_markdown("", lang) for lang in ("ko", "en")}:
            shown = shown.replace(mark, "")
        history[-1] = _message(stopped_markdown(shown.strip(), ui))
    return history


def ui_labels(language: str) -> tuple[Any, ...]:
    """Every label that follows the UI language, in the order `build_app` lists the components."""
    t = labels(language)
    return (
        gr.update(value=t["title"]),
        gr.update(placeholder=t["question"]),
        gr.update(value=t["ask"]),
        gr.update(value=t["stop"]),
        gr.update(value=t["clear"]),
        gr.update(label=t["answer_language"]),
        gr.update(label=t["upload"]),
        gr.update(value=t["add"]),
        gr.update(label=t["status"]),
        gr.update(label=t["article"]),
        gr.update(value=t["remove"]),
        gr.update(value=t["confirm"]),
        gr.update(value=t["cancel"]),
        gr.update(value=t["apply"]),
        gr.update(label=t["applied"]),
        gr.update(label=t["top_k"]),
        gr.update(label=t["temperature"]),
        gr.update(value=t["settings_note"]),
    )


# ----- articles -----


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
    return "\n".join(lines), controller.articles(), gr.update(choices=controller.article_choices(), value=None), None


def confirm_removal(controller: ChatController, doc_id: str | None, ui: str) -> tuple[Any, ...]:
    """Ask before removing: (confirmation row, its question, status)."""
    t = labels(ui)
    titles = {value: label for label, value in controller.article_choices()}
    if not doc_id or doc_id not in titles:
        return gr.update(visible=False), "", t["choose"]
    return gr.update(visible=True), t["confirm_question"].format(title=titles[doc_id]), ""


def remove_article(controller: ChatController, doc_id: str | None) -> tuple[Any, ...]:
    """Remove one article: (status, table, article choices, confirmation row hidden)."""
    try:
        message = controller.remove(doc_id) if doc_id else "Choose an article to remove."
    except GisaError as exc:
        message = ERROR_PREFIX + str(exc)
    choices = gr.update(choices=controller.article_choices(), value=None)
    return message, controller.articles(), choices, gr.update(visible=False)


# ----- settings -----


def configure(
    controller: ChatController,
    current: SessionSettings | None,
    *values: Any,
    progress: gr.Progress = gr.Progress(),  # noqa: B008 (Gradio's API)
) -> tuple[str, SessionSettings | None]:
    """Apply the settings tab to this session only, after trying the backend: (status line, session's settings)."""
    fields = ("top_k", "temperature", "backend", "model_path", "openai_url", "openai_model", "ollama_model")
    settings = SessionSettings(**dict(zip(fields, values, strict=False)))
    try:
        cfg = controller.session_config(settings)
        progress(0.1, desc="loading model… / 모델을 불러오는 중…" if cfg.backend == "local" else "checking…")
        controller.check_backend(settings)
    except GisaError as exc:
        return f"{ERROR_PREFIX}not applied / 적용 안 됨: {exc}", current
    return _in_force(cfg), settings


def _in_force(cfg: Config) -> str:
    where = {"local": cfg.model_path.name, "openai": f"{cfg.openai_url} ({cfg.openai_model})"}.get(
        cfg.backend, cfg.ollama_model
    )
    return f"this session: {cfg.backend}: {where}, top-k {cfg.top_k}, temperature {cfg.temperature}"


# ----- layout -----


def _chat_tab(controller: ChatController, settings: gr.State, ui: gr.State, t: dict[str, str]) -> dict[str, Any]:
    index = controller.assistant.index
    cfg = controller.assistant.config
    chatbot = gr.Chatbot(
        label="gisa",
        height="66vh",
        min_height=420,
        elem_id="gisa-chat",
        buttons=["copy"],
        placeholder=start_screen(index),
        examples=[{"text": q} for q in example_questions(index)],
    )
    with gr.Row():
        question = gr.Textbox(
            placeholder=t["question"],
            show_label=False,
            scale=6,
            elem_id="gisa-question",
            max_length=cfg.max_query_chars,
        )
        send = gr.Button(t["ask"], variant="primary", scale=1, elem_id="gisa-ask")
        stop = gr.Button(t["stop"], variant="stop", scale=1, elem_id="gisa-stop")
    with gr.Row():
        lang = gr.Radio(["auto", "ko", "en"], value="auto", label=t["answer_language"], scale=3)
        clear = gr.Button(t["clear"], scale=1, elem_id="gisa-clear")
    pending = gr.Textbox(visible=False)  # the question being answered (the /ask API's first input)
    turns = gr.State([])  # this conversation's Turns, for follow-ups

    def on_start(question: str, history: list[Message], ui: str, request: gr.Request) -> tuple[Any, ...]:
        return start(controller, question, history, ui, _session(request))

    def on_example(history: list[Message], ui: str, evt: gr.SelectData, request: gr.Request) -> tuple[Any, ...]:
        value = evt.value if isinstance(evt.value, dict) else {}
        _box, chat, taken = start(controller, str(value.get("text", "")), history, ui, _session(request))
        return gr.update(), chat, taken

    def on_answer(
        question: str,
        history: list[Message],
        lang: str,
        session: SessionSettings | None,
        turns: list[Turn],
        request: gr.Request,
    ) -> Iterator[tuple[Any, ...]]:
        yield from answer_turn(controller, question, history, lang, session, turns, _session(request))

    answering: list[Any] = []
    for taking in (
        gr.on(
            [question.submit, send.click],
            on_start,
            [question, chatbot, ui],
            [question, chatbot, pending],
            api_name=False,
            trigger_mode="multiple",
            concurrency_limit=None,
        ),
        chatbot.example_select(on_example, [chatbot, ui], [question, chatbot, pending], api_name=False),
    ):
        answering.append(
            taking.then(
                on_answer,
                [pending, chatbot, lang, settings, turns],
                [chatbot, turns, ui],
                api_name="ask" if not answering else False,
                concurrency_id="answer",
                # every question enters at once, so AnswerQueue can show each its place or turn it away when
                # the line is full; AnswerQueue, not Gradio, keeps generation to one at a time
                concurrency_limit=None,
            )
        )

    # Stop and Clear only flag the session's answer: it ends at its next piece, frees the model and its place
    # in line, and writes its own last state (marked stopped, or nothing after a clear). Cancelling the event
    # instead would leave the answer's place in line held until the generator is garbage-collected.
    def on_stop(history: list[Message], ui: str, request: gr.Request) -> list[Message]:
        log.info("stop asked by session %s", _session(request)[:8])
        if not controller.stop(_session(request)):
            return history
        return stopped_chat(history, ui)

    def on_clear(request: gr.Request) -> tuple[Any, ...]:
        controller.stop(_session(request), reason="clear")
        return [], []

    stop.click(on_stop, [chatbot, ui], [chatbot], api_name=False, queue=False)
    clear.click(on_clear, None, [chatbot, turns], api_name=False, queue=False)
    chatbot.clear(on_clear, None, [chatbot, turns], api_name=False, queue=False)
    return {"question": question, "ask": send, "stop": stop, "clear": clear, "lang": lang, "chat": chatbot}


def _session(request: gr.Request | None) -> str:
    return str(getattr(request, "session_hash", "") or "")


def _articles_tab(controller: ChatController, ui: gr.State, t: dict[str, str]) -> dict[str, Any]:
    table = gr.Dataframe(
        controller.articles(),
        headers=["id", "title", "outlet", "date", "lang", "chunks"],
        interactive=False,
        elem_id="gisa-articles",
        wrap=True,
    )
    upload = gr.File(file_count="multiple", file_types=list(ARTICLE_SUFFIXES), label=t["upload"], elem_id="gisa-upload")
    add_btn = gr.Button(t["add"], elem_id="gisa-add")
    status = gr.Textbox(label=t["status"], interactive=False, elem_id="gisa-status")
    doc = gr.Dropdown(controller.article_choices(), value=None, label=t["article"], elem_id="gisa-doc")
    remove_btn = gr.Button(t["remove"], variant="stop", elem_id="gisa-remove")
    with gr.Row(visible=False, elem_id="gisa-confirm") as confirm_row:
        confirm_text = gr.Markdown()
        confirm_btn = gr.Button(t["confirm"], variant="stop", elem_id="gisa-confirm-remove")
        cancel_btn = gr.Button(t["cancel"], elem_id="gisa-cancel-remove")

    def on_add(files: list[str] | None, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        return add_files(controller, files, progress)

    # uploads queue apart from answers: one ingest never waits behind, or blocks, other users' questions
    add_btn.click(on_add, [upload], [status, table, doc, upload], api_name="add_articles", concurrency_id="articles")
    remove_btn.click(
        lambda d, u: confirm_removal(controller, d, u), [doc, ui], [confirm_row, confirm_text, status], api_name=False
    )
    confirm_btn.click(
        lambda d: remove_article(controller, d),
        [doc],
        [status, table, doc, confirm_row],
        api_name="remove_article",
        concurrency_id="articles",
    )
    cancel_btn.click(
        lambda u: (gr.update(visible=False), labels(u)["cancelled"]), [ui], [confirm_row, status], api_name=False
    )
    return {
        "upload": upload,
        "add": add_btn,
        "status": status,
        "doc": doc,
        "remove": remove_btn,
        "confirm": confirm_btn,
        "cancel": cancel_btn,
    }


def _settings_tab(controller: ChatController, settings: gr.State, t: dict[str, str]) -> dict[str, Any]:
    cfg = controller.assistant.config
    note = gr.Markdown(t["settings_note"])
    top_k = gr.Slider(1, 20, value=cfg.top_k, step=1, label=t["top_k"], elem_id="gisa-top-k")
    temperature = gr.Slider(0.0, 1.5, value=cfg.temperature, step=0.05, label=t["temperature"])
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
    apply = gr.Button(t["apply"], elem_id="gisa-apply")
    applied = gr.Textbox(_in_force(cfg), label=t["applied"], interactive=False, elem_id="gisa-applied")

    def on_apply(
        current: SessionSettings | None,
        *values: Any,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> tuple[str, SessionSettings | None]:
        return configure(controller, current, *values, progress=progress)

    apply.click(on_apply, [settings, top_k, temperature, *routing], [applied, settings], api_name="apply_settings")
    return {"apply": apply, "applied": applied, "top_k": top_k, "temperature": temperature, "note": note}


def build_app(controller: ChatController, ui_language: Language = "ko") -> gr.Blocks:
    """Lay out the chat, the articles tab and the settings tab, with labels in `ui_language` to start."""
    t = labels(ui_language)
    with gr.Blocks(title="gisa · 기사 Q&A", analytics_enabled=False) as app:
        with gr.Row():
            title = gr.Markdown(t["title"])
            switch = gr.Radio(
                list(UI_LANGUAGES),
                value="한국어" if ui_language == "ko" else "English",
                show_label=False,
                elem_id="gisa-ui-language",
            )
        settings = gr.State(None)  # this session's SessionSettings
        ui = gr.State(ui_language)  # the language of this session's labels: the last question's, or the switch
        with gr.Tab("대화 / Chat"):
            chat = _chat_tab(controller, settings, ui, t)
        with gr.Tab("기사 / Articles"):
            articles = _articles_tab(controller, ui, t)
        with gr.Tab("설정 / Settings"):
            options = _settings_tab(controller, settings, t)
        followers = [
            title,
            chat["question"],
            chat["ask"],
            chat["stop"],
            chat["clear"],
            chat["lang"],
            articles["upload"],
            articles["add"],
            articles["status"],
            articles["doc"],
            articles["remove"],
            articles["confirm"],
            articles["cancel"],
            options["apply"],
            options["applied"],
            options["top_k"],
            options["temperature"],
            options["note"],
        ]
        ui.change(ui_labels, [ui], followers, api_name=False, queue=False)
        ui.change(lambda u: "한국어" if u == "ko" else "English", [ui], [switch], api_name=False, queue=False)
        switch.input(
            lambda choice: (UI_LANGUAGES.get(choice, "en"), *ui_labels(UI_LANGUAGES.get(choice, "en"))),
            [switch],
            [ui, *followers],
            api_name=False,
            queue=False,
        )
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
        quiet=not share,  # gisa prints its own address; Gradio's banner suggests `share=True` in code, not `--share`
        app_kwargs={"middleware": [Middleware(TrustedHostMiddleware, allowed_hosts=hosts)]},
    )
