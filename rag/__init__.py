"""Retrieval, evidence, prompts, generation and verification: the answering layer.

Imports only `index`. Public API: `Assistant`, `Answer`, `Config` (and `from_env` to read it).
"""

from index.errors import GisaError
from rag.assistant import Assistant
from rag.config import Config, from_env
from rag.types import Answer, Citation, Passage, SentenceCheck, SentenceStatus

__all__ = [
    "Answer",
    "Assistant",
    "Citation",
    "Config",
    "GisaError",
    "Passage",
    "SentenceCheck",
    "SentenceStatus",
    "from_env",
]
