"""Answers the bot gives to citizens' questions, edited by staff, and the record of edits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, utcnow
from storage.models.reference import Ward


class KnowledgeAnswer(Base):
    """One answer ("Hỏi đáp"): for the whole area (ward NULL) or one ward's own version.

    `topic` groups the versions of one answer: a ward's row with the same topic replaces
    the area's row for citizens of that ward. `phrasings` holds example questions, one a
    line; the matcher reads them with the question and the answer.
    """

    __tablename__ = "knowledge_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(80), index=True)
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("wards.id"), index=True)
    question: Mapped[str] = mapped_column(String(300))
    phrasings: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    ward: Mapped[Ward | None] = relationship()


class KnowledgeAnswerChange(Base):
    """Who changed an answer, when, and what it said before and after (the audit)."""

    __tablename__ = "knowledge_answer_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(
        ForeignKey("knowledge_answers.id", ondelete="CASCADE"), index=True
    )
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    action: Mapped[str] = mapped_column(String(16))  # create, update, hide, show
    before: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    after: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
