"""The reports the Front sends upward: each version of a period's report, frozen once sent."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class ReportVersion(Base):
    """One version of the report of a period (2026-11, 2026-Q4, 2026) for the area or a ward.

    Version 1 is the first draft; a correction of a sent report is the next version, with its
    reason. A sent version never changes (the figures, the text and the header are frozen);
    the unique key keeps a retried job from drafting the same version twice.
    """

    __tablename__ = "report_versions"
    __table_args__ = (UniqueConstraint("period", "scope", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(8))
    scope: Mapped[str] = mapped_column(String(40))  # "all" or a ward code
    version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(8), default="draft")  # draft, sent
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    as_of: Mapped[datetime]
    narrative: Mapped[str] = mapped_column(Text, default="")
    number: Mapped[str] = mapped_column(String(40), default="")
    place: Mapped[str] = mapped_column(String(100), default="")
    issued_on: Mapped[date] = mapped_column(Date)
    signer_title: Mapped[str] = mapped_column(String(200), default="")
    signer_name: Mapped[str] = mapped_column(String(200), default="")
    recipients: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
