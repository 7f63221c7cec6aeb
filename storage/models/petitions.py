"""Petitions, their thread, attachments, forwards, audit trail, notes and training labels."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, utcnow
from storage.models.enums import Channel, PetitionState
from storage.models.people import Citizen, StaffUser
from storage.models.reference import Agency, Category, OrgUnit, Ward


class CodeSequence(Base):
    """The last tracking-code number issued for a prefix and month (TK-2611-000123)."""

    __tablename__ = "code_sequences"

    prefix: Mapped[str] = mapped_column(String(16), primary_key=True)
    period: Mapped[str] = mapped_column(String(4), primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class Petition(Base):
    """A citizen's petition (phản ánh, kiến nghị) and its clocks."""

    __tablename__ = "petitions"
    __table_args__ = (
        Index("ix_petitions_state_received", "state", "received_at"),
        Index("ix_petitions_ward_state_received", "ward_id", "state", "received_at"),
        Index("ix_petitions_state_next_due", "state", "next_due_at"),
        Index("ix_petitions_category_state", "category_id", "state"),
        Index("ix_petitions_assignee_state", "assignee_id", "state"),
        # The inbox's two sort orders with keyset paging.
        Index("ix_petitions_received_id", "received_at", "id"),
        Index("ix_petitions_next_due_id", "next_due_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(32), unique=True)
    state: Mapped[str] = mapped_column(String(24), default=PetitionState.DRAFT)
    channel: Mapped[str] = mapped_column(String(16), default=Channel.ZALO)
    citizen_id: Mapped[int | None] = mapped_column(
        ForeignKey("citizens.id", ondelete="SET NULL"), index=True
    )
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("wards.id"))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    legal_type: Mapped[str | None] = mapped_column(String(16))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str | None] = mapped_column(String(300))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    callback_phone: Mapped[str | None] = mapped_column(String(32))
    reporter_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(200))
    # Lower-case, diacritics folded code + text + phone: the inbox's search key for those
    # who may read the petition in full (Front staff).
    search_text: Mapped[str] = mapped_column(Text, default="")
    # The same key over what an agency may read (handlers.agencies.disclosure): liaisons
    # search this one, so nothing masked from them can be found by guessing.
    agency_search_text: Mapped[str] = mapped_column(Text, default="")
    # What the NLP suggested (top 3, confidence, ward, urgency, legal type, model version).
    suggestions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    category_confidence: Mapped[float | None] = mapped_column(Float)
    needs_manual_classification: Mapped[bool] = mapped_column(Boolean, default=False)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("petitions.id", ondelete="SET NULL"), index=True
    )
    received_at: Mapped[datetime | None]
    triaged_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    result_sent_at: Mapped[datetime | None]
    # When and how the result actually reached the citizen (zalo kinds, email, phone call,
    # letter, in person); result_sent_at only says staff released it.
    result_delivered_at: Mapped[datetime | None]
    result_delivered_via: Mapped[str | None] = mapped_column(String(16))
    result_delivery_note: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None]
    close_reason: Mapped[str | None] = mapped_column(String(24))
    # Clocks: due dates are local calendar dates (working-day arithmetic happens in handlers).
    triage_due_on: Mapped[date | None] = mapped_column(Date)
    triage_hard_due_on: Mapped[date | None] = mapped_column(Date)
    decision_due_on: Mapped[date | None] = mapped_column(Date)
    result_relay_due_on: Mapped[date | None] = mapped_column(Date)
    paused_at: Mapped[datetime | None]
    paused_days: Mapped[int] = mapped_column(Integer, default=0)
    # The nearest open deadline, kept in step by the workflow: sorts and filters the inbox.
    next_due_at: Mapped[datetime | None]
    satisfied: Mapped[bool | None] = mapped_column(Boolean)
    # When its personal data was erased (a deletion request, or the retention period after
    # closing); the category, ward, dates and states stay for the reports.
    anonymised_at: Mapped[datetime | None]
    rating: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    citizen: Mapped[Citizen | None] = relationship()
    unit: Mapped[OrgUnit | None] = relationship()
    ward: Mapped[Ward | None] = relationship()
    category: Mapped[Category | None] = relationship()
    assignee: Mapped[StaffUser | None] = relationship()
    agency_redaction: Mapped[AgencyRedaction | None] = relationship(viewonly=True)


