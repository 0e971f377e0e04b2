"""Hybrid retrieval: dense search fused with Kiwi-BM25 by reciprocal rank fusion (on any store)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace

from index import Hit, Index
from index.fusion import reciprocal_rank_fusion
from index.language import Language
from index.types import Chunk
from rag.config import BM25_MODES, BM25Mode
from rag.entities import mentions, same_entity
from rag.numbers import Quantity, extract_quantities

# Chunks fetched from each retriever before fusion, so a chunk ranked low by one retriever can still rise.
# 10 (chosen by hand) left out the English chunk that answers some Korean questions: with 20, evidence
# recall on the fresh set 0.92 -> 1.00 and hit@3 0.88 -> 0.96, seed and dev unchanged (0.93 / 0.98 and
# 0.95 / 0.95; 30 gives the same). bench/retrieval.py measures hit@k with it.
RETRIEVAL_CANDIDATES = 20
# Dense candidates fetched per chunk kept, so that the other language's best chunks are among them.
LANGUAGE_POOL = 3
# e5 scores a question higher against any chunk in its own language than against the chunk in the other
# language that answers it. This much is added to other-language chunks (and sentences, rag/evidence.py).
# Chosen on the dev set's tune split: Korean questions' evidence hit@3 0.68 (none), 0.84 (0.04), 0.89 (0.06),
# 0.89 (0.08); English 0.90, 0.95, 0.95, 0.95, but English hit@1 falls at 0.08 (README, "Answer quality").
CROSS_LINGUAL_BONUS = 0.06
FACTS_CACHE_SIZE = 4096  # chunks whose figures and names are kept between questions
Facts = tuple[list[Quantity], list[str]]  # the figures and the names a text states


def balance_languages(hits: list[Hit], language_of: Callable[[Hit], str], question_language: str) -> list[Hit]:
    """Re-rank dense hits with `CROSS_LINGUAL_BONUS` added to chunks not in the question's language."""

    def score(hit: Hit) -> float:
        return hit.score + (CROSS_LINGUAL_BONUS if language_of(hit) != question_language else 0.0)

    order = sorted(hits, key=lambda h: -score(h))
    return [replace(h, score=score(h), rank=rank) for rank, h in enumerate(order, 1)]


def fuse_with_lexical(dense: list[Hit], lexical: list[Hit], unreadable: Callable[[Hit], bool]) -> list[Hit]:
    """RRF of dense and BM25 hits, where BM25 abstains on the chunks it cannot read.

    BM25 over a Korean question's morphemes cannot match an English chunk, so leaving such a chunk out of
    the BM25 list would count as a vote against it, and Korean chunks that share a word with the question
    would outrank the English evidence. A dense hit that `unreadable` says BM25 could not judge (and that
    BM25 did not find) counts its dense rank in BM25's place. Measured on the Korean questions
    (bench/store_parity.py's retrieval, README "Answer quality"): dev hit@1 0.68 -> 0.89, hit@3 0.89 -> 0.96;
    seed unchanged (0.95, 1.00).
    """
    found = {h.chunk.chunk_id for h in lexical}
    stand_ins = [h for h in dense if unreadable(h) and h.chunk.chunk_id not in found]
    return reciprocal_rank_fusion([dense, lexical, stand_ins])


def sharing_facts(question: Facts, hits: list[Hit], facts: Callable[[Chunk], Facts]) -> list[Hit]:
    """The hits whose chunk states one of the question's figures or names, in any script and unit.

    "50 billion yuan" finds "500억 위안", and "Derek Oh" finds "데릭 오": the lexical match BM25 cannot make
    between an English question and a Korean article. Each such hit keeps its dense rank, so that in the
    fusion it counts that rank a second time. Measured on English questions (README, "Answer quality"):
    seed evidence hit@3 0.87 -> 0.96, hit@1 0.65 -> 0.70; dev hit@3 0.97 -> 0.97, hit@1 0.82 -> 0.79.
    """
    figures, names = question
    if not figures and not names:
        return []
    out = []
    for hit in hits:
        chunk_figures, chunk_names = facts(hit.chunk)
        if any(f.matches(c) for f in figures for c in chunk_figures) or any(
            same_entity(n, c) for n in names for c in chunk_names
        ):
            out.append(hit)
    return out


class HybridRetriever:
    """Dense search, plus BM25 for Korean questions (`bm25="auto"`), fused by RRF.

    Measured on the seed fact set (bench/retrieval.py): BM25 over Korean morphemes lifts Korean
    questions, but English questions share almost no terms with Korean articles, so for them BM25
    only adds noise; "auto" uses it when the question is Korean. Questions BM25 does not join (English
    ones under "auto") get the chunks that state their figures or names (`sharing_facts`) instead.
    """

    def __init__(self, index: Index, bm25: BM25Mode = "auto", candidates: int = RETRIEVAL_CANDIDATES) -> None:
        if bm25 not in BM25_MODES:
            raise ValueError(f"bm25 must be one of {BM25_MODES}")
        self.index = index
        self.bm25 = bm25
        self.candidates = candidates
        self._facts: OrderedDict[tuple[str, int], Facts] = OrderedDict()

    def uses_bm25(self, language: Language) -> bool:
        """Whether BM25 joins the fusion for a question in this language."""
        return self.bm25 == "always" or (self.bm25 == "auto" and language == "ko")

    def retrieve(self, question: str, k: int, language: Language) -> list[Hit]:
        """The k best chunks for the question."""
        n = max(k, self.candidates)

        def language_of(hit: Hit) -> str:
            return self.index.article(hit.chunk.doc_id).language

        dense = balance_languages(self.index.search(question, n * LANGUAGE_POOL), language_of, language)[:n]
        if not self.uses_bm25(language):
            matched = sharing_facts(self._facts_of(question), dense, self._chunk_facts)
            return (reciprocal_rank_fusion([dense, matched]) if matched else dense)[:k]
        lexical = self.index.lexical_search(question, n)
        return fuse_with_lexical(dense, lexical, lambda h: language_of(h) != language)[:k]

    def _facts_of(self, text: str) -> Facts:
        return extract_quantities(text), [m.text for m in mentions(text, self.index.korean)]

    def _chunk_facts(self, chunk: Chunk) -> Facts:
        key = (chunk.chunk_id, hash(chunk.text))
        if key not in self._facts:
            self._facts[key] = self._facts_of(chunk.text)
            while len(self._facts) > FACTS_CACHE_SIZE:
                self._facts.popitem(last=False)
        self._facts.move_to_end(key)
        return self._facts[key]
