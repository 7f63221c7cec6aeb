"""Citizens who write to the OA, their conversation state, and staff users."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, utcnow
from storage.models.reference import Agency, Ward


class Citizen(Base):
    """A Zalo user of the OA. Nothing personal is kept beyond the id without consent."""

    __tablename__ = "citizens"

    id: Mapped[int] = mapped_column(primary_key=True)
    zalo_user_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("wards.id"))
    consent_at: Mapped[datetime | None]
    consent_version: Mapped[str | None] = mapped_column(String(32))
    consent_withdrawn_at: Mapped[datetime | None]
    last_interaction_at: Mapped[datetime | None] = mapped_column(index=True)
    following: Mapped[bool] = mapped_column(Boolean, default=True)
    unreachable_at: Mapped[datetime | None]
    # The phone number (84…) the citizen agreed to receive template notices (ZNS) on, and
    # when; Zalo's ZNS policy requires that agreement. Set when Zalo says that number cannot
    # receive them (not on Zalo, refused), so it is not tried again.
    zns_phone: Mapped[str | None] = mapped_column(String(32))
    zns_consent_at: Mapped[datetime | None]
    zns_unreachable_at: Mapped[datetime | None]
    abuse_count: Mapped[int] = mapped_column(Integer, default=0)
    flagged_at: Mapped[datetime | None]
    anonymised_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def has_consent(self) -> bool:
        """Consent given and not withdrawn since."""
        return self.consent_at is not None and (
            self.consent_withdrawn_at is None or self.consent_withdrawn_at < self.consent_at
        )

    @property
    def zns_number(self) -> str | None:
        """The number template notices may go to: agreed to, still consenting, reachable."""
        if not (self.zns_phone and self.zns_consent_at and self.has_consent):
            return None
        if (
            self.consent_withdrawn_at is not None
            and self.consent_withdrawn_at > self.zns_consent_at
        ):
            return None
        return None if self.zns_unreachable_at is not None else self.zns_phone


class Conversation(Base):
    """The bot's state with one citizen; lives in the database so restarts lose nothing."""

    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(
        ForeignKey("citizens.id", ondelete="CASCADE"), unique=True
    )
    step: Mapped[str] = mapped_column(String(40), default="idle")
    draft_petition_id: Mapped[int | None] = mapped_column(
        ForeignKey("petitions.id", ondelete="SET NULL")
    )
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    expires_at: Mapped[datetime | None] = mapped_column(index=True)
    # When a burst of messages has gone quiet and waits for the bot's answer (gathering only).
    due_at: Mapped[datetime | None] = mapped_column(index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


staff_wards = Table(
    "staff_wards",
    Base.metadata,
    Column("staff_id", ForeignKey("staff_users.id", ondelete="CASCADE"), primary_key=True),
    Column("ward_id", ForeignKey("wards.id", ondelete="CASCADE"), primary_key=True),
)


class StaffUser(Base):
    """An officer, supervisor, administrator or agency liaison using the admin view."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Not counted here any more: handlers.login_throttle keeps failures per address and name.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    # Until when the name is softly locked (shown in the account list; set by handlers.signin).
    locked_until: Mapped[datetime | None]
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    # Set by a one-time password or an administrator's reset: the next sign-in must change it.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    last_login_at: Mapped[datetime | None]
    # How "Việc cần làm" reaches this person by email (handlers.tasks.EMAIL_MODES).
    email_mode: Mapped[str] = mapped_column(String(16), default="digest", server_default="digest")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    agency: Mapped[Agency | None] = relationship()
    wards: Mapped[list[Ward]] = relationship(secondary=staff_wards)


class StaffNotification(Base):
    """An item of "Việc cần làm": something a person, or a role in a ward or agency, must act on.

    Raised only through handlers.tasks.raise_item; done by a person or by the workflow action
    that handles it, snoozed until a time, de-duplicated by `dedup_key`.
    """

    __tablename__ = "staff_notifications"
    __table_args__ = (Index("ix_staff_notifications_done_created", "done_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str | None] = mapped_column(String(16))
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("wards.id"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    petition_id: Mapped[int | None] = mapped_column(
        ForeignKey("petitions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    # 2 urgent, 1 high, 0 normal: the list shows the most urgent, then the newest, first.
    priority: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    dedup_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    # A page inside the admin view the item leads to when it is about no single petition.
    link: Mapped[str | None] = mapped_column(String(300))
    read_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL")
    )
    done_note: Mapped[str | None] = mapped_column(String(300))
    snoozed_until: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
