"""Which answer fits a citizen's question: TF-IDF similarity over the staff's answers.

The index is built from the active answers' question, phrasings and first sentence, and
rebuilt only when a row changes (the cache key is the rows' ids and update times). A
topic's ward version wins for a citizen of that ward or a question naming it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from nlp.similarity import Index
from nlp.wards import resolve
from storage.models import KnowledgeAnswer, Ward

#: At or above: answer outright. Between the two: ask whether it is a question.
SURE = 0.27
MAYBE = 0.15

_cache: dict[str, tuple[tuple[tuple[int, datetime], ...], Index, list[int]]] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Found:
    """The answer chosen for a question, and how sure the match is (0–1)."""

    answer: KnowledgeAnswer
    score: float

    @property
    def sure(self) -> bool:
        return self.score >= SURE


def _document(row: KnowledgeAnswer) -> str:
    first = row.answer.split(". ")[0]
    return f"{row.question}\n{row.phrasings}\n{first}"


def _index(session: Session, rows: list[KnowledgeAnswer]) -> tuple[Index, list[int]]:
    """The index of the general answers (one per topic), rebuilt when any row changed."""
    stamp = tuple(sorted((r.id, r.updated_at) for r in rows))
    with _lock:
        cached = _cache.get("area")
        if cached is not None and cached[0] == stamp:
            return cached[1], cached[2]
    by_topic: dict[str, KnowledgeAnswer] = {}
    for row in sorted(rows, key=lambda r: (r.ward_id is not None, r.id)):
        by_topic.setdefault(row.topic, row)
    ids = [r.id for r in by_topic.values()]
    docs = [
        _document(r) + "\n" + "\n".join(x.phrasings for x in rows if x.topic == r.topic)
        for r in by_topic.values()
    ]
    index = Index(docs)
    with _lock:
        _cache["area"] = (stamp, index, ids)
    return index, ids


def _named_ward(session: Session, question: str) -> int | None:
    """The ward a question names ("MTTQ phường Bàn Thạch ở đâu"), old names included."""
    match = resolve(question)
    if match is None:
        return None
    return session.scalar(select(Ward.id).where(Ward.code == match.code))


def find_answer(session: Session, question: str, ward_id: int | None) -> Found | None:
    """The best answer, in the version of the ward the question names, else of `ward_id`."""
    rows = list(session.scalars(select(KnowledgeAnswer).where(KnowledgeAnswer.active.is_(True))))
    if not rows or not question.strip():
        return None
    ward_id = _named_ward(session, question) or ward_id
    index, ids = _index(session, rows)
    hits = index.best(question, limit=1)
    if not hits or hits[0].score < MAYBE:
        return None
    chosen = next(r for r in rows if r.id == ids[hits[0].index])
    own = next((r for r in rows if r.topic == chosen.topic and r.ward_id == ward_id), None)
    return Found(own if own is not None and ward_id is not None else chosen, hits[0].score)
