"""Strip news-site boilerplate from article text, conservatively.

Removed: everything from a copyright/"no redistribution" footer line on (this is where
sites append unrelated headline lists), a "related articles" block at the end, and
reporter e-mail bylines. Everything else, the title included, is kept as written.
"""

from __future__ import annotations

import re

# A footer line counts only after this share of the text: a copyright line near the top is a dateline
# or credit, not the start of appended headline lists. Chosen by hand on the seed and corpus articles.
FOOTER_AFTER_SHARE = 0.3

_FOOTER = re.compile(
    r"^\s*(copyright\b|ⓒ|©|\(c\)\s*\d{4}|저작권자|<저작권자)"
    r"|무단\s?전재|재배포\s?금지|all rights reserved",
    re.IGNORECASE,
)
_RELATED = re.compile(
    r"^\s*+(\[?관련\s?기사\]?|많이 본 뉴스|주요 뉴스|related (articles|stories|coverage)|read more|more from)"
    r"\s*+:?\s*+$",
    re.IGNORECASE,
)
# Every pattern below runs in linear time on any line: an e-mail can start only where no e-mail character
# precedes it, quantifiers are possessive, and the byline before an e-mail is looked for in a bounded window.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)+")
# "김영욱기자 wook95@dt.co.kr", "(서울=연합뉴스) 홍길동 기자 = ...", "By Jane Doe, jane@x.com"
_BYLINE_BEFORE = re.compile(r"(?:[가-힣]{2,4}\s?(?:선임|수석|객원)?\s?(?:기자|특파원|논설위원|에디터))?\s*[(<\[]?\Z")
BYLINE_WINDOW = 24  # characters before an e-mail searched for "NAME 기자" and brackets
_CLOSING = ")>]"
_EN_CONTACT = re.compile(r"\s*+(?:contact|e-?mail|write to)\b", re.IGNORECASE)


def _cut_footer(lines: list[str]) -> list[str]:
    """Drop everything from the first footer line that comes after `FOOTER_AFTER_SHARE` of the text."""
    total = sum(len(line) + 1 for line in lines)
    seen = 0
    for i, line in enumerate(lines):
        if seen >= FOOTER_AFTER_SHARE * total and (_FOOTER.search(line) or _RELATED.match(line)):
            return lines[:i]
        seen += len(line) + 1
    return lines


def _strip_bylines(line: str) -> str:
    """Remove reporter e-mail bylines (and a contact line that gives an e-mail) from one line."""
    if "@" not in line:
        return line
    if _EN_CONTACT.match(line) and _EMAIL.search(line):
        return ""
    out: list[str] = []
    last = 0
    for match in _EMAIL.finditer(line):
        lead = _BYLINE_BEFORE.search(line, max(last, match.start() - BYLINE_WINDOW), match.start())
        start = lead.start() if lead else match.start()
        while start > last and line[start - 1].isspace():
            start -= 1
        end = match.end() + (1 if line[match.end() : match.end() + 1] in tuple(_CLOSING) else 0)
        out.append(line[last:start])
        last = end
    out.append(line[last:])
    return "".join(out).rstrip()


def clean_text(text: str) -> str:
    """Return the article body without site boilerplate; keeps the title line(s)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\ufeff", "")
    lines = [line.rstrip() for line in text.split("\n")]
    lines = _cut_footer(lines)
    lines = [_strip_bylines(line) for line in lines]
    cleaned = "\n".join(lines)
    cleaned = re.sub(r"\n{3,}", "\n\n", cleaned)
    return cleaned.strip()
