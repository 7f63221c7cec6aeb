"""Việc cần làm by email: urgent items at once, the rest in one morning digest per person,
as each person chose (StaffUser.email_mode, see handlers.tasks.EMAIL_MODES).

Every link opens the item through the admin view (`/admin/tasks/<id>/open`), which asks for
sign-in if needed and then goes where the item leads. Dedup keys (item and person, or person
and day) make a re-run or a second scheduler queue nothing twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from handlers.jobs import JobContext
from handlers.outbox import queue_email
from handlers.reminders import texts
from handlers.tasks import (
    PRIORITY_LABELS,
    URGENT,
    count_waiting,
    is_visible,
    items_for,
    kind_label,
)
from handlers.workflow.actors import Actor
from handlers.workflow.calendar import WorkCalendar, local_date
from storage.db import transaction
from storage.models import StaffNotification, StaffUser

#: Items older than this when first seen are left to the digest (a restart, a migration).
FRESH = timedelta(days=1)
ALERT_BATCH = 500
DIGEST_LINES = 30


@dataclass(frozen=True)
class Reader:
    actor: Actor
    name: str
    email: str
    mode: str


def readers(session: Session, modes: frozenset[str]) -> list[Reader]:
    """Active users with an address whose email mode is one of `modes`."""
    users = session.scalars(
        select(StaffUser)
        .where(StaffUser.active.is_(True), StaffUser.email_mode.in_(sorted(modes)))
        .options(selectinload(StaffUser.wards))
        .order_by(StaffUser.id)
    )
    return [
        Reader(Actor.of_staff(u), u.display_name or u.username, u.email, u.email_mode)
        for u in users
        if u.email and "@" in u.email
    ]


def wants(mode: str, item: StaffNotification) -> bool:
    """Whether this mode emails this item the moment it is raised."""
    return mode == "all" or (mode in ("digest", "urgent") and item.priority >= URGENT)


def alert(ctx: JobContext) -> Mapping[str, Any]:
    """New items, once each: urgent ones to everyone they concern, the rest to 'all' readers."""
    links = ctx.services.reminders.admin_url.rstrip("/")
    with transaction(ctx.sessions) as session:
        items = session.scalars(
            select(StaffNotification)
            .where(
                StaffNotification.emailed_at.is_(None),
                StaffNotification.done_at.is_(None),
                StaffNotification.created_at >= ctx.now - FRESH,
            )
            .order_by(StaffNotification.id)
            .limit(ALERT_BATCH)
        ).all()
        if not items:
            return {"items": 0, "emails": 0}
        people = readers(session, frozenset({"all", "digest", "urgent"}))
        emails = 0
        for item in items:
            for reader in people:
                if wants(reader.mode, item) and is_visible(item, reader.actor):
                    _send_item(session, item, reader, links)
                    emails += 1
            item.emailed_at = ctx.now
    return {"items": len(items), "emails": emails}


def _send_item(session: Session, item: StaffNotification, reader: Reader, links: str) -> None:
    urgent = item.priority >= URGENT
    rendered = texts.render(
        session,
        "tasks.alert" if urgent else "tasks.item",
        name=reader.name,
        # The alert's subject says KHẨN already; an urgent item's own title often does too.
        title=item.title.removeprefix("KHẨN: ") if urgent else item.title,
        body=item.body or kind_label(item.kind),
        link=f"{links}/tasks/{item.id}/open",
        tasks=f"{links}/tasks",
        settings=f"{links}/me",
    )
    queue_email(
        session,
        to=reader.email,
        subject=rendered.subject,
        body=rendered.body,
        dedup_key=f"tasks:item:{item.id}:u{reader.actor.id}",
    )


def digest(ctx: JobContext) -> Mapping[str, Any]:
    """Each working morning: one email per 'digest' reader listing their waiting items."""
    links = ctx.services.reminders.admin_url.rstrip("/")
    with transaction(ctx.sessions) as session:
        today = local_date(ctx.now)
        if not WorkCalendar.load(session).is_working_day(today):
            return {"skipped": "not a working day", "date": today.isoformat()}
        sent = 0
        for reader in readers(session, frozenset({"digest"})):
            items = items_for(session, reader.actor, now=ctx.now, limit=DIGEST_LINES)
            if not items:
                continue
            total, urgent = count_waiting(session, reader.actor, now=ctx.now)
            lines = [
                f"[{PRIORITY_LABELS.get(i.priority, 'Thường')}] {i.title}\n"
                f"      {links}/tasks/{i.id}/open"
                for i in items
            ]
            rendered = texts.render(
                session,
                "tasks.digest",
                name=reader.name,
                date=texts.fmt_date(today),
                count=total,
                urgent=f" ({urgent} khẩn)" if urgent else "",
                items=texts.item_lines(lines, limit=DIGEST_LINES),
                tasks=f"{links}/tasks",
                today=f"{links}/today",
                settings=f"{links}/me",
            )
            queue_email(
                session,
                to=reader.email,
                subject=rendered.subject,
                body=rendered.body,
                dedup_key=f"tasks:digest:u{reader.actor.id}:{today.isoformat()}",
            )
            sent += 1
    return {"date": today.isoformat(), "digests": sent}
