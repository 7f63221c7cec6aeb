"""Hôm nay: what needs work today in one user's scope, each figure with the inbox list behind it.

Deadlines are `next_due_at` (end of the deadline's local day) of clocked states, the same
value the inbox sorts and filters by, so a figure and its list always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from handlers.chase import count_pending
from handlers.tasks import count_waiting
from handlers.workflow.actors import Actor
from handlers.workflow.calendar import WorkCalendar, end_of_day, local_date, start_of_day
from handlers.workflow.clocks import CLOCKED_STATES, overdue_clause
from handlers.workflow.rules import scope_clause
from storage.models import Agency, Forward, Petition
from storage.models.enums import PetitionState as S

#: "Due this week": the next five working days after today.
WEEK_WD = 5
NEW_STATES = (S.RECEIVED, S.REOPENED)
AT_AGENCY = (S.FORWARDED, S.AGENCY_ACKNOWLEDGED)


@dataclass(frozen=True)
class Figure:
    """One number on the page and the list (a path under /admin) it stands for."""

    key: str
    label: str
    count: int
    link: str
    tone: str = "info"  # late, soon, info


@dataclass(frozen=True)
class AgencyLate:
    agency_id: int
    name: str
    count: int


def due_window(cal: WorkCalendar, now: datetime, which: str) -> tuple[datetime, datetime]:
    """(after, until] of next_due_at for 'today' or 'week' (working days after today)."""
    today = local_date(now)
    if which == "today":
        return now, end_of_day(today)
    return end_of_day(today), end_of_day(cal.add_working_days(today, WEEK_WD))


def due_clause(cal: WorkCalendar, now: datetime, which: str) -> ColumnElement[bool]:
    """Not yet overdue, and due within the window (the inbox's `due` filter)."""
    after, until = due_window(cal, now, which)
    return and_(
        Petition.state.in_(sorted(CLOCKED_STATES)),
        Petition.next_due_at > after,
        Petition.next_due_at <= until,
    )


def _count(session: Session, actor: Actor, *conditions: ColumnElement[bool]) -> int:
    query = select(func.count()).select_from(Petition).where(scope_clause(actor), *conditions)
    return int(session.scalar(query) or 0)


def figures(session: Session, actor: Actor, *, now: datetime, cal: WorkCalendar) -> list[Figure]:
    """The page's figures for this user (a liaison gets their agency's part only)."""

    def count(*conditions: ColumnElement[bool]) -> int:
        return _count(session, actor, *conditions)

    week = f"Đến hạn trong {WEEK_WD} ngày làm việc tới"
    deadlines = [
        Figure("overdue", "Quá hạn", count(overdue_clause(now)), "/?overdue=1", "late"),
        Figure(
            "due_today",
            "Đến hạn hôm nay",
            count(due_clause(cal, now, "today")),
            "/?due=today",
            "soon",
        ),
        Figure("due_week", week, count(due_clause(cal, now, "week")), "/?due=week"),
    ]
    if actor.is_liaison:
        waiting = count(Petition.state.in_(AT_AGENCY))
        return [*deadlines, Figure("at_agency", "Đang chờ cơ quan", waiting, "/?sort=deadline")]
    new = Petition.state.in_(NEW_STATES)
    return [
        Figure(
            "urgent",
            "Khẩn, chưa xử lý",
            count(Petition.urgent.is_(True), new),
            "/?urgent=1&state=new",
            "late",
        ),
        *deadlines,
        Figure("new", "Chờ phân loại", count(new), "/?state=new&sort=deadline"),
        Figure(
            "need_info",
            "Chờ người dân bổ sung",
            count(Petition.state == S.NEED_INFO),
            "/?state=need_info",
        ),
        Figure(
            "answered",
            "Cơ quan đã trả lời, chờ xem xét",
            count(Petition.state == S.AGENCY_ANSWERED),
            "/?state=agency_answered",
            "soon",
        ),
        Figure("letters", "Văn bản chờ ký, gửi", count_pending(session, actor), "/letters"),
        Figure("tasks", "Việc cần làm", count_waiting(session, actor, now=now)[0], "/tasks"),
    ]


def agencies_late(
    session: Session, actor: Actor, *, today: date, limit: int = 8
) -> list[AgencyLate]:
    """Agencies with running forwards past their deadline, most late first."""
    rows = session.execute(
        select(Agency.id, Agency.name, func.count())
        .select_from(Forward)
        .join(Petition, Petition.id == Forward.petition_id)
        .join(Agency, Agency.id == Forward.agency_id)
        .where(
            scope_clause(actor),
            Forward.active.is_(True),
            Forward.answered_at.is_(None),
            Forward.handler_due_on < today,
            Petition.state.in_(AT_AGENCY),
        )
        .group_by(Agency.id, Agency.name)
        .order_by(func.count().desc(), Agency.name)
        .limit(limit)
    )
    return [AgencyLate(aid, name, int(n)) for aid, name, n in rows]


def weekly(
    session: Session, actor: Actor, *, today: date, weeks: int = 8
) -> list[tuple[date, int, int]]:
    """(Monday, received, closed) for the last `weeks` weeks, this week last."""
    monday = today - timedelta(days=today.weekday())
    starts = [monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    bounds = [*starts, monday + timedelta(weeks=1)]
    since = start_of_day(starts[0])
    received = _by_week(session, actor, Petition.received_at, since, bounds)
    closed = _by_week(session, actor, Petition.closed_at, since, bounds)
    return [(start, received[i], closed[i]) for i, start in enumerate(starts)]


def _by_week(
    session: Session,
    actor: Actor,
    column: InstrumentedAttribute[datetime | None],
    since: datetime,
    bounds: list[date],
) -> list[int]:
    """How many instants of `column` fall in each week (bucketed here: portable SQL)."""
    instants = session.scalars(select(column).where(scope_clause(actor), column >= since))
    counts = [0] * (len(bounds) - 1)
    for instant in instants:
        if instant is None:
            continue
        day = local_date(instant)
        for i in range(len(counts)):
            if bounds[i] <= day < bounds[i + 1]:
                counts[i] += 1
                break
    return counts
