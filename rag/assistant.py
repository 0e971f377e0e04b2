"""`Assistant`: the Python API that answers a question from the index with verified citations."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from index import Index, check_query
from index.errors import ConfigError, DocumentNotFoundError
from index.language import LANGUAGES, Language, detect_language, has_hangul
from index.types import Byline
from rag import prompts, replies
from rag.arithmetic import (
    Operation,
    Worked,
    amount,
    asked_operation,
    question_operands,
    work_out,
    work_out_from_sources,
)
from rag.asked import Asked, asked_kind, gives_kind
from rag.citations import (
    MARKER,
    answer_sentences,
    check_sentence,
    quotes_new_names,
    strip_invalid_markers,
    unproven_choice,
    unsourced_names,
)
from rag.config import Config, from_env
from rag.conversions import asked_currency, conversion_text, converted
from rag.counters import counting_noun
from rag.entities import added_names
from rag.evidence import EvidenceSelector
from rag.followup import Rewrite, Turn, resolve
from rag.generation import Generator, close_stream, make_generator
from rag.numbers import is_calendar_year
from rag.periods import names_earlier_period
from rag.retrieval import HybridRetriever
from rag.sourced import Operand, figure_from_sources
from rag.types import Answer, Citation, Passage, SentenceCheck, SentenceStatus, Timings
from rag.votes import Facts, agree, facts_of

log = logging.getLogger(__name__)

SELF_CHECK_CHARS = 3  # enough of the self-check reply to tell "yes"/"예" from "no"/"아니오"
OPERAND_LINES = 2  # the figures a difference or sum needs, one per line: the rest of a reply is not read
# llama.cpp's repeat penalty for the one retry after a reply that looped. Dev set: "2016년 노벨물리학상 공동
# 수상자 세 사람은 누구인가요?" looped on "세 사람은 세 사람에게 돌아갔다"; at 1.2 the retry named all three, at
# 1.1 it still said "세 사람은 세 사람입니다". Applied to every reply, 1.2 recovered none of 11 other
# refused answers, so it is kept to loops.
LOOP_RETRY_PENALTY = 1.2
# After a greedy reply refused as an echo, the wrong kind, a made-up name or by the self-check, up to three
# replies are sampled and what two of them agree on is shown (`_voted`). Replies refused for a figure the
# sources do not give are not retried: that is how the model answers unanswerable questions. Measured on
# all four sets (README, "Answer quality"): 2 more right answers on the seed set (false abstention 0.09 ->
# 0.04), none lost, no wrong answer shown, no unanswerable question answered; a refused question takes
# about 6-8 s instead of 2.5-3 s (median), the others nothing more.
VOTE_AFTER = frozenset(
    {replies.Flaw.ECHO, replies.Flaw.WRONG_KIND, replies.Flaw.UNSOURCED_NAME, replies.Flaw.NOT_CONFIRMED}
)
VOTE_SEEDS = (1000, 1001, 1002)  # fixed: the same question gets the same answer every time


class Assistant:
    """Retrieves evidence, asks the generator, and verifies what it says against the sources."""

    def __init__(self, index: Index, generator: Generator, config: Config | None = None) -> None:
        self.index = index
        self.generator = generator
        self.config = config or Config()
        self.retriever = HybridRetriever(index, bm25=self.config.bm25)
        self.selector = EvidenceSelector(
            index.embedder, max_sentences=self.config.evidence_sentences, terms=index.korean.terms
        )

    @classmethod
    def load(
        cls, index_dir: str | Path | None = None, generator: Generator | None = None, config: Config | None = None
    ) -> Assistant:
        """Open the index (default: the configured one) with the configured or given generator."""
        cfg = config or from_env()
        index = Index.load(
            index_dir or cfg.index_dir, threads=cfg.threads, max_query_chars=cfg.max_query_chars, store=cfg.store
        )
        return cls(index, generator or make_generator(cfg), cfg)

    def warm_up(self) -> None:
        """Load every model a question needs now (embedder, Kiwi, generator and its prompt-prefix cache)."""
        self.index.embedder.embed_queries(["warm-up"])
        self.index.korean.terms("준비")
        self.generator.warm(prompts.prompt_heads())

    def ask(self, question: str, lang: str | None = None, history: Sequence[Turn] = ()) -> Answer:
        """Answer a question (a follow-up to `history`, if given); blocks until it is generated and checked."""
        answer = None
        for event in self.stream(question, lang, history):
            if isinstance(event, Answer):
                answer = event
        assert answer is not None
        return answer

    def standalone(self, question: str, history: Sequence[Turn] = ()) -> Rewrite:
        """The question to search for: a follow-up to `history` rewritten to stand on its own."""
        question = check_query(question, self.config.max_query_chars)
        rewrite = resolve(question, history, self.index.korean, self.generator, self.config.followup)
        if rewrite.text != question:
            log.info("follow-up %r searched as %r (%s)", question, rewrite.text, rewrite.how)
        return rewrite

    def stream(self, question: str, lang: str | None = None, history: Sequence[Turn] = ()) -> Iterator[str | Answer]:
        """Yield reply text as it is generated, then the verified `Answer` as the last item.

        With `history` (earlier turns of a conversation), a follow-up such as "텐센트는요?" is first
        rewritten into a standalone question; the `Answer` gives it as `searched`.
        """
        started = time.perf_counter()
        asked = check_query(question, self.config.max_query_chars)
        self.index.refresh()  # another process may have committed a new generation since the last question
        if lang is not None and lang not in LANGUAGES:
            raise ConfigError(f"answer language must be one of {', '.join(LANGUAGES)}, got {lang!r}")
        language = lang or detect_language(asked)
        question = self.standalone(asked, history).text if history else asked
        for event in self._stream(question, language, started):
            if isinstance(event, Answer) and question != asked:
                event = replace(event, question=asked, searched=question)
            yield event

    def _stream(self, question: str, language: Language, started: float) -> Iterator[str | Answer]:

        hits = self.retriever.retrieve(question, self.config.top_k, language)
        retrieved = time.perf_counter()
        passages = self._with_bylines(self.selector.select(question, hits))
        selected = time.perf_counter()
        log.info(
            "retrieved %d chunks in %.2f s (%s); %d evidence passages from %s",
            len(hits),
            retrieved - started,
            ", ".join(f"{h.chunk.chunk_id} {h.score:.3f}" for h in hits[:5]),
            len(passages),
            sorted({p.doc_id for p in passages}),
        )
        if not passages:
            yield self._abstain(question, language, (), hits, "", Timings(retrieved - started, selected - retrieved))
            return

        # the retrieved chunks' other sentences are looked at only when an amount is asked in another currency
        unselected = _unselected_sentences(hits, passages) if asked_currency(question) else []
        conversion = converted(question, [*passages, *unselected])
        if conversion is not None:  # "500억 위안(약 9조3000억원)": the article converts it; no model needed
            if conversion.passage > len(passages):  # a sentence of the retrieved chunks the selection left out
                passages = [*passages, *self._with_bylines([unselected[conversion.passage - len(passages) - 1]])]
            text = conversion_text(conversion, language)
            checks = (SentenceCheck(text, (conversion.passage,), SentenceStatus.VERIFIED),)
            done = time.perf_counter()
            elapsed = done - started
            timings = Timings(retrieved - started, selected - retrieved, elapsed, done - selected, elapsed)
            log.info("conversion given by the source: %s", text)
            yield text
            yield _shown(question, text, language, checks, passages, hits, "", timings)
            return

        operation = asked_operation(question)
        if operation is not None:
            worked = self._worked(operation, question, language, passages, hits, started, retrieved, selected)
            if worked is not None:
                yield worked.text
                yield worked
                return

        messages = prompts.build_messages(question, passages, language)
        raw, first, looped = "", 0.0, False
        stream = self.generator.stream(messages)
        try:
            for piece in stream:
                if not raw:
                    first = time.perf_counter()
                raw += piece
                yield piece
                loop = replies.loop_start(raw)
                if loop is not None:  # a degenerate loop never ends by itself before the token limit
                    log.info("reply stopped: it repeats itself: %r", raw[-80:])
                    raw, looped = raw[:loop], True
                    break
        finally:
            close_stream(stream)
        done = time.perf_counter()
        usage = self.generator.prompt_usage() or _estimated_usage(self.generator, messages)
        timings = Timings(
            retrieval=retrieved - started,
            evidence=selected - retrieved,
            first_token=(first or done) - started,
            generation=done - selected,
            total=done - started,
            prompt_tokens=usage[0],
            prefilled_tokens=usage[1],
        )
        answer = self._finish(question, language, passages, hits, raw, timings)
        if answer.abstained and (looped or replies.repeats_sentence(raw)):
            # once more, with repeats penalized: greedy decoding would loop again
            answer = self._finish(question, language, passages, hits, self._unrepeated(messages), timings)
        if answer.abstained and answer.flaw in VOTE_AFTER and self.generator.samples:
            voted = self._voted(question, language, passages, hits, messages, timings)
            answer = replace(voted, flaw=answer.flaw) if voted else answer  # the flaw: why the greedy reply was not
        if answer.abstained:
            sourced = self._from_sources(question, language, passages, hits, raw, timings)
            answer = replace(sourced, flaw=answer.flaw) if sourced else answer  # the flaw: why the reply was not shown
        log.info(
            "reply %r -> %s%s; first token %.1f s, %d of %d prompt tokens processed",
            raw[:80],
            "abstained" if answer.abstained else ("verified" if answer.verified else "not verified"),
            f" ({answer.flaw})" if answer.flaw else "",
            timings.first_token,
            timings.prefilled_tokens,
            timings.prompt_tokens,
        )
        yield replace(answer, timings=replace(answer.timings, total=time.perf_counter() - started))  # + checks

    def _unrepeated(self, messages: list[tuple[str, str]]) -> str:
        """A reply generated with repeats penalized, cut where it still starts repeating itself."""
        raw = self._reply(messages, repeat_penalty=LOOP_RETRY_PENALTY)
        log.info("reply with repeats penalized: %r", raw[:120])
        return raw

    def _reply(
        self, messages: list[tuple[str, str]], repeat_penalty: float = 1.0, sample_seed: int | None = None
    ) -> str:
        """A whole reply (not streamed to the user), cut where it starts repeating itself."""
        raw = ""
        stream = self.generator.stream(messages, repeat_penalty=repeat_penalty, sample_seed=sample_seed)
        try:
            for piece in stream:
                raw += piece
                loop = replies.loop_start(raw)
                if loop is not None:
                    raw = raw[:loop]
                    break
        finally:
            close_stream(stream)
        return raw

    def _voted(
        self,
        question: str,
        language: Language,
        passages: list[Passage],
        hits: list,
        messages: list[tuple[str, str]],
        timings: Timings,
    ) -> Answer | None:
        """After a refused reply, what two of a few sampled replies that pass every check agree on (rag/votes.py).

        Of the two, the one stating fewer facts is shown, cited but never ✓: "… in the United States and the
        United Arab Emirates" rather than the draw that adds an invented "China". None when no two agree.
        """
        started = time.perf_counter()
        shown: list[tuple[Answer, Facts]] = []
        for drawn, seed in enumerate(VOTE_SEEDS):
            if len(shown) + len(VOTE_SEEDS) - drawn < 2:
                break  # no pair can agree any more
            raw = self._reply(messages, sample_seed=seed)
            answer = self._finish(question, language, passages, hits, raw, timings)
            log.info("sampled reply %d: %r -> %s", seed, raw[:120], answer.flaw or "shown")
            if answer.abstained:
                continue
            facts = facts_of(answer.text, question, self.index.korean)
            partner = next((pair for pair in shown if agree(pair[1], facts, asked_kind(question))), None)
            if partner is not None:
                log.info("two sampled replies agree (%.1f s)", time.perf_counter() - started)
                chosen = min((partner, (answer, facts)), key=lambda pair: pair[1].size)[0]
                # never ✓: a figure found in its source may still answer nothing ("rushed the 9-stone" from 9단)
                checks = _unverified(chosen.sentences)
                return replace(chosen, sentences=checks, citations=_citations(checks, passages))
            shown.append((answer, facts))
        log.info("no two sampled replies agree (%.1f s)", time.perf_counter() - started)
        return None

    def _worked(
        self,
        operation: Operation,
        question: str,
        language: Language,
        passages: list[Passage],
        hits: list,
        started: float,
        retrieved: float,
        selected: float,
    ) -> Answer | None:
        """A difference or sum of two figures the question, the sources or the model gives; None: answer as usual."""
        reply, usage = "", (0, 0)
        korean = self.index.korean
        given = bool(question_operands(question))
        sourced = None if given else work_out_from_sources(operation, question, passages, korean)
        if sourced is None and not given:
            messages = prompts.operand_messages(question, passages, language)
            stream = self.generator.stream(messages)
            try:
                for piece in stream:
                    reply += piece
                    if reply.strip().count("\n") >= OPERAND_LINES:
                        break
            finally:
                close_stream(stream)
            usage = self.generator.prompt_usage() or _estimated_usage(self.generator, messages)
        worked = sourced or work_out(operation, question, reply, passages, korean)
        if worked is None:
            log.info("no %s from the figures %r: answering the usual way", operation, reply[:120])
            return None
        text = _worked_text(worked, language)
        done = time.perf_counter()
        status = SentenceStatus.VERIFIED if worked.attributed else SentenceStatus.UNCHECKABLE
        cited = tuple(dict.fromkeys((worked.first.passage, worked.second.passage)))
        checks = (SentenceCheck(text, cited, status),)
        log.info("%s worked out from %r: %s (%s)", operation, reply[:120], text, status)
        timings = Timings(
            retrieval=retrieved - started,
            evidence=selected - retrieved,
            first_token=done - started,
            generation=done - selected,
            total=done - started,
            prompt_tokens=usage[0],
            prefilled_tokens=usage[1],
        )
        return _shown(question, text, language, checks, passages, hits, reply, timings)

    def _from_sources(
        self, question: str, language: Language, passages: list[Passage], hits: list, raw: str, timings: Timings
    ) -> Answer | None:
        """After a refused reply, the one figure the sources give the asked name, if they settle it (rag/sourced.py).

        Shown cited but not ✓: the figure, its owner, its kind and its period are the source's, but whether it
        measures what was asked ("capex growth", not "revenue growth") is not checked.
        """
        figure = figure_from_sources(question, passages, self.index.korean)
        if figure is None:
            return None
        said = (
            "year" if is_calendar_year(figure.quantity) else "earlier" if names_earlier_period(question) else "figure"
        )
        template = prompts.SOURCED[(language if language == "ko" else "en", said)]
        text = template.format(name=figure.label, figure=_figure_text(figure, question, language), n=figure.passage)
        log.info("reply refused; the sources give %s one such figure: %s", figure.label, text)
        checks = (SentenceCheck(text, (figure.passage,), SentenceStatus.UNCHECKABLE),)
        return _shown(question, text, language, checks, passages, hits, raw, timings)

    def _with_bylines(self, passages: list[Passage]) -> list[Passage]:
        """The passages with their articles' outlet, author, date and URL (the date goes into the prompt)."""
        return [replace(p, byline=self._byline(p.doc_id)) for p in passages]

    def _byline(self, doc_id: str) -> Byline:
        try:
            return self.index.article(doc_id).byline
        except DocumentNotFoundError:  # removed by another writer since it was retrieved
            return Byline()

    def _finish(
        self,
        question: str,
        language: Language,
        passages: list[Passage],
        hits: list,
        raw: str,
        timings: Timings,
    ) -> Answer:
        """Decide whether the reply is an answer, and verify it: the pipeline abstains, not the model."""
        text, removed = strip_invalid_markers(replies.cut_prompt(raw), len(passages))

        def abstain(flaw: replies.Flaw, checks: tuple[SentenceCheck, ...] = ()) -> Answer:
            log.info("no answer to %r (%s): %r", question, flaw, raw[:200])
            said_so = flaw == replies.Flaw.SAYS_NO_ANSWER
            answer = self._abstain(question, language, passages, hits, raw, timings, said_so=said_so)
            return replace(answer, sentences=checks, removed_markers=removed, flaw=str(flaw))

        if prompts.says_abstain(text):
            return abstain(replies.Flaw.SAYS_NO_ANSWER)
        if replies.is_empty(text):
            return abstain(replies.Flaw.EMPTY)
        if replies.echoes(text, question, self.index.korean):
            return abstain(replies.Flaw.ECHO)
        if replies.foreign_script(text, " ".join(p.text for p in passages)):
            return abstain(replies.Flaw.FOREIGN_SCRIPT)
        korean = self.index.korean
        checks = tuple(check_sentence(s, passages, question, korean) for s in answer_sentences(text, korean))
        # "에너지부 장관은 에너지부 장관입니다 [1]. … 투자액은 1660억 달러입니다 [2].": one part of a two-part question
        # restated as its own answer. That sentence is left out; the rest is shown, never ✓ (it answers half)
        unanswered = [
            c
            for c in checks
            if c.status == SentenceStatus.UNCHECKABLE and replies.restates_subject(c.text) and len(checks) > 1
        ]
        if unanswered:
            if len(unanswered) == len(checks):
                return abstain(replies.Flaw.ECHO)  # "세 사람은 세 사람입니다. 두 사람은 두 사람입니다."
            for check in unanswered:
                text = text.replace(check.text, "", 1)
            text = text.strip()
            checks = _unverified(tuple(c for c in checks if c not in unanswered))
        # "…186수만에 불계패했나요": the figure may be right, the form is not an answer; and a figure found in the
        # source does not make the asked name right ("300여대의 서버를 갖춘 사업가는 조지프 체 씨입니다" cites the
        # sentence with 300여대, which names 데릭 오): the name is checked as in an answer without figures
        if replies.asks_back(text) or asked_kind(question) == Asked.NAME:
            checks = _unverified(checks)
        checks = tuple(self._cited_by_meaning(c, passages, question) for c in checks)
        text = _recite(text, checks)
        factual = [c for c in checks if c.status != SentenceStatus.UNCHECKABLE]
        if factual and not any(c.status == SentenceStatus.VERIFIED for c in factual):
            return abstain(replies.Flaw.UNSUPPORTED, checks)
        standing = " ".join(c.text for c in checks if c.status != SentenceStatus.UNSUPPORTED)
        if not gives_kind(standing, question, asked_kind(question), korean):
            return abstain(replies.Flaw.WRONG_KIND, checks)
        if replies.bare_figure(text) and asked_kind(question) in (Asked.NAME, Asked.OTHER):
            return abstain(replies.Flaw.WRONG_KIND, checks)  # "3000 [5]" answers no "how did … compare"
        if not factual and unsourced_names(checks, passages, question, korean):
            return abstain(replies.Flaw.UNSOURCED_NAME, checks)  # made up: no self-check can vouch for it
        if (
            self.config.self_check
            and not factual
            and not quotes_new_names(checks, passages, question, korean)
            and not self._confirmed(text, checks, passages)
        ):
            return abstain(replies.Flaw.NOT_CONFIRMED, checks)
        # a Korean answer's figure chosen among several in English sources: shown, but nothing proves the choice
        checks = tuple(
            replace(c, status=SentenceStatus.UNCHECKABLE) if unproven_choice(c, passages) else c for c in checks
        )
        if asked_operation(question) is not None:
            # a difference or sum the pipeline could not work out (rag/arithmetic.py): the model's own may have
            # taken the wrong pair ("9 years older" from two other people's ages), so it is shown, never ✓
            checks = _unverified(checks)
        return _shown(question, text, language, checks, passages, hits, raw, timings, removed)

    def _cited_by_meaning(self, check: SentenceCheck, passages: list[Passage], question: str) -> SentenceCheck:
        """A sentence without figures or new names, citing a passage in the other language, cites the one closest in
        meaning.

        No word of "Buyers pay … using virtual currencies [2]" can be looked for in the Korean passages, and
        the self-check, shown a passage that does not say it, rightly says no; [1], which does, is closest.
        """
        if check.status != SentenceStatus.UNCHECKABLE or check.corrected or len(check.citations) != 1:
            return check
        cited = next((p for p in passages if p.number == check.citations[0]), None)
        if cited is None or len(passages) < 2 or has_hangul(check.text) == has_hangul(cited.text):
            return check  # within one language, shared words decide (rag/citations.py)
        if added_names(check.text, question, self.index.korean):
            return check  # names decide where they stand ("… is in China [4]": the passage about China is no proof)
        # a headline is close in meaning to anything said about its article, and proves no detail of it
        candidates = [p for p in passages if not _headline(p)] or passages
        best = self.selector.closest(MARKER.sub("", check.text), candidates)
        return check if best.number == cited.number else replace(check, citations=(best.number,), corrected=True)

    def _confirmed(self, text: str, checks: tuple[SentenceCheck, ...], passages: list[Passage]) -> bool:
        """Whether the model, asked afresh, says the cited passages support the answer."""
        started = time.perf_counter()
        cited = {n for c in checks for n in c.citations}
        source = " ".join(p.text for p in passages if p.number in cited or not cited)
        stream = self.generator.stream(prompts.self_check_messages(source, MARKER.sub("", text)))
        reply = ""
        try:
            for piece in stream:
                reply += piece
                if len(reply.strip()) >= SELF_CHECK_CHARS:
                    break
        finally:
            close_stream(stream)
        log.info("self-check said %r (%.2f s)", reply, time.perf_counter() - started)
        return not prompts.denies(reply)

    def _abstain(
        self,
        question: str,
        language: Language,
        passages: list[Passage] | tuple,
        hits: list,
        raw: str,
        timings: Timings,
        said_so: bool = False,
    ) -> Answer:
        """An honest "the articles don't say", with the closest passages when there are any."""
        text = prompts.ABSTAIN[language] if said_so or not passages else prompts.ABSTAIN_WITH_SOURCES[language]
        return Answer(
            question=question,
            text=text,
            language=language,
            citations=(),
            sentences=(),
            abstained=True,
            passages=tuple(passages),
            hits=tuple(hits),
            raw_text=raw,
            timings=timings,
        )


