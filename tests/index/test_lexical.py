from index.korean import KoreanText
from index.lexical import BM25


def test_bm25_ranks_by_korean_morphemes_and_round_trips(korean: KoreanText) -> None:
    texts = {
        1: "데릭 오씨는 호주의 데이터센터에 300여대의 서버를 갖췄다.",
        2: "알리바바의 설비투자는 230억 위안이다.",
        3: "텐센트도 설비투자를 늘렸다.",
    }
    bm25 = BM25({k: korean.terms(v) for k, v in texts.items()})
    top = bm25.search(korean.terms("호주 서버는 몇 대?"), 3)
    assert top[0][0] == 1
    assert {vid for vid, _ in bm25.search(korean.terms("설비투자"), 3)} == {2, 3}
    assert bm25.search(korean.terms("설비투자 위안"), 3)[0][0] == 2
    assert bm25.search(korean.terms("블록체인"), 3) == []
    again = BM25.from_json(bm25.to_json())
    assert again.search(korean.terms("호주 서버"), 3) == bm25.search(korean.terms("호주 서버"), 3)


def test_bm25_changes_return_a_new_index(korean: KoreanText) -> None:
    bm25 = BM25({1: korean.terms("apple pie recipe"), 2: korean.terms("stock market news")})
    changed = bm25.with_changes({3: korean.terms("apple stock rises")}, remove=[1])
    assert len(bm25) == 2 and len(changed) == 2
    assert [vid for vid, _ in changed.search(korean.terms("apple"), 5)] == [3]


def test_terms_drop_particles_and_english_stopwords(korean: KoreanText) -> None:
    assert korean.terms("서버를 갖췄다") == ["서버", "갖추"]
    assert korean.terms("230억 위안") == ["230", "억", "위안"]
    assert korean.terms("How many servers did Derek Oh set up?") == ["server", "derek", "oh", "set", "up"]
