"""The chat's interface labels in Korean and English, defined once; the UI follows the question's language."""

from __future__ import annotations

from index.language import Language
from index.limits import MAX_UPLOAD_BYTES, megabytes

UI_LANGUAGES: dict[str, Language] = {"한국어": "ko", "English": "en"}

UI: dict[Language, dict[str, str]] = {
    "ko": {
        "title": "## gisa · 기사 Q&A\n기사에 대해 한국어나 영어로 질문하세요. 답변마다 근거가 된 대목이 함께 나옵니다.",
        "question": "질문을 입력하세요 (Enter로 보내기)",
        "ask": "질문하기",
        "stop": "중지",
        "clear": "대화 지우기",
        "answer_language": "답변 언어",
        "busy": "답변을 작성하는 중입니다. 끝난 뒤에 보내거나 '중지'를 누르세요. 입력한 질문은 그대로 있습니다.",
        "upload": f"기사 추가 (.txt, .md, .html; 파일당 최대 {megabytes(MAX_UPLOAD_BYTES)} MB)",
        "add": "색인에 추가",
        "status": "상태",
        "article": "삭제할 기사",
        "remove": "기사 삭제…",
        "confirm": "삭제",
        "cancel": "취소",
        "confirm_question": "**「{title}」** 기사를 색인에서 삭제할까요? 되돌릴 수 없습니다.",
        "choose": "먼저 삭제할 기사를 고르세요.",
        "cancelled": "삭제를 취소했습니다.",
        "apply": "적용",
        "applied": "적용 상태",
        "top_k": "검색할 청크 수 (top-k)",
        "temperature": "온도 (temperature)",
        "settings_note": "설정은 이 브라우저 세션에만 적용됩니다.",
        "loading": "모델을 불러오는 중…",
    },
    "en": {
        "title": "## gisa · 기사 Q&A\nAsk about your articles in Korean or English. Every answer comes with the "
        "passages behind it.",
        "question": "Ask a question (Enter sends it)",
        "ask": "Ask",
        "stop": "Stop",
        "clear": "Clear chat",
        "answer_language": "Answer language",
        "busy": "An answer is being written. Send this when it is done, or press Stop; your question stays here.",
        "upload": f"Add articles (.txt, .md, .html; up to {megabytes(MAX_UPLOAD_BYTES)} MB each)",
        "add": "Add to index",
        "status": "Status",
        "article": "Article to remove",
        "remove": "Remove article…",
        "confirm": "Remove",
        "cancel": "Cancel",
        "confirm_question": "Remove **“{title}”** from the index? This cannot be undone.",
        "choose": "Choose the article to remove first.",
        "cancelled": "Nothing removed.",
        "apply": "Apply",
        "applied": "Settings in force",
        "top_k": "Chunks to retrieve (top-k)",
        "temperature": "Temperature",
        "settings_note": "Settings apply to this browser session only.",
        "loading": "loading model…",
    },
}


def labels(language: str) -> dict[str, str]:
    """The labels for a UI language ("ko" or "en"; anything else gets English)."""
    return UI.get(language, UI["en"])  # type: ignore[call-overload]