def _headline(passage: Passage) -> bool:
    """The passage is its article's title, or the title's first line ("'삼성그룹'의 이건희 회장 별세...")."""
    text = passage.text.strip()
    return bool(text) and passage.title.strip().startswith(text)


def _unverified(checks: tuple[SentenceCheck, ...]) -> tuple[SentenceCheck, ...]:
    """The checks with every ✓ taken off: shown, cited, but not marked verified."""
    unchecked = SentenceStatus.UNCHECKABLE
    return tuple(replace(c, status=unchecked) if c.status == SentenceStatus.VERIFIED else c for c in checks)


def _estimated_usage(generator: Generator, messages: list[tuple[str, str]]) -> tuple[int, int]:
    """Prompt size where the backend does not report it: all of it counts as processed."""
    tokens = generator.count_tokens("\n".join(content for _, content in messages))
    return tokens, tokens


def _shown(
    question: str,
    text: str,
    language: Language,
    checks: tuple[SentenceCheck, ...],
    passages: list[Passage],
    hits: list,
    raw: str,
    timings: Timings,
    removed: int = 0,
) -> Answer:
    """An answer shown to the user, with the citations its checked sentences make."""
    return Answer(
        question=question,
        text=text,
        language=language,
        citations=_citations(checks, passages),
        sentences=checks,
        abstained=False,
        passages=tuple(passages),
        hits=tuple(hits),
        raw_text=raw,
        removed_markers=removed,
        timings=timings,
    )


