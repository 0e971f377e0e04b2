"""Whether two sampled answers agree on their facts: what two of a few independent replies say is shown.

After a refused greedy reply the 1.5B model is asked a few more times, sampling (rag/assistant.py). A right
answer comes back in other words but with the same facts ("in the United States and the United Arab
Emirates" twice, once with an invented "China" added); wrong ones differ from draw to draw.
"""

from __future__ import annotations

from dataclasses import dataclass

from index.korean import KoreanText
from rag.asked import Asked
from rag.citations import MARKER
from rag.entities import added_names, same_entity
from rag.numbers import extract_quantities


@dataclass(frozen=True)
class Facts:
    """The figures (value, unit) and the names an answer adds to its question."""

    figures: frozenset[tuple[float, str]]
    names: tuple[str, ...]

    @property
    def size(self) -> int:
        """How many facts the answer states."""
        return len(self.figures) + len(self.names)


def facts_of(text: str, question: str, korean: KoreanText) -> Facts:
    """The figures and new names of an answer's text."""
    body = MARKER.sub("", text)
    figures = frozenset((q.value, q.unit) for q in extract_quantities(body))
    return Facts(figures, tuple(added_names(body, question, korean)))


def agree(a: Facts, b: Facts, kind: Asked) -> bool:
    """Whether two answers state a fact of the asked kind in common: a figure where the question asks for one,
    else a name, in any script or form. Two draws that both mention "9" from "이세돌 9단" agree on nothing
    that answers "Which colour stones did Lee Sedol play with?" (fresh set)."""
    if kind in (Asked.PERCENT, Asked.NUMBER, Asked.DATE):
        return bool(a.figures & b.figures)
    return any(same_entity(x, y) for x in a.names for y in b.names)
