"""The monthly job: on the first working day of a month, draft last month's reports (the
whole area and each ward) and raise an item for the people who send them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from handlers import tasks
from handlers.jobs import JobContext, JobFn
from handlers.reports.figures import compute_scopes
from handlers.reports.periods import Period, previous_month
from handlers.reports.versions import (
    KIND,
    Scope,
    create_draft,
    item_key,
    latest,
    scope_of,
    ward_scopes,
)
from handlers.workflow.calendar import WorkCalendar, local_date
from storage.db import transaction
from storage.models.enums import Role

JOB_NAME = "monthly-report"


def report_link(period: Period, scope: Scope) -> str:
    """The report page of a period and scope, under the admin view (the files download there)."""
    ward = f"&ward={scope.key}" if scope.ward is not None else ""
    return f"/reports?period={period.key}{ward}"


def _raise_item(session: Session, period: Period, scope: Scope, ctx: JobContext) -> None:
    """Supervisors get the area's item; a ward's officers get their ward's (settled on send)."""
    tasks.raise_item(
        session,
        kind=KIND,
        title=f"Dự thảo báo cáo PAKN {period.label} – {scope.title}: xem, chỉnh sửa và gửi",
        body=(
            f"Số liệu {period.label} đã được tổng hợp thành dự thảo báo cáo ({scope.unit_name}). "
            "Xem lại số liệu và phần nhận định, điền số văn bản, người ký, tải tệp Word/Excel "
            "rồi chốt báo cáo đã gửi."
        ),
        now=ctx.now,
        role=Role.SUPERVISOR if scope.ward is None else Role.STAFF,
        ward_id=scope.ward.id if scope.ward is not None else None,
        key=item_key(period.key, scope.key),
        link=report_link(period, scope),
    )


def monthly_report(ctx: JobContext) -> Mapping[str, Any]:
    """From the month's first working day on, once: last month's drafts and their items."""
    with transaction(ctx.sessions) as session:
        cal = WorkCalendar.load(session)
        today = local_date(ctx.now)
        first_working = cal.next_working_day(today.replace(day=1))
        if today < first_working:
            return {"skipped": "before the first working day", "date": today.isoformat()}
        period = previous_month(ctx.now)
        area = scope_of(session, None)
        scopes = ([area] if area else []) + ward_scopes(session)
        todo = [scope for scope in scopes if latest(session, period, scope) is None]
        _draft(session, period, todo, ctx, cal)
    return {"period": period.key, "drafted": len(todo), "scopes": ",".join(s.key for s in todo)}


def _draft(
    session: Session, period: Period, todo: list[Scope], ctx: JobContext, cal: WorkCalendar
) -> None:
    """The drafts and their items; every scope's figures from one read of the petitions."""
    if not todo:
        return
    wards = [scope.ward for scope in todo]
    figures = compute_scopes(session, period, wards, now=ctx.now, calendar=cal)
    before = compute_scopes(
        session, period.previous(), wards, now=ctx.now, calendar=cal, detail=False
    )
    for scope, current, live in zip(todo, figures, before, strict=True):
        sent = latest(session, period.previous(), scope, sent_only=True)
        previous = sent.figures if sent is not None else live
        create_draft(
            session, period, scope, now=ctx.now, actor_id=None, figures=current, previous=previous
        )
        _raise_item(session, period, scope, ctx)


#: This package's jobs, by their stable names (the scheduler's job ids).
JOBS: Mapping[str, JobFn] = {JOB_NAME: monthly_report}
