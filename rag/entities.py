"""Named things in answers and sources, matched across Korean and English, and who owns a figure.

Korean mentions come from Kiwi's proper nouns; English ones are runs of capitalised words. A Korean
and an English name are the same when their consonant skeletons agree: "바이두" romanises to "baidu",
and "알리바바"/"Alibaba", "텐센트"/"Tencent", "데릭 오"/"Derek Oh" each reduce to the same skeleton.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from index.korean import KoreanText
from index.sentences import english_sentence_spans
from rag.numbers import extract_quantities

# Capitalised words that start questions and sentences, months and days: never the subject of a figure.
_NOT_NAMES = frozenset(
    "a an the this that these those it its in on at by for from to of and or but if as after before during "
    "according how what which who whom whose when where why is are was were will would can could did does do "
    "has have had there their they he she his her we our you i also some many much most one two three "
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday yes no not together however meanwhile both each "
    "all overall combined total first last next since until about around nearly over under more less only just "
    "today yesterday then here so still yet including while although because with without therefore thus "
    "instead later earlier currently now".split()
)
_EN_NAME = re.compile(r"[A-Z][A-Za-z0-9&.\-]*(?:(?: of| for)?[ ][A-Z][A-Za-z0-9&.\-]*)*")
_POSSESSIVE = re.compile(r"(?:['’]s?|\.)$")
# Kiwi tags that end a noun phrase without making it the subject: adverbial and object particles,
# clause endings, commas.
_NP_BREAK = frozenset({"JKB", "JKO", "JKC", "JKV", "JKQ", "EC", "EF", "SF"})
_TOPIC = frozenset({"JX", "JKS"})  # 은/는/도, 이/가: what follows is said about the phrase before
_NAME_TAGS = frozenset({"NNP", "SL"})
# Titles and ranks that follow a name and leave it the head of its phrase: "이세돌 9단이", "이건희 회장이".
_TITLES = frozenset(
    {"단", "회장", "부회장", "사장", "대표", "장관", "교수", "의원", "대통령", "총리", "위원장", "대변인"}
)

# Korean exonyms that no transliteration rule finds: "the US" is 미국 (or 미 before a noun), not 유에스.
# English names and adjectives, lower-case, with their Korean forms. The places the seed and dev sets
# ask about (US export rules, the Commerce Department, Dutch and Japanese officials) and their neighbours,
# and the US government bodies in the news.
_EXONYM_TABLE = (
    ("us, u.s, u.s., usa, united states, america, american", "미국, 미"),
    ("china, chinese", "중국"),
    ("japan, japanese", "일본"),
    ("korea, korean, south korea", "한국, 대한민국"),
    ("north korea, north korean", "북한"),
    ("netherlands, dutch, holland", "네덜란드"),
    ("uk, britain, british, united kingdom", "영국"),
    ("germany, german", "독일"),
    ("australia, australian", "호주"),
    ("taiwan, taiwanese", "대만"),
    ("europe, european, eu", "유럽, 유럽연합"),
    ("india, indian", "인도"),
    ("sweden, swedish", "스웨덴"),
    ("uae, united arab emirates", "아랍에미리트"),
)
# US government bodies, as Korean news names them
_BODY_TABLE = (
    ("white house", "백악관"),
    ("department of energy, energy department, doe", "에너지부"),
    ("department of commerce, commerce department", "상무부"),
    ("department of defense, defense department, pentagon", "국방부"),
    ("department of state, state department", "국무부"),
)
EXONYMS: dict[str, frozenset[str]] = {
    english: frozenset(k.strip() for k in korean.split(","))
    for names, korean in (*_EXONYM_TABLE, *_BODY_TABLE)
    for english in (n.strip() for n in names.split(","))
}


@dataclass(frozen=True)
class Mention:
    """A name as written, and where it starts."""

    text: str
    start: int


# --- romanisation and skeletons -------------------------------------------------------------------
_INITIALS = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"]
_VOWELS = [
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu",
    "ui", "i",
]  # fmt: skip
_FINALS = [
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng", "t",
    "t", "k", "t", "p", "t",
]  # fmt: skip
# Consonant classes: sounds that romanisation and transliteration swap for one another fall together.
_CLASSES = [
    ("ch", "S"), ("sh", "S"), ("ng", "N"), ("ph", "P"), ("th", "T"), ("ck", "K"), ("ce", "Se"), ("ci", "Si"),
    ("cy", "Sy"),
]  # fmt: skip
_LETTER = {
    **dict.fromkeys("bpfv", "P"), **dict.fromkeys("dt", "T"), **dict.fromkeys("gkcqx", "K"),
    **dict.fromkeys("szj", "S"), **dict.fromkeys("lr", "R"), "m": "M", "n": "N",
}  # fmt: skip


def romanize(text: str) -> str:
    """Hangul syllables in Revised Romanisation (simplified); other characters are kept, lower-cased."""
    out = []
    for ch in text:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            out.append(_INITIALS[code // 588] + _VOWELS[(code % 588) // 28] + _FINALS[code % 28])
        else:
            out.append(ch.lower())
    return "".join(out)


def skeleton(name: str) -> str:
    """The consonant skeleton of a name in either script: "Tencent" and "텐센트" both give "TNSNT"."""
    text = romanize(name)
    for pair, cls in _CLASSES:
        text = text.replace(pair, cls)
    out: list[str] = []
    for ch in text:
        mapped = ch if ch in "SNPTK" else _LETTER.get(ch, "")
        if mapped and (not out or out[-1] != mapped):
            out.append(mapped)
    return "".join(out)


def _clean(name: str) -> str:
    return _POSSESSIVE.sub("", name.strip()).lower()


def same_entity(a: str, b: str) -> bool:
    """True when two names (in either script) name the same thing: equal, one inside the other, or equal skeletons.

    Skeletons of one consonant ("Oh") decide nothing; a shorter name may stand for a longer one
    ("Derek" for "Derek Oh", "Sedol" for "Lee Sedol").
    """
    x, y = _clean(a), _clean(b)
    if not x or not y:
        return False
    if x == y or (min(len(x), len(y)) >= 2 and (x in y or y in x) and _same_script(x, y)):
        return True
    if _squeeze(romanize(x)) == _squeeze(romanize(y)):
        return True  # "Kakao" is 카카오 letter for letter
    if has_hangul(x) != has_hangul(y):
        latin, hangul = (y, x) if has_hangul(x) else (x, y)
        if _exonym(latin, hangul):
            return True
        words = [w for w in re.split(r"[\s\-]+", latin) if len(w) >= 3]
        if len(words) > 1 and any(skeleton(w) == skeleton(hangul) and len(skeleton(w)) >= 2 for w in words):
            return True  # "Lee Kun-hee" for 이건희: the given name carries it
    sx, sy = skeleton(x), skeleton(y)
    if _skeletons_match(sx, sy, contained=not _same_script(x, y)):
        return True
    # "Naver" is "네이버": a final r is often silent; equal then, not merely contained ("싱가포르" is no
    # part of "중국 베이징")
    sx, sy = sx.removesuffix("R"), sy.removesuffix("R")
    return min(len(sx), len(sy)) >= 2 and sx == sy


# Consonants a transliteration must keep to prove anything: "Beijing"/베이징 (PSN) does, "Fan Hui"/판 후이 (PN)
# does not; two consonants match too many names.
MIN_TRANSLITERATED = 3


def transliterates(latin: str, hangul: str) -> bool:
    """Whether a Latin name is the Korean one written out, strictly (proof, not a hint, unlike `same_entity`).

    Skeletons equal, one consonant apart ("Singapore"/싱가포르), or the Korean one adds a suffix
    ("Princeton"/프린스턴대); never one merely inside the other ("University" holds 노벨's NPR).
    """
    sl, sh = skeleton(latin), skeleton(hangul)
    if min(len(sl), len(sh)) < MIN_TRANSLITERATED:
        return False
    return sl == sh or (max(len(sl), len(sh)) >= 4 and _one_edit(sl, sh)) or (len(sl) >= 4 and sh.startswith(sl))


# Each country or region of the exonym table by its first English name, with all its English and Korean forms
# (a lone "미" is a prefix, not a place).
_PLACES = tuple(
    (english[0], frozenset(english) | {k.strip() for k in korean.split(",")} - {"미"})
    for names, korean in _EXONYM_TABLE
    for english in ([n.strip() for n in names.split(",")],)
)


def place_of(name: str) -> str:
    """The country or region a name is, in the exonym table, by its first English name ("" if none): "australia"
    for 호주 and for "Australian"; Kiwi's "중국 베이징" is 중국's. A lone "미" is a prefix, not a place."""
    words = {name.lower(), *name.lower().split(), name, *name.split()}
    return next((place for place, forms in _PLACES if words & forms), "")


def _exonym(latin: str, hangul: str) -> bool:
    """Whether a Latin name or one of its words is the exonym of the Korean one ("US Commerce" for 미)."""
    korean = {hangul, *hangul.split()}  # "미국 클라우드": Kiwi joins adjacent proper nouns
    return any(korean & EXONYMS.get(form, frozenset()) for form in {latin, *latin.split()})


def _squeeze(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)


def _skeletons_match(sx: str, sy: str, contained: bool = True) -> bool:
    """Equal skeletons, nearly equal, or (`contained`, across scripts only) one inside the other.

    Within one script a name inside another is already found as text; skeletons inside each other
    there only confuse short names with long ones ("중국" SNK inside "싱가포르" SNKPR).
    """
    if min(len(sx), len(sy)) < 2:
        return False
    if sx == sy or (contained and min(len(sx), len(sy)) >= 3 and (sx in sy or sy in sx)):
        return True
    # "Granholm"/"그랜홈", "Singapore"/"싱가포르": transliteration adds or drops a consonant
    return min(len(sx), len(sy)) >= 3 and max(len(sx), len(sy)) >= 4 and _one_edit(sx, sy)


def _one_edit(a: str, b: str) -> bool:
    """True if one insertion, deletion or substitution turns `a` into `b`."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def _same_script(x: str, y: str) -> bool:
    return has_hangul(x) == has_hangul(y)


def has_hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


# Government bodies, which Kiwi may tag as common nouns ("에너지" + "부"): names all the same.
_KOREAN_BODIES = re.compile(rf"(?<![가-힣])(?:{'|'.join(korean for _, korean in _BODY_TABLE)})")


def mentions(text: str, korean: KoreanText) -> list[Mention]:
    """Names in `text`: Kiwi proper nouns and government bodies in Korean text, capitalised runs in English."""
    if has_hangul(text):
        found = _korean_mentions(text, korean)
        taken = [(m.start, m.start + len(m.text)) for m in found]  # "제이크 설리번 미 백악관" holds its 백악관
        bodies = [
            Mention(b.group(0), b.start())
            for b in _KOREAN_BODIES.finditer(text)
            if not any(start < b.end() and b.start() < end for start, end in taken)
        ]
        return sorted([*found, *bodies], key=lambda m: m.start) if bodies else found
    return _english_mentions(text)


def _english_mentions(text: str) -> list[Mention]:
    found = []
    for m in _EN_NAME.finditer(text):
        words = m.group(0).split(" ")
        offset = m.start()
        while words and _clean(words[0]) in _NOT_NAMES:  # "The Department of Energy" -> "Department of Energy"
            offset += len(words.pop(0)) + 1
        name = " ".join(words).rstrip(".")
        if words and len(_clean(name)) >= 2:
            found.append(Mention(name, offset))
    return found


def new_names(text: str, question: str, korean: KoreanText) -> list[Mention]:
    """Names in `text` that name nothing the question names (in either script)."""
    asked = [m.text for m in mentions(question, korean)]
    found: list[Mention] = []
    for m in mentions(text, korean):
        if not any(same_entity(m.text, q) for q in asked):
            found.append(m)
        elif has_hangul(m.text) and " " in m.text:
            # Kiwi joins neighbouring names: in "일본 니콘사" the asked 일본 hides a new name
            start = m.start
            for word in m.text.split():
                if len(word) >= 2 and not any(same_entity(word, q) for q in asked):  # not the 오 of 데릭 오
                    found.append(Mention(word, start))
                start += len(word) + 1
    return found


def added_names(text: str, question: str, korean: KoreanText) -> list[str]:
    """The names an answer adds to the question, less a lone capitalised first word ("Companies announced")."""
    return [m.text for m in new_names(text, question, korean) if m.start > 0 or " " in m.text]


def _korean_mentions(text: str, korean: KoreanText) -> list[Mention]:
    found: list[Mention] = []
    end = -1
    for token in korean.kiwi.tokenize(text):
        if token.tag == "SN" and found and _code_goes_on(text, end, token.start):
            found[-1] = Mention(text[found[-1].start : token.start + token.len], found[-1].start)  # "H" + "20"
            end = token.start + token.len
            continue
        if token.tag not in _NAME_TAGS or (token.tag == "SL" and token.form.lower() in _NOT_NAMES):
            end = -1
            continue
        if found and end >= 0 and not text[end : token.start].strip():  # "데릭" + "오": one name
            last = found[-1]
            found[-1] = Mention(text[last.start : token.start + token.len], last.start)
        else:
            found.append(Mention(token.form, token.start))
        end = token.start + token.len
    return found


def _code_goes_on(text: str, name_end: int, start: int) -> bool:
    """Whether digits at `start` continue a Latin name ending at `name_end`: Kiwi splits "H20" into "H" + "20"."""
    return name_end == start > 0 and text[start - 1].isascii() and text[start - 1].isalpha()


def owners(text: str, korean: KoreanText) -> list[tuple[int, tuple[str, ...]]]:
    """Where each topic phrase with names takes over, and its names, in a Korean sentence.

    In "알리바바는 … 123%, 텐센트도 … 176%" the 123% belongs to 알리바바 and the 176% to 텐센트;
    in "알리바바·텐센트·바이두의 … 합계는 500억 위안" the 500억 belongs to all three together.
    """
    out: list[tuple[int, tuple[str, ...]]] = []
    phrase: list[str] = []
    name_end = -1
    head_is_name = possessive = joined = False  # joined: the last token was "·" or 와/과 after a name
    ranked = False  # the last token was a number after a name: a rank such as 9단 may follow
    for token in korean.kiwi.tokenize(text):
        if ranked and not (token.form in _TITLES and token.tag in ("NNG", "NNB")):
            head_is_name = False  # "데릭 오 300여대": a number after a name that no rank follows ends its head
        ranked = ranked and token.tag == "SN"
        if token.tag == "SN" and phrase and _code_goes_on(text, name_end, token.start):
            phrase[-1] += token.form  # Kiwi splits a model code: "H" + "20" is the name "H20"
            name_end = token.start + token.len
            continue
        if token.tag in _TOPIC:
            # 은/는/도 make any phrase with a name the topic ("이세돌 9단은"); 이/가 only a name-headed or
            # possessive one ("엔비디아 H100 칩이 들어간" is about the chip)
            if phrase and (head_is_name or possessive or token.tag == "JX"):
                out.append((token.start, tuple(phrase)))
            phrase, name_end, head_is_name, possessive, joined = [], -1, False, False, False
        elif token.tag in _NP_BREAK or (token.tag == "SP" and token.form == ","):
            phrase, name_end, head_is_name, possessive, joined = [], -1, False, False, False
        elif token.tag in _NAME_TAGS and not (token.tag == "SL" and token.form.lower() in _NOT_NAMES):
            if phrase and name_end >= 0 and not text[name_end : token.start].strip():
                phrase[-1] = f"{phrase[-1]} {token.form}"  # "데릭" + "오"
            elif joined:
                phrase.append(token.form)  # "알리바바·텐센트·바이두": together
            else:
                phrase = [token.form]  # "삼성전자의 이건희 회장이": the later name is the one spoken of
            name_end, head_is_name, joined = token.start + token.len, True, False
        elif token.tag == "JKG":
            possessive, name_end, joined = possessive or head_is_name, -1, False
        elif token.tag == "NNB" and head_is_name:  # 씨, 측: the name stays the head
            name_end = -1
        elif head_is_name and token.tag == "SN" and not ranked:
            name_end, ranked = -1, True  # "이세돌 9단": the rank's number, if a rank follows
            continue
        elif head_is_name and token.form in _TITLES and token.tag in ("NNG", "NNB"):
            name_end = -1  # "이세돌 9단이", "이건희 회장이": the name stays the head
        elif (token.tag == "SP" and token.form != ",") or token.tag == "JC":
            joined, name_end = head_is_name, -1
        else:
            name_end, head_is_name, joined = -1, False, False
    return out


# Kiwi tags that end a Korean clause: connective and final endings, sentence ends ("매입했고, 지난 6월 …").
_CLAUSE_ENDS = frozenset({"EC", "EF", "SF"})


def korean_clause(text: str, position: int, korean: KoreanText, back: int = 0) -> tuple[int, int]:
    """The span of the Korean clause around `position`, from `back` clauses before it: clauses end at connective
    and final endings and at commas outside brackets."""
    breaks = [
        (t.start, t.start + t.len)
        for t in korean.kiwi.tokenize(text)
        if t.tag in _CLAUSE_ENDS
        or (t.tag == "SP" and t.form == "," and text.count("(", 0, t.start) <= text.count(")", 0, t.start))
    ]
    edges = [0, *(e for b in breaks for e in b), len(text)]
    spans = [(a, b) for a, b in zip(edges[::2], edges[1::2], strict=False) if text[a:b].strip()]
    at = next((i for i, (a, b) in enumerate(spans) if position < b), len(spans) - 1)
    return (spans[max(at - back, 0)][0], spans[at][1]) if spans else (0, len(text))


def places_apart(text: str, position: int, question: str, korean: KoreanText) -> str:
    """The countries a Korean text names in the clause of the figure at `position` (or the clause before), where
    the question asks about other countries only ("" where they agree, or either names none).

    "데릭 오씨가 미국 데이터센터에 갖춘 서버는 몇 대" is not answered by "데릭 오씨는 미국과 … 투자자들을 모집, …
    지난 6월 호주의 한 데이터센터에 300여대의 서버를 갖췄고, 3주 뒤부터 중국 … 기업들이": the 300여대 are in 호주.
    """
    asked = {place for m in mentions(question, korean) if (place := place_of(m.text))}
    if not asked or not has_hangul(text):
        return ""
    start, end = korean_clause(text, position, korean, back=1)
    here = {place: m.text for m in mentions(text, korean) if start <= m.start < end and (place := place_of(m.text))}
    return "" if not here or asked & here.keys() else ", ".join(here.values())


def owner_at(position: int, topics: list[tuple[int, tuple[str, ...]]]) -> tuple[str, ...]:
    """The names owning a figure at `position`: the last topic phrase before it (empty if none)."""
    current: tuple[str, ...] = ()
    for start, names in topics:
        if start > position:
            break
        current = names
    return current


def bracketed_by(text: str, position: int, korean: KoreanText) -> str:
    """The name a figure at `position` is bracketed after: "사울레스" for the 82 in "사울레스(…, 82)" ("" if none).

    Korean news gives a person's age, and other particulars, in brackets right after the name.
    """
    opened = text.rfind("(", 0, position)
    if opened <= 0 or ")" in text[opened:position]:
        return ""
    return next((m.text for m in mentions(text[:opened], korean) if m.start + len(m.text) == opened), "")


def subjects_before(sentence: str, position: int, korean: KoreanText) -> tuple[str, ...]:
    """The names an answer sentence gives a figure at `position`: its topic in Korean, else names before it."""
    if has_hangul(sentence):
        topic = owner_at(position, owners(sentence, korean))
        if topic:
            return topic
    return tuple(m.text for m in mentions(sentence[:position], korean))


# Where an English clause ends: a sentence end (not "U.S."), a semicolon, a comma before a space (not the one
# in "$12,000"), a dash. A figure's clause names its owner: "Alibaba's capex rose 123%, while Tencent's rose 176%".
_EN_CLAUSE_END = re.compile(r"(?<![A-Z])[.!?](?=\s)|;|,(?=\s)|\s[-–—]\s")
# Between a figure and the name it goes to: "$67 billion in the Department", "$50 billion authorization for".
_GOES_TO = re.compile(
    r"^[$€£¥]?[\d.,]+\s*(?:%|[a-z]*illion|thousand|percent|dollars?|yuan|won|euros?)?\s+"
    r"(?:[a-z\-]+\s+){0,3}?(?:in|into|for|to|at|on)\s+(?:the\s+|its\s+|a\s+|an\s+)?$",
    re.I,
)
# "Alibaba and Tencent grew 123% and 176%, respectively": the figures go to the names in the order named.
_RESPECTIVELY = re.compile(r"\brespectively\b", re.I)
# An opening word before ", Tencent" or "and Tencent" heads a list of names ("Revenue and profit rose" is none)
_LISTED_NEXT = re.compile(r"^(?:['’]s)?(?:,| and)\s+[A-Z]")
_EN_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n\s*)$")


