"""The platform door: inbound webhook events, the outbox, and Zalo's OAuth tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow
from storage.models.enums import InboundState, OutboxState


class InboundEvent(Base):
    """A webhook delivery exactly as received, committed before Zalo gets its 200."""

    __tablename__ = "inbound_events"
    __table_args__ = (
        Index("ix_inbound_events_state_next", "state", "next_attempt_at"),
        Index("ix_inbound_events_subject_state", "subject", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(200), unique=True)
    event_name: Mapped[str] = mapped_column(String(64))
    # The citizen (or follower, anonymous id) it concerns: their events are processed in order.
    subject: Mapped[str | None] = mapped_column(String(64))
    raw_body: Mapped[bytes] = mapped_column(LargeBinary)
    signature_variant: Mapped[str | None] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(16), default=InboundState.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    deliveries: Mapped[int] = mapped_column(Integer, default=1)
    event_time: Mapped[datetime | None]
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    processed_at: Mapped[datetime | None]


class OutboxMessage(Base):
    """A message that must leave (Zalo or email), written with the change that caused it."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_state_next", "state", "next_attempt_at"),
        Index("ix_outbox_messages_citizen_state", "citizen_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(200))
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id", ondelete="SET NULL"))
    petition_id: Mapped[int | None] = mapped_column(
        ForeignKey("petitions.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40), default="text")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    dedup_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    state: Mapped[str] = mapped_column(String(16), default=OutboxState.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    claimed_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class ZaloToken(Base):
    """One access/refresh pair; the newest row is current. Old rows are kept for the audit."""

    __tablename__ = "zalo_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    access_token: Mapped[str] = mapped_column(Text)
    refresh_token: Mapped[str] = mapped_column(Text)
    access_expires_at: Mapped[datetime]
    refresh_expires_at: Mapped[datetime]
    source: Mapped[str] = mapped_column(String(32), default="refresh")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Set when refreshing this pair failed for good: sends stop until a new pair is stored.
    refresh_failed_at: Mapped[datetime | None]
    refresh_error: Mapped[str | None] = mapped_column(Text)
