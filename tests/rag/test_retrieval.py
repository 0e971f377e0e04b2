import pytest

from index import Hit, Index
from index.embedding import HashEmbedder
from index.fusion import reciprocal_rank_fusion
from index.korean import KoreanText
from index.types import Chunk
from rag.entities import mentions
from rag.evidence import EvidenceSelector
from rag.numbers import extract_quantities
from rag.retrieval import HybridRetriever, fuse_with_lexical


def hit(cid: str, rank: int, retriever: str = "dense") -> Hit:
    return Hit(Chunk(cid, rank, "d", "t", "x", 0, 1, ((0, 1),)), 1.0 / rank, rank, retriever)


def test_rrf_rewards_chunks_found_by_both_lists() -> None:
    fused = reciprocal_rank_fusion([[hit("a", 1), hit("b", 2), hit("c", 3)], [hit("c", 1), hit("b", 2)]])
    # c: 1/63 + 1/61 > b: 1/62 + 1/62 > a: 1/61
    assert [h.chunk.chunk_id for h in fused] == ["c", "b", "a"]
    assert [h.rank for h in fused] == [1, 2, 3]
    assert all(h.retriever == "hybrid" for h in fused)
    assert fused[0].score == pytest.approx(1 / 63 + 1 / 61)


def test_bm25_abstains_on_chunks_in_a_language_it_cannot_read() -> None:
    dense = [hit("ko-a", 1), hit("en-evidence", 2), hit("ko-b", 3)]
    lexical = [hit("ko-a", 1, "bm25"), hit("ko-b", 2, "bm25")]
    english = {"en-evidence"}
    plain = reciprocal_rank_fusion([dense, lexical])
    assert [h.chunk.chunk_id for h in plain][-1] == "en-evidence"  # BM25's silence counted against it
    fused = fuse_with_lexical(dense, lexical, lambda h: h.chunk.chunk_id in english)
    assert [h.chunk.chunk_id for h in fused] == ["ko-a", "en-evidence", "ko-b"]  # its dense rank stands in
    assert fused[1].score == pytest.approx(2 / 62)
    same_language = fuse_with_lexical(dense, lexical, lambda h: False)
    assert [h.chunk.chunk_id for h in same_language] == [h.chunk.chunk_id for h in plain]


@pytest.mark.slow
def test_bm25_joins_the_fusion_for_korean_questions_only(seed_index: Index) -> None:
    retriever = HybridRetriever(seed_index)
    ko = retriever.retrieve("호주 데이터센터 서버 몇 대", 3, "ko")
    en = retriever.retrieve("How many servers were set up?", 3, "en")  # no figure or name to look for
    assert all(h.retriever == "hybrid" for h in ko) and all(h.retriever == "dense" for h in en)
    assert "300여대의 서버" in ko[0].chunk.text


@pytest.mark.slow
def test_an_english_question_finds_the_korean_chunk_stating_its_figure(seed_index: Index) -> None:
    question = "How much is the 50 billion yuan capex in Korean won, according to the article?"
    dense = HybridRetriever(seed_index).retrieve(question, 10, "en")
    holds = [h.rank for h in dense if "500억 위안(약 9조3000억원)" in h.chunk.text]
    assert holds and holds[0] <= 3 and dense[0].retriever == "hybrid"
    alone = seed_index.search(question, 30)
    assert next(h.rank for h in alone if "500억 위안(약 9조3000억원)" in h.chunk.text) > 3  # e5 alone missed it


def test_chunks_stating_a_questions_figure_or_name_in_another_script_are_found(korean: KoreanText) -> None:
    from rag.retrieval import sharing_facts

    texts = ["세 회사의 설비투자 합계는 500억 위안이다.", "데릭 오씨는 서버를 갖췄다.", "판교 데이터센터에 불이 났다."]
    hits = [Hit(Chunk(f"d#{i}", i, "d", "T", t, 0, len(t)), 0.8, i + 1, "dense") for i, t in enumerate(texts)]

    def facts(text: str) -> tuple:
        return extract_quantities(text), [m.text for m in mentions(text, korean)]

    found = sharing_facts(facts("What was the 50 billion yuan spent on?"), hits, lambda c: facts(c.text))
    assert [h.chunk.chunk_id for h in found] == ["d#0"]
    found = sharing_facts(facts("Where did Derek Oh put servers?"), hits, lambda c: facts(c.text))
    assert [h.chunk.chunk_id for h in found] == ["d#1"] and found[0].rank == 2  # its dense rank, voted again
    assert sharing_facts(facts("Where was the fire?"), hits, lambda c: facts(c.text)) == []


