"""A real Milvus standalone server (the `milvus==2.3.5` wheel) on 127.0.0.1, for tests; stopped afterwards."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

START_TIMEOUT_MS = 120_000


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def milvus_server(data_dir: Path) -> Iterator[str]:
    """Start Milvus standalone with its data in `data_dir`; yields its URI (http://127.0.0.1:PORT)."""
    from milvus import MilvusServer

    server = MilvusServer(wait_for_started=False)
    server.set_base_dir(str(data_dir))
    server.listen_port = free_port()
    server.start()
    try:
        server.wait_started(timeout=START_TIMEOUT_MS)
        yield f"http://127.0.0.1:{server.listen_port}"
    finally:
        server.stop()
