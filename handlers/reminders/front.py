"""The Front's own clocks: triage, the 10-day decision notice, relaying an agency's result.

Each job sends one digest per ward and audience per pass: the ward's staff for a missed target,
its supervisors at a hard limit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from handlers.jobs import JobContext
from handlers.reminders import engine, ladder, notices, texts
from handlers.reminders.engine import Item, Pass, Planned, by_rung, ward_of
from handlers.reminders.ledger import petition_key
from handlers.workflow.calendar import local_date
from storage.models import Petition
from storage.models.enums import PetitionState as S
from storage.models.enums import Role

#: Which audience hears each rung.
SUPERVISOR_RUNGS = frozenset({ladder.TRIAGE_HARD, ladder.DECISION_LATE})
#: The inbox list each rung's digest links to (paths under /admin).
LINKS = {
    ladder.TRIAGE: "/?state=new&sort=deadline",
    ladder.TRIAGE_HARD: "/?state=new&sort=deadline",
    ladder.DECISION_WARN: "/?state=undecided&sort=deadline",
    ladder.DECISION_LATE: "/?state=undecided&sort=deadline",
    ladder.RELAY: "/?state=agency_answered&sort=deadline",
}

_COLUMNS = (
    Petition.id,
    Petition.code,
    Petition.ward_id,
    Petition.category_id,
    Petition.received_at,
    Petition.triage_due_on,
    Petition.triage_hard_due_on,
    Petition.decision_due_on,
    Petition.result_relay_due_on,
)


def _key(petition_id: int) -> Any:
    return lambda step: petition_key(petition_id, step.rung, step.due_on)


def _triage_items(session: Session, p: Pass) -> Iterable[Item]:
    rows = session.execute(
        select(*_COLUMNS).where(
            Petition.state.in_((S.RECEIVED, S.REOPENED)),
            Petition.paused_at.is_(None),
            or_(Petition.triage_due_on < p.today, Petition.triage_hard_due_on <= p.today),
        )
    )
    for row in rows:
        steps = ladder.triage_steps(p.cal, row.triage_due_on, row.triage_hard_due_on)
        yield Item(row.id, row.ward_id, steps, _key(row.id), row)


def _decision_items(session: Session, p: Pass) -> Iterable[Item]:
    horizon = p.cal.add_working_days(p.today, p.config.ladder.decision_warn_before)
    rows = session.execute(
        select(*_COLUMNS).where(
            Petition.state.in_((S.RECEIVED, S.TRIAGED, S.REOPENED)),
            Petition.paused_at.is_(None),
            Petition.decided_at.is_(None),
            Petition.decision_due_on <= horizon,
        )
    )
    for row in rows:
        steps = ladder.decision_steps(p.cal, row.decision_due_on, p.config.ladder)
        yield Item(row.id, row.ward_id, steps, _key(row.id), row)


def _relay_items(session: Session, p: Pass) -> Iterable[Item]:
    rows = session.execute(
        select(*_COLUMNS).where(
            Petition.state == S.AGENCY_ANSWERED,
            Petition.paused_at.is_(None),
            Petition.result_relay_due_on < p.today,
        )
    )
    for row in rows:
        steps = ladder.relay_steps(p.cal, row.result_relay_due_on)
        yield Item(row.id, row.ward_id, steps, _key(row.id), row)


def _line(p: Pass, pl: Planned) -> str:
    row = pl.item.row
    received = texts.fmt_date(local_date(row.received_at)) if row.received_at else "?"
    return (
        f"{row.code} — {p.category(row.category_id)} — tiếp nhận {received}, "
        f"hạn {texts.fmt_date(pl.act.due_on)}"
    )


def digest_by_rung(
    session: Session, p: Pass, ward_id: Hashable, acted: list[Planned]
) -> Mapping[str, int]:
    """One digest per rung for the ward: staff for targets, supervisors at hard limits."""
    counts: Counter[str] = Counter()
    ward = ward_of(ward_id)
    for rung, members in by_rung(acted).items():
        members.sort(key=lambda pl: pl.item.row.code or "")
        supervisor = rung in SUPERVISOR_RUNGS
        rendered = texts.render(
            session,
            f"reminder.{rung}",
            ward=p.ward_name(ward),
            count=len(members),
            items=texts.item_lines([_line(p, pl) for pl in members]),
            link=p.link(LINKS[rung]),
        )
        counts["emails"] += notices.post(
            session,
            key=min(pl.act.key for pl in members),
            kind=f"reminder.{rung}",
            rendered=rendered,
            people=p.audience.supervisors(ward) if supervisor else p.audience.staff(ward),
            now=p.now,
            role=Role.SUPERVISOR if supervisor else Role.STAFF,
            ward_id=ward,
            petition_id=members[0].item.petition_id if len(members) == 1 else None,
            link=LINKS[rung],
        )
        counts["digests"] += 1
    return counts


def triage(ctx: JobContext) -> Mapping[str, Any]:
    """Petitions not triaged within 1 working day → staff; at the 3-day hard limit → supervisor."""
    return engine.run(ctx, _triage_items, digest_by_rung)


def decision(ctx: JobContext) -> Mapping[str, Any]:
    """The 10-day decision notice: 2 working days before → staff; once passed → supervisor."""
    return engine.run(ctx, _decision_items, digest_by_rung)


def relay(ctx: JobContext) -> Mapping[str, Any]:
    """Agency answers not relayed to the citizen within 2 working days → staff."""
    return engine.run(ctx, _relay_items, digest_by_rung)