@pytest.mark.slow
def test_evidence_selection_keeps_the_supporting_sentence_first(seed_index: Index) -> None:
    retriever = HybridRetriever(seed_index)
    selector = EvidenceSelector(seed_index.embedder, max_sentences=3)
    question = "H20은 개당 얼마인가요?"
    passages = selector.select(question, retriever.retrieve(question, 5, "ko"))
    assert len(passages) == 3 and [p.number for p in passages] == [1, 2, 3]
    assert "1만2000∼1만3000달러" in passages[0].text
    article = seed_index.article(passages[0].doc_id)
    assert all(article.text[p.start : p.end] == p.text for p in passages)


def _chunk(*sentences: str, sep: str = " ") -> Chunk:
    text = sep.join(sentences)
    spans, start = [], 0
    for sentence in sentences:
        spans.append((start, start + len(sentence)))
        start += len(sentence) + len(sep)
    return Chunk("d#0", 0, "d", "T", text, 0, len(text), tuple(spans))


def test_evidence_keeps_the_speaker_and_the_heading() -> None:
    from rag.evidence import with_context

    chunk = _chunk("“It invests over $50 billion in chips.”", "That is what Secretary Granholm said.", "Next one.")
    (a, _), (_, b), _ = chunk.sentences
    assert with_context(chunk, *chunk.sentences[0]) == (a, b)  # the speaker sentence joins its quote
    chunk = _chunk("Key dates", "The deadline is March 3.", sep="\n")
    assert with_context(chunk, *chunk.sentences[1]) == (0, len(chunk.text))  # the heading line joins
    chunk = _chunk("The fund opened.", "The deadline is March 3.", sep="\n")
    assert with_context(chunk, *chunk.sentences[1]) == chunk.sentences[1]  # a sentence is no heading


def test_evidence_holds_each_sentence_once(hashed: HashEmbedder) -> None:
    quote, speaker, other = "“Demand is there.”", "He said so in June.", "The fund opened in May."
    text = f"{quote} {speaker} {other}"
    spans = ((0, len(quote)), (len(quote) + 1, len(quote) + 1 + len(speaker)), (text.index(other), len(text)))
    first = Chunk("d#0", 0, "d", "T", text[: spans[1][1]], 0, spans[1][1], spans[:2])
    second = Chunk("d#1", 1, "d", "T", text[spans[1][0] :], spans[1][0], len(text), spans[1:])
    hits = [Hit(first, 0.9, 1, "dense"), Hit(second, 0.8, 2, "dense")]
    passages = EvidenceSelector(hashed, max_sentences=3).select("What did he say about demand?", hits)
    shown = " ".join(p.text for p in passages)
    assert sorted(shown.count(s) for s in (quote, speaker, other)) == [1, 1, 1]  # overlapping chunks, once each
    assert [p.number for p in passages] == list(range(1, len(passages) + 1))
    assert all(text[p.start : p.end] == p.text for p in passages)


def test_other_language_chunks_get_the_cross_lingual_bonus() -> None:
    from rag.retrieval import CROSS_LINGUAL_BONUS, balance_languages

    ko = Hit(Chunk("ko#0", 0, "ko", "T", "가", 0, 1), 0.80, 1, "dense")
    en = Hit(Chunk("en#0", 1, "en", "T", "a", 0, 1), 0.80 - CROSS_LINGUAL_BONUS / 2, 2, "dense")
    ranked = balance_languages([ko, en], lambda h: h.chunk.doc_id, "ko")
    assert [h.chunk.doc_id for h in ranked] == ["en", "ko"] and [h.rank for h in ranked] == [1, 2]


def test_a_sentence_holding_a_question_word_no_chosen_one_holds_takes_the_last_place(
    hashed: HashEmbedder, korean: KoreanText
) -> None:
    lead = "대한민국의 재벌을 대표하는 인물인 삼성전자의 이건희 회장이 별세했다."
    cause = "사인은 급성심근경색증으로 알려졌다."
    others = ["이건희 회장의 장례는 가족장으로 치르기로 했다.", "이건희 회장은 삼성그룹을 이끌었다."]
    hits = [Hit(_chunk(lead, cause, *others), 0.9, 1, "dense")]
    question = "이건희 회장의 사인은 무엇인가요?"
    plain = EvidenceSelector(hashed, max_sentences=2, context=False).select(question, hits)
    worded = EvidenceSelector(hashed, max_sentences=2, context=False, terms=korean.terms).select(question, hits)
    assert cause not in " ".join(p.text for p in plain)  # meaning alone prefers the sentences naming him
    assert len(worded) == 2 and worded[-1].text == cause and worded[0].text == plain[0].text
