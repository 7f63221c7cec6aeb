"""Small reference tables the pages show by name (wards, fields, agencies, staff)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.workflow import Actor, WorkCalendar, local_date
from handlers.workflow.inbox import is_clocked
from storage.models import Agency, Category, StaffUser, Ward
from storage.models.enums import Role


@dataclass
class Lookups:
    wards: dict[int, Ward]
    categories: dict[int, Category]
    agencies: dict[int, Agency]
    staff: dict[int, StaffUser]

    @classmethod
    def load(cls, session: Session) -> Lookups:
        return cls(
            wards={w.id: w for w in session.scalars(select(Ward).order_by(Ward.sort_order))},
            categories={
                c.id: c for c in session.scalars(select(Category).order_by(Category.sort_order))
            },
            agencies={a.id: a for a in session.scalars(select(Agency).order_by(Agency.name))},
            staff={u.id: u for u in session.scalars(select(StaffUser))},
        )

    def wards_for(self, actor: Actor) -> list[Ward]:
        """The wards a user may pick (their own, or all for supervisors)."""
        return [w for w in self.wards.values() if actor.sees_everything or w.id in actor.ward_ids]

    def officers_for(self, ward_id: int | None) -> list[StaffUser]:
        """Active officers who can be given a petition of this ward."""
        out = []
        for user in self.staff.values():
            if not user.active or user.role == Role.AGENCY:
                continue
            if user.role == Role.STAFF and ward_id not in {w.id for w in user.wards}:
                continue
            out.append(user)
        return sorted(out, key=lambda u: u.display_name or u.username)


def due_day(due: datetime) -> date:
    """The last local day of a deadline stored as 'end of that day' (the next local midnight)."""
    return local_date(due - timedelta(seconds=1))


def deadline_badge(
    state: str, due: datetime | None, now: datetime, cal: WorkCalendar
) -> tuple[str, str]:
    """(css class, text) for a deadline, counted in working days as the rules and the slip
    count them: red once passed, amber on its last working day or the one before."""
    if due is None:
        return "due-none", "—"
    last = due_day(due)
    if not is_clocked(state):
        return "due-wait", f"chờ ý kiến đến {last:%d/%m/%Y}"
    today = local_date(now)
    if now >= due:
        late = cal.working_days_between(last, today)
        if late <= 0:
            return "due-late", f"quá hạn (hạn {last:%d/%m/%Y})"
        return "due-late", f"quá hạn {late} ngày làm việc"
    if last <= today:
        return "due-soon", "hết hạn hôm nay"
    left = cal.working_days_between(today, last)
    return ("due-soon" if left <= 1 else "due-ok"), f"còn {left} ngày làm việc"
