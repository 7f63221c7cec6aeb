"""A day declared off after deadlines were set on it: they run to the next working day.

No deadline falls on a day off (clocks.py); one already set on a day that becomes a day off
moves as if computed today, with a line in each petition's trail saying why.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.workflow.actors import Actor, as_actor
from handlers.workflow.calendar import WorkCalendar, local_date
from handlers.workflow.clocks import refresh_next_due
from handlers.workflow.core import record
from storage.models import Forward, Petition, StaffUser
from storage.models.enums import PetitionState as S

#: Each of the petition's own deadlines, and the states in which it is running (a forward's
#: is Forward.handler_due_on); the decision notice runs until the Front decides.
RUNNING = {
    "triage_due_on": (S.RECEIVED, S.REOPENED, S.TRIAGED),
    "triage_hard_due_on": (S.RECEIVED, S.REOPENED, S.TRIAGED),
    "decision_due_on": (S.RECEIVED, S.REOPENED, S.TRIAGED, S.NEED_INFO),
    "result_relay_due_on": (S.AGENCY_ANSWERED,),
}


def move_off_day(
    session: Session, day: date, cal: WorkCalendar, now: datetime, actor: Actor | StaffUser
) -> int:
    """Move the running deadlines still ahead that fall on `day`, now off; return how many
    petitions had one.

    A missed deadline stays missed (its reminders were sent), one whose step is over stays
    as it was, and working-day spans across the new day off are not recounted: the officer
    extends a forward where that matters.
    """
    if cal.is_working_day(day) or day < local_date(now):
        return 0
    to = cal.next_working_day(day)
    moved: dict[int, Petition] = {}
    for name, states in RUNNING.items():
        column = getattr(Petition, name)
        query = select(Petition).where(column == day, Petition.state.in_(states))
        if name == "decision_due_on":
            query = query.where(Petition.decided_at.is_(None))
        for petition in session.scalars(query):
            setattr(petition, name, to)
            moved[petition.id] = petition
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
