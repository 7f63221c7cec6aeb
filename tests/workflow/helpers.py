"""Builders shared by the workflow and admin tests: citizens, petitions, staff, agencies."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import accounts
from storage.models import Agency, Category, Citizen, Petition, StaffUser, Ward
from storage.models.enums import Channel, LegalType
from storage.models.enums import PetitionState as S
from tests import dates

PASSWORD = "mat-khau-rat-dai-123"
_seq = itertools.count(1)

#: Friday 13 Feb 2026, 10:00 in Vietnam: Tết (16–20 Feb) starts the next Monday. The date is
#: the point: a fact of the seeded calendar, used only with clocks the tests pass in.
BEFORE_TET = datetime(2026, 2, 13, 3, 0, tzinfo=UTC)
#: A past Monday, 09:00 in Vietnam, of an ordinary stretch (a week before and nine weeks after
#: without a holiday): deadlines counted from it are plain day counts, on any date.
ORDINARY_MONDAY = dates.at(dates.ordinary_monday())
#: Its local date.
MONDAY = dates.local_date(ORDINARY_MONDAY)


def ward(session: Session, code: str = "tam_ky") -> Ward:
    return session.scalars(select(Ward).where(Ward.code == code)).one()


def category(session: Session, code: str = "moi_truong") -> Category:
    return session.scalars(select(Category).where(Category.code == code)).one()


def agency(session: Session, code: str = "ubnd_tam_ky") -> Agency:
    return session.scalars(select(Agency).where(Agency.code == code)).one()


def citizen(session: Session, *, zalo: bool = True, phone: str | None = None) -> Citizen:
    n = next(_seq)
    person = Citizen(
        zalo_user_id=f"zu{n:08d}{id(session) % 1000}" if zalo else None,
        display_name=f"Người dân {n}",
        phone=phone,
        consent_at=ORDINARY_MONDAY,
        consent_version="2026-01",
        last_interaction_at=ORDINARY_MONDAY,
    )
    session.add(person)
    session.flush()
    return person


def draft(
    session: Session,
    *,
    text: str = "Rác thải ùn ứ ở đường Phan Chu Trinh, bốc mùi hôi thối.",
    ward_code: str | None = "tam_ky",
    category_code: str | None = "moi_truong",
    legal_type: str | None = LegalType.PHAN_ANH,
    urgent: bool = False,
    person: Citizen | None = None,
    channel: str = Channel.ZALO,
    phone: str | None = None,
) -> Petition:
    petition = Petition(
        state=S.DRAFT,
        channel=channel,
        citizen=person if person is not None else citizen(session),
        ward_id=ward(session, ward_code).id if ward_code else None,
        category_id=category(session, category_code).id if category_code else None,
        legal_type=legal_type,
        urgent=urgent,
        summary=text[:80],
        text=text,
        callback_phone=phone,
        suggestions={
            "category": category_code,
            "confidence": 0.82,
            "top3": [[category_code or "khac", 0.82], ["xay_dung_do_thi", 0.1], ["khac", 0.05]],
            "ward": {"code": ward_code, "name": "Tam Kỳ", "matched": "Tam Kỳ"}
            if ward_code
            else None,
            "urgent": urgent,
            "legal_type": legal_type,
        },
        category_confidence=0.82,
    )
    session.add(petition)
    session.flush()
    return petition


_HASH: list[str] = []


def password_hash() -> str:
    """One argon2 hash of PASSWORD for every test user (hashing is slow on purpose)."""
    if not _HASH:
        _HASH.append(accounts.hash_password(PASSWORD))
    return _HASH[0]


def staff(
    session: Session,
    role: str = "staff",
    *,
    wards: tuple[str, ...] = ("tam_ky",),
    agency_code: str | None = None,
    username: str | None = None,
) -> StaffUser:
    user = StaffUser(
        username=username or f"{role}{next(_seq)}",
        password_hash=password_hash(),
        role=role,
        display_name=f"Cán bộ {role}",
        wards=[ward(session, code) for code in wards] if role == "staff" else [],
        agency=agency(session, agency_code) if role == "agency" and agency_code else None,
    )
    session.add(user)
    session.flush()
    return user


def tiny_png(width: int = 64, height: int = 48) -> bytes:
    """A real PNG (grey with a dark band) without an imaging library."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\x00" + bytes([40 if height // 3 < y < height // 2 else 200] * width * 3)
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def reviewed(session: Session, petition: Petition, actor: object, now: datetime) -> None:
    """A protected petition's text for agencies confirmed as proposed (forwarding waits for
    it); nothing for any other petition."""
    from handlers.agencies import redaction
    from handlers.agencies.review import needs_review

    if needs_review(petition):
        shown = redaction.proposal(petition)
        redaction.confirm(
            session, petition, actor=actor, summary=shown.summary, text=shown.text, now=now
        )
