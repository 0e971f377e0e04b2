"""Turn `Answer`s into chat Markdown and per-answer sources (HTML) with the supporting spans highlighted."""

from __future__ import annotations

import re
from html import escape
from urllib.parse import urlsplit

from index import Index
from index.errors import DocumentNotFoundError
from index.types import Byline
from rag.citations import MARKER, marker_numbers
from rag.types import Answer, Citation

CONTEXT_CHARS = 160
LABELS = {
    "ko": {
        "sources": "출처",
        "closest": "가장 관련 있는 대목",
        "verified": "✓ 확인됨",
        "unsupported": "⚠ 확인 안 됨",
        "flag": "⚠ 출처에서 확인되지 않은 문장",
        "searched": "검색한 질문",
        "drafting": "✍ 작성 중…",
        "stopped": "⏹ 중지됨",
    },
    "en": {
        "sources": "Sources",
        "closest": "Closest passages",
        "verified": "✓ verified",
        "unsupported": "⚠ not verified",
        "flag": "⚠ Not supported by its source",
        "searched": "searched for",
        "drafting": "✍ drafting…",
        "stopped": "⏹ stopped",
    },
}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}<>#|~])")


def _labels(language: str) -> dict[str, str]:
    return LABELS.get(language, LABELS["en"])


def plain_markdown(text: str) -> str:
    """Model or article text made inert for Markdown and HTML: markup characters escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text.replace("&", "&amp;"))


def answer_markdown(answer: Answer, turn: int = 0) -> str:
    """The chat message: answer text with [n] linked to this turn's sources, flagged sentences, and the
    standalone question searched when a follow-up was rewritten."""
    labels = _labels(answer.language)

    def link(match: re.Match[str]) -> str:
        lead = match.group(0)[: len(match.group(0)) - len(match.group(0).lstrip())]
        return lead + " ".join(f"[[{n}]](#src-{turn}-{n})" for n in marker_numbers(match))

    parts, last = [], 0
    for match in MARKER.finditer(answer.text):
        parts += [plain_markdown(answer.text[last : match.start()]), link(match)]
        last = match.end()
    text = "".join([*parts, plain_markdown(answer.text[last:])])
    for check in answer.unsupported:
        sentence = plain_markdown(MARKER.sub("", check.text).strip())
        text += f"\n\n> {labels['flag']}: {sentence} ({plain_markdown(', '.join(check.missing))})"
    if answer.searched:
        text += f"\n\n<small>↳ {labels['searched']}: {plain_markdown(answer.searched)}</small>"
    return text


def draft_markdown(draft: str, language: str) -> str:
    """A reply still being written: a drafting mark, then what may be shown of it."""
    body = plain_markdown(draft)
    return f"*{_labels(language)['drafting']}*" + (f"\n\n{body}" if body else "")


def stopped_markdown(shown: str, language: str) -> str:
    """What a stopped reply leaves in the chat."""
    return (shown + "\n\n" if shown else "") + f"*{_labels(language)['stopped']}*"


def queue_message(ahead: int, eta_s: float) -> str:
    """What a waiting user sees in place of the answer: their place in line and a time estimate."""
    return f"⏳ 앞에 {ahead}명 / {ahead} ahead (~{eta_s:.0f} s)"


def _snippet(index: Index, doc_id: str, start: int, end: int) -> str:
    """The cited span highlighted inside its surrounding article text."""
    try:
        text = index.article(doc_id).text
    except DocumentNotFoundError:  # the article was removed since the answer was made
        return ""
    before = text[max(0, start - CONTEXT_CHARS) : start]
    after = text[end : end + CONTEXT_CHARS]
    lead = "…" if start > CONTEXT_CHARS else ""
    tail = "…" if end + CONTEXT_CHARS < len(text) else ""
    return (f"{lead}{escape(before)}<mark>{escape(text[start:end])}</mark>{escape(after)}{tail}").replace("\n", "<br>")


def _byline_html(byline: Byline) -> str:
    """Outlet · author · date, and the URL as a link when it is http(s); every part escaped."""
    parts = [escape(v) for v in (byline.outlet, byline.author, byline.published) if v]
    if byline.url and urlsplit(byline.url).scheme in ("http", "https"):
        parts.append(
            f'<a href="{escape(byline.url, quote=True)}" target="_blank" rel="noopener noreferrer nofollow">'
            f"{escape(urlsplit(byline.url).hostname or byline.url)}</a>"
        )
    return f'<div class="gisa-byline">{" · ".join(parts)}</div>' if parts else ""


def _card(index: Index, item: Citation, status: str, turn: int) -> str:
    return (
        f'<div class="gisa-source" id="src-{turn}-{item.number}"><div class="gisa-source-head">'
        f'<b>[{item.number}]</b> {escape(item.title)} <span class="gisa-status">{status}</span> '
        f'<span class="gisa-meta">{escape(item.doc_id)} · {item.start}–{item.end}</span></div>'
        f"{_byline_html(item.byline)}"
        f'<div class="gisa-quote">{_snippet(index, item.doc_id, item.start, item.end)}</div></div>'
    )


def sources_title(answer: Answer) -> str:
    """The heading of an answer's collapsible sources block: "출처 (2)", "Closest passages (3)"."""
    labels = _labels(answer.language)
    return f"{labels['sources'] if answer.citations else labels['closest']} ({len(answer.sources)})"


def sources_html(answer: Answer, index: Index, turn: int = 0) -> str:
    """One answer's sources: each cited passage (or, after an abstention, the closest ones) with its quote
    marked; card ids carry the turn, so every answer's [n] keeps pointing at its own passages."""
    labels = _labels(answer.language)
    cards = []
    for item in answer.sources:
        status = (labels["verified"] if item.verified else labels["unsupported"]) if answer.citations else ""
        cards.append(_card(index, item, status, turn))
    return (
        f'<details class="gisa-sources" open><summary>{escape(sources_title(answer))}</summary>'
        f"{''.join(cards)}</details>"
    )


CSS = """
.gisa-sources summary { cursor: pointer; font-weight: 600; margin: 4px 0; }
.gisa-source { border: 1px solid #d0d7de; border-radius: 8px; padding: 8px 10px; margin: 8px 0; }
.gisa-source:target { border-color: #d97706; box-shadow: 0 0 0 2px #fcd34d; }
.gisa-source-head { margin-bottom: 4px; }
.gisa-status { font-size: 0.85em; margin-left: 6px; }
.gisa-meta { color: #6b7280; font-size: 0.8em; margin-left: 6px; }
.gisa-byline { color: #6b7280; font-size: 0.85em; margin-bottom: 4px; }
.gisa-quote { font-size: 0.92em; line-height: 1.5; }
.gisa-quote mark { background: #fde68a; color: #1f2937; padding: 0 2px; }
.dark .gisa-quote mark { background: #facc15; color: #111827; }
.dark .gisa-sources summary { cursor: pointer; font-weight: 600; margin: 4px 0; }
.gisa-source { border-color: #4b5563; }
.dark .gisa-meta, .dark .gisa-byline { color: #9ca3af; }
"""
