"""What a citizen asked of their personal data (copy, correction, consent withdrawal,
deletion), its legal time limit, and how staff carried it out."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, utcnow
from storage.models.people import Citizen


class DataRequest(Base):
    """One data-subject request. The row outlives the citizen's identity: once carried out it
    names the citizen by id only, so the record that the law was followed remains."""

    __tablename__ = "data_requests"
    __table_args__ = (Index("ix_data_requests_state_due", "state", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # copy | correct | withdraw | delete
    channel: Mapped[str] = mapped_column(String(16))  # zalo | walk_in | letter | phone | email
    # What the citizen wrote (a correction's new values); emptied when their data is erased.
    detail: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime]
    due_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), default="open")  # | done | postponed | refused
    # What was done or why not, in Vietnamese, without personal data.
    outcome: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    handled_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    citizen: Mapped[Citizen] = relationship()
