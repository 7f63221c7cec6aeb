"""The office's versions of the messages: saved only when they pass the guide's checks,
reset to the default, each change audited with the text before and after."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import audit
from handlers.message_guide import Entry, problems
from storage.models import ResponseTemplate, StaffUser


def override(session: Session, key: str) -> ResponseTemplate | None:
    """The office's row for a key (any field-specific rows are staff replies, not this)."""
    return session.scalar(
        select(ResponseTemplate).where(
            ResponseTemplate.key == key, ResponseTemplate.category_id.is_(None)
        )
    )


def overrides(session: Session) -> dict[str, ResponseTemplate]:
    """Every general row by key."""
    rows = session.scalars(select(ResponseTemplate).where(ResponseTemplate.category_id.is_(None)))
    return {r.key: r for r in rows}


def save(
    session: Session,
    item: Entry,
    body: str,
    subject: str | None,
    *,
    by: StaffUser,
    now: datetime,
) -> list[str]:
    """Store the office's text (problems, when it cannot be stored; nothing is written)."""
    body = body.replace("\r\n", "\n")
    found = problems(item, body, subject)
    if found:
        return found
    row = override(session, item.key)
    before = _texts(row, item)
    if row is None:
        row = ResponseTemplate(key=item.key, title=item.key, body=body)
        session.add(row)
    row.body, row.active, row.updated_at = body, True, now
    if item.is_email:
        row.title = (subject or "").strip()
    old, new = audit.changes(before, _texts(row, item))
    if new:
        audit.write(
            session,
            "template.update",
            now=now,
            actor=by,
            summary=f"Sửa mẫu «{item.key}»",
            target=("template", item.key),
            before=old,
            after=new,
        )
    return []


def reset(session: Session, item: Entry, *, by: StaffUser, now: datetime) -> bool:
    """Go back to the catalogue's text; False when there was nothing to reset."""
    row = override(session, item.key)
    if row is None:
        return False
    audit.write(
        session,
        "template.reset",
        now=now,
        actor=by,
        summary=f"Khôi phục mẫu mặc định «{item.key}»",
        target=("template", item.key),
        before=_texts(row, item),
        after=_texts(None, item),
    )
    session.delete(row)
    return True


def _texts(row: ResponseTemplate | None, item: Entry) -> dict[str, str | None]:
    body = row.body if row is not None else item.default_body
    values: dict[str, str | None] = {"body": body[:2000]}
    if item.is_email:
        values["title"] = row.title if row is not None and row.title else item.default_subject
    return values
