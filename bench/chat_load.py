"""The chat under load: N simulated users ask at once through the real `gisa chat` on loopback.

Each user is a gradio_client connection that asks one seed question and reads the streamed reply.
Reported per run: answered, told "busy", errors, the wait before the answer started (p50/p95), the
total time (p50/p95), and whether every waiting user was shown their place in line.

Run: .venv/bin/python bench/chat_load.py [--users 20 50] [--backend-index DIR]
(results: bench/results/chat_load.md and .json). The default local backend answers one at a time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.ui.servers import chat_server, cli_env  # noqa: E402

QUESTIONS = [
    "H20 칩은 개당 얼마인가요?",
    "How many servers did Derek Oh set up in Australia?",
    "알리바바의 설비투자 증가율은?",
    "What was the combined capex of Alibaba, Tencent and Baidu?",
]
USER_TIMEOUT_S = 900


def _text(content: object) -> str:
    """A chat message's text, whether Gradio sends a string or a list of parts."""
    if isinstance(content, list):
        return "".join(str(part.get("text", "")) if isinstance(part, dict) else str(part) for part in content)
    return str(content)


def one_user(url: str, question: str, out: dict) -> None:  # type: ignore[type-arg]
    """Ask one question and time what the user sees."""
    from gradio_client import Client

    started = time.perf_counter()
    try:
        client = Client(url, verbose=False)
        job = client.submit(question, [], "auto", api_name="/ask")
        saw_place = False
        first = None
        final = ""
        for update in job:
            history = update[1]
            text = _text(history[-1]["content"]) if history else ""
            if "ahead" in text:
                saw_place = True
            elif text and text != "…" and first is None and not text.startswith(("⚠", "⏳")):
                first = time.perf_counter() - started
            final = text
        done = time.perf_counter() - started
        busy = final.startswith("⚠ busy")
        out.update(
            ok=not busy and not final.startswith("⚠"),
            busy=busy,
            error=final.startswith("⚠") and not busy,
            wait=first,
            total=done,
            saw_place=saw_place,
        )
    except Exception as exc:  # a failed user is a data point, not a crash of the bench
        out.update(ok=False, busy=False, error=True, message=str(exc), total=time.perf_counter() - started)


def run(url: str, users: int) -> dict:  # type: ignore[type-arg]
    """All users at once; figures for the run."""
    results: list[dict] = [{} for _ in range(users)]  # type: ignore[type-arg]
    threads = [
        threading.Thread(target=one_user, args=(url, QUESTIONS[i % len(QUESTIONS)], results[i])) for i in range(users)
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
        time.sleep(0.05)
    for t in threads:
        t.join(USER_TIMEOUT_S)
    answered = [r for r in results if r.get("ok")]
    waits = [r["wait"] for r in answered if r.get("wait") is not None]
    totals = [r["total"] for r in answered]
    queued = [r for r in answered if r["wait"] and r["wait"] > 10]
    return {
        "users": users,
        "answered": len(answered),
        "busy": sum(1 for r in results if r.get("busy")),
        "errors": sum(1 for r in results if r.get("error")),
        "wait_p50_s": round(float(np.percentile(waits, 50)), 1) if waits else None,
        "wait_p95_s": round(float(np.percentile(waits, 95)), 1) if waits else None,
        "total_p50_s": round(float(np.percentile(totals, 50)), 1) if totals else None,
        "total_p95_s": round(float(np.percentile(totals, 95)), 1) if totals else None,
        "long_waits_shown_place": f"{sum(1 for r in queued if r['saw_place'])}/{len(queued)}",
        "wall_s": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, nargs="+", default=[20, 50])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        subprocess.run(
            [sys.executable, "-m", "ui.cli", "ingest", str(ROOT / "seeds")],
            env=cli_env(work / "index"),
            check=True,
            capture_output=True,
        )
        rows = []
        with chat_server(work, env=cli_env(work / "index")) as url:
            run(url, 1)  # warm up: the model loads on the first question
            for users in args.users:
                rows.append(run(url, users))
                print(json.dumps(rows[-1]), flush=True)
    info = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "backend": "local (Qwen2.5-Coder-1.5B Q4_K_M, one generation at a time)",
    }
    out = ROOT / "bench" / "results"
    (out / "chat_load.json").write_text(json.dumps({"info": info, "runs": rows}, indent=2), encoding="utf-8")
    lines = [
        f"# Chat under load ({info['date']}, {info['machine']}, {info['backend']})",
        "",
        "| users | answered | busy | errors | wait p50 / p95 s | total p50 / p95 s | long waits shown their place |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['users']} | {r['answered']} | {r['busy']} | {r['errors']} | {r['wait_p50_s']} / {r['wait_p95_s']} "
            f"| {r['total_p50_s']} / {r['total_p95_s']} | {r['long_waits_shown_place']} |"
        )
    (out / "chat_load.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