def _unselected_sentences(hits: list, passages: list[Passage]) -> list[Passage]:
    """The retrieved chunks' sentences that no evidence passage holds, numbered after the passages."""
    held = [(p.doc_id, p.start, p.end) for p in passages]
    out: list[Passage] = []
    for hit in hits:
        chunk = hit.chunk
        for (start, end), text in zip(chunk.sentences, chunk.sentence_texts, strict=True):
            taken = any(d == chunk.doc_id and a <= start and end <= b for d, a, b in held)
            if not taken and not any(p.doc_id == chunk.doc_id and p.start == start for p in out):
                out.append(
                    Passage(len(passages) + len(out) + 1, chunk.doc_id, chunk.title, chunk.chunk_id, text, start, end)
                )
    return out


def _worked_text(worked: Worked, language: Language) -> str:
    """The worked-out figure, then each figure it comes from with what it belongs to and its source."""
    counter = worked.first.counter or worked.second.counter
    first, second = (
        f"{op.label} {amount(op.quantity, language, counter)}".strip() for op in (worked.first, worked.second)
    )
    template = prompts.WORKED[(language if language == "ko" else "en", worked.operation)]
    result = amount(worked.result, language, counter)
    return template.format(result=result, first=first, second=second, n=worked.first.passage, m=worked.second.passage)


