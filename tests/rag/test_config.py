from pathlib import Path

import pytest

from index.chunking import ChunkingConfig
from index.errors import ConfigError
from rag.config import Config, from_env


def test_defaults_without_environment() -> None:
    cfg = from_env({})
    assert cfg.index_dir == Path(".gisa/index")
    assert cfg.embedder is None and cfg.chunking is None  # an index keeps its own; new ones get defaults
    assert ChunkingConfig() == ChunkingConfig(3, 1, 500)


def test_environment_overrides() -> None:
    cfg = from_env(
        {
            "GISA_INDEX": "/tmp/x",
            "GISA_EMBEDDER": "use",
            "GISA_THREADS": "1",
            "GISA_CHUNK_SENTENCES": "5",
            "GISA_PROGRESS": "0",
        }
    )
    assert cfg.index_dir == Path("/tmp/x") and cfg.embedder == "use" and cfg.threads == 1
    assert cfg.chunking.sentences == 5 and cfg.progress is False


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"GISA_THREADS": "two"}, "GISA_THREADS must be an integer"),
        ({"GISA_THREADS": "0"}, "GISA_THREADS"),
        ({"GISA_CHUNK_OVERLAP": "3"}, "overlap"),
        ({"GISA_TOP_K": "0"}, "top-k"),
    ],
)
def test_invalid_values_say_which_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        from_env(env)


def test_with_ignores_none() -> None:
    cfg = Config().with_(index_dir=None, embedder="use")
    assert cfg.embedder == "use" and cfg.index_dir == Config().index_dir