class AgencyRedaction(Base):
    """What an agency reads of a protected petition (a tố cáo), as a Front officer reviewed it.

    A protected petition is forwarded only once this exists and still matches the petition's
    summary and text (`source_digest`); the names and addresses staff took out (`hidden`)
    are then removed from everything else an agency reads about it.
    """

    __tablename__ = "agency_redactions"

    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petitions.id", ondelete="CASCADE"), primary_key=True
    )
    summary: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    hidden: Mapped[list[str]] = mapped_column(JSON, default=list)
    source_digest: Mapped[str] = mapped_column(String(64))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    confirmed_at: Mapped[datetime]


class PetitionMessage(Base):
    """One message of a petition's thread (citizen, bot, or staff via Zalo's own tool)."""

    __tablename__ = "petition_messages"
    __table_args__ = (Index("ix_petition_messages_petition_created", "petition_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int | None] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"))
    citizen_id: Mapped[int | None] = mapped_column(
        ForeignKey("citizens.id", ondelete="CASCADE"), index=True
    )
    inbound_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("inbound_events.id", ondelete="SET NULL")
    )
    direction: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(24), default="text")
    zalo_msg_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    text: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    attachments: Mapped[list[Attachment]] = relationship(back_populates="message")


class Attachment(Base):
    """A file kept as evidence, stored under its content hash."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("petition_messages.id", ondelete="CASCADE"), index=True
    )
    petition_id: Mapped[int | None] = mapped_column(
        ForeignKey("petitions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    storage_path: Mapped[str | None] = mapped_column(String(400))
    mime_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None] = mapped_column(Integer)
    original_name: Mapped[str | None] = mapped_column(String(300))
    source_url: Mapped[str | None] = mapped_column(Text)
    download_error: Mapped[str | None] = mapped_column(Text)
    # Not to be fetched before this time: a worker's claim on the download, or a back-off.
    fetch_after: Mapped[datetime | None]
    redacted_from_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    message: Mapped[PetitionMessage | None] = relationship(back_populates="attachments")


class Forward(Base):
    """A petition sent to an agency; each one starts its own handler clock (deadline_version)."""

    __tablename__ = "forwards"
    __table_args__ = (Index("ix_forwards_active_due", "active", "handler_due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petitions.id", ondelete="CASCADE"), index=True
    )
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    channel: Mapped[str] = mapped_column(String(24))
    document_number: Mapped[str | None] = mapped_column(String(64))
    sent_on: Mapped[date] = mapped_column(Date)
    handler_due_on: Mapped[date] = mapped_column(Date)
    deadline_version: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    acknowledged_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    answer_text: Mapped[str | None] = mapped_column(Text)
    answer_attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    # The agency's answer as a document: its number, date and every file (attachment ids).
    answer_document_number: Mapped[str | None] = mapped_column(String(64))
    answer_document_date: Mapped[date | None] = mapped_column(Date)
    answer_files: Mapped[list[int]] = mapped_column(JSON, default=list)
    # "Not within our competence": the handler clock stops and the Front re-routes.
    returned_at: Mapped[datetime | None]
    return_reason: Mapped[str | None] = mapped_column(Text)
    return_suggestion: Mapped[str | None] = mapped_column(String(300))
    # No foreign key: see migration 0004 (SQLite cannot add one without rebuilding forwards).
    suggested_agency_id: Mapped[int | None] = mapped_column(Integer)
    slip_path: Mapped[str | None] = mapped_column(String(400))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    agency: Mapped[Agency] = relationship()


class PetitionEvent(Base):
    """The audit trail: who did what to a petition, from which state to which, and when."""

    __tablename__ = "petition_events"
    __table_args__ = (
        Index("ix_petition_events_petition_created", "petition_id", "created_at"),
        Index("ix_petition_events_created_at", "created_at"),  # reports: what changed since
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"))
    actor_type: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str | None] = mapped_column(String(24))
    to_state: Mapped[str | None] = mapped_column(String(24))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PetitionNote(Base):
    """An internal note by staff; never shown to the citizen."""

    __tablename__ = "petition_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petitions.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ClassificationLabel(Base):
    """A staff-confirmed or corrected label: training data for the next model."""

    __tablename__ = "classification_labels"
    __table_args__ = (UniqueConstraint("petition_id", "field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(24))  # category, ward, urgent, legal_type
    predicted: Mapped[str | None] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(40))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
