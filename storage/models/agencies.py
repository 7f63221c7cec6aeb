"""What agencies and the Front exchange about a forwarded petition: extension requests, the
internal thread, the log of emails sent to agencies, and the audit of agency settings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class ExtensionRequest(Base):
    """An agency asks for more time on a forward; the Front approves or refuses."""

    __tablename__ = "extension_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petitions.id", ondelete="CASCADE"), index=True
    )
    forward_id: Mapped[int] = mapped_column(ForeignKey("forwards.id", ondelete="CASCADE"))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    reason: Mapped[str] = mapped_column(Text)
    proposed_due_on: Mapped[date] = mapped_column(Date)
    # pending, approved, refused, withdrawn (the forward ended before a decision)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(Text, default="")
    granted_due_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AgencyMessage(Base):
    """One message of the internal thread between the Front and an agency on a petition.

    Never shown to the citizen; the agency sees it only through the disclosure filter.
    """

    __tablename__ = "agency_messages"
    __table_args__ = (
        Index("ix_agency_messages_petition_agency", "petition_id", "agency_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    from_agency: Mapped[bool] = mapped_column(Boolean, default=False)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AgencyDelivery(Base):
    """One email to one address of an agency about one forward, and how it ended.

    The outbox row carries the sending state; `failed_at` is set once, when the Front officer
    was told the address refused the email or sending gave up.
    """

    __tablename__ = "agency_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petitions.id", ondelete="CASCADE"), index=True
    )
    forward_id: Mapped[int | None] = mapped_column(ForeignKey("forwards.id", ondelete="SET NULL"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    outbox_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="SET NULL"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(24))
    recipient: Mapped[str] = mapped_column(String(200))
    recipient_kind: Mapped[str] = mapped_column(String(16))  # contact | liaison
    subject: Mapped[str] = mapped_column(String(300))
    attachments: Mapped[list[str]] = mapped_column(JSON, default=list)
    failed_at: Mapped[datetime | None]
    failure: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AgencyChange(Base):
    """Who changed an agency, its liaisons or a routing rule, when, and what."""

    __tablename__ = "agency_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    entity: Mapped[str] = mapped_column(String(24))  # agency, liaison, routing
    entity_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(24))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
