"""The chat's start screen: the articles loaded (title, date, outlet) and three example questions."""

from __future__ import annotations

from evals.factset import DEV_FACTSET, SEED_FACTSET, Fact, load_factset
from index import Index
from index.errors import GisaError
from index.types import Article
from ui.render import plain_markdown

SHOWN_ARTICLES = 8  # more are summarised as "and N more"
EXAMPLES = 3
TEMPLATES = {  # for articles no fact set asks about
    "ko": "「{title}」 기사의 핵심 내용은 무엇인가요?",
    "en": 'What is the main point of the article "{title}"?',
}


def example_questions(index: Index, count: int = EXAMPLES) -> list[str]:
    """Questions drawn from the loaded articles: checked fact-set questions about them, else title-based ones."""
    articles = index.articles
    ids = {a.doc_id for a in articles}
    known: list[Fact] = []
    for path in (SEED_FACTSET, DEV_FACTSET):
        try:
            known += [f for f in load_factset(path) if f.answerable and f.doc_id in ids and not f.history]
        except GisaError:
            continue
    chosen: list[str] = []
    for language in ("ko", "en", "ko", "en"):  # alternate languages, one question per article where possible
        used = {f.doc_id for f in known if f.question in chosen}
        pick = next(
            (
                f.question
                for f in known
                if f.language == language and f.question not in chosen and (f.doc_id not in used or len(ids) == 1)
            ),
            None,
        )
        if pick is not None:
            chosen.append(pick)
        if len(chosen) == count:
            return chosen
    for article in articles:
        if len(chosen) == count:
            break
        chosen.append(TEMPLATES.get(article.language, TEMPLATES["en"]).format(title=article.title))
    return chosen[:count]


def _line(article: Article) -> str:
    meta = " · ".join(plain_markdown(v) for v in (article.published, article.outlet) if v)
    return f"- **{plain_markdown(article.title)}**" + (f" — {meta}" if meta else "")


def start_screen(index: Index) -> str:
    """Markdown for an empty chat: what is loaded, or how to load something."""
    articles = index.articles
    if not articles:
        return (
            "### 색인된 기사가 없습니다 / No articles yet\n"
            "기사 탭에서 파일을 올리거나 `gisa ingest PATH_OR_URL`로 추가하세요.\n"
            "Add files in the Articles tab, or run `gisa ingest PATH_OR_URL`."
        )
    lines = [_line(a) for a in articles[:SHOWN_ARTICLES]]
    if len(articles) > SHOWN_ARTICLES:
        lines.append(f"- … {len(articles) - SHOWN_ARTICLES}건 더 / {len(articles) - SHOWN_ARTICLES} more")
    return (
        f"### 기사 {len(articles)}건 / {len(articles)} article{'s' if len(articles) != 1 else ''}\n"
        + "\n".join(lines)
        + "\n\n아래 예시를 누르거나 질문을 입력하세요. Pick an example below or ask your own question."
    )
