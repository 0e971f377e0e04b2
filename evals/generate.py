"""Pull candidate facts from an article into a reviewable fact set (`gisa eval generate`)."""

from __future__ import annotations

from evals.factset import Fact
from index.korean import KoreanText
from index.sentences import sentence_spans
from index.types import Article
from rag.generation import Generator
from rag.numbers import extract_quantities

CLOZE = {"ko": "빈칸에 들어갈 내용은? ", "en": "Fill in the blank: "}
ASK = {
    "ko": "다음 문장만 읽고 답이 '{answer}'인 한국어 질문 하나를 쓰세요. 질문만 쓰세요.\n문장: {sentence}",
    "en": "Read only this sentence and write one English question whose answer is '{answer}'. "
    "Write only the question.\nSentence: {sentence}",
}
MAX_PER_SENTENCE = 2


def _names(sentence: str, korean: KoreanText) -> list[str]:
    """Proper nouns (Kiwi NNP, or capitalised English words) worth asking about."""
    names = [t.form for t in korean.kiwi.tokenize(sentence) if t.tag == "NNP" and len(t.form) > 1]
    return list(dict.fromkeys(names))


def _question(fact_text: str, sentence: str, language: str, generator: Generator | None) -> str:
    if generator is None:
        return CLOZE[language] + sentence.replace(fact_text, "___", 1)
    prompt = ASK[language].format(answer=fact_text, sentence=sentence)
    reply = "".join(generator.stream([("user", prompt)])).strip().splitlines()
    return (reply[0].strip() if reply else "") or CLOZE[language] + sentence.replace(fact_text, "___", 1)


def candidate_facts(article: Article, korean: KoreanText, generator: Generator | None = None) -> list[Fact]:
    """Facts from sentences holding numbers, amounts, dates or names; questions are cloze unless an LLM phrases them."""
    facts: list[Fact] = []
    for n, (start, end) in enumerate(sentence_spans(article.text, korean)):
        sentence = article.text[start:end]
        targets = [(q.text, "number") for q in extract_quantities(sentence)]
        if not targets:
            targets = [(name, "fact") for name in _names(sentence, korean)]
        for k, (value, kind) in enumerate(targets[:MAX_PER_SENTENCE]):
            facts.append(
                Fact(
                    id=f"{article.doc_id}-s{n}-{k}",
                    question=_question(value, sentence, article.language, generator),
                    language=article.language,
                    kind=kind,
                    expected=[value],
                    evidence=sentence,
                    doc_id=article.doc_id,
                    note="generated: review the question and expected value before use",
                )
            )
    return facts
