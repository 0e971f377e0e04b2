"""Seeded, bounded fuzzing of every parser that sees user or article text: only GisaError, or nothing, escapes.

Inputs that once crashed a parser are kept as `@example`s, so they are re-run first every time.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from index import check_query
from index.charsets import decode_bytes
from index.chunking import ChunkingConfig, chunk_article
from index.cleaning import clean_text
from index.errors import GisaError
from index.korean import KoreanText
from index.loading import load_articles
from index.types import Article
from rag.citations import answer_sentences, check_sentence, markers_in, strip_invalid_markers
from rag.numbers import english_amounts, extract_quantities, supported
from rag.types import Passage

FUZZ_CASES = 200  # examples per parser; derandomized, so every run tries the same ones
FUZZ = settings(max_examples=FUZZ_CASES, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KIWI = KoreanText()

# Text close to what articles and questions hold, plus the characters that broke parsers before.
ODD = st.sampled_from(
    [
        "\t",
        "\n",
        "\u3000",
        "\xa0",
        "\x1c",
        "\x1f",
        "\ud800",
        "\udfff",
        "\x00",
        "억",
        "만",
        "조",
        "위안",
        "%",
        "[",
        "]",
        "【",
        "】",
        "，",
        ",",
        ".",
        "@",
        "$",
        "∼",
        "-",
        "기자",
        " ",
        "  ",
    ]
)
TEXT = st.lists(st.one_of(st.text(max_size=20), ODD, st.from_regex(r"\d{1,30}", fullmatch=True)), max_size=40).map(
    "".join
)


def _only_gisa_errors(fn, *args):  # type: ignore[no-untyped-def]
    try:
        return fn(*args)
    except GisaError:
        return None


@FUZZ
@given(TEXT)
@example("기자" + " " * 1600 + "a@x")
def test_cleaner(text: str) -> None:
    cleaned = clean_text(text)
    assert isinstance(cleaned, str) and len(cleaned) <= len(text) + 1


@FUZZ
@given(TEXT)
@example("500억\t위안")
@example("500억\u3000위안 1" + "0" * 5000 + "달러")
def test_number_parser(text: str) -> None:
    found = extract_quantities(text)
    for q in found:
        assert supported(q, found)
    english_amounts(text)


@FUZZ
@given(TEXT, st.integers(min_value=0, max_value=12))
@example("A [" + "9" * 5000 + "]. B [1].", 3)
def test_citation_parser(text: str, n: int) -> None:
    stripped, removed = strip_invalid_markers(text, n)
    assert removed >= 0 and all(1 <= m <= n for m in markers_in(stripped))
    passages = [Passage(i, "d", "t", f"d#{i}", "500억 위안이다.", 0, 10) for i in range(1, n + 1)]
    for sentence in answer_sentences(stripped, KIWI):
        check_sentence(sentence, passages, text)


@FUZZ
@given(TEXT, st.integers(min_value=1, max_value=3000))
@example("\ud800", 10)
def test_query_checker(text: str, limit: int) -> None:
    out = _only_gisa_errors(check_query, text, limit)
    if out is not None:
        assert 0 < len(out) <= limit
        out.encode("utf-8")


@FUZZ
@given(TEXT)
def test_chunker(text: str) -> None:
    cleaned = clean_text(text.replace("\ud800", "").replace("\udfff", ""))
    article = Article("d", "t", cleaned, "ko")
    for chunk in chunk_article(article, ChunkingConfig(), KIWI):
        assert cleaned[chunk.start : chunk.end] == chunk.text


@FUZZ
@given(st.binary(max_size=400))
@example(b"\xff\xfe" + "기사".encode("utf-16-le") + b"\x00")
@example(b"\xff\xfe\x00\xd8a\x00")
def test_decoder(data: bytes) -> None:
    out = _only_gisa_errors(decode_bytes, data)
    assert out is None or isinstance(out, str)


NAMES = st.sampled_from(["a.txt", "b.md", "c.html", "d.htm", "가" * 82 + ".txt", "e.txt.meta.json", ".hidden.txt"])
HTML = st.recursive(
    st.text(max_size=10),
    lambda inner: st.builds(
        lambda t, x: f"<{t}>{x}</{t}>", st.sampled_from(["div", "p", "script", "h1", "title"]), inner
    ),
    max_leaves=30,
)


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-loader")


@FUZZ
@given(st.lists(st.tuples(NAMES, st.one_of(st.binary(max_size=300), HTML.map(str.encode))), max_size=5))
def test_loader(fuzz_dir: Path, files: list[tuple[str, bytes]]) -> None:
    folder = fuzz_dir / "case"
    if folder.exists():
        for old in folder.iterdir():
            old.unlink()
    folder.mkdir(exist_ok=True)
    for name, data in files:
        (folder / name).write_bytes(data)
    result = load_articles([folder])
    assert len(result.articles) + len(result.failures) <= len(files)
