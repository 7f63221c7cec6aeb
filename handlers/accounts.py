"""Staff accounts: creation with scope checks and argon2 password hashes."""

from __future__ import annotations

from collections.abc import Sequence

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Agency, StaffUser, Ward
from storage.models.enums import Role

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    """The account cannot be created or changed as asked."""


def hash_password(password: str) -> str:
    """An argon2id hash (salted, memory-hard)."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether the password matches; never raises on a bad hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: str,
    ward_codes: Sequence[str] = (),
    agency_code: str | None = None,
    display_name: str = "",
    email: str | None = None,
) -> StaffUser:
    """Create a staff user; staff need wards, agency liaisons need exactly one agency."""
    if role not in set(Role):
        raise AccountError(f"unknown role: {role}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    if session.scalar(select(StaffUser.id).where(StaffUser.username == username)):
        raise AccountError(f"user {username} already exists")
    wards = _wards(session, ward_codes)
    if role == Role.STAFF and not wards:
        raise AccountError("staff users need at least one --unit (ward code)")
    agency = _agency(session, agency_code) if agency_code else None
    if role == Role.AGENCY and agency is None:
        raise AccountError("agency liaisons need --agency")
    user = StaffUser(
        username=username,
        password_hash=hash_password(password),
        role=role,
        display_name=display_name or username,
        email=email,
        agency=agency,
        wards=wards,
    )
    session.add(user)
    session.flush()
    return user


def _wards(session: Session, codes: Sequence[str]) -> list[Ward]:
    wards = list(session.scalars(select(Ward).where(Ward.code.in_(codes)))) if codes else []
    unknown = set(codes) - {w.code for w in wards}
    if unknown:
        raise AccountError(f"unknown ward code(s): {', '.join(sorted(unknown))}")
    return wards


def _agency(session: Session, code: str) -> Agency:
    agency = session.scalar(select(Agency).where(Agency.code == code))
    if agency is None:
        raise AccountError(f"unknown agency code: {code}")
    return agency
