"""The Gradio chat: ask, read the cited answer, see the sources, manage articles and settings."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import gradio as gr

from rag.errors import GisaError
from rag.generation import BACKENDS
from rag.types import Answer
from ui.controller import ChatController
from ui.render import CSS, answer_markdown, sources_html

log = logging.getLogger(__name__)

THINKING = "…"
ERROR_PREFIX = "⚠ "


def build_app(controller: ChatController) -> gr.Blocks:
    """Lay out the chat, sources panel, articles tab and settings tab."""
    cfg = controller.assistant.config

    def respond(question: str, history: list[dict[str, Any]], lang: str) -> Iterator[tuple[Any, ...]]:
        history = [*history, {"role": "user", "content": question}, {"role": "assistant", "content": THINKING}]
        yield "", history, gr.update()
        streamed = ""
        try:
            for event in controller.ask(question, lang):
                if isinstance(event, Answer):
                    history[-1] = {"role": "assistant", "content": answer_markdown(event)}
                    yield "", history, sources_html(event, controller.assistant.index)
                else:
                    streamed += event
                    history[-1] = {"role": "assistant", "content": streamed}
                    yield "", history, gr.update()
        except GisaError as exc:
            history[-1] = {"role": "assistant", "content": ERROR_PREFIX + str(exc)}
            yield question, history, gr.update()
        except Exception:  # never show a stack trace in the chat
            log.exception("answer failed")
            history[-1] = {"role": "assistant", "content": ERROR_PREFIX + "Something went wrong; see the server log."}
            yield question, history, gr.update()

    def add(files: list[str] | None, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008 (Gradio's API)
        if not files:
            return "No files chosen.", controller.articles(), gr.update(), None
        try:
            lines = controller.add_files([str(f) for f in files], lambda f, d: progress(f, desc=d))
        except GisaError as exc:
            lines = [ERROR_PREFIX + str(exc)]
        ids = [row[0] for row in controller.articles()]
        return "\n".join(lines), controller.articles(), gr.update(choices=ids), None

    def remove(doc_id: str | None) -> tuple[Any, ...]:
        try:
            message = controller.remove(doc_id) if doc_id else "Choose an article to remove."
        except GisaError as exc:
            message = ERROR_PREFIX + str(exc)
        ids = [row[0] for row in controller.articles()]
        return message, controller.articles(), gr.update(choices=ids, value=None)

    def configure(*values: Any) -> str:
        try:
            return controller.configure(*values)
        except GisaError as exc:
            return ERROR_PREFIX + str(exc)

    with gr.Blocks(title="gisa · 기사 Q&A", analytics_enabled=False) as app:
        gr.Markdown("## gisa · 기사 Q&A\nAsk about your articles in Korean or English. 한국어나 영어로 질문하세요.")
        with gr.Tab("Chat / 대화"):
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
            for trigger in (question.submit, send.click):
                trigger(respond, [question, chatbot, lang], [question, chatbot, sources])
        with gr.Tab("Articles / 기사"):
            table = gr.Dataframe(
                controller.articles(),
                headers=["id", "title", "lang", "chunks"],
                interactive=False,
                elem_id="gisa-articles",
                wrap=True,
            )
            upload = gr.File(
                file_count="multiple",
                file_types=[".txt", ".md", ".html", ".htm"],
                label="Add articles (.txt, .md, .html; up to 5 MB each)",
                elem_id="gisa-upload",
            )
            add_btn = gr.Button("Add to index", elem_id="gisa-add")
            status = gr.Textbox(label="Status", interactive=False, elem_id="gisa-status")
            doc = gr.Dropdown([row[0] for row in controller.articles()], label="Article", elem_id="gisa-doc")
            remove_btn = gr.Button("Remove article", variant="stop")
            add_btn.click(add, [upload], [status, table, doc, upload])
            remove_btn.click(remove, [doc], [status, table, doc])
        with gr.Tab("Settings / 설정"):
            backend = gr.Dropdown(list(BACKENDS), value=cfg.backend, label="Backend")
            model = gr.Textbox(str(cfg.model_path), label="Local GGUF model path")
            openai_url = gr.Textbox(cfg.openai_url, label="OpenAI-compatible URL")
            openai_model = gr.Textbox(cfg.openai_model, label="OpenAI-compatible model")
            ollama_model = gr.Textbox(cfg.ollama_model, label="Ollama model")
            top_k = gr.Slider(1, 20, value=cfg.top_k, step=1, label="Top-k chunks")
            temperature = gr.Slider(0.0, 1.5, value=cfg.temperature, step=0.05, label="Temperature")
            apply = gr.Button("Apply")
            applied = gr.Textbox(label="Status", interactive=False)
            apply.click(
                configure, [backend, model, openai_url, openai_model, ollama_model, top_k, temperature], [applied]
            )
    return app


def launch(controller: ChatController, host: str = "127.0.0.1", port: int = 7860, share: bool = False) -> None:
    """Serve the chat; requests are queued one at a time so concurrent users never overload the model."""
    app = build_app(controller)
    app.queue(default_concurrency_limit=1, max_size=32)
    theme = gr.themes.Soft(font=["system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"])
    app.launch(
        server_name=host,
        server_port=port,
        share=share,
        max_file_size="5mb",
        show_error=False,
        theme=theme,
        css=CSS,
        footer_links=[],
    )
