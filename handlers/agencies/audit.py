"""The audit of agency settings: every change to an agency, its liaisons or a routing rule.

One function writes it, in the caller's transaction: a row for the agency's own history and
an entry in the office's audit log (so «Nhật ký hoạt động» shows these changes beside all others).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from handlers import audit
from handlers.workflow import Actor
from storage.models import AgencyChange


def record_change(
    session: Session,
    actor: Actor,
    *,
    entity: str,
    entity_id: int | None,
    action: str,
    detail: dict[str, Any],
    now: datetime,
) -> AgencyChange:
    """Write who changed what (before/after values in `detail`)."""
    row = AgencyChange(
        actor_id=actor.id,
        entity=entity,
        entity_id=entity_id,
        action=action,
        detail=detail,
        created_at=now,
    )
    session.add(row)
    audit.write(
        session,
        f"{entity}.{action}",
        now=now,
        actor=actor,
        summary=describe(detail),
        target=(entity, entity_id) if entity_id is not None else None,
        after=detail,
    )
    return row


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The fields that changed, as {field: [old, new]}."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


FIELD_LABELS = {
    "name": "Tên",
    "kind": "Loại",
    "ward_id": "Phường",
    "contact_name": "Người liên hệ",
    "contact_email": "Địa chỉ thư",
    "head_title": "Chức danh thủ trưởng",
    "head_email": "Thư thủ trưởng",
    "active": "Hoạt động",
    "confirmed": "Đã xác nhận",
    "notes": "Ghi chú",
    "username": "Tài khoản",
}


def describe(detail: dict[str, Any]) -> str:
    """A change in words for the history list: 'Địa chỉ thư: (trống) → a@b; Đã xác nhận: có'."""
    parts = []
    for key, value in detail.items():
        label = FIELD_LABELS.get(key)
        if label is None:
            continue
        if isinstance(value, list) and len(value) == 2:
            parts.append(f"{label}: {_word(value[0])} → {_word(value[1])}")
        else:
            parts.append(f"{label}: {_word(value)}")
    return "; ".join(parts)


def _word(value: Any) -> str:
    if value is None or value == "":
        return "(trống)"
    if isinstance(value, bool):
        return "có" if value else "không"
    return str(value)
