"""Staff edits of the answers, each one recorded (who, when, before, after) with the change."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import audit
from storage.models import KnowledgeAnswer, KnowledgeAnswerChange, StaffUser

_TOPIC = re.compile(r"^[a-z0-9_]{2,80}$")


class KnowledgeError(ValueError):
    """The form does not describe a valid answer (the message is for staff, in Vietnamese)."""


@dataclass(frozen=True)
class AnswerForm:
    """What staff typed for one answer."""

    topic: str
    question: str
    phrasings: str
    answer: str
    ward_id: int | None = None

    def checked(self) -> AnswerForm:
        topic = self.topic.strip().lower()
        if not _TOPIC.match(topic):
            raise KnowledgeError("Mã chủ đề chỉ gồm chữ thường không dấu, số và dấu gạch dưới.")
        question, answer = " ".join(self.question.split()), self.answer.strip()
        if not question or len(question) > 300:
            raise KnowledgeError("Câu hỏi không được để trống và dài tối đa 300 ký tự.")
        if not answer or len(answer) > 2000:
            raise KnowledgeError("Câu trả lời không được để trống và dài tối đa 2.000 ký tự.")
        lines = [" ".join(x.split()) for x in self.phrasings.splitlines() if x.strip()]
        if len(lines) > 50 or any(len(x) > 300 for x in lines):
            raise KnowledgeError("Tối đa 50 cách hỏi, mỗi cách hỏi tối đa 300 ký tự.")
        return AnswerForm(topic, question, "\n".join(lines), answer, self.ward_id)


def _snapshot(row: KnowledgeAnswer) -> dict[str, Any]:
    return {
        "topic": row.topic,
        "ward_id": row.ward_id,
        "question": row.question,
        "phrasings": row.phrasings,
        "answer": row.answer,
        "active": row.active,
    }


def _record(
    session: Session,
    row: KnowledgeAnswer,
    staff_id: int | None,
    action: str,
    before: dict[str, Any],
    now: datetime,
) -> None:
    row.updated_by_id = staff_id
    row.updated_at = now
    session.flush()
    session.add(
        KnowledgeAnswerChange(
            answer_id=row.id,
            staff_id=staff_id,
            action=action,
            before=before,
            after=_snapshot(row),
            created_at=now,
        )
    )
    audit.write(
        session,
        f"knowledge.{action}",
        now=now,
        actor=session.get(StaffUser, staff_id) if staff_id is not None else None,
        summary=f"{row.question[:200]} ({row.topic})",
        target=("knowledge", row.id),
        before=before or None,
        after=_snapshot(row),
    )


def create(
    session: Session, form: AnswerForm, *, staff_id: int | None, now: datetime
) -> KnowledgeAnswer:
    """A new answer (or a ward's own version of a topic)."""
    form = form.checked()
    duplicate = session.scalar(
        select(KnowledgeAnswer.id).where(
            KnowledgeAnswer.topic == form.topic,
            KnowledgeAnswer.ward_id.is_(None)
            if form.ward_id is None
            else KnowledgeAnswer.ward_id == form.ward_id,
        )
    )
    if duplicate is not None:
        raise KnowledgeError("Chủ đề này đã có câu trả lời cho phạm vi đã chọn; hãy sửa câu đó.")
    row = KnowledgeAnswer(
        topic=form.topic,
        ward_id=form.ward_id,
        question=form.question,
        phrasings=form.phrasings,
        answer=form.answer,
        created_at=now,
    )
    session.add(row)
    _record(session, row, staff_id, "create", {}, now)
    return row


def update(
    session: Session, row: KnowledgeAnswer, form: AnswerForm, *, staff_id: int | None, now: datetime
) -> None:
    """Change the wording of an answer (its topic and ward stay)."""
    form = form.checked()
    before = _snapshot(row)
    row.question, row.phrasings, row.answer = form.question, form.phrasings, form.answer
    _record(session, row, staff_id, "update", before, now)


def set_active(
    session: Session, row: KnowledgeAnswer, active: bool, *, staff_id: int | None, now: datetime
) -> None:
    """Hide an answer from citizens, or show it again."""
    before = _snapshot(row)
    row.active = active
    _record(session, row, staff_id, "show" if active else "hide", before, now)


def history(session: Session, row: KnowledgeAnswer) -> list[KnowledgeAnswerChange]:
    return list(
        session.scalars(
            select(KnowledgeAnswerChange)
            .where(KnowledgeAnswerChange.answer_id == row.id)
            .order_by(KnowledgeAnswerChange.id.desc())
        )
    )
