"""What of a reply still being generated may be shown: nothing that the checks could yet take back.

A reply that so far reads as a no-answer marker ("NO", "NO_ANS", "The articles do not…") is held back
whole, and an unfinished citation marker at its end ("[", "[1", "[1, 2") is held back until it closes.
The checks after generation decide what finally stands; this only keeps half-made text off the screen.
"""

from __future__ import annotations

import re

from rag.prompts import ABSTAIN_MARKERS

_OPEN_MARKER = re.compile(r"\[[\d,\s]{0,12}$")
HOLD_CHARS = 40  # a reply this short that begins like a no-answer marker is not shown yet


def draft(raw: str) -> str:
    """The part of a partial reply that may be shown now ("" while it may still be a no-answer)."""
    text = raw.lstrip()
    lowered = text.lower()
    if len(text) <= HOLD_CHARS and any(m.startswith(lowered) or lowered.startswith(m) for m in ABSTAIN_MARKERS):
        return ""
    if any(m in lowered for m in ABSTAIN_MARKERS):
        return ""
    return _OPEN_MARKER.sub("", text).rstrip()
