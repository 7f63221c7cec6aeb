"""The agency directory administrators keep: names, kinds, addresses, liaisons, active or not.

Only administrators and supervisors change it; every change is audited in the caller's
transaction. A missing address stays missing: forwards to such an agency go by paper slip.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import accounts
from handlers.agencies.audit import diff, record_change
from handlers.workflow import Actor, InvalidInput, NotAllowed
from nlp.normalize import fold
from storage.models import Agency, StaffUser, Ward
from storage.models.enums import AgencyKind, Role

MANAGER_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR})

KIND_LABELS: dict[str, str] = {
    AgencyKind.WARD_PEOPLES_COMMITTEE: "UBND phường",
    AgencyKind.WARD_OFFICE: "Phòng chuyên môn thuộc UBND phường",
    AgencyKind.WARD_POLICE: "Công an phường",
    AgencyKind.CITY_DEPARTMENT: "Sở, ngành thành phố",
    AgencyKind.BRANCH_OFFICE: "Cơ quan ngành dọc (BHXH…)",
    AgencyKind.SERVICE_COMPANY: "Doanh nghiệp dịch vụ công ích (điện, nước, môi trường)",
    AgencyKind.INSPECTORATE: "Thanh tra",
    AgencyKind.HEALTH_STATION: "Trạm y tế",
    AgencyKind.OTHER: "Khác",
}

#: One address: no spaces, one @, a dotted domain (what SMTP servers accept in practice).
_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(\.[A-Za-z0-9\-]{1,63})+$")
_MAX_ADDRESSES = 200  # the column's width


@dataclass(frozen=True)
class AgencyInput:
    """The agency form, already turned into values."""

    name: str
    kind: str
    ward_id: int | None = None
    contact_name: str = ""
    emails: str = ""
    head_title: str = ""
    head_email: str = ""
    active: bool = True
    confirmed: bool = False
    notes: str = ""


def check_manager(actor: Actor) -> None:
    """Agencies and routing are the whole area's settings."""
    if actor.role not in MANAGER_ROLES:
        raise NotAllowed("Chỉ quản trị viên và lãnh đạo được sửa danh mục cơ quan.")


def parse_emails(text: str) -> list[str]:
    """Addresses from a comma, semicolon or line separated list; each checked, duplicates gone."""
    found: list[str] = []
    bad: list[str] = []
    for raw in re.split(r"[,;\s]+", unicodedata.normalize("NFC", text or "")):
        value = raw.strip().strip("<>").lower()
        if not value:
            continue
        if _EMAIL.match(value) is None:
            bad.append(raw.strip()[:60])
        elif value not in found:
            found.append(value)
    if bad:
        raise InvalidInput("Địa chỉ thư không hợp lệ: " + ", ".join(bad))
    return found


def _clean(text: str, limit: int) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split())[:limit]


def _values(session: Session, data: AgencyInput) -> dict[str, object]:
    """The columns of an agency from the form, validated."""
    name = _clean(data.name, 200)
    if not name:
        raise InvalidInput("Cần nhập tên cơ quan.")
    if data.kind not in KIND_LABELS:
        raise InvalidInput("Loại cơ quan không hợp lệ.")
    if data.ward_id is not None and session.get(Ward, data.ward_id) is None:
        raise InvalidInput("Phường không tồn tại.")
    emails = ", ".join(parse_emails(data.emails))
    if len(emails) > _MAX_ADDRESSES:
        raise InvalidInput("Danh sách địa chỉ thư quá dài (tối đa 200 ký tự).")
    head = parse_emails(data.head_email)
    if len(head) > 1:
        raise InvalidInput("Chỉ nhập một địa chỉ thư của thủ trưởng.")
    return {
        "name": name,
        "kind": data.kind,
        "ward_id": data.ward_id,
        "contact_name": _clean(data.contact_name, 200) or None,
        "contact_email": emails or None,
        "head_title": _clean(data.head_title, 200) or None,
        "head_email": head[0] if head else None,
        "active": data.active,
        "confirmed": data.confirmed,
        "notes": (data.notes or "").strip()[:2000],
    }


def save_agency(
    session: Session, actor: Actor, agency: Agency | None, data: AgencyInput, *, now: datetime
) -> Agency:
    """Create (agency None) or change an agency; audited."""
    check_manager(actor)
    values = _values(session, data)
    before = {k: getattr(agency, k) for k in values} if agency is not None else {}
    if agency is None:
        agency = Agency(code=_new_code(session, str(values["name"])))
        session.add(agency)
    for key, value in values.items():
        setattr(agency, key, value)
    session.flush()
    record_change(
        session,
        actor,
        entity="agency",
        entity_id=agency.id,
        action="update" if before else "create",
        detail=diff(before, values),
        now=now,
    )
    return agency


