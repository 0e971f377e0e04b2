"""Counting words: what a figure counts ("186수" moves, "5경기" games, "300여대" machines), in both languages.

"After 5 moves" is wrong where the source's 5 is "5경기" (five games), and "300여대" (servers) is no answer
to "칩은 몇 개" (how many chips): the number alone cannot tell.
"""

from __future__ import annotations

import re

# Each kind of thing counted, with the Korean counting words and English nouns that count it. Longer Korean
# words come first where a shorter one starts them: 개월 (months) and 세대 (generations) are not 개 or 세.
_KINDS: dict[str, tuple[str, ...]] = {
    "move": ("수", "moves", "move"),
    "game": ("경기", "국", "판", "games", "game", "matches", "match"),
    "person": ("명", "people", "persons", "players", "employees", "workers"),
    "machine": ("대", "servers", "server", "machines", "units"),
    "piece": ("개", "pieces"),
    "place": ("곳", "places", "sites", "locations"),
    "age": ("살", "세", "years old"),
    "country": ("개국", "countries"),
    "case": ("건", "cases"),
    "ship": ("척", "ships", "vessels"),
    "book": ("권", "books", "volumes"),
    "month-count": ("개월", "months"),
    "generation": ("세대", "generations"),
    # spans of time and dates: "3주 뒤" is no count of servers, "25일" no age
    "week": ("주", "weeks"),
    "day": ("일", "days"),
    "year": ("년", "years"),
}
_WORDS = {word: kind for kind, words in _KINDS.items() for word in words}
_KOREAN = sorted((w for w in _WORDS if re.match("[가-힣]", w)), key=len, reverse=True)
_ENGLISH = re.compile(r"\s(?:more |fewer |other )?(years old|[a-z]+)\b(?:\s([a-z]+))?")
# After an English counting noun comes punctuation or one of these; another word makes it a modifier
# ("30 million game records" counts records, not games).
_ENGLISH_NEXT = frozenset(
    "in on at of to for from and or with by than before after during while when that which who were was are is "
    "had have has did do does will would can could left more less each a an the".split()
)


def counted(text: str, end: int) -> str:
    """The kind of thing counted by the figure ending at `end` ("move" for "186수만에"), "" when unknown."""
    rest = text[end:]
    korean = rest.removeprefix(" ")
    for word in _KOREAN:
        if korean.startswith(word):
            return _WORDS[word]
    m = _ENGLISH.match(rest)
    if not m or (m.group(2) and m.group(2) not in _ENGLISH_NEXT):
        return ""
    return _WORDS.get(m.group(1), "")


_AGE_BEFORE = re.compile(r"\b(?:at the age of|aged|age of)\s*$", re.I)


def counted_before(text: str, start: int) -> str:
    """The kind of thing named before the figure starting at `start`: "age" for "at the age of 25"."""
    return "age" if _AGE_BEFORE.search(text[:start]) else ""


def counting_word(text: str, end: int) -> str:
    """The counting word as written after the figure ending at `end`: "대" in "300여대의 서버", "" when none."""
    korean = text[end:].removeprefix(" ")
    return next((word for word in _KOREAN if korean.startswith(word)), "")


_ASKED = re.compile(r"몇|\bhow many\b", re.I)


def asked_count(question: str) -> str:
    """The kind of thing a question counts: "piece" for "몇 개인가요", "move" for "how many moves"."""
    m = _ASKED.search(question)
    return counted(question, m.end()) if m else ""


# The words after an English figure, up to four, the last of which is what it counts: "50 community colleges".
_NOUN_PHRASE = re.compile(r"\s(?:more |fewer |other |new )?((?:[a-z]+(?:-[a-z]+)? ){0,3}[a-z]+)\b(?!-)")
_VERB_ENDING = re.compile(r"(?:ed|ing)$")


def counted_noun(text: str, end: int) -> str:
    """The English noun counted by the figure ending at `end`, singular ("college" for "50 community colleges
    have"), "" when none stands there (a unit, a verb, a preposition)."""
    m = _NOUN_PHRASE.match(text[end:].lower())
    if not m:
        return ""
    words = m.group(1).split()
    # a verb ends the phrase: "announced", "opening" (a verb-like modifier, "advanced chips", leaves it unknown)
    kept = words[: next((i for i, w in enumerate(words) if w in _ENGLISH_NEXT or _VERB_ENDING.search(w)), len(words))]
    return _singular(kept[-1]) if kept else ""


def asked_noun(question: str) -> str:
    """The English noun a "how many" question counts, singular ("factory" for "how many new chip factories")."""
    m = re.search(r"\bhow many\b", question, re.I)
    noun = counted_noun(question, m.end()) if m else ""
    return "" if noun in ("time", "one", "other") else noun


def _singular(word: str) -> str:
    """The singular of an English plural, by its ending ("factories" -> "factory", "gpus" -> "gpu")."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if re.search(r"(?:ss|sh|ch|x)es$", word):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


_LATIN_WORD = re.compile(r"[a-z]+")


def counting_noun(text: str, counting: str) -> str:
    """The text's English word for what a Korean counting word counts ("servers" for 대), "" if it has none."""
    kind = _WORDS.get(counting)
    return next((w for w in _LATIN_WORD.findall(text.lower()) if kind and _WORDS.get(w) == kind), "")
