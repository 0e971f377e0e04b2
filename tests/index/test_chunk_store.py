"""GISA_STORE values: what each means, and a clear error for anything else."""

from __future__ import annotations

import pytest

from index.chunk_store import StoreSpec
from index.errors import ConfigError
from rag.config import from_env


@pytest.mark.parametrize(
    ("value", "kind", "address", "name"),
    [
        ("", "faiss", "", "gisa"),
        ("faiss", "faiss", "", "gisa"),
        ("milvus:/data/news.db", "milvus-lite", "/data/news.db", "gisa"),
        ("milvus://10.0.0.5:19530", "milvus-server", "http://10.0.0.5:19530", "gisa"),
        ("milvus://10.0.0.5:19530/news_ko", "milvus-server", "http://10.0.0.5:19530", "news_ko"),
        ("milvus+https://db.example.com:443/news", "milvus-server", "https://db.example.com:443", "news"),
    ],
)
def test_store_specs(value: str, kind: str, address: str, name: str) -> None:
    assert StoreSpec.parse(value) == StoreSpec(kind, address, name)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["qdrant://x:6333", "milvus:news", "milvus://", "milvus://h:1/bad-name!", "FAISS "])
def test_unknown_stores_are_refused_with_the_accepted_forms(value: str) -> None:
    with pytest.raises(ConfigError, match="GISA_STORE"):
        StoreSpec.parse(value)


def test_config_reads_and_checks_gisa_store() -> None:
    assert from_env({"GISA_STORE": "milvus:x.db"}).store == "milvus:x.db"
    assert from_env({}).store == "faiss"
    with pytest.raises(ConfigError, match=r"milvus:PATH\.db"):
        from_env({"GISA_STORE": "pgvector://db"})
