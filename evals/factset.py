"""Fact sets: JSON lines of questions with the facts a correct answer must contain."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from index.errors import GisaError

FactKind = Literal["fact", "number", "multi-hop", "cross-lingual", "unanswerable"]
KINDS: tuple[FactKind, ...] = get_args(FactKind)
# "tune" questions may guide changes to the pipeline; "holdout" ones are only reported, to show overfitting.
Split = Literal["tune", "holdout"]
SPLITS: tuple[Split, ...] = get_args(Split)
FACTSETS = Path(__file__).resolve().parent / "factsets"
SEED_FACTSET = FACTSETS / "seed.jsonl"
DEV_FACTSET = FACTSETS / "dev.jsonl"
FRESH_FACTSET = FACTSETS / "fresh.jsonl"  # written after the pipeline was tuned, on the same ten articles
FOLLOWUP_FACTSET = FACTSETS / "followups.jsonl"  # questions asked after an earlier turn
# The articles the development set asks about, besides the seed article (licences in SOURCES.md there).
DEV_CORPUS = Path(__file__).resolve().parent / "corpus"


class FactSetError(GisaError):
    """A fact-set file is missing or malformed."""


@dataclass(frozen=True)
class Fact:
    """One eval question.

    `expected` lists facts that must all be in a correct answer; each is `|`-separated alternatives,
    matched as a pattern or, for numbers, by normalised value. `evidence` is the exact text of the
    article that answers it (empty for unanswerable questions); a multi-hop answer built from two
    passages names the other in `also_evidence`, as {"doc_id": …, "text": …} objects.
    """

    id: str
    question: str
    language: str
    kind: FactKind
    expected: list[str] = field(default_factory=list)
    evidence: str = ""
    doc_id: str | None = None
    note: str = ""
    split: Split = "tune"
    history: list[list[str]] = field(default_factory=list)  # earlier [question, answer] turns of a follow-up
    rewrite: list[str] = field(default_factory=list)  # what its standalone form must say (`|` alternatives)
    rewrite_not: list[str] = field(default_factory=list)  # and must no longer say
    also_evidence: list[dict[str, str]] = field(default_factory=list)  # other passages a multi-hop answer cites

    @property
    def answerable(self) -> bool:
        """False for questions the articles do not answer."""
        return self.kind != "unanswerable"

    def to_json(self) -> dict[str, Any]:
        """Plain-JSON form, one line of a fact set."""
        kept = ("evidence", "doc_id", "expected")
        data = {k: v for k, v in asdict(self).items() if v not in ("", None, []) or k in kept}
        if self.split == "tune":
            del data["split"]
        return data


def parse_fact(data: dict[str, Any], where: str) -> Fact:
    """Validate one JSON object as a Fact; errors name the file and line."""
    missing = [k for k in ("id", "question", "language", "kind") if not data.get(k)]
    if missing:
        raise FactSetError(f"{where}: missing {', '.join(missing)}")
    if data["language"] not in ("ko", "en"):
        raise FactSetError(f"{where}: language must be ko or en, got {data['language']!r}")
    if data["kind"] not in KINDS:
        raise FactSetError(f"{where}: kind must be one of {', '.join(KINDS)}, got {data['kind']!r}")
    if data.get("split", "tune") not in SPLITS:
        raise FactSetError(f"{where}: split must be one of {', '.join(SPLITS)}, got {data['split']!r}")
    if data["kind"] != "unanswerable" and not (data.get("expected") and data.get("evidence") and data.get("doc_id")):
        raise FactSetError(f"{where}: an answerable question needs expected facts, evidence and doc_id")
    history = data.get("history", [])
    if not isinstance(history, list) or not all(
        isinstance(t, list) and len(t) == 2 and all(isinstance(x, str) for x in t) for t in history
    ):
        raise FactSetError(f"{where}: history must be a list of [question, answer] pairs")
    also = data.get("also_evidence", [])
    if not isinstance(also, list) or not all(
        isinstance(e, dict) and isinstance(e.get("doc_id"), str) and isinstance(e.get("text"), str) and e["text"]
        for e in also
    ):
        raise FactSetError(f'{where}: also_evidence must be a list of {{"doc_id": …, "text": …}} objects')
    known = {f for f in Fact.__dataclass_fields__}
    return Fact(**{k: v for k, v in data.items() if k in known})


def load_factset(path: str | Path) -> list[Fact]:
    """Read and validate a fact-set file; ids must be unique."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise FactSetError(f"cannot read fact set {path}: {exc.strerror or exc}") from exc
    facts: list[Fact] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except ValueError as exc:
            raise FactSetError(f"{path}:{n}: not valid JSON ({exc})") from exc
        facts.append(parse_fact(data, f"{path}:{n}"))
    ids = [f.id for f in facts]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise FactSetError(f"{path}: duplicate ids {', '.join(dupes)}")
    if not facts:
        raise FactSetError(f"{path}: no questions")
    return facts