def english_clause(text: str, position: int) -> tuple[int, int]:
    """The span of the English clause around `position`."""
    start = max((m.end() for m in _EN_CLAUSE_END.finditer(text, 0, position)), default=0)
    after = _EN_CLAUSE_END.search(text, position)
    return start, after.start() if after else len(text)


def clause_owner(text: str, position: int, known: Sequence[str] = ()) -> tuple[str, ...]:
    """Who an English clause gives the figure at `position`: the names before it in its clause, else the one
    it goes to ("invests $67 billion in the Department of Energy").

    "… while Tencent's grew 176% and Baidu's fell": Tencent; "$50 billion for DOE's Office of Science": the
    Office. A lone capitalised word opening a sentence is a name only as a possessive ("Alibaba's"), at the
    head of a list of names ("Alibaba and Tencent") or as one of the `known` names, not as "Spending rose 5%".
    A "respectively" sentence gives each figure to the name in its place.
    """
    respective = _respective_owner(text, position)
    if respective is not None:
        return respective
    start, end = english_clause(text, position)
    clause = text[start:end]
    names = [
        m
        for m in _english_mentions(clause)
        if " " in m.text
        or not _EN_SENTENCE_START.search(text[: start + m.start])
        or clause[m.start + len(m.text) :].startswith(("'s", "’s"))
        or _LISTED_NEXT.match(clause[m.start + len(m.text) :])
        or any(same_entity(m.text, k) for k in known)
    ]
    before = tuple(m.text for m in names if start + m.start < position)
    if before:
        return before
    later = [m for m in names if start + m.start > position]
    if not later or not _GOES_TO.search(text[position : start + later[0].start]):
        return ()
    after, *rest = later
    possessor = rest and clause[after.start + len(after.text) : rest[0].start].strip() in ("'s", "’s")
    return (rest[0].text,) if possessor else (after.text,)  # "for DOE's Office of Science": the Office


