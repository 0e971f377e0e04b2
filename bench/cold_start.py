"""Cold start: how long a new process takes before it is useful, against a warm one (issue 16).

Measured in one run on one machine, nothing else running:
- `gisa --help`, and `gisa index info` / `gisa search` start-up (e5 load included), wall time;
- which heavy modules `gisa search` imports (it should import neither llama-index, llama.cpp nor Gradio);
- `gisa ask` in a new process: model load, then the first question's first token and total, with the
  prompt-prefix cache cold (cleared) and warm (from an earlier process);
- the same question asked again in-process (warm), and the prompt tokens prefilled per question;
- the time until `gisa chat` serves its page, against the model's load time.

Run: .venv/bin/python bench/cold_start.py   (results: bench/results/cold_start.md and .json)
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rag.config import from_env  # noqa: E402
from tests.ui.servers import free_port  # noqa: E402

QUESTIONS = [
    "H20 칩은 개당 얼마인가요?",
    "데릭 오씨가 호주 데이터센터에 갖춘 서버는 몇 대인가요?",
    "알리바바의 상반기 설비투자 증가율은 얼마인가요?",
    "How many servers did Derek Oh set up in Australia?",
    "What is the price of one H20 chip?",
    "How much did Tencent's capex grow?",
]
RUNS = 3
ASK_IN_PROCESS = """
import json, sys, time
from rag import Assistant, from_env
t0 = time.perf_counter()
cfg = from_env()
assistant = Assistant.load(cfg.index_dir, config=cfg)
assistant.warm_up()
loaded = time.perf_counter() - t0
rows = []
for q in sys.argv[1:]:
    t = assistant.ask(q).timings
    rows.append(
        {"first_token": t.first_token, "total": t.total, "prompt": t.prompt_tokens, "prefilled": t.prefilled_tokens}
    )
