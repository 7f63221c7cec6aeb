"""The satisfaction question: asked again when unanswered, closed after 10 working days.

Auto-close goes through the workflow (handlers.workflow.staff.close with the system actor),
so the audit trail, the close reason ("no answer") and the citizen's notice are the usual ones.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from handlers.jobs import JobContext
from handlers.reminders import engine, ladder, notices, texts
from handlers.reminders.citizens import ask_feedback_again
from handlers.reminders.engine import Item, Pass, Planned, by_rung, ward_of
from handlers.reminders.ledger import petition_key
from handlers.workflow.actors import SYSTEM
from handlers.workflow.calendar import end_of_day, local_date
from handlers.workflow.clocks import FEEDBACK_STATES
from handlers.workflow.errors import WorkflowError
from handlers.workflow.staff import close
from storage.models import Petition, Reminder
from storage.models.enums import CloseReason, Role

logger = logging.getLogger(__name__)

AUTO_CLOSE_NOTE = "Tự động đóng: công dân không phản hồi sau 10 ngày làm việc kể từ khi có kết quả."


def _items(session: Session, p: Pass) -> Iterable[Item]:
    # The latest send date whose reminder can be due today (a result sent on a day off counts
    # from the next working day, so the days off after `earliest` qualify too).
    earliest = p.cal.add_working_days(p.today, -p.config.ladder.feedback_remind_after)
    latest = p.cal.next_working_day(earliest + timedelta(days=1)) - timedelta(days=1)
    sent_at = func.coalesce(Petition.result_sent_at, Petition.decided_at)
    rows = session.execute(
        select(Petition.id, Petition.code, Petition.ward_id, sent_at.label("sent_at")).where(
            Petition.state.in_(sorted(FEEDBACK_STATES)),
            Petition.satisfied.is_(None),
            Petition.paused_at.is_(None),
            sent_at < end_of_day(latest),
        )
    )
    for row in rows:
        sent_on = local_date(row.sent_at)
        steps = ladder.feedback_steps(p.cal, sent_on, p.config.ladder)

        def key_of(step: ladder.Step, pid: int = row.id) -> str:
            return petition_key(pid, step.rung, step.due_on)

        yield Item(row.id, row.ward_id, steps, key_of, row)


def _auto_close(session: Session, p: Pass, members: list[Planned]) -> int:
    ids = [pl.item.petition_id for pl in members]
    # One query for the petitions and their citizens (the workflow would load each lazily).
    loaded = {
        x.id: x
        for x in session.scalars(
            select(Petition).where(Petition.id.in_(ids)).options(selectinload(Petition.citizen))
        )
    }
    closed = 0
    for pl in members:
        petition = loaded.get(pl.item.petition_id)
        if petition is None:
            continue
        try:
            with session.begin_nested():
                close(
                    session,
                    petition,
                    actor=SYSTEM,
                    reason=CloseReason.NO_ANSWER,
                    now=p.now,
                    note=AUTO_CLOSE_NOTE,
                )
            closed += 1
        except WorkflowError as exc:
            # The petition moved on between reading and acting; keep the reason on the row.
            logger.warning("auto-close of petition %s refused: %s", petition.id, type(exc).__name__)
            session.execute(
                update(Reminder)
                .where(Reminder.key == pl.act.key)
                .values(data={"refused": type(exc).__name__})
            )
    return closed


def handle(session: Session, p: Pass, group: Hashable, acted: list[Planned]) -> Mapping[str, int]:
    """Ask again, or close; staff see the closed ones in their inbox (no email)."""
    ward, rungs = ward_of(group), by_rung(acted)
    counts: Counter[str] = Counter()
    asked = rungs[ladder.FEEDBACK_REMIND]
    if asked:
        counts["citizens"] += ask_feedback_again(
            session, [(pl.item.petition_id, pl.act.key) for pl in asked], p.now
        )
    closing = rungs[ladder.FEEDBACK_CLOSE]
    if closing:
        counts["closed"] += _auto_close(session, p, closing)
        rendered = texts.Rendered(
            f"{len(closing)} hồ sơ tự động đóng (công dân không phản hồi) — {p.ward_name(ward)}",
            texts.item_lines(sorted(pl.item.row.code or "" for pl in closing)),
        )
        notices.post(
            session,
            key=min(pl.act.key for pl in closing),
            kind="reminder.auto-close",
            rendered=rendered,
            people=[],
            now=p.now,
            role=Role.STAFF,
            ward_id=ward,
        )
    return counts


def _bounded(p: Pass, planned: list[Planned]) -> list[Planned]:
    """Every reminder, and the oldest auto-closes up to the per-run cap."""
    closing = sorted(
        (pl for pl in planned if pl.act.rung == ladder.FEEDBACK_CLOSE),
        key=lambda pl: (pl.act.due_on or date.min, pl.item.petition_id),
    )
    kept = {id(pl) for pl in closing[: p.config.auto_close_per_run]}
    return [pl for pl in planned if pl.act.rung != ladder.FEEDBACK_CLOSE or id(pl) in kept]


def satisfaction(ctx: JobContext) -> Mapping[str, Any]:
    """Ask unanswered satisfaction questions again; auto-close after 10 working days."""
    batch = ctx.services.reminders.close_batch
    return engine.run(ctx, _items, handle, limit=_bounded, batch_size=batch)
