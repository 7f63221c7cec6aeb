"""Scenario builders for the reminder tests: petitions moved by the real workflow, jobs run
with an injected clock, and readers for what came out (ledger, outbox, notifications)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from handlers import workflow as wf
from handlers.jobs import JobContext, run_job
from handlers.reminders.config import ReminderConfig
from handlers.reminders.jobs import JOBS
from handlers.services import Services
from storage.models import (
    Agency,
    Forward,
    OutboxMessage,
    Petition,
    Reminder,
    StaffNotification,
    StaffUser,
)
from storage.models.enums import Channel, LegalType
from tests.workflow import helpers as h

VN = ZoneInfo("Asia/Ho_Chi_Minh")

#: Every reminder job, in the scheduler table's order.
REMINDER_JOBS = (
    "supervisors-digest",
    "reminders-triage",
    "reminders-decision",
    "reminders-relay",
    "reminders-agency",
    "reminders-satisfaction",
)


def at(day: date, hour: int = 8, minute: int = 30) -> datetime:
    """A local time in Vietnam as an aware UTC instant."""
    return datetime.combine(day, time(hour, minute), VN).astimezone(UTC)


def config(letter_dir: Path, **changes: Any) -> ReminderConfig:
    return ReminderConfig(letter_dir=str(letter_dir), **changes)


def run(
    sessions: sessionmaker[Session], name: str, now: datetime, cfg: ReminderConfig
) -> Mapping[str, Any]:
    """Run one job once, as the scheduler or `flask jobs run --now` would."""
    ctx = JobContext(sessions=sessions, now=now, services=Services(reminders=cfg))
    return run_job(JOBS, name, ctx)


def run_all(
    sessions: sessionmaker[Session], now: datetime, cfg: ReminderConfig
) -> dict[str, Mapping[str, Any]]:
    return {name: run(sessions, name, now, cfg) for name in REMINDER_JOBS}


def officer(session: Session, ward: str = "tam_ky", email: str | None = None) -> StaffUser:
    user = h.staff(session, "staff", wards=(ward,))
    user.email = email or f"{user.username}@mttq.test"
    user.email_mode = "all"  # these tests read each notice's email; digests are tested apart
    return user


def supervisor(session: Session, email: str | None = None) -> StaffUser:
    user = h.staff(session, "supervisor")
    user.email = email or f"{user.username}@mttq.test"
    user.email_mode = "all"
    return user


def liaison(session: Session, agency_code: str = "ubnd_tam_ky") -> StaffUser:
    user = h.staff(session, "agency", agency_code=agency_code)
    user.email = f"{user.username}@ubnd.test"
    user.email_mode = "all"
    return user


def agency(session: Session, code: str = "ubnd_tam_ky") -> Agency:
    found = h.agency(session, code)
    found.contact_email = found.contact_email or f"vanthu.{code}@tamky.test"
    found.head_email = found.head_email or f"chutich.{code}@tamky.test"
    return found


def received(
    session: Session,
    when: datetime,
    *,
    ward: str = "tam_ky",
    zalo: bool = True,
    legal_type: str = LegalType.PHAN_ANH,
) -> Petition:
    """A petition submitted at `when` through the workflow."""
    person = h.citizen(session, zalo=zalo)
    person.last_interaction_at = when
    petition = h.draft(
        session,
        ward_code=ward,
        person=person,
        legal_type=legal_type,
        channel=Channel.ZALO if zalo else Channel.WALK_IN,
    )
    wf.submit(session, petition, now=when)
    return petition


def triaged(session: Session, petition: Petition, when: datetime, actor: StaffUser) -> Petition:
    return wf.triage(
        session,
        petition,
        actor=actor,
        category_id=petition.category_id,
        ward_id=petition.ward_id,
        legal_type=petition.legal_type,
        urgent=False,
        now=when,
    )


def forwarded(
    session: Session,
    when: datetime,
    due: date,
    actor: StaffUser,
    *,
    ward: str = "tam_ky",
    agency_code: str = "ubnd_tam_ky",
    zalo: bool = True,
    petition: Petition | None = None,
) -> tuple[Petition, Forward]:
    """Submitted, triaged and forwarded at `when` with the handler deadline `due`."""
    p = petition or received(session, when, ward=ward, zalo=zalo)
    if p.state == "received":
        triaged(session, p, when, actor)
    fwd = wf.forward(
        session,
        p,
        actor=actor,
        agency=agency(session, agency_code),
        channel="van_ban",
        document_number=f"{p.id}/MTTQ-BTT",
        sent_on=wf.local_date(when),
        handler_due_on=due,
        now=when,
    )
    return p, fwd


def rungs(session: Session, petition: Petition) -> list[tuple[str, date, bool]]:
    """(rung, local day it was created, superseded) of the petition's ledger rows."""
    rows = session.scalars(
        select(Reminder).where(Reminder.petition_id == petition.id).order_by(Reminder.id)
    )
    return [
        (r.rung, wf.local_date(r.created_at), bool((r.data or {}).get("superseded_by")))
        for r in rows
    ]


def fired(session: Session, petition: Petition) -> dict[str, date]:
    """rung → the day it fired (superseded rungs left out)."""
    return {rung: day for rung, day, superseded in rungs(session, petition) if not superseded}


def days(start: date, end: date) -> list[date]:
    """Every calendar day from start to end, inclusive."""
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def walk(
    sessions: sessionmaker[Session],
    start: date,
    end: date,
    cfg: ReminderConfig,
    jobs: tuple[str, ...] = REMINDER_JOBS,
) -> None:
    """Run the jobs every morning (08:30), weekends and holidays included."""
    for day in days(start, end):
        for name in jobs:
            run(sessions, name, at(day), cfg)


def outbox(session: Session, channel: str | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if channel:
        query = query.where(OutboxMessage.channel == channel)
    return list(session.scalars(query))


def reminder_emails(session: Session) -> list[OutboxMessage]:
    """Emails the reminder jobs queued (their dedup keys start with rem:)."""
    return [m for m in outbox(session, "email") if (m.dedup_key or "").startswith("rem:")]


def citizen_messages(session: Session, petition: Petition) -> list[str]:
    rows = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.petition_id == petition.id, OutboxMessage.channel == "zalo")
        .where(OutboxMessage.dedup_key.like("rem:%"))
        .order_by(OutboxMessage.id)
    )
    return [str(m.payload.get("text", "")) for m in rows]


def notifications(session: Session, kind_prefix: str = "reminder.") -> list[StaffNotification]:
    return list(
        session.scalars(
            select(StaffNotification)
            .where(StaffNotification.kind.like(f"{kind_prefix}%"))
            .order_by(StaffNotification.id)
        )
    )
