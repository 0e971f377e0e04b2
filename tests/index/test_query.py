import pytest

from index import check_query
from index.errors import QueryError
from index.query import MAX_K, check_k


def test_lone_surrogates_become_replacement_characters() -> None:
    assert check_query("H20 \ud800가격\udfff?", 100) == "H20 \ufffd가격\ufffd?"
    check_query("H20 \ud800가격?", 100).encode("utf-8")  # encodable, so search cannot crash on it


@pytest.mark.parametrize("k", [0, -1, MAX_K + 1, 2.5, True, "3"])
def test_bad_k_is_a_query_error(k: object) -> None:
    with pytest.raises(QueryError, match="-k"):
        check_k(k)  # type: ignore[arg-type]


def test_search_with_k_zero_and_surrogates(hash_index) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(QueryError):
        hash_index.search("H20", 0)
    assert hash_index.search("H20 \udcff 가격", 2)
    assert hash_index.lexical_search("H20 \udcff 가격", 2)
