"""The chat is a web server and every request is untrusted (issue 15): tests against a real `gisa chat`."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from index import Index
from tests.samples import ROOT, SEED_ID
from tests.ui.servers import call_api, chat_server, cli_env, recorder

pytestmark = pytest.mark.slow

SECRET = "sk-server-secret-do-not-send"


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a hash-embedded index of the seed article (no model needed to serve it)."""
    work = tmp_path_factory.mktemp("chat-security")
    subprocess.run(
        [sys.executable, "-m", "ui.cli", "ingest", str(ROOT / "seeds")],
        env=cli_env(work / "index", GISA_EMBEDDER="hash"),
        check=True,
        capture_output=True,
        timeout=300,
    )
    return work


@pytest.fixture(scope="module")
def default_chat(work: Path) -> Iterator[str]:
    """`gisa chat` with its defaults."""
    with chat_server(work) as url:
        yield url


def _docs(work: Path) -> list[str]:
    return [a.doc_id for a in Index.load(work / "index").articles]


def _get(url: str, host: str | None = None) -> int:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        return urllib.request.urlopen(request, timeout=10).status
    except urllib.error.HTTPError as err:
        return err.code


def test_upload_api_refuses_server_side_paths(default_chat: str, work: Path, tmp_path: Path) -> None:
    outside = tmp_path / "private.txt"
    outside.write_text("A private note that must never be ingested.\nIt says 42.", encoding="utf-8")
    for path in (str(outside), "/usr/share/common-licenses/GPL-3", str(ROOT / "README.md")):
        payload = [[{"path": path, "meta": {"_type": "gradio.FileData"}, "orig_name": "x.txt"}]]
        reply = call_api(default_chat, "add_articles", payload)
        assert "added as" not in reply
    assert _docs(work) == [SEED_ID]


def test_same_name_uploads_keep_both_articles(default_chat: str, work: Path, tmp_path: Path) -> None:
    from gradio_client import Client, handle_file

    client = Client(default_chat, verbose=False)
    first, second = tmp_path / "a" / "news.txt", tmp_path / "b" / "news.txt"
    for path, text in ((first, "Cats sleep.\nThey sleep 16 hours a day."), (second, "Dogs bark.\nThey bark 3 times.")):
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
    status_one = client.predict([handle_file(str(first))], api_name="/add_articles")[0]
    status_two = client.predict([handle_file(str(second))], api_name="/add_articles")[0]
    assert "added as" in status_one and "added as" in status_two, (status_one, status_two)
    titles = {a.title for a in Index.load(work / "index").articles}
    assert {"Cats sleep.", "Dogs bark."} <= titles


def test_settings_that_route_data_are_off_by_default(default_chat: str) -> None:
    info = json.loads(urllib.request.urlopen(default_chat + "/gradio_api/info", timeout=10).read())
    params = [p["parameter_name"] for p in info["named_endpoints"]["/apply_settings"]["parameters"]]
    assert len(params) == 2  # top-k and temperature only: no backend, model path or URL


def test_only_loopback_host_names_are_answered(default_chat: str, work: Path) -> None:
    assert _get(default_chat + "/") == 200
    assert _get(default_chat + "/", host="localhost") == 200
    assert _get(default_chat + "/", host="attacker.example") == 400  # DNS rebinding
    assert _get(default_chat + "/config", host="attacker.example:7860") == 400
    with chat_server(work, "--allow-host", "gisa.lan") as url:
        assert _get(url + "/", host="gisa.lan") == 200
        assert _get(url + "/", host="attacker.example") == 400


def test_allowed_settings_are_per_session_and_never_carry_the_servers_key(work: Path) -> None:
    from gradio_client import Client

    with recorder() as own, recorder() as elsewhere:
        env = cli_env(work / "index", GISA_BACKEND="openai", GISA_OPENAI_URL=own.url, GISA_OPENAI_API_KEY=SECRET)
        with chat_server(work, "--allow-settings", env=env) as url:
            attacker = Client(url, verbose=False)
            status = attacker.predict(5, 0.0, "openai", "", elsewhere.url, "m", "", api_name="/apply_settings")
            # Apply tried the attacker's server (one request, without the key); it failed, so nothing changed
            assert "not applied" in status and elsewhere.requests
            attacker.predict("H20 가격은?", [], "auto", api_name="/ask")
            other_user = Client(url, verbose=False)
            other_user.predict("H20 가격은?", [], "auto", api_name="/ask")
            # every model path outside the model folder gets the same answer, whether the file exists or not
            replies = {
                attacker.predict(5, 0.0, "local", path, "", "", "", api_name="/apply_settings")
                for path in ("/etc/passwd", "/no/such/file.gguf", "../../../etc/hostname.gguf", "/etc/hostname")
            }
    assert len(replies) == 1 and "model folder" in next(iter(replies))
    assert elsewhere.requests, "the attacker's session tried its own backend"
    assert all(SECRET not in json.dumps(r) for r in elsewhere.requests)
    assert len(own.requests) >= 1 and all(r.get("authorization") == f"Bearer {SECRET}" for r in own.requests)
    assert all("H20" in r["body"] for r in own.requests)  # the other user still went to the server's own backend


def test_optional_login(work: Path) -> None:
    from gradio_client import Client

    with chat_server(work, "--auth", "reader:s3cret") as url:
        assert _get(url + "/config") in (401, 403)
        with pytest.raises(Exception):  # noqa: B017 (the client raises its own error types)
            Client(url, verbose=False).predict(5, 0.0, api_name="/apply_settings")
        client = Client(url, auth=("reader", "s3cret"), verbose=False)
        assert "this session" in client.predict(5, 0.0, api_name="/apply_settings")
