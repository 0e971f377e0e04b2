"""Tell Korean from English text by script."""

from __future__ import annotations

import re
from typing import Literal, get_args

Language = Literal["ko", "en"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
# Hangul share of the letters from which a text counts as Korean. Chosen by hand: mixed Korean news text
# with English names and codes stays well above it, English text with a Korean name well below.
KOREAN_SHARE = 0.3

_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_LATIN = re.compile(r"[A-Za-z]")


def has_hangul(text: str) -> bool:
    """True if the text holds at least one Hangul character."""
    return _HANGUL.search(text) is not None


def detect_language(text: str) -> Language:
    """Return "ko" when Hangul makes up at least `KOREAN_SHARE` of the letters, else "en"."""
    hangul = len(_HANGUL.findall(text))
    latin = len(_LATIN.findall(text))
    if hangul == 0:
        return "en"
    return "ko" if hangul / (hangul + latin) >= KOREAN_SHARE else "en"


def has_final_consonant(word: str) -> bool | None:
    """Whether a word's last syllable ends in a consonant (받침: "위안" yes, "달러" no); None if not Hangul."""
    last = word[-1:]
    if not ("\uac00" <= last <= "\ud7a3"):
        return None
    return (ord(last) - 0xAC00) % 28 != 0
