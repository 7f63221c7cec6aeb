"""Answers to citizens' questions («Hỏi đáp»): seed, matching, and staff edits with audit."""

from handlers.knowledge.match import MAYBE, SURE, Found, find_answer
from handlers.knowledge.seed import seed_knowledge
from handlers.knowledge.store import AnswerForm, KnowledgeError, create, history, set_active, update

__all__ = [
    "MAYBE",
    "SURE",
    "AnswerForm",
    "Found",
    "KnowledgeError",
    "create",
    "find_answer",
    "history",
    "seed_knowledge",
    "set_active",
    "update",
]
