"""Evidence selection: from the retrieved chunks, keep the sentences that best support the question.

Prompt length dominates latency on a CPU (about 86 prompt tokens/s for the 1.5B model on 2 cores),
and small models answer better with less noise, so the prompt carries sentences, not whole chunks.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from collections.abc import Callable, Sequence

import numpy as np

from index import Hit
from index.embedding import Embedder
from index.types import Chunk
from rag.config import EVIDENCE_SENTENCES
from rag.entities import has_hangul
from rag.retrieval import CROSS_LINGUAL_BONUS
from rag.types import Passage

log = logging.getLogger(__name__)

# Sentences that talk to the model instead of reporting news ("ignore previous instructions…") are never
# shown to it as evidence: an article may not steer answers about itself or about other articles.
# Bounded, alternation-only patterns: linear time on any sentence.
INSTRUCTION_LIKE = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b.{0,40}\b(?:instructions?|prompts?|rules|directions)\b"
    r"|\b(?:system prompt|developer mode|you are now|new instructions|jailbreak)\b"
    r"|^\s{0,10}(?:system|assistant|user)\s{0,3}:"
    r"|(?:이전|위의|앞의|모든)\s{0,3}(?:지시|명령|지침)[^.\n]{0,20}(?:무시|잊)"
    r"|시스템\s{0,3}프롬프트",
    re.IGNORECASE,
)

CACHE_SIZE = 4096  # sentence vectors kept between questions
# Bonus for sentences of higher-ranked chunks (weight / chunk rank): breaks near-ties toward the chunk
# retrieval trusted most. Chosen by hand; evidence recall with it is in bench/results/retrieval.txt.
RANK_WEIGHT = 0.02


class EvidenceSelector:
    """Scores candidate sentences by embedding similarity to the question, nudged by chunk rank."""

    def __init__(
        self,
        embedder: Embedder,
        max_sentences: int = EVIDENCE_SENTENCES,
        rank_weight: float = RANK_WEIGHT,
        context: bool = True,
        terms: Callable[[str], Sequence[str]] | None = None,
    ) -> None:
        self.embedder = embedder
        self.max_sentences = max_sentences
        self.rank_weight = rank_weight
        self.terms = terms  # a text's words (Kiwi's for Korean); None: meaning alone decides
        self.context = context  # add heading lines and speaker sentences (`with_context`)
        self._cache: OrderedDict[tuple[str, int, int], np.ndarray] = OrderedDict()

    def _vectors(self, keys: list[tuple[str, int, int]], texts: list[str]) -> np.ndarray:
        missing = [i for i, key in enumerate(keys) if key not in self._cache]
        if missing:
            fresh = self.embedder.embed_passages([texts[i] for i in missing])
            for i, vector in zip(missing, fresh, strict=True):
                self._cache[keys[i]] = vector
        for key in keys:
            self._cache.move_to_end(key)
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return np.vstack([self._cache[key] for key in keys])

    def _with_wordiest(self, question: str, texts: list[str], best: list[int]) -> list[int]:
        """The chosen sentences, the last swapped for a left-out one holding a question word that none of the
        chosen holds (of several, the one holding most such words, then the rarer ones)."""
        # e5 alone passed over "사인은 급성심근경색증으로 알려졌다." for "이건희 회장의 사인은 무엇인가요?" (it does
        # not name him) and "… before touching down near the South Pole." for "Where did Odysseus touch down?".
        # Measured on sentence recall over the three fact sets (README, "Directions measured"); a score bonus
        # for shared words instead changed the passages of many questions and cost two dev answers.
        assert self.terms is not None
        asked = {t for t in self.terms(question) if not t.isdigit()}
        held = [asked & set(self.terms(text)) for text in texts]
        missing = asked - set().union(*(held[i] for i in best))
        left_out = [i for i in range(len(texts)) if i not in best and held[i] & missing]
        if not left_out:
            return best
        shares = _rarity_weighted_shares(held)
        wordiest = max(left_out, key=lambda i: (len(held[i] & missing), shares[i]))
        return [*best[:-1], wordiest]

    def closest(self, statement: str, passages: Sequence[Passage]) -> Passage:
        """The passage closest in meaning to a statement, in either language (e5 is multilingual)."""
        keys = [(p.doc_id, p.start, p.end) for p in passages]
        scores = self._vectors(keys, [p.text for p in passages]) @ self.embedder.embed_queries([statement])[0]
        return passages[int(np.argmax(scores))]

    def select(self, question: str, hits: Sequence[Hit]) -> list[Passage]:
        """Numbered passages, best first: at most `max_sentences` sentences from the hits."""
        seen: set[tuple[str, int, int]] = set()
        keys: list[tuple[str, int, int]] = []
        texts: list[str] = []
        owners: list[tuple[Hit, int, int]] = []
        for hit in hits:
            chunk = hit.chunk
            for (start, end), text in zip(chunk.sentences, chunk.sentence_texts, strict=True):
                key = (chunk.doc_id, start, end)
                if key in seen or not text.strip():
                    continue
                if INSTRUCTION_LIKE.search(text):
                    log.warning("left out of the evidence, it reads as instructions: %s: %.80s", chunk.chunk_id, text)
                    seen.add(key)
                    continue
                seen.add(key)
                keys.append(key)
                texts.append(text)
                owners.append((hit, start, end))
        if not keys:
            return []
        query = self.embedder.embed_queries([question])[0]
        scores = self._vectors(keys, texts) @ query
        scores = scores + np.array([self.rank_weight / owner[0].rank for owner in owners])
        scores = _balanced(scores, [has_hangul(t) for t in texts], has_hangul(question))
        best = list(np.argsort(-scores)[: self.max_sentences])
        if self.terms is not None and len(texts) > len(best) > 1:
            best = self._with_wordiest(question, texts, best)
        passages: list[Passage] = []
        for i in best:
            hit, start, end = owners[i]
            taken = [(p.start, p.end) for p in passages if p.doc_id == hit.chunk.doc_id]
            if any(a <= start and end <= b for a, b in taken):
                continue  # a heading or speaker line already brought this sentence in: no need to repeat it
            if self.context:
                start, end = _clipped(with_context(hit.chunk, start, end), (start, end), taken)
            text = hit.chunk.text[start - hit.chunk.start : end - hit.chunk.start]
            passages.append(
                Passage(
                    len(passages) + 1,
                    hit.chunk.doc_id,
                    hit.chunk.title,
                    hit.chunk.chunk_id,
                    text,
                    start,
                    end,
                    float(scores[i]),
                )
            )
        return passages


def _rarity_weighted_shares(held: list[set[str]]) -> np.ndarray:
    """Per text, the share of the question's words it holds (`held`), each weighted by how few texts hold it."""
    df: dict[str, int] = {}
    for words in held:
        for w in words:
            df[w] = df.get(w, 0) + 1
    idf = {w: float(np.log(1 + len(held) / n)) for w, n in df.items()}  # words no text holds tell nothing
    total = sum(idf.values())
    if not total:
        return np.zeros(len(held))
    return np.array([sum(idf[w] for w in words) / total for words in held])


