"""Read article files (.txt, .md, .html) from files or folders into `Article`s."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from index.charsets import decode_bytes, decode_page
from index.cleaning import clean_text
from index.dates import iso_date
from index.errors import ArticleError
from index.extraction import extract_html
from index.language import detect_language
from index.limits import ARTICLE_SUFFIXES, MAX_ARTICLE_BYTES, META_SUFFIX, megabytes
from index.types import Article

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadFailure:
    """A file that could not be read, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class LoadResult:
    """Articles read, and the files skipped with their reasons."""

    articles: list[Article] = field(default_factory=list)
    failures: list[LoadFailure] = field(default_factory=list)


def _is_article_name(path: Path) -> bool:
    return path.suffix.lower() in ARTICLE_SUFFIXES and not path.name.startswith(".")


def _walk(folder: Path, follow_symlinks: bool) -> tuple[list[Path], list[LoadFailure]]:
    """Article files under `folder`, sorted. Symlinks that lead outside it are skipped unless followed."""
    found: list[Path] = []
    skipped: list[LoadFailure] = []
    root = folder.resolve()
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=follow_symlinks):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if not _is_article_name(path):
                continue
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError) as exc:
                skipped.append(LoadFailure(str(path), f"cannot read it ({_reason(exc)})"))
                continue
            if not follow_symlinks and target != root and root not in target.parents:
                skipped.append(
                    LoadFailure(str(path), f"a link to {target}, outside {folder}; not followed (--follow-symlinks)")
                )
                continue
            if target.is_file():
                found.append(path)
    return found, skipped


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def find_article_files(
    paths: Iterable[str | Path], follow_symlinks: bool = False
) -> tuple[list[Path], list[LoadFailure]]:
    """Expand files and folders into article files (sorted), reporting paths that cannot be read."""
    found: list[Path] = []
    failures: list[LoadFailure] = []
    for raw in paths:
        path = Path(raw)
        try:
            if path.is_dir():
                files, skipped = _walk(path, follow_symlinks)
                found.extend(files)
                failures.extend(skipped)
            elif path.is_file() and _is_article_name(path):
                found.append(path)
            elif path.is_file():
                failures.append(
                    LoadFailure(str(path), f"not an article file: gisa reads {', '.join(ARTICLE_SUFFIXES)}")
                )
            elif os.path.lexists(path):
                failures.append(LoadFailure(str(path), "not a readable file or folder (a broken link or a link loop?)"))
            else:
                failures.append(LoadFailure(str(path), "no such file or folder"))
        except OSError as exc:
            failures.append(LoadFailure(str(path), f"cannot read it ({_reason(exc)})"))
    return found, failures


MARKUP_SPAN = 500  # longest Markdown link text, target or emphasis span recognised
_MD_IMAGE = re.compile(rf"!\[[^\]\n]{{0,{MARKUP_SPAN}}}\]\([^)\n]{{0,{MARKUP_SPAN}}}\)")
_MD_LINK = re.compile(rf"\[([^\]\n]{{1,{MARKUP_SPAN}}})\]\([^)\n]{{0,{MARKUP_SPAN}}}\)")
_MD_HEADING = re.compile(r"^[ ]{0,3}#{1,6}[ \t]*+", re.MULTILINE)
_MD_EMPHASIS = re.compile(rf"(\*\*|__)([^\n]{{1,{MARKUP_SPAN}}}?)\1")


def markdown_to_text(md: str) -> str:
    """Drop Markdown markup that is not prose: heading marks, images, link targets, emphasis.

    Every span is bounded (`MARKUP_SPAN` characters, one line), so the patterns run in linear time.
    """
    text = _MD_IMAGE.sub("", md)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_HEADING.sub("", text)
    return _MD_EMPHASIS.sub(r"\2", text)


SIDECAR_ALIASES = {"reporter": "author", "date": "published", "byline": "author", "site": "outlet"}


