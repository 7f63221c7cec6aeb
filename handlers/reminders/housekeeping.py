"""Daily supervisors' digest.

The other housekeeping jobs (Zalo token refresh, outbox drain, inbound retries, stale drafts)
belong to their owners; bot/scheduler.py only schedules them by name.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from handlers.jobs import JobContext
from handlers.reminders import notices, texts
from handlers.reminders.engine import Pass, open_pass
from handlers.reminders.ladder import AGENCY_AGENDA
from handlers.reminders.ledger import Rung, claim
from handlers.workflow.calendar import start_of_day
from handlers.workflow.clocks import overdue_clause
from storage.db import transaction
from storage.models import Forward, Petition, Reminder, StaffNotification
from storage.models.enums import OPEN_STATES, Role
from storage.models.enums import PetitionState as S

DIGEST_RUNG = "supervisors-digest"
WAITING_AGENCY = (S.FORWARDED, S.AGENCY_ACKNOWLEDGED)


def _figures(session: Session, p: Pass) -> dict[int | None, Counter[str]]:
    """Per ward: open work, overdue, agencies late, letters and agenda items this week."""
    figures: dict[int | None, Counter[str]] = defaultdict(Counter)
    by_state = session.execute(
        select(Petition.ward_id, Petition.state, func.count())
        .where(Petition.state.in_(sorted(OPEN_STATES)))
        .group_by(Petition.ward_id, Petition.state)
    )
    for ward_id, state, n in by_state:
        figures[ward_id]["open"] += n
        if state == S.RECEIVED:
            figures[ward_id]["to_triage"] += n
        if state in WAITING_AGENCY:
            figures[ward_id]["at_agency"] += n
    for ward_id, n in session.execute(
        select(Petition.ward_id, func.count())
        .where(overdue_clause(p.now))
        .group_by(Petition.ward_id)
    ):
        figures[ward_id]["overdue"] += n
    late = session.execute(
        select(Petition.ward_id, func.count())
        .select_from(Forward)
        .join(Petition, Petition.id == Forward.petition_id)
        .where(
            Forward.active.is_(True),
            Forward.answered_at.is_(None),
            Forward.handler_due_on < p.today,
        )
        .group_by(Petition.ward_id)
    )
    for ward_id, n in late:
        figures[ward_id]["agency_late"] += n
    week_ago = start_of_day(p.cal.add_working_days(p.today, -5))
    recent = session.execute(
        select(Petition.ward_id, Reminder.rung, func.count())
        .select_from(Reminder)
        .join(Petition, Petition.id == Reminder.petition_id)
        .where(
            Reminder.created_at >= week_ago,
            or_(Reminder.letter_path.is_not(None), Reminder.rung == AGENCY_AGENDA),
        )
        .group_by(Petition.ward_id, Reminder.rung)
    )
    for ward_id, rung, n in recent:
        figures[ward_id]["agenda" if rung == AGENCY_AGENDA else "letters"] += n
    return figures


_LABELS = (
    ("open", "Hồ sơ đang xử lý"),
    ("to_triage", "Chờ phân loại"),
    ("overdue", "Quá hạn (Mặt trận hoặc cơ quan)"),
    ("at_agency", "Đang chờ cơ quan giải quyết"),
    ("agency_late", "Cơ quan đã quá hạn"),
    ("letters", "Văn bản đôn đốc soạn trong 5 ngày làm việc qua"),
    ("agenda", "Đưa vào chương trình giám sát trong 5 ngày làm việc qua"),
)


def _lines(p: Pass, figures: dict[int | None, Counter[str]]) -> list[str]:
    wards: list[int | None] = [*sorted(p.wards)]
    if figures.get(None):
        wards.append(None)
    lines = []
    for ward in wards:
        summary = "; ".join(f"{label.lower()}: {figures[ward][name]}" for name, label in _LABELS)
        lines.append(f"{p.ward_name(ward)} — {summary}")
    return lines


def supervisors_digest(ctx: JobContext) -> Mapping[str, Any]:
    """Each working morning, once: every ward's figures to the supervisors (else the admins)."""
    with transaction(ctx.sessions) as session:
        p = open_pass(session, ctx)
        if not p.cal.is_working_day(p.today):
            return {"skipped": "not a working day", "date": p.today.isoformat()}
        key = f"digest:supervisors:{p.today.isoformat()}"
        rung = Rung(key=key, rung=DIGEST_RUNG, petition_id=None, due_on=p.today)
        if not claim(session, [rung], now=p.now):
            return {"date": p.today.isoformat(), "digests": 0}
        rendered = texts.render(
            session,
            "reminder.supervisors",
            date=texts.fmt_date(p.today),
            items=texts.item_lines(_lines(p, _figures(session, p)), limit=200),
            link=p.link("/today"),
        )
        people = p.audience.supervisors(None)
        # Yesterday's figures are superseded by today's: one figures item at a time.
        session.execute(
            update(StaffNotification)
            .where(
                StaffNotification.kind == "reminder.supervisors",
                StaffNotification.done_at.is_(None),
            )
            .values(done_at=p.now, done_note="Đã có số liệu mới")
        )
        emails = notices.post(
            session,
            key=key,
            kind="reminder.supervisors",
            rendered=rendered,
            people=people,
            now=p.now,
            role=Role.SUPERVISOR,
            link="/today",
            modes=notices.DIGEST_READERS,
        )
    return {"date": p.today.isoformat(), "digests": 1, "emails": emails}
