"""The staff's working day: chase letters to sign and send, and saved inbox filters."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class ChaseLetter(Base):
    """A document the agency ladder drafted (first or second đôn đốc letter, or a supervision
    proposal), until staff record its number, signer and the date it was sent."""

    __tablename__ = "chase_letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    reminder_id: Mapped[int] = mapped_column(
        ForeignKey("reminders.id", ondelete="CASCADE"), unique=True
    )
    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petitions.id", ondelete="CASCADE"), index=True
    )
    forward_id: Mapped[int | None] = mapped_column(ForeignKey("forwards.id", ondelete="CASCADE"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # letter1, letter2, agenda
    # Relative to LETTER_DIR: the draft with blanks, and the copy filled when it was sent.
    draft_path: Mapped[str | None] = mapped_column(String(400))
    final_path: Mapped[str | None] = mapped_column(String(400))
    # The placeholder values the draft was filled with (the final copy reuses them).
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    document_number: Mapped[str | None] = mapped_column(String(64))
    signer: Mapped[str | None] = mapped_column(String(200))
    sent_on: Mapped[date | None] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class SavedFilter(Base):
    """An inbox filter an officer named and keeps (the query string of the inbox)."""

    __tablename__ = "saved_filters"
    __table_args__ = (UniqueConstraint("staff_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(80))
    query: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
