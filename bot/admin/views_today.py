"""Hôm nay: the landing page — what needs work today in the user's scope, with charts."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

from bot.admin import charts
from bot.admin.blueprint import actor, bp, utcnow
from bot.database import db_session
from handlers import overview
from handlers.workflow import WorkCalendar, local_date


@bp.get("/today")
def today() -> ResponseReturnValue:
    """Figures linking to their lists, late agencies, and two small charts."""
    s = db_session()
    who = actor()
    now = utcnow()
    day = local_date(now)
    cal = WorkCalendar.load(s)
    late = [] if who.is_liaison else overview.agencies_late(s, who, today=day)
    base = url_for("admin.inbox").rstrip("/")

    def agency_link(i: int) -> str:
        return f"{base}/?agency={late[i].agency_id}&overdue=1&sort=deadline"

    return render_template(
        "admin/today.html",
        figures=overview.figures(s, who, now=now, cal=cal),
        late=late,
        base=base,
        today=day,
        working=cal.is_working_day(day),
        is_liaison=who.is_liaison,
        weekly=charts.weekly_bars(
            overview.weekly(s, who, today=day), "Hồ sơ tiếp nhận và đã đóng theo tuần"
        ),
        late_chart=charts.agency_bars(
            [(a.name, a.count) for a in late], "Hồ sơ quá hạn theo cơ quan", agency_link
        ),
    )


# Addresses earlier staff emails carried: each now opens the page it meant.
@bp.get("/dashboard")
def legacy_dashboard() -> Response:
    return redirect(url_for("admin.today"))


@bp.get("/petitions")
def legacy_petitions() -> Response:
    return redirect(url_for("admin.inbox", sort="deadline"))


@bp.get("/supervision")
def legacy_supervision() -> Response:
    return redirect(url_for("admin.letters", kind="agenda"))