def _clipped(wide: tuple[int, int], core: tuple[int, int], taken: list[tuple[int, int]]) -> tuple[int, int]:
    """A sentence's widened span, without the heading or speaker line that another passage already holds."""
    start, end = wide
    for a, b in taken:
        if start < b <= core[0]:
            start = core[0]
        if core[1] <= a < end:
            end = core[1]
    return start, end


def _balanced(scores: np.ndarray, korean: list[bool], question_korean: bool) -> np.ndarray:
    """Sentence scores with `CROSS_LINGUAL_BONUS` added to sentences not in the question's language."""
    other = np.array(korean) != question_korean
    return scores + CROSS_LINGUAL_BONUS * other


# A next sentence that only says who spoke ("…," said Secretary Granholm.) belongs with the quote before it.
_SPEAKER = re.compile(r"\b(?:said|says|added|according to)\b|(?:말했|밝혔|전했|덧붙였)", re.I)
MAX_SPEAKER_CHARS = 160  # a longer next sentence says more than who spoke
MAX_HEADING_CHARS = 60  # a short line without final punctuation, alone on its line, heads what follows
_SENTENCE_END = re.compile(r"[.!?。다요”\"’)]\s*$")


def with_context(chunk: Chunk, start: int, end: int) -> tuple[int, int]:
    """Widen a sentence's span to the heading line above it and a following sentence naming the speaker."""
    spans = list(chunk.sentences)
    j = spans.index((start, end))
    text = chunk.text
    if j > 0:
        prev_start, prev_end = spans[j - 1]
        heading = text[prev_start - chunk.start : prev_end - chunk.start]
        between = text[prev_end - chunk.start : start - chunk.start]
        if "\n" in between and len(heading) <= MAX_HEADING_CHARS and not _SENTENCE_END.search(heading):
            start = prev_start
    if j + 1 < len(spans):
        next_start, next_end = spans[j + 1]
        follower = text[next_start - chunk.start : next_end - chunk.start]
        if (
            len(follower) <= MAX_SPEAKER_CHARS
            and _SPEAKER.search(follower)
            and not _SPEAKER.search(text[start - chunk.start : end - chunk.start])
        ):
            end = next_end
    return start, end