def _respective_owner(text: str, position: int) -> tuple[str, ...] | None:
    """The owner a "respectively" sentence gives the figure at `position`: the name in its place in the list
    (None: no such sentence; () where the names and figures do not pair up one to one)."""
    start, end = next(((s, e) for s, e in english_sentence_spans(text) if position < e), (0, len(text)))
    sentence = text[start:end]
    if not _RESPECTIVELY.search(sentence):
        return None
    figures = extract_quantities(sentence)
    at = next((q for q in figures if q.start <= position - start < max(q.end, q.start + 1)), None)
    if at is None:
        return ()
    kin = [q for q in figures if q.unit == at.unit]
    names = [
        m.text
        for m in _english_mentions(sentence[: kin[0].start])
        if m.start > 0 or " " in m.text or _LISTED_NEXT.match(sentence[m.start + len(m.text) :])
    ]
    return (names[kin.index(at)],) if len(names) == len(kin) > 1 else ()


def attributed(subjects: tuple[str, ...], owner: tuple[str, ...], group: bool = False) -> bool:
    """Whether an answer that gives a figure to `subjects` agrees with the source that gives it to `owner`.

    Either side unknown agrees. A figure of a group ("알리바바·텐센트·바이두의 합계") needs every member named;
    a figure the answer gives a `group` as its total is not one member's.
    """
    if not subjects or not owner:
        return True
    if len(owner) == 1:
        return not group and any(same_entity(s, owner[0]) for s in subjects)
    return all(any(same_entity(s, o) for s in subjects) for o in owner)
