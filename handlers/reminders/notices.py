"""Post a digest: one "Việc cần làm" item for the group, and an email to each person who
asked for every notice at once (the others read it in their daily digest of items).

Everything is queued in the caller's transaction, the one that claimed the digest's reminder
rows, so a digest exists exactly when its rows do. Item and email dedup keys derive from the
first claimed row's key, which no other pass can claim again.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from handlers.outbox import queue_email
from handlers.reminders.audience import Person
from handlers.reminders.texts import Rendered
from handlers.tasks import raise_item

logger = logging.getLogger(__name__)

#: Email modes that get a notice the moment it is posted (handlers.tasks.EMAIL_MODES).
AT_ONCE = frozenset({"all"})
#: The supervisors' morning figures are a digest themselves: digest readers get them too.
DIGEST_READERS = frozenset({"all", "digest"})


def dedup(*parts: object) -> str:
    """An outbox dedup key from parts, hashed when it would not fit the column."""
    key = "rem:" + ":".join(str(p) for p in parts)
    return key if len(key) <= 200 else "rem:" + hashlib.sha256(key.encode()).hexdigest()


def post(
    session: Session,
    *,
    key: str,
    kind: str,
    rendered: Rendered,
    people: Sequence[Person],
    now: datetime,
    role: str | None = None,
    ward_id: int | None = None,
    agency_id: int | None = None,
    petition_id: int | None = None,
    link: str | None = None,
    item: bool = True,
    modes: frozenset[str] = AT_ONCE,
) -> int:
    """Raise the item (unless `item` is False) and queue the emails of those whose email mode
    is in `modes` (by default: who want each notice at once); return how many were queued."""
    if item:
        raised = raise_item(
            session,
            kind=kind,
            title=rendered.subject,
            body=rendered.body,
            now=now,
            role=role,
            ward_id=ward_id,
            agency_id=agency_id,
            petition_id=petition_id,
            key=f"item:{key}",
            link=link,
        )
        raised.emailed_at = now  # those who want it at once get it below
    emails = 0
    for person in people:
        if person.email_mode in modes and person.email and "@" in person.email:
            queue_email(
                session,
                to=person.email,
                subject=rendered.subject,
                body=rendered.body,
                dedup_key=dedup(key, "staff", person.id),
            )
            emails += 1
    return emails


def email_address(
    session: Session,
    *,
    key: str,
    to: str | None,
    rendered: Rendered,
    attachments: Sequence[str] = (),
) -> int:
    """Queue one email to an outside address (an agency's contact); 0 when it has none."""
    if not to or "@" not in to:
        return 0
    queue_email(
        session,
        to=to,
        subject=rendered.subject,
        body=rendered.body,
        dedup_key=dedup(key, "to", to),
        attachments=attachments,
    )
    return 1
