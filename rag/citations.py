"""Parse [n] citation markers in a reply and check each sentence's facts against what it cites."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from index.korean import KoreanText
from index.sentences import sentence_spans
from rag.counters import asked_count, asked_noun, counted, counted_before, counted_noun
from rag.entities import (
    EXONYMS,
    added_names,
    attributed,
    bracketed_by,
    clause_owner,
    english_clause,
    has_hangul,
    korean_clause,
    mentions,
    owner_at,
    owners,
    places_apart,
    same_entity,
    subjects_before,
    transliterates,
)
from rag.numbers import Quantity, asks_comparison, asks_difference, extract_quantities, same_kind, supported
from rag.periods import RATES, earlier_figure, names_earlier_period, said_of_earlier
from rag.types import Passage, SentenceCheck, SentenceStatus

MAX_MARKER_DIGITS = 3  # [1]..[999]; a longer "[n]" is text, not a citation
_N = rf"\d{{1,{MAX_MARKER_DIGITS}}}"
MARKER = re.compile(rf"\s?[\[【]\s*({_N}(?:\s*[,，]\s*{_N})*)\s*[\]】]")
ONLY_MARKERS = re.compile(rf"^(?:\s*[\[【]\s*{_N}(?:\s*[,，]\s*{_N})*\s*[\]】])+\s*[.。]?\s*$")
# "The combined capex of Alibaba, Tencent and X was 23 billion yuan": a total of several names, which a
# figure the source gives one member (알리바바는 230억 위안) is not.
COMBINED = re.compile(
    r"\b(?:combined|total|together|altogether|jointly|in all)\b|합계|합쳐|합하면|합친|합산|총합", re.I
)
CODE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{1,4}\d{1,5}[A-Za-z]{0,3}(?![A-Za-z0-9])")


def strip_invalid_markers(text: str, n_passages: int) -> tuple[str, int]:
    """Remove citation numbers that point at no passage; returns the new text and how many were removed."""
    removed = 0

    def fix(match: re.Match[str]) -> str:
        nonlocal removed
        numbers = marker_numbers(match)
        valid = [n for n in numbers if 1 <= n <= n_passages]
        removed += len(numbers) - len(valid)
        return f" [{', '.join(str(n) for n in valid)}]" if valid else ""

    return MARKER.sub(fix, text).strip(), removed


def marker_numbers(match: re.Match[str]) -> list[int]:
    """The citation numbers of one `MARKER` match: "[1, 2]" gives [1, 2]."""
    return [int(n) for n in re.split(r"[,，]", match.group(1))]


def markers_in(text: str) -> tuple[int, ...]:
    """Citation numbers in order of appearance, without repeats."""
    seen: list[int] = []
    for match in MARKER.finditer(text):
        seen.extend(n for n in marker_numbers(match) if n not in seen)
    return tuple(seen)


def answer_sentences(text: str, korean: KoreanText) -> list[str]:
    """Sentences of a reply; a sentence made only of markers joins the one before it."""
    out: list[str] = []
    for start, end in sentence_spans(text, korean):
        piece = text[start:end]
        if out and ONLY_MARKERS.match(piece):
            out[-1] += " " + piece.strip()
        else:
            out.append(piece)
    return out


def check_sentence(
    sentence: str, passages: Sequence[Passage], question: str, korean: KoreanText | None = None
) -> SentenceCheck:
    """Verify the numbers, amounts and dates of one sentence against the passages it cites.

    Only the cited passages are evidence: the question decides what is asked, never what is true, so a
    figure that appears only in the question is unsupported. A sentence that cites nothing is checked
    against all passages and takes the ones that hold its facts as its citations. When the question
    names a code such as "H100", the cited passages must mention it too: an H20 price is no answer to
    an H100 question. With `korean` given, a figure must also belong to the subject the sentence gives
    it ("Baidu spent 23 billion yuan" fails where the source says 알리바바는 230억 위안; a bare "230억 위안"
    is said of what the question names), and names
    written in the cited passages' script must be in them. Figures worked out from others (sums,
    differences, ratios) count only when the question asks for a comparison.
    """
    by_number = {p.number: p for p in passages}
    cited = tuple(n for n in markers_in(sentence) if n in by_number)
    body = MARKER.sub("", sentence)
    claims = extract_quantities(body)
    asked = extract_quantities(question)
    new = [c for c in claims if not any(c.matches(q) for q in asked)]
    claims = new or claims  # figures restated from the question ("1년 동안") are no claims, unless they are all
    if not claims:
        if korean is not None and _unknown_names(body, [by_number[n] for n in cited] or passages, question, korean):
            # the names may be right but the marker wrong: cite the passages that do hold them
            holders = tuple(p.number for p in passages if not _unknown_names(body, [p], question, korean))
            quoting = tuple(n for n in holders if has_hangul(by_number[n].text) == has_hangul(body))
            holders = quoting or holders  # the passage that names "the Foundation for …", not the Korean ones
            if not holders:
                missing = _unknown_names(body, passages, question, korean)
                return SentenceCheck(sentence, cited, SentenceStatus.UNSUPPORTED, missing)
            return SentenceCheck(sentence, holders, SentenceStatus.UNCHECKABLE, corrected=bool(cited))
        if korean is not None:
            holders = _transliterating(body, [by_number[n] for n in cited], passages, question, korean)
            if holders:  # "Princeton University [3]" where [1] says 프린스턴대
                return SentenceCheck(sentence, holders, SentenceStatus.UNCHECKABLE, corrected=True)
        closest = _closest(body, [by_number[n] for n in cited], korean) if korean is not None else cited
        return SentenceCheck(sentence, closest, SentenceStatus.UNCHECKABLE, corrected=closest != cited)
    codes = {c.upper() for c in CODE.findall(question)}
    allow_derived = asks_comparison(question)
    # a figure the sentence gives no subject ("500억 위안 [1]") is said of what the question names
    asked_names = tuple(m.text for m in mentions(question, korean)) if korean is not None else ()
    subjects = {c: subjects_before(body, c.start, korean) or asked_names for c in claims} if korean is not None else {}

    def gaps(pool: Sequence[Passage]) -> tuple[str, ...]:
        evidence = [q for p in pool for q in extract_quantities(p.text)]
        quoted = " ".join(p.text.upper() for p in pool)
        out = [c.text for c in claims if not supported(c, evidence, allow_derived)]
        out += [f"{c.text} (counts other things)" for c in claims if _counts_other_things(c, body, pool, question)]
        out += [f"{c.text} ({why})" for c in claims if (why := _another_period(c, body, claims, pool, question))]
        out += [f"{c.text} (no average in the source)" for c in claims if _average_unsaid(c, body, pool, question)]
        if korean is not None:
            combined = bool(COMBINED.search(body))
            out += [f"{c.text} (not said of {', '.join(subjects[c])})" for c in claims if c.text not in out
                    and not owned_by(c, subjects[c], pool, korean, combined)]  # fmt: skip
            out += [f"{name} (not in the source)" for name in _absent_question_names(question, pool, korean)]
            out += [
                f"{c.text} (said of {where})" for c in claims if (where := _another_place(c, question, pool, korean))
            ]
        return tuple(out) + tuple(sorted(code for code in codes if code not in quoted))

    missing = gaps([by_number[n] for n in cited]) if cited else ("(no citation)",)
    if missing:
        # the facts may be right but the marker wrong: cite the passages that do hold them
        holders = tuple(p.number for p in passages if not gaps([p]))
        if holders:
            return _unless_off_topic(
                SentenceCheck(sentence, holders, SentenceStatus.VERIFIED, (), corrected=bool(cited)),
                claims, passages, question, korean,
            )  # fmt: skip
    status = SentenceStatus.UNSUPPORTED if missing else SentenceStatus.VERIFIED
    return _unless_off_topic(SentenceCheck(sentence, cited, status, missing), claims, passages, question, korean)


def _closest(body: str, cited: Sequence[Passage], korean: KoreanText) -> tuple[int, ...]:
    """Of several passages cited for a sentence without figures, the ones sharing most of its words and names.

    "… the Foundation for Energy Security and Innovation [1][3][5]" cites the one passage that names it.
    When no passage shares more than the others (or none shares anything), all stay cited.
    """
    numbers = tuple(p.number for p in cited)
    if len(cited) < 2:
        return numbers
    terms = set(korean.terms(body))
    names = [m.text for m in mentions(body, korean)]

    def shared(passage: Passage) -> int:
        theirs = [m.text for m in mentions(passage.text, korean)]
        return len(terms & set(korean.terms(passage.text))) + sum(any(same_entity(n, t) for t in theirs) for n in names)

    scores = [shared(p) for p in cited]
    best = max(scores)
    if best == 0 or min(scores) == best:
        return numbers
    return tuple(n for n, score in zip(numbers, scores, strict=True) if score == best)


def quotes_new_names(
    checks: Sequence[SentenceCheck], passages: Sequence[Passage], question: str, korean: KoreanText
) -> bool:
    """Whether every sentence names something the question does not, spelt so in the passages it cites.

    This is how an answer without figures is checked lexically ("주호영 원내대표입니다", "near the South
    Pole"). A Latin name counts in a Korean passage when it transliterates one of its names ("Beijing" for
    베이징, "Princeton University" for 프린스턴대); an exonym does not ("China" for 중국 proves less, and goes
    to the self-check). The passage must also hold one of the question's own names, or the name may answer
    another question.
    """
    if not checks:
        return False
    asked = [m.text for m in mentions(question, korean)]
    restated = extract_quantities(question)
    by_number = {p.number: p for p in passages}
    for check in checks:
        body = MARKER.sub("", check.text)
        if any(not any(c.matches(q) for q in restated) for c in extract_quantities(body)):
            return False  # figures found but beside the point ("28분 28초" for "how much more") prove nothing here
        new = added_names(body, question, korean)
        pool = " ".join(by_number[n].text for n in check.citations if n in by_number)
        named = [m.text for m in mentions(pool, korean)] if has_hangul(pool) else []
        if not new or not pool or not all(_quoted(name, pool, named) for name in new):
            return False
        # and the passage is about what was asked: it holds one of the question's names ("이낙연" from a
        # passage about another party does not name "일본 경제통상산업성 장관"), or a pronoun for one
        if not any(_quoted(name, pool, named) for name in asked) and not _refers_back(check, passages, asked, korean):
            return False
    return True


def unsourced_names(
    checks: Sequence[SentenceCheck], passages: Sequence[Passage], question: str, korean: KoreanText
) -> tuple[str, ...]:
    """The names an answer adds that no passage names in any script or form: "The New York Times" where the
    sources say 로이터통신 (fresh set; the self-check, which cannot read a Korean source well, had said yes)."""
    added = (name for check in checks for name in added_names(MARKER.sub("", check.text), question, korean))
    return _not_named_in(added, " ".join(p.text for p in passages), korean)


def _not_named_in(names: Iterable[str], text: str, korean: KoreanText) -> tuple[str, ...]:
    """Those of `names` that `text` names in no form: neither as written nor as the same entity in any script."""
    named = [m.text for m in mentions(text, korean)]
    return tuple(n for n in names if n.lower() not in text.lower() and not any(same_entity(n, m) for m in named))


# A pronoun standing for a name said before: "it sent images … before touching down near the South Pole".
_PRONOUN = re.compile(
    r"\b(?:it|its|he|his|she|her|they|their)\b|(?<![가-힣])(?:그|그녀)(?:는|가|의|도)(?![가-힣])", re.I
)


def _refers_back(check: SentenceCheck, passages: Sequence[Passage], asked: Sequence[str], korean: KoreanText) -> bool:
    """Whether the cited passages speak of something by a pronoun, and other passages of their article name
    one of the question's names: the article's subject, which the pronoun stands for."""
    cited = [p for p in passages if p.number in check.citations]
    if not cited or not any(_PRONOUN.search(p.text) for p in cited):
        return False
    articles = {p.doc_id for p in cited}
    mates = " ".join(p.text for p in passages if p.doc_id in articles and p not in cited)
    named = [m.text for m in mentions(mates, korean)] if has_hangul(mates) else []
    return bool(mates) and any(_quoted(name, mates, named) for name in asked)


def _transliterating(
    body: str, cited: Sequence[Passage], passages: Sequence[Passage], question: str, korean: KoreanText
) -> tuple[int, ...]:
    """The passages quoting every new name of a sentence, where the cited ones do not (empty if none or no need)."""
    new = added_names(body, question, korean)

    def quotes_all(pool: Sequence[Passage]) -> bool:
        text = " ".join(p.text for p in pool)
        named = [m.text for m in mentions(text, korean)] if has_hangul(text) else []
        return bool(text) and all(_quoted(name, text, named) for name in new)

    if not new or not cited or quotes_all(cited):
        return ()
    return tuple(p.number for p in passages if quotes_all([p]))


def _quoted(name: str, text: str, named: Sequence[str]) -> bool:
    """Whether `name` stands in `text` as written or, a Latin name in Korean text, transliterated."""
    if name.lower() in text.lower():
        return True
    if has_hangul(name) or not has_hangul(text):
        return False
    forms = [name, *(w for w in re.split(r"[\s\-]+", name) if len(w) >= 4)]  # "Princeton" of "Princeton University"
    words = {w for n in named if has_hangul(n) for w in (n, *n.split())}  # "베이징" of Kiwi's "중국 베이징"
    return any(f.lower() not in EXONYMS and transliterates(f, w) for f in forms for w in words)


def _unless_off_topic(
    check: SentenceCheck, claims: list[Quantity], passages: Sequence[Passage], question: str, korean: KoreanText | None
) -> SentenceCheck:
    """A found figure still proves nothing when it does not answer the question: not verified then.

    Such cases: a difference question answered with a figure the sources state outright ("28분 28초"
    for "how much more time"), and a figure from a passage that shares no word with the question
    (checked within one script only). Where another passage is much closer to the question and gives
    another figure of the kind ("2016년" from the prize sentence for "when was the theory published",
    where the theory's sentence says 1972년), the figure is taken from the wrong sentence: unsupported.
    """
    if check.status != SentenceStatus.VERIFIED:
        return check
    pool = [p for p in passages if p.number in check.citations]
    stated = [q for p in pool for q in extract_quantities(p.text)]
    if asks_difference(question) and all(any(c.matches(q) for q in stated) for c in claims):
        return replace(check, status=SentenceStatus.UNCHECKABLE)
    if korean is not None and pool and all(has_hangul(p.text) == has_hangul(question) for p in pool):
        words = {t for t in _words(question, korean) if not t.isdigit()}
        shared = max(len(words & _words(p.text, korean)) for p in pool)
        if words and not shared:
            return replace(check, status=SentenceStatus.UNCHECKABLE)
        closer = _closer_passage(words, shared, claims, pool, passages, korean)
        if closer:  # the figure is likely from the wrong sentence: no answer, however well it is quoted
            return replace(check, status=SentenceStatus.UNSUPPORTED, missing=(f"[{closer}] is closer to the question",))
    return check


def _words(text: str, korean: KoreanText) -> set[str]:
    """A text's terms, with each part of a name Kiwi reads whole: "덩컨 홀데인" also gives "홀데인"."""
    terms = set(korean.terms(text))
    return terms | {part for term in terms if " " in term for part in term.split()}


# How many more of the question's words another passage must share than the cited one, with a figure of
# the same kind, before the cited figure is doubted. On the dev set, "2016년" (the prize) for the year a
# theory was published cited a passage sharing 2 of the question's words; the theory's sentence shared 7.
CLOSER_BY_WORDS = 3


def _closer_passage(
    words: set[str],
    cited: int,
    claims: list[Quantity],
    pool: Sequence[Passage],
    passages: Sequence[Passage],
    korean: KoreanText,
) -> int:
    """The number of an uncited passage in the question's script that shares many more of its `words` than
    the cited ones (`cited` at most) and holds another figure of the kind claimed (0 if none): then the
    cited figure is likely from the wrong sentence."""
    script = has_hangul(pool[0].text)
    for other in passages:
        if other in pool or has_hangul(other.text) != script:
            continue
        if len(words & _words(other.text, korean)) < cited + CLOSER_BY_WORDS:
            continue
        if any(same_kind(c, q) and not c.matches(q) for c in claims for q in extract_quantities(other.text)):
            return other.number
    return 0


def owned_by(
    claim: Quantity,
    subjects: tuple[str, ...],
    pool: Sequence[Passage],
    korean: KoreanText,
    combined: bool = False,
) -> bool:
    """Whether some cited passage states the claimed figure of the answer's subject (or of no named subject).

    A Korean passage names a figure's owner in the topic phrase before it; an English one in the figure's
    clause, where the subject is named elsewhere in the passage ("Alibaba's capex rose 123%, while Tencent's
    …" gives Tencent no 123%). Where neither tells, or for figures the passages only imply, the owner is
    unknown and anything goes. A figure the answer calls `combined` for several subjects is not one member's.
    """
    if not subjects:
        return True
    group = combined and len(subjects) > 1
    if len(subjects) > 1 and not group and all(has_hangul(s) for s in subjects):
        # several names: each of them owns it, or they own it together ("사울레스와 코스털리츠는 1972년"); not
        # "알리바바·텐센트·바이두 … 123% 증가" where the source gives 123% to 알리바바 alone
        each = all(owned_by(claim, (s,), pool, korean) for s in subjects)
        return each or owned_by(claim, subjects, pool, korean, combined=True)
    stated = False
    for passage in pool:
        occurrences = [q for q in extract_quantities(passage.text) if claim.matches(q)]
        if not occurrences:
            continue
        stated = True
        if not has_hangul(passage.text):
            if any(_english_owner_agrees(subjects, passage.text, q.start, korean) for q in occurrences):
                return True
            continue
        topics = owners(passage.text, korean)
        names = mentions(passage.text, korean)
        for q in occurrences:
            # "… 사울레스(…, 82), 코스털리츠(…, 74)와 홀데인(…, 65)": a bracketed figure is that name's alone
            bracketing = bracketed_by(passage.text, q.start, korean)
            if attributed(subjects, (bracketing,) if bracketing else owner_at(q.start, topics), group):
                return True
            if bracketing:
                continue
            # named right before the figure, after the topic, in its clause or the one before: "왕립과학원은 … 데이비드
            # 사울레스 82세", "호주의 … 서버를 갖췄고, 3주 뒤부터"; not 미국 in "데릭 오씨는 미국과 … 투자자들을 모집,
            # … 매입했고, 지난 6월 호주의 … 300여대"
            since = max((start for start, _ in topics if start <= q.start), default=0)
            since = max(since, korean_clause(passage.text, q.start, korean, back=1)[0] - 1)
            named = (m for m in names if since < m.start < q.start)
            if not group and any(any(same_entity(s, m.text) for s in subjects) for m in named):
                return True
    return not stated


def _english_owner_agrees(subjects: tuple[str, ...], text: str, position: int, korean: KoreanText) -> bool:
    """Whether an English passage lets the figure at `position` be the subjects': its clause gives it to one
    of them or to no one, or the passage names none of them (a translated name cannot be looked for)."""
    owner = clause_owner(text, position, subjects)
    start, end = english_clause(text, position)
    if len(owner) > 1 and COMBINED.search(text[start:end]):  # "Alibaba and Tencent spent a combined $5 billion"
        return attributed(subjects, owner)  # the group's total, not one member's
    if not owner or any(same_entity(s, o) for s in subjects for o in owner):
        return True
    named = [m.text for m in mentions(text, korean)]
    return not any(same_entity(s, n) for s in subjects for n in named)


def _another_period(claim: Quantity, body: str, claims: list[Quantity], pool: Sequence[Passage], question: str) -> str:
    """Why the answer gives a figure another period than every (Korean) passage stating it does: the year
    before's "전년 동기 230억 위안" said of now, or this year's said of the year before ("" if it agrees).

    A sentence that names no period ("230억 위안 [1]") speaks of the one the question asks about, unless it asks
    a comparison.
    """
    if claim.unit in RATES:
        return ""  # a rate of change or a ratio is measured against the year before, not said of it
    if names_earlier_period(body):
        earlier = said_of_earlier(body, claim, claims)
    else:  # the sentence names no period: its figures are of the one the question asks about
        earlier = names_earlier_period(question) and not asks_comparison(question)
    stated = False
    for passage in pool:
        occurrences = [q for q in extract_quantities(passage.text) if claim.matches(q)]
        if not occurrences:
            continue
        if not has_hangul(passage.text) or any(earlier_figure(passage.text, q) == earlier for q in occurrences):
            return ""  # English sources do not mark a figure's period reliably: unknown agrees
        stated = True
    if not stated:
        return ""
    return "not said of the year before" if earlier else "the source's is the year before's"


# What asks for a sum of money: "얼마" alone may ask a rate ("증가율은 얼마"), which a bare figure never counts.
_ASKS_MONEY = re.compile(
    r"요금|가격|금액|비용|상금|\bhow much (?:money|did|does|do|is|was|were)\b|\b(?:price|cost|fee|prize)", re.I
)


def _stating(claim: Quantity, pool: Sequence[Passage]) -> list[tuple[str, Quantity]]:
    """Each place a passage states the figure: (the passage's text, the figure as it stands there)."""
    return [(p.text, q) for p in pool for q in extract_quantities(p.text) if claim.matches(q)]


def _counts_other_things(claim: Quantity, body: str, pool: Sequence[Passage], question: str) -> bool:
    """Whether the answer counts one kind of thing with the figure ("5 moves") and the passages another ("5경기").

    A figure the answer counts nothing with counts what the question does ("몇 대" servers, not "3주" weeks),
    and a sum of money the question asks for is no count of things ("시간당 요금은 3000 이하" from "3000개").
    """
    if claim.unit:
        return False
    kinds = {counted(text, q.end) for text, q in _stating(claim, pool)}
    if not kinds or "" in kinds:
        return _counts_other_nouns(claim, pool, question)
    kind = counted(body, claim.end) or counted_before(body, claim.start)
    if not kind and _ASKS_MONEY.search(question):
        return True
    kind = kind or asked_count(question)
    return bool(kind) and kind not in kinds


def _counts_other_nouns(claim: Quantity, pool: Sequence[Passage], question: str) -> bool:
    """Whether every (English) passage stating the figure counts another noun with it than "how many" asks about:
    "at least 50 community colleges" is no answer to "How many new chip factories have opened" (fresh set: it was ✓)."""
    asked = asked_noun(question)
    holding = _stating(claim, pool)
    if not asked or not holding or any(has_hangul(text) for text, _ in holding):
        return False
    nouns = {counted_noun(text, q.end) for text, q in holding}
    return "" not in nouns and asked not in nouns


# An average is a measure of its own: "평균 28분 28초 걸렸습니다" is not the "28분 28초를 남겼다" (time left) of
# the source (dev, unanswerable "이세돌 9단은 한 수를 둘 때 평균 몇 분이 걸렸나요?", which a few-shot prompt
# variant answered so, ✓).
_AVERAGE = re.compile(r"평균|\baverages?\b|\bon average\b", re.I)


def _average_unsaid(claim: Quantity, body: str, pool: Sequence[Passage], question: str) -> bool:
    """Whether the answer or question makes the figure an average and no passage stating it speaks of one."""
    if not (_AVERAGE.search(body) or _AVERAGE.search(question)):
        return False
    holding = _stating(claim, pool)
    return bool(holding) and not any(_AVERAGE.search(text) for text, _ in holding)


def _another_place(claim: Quantity, question: str, pool: Sequence[Passage], korean: KoreanText) -> str:
    """The countries every Korean passage stating the figure names with it, where the question asks about others
    (`places_apart`); "" where some passage agrees, or none is Korean."""
    where = ""
    for text, q in _stating(claim, pool):
        apart = places_apart(text, q.start, question, korean)
        if not apart:
            return ""
        where = apart
    return where


def _absent_question_names(question: str, pool: Sequence[Passage], korean: KoreanText) -> tuple[str, ...]:
    """The question's names when none of them is in the passages (a figure about something else answers nothing).

    A Korean name is not looked for in English passages: 미국 is "the United States" there. Titles count:
    a statement's sentences rarely repeat who is speaking.
    """
    text = " ".join(f"{p.title} {p.text}" for p in pool)
    checkable = [m.text for m in mentions(question, korean) if _same_script(m.text, text)]
    if not checkable:
        return ()
    named = [m.text for m in mentions(text, korean)]
    if any(q.lower() in text.lower() or any(same_entity(q, n) for n in named) for q in checkable):
        return ()
    return tuple(checkable)


def _same_script(name: str, text: str) -> bool:
    """Whether `name` can be looked for in `text`: not a Korean name in English text (미국 is "the United
    States" there); Latin names are looked for in Korean text as written (H100) or transliterated (카카오)."""
    return has_hangul(text) or not has_hangul(name)


def _unknown_names(body: str, pool: Sequence[Passage], question: str, korean: KoreanText) -> tuple[str, ...]:
    """Names the sentence adds to the question that the passages, written in the same script, do not hold."""
    asked = [m.text for m in mentions(question, korean)]
    text = " ".join(p.text for p in pool)
    if not text or has_hangul(body) != has_hangul(text):
        return ()  # across scripts a missing name may be a translation ("Four Seasons" for 포시즌스)
    added = (m.text for m in mentions(body, korean) if not any(same_entity(m.text, q) for q in asked))
    return _not_named_in(added, text, korean)


def unproven_choice(check: SentenceCheck, passages: Sequence[Passage]) -> bool:
    """Whether a verified sentence's figure was picked among several of its kind in English passages, unproven.

    A Korean sentence shares no words with English sources, and its subject, when no letters or table match
    it, cannot be looked for in a figure's clause (`owned_by`): "에너지부에 500억 달러" was found in "$67 billion
    in the Department of Energy, including a $50 billion authorization for DOE's Office of Science", and
    nothing in the sentence tells the right figure from the wrong one there. An English
    sentence can be read against them: "$50 billion in the Department of Energy" has the words around the
    $67 billion, not those around the $50 billion.
    """
    pool = [p for p in passages if p.number in check.citations]
    if check.status != SentenceStatus.VERIFIED or not pool or any(has_hangul(p.text) for p in pool):
        return False
    body = MARKER.sub("", check.text)
    for claim in extract_quantities(body):
        holders = [p.text for p in pool if _kin(claim, p.text)[0]]
        if has_hangul(body) and any(_kin(claim, text)[1] for text in holders):
            return True
        if not has_hangul(body) and holders and all(_reads_like_another(body, claim, text) for text in holders):
            return True
    return False


def _kin(claim: Quantity, text: str) -> tuple[list[Quantity], list[Quantity]]:
    """The text's figures that state the claim, and its other figures of the claim's kind."""
    found = extract_quantities(text)
    return [q for q in found if claim.matches(q)], [q for q in found if same_kind(claim, q) and not claim.matches(q)]


# Words on each side of a figure that say what it is of ("invests … in the Department of Energy").
CONTEXT_WORDS = 6
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
_GLUE = frozenset(
    "a an the of in on at to for from by with and or is are was were be been has have had its their this that "
    "which who over about more than nearly almost some thousand million billion trillion percent dollars".split()
)


def _reads_like_another(sentence: str, claim: Quantity, passage: str) -> bool:
    """Whether the words around the claim in the sentence are more those around another figure of its kind
    in the passage than those around the same figure."""
    said = _context(sentence, claim)
    same, others = ([len(said & _context(passage, q)) for q in figures] for figures in _kin(claim, passage))
    return bool(same and others) and max(others) > max(same)


def _context(text: str, q: Quantity) -> set[str]:
    words = _WORD.findall(text[: q.start])[-CONTEXT_WORDS:] + _WORD.findall(text[q.end :])[:CONTEXT_WORDS]
    out = set()
    for word in words:
        w = word.lower().removesuffix("'s").removesuffix("’s")
        if w not in _GLUE:
            out.add(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w)
    return out
