"""A day declared off after deadlines were set on it: they run to the next working day.

No deadline falls on a day off (clocks.py); one already set on a day that becomes a day off
moves as if computed today, with a line in each petition's trail saying why.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from handlers.workflow.actors import Actor, as_actor
from handlers.workflow.calendar import WorkCalendar, local_date
from handlers.workflow.clocks import refresh_next_due
from handlers.workflow.core import record
from storage.models import Forward, Petition, StaffUser
from storage.models.enums import PetitionState as S

#: The petition's own deadline columns (a forward's is Forward.handler_due_on).
DUE_COLUMNS = ("triage_due_on", "triage_hard_due_on", "decision_due_on", "result_relay_due_on")


def move_off_day(
    session: Session, day: date, cal: WorkCalendar, now: datetime, actor: Actor | StaffUser
) -> int:
    """Move the deadlines still ahead that fall on `day`, now off; return how many petitions.

    A missed deadline stays missed (its reminders were sent), and working-day spans across
    the new day off are not recounted: the officer extends a forward where that matters.
    """
    if cal.is_working_day(day) or day < local_date(now):
        return 0
    to = cal.next_working_day(day)
    columns = [getattr(Petition, name) for name in DUE_COLUMNS]
    open_ones = select(Petition).where(Petition.state != S.CLOSED)
    moved = {p.id: p for p in session.scalars(open_ones.where(or_(*(c == day for c in columns))))}
    for petition in moved.values():
        for name in DUE_COLUMNS:
            if getattr(petition, name) == day:
                setattr(petition, name, to)
    forwards = select(Forward).where(
        Forward.handler_due_on == day, Forward.active, Forward.answered_at.is_(None)
    )
    for forward in session.scalars(forwards).all():
        forward.handler_due_on = to
        moved.setdefault(forward.petition_id, session.get_one(Petition, forward.petition_id))
    who = as_actor(actor)
    note = f"Ngày {day:%d/%m/%Y} được đặt là ngày nghỉ: hạn chuyển sang {to:%d/%m/%Y}"
    for petition in moved.values():
        refresh_next_due(session, petition, cal)
        record(session, petition, who, "deadline_moved", now=now, note=note)
    return len(moved)
