"""What the chat UI can do, as plain methods over the Python API (no pipeline logic here).

Every request is untrusted: uploads are accepted only from the folders the web server itself wrote
them to, and settings that change where prompts and keys go are per session and off unless the
server was started with them allowed.
"""

from __future__ import annotations

import filecmp
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from index.errors import ConfigError, GisaError
from index.limits import ARTICLE_SUFFIXES, MAX_UPLOAD_BYTES, megabytes
from rag import prompts
from rag.assistant import Assistant
from rag.config import Config
from rag.followup import Turn
from rag.generation import close_stream, make_generator
from rag.types import Answer
from ui.answer_queue import AnswerQueue

log = logging.getLogger(__name__)

GENERATORS_KEPT = 3  # per-session settings share generators; at most this many stay loaded
REMOTE_SLOTS = 4  # answers generated at once when the server's backend is a remote one
MODEL_SUFFIX = ".gguf"


@dataclass(frozen=True)
class SessionSettings:
    """What one chat session chose in the Settings tab (None: the server's own setting)."""

    top_k: int | None = None
    temperature: float | None = None
    backend: str | None = None
    model_path: str | None = None
    openai_url: str | None = None
    openai_model: str | None = None
    ollama_model: str | None = None

    @property
    def routes_data(self) -> bool:
        """True if these settings change where prompts (and keys) are sent."""
        return any(v for v in (self.backend, self.model_path, self.openai_url, self.openai_model, self.ollama_model))


@dataclass
class Answering:
    """One session's answer in progress; `stop` sets `stopped` (and why), the stream ends at its next piece."""

    stopped: threading.Event = field(default_factory=threading.Event)
    reason: str = ""


