"""What the chat UI can do, as plain methods over the Python API (no pipeline logic here)."""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from index.limits import ARTICLE_SUFFIXES, MAX_UPLOAD_BYTES, megabytes
from rag.assistant import Assistant
from rag.generation import make_generator
from rag.types import Answer

log = logging.getLogger(__name__)


class ChatController:
    """Holds the assistant behind the chat; uploads are copied into `upload_dir` and ingested."""

    def __init__(self, assistant: Assistant, upload_dir: Path) -> None:
        self.assistant = assistant
        self.upload_dir = upload_dir
        self._lock = threading.Lock()  # one writer at a time for ingest/remove/configure

    def ask(self, question: str, lang: str = "auto") -> Iterator[str | Answer]:
        """Stream an answer (text pieces, then the `Answer`)."""
        return self.assistant.stream(question, None if lang in ("", "auto") else lang)

    def articles(self) -> list[list[str | int]]:
        """Rows for the articles table: id, title, language, chunks."""
        counts = self.assistant.index.chunk_counts()
        return [[a.doc_id, a.title, a.language, counts.get(a.doc_id, 0)] for a in self.assistant.index.articles]

    def add_files(self, paths: list[str], progress: Callable[[float, str], None] | None = None) -> list[str]:
        """Copy uploaded files into the library and ingest them one by one; returns one line per file."""
        lines: list[str] = []
        self.upload_dir.mkdir(parents=True, exist_ok=True)
        with self._lock:
            for i, raw in enumerate(paths):
                src = Path(raw)
                name = src.name
                if progress:
                    progress(i / max(len(paths), 1), f"adding {name}")
                if src.suffix.lower() not in ARTICLE_SUFFIXES:
                    lines.append(f"✗ {name}: not a .txt, .md or .html file")
                    continue
                if src.stat().st_size > MAX_UPLOAD_BYTES:
                    lines.append(f"✗ {name}: larger than {megabytes(MAX_UPLOAD_BYTES)} MB")
                    continue
                dest = self.upload_dir / name
                shutil.copyfile(src, dest)
                report = self.assistant.index.ingest([dest], prune=False)
                if report.failures:
                    lines.append(f"✗ {name}: {report.failures[0].reason}")
                    dest.unlink(missing_ok=True)
                elif report.duplicates:
                    lines.append(f"= {name}: same text as {report.duplicates[0][1]}, skipped")
                elif report.unchanged:
                    lines.append(f"= {name}: already indexed")
                else:
                    doc = (report.added or report.updated)[0]
                    lines.append(f"✓ {name}: added as {doc} ({report.chunks_embedded} chunks)")
        return lines

    def remove(self, doc_id: str) -> str:
        """Remove one article from the index."""
        with self._lock:
            article = self.assistant.index.remove(doc_id)
        return f"removed {article.doc_id} ({article.title})"

    def configure(
        self,
        backend: str,
        model_path: str,
        openai_url: str,
        openai_model: str,
        ollama_model: str,
        top_k: int,
        temperature: float,
    ) -> str:
        """Switch backend, model, top-k or temperature; the index stays loaded."""
        old = self.assistant.config
        cfg = replace(
            old,
            backend=backend,
            model_path=Path(model_path).expanduser() if model_path else old.model_path,
            openai_url=openai_url or old.openai_url,
            openai_model=openai_model or old.openai_model,
            ollama_model=ollama_model or old.ollama_model,
            top_k=int(top_k),
            temperature=float(temperature),
        )
        with self._lock:
            self.assistant = Assistant(self.assistant.index, make_generator(cfg), cfg)
        return f"using {self.assistant.generator.id}, top-k {cfg.top_k}, temperature {cfg.temperature}"
