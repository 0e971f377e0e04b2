import itertools

import pytest

from index.chunking import ChunkingConfig, chunk_article
from index.korean import KoreanText
from index.loading import load_article
from index.sentences import english_sentence_spans, sentence_spans
from index.types import Article
from tests.samples import ENGLISH_ARTICLE, SEED_FILE


def _english() -> Article:
    from index.cleaning import clean_text

    return Article(doc_id="battery", title="t", text=clean_text(ENGLISH_ARTICLE), language="en")


@pytest.mark.parametrize("cfg", [ChunkingConfig(), ChunkingConfig(1, 0, 100), ChunkingConfig(5, 2, 900)])
@pytest.mark.parametrize("which", ["seed", "english"])
def test_chunk_offsets_slice_back_to_chunk_and_sentence_text(
    korean: KoreanText, cfg: ChunkingConfig, which: str
) -> None:
    article = load_article(SEED_FILE) if which == "seed" else _english()
    chunks = chunk_article(article, cfg, korean)
    assert chunks
    for chunk in chunks:
        assert article.text[chunk.start : chunk.end] == chunk.text
        assert chunk.doc_id == article.doc_id and chunk.title == article.title
        assert 1 <= len(chunk.sentences) <= cfg.sentences
        for (s, e), sentence in zip(chunk.sentences, chunk.sentence_texts, strict=True):
            assert chunk.start <= s < e <= chunk.end
            assert sentence == article.text[s:e] == sentence.strip()
    # together the chunks cover every sentence of the article
    covered = {span for c in chunks for span in c.sentences}
    assert covered == set(sentence_spans(article.text, korean))


def test_windows_overlap_by_the_configured_sentences(korean: KoreanText) -> None:
    article = load_article(SEED_FILE)
    chunks = chunk_article(article, ChunkingConfig(3, 1, 5000), korean)
    for a, b in itertools.pairwise(chunks):
        assert a.sentences[-1] == b.sentences[0]


def test_korean_sentences_are_split_by_kiwi(korean: KoreanText) -> None:
    text = "그는 서버를 샀다. 3주 뒤 중국 기업이 썼다.\n두 번째 줄이다"
    spans = sentence_spans(text, korean)
    assert [text[s:e] for s, e in spans] == ["그는 서버를 샀다.", "3주 뒤 중국 기업이 썼다.", "두 번째 줄이다"]


def test_english_splitter_respects_abbreviations_and_numbers() -> None:
    text = 'Mr. Oh paid $12,000 on Jan. 5, 2024. The U.S. rules apply. He said: "Yes." It was 3.5% more.'
    parts = [text[s:e] for s, e in english_sentence_spans(text)]
    assert parts == [
        "Mr. Oh paid $12,000 on Jan. 5, 2024.",
        "The U.S. rules apply.",
        'He said: "Yes."',
        "It was 3.5% more.",
    ]