def _figure_text(figure: Operand, question: str, language: Language) -> str:
    """A figure from a source as the answer writes it: "300여대" in Korean, "about 300 servers" in English."""
    q = figure.quantity
    if is_calendar_year(q):
        return amount(q, language)
    if language == "ko" and q.unit and not has_hangul(q.text):  # "$67 billion" from an English source: "670억달러"
        return amount(q, "ko")
    if language == "ko":
        return f"{q.text}{figure.counter}" if not q.unit else (q.text if not q.text[-1].isdigit() else amount(q, "ko"))
    about = "about " if "여" in q.text else ""
    return about + amount(q, "en", "" if q.unit else counting_noun(question, figure.counter))


# "[1], [2], [3], and [4]": markers with the commas and "and" between them, removed together.
_MARKER_RUN = re.compile(rf"{MARKER.pattern}(?:\s?(?:,\s?(?:and\s)?|and\s|및\s){MARKER.pattern})*")


def _recite(text: str, checks: tuple[SentenceCheck, ...]) -> str:
    """Point corrected sentences' markers at the passages that hold their facts."""
    for check in checks:
        if check.corrected:
            body = _MARKER_RUN.sub("", check.text).rstrip()
            markers = "".join(f"[{n}]" for n in check.citations)
            fixed = f"{body[:-1]} {markers}{body[-1]}" if body[-1:] in ".。" else f"{body} {markers}"
            text = text.replace(check.text, fixed, 1)
    return text


def _citations(checks: tuple[SentenceCheck, ...], passages: list[Passage]) -> tuple[Citation, ...]:
    by_number = {p.number: p for p in passages}
    order: list[int] = []
    for check in checks:
        order.extend(n for n in check.citations if n not in order)
    return tuple(
        Citation(
            number=n,
            doc_id=by_number[n].doc_id,
            title=by_number[n].title,
            chunk_id=by_number[n].chunk_id,
            quote=by_number[n].text,
            start=by_number[n].start,
            end=by_number[n].end,
            verified=any(c.status == SentenceStatus.VERIFIED and n in c.citations for c in checks),
            byline=by_number[n].byline,
        )
        for n in order
    )