print(json.dumps({"load": loaded, "rows": rows}))
"""


def _env(index: Path, cache: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "GISA_INDEX": str(index),
        "GISA_PROGRESS": "0",
        "GISA_MODEL_DIR": str(cache.parent),
        "GRADIO_ANALYTICS_ENABLED": "False",
    }


def _wall(cmd: list[str], env: dict[str, str]) -> float:
    best = float("inf")
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, check=True)
        best = min(best, time.perf_counter() - started)
    return best


def _imports(args: list[str], env: dict[str, str]) -> list[str]:
    code = (
        "import sys, runpy; sys.argv = ['gisa', *sys.argv[1:]]\n"
        "try:\n    runpy.run_module('ui.cli', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "heavy = {'llama_index', 'llama_cpp', 'gradio', 'torch'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}), file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True)
    return json.loads(out.stderr.strip().splitlines()[-1].replace("'", '"'))


def _ask_process(questions: list[str], env: dict[str, str]) -> dict:  # type: ignore[type-arg]
    out = subprocess.run([sys.executable, "-c", ASK_IN_PROCESS, *questions], env=env, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _chat_ready(env: dict[str, str]) -> float:
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "ui.cli", "chat", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
                return time.perf_counter() - started
            except OSError:
                if proc.poll() is not None or time.perf_counter() - started > 300:
                    raise SystemExit("gisa chat did not start") from None
                time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(30)


def main() -> None:
    cfg = from_env()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        models = work / "models"
        models.mkdir()
        os.symlink(cfg.model_path, models / cfg.model_path.name)
        cache = models / "prefix-cache"
        env = _env(work / "index", cache)
        subprocess.run(
            [sys.executable, "-m", "ui.cli", "ingest", str(ROOT / "seeds")], env=env, check=True, capture_output=True
        )
        gisa = [sys.executable, "-m", "ui.cli"]
        figures: dict[str, object] = {
            "help_s": _wall([*gisa, "--help"], env),
            "index_info_s": _wall([*gisa, "index", "info"], env),
            "search_s": _wall([*gisa, "search", "H20 가격"], env),
            "search_heavy_imports": _imports(["search", "H20 가격"], env),
            "help_heavy_imports": _imports(["--help"], env),
        }
        shutil.rmtree(cache, ignore_errors=True)
        cold = _ask_process(QUESTIONS[:1], env)  # no prefix cache: prefills and saves it
        # a new process with the cache from the one before; the first question is asked again at the end,
        # after others, so the warm figure for it reuses the same prompt head and nothing more
        warm_cache = _ask_process([*QUESTIONS, QUESTIONS[0]], env)
        first, again = warm_cache["rows"][0], warm_cache["rows"][-1]
        later = warm_cache["rows"][1:]
        figures.update(
            model_load_cold_cache_s=cold["load"],
            model_load_s=warm_cache["load"],
            first_question_no_cache={k: cold["rows"][0][k] for k in ("first_token", "total", "prompt", "prefilled")},
            first_question_new_process=first,
            same_question_warm=again,
            warm_first_token_p50_s=float(np.median([r["first_token"] for r in later])),
            warm_total_p50_s=float(np.median([r["total"] for r in later])),
            prefilled_share_after_first=float(np.median([r["prefilled"] / r["prompt"] for r in later])),
            prompt_tokens_p50=float(np.median([r["prompt"] for r in later])),
            prefilled_tokens_p50=float(np.median([r["prefilled"] for r in later])),
            chat_ready_s=_chat_ready(env),
        )
    figures["cold_over_warm_first_token"] = (
        figures["first_question_new_process"]["first_token"] / figures["warm_first_token_p50_s"]
    )  # type: ignore[index]
    figures["chat_ready_over_model_load"] = figures["chat_ready_s"] / figures["model_load_s"]  # type: ignore[operator]
    info = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
    }
    out = ROOT / "bench" / "results"
    (out / "cold_start.json").write_text(json.dumps({"info": info, "figures": figures}, indent=2), encoding="utf-8")
    f = figures
    rows = [
        ("`gisa --help`", f"{f['help_s']:.2f} s (heavy imports: {f['help_heavy_imports'] or 'none'})", "≤ 0.5 s"),
        ("`gisa index info` start-up", f"{f['index_info_s']:.2f} s", "≤ 1.5 s"),
        (
            "`gisa search` start-up, e5 load included",
            f"{f['search_s']:.2f} s (heavy imports: {f['search_heavy_imports'] or 'none'})",
            "≤ 1.5 s",
        ),
        (
            "model load (prefix cache warm / cold)",
            f"{f['model_load_s']:.1f} / {f['model_load_cold_cache_s']:.1f} s",
            "",
        ),
        (
            "first question in a new process: first token / total",
            f"{f['first_question_new_process']['first_token']:.2f} / {f['first_question_new_process']['total']:.2f} s",
            "",
        ),
        (
            "same, without a prefix cache",
            f"{f['first_question_no_cache']['first_token']:.2f} / {f['first_question_no_cache']['total']:.2f} s",
            "",
        ),
        (
            "warm in-process: first token / total p50",
            f"{f['warm_first_token_p50_s']:.2f} / {f['warm_total_p50_s']:.2f} s",
            "",
        ),
        (
            "the same first question asked warm, after others: first token / total",
            f"{f['same_question_warm']['first_token']:.2f} / {f['same_question_warm']['total']:.2f} s",
            "",
        ),
        ("cold first token ÷ warm first token (same question)", f"{f['cold_over_warm_first_token']:.2f}", "≤ 1.5"),
        (
            "prompt tokens prefilled per question after the first",
            f"{f['prefilled_tokens_p50']:.0f} of {f['prompt_tokens_p50']:.0f} ({f['prefilled_share_after_first']:.0%})",
            "≤ 40%",
        ),
        (
            "`gisa chat` ready ÷ model load",
            f"{f['chat_ready_s']:.1f} s ÷ {f['model_load_s']:.1f} s = {f['chat_ready_over_model_load']:.2f}",
            "≤ 2",
        ),
    ]
    lines = [f"# Cold start ({info['date']}, {info['machine']})", "", "| measure | figure | goal |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    (out / "cold_start.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
