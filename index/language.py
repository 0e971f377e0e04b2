"""Tell Korean from English text by script."""

from __future__ import annotations

import re

_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_LATIN = re.compile(r"[A-Za-z]")


def has_hangul(text: str) -> bool:
    """True if the text holds at least one Hangul character."""
    return _HANGUL.search(text) is not None


def detect_language(text: str) -> str:
    """Return "ko" when Hangul makes up at least 30% of the letters, else "en"."""
    hangul = len(_HANGUL.findall(text))
    latin = len(_LATIN.findall(text))
    if hangul == 0:
        return "en"
    return "ko" if hangul / (hangul + latin) >= 0.3 else "en"
