"""Turn `Answer`s into chat Markdown and a sources panel (HTML) with the supporting spans highlighted."""

from __future__ import annotations

import re
from html import escape
from urllib.parse import urlsplit

from index import Index
from index.errors import DocumentNotFoundError
from index.language import Language
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
        "none": "질문하면 답변의 근거가 여기에 표시됩니다.",
    },
    "en": {
        "sources": "Sources",
        "closest": "Closest passages",
        "verified": "✓ verified",
        "unsupported": "⚠ not verified",
        "flag": "⚠ Not supported by its source",
        "none": "Ask a question; the passages behind the answer appear here.",
    },
}


def answer_markdown(answer: Answer) -> str:
    """The chat message: answer text with [n] linked to the sources panel, plus flagged sentences."""
    labels = LABELS.get(answer.language, LABELS["en"])

    def link(match: re.Match[str]) -> str:
        lead = match.group(0)[: len(match.group(0)) - len(match.group(0).lstrip())]
        return lead + " ".join(f"[[{n}]](#src-{n})" for n in marker_numbers(match))

    text = MARKER.sub(link, answer.text)
    for check in answer.unsupported:
        missing = ", ".join(check.missing)
        text += f"\n\n> {labels['flag']}: {MARKER.sub('', check.text).strip()} ({missing})"
    return text


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


def _card(index: Index, item: Citation, status: str) -> str:
    return (
        f'<div class="gisa-source" id="src-{item.number}"><div class="gisa-source-head"><b>[{item.number}]</b> '
        f'{escape(item.title)} <span class="gisa-status">{status}</span> '
        f'<span class="gisa-meta">{escape(item.doc_id)} · {item.start}–{item.end}</span></div>'
        f"{_byline_html(item.byline)}"
        f'<div class="gisa-quote">{_snippet(index, item.doc_id, item.start, item.end)}</div></div>'
    )


def sources_html(answer: Answer | None, index: Index, language: Language = "en") -> str:
    """The sources panel: each cited passage (or, after an abstention, the closest ones) with its quote marked."""
    labels = LABELS.get(answer.language if answer else language, LABELS["en"])
    if answer is None:
        return f'<div class="gisa-sources"><p>{labels["none"]}</p></div>'
    heading = labels["sources"] if answer.citations else labels["closest"]
    cards = []
    for item in answer.sources:
        status = (labels["verified"] if item.verified else labels["unsupported"]) if answer.citations else ""
        cards.append(_card(index, item, status))
    return f'<div class="gisa-sources"><h3>{heading}</h3>{"".join(cards)}</div>'


CSS = """
.gisa-source { border: 1px solid #d0d7de; border-radius: 8px; padding: 8px 10px; margin: 8px 0; }
.gisa-source:target { border-color: #d97706; box-shadow: 0 0 0 2px #fcd34d; }
.gisa-source-head { margin-bottom: 4px; }
.gisa-status { font-size: 0.85em; margin-left: 6px; }
.gisa-meta { color: #6b7280; font-size: 0.8em; margin-left: 6px; }
.gisa-byline { color: #6b7280; font-size: 0.85em; margin-bottom: 4px; }
.gisa-quote { font-size: 0.92em; line-height: 1.5; }
.gisa-quote mark { background: #fde68a; padding: 0 2px; }
"""