def _read_meta(path: Path) -> dict[str, str]:
    """The sidecar NAME.meta.json's fields (title, outlet, author, published, url, language), which override
    what the file itself says; a missing, unreadable or malformed sidecar is ignored."""
    for candidate in (path.with_name(path.stem + META_SUFFIX), path.with_name(path.name + META_SUFFIX)):
        try:
            if not candidate.is_file():
                continue
            data = json.loads(candidate.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:  # ValueError covers bad JSON and bad UTF-8
            log.warning("ignoring metadata %s: %s", candidate, _reason(exc))
            return {}
        if not isinstance(data, dict):
            log.warning("ignoring metadata %s: not a JSON object", candidate)
            return {}
        fields = {str(k): str(v) for k, v in data.items() if isinstance(v, str | int | float)}
        for old, new in SIDECAR_ALIASES.items():
            if old in fields:
                fields.setdefault(new, fields.pop(old))
        return fields
    return {}


def doc_id_for(path: Path) -> str:
    """A readable document id from the file name (letters, digits, - and _ kept)."""
    stem = re.sub(r"[^\w\-]+", "_", path.stem, flags=re.UNICODE).strip("_")
    return stem or "doc"


def load_article(path: Path, doc_id: str | None = None) -> Article:
    """Read, decode and clean one article file; raises ArticleError with the reason."""
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise ArticleError(
                f"{path}: {megabytes(size)} MB is too large for an article (limit {megabytes(MAX_ARTICLE_BYTES)} MB)"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read file ({exc.strerror or exc})") from exc
    suffix = path.suffix.lower()
    found = {}
    if suffix in (".html", ".htm"):
        page = extract_html(decode_page(data, name=str(path)))
        raw, found = page.text, known_fields(page.title, page.outlet, page.author, page.published)
    elif suffix in (".md", ".markdown"):
        raw = markdown_to_text(decode_bytes(data, str(path)))
    else:
        raw = decode_bytes(data, str(path))
    return make_article(raw, doc_id or doc_id_for(path), str(path.resolve()), found | _read_meta(path))


def known_fields(
    title: str = "", outlet: str = "", author: str = "", published: str = "", url: str = ""
) -> dict[str, str]:
    """Metadata as sidecar-style fields, the empty ones left out (so that they override nothing)."""
    given = {"title": title, "outlet": outlet, "author": author, "published": published, "url": url}
    return {k: v for k, v in given.items() if v}


def make_article(raw: str, doc_id: str, source: str, meta: dict[str, str]) -> Article:
    """Clean `raw` text into an Article; `meta` gives title, outlet, author, published, url and language."""
    text = clean_text(raw)
    if not text:
        raise ArticleError(f"{source}: no article text left after cleaning (empty file?)")
    first_line = text.split("\n", 1)[0].strip()
    title = meta.get("title") or first_line
    if title and not text.startswith(title):
        text = f"{title}\n{text}"
    return Article(
        doc_id=doc_id,
        title=title,
        text=text,
        language=meta.get("language") or detect_language(text),
        source=source,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        outlet=meta.get("outlet", ""),
        author=meta.get("author", ""),
        published=iso_date(meta.get("published", "")),
        url=meta.get("url", ""),
    )


def load_articles(paths: Iterable[str | Path], follow_symlinks: bool = False) -> LoadResult:
    """Load every article under the given paths; bad files are reported and skipped."""
    files, failures = find_article_files(paths, follow_symlinks)
    articles: list[Article] = []
    for path in files:
        try:
            articles.append(load_article(path))
        except ArticleError as exc:
            log.info("skipped %s", exc)
            failures.append(LoadFailure(str(path), str(exc)))
        except (OSError, ValueError, RuntimeError) as exc:  # one odd file never stops the others
            log.info("skipped %s: %s", path, exc)
            failures.append(LoadFailure(str(path), f"{path}: cannot read it ({_reason(exc)})"))
    return LoadResult(articles, failures)