class ChatController:
    """Holds the assistant behind the chat; uploads are copied into `upload_dir` and ingested."""

    def __init__(
        self,
        assistant: Assistant,
        upload_dir: Path,
        accepted_dirs: Sequence[Path] = (),
        allow_settings: bool = False,
    ) -> None:
        self.assistant = assistant
        self.upload_dir = upload_dir
        self.accepted_dirs = tuple(Path(d).resolve() for d in accepted_dirs)
        self.allow_settings = allow_settings
        self._lock = threading.Lock()  # one writer at a time for ingest/remove
        self._assistants: OrderedDict[Config, Assistant] = OrderedDict()
        self._answering: dict[str, Answering] = {}  # per browser session, the answer being written
        self._answering_lock = threading.Lock()
        # one generation at a time on the local backend (2 cores); a remote server may serve several
        self.answers = AnswerQueue(slots=1 if assistant.config.backend == "local" else REMOTE_SLOTS)

    # ----- answering -----

    def ask(
        self,
        question: str,
        lang: str = "auto",
        settings: SessionSettings | None = None,
        history: Sequence[Turn] = (),
        answering: Answering | None = None,
    ) -> Iterator[str | Answer]:
        """Stream an answer (text pieces, then the `Answer`) with this session's settings and conversation.

        `stop(session)` ends it early through `answering`: the stream closes at the next piece.
        """
        assistant = self.assistant_for(settings)
        stream = assistant.stream(question, None if lang in ("", "auto") else lang, history)
        try:
            for event in stream:
                if answering is not None and answering.stopped.is_set():
                    log.info("answer stopped by its user (%s)", answering.reason)
                    return
                yield event
        finally:
            stream.close()

    def begin(self, session: str) -> Answering | None:
        """Start a session's answer; None while its previous one is still being written (and not stopped)."""
        with self._answering_lock:
            current = self._answering.get(session)
            if current is not None and not current.stopped.is_set():
                return None
            self._answering[session] = Answering()
            return self._answering[session]

    def answering(self, session: str) -> Answering | None:
        """The session's answer in progress, if any."""
        with self._answering_lock:
            return self._answering.get(session)

    def end(self, session: str, answering: Answering) -> None:
        """The answer is over (answered, failed or stopped)."""
        with self._answering_lock:
            if self._answering.get(session) is answering:
                del self._answering[session]

    def stop(self, session: str = "", reason: str = "stop") -> bool:
        """Stop the answer a session is receiving ("stop", or "clear" when the chat was cleared); False if none."""
        with self._answering_lock:
            current = self._answering.get(session)
        if current is None:
            return False
        current.reason = reason
        current.stopped.set()
        return True

    def check_backend(self, settings: SessionSettings | None) -> str:
        """Try a session's backend with a one-token request (loading a local model); raises GisaError if it fails."""
        cfg = self.session_config(settings)
        if _generation(cfg) == _generation(self.assistant.config):
            return "ok"
        assistant = self.assistant_for(settings)
        if cfg.backend == "local":
            assistant.generator.warm(prompts.prompt_heads())
            return "ok"
        stream = assistant.generator.stream([("user", "Reply with the word OK.")])
        try:
            next(iter(stream), "")
        except GisaError:
            with self._lock:
                self._assistants.pop(cfg, None)
            raise
        finally:
            close_stream(stream)
        return "ok"

    def assistant_for(self, settings: SessionSettings | None) -> Assistant:
        """The assistant for a session's settings; generators are shared between sessions with equal settings."""
        cfg = self.session_config(settings)
        if cfg == self.assistant.config:
            return self.assistant
        with self._lock:
            assistant = self._assistants.get(cfg)
            if assistant is None:
                # settings that only change retrieval (top-k) keep the server's generator: no second model load
                same = _generation(cfg) == _generation(self.assistant.config)
                generator = self.assistant.generator if same else make_generator(cfg)
                assistant = Assistant(self.assistant.index, generator, cfg)
                self._assistants[cfg] = assistant
                while len(self._assistants) > GENERATORS_KEPT:
                    self._assistants.popitem(last=False)
            self._assistants.move_to_end(cfg)
            return assistant

    def session_config(self, settings: SessionSettings | None) -> Config:
        """The server's config with a session's settings applied; refuses what the server does not allow."""
        base = self.assistant.config
        if settings is None:
            return base
        if settings.routes_data and not self.allow_settings:
            raise ConfigError(
                "this server does not allow changing the backend or model from the browser "
                "(start it with `gisa chat --allow-settings`)"
            )
        cfg = base.with_(
            top_k=int(settings.top_k) if settings.top_k else None,
            temperature=float(settings.temperature) if settings.temperature is not None else None,
            backend=settings.backend or None,
            model_path=self._model_path(settings.model_path) if settings.model_path else None,
            openai_url=settings.openai_url or None,
            openai_model=settings.openai_model or None,
            ollama_model=settings.ollama_model or None,
        )
        if cfg.openai_url.rstrip("/") != base.openai_url.rstrip("/"):
            cfg = replace(cfg, openai_key="")  # the server's key goes only where the server was told to send it
        return cfg

    def _model_path(self, raw: str) -> Path:
        """A GGUF file name or path inside the server's model folder; anything else is refused alike."""
        folder = self.assistant.config.model_path.parent.resolve()
        candidate = Path(raw).expanduser()
        candidate = candidate if candidate.is_absolute() else folder / candidate
        resolved = Path(*candidate.parts).resolve(strict=False)
        if resolved.suffix.lower() != MODEL_SUFFIX or resolved.parent != folder:
            raise ConfigError(f"choose a {MODEL_SUFFIX} model file in the server's model folder ({folder.name}/)")
        return resolved

    # ----- articles -----

    def articles(self) -> list[list[str | int]]:
        """Rows for the articles table: id, title, outlet, date, language, chunks."""
        self.assistant.index.refresh()
        counts = self.assistant.index.chunk_counts()
        return [
            [a.doc_id, a.title, a.outlet, a.published, a.language, counts.get(a.doc_id, 0)]
            for a in self.assistant.index.articles
        ]

    def article_choices(self) -> list[tuple[str, str]]:
        """(label, document id) per article for the removal list: the title, with the date and id to tell
        articles with the same title apart."""
        return [
            (f"{a.title} ({a.published + ', ' if a.published else ''}{a.doc_id})", a.doc_id)
            for a in self.assistant.index.articles
        ]

    def _received(self, raw: str) -> Path | None:
        """The uploaded file if the web server itself received it (inside an accepted folder), else None."""
        try:
            path = Path(raw).resolve(strict=True)
        except (OSError, RuntimeError, ValueError):
            return None
        inside = any(path.parent == d or d in path.parents for d in self.accepted_dirs)
        return path if inside and path.is_file() else None

    def _destination(self, src: Path, name: str) -> Path:
        """Where an upload is kept: its own name, or NAME-2, NAME-3… if another file already has that name."""
        dest = self.upload_dir / name
        n = 1
        while dest.exists() and not filecmp.cmp(src, dest, shallow=False):
            n += 1
            dest = self.upload_dir / f"{Path(name).stem}-{n}{Path(name).suffix}"
        return dest

    def add_files(self, paths: list[str], progress: Callable[[float, str], None] | None = None) -> list[str]:
        """Copy uploaded files into the library and ingest them one by one; returns one line per file."""
        lines: list[str] = []
        self.upload_dir.mkdir(parents=True, exist_ok=True)
        with self._lock:
            for i, raw in enumerate(paths):
                name = Path(raw).name
                if progress:
                    progress(i / max(len(paths), 1), f"adding {name}")
                lines.append(self._add_one(raw, name))
        return lines

    def _add_one(self, raw: str, name: str) -> str:
        src = self._received(raw)
        if src is None:
            log.warning("refused upload path outside the upload folder: %r", raw)
            return f"✗ {name}: not a file uploaded to this server; refused"
        if src.suffix.lower() not in ARTICLE_SUFFIXES:
            return f"✗ {name}: not a .txt, .md or .html file"
        if src.stat().st_size > MAX_UPLOAD_BYTES:
            return f"✗ {name}: larger than {megabytes(MAX_UPLOAD_BYTES)} MB"
        dest = self._destination(src, name)
        existed = dest.exists()
        if not existed:
            dest.write_bytes(src.read_bytes())
        report = self.assistant.index.ingest([dest], prune=False)
        if report.failures:
            if not existed:
                dest.unlink(missing_ok=True)
            return f"✗ {name}: {report.failures[0].reason}"
        if report.duplicates:
            if not existed:
                dest.unlink(missing_ok=True)
            return f"= {name}: same text as {report.duplicates[0][1]}, skipped"
        if report.unchanged:
            return f"= {name}: already indexed"
        doc = (report.added or report.updated)[0]
        renamed = f" (saved as {dest.name}: another article has that name)" if dest.name != name else ""
        return f"✓ {name}: added as {doc} ({report.chunks_embedded} chunks){renamed}"

    def remove(self, doc_id: str) -> str:
        """Remove one article from the index."""
        with self._lock:
            article = self.assistant.index.remove(doc_id)
        return f"removed {article.doc_id} ({article.title})"


def _generation(cfg: Config) -> tuple[object, ...]:
    """The settings that decide which generator answers (and how): equal ones can share a loaded model."""
    return (
        cfg.backend,
        cfg.model_path,
        cfg.openai_url,
        cfg.openai_model,
        cfg.openai_key,
        cfg.ollama_url,
        cfg.ollama_model,
        cfg.temperature,
        cfg.max_tokens,
        cfg.n_ctx,
    )
