"""Reference data an administrator edits: wards, Front units, categories, agencies, routing,
holidays and response templates."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, utcnow


class Ward(Base):
    """A current ward (phường) of the former Tam Kỳ city."""

    __tablename__ = "wards"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    full_name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    aliases: Mapped[list[WardAlias]] = relationship(back_populates="ward", cascade="all")


class WardAlias(Base):
    """Another name residents use for a ward: an old unit, a khối phố, a thôn, a street."""

    __tablename__ = "ward_aliases"
    __table_args__ = (UniqueConstraint("folded", "ward_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("wards.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    folded: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # old_unit, khoi_pho, thon, street, landmark

    ward: Mapped[Ward] = relationship(back_populates="aliases")


class OrgUnit(Base):
    """A Front committee; ward committees cover one ward each."""

    __tablename__ = "org_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("wards.id"), unique=True)
    email: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    ward: Mapped[Ward | None] = relationship()


class Category(Base):
    """A field (lĩnh vực) of the taxonomy; the classifier's labels."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # The legal type a petition of this field gets when nothing better is known.
    default_legal_type: Mapped[str | None] = mapped_column(String(16))
    # Working days an agency gets for a phản ánh in this field (None: the workflow's default).
    handler_wd: Mapped[int | None] = mapped_column(Integer)


class Agency(Base):
    """A body petitions are forwarded to (UBND phường, police, a Sở, a service company).

    `contact_email` holds the agency's official addresses, comma-separated; `confirmed` says an
    administrator checked the name and addresses (seeded bodies start unconfirmed, without
    addresses: none is ever guessed).
    """

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("wards.id"), index=True)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(200))
    head_title: Mapped[str | None] = mapped_column(String(200))
    head_email: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")

    ward: Mapped[Ward | None] = relationship()

    @property
    def contact_addresses(self) -> list[str]:
        """The official addresses, in the order staff entered them."""
        parts = (self.contact_email or "").replace(";", ",").split(",")
        return [p.strip() for p in parts if p.strip()]


class RoutingRule(Base):
    """One candidate agency for a field, optionally per ward (NULL = any ward) and keywords.

    Rows sharing (category, ward, keywords) form one rule; `priority` orders its candidates.
    `keywords` is a comma-separated list matched without diacritics; `note` says why.
    """

    __tablename__ = "routing_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("wards.id"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    priority: Mapped[int] = mapped_column(Integer, default=0)
    keywords: Mapped[str] = mapped_column(String(300), default="")
    note: Mapped[str] = mapped_column(String(300), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    agency: Mapped[Agency] = relationship()


class Holiday(Base):
    """A day off (or, with working_day, a compensating working Saturday)."""

    __tablename__ = "holidays"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    working_day: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(32), default="seed")


class ResponseTemplate(Base):
    """A Vietnamese text with {placeholders}: bot messages, staff replies, letters, emails."""

    __tablename__ = "response_templates"
    __table_args__ = (UniqueConstraint("key", "category_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    title: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
