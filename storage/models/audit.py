"""The general audit log: who did what, when, from where, with the values before and after.

Rows are only ever added. The migration installs database triggers that refuse UPDATE, and
DELETE of anything younger than a year, so no code path can rewrite history; retention may
drop old rows. Entries hold ids, codes and short descriptions, never a citizen's text, name or
phone number, so anonymising personal data never needs to touch them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow

#: Rows younger than this many days cannot be deleted, whatever asks (the triggers' floor).
AUDIT_DELETE_FLOOR_DAYS = 365


class AuditEntry(Base):
    """One audited act: a sign-in, a view of personal data, an export, a change."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_actor_at", "actor_id", "at"),
        Index("ix_audit_log_petition_at", "petition_id", "at"),
        Index("ix_audit_log_kind_at", "kind", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(40))
    actor_type: Mapped[str] = mapped_column(String(16))
    # No foreign keys: an entry outlives the user, petition or row it speaks of.
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str | None] = mapped_column(String(64))
    petition_id: Mapped[int | None] = mapped_column(Integer)
    target_type: Mapped[str | None] = mapped_column(String(24))
    target_id: Mapped[str | None] = mapped_column(String(80))
    summary: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