def _new_code(session: Session, name: str) -> str:
    """A stable code from the name (ascii, underscores), unique."""
    base = re.sub(r"[^a-z0-9]+", "_", fold(name)).strip("_")[:32] or "co_quan"
    taken = set(session.scalars(select(Agency.code).where(Agency.code.like(f"{base}%"))))
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    return code


def liaisons(session: Session, agency_id: int) -> list[StaffUser]:
    """The agency's liaison accounts, active first."""
    return list(
        session.scalars(
            select(StaffUser)
            .where(StaffUser.agency_id == agency_id, StaffUser.role == Role.AGENCY)
            .order_by(StaffUser.active.desc(), StaffUser.username)
        )
    )


def unlinked_liaisons(session: Session) -> list[StaffUser]:
    """Liaison accounts not attached to any agency (to link from the agency screen)."""
    return list(
        session.scalars(
            select(StaffUser)
            .where(StaffUser.role == Role.AGENCY, StaffUser.agency_id.is_(None))
            .order_by(StaffUser.username)
        )
    )


def create_liaison(
    session: Session,
    actor: Actor,
    agency: Agency,
    *,
    username: str,
    display_name: str,
    email: str,
    password: str,
    now: datetime,
) -> StaffUser:
    (
        """A new liaison account for the agency (the general accounts function does the checks).

    The password the manager typed is a temporary one: the liaison replaces it at first sign-in.
    """
        ""
    )
    check_manager(actor)
    address = parse_emails(email)
    try:
        user = accounts.create_user(
            session,
            username=_clean(username, 80),
            password=password,
            role=Role.AGENCY,
            agency_code=agency.code,
            display_name=_clean(display_name, 200),
            email=address[0] if address else None,
        )
    except accounts.AccountError as exc:
        raise InvalidInput(_account_message(str(exc))) from None
    user.must_change_password = True  # the manager knows it: the liaison sets their own
    _audit_liaison(session, actor, agency, user, "create", now)
    return user


def _account_message(error: str) -> str:
    if "already exists" in error:
        return "Tên đăng nhập đã có người dùng."
    if "password" in error:
        return f"Mật khẩu cần ít nhất {accounts.MIN_PASSWORD_LENGTH} ký tự."
    return "Không tạo được tài khoản."


def link_liaison(
    session: Session, actor: Actor, agency: Agency, user: StaffUser, *, now: datetime
) -> None:
    """Attach an existing liaison account to the agency."""
    check_manager(actor)
    if user.role != Role.AGENCY:
        raise InvalidInput("Chỉ gắn được tài khoản có vai trò cán bộ liên lạc của cơ quan.")
    user.agency_id = agency.id
    _audit_liaison(session, actor, agency, user, "link", now)


def unlink_liaison(
    session: Session, actor: Actor, agency: Agency, user: StaffUser, *, now: datetime
) -> None:
    """Detach a liaison: the account keeps existing but sees no petition."""
    check_manager(actor)
    if user.agency_id != agency.id:
        raise InvalidInput("Tài khoản này không thuộc cơ quan.")
    user.agency_id = None
    _audit_liaison(session, actor, agency, user, "unlink", now)


def _audit_liaison(
    session: Session, actor: Actor, agency: Agency, user: StaffUser, action: str, now: datetime
) -> None:
    session.flush()
    record_change(
        session,
        actor,
        entity="liaison",
        entity_id=agency.id,
        action=action,
        detail={"user_id": user.id, "username": user.username},
        now=now,
    )


def form_of(agency: Agency) -> AgencyInput:
    """The form's values for an existing agency."""
    return AgencyInput(
        name=agency.name,
        kind=agency.kind,
        ward_id=agency.ward_id,
        contact_name=agency.contact_name or "",
        emails="\n".join(agency.contact_addresses),
        head_title=agency.head_title or "",
        head_email=agency.head_email or "",
        active=agency.active,
        confirmed=agency.confirmed,
        notes=agency.notes or "",
    )


__all__ = [
    "KIND_LABELS",
    "AgencyInput",
    "check_manager",
    "create_liaison",
    "form_of",
    "liaisons",
    "link_liaison",
    "parse_emails",
    "save_agency",
    "unlink_liaison",
    "unlinked_liaisons",
]
