"""Real servers on loopback for the chat tests: `gisa chat` itself, and a recorder posing as an OpenAI server."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.samples import ROOT


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli_env(index: Path, **extra: str) -> dict[str, str]:
    """Environment for a child `gisa` process on `index`."""
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "GISA_INDEX": str(index),
        "GISA_PROGRESS": "0",
        "GRADIO_ANALYTICS_ENABLED": "False",
        **extra,
    }


@contextlib.contextmanager
def chat_server(work: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run `gisa chat ARGS` on a free loopback port until the block ends; yields its base URL."""
    port = free_port()
    log_path = work / f"chat-{port}.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ui.cli", "chat", "--port", str(port), *args],
            env=env or cli_env(work / "index"),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(240):
                try:
                    urllib.request.urlopen(url + "/gradio_api/info", timeout=1)
                    break
                except urllib.error.HTTPError:
                    break  # it answers (e.g. 401 behind a login)
                except OSError:
                    assert proc.poll() is None, log_path.read_text()
                    time.sleep(0.5)
            yield url
        finally:
            proc.terminate()
            proc.wait(30)


def call_api(url: str, api: str, data: list, timeout: float = 120) -> str:  # type: ignore[type-arg]
    """Call a Gradio endpoint over plain HTTP (as any client could) and return its event stream text."""
    request = urllib.request.Request(
        f"{url}/gradio_api/call/{api}",
        data=json.dumps({"data": data}).encode(),
        headers={"Content-Type": "application/json"},
    )
    event = json.loads(urllib.request.urlopen(request, timeout=timeout).read())["event_id"]
    return urllib.request.urlopen(f"{url}/gradio_api/call/{api}/{event}", timeout=timeout).read().decode()


@dataclass
class Recorder:
    """An HTTP server on loopback that records each request's path and headers and answers 500."""

    url: str
    requests: list[dict[str, str]] = field(default_factory=list)


@contextlib.contextmanager
def recorder() -> Iterator[Recorder]:
    """A request recorder posing as an OpenAI-compatible server (it always fails, after recording)."""
    seen = Recorder("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8", "replace")
            seen.requests.append({"path": self.path, "body": body, **{k.lower(): v for k, v in self.headers.items()}})
            self.send_response(500)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    seen.url = f"http://127.0.0.1:{server.server_port}/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        server.shutdown()
        server.server_close()
