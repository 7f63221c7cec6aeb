"""The holiday calendar administrators keep: days off and compensating working Saturdays."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import extract, select

from bot.admin import auditing, forms
from bot.admin.blueprint import MANAGERS, actor, bp, require_role, utcnow
from bot.admin.keep import keep_form, kept, refused
from bot.database import db_session
from handlers.workflow import InvalidInput, WorkCalendar, local_date, move_off_day
from storage.models import Holiday


@bp.get("/holidays")
def holidays() -> ResponseReturnValue:
    """One year's days off and làm-bù Saturdays."""
    require_role(*MANAGERS)
    year = request.args.get("year", "")
    year_n = int(year) if year.isdigit() else local_date(utcnow()).year
    rows = db_session().scalars(
        select(Holiday).where(extract("year", Holiday.day) == year_n).order_by(Holiday.day)
    )
    return render_template(
        "admin/holidays.html", rows=list(rows), year=year_n, kept=kept("holiday")
    )


@bp.post("/holidays")
def holiday_add() -> ResponseReturnValue:
    """Add (or change) one day; clocks computed from now on use it, and deadlines already set
    on a day that becomes a day off run to the next working day."""
    require_role(*MANAGERS)
    s = db_session()
    try:
        day = forms.day(request.form, "day")
        name = forms.text(request.form, "name", 200)
        if day is None or not name:
            raise InvalidInput("Cần nhập ngày và tên.")
    except InvalidInput as exc:
        flash(str(exc), "error")
        keep_form("holiday", request.form)  # the form comes back as typed
        return refused(holidays())
    row = s.scalar(select(Holiday).where(Holiday.day == day)) or Holiday(day=day)
    before = {"name": row.name, "working_day": row.working_day} if row.id else None
    row.name, row.working_day, row.source = name, forms.flag(request.form, "working_day"), "admin"
    s.add(row)
    auditing.record(
        "holiday.save",
        summary=f"Lưu ngày {day:%d/%m/%Y} trong lịch nghỉ",
        target=("holiday", day.isoformat()),
        before=before,
        after={"name": name, "working_day": row.working_day},
    )
    s.flush()
    cal = WorkCalendar.load(s)
    moved = move_off_day(s, day, cal, utcnow(), actor())
    s.commit()
    flash(f"Đã lưu ngày {day:%d/%m/%Y}.", "ok")
    if moved:
        to = cal.next_working_day(day)
        flash(f"Hạn của {moved} hồ sơ rơi vào ngày này được chuyển sang {to:%d/%m/%Y}.", "info")
    return redirect(url_for("admin.holidays", year=day.year))


@bp.post("/holidays/<int:hid>/delete")
def holiday_delete(hid: int) -> ResponseReturnValue:
    require_role(*MANAGERS)
    s = db_session()
    row = s.get(Holiday, hid)
    if row is None:
        abort(404)
    year = row.day.year
    auditing.record(
        "holiday.delete",
        summary=f"Xóa ngày {row.day:%d/%m/%Y} khỏi lịch nghỉ",
        target=("holiday", row.day.isoformat()),
        before={"name": row.name, "working_day": row.working_day},
    )
    s.delete(row)
    s.commit()
    flash("Đã xóa ngày khỏi lịch.", "ok")
    return redirect(url_for("admin.holidays", year=year))
