"""Việc cần làm: the user's items (most urgent, then newest first), done, snooze, and the
email setting; every item opens the page it is about, after sign-in too."""

from __future__ import annotations

from datetime import datetime, time

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from werkzeug.wrappers import Response

from bot.admin.blueprint import actor, back, bp, current_session, current_user, idle_limit, utcnow
from bot.admin.lookups import Lookups
from bot.database import db_session, start_writing
from handlers import staff_sessions, tasks
from handlers.devices import describe_agent, mask_address
from handlers.workflow import LOCAL_TZ, WorkCalendar, local_date
from storage.models import Petition, StaffNotification
from storage.models.enums import PetitionState

#: Snooze choices: working days ahead (the item comes back at the start of that morning).
SNOOZES = {"1": "Đến sáng ngày làm việc tiếp theo", "3": "3 ngày làm việc", "5": "1 tuần làm việc"}
MORNING = time(7, 30)


def _item(item_id: int) -> StaffNotification:
    """The user's item; anyone else's does not exist for them."""
    item = tasks.item_for(db_session(), actor(), item_id)
    if item is None:
        abort(404)
    return item


@bp.get("/tasks")
def tasks_page() -> ResponseReturnValue:
    """The list, by tab."""
    tab = request.args.get("tab", "open")
    tab = tab if tab in tasks.TABS else "open"
    s = db_session()
    now = utcnow()
    items = tasks.items_for(s, actor(), now=now, tab=tab)
    codes = _codes([i.petition_id for i in items if i.petition_id])
    return render_template(
        "admin/tasks.html",
        items=items,
        codes=codes,
        tab=tab,
        tabs=tasks.TABS,
        kind_label=tasks.kind_label,
        priorities=tasks.PRIORITY_LABELS,
        snoozes=SNOOZES,
        names=Lookups.load(s),
        now=now,
    )


def _codes(ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = db_session().execute(
        select(Petition.id, Petition.code, Petition.state).where(Petition.id.in_(ids))
    )
    return {pid: code for pid, code, state in rows if code and state != PetitionState.DRAFT}


@bp.get("/tasks/<int:item_id>/open")
def task_open(item_id: int) -> Response:
    """Where an item leads: its petition, its page, or the list (the emails link here)."""
    item = _item(item_id)
    if item.read_at is None:
        s = db_session()
        start_writing(s)
        item.read_at = utcnow()
        s.commit()
    return redirect(target_of(item))


def target_of(item: StaffNotification) -> str:
    """The page an item is about (a draft petition has none yet: the list shows the item)."""
    if item.link and item.link.startswith("/") and not item.link.startswith("//"):
        return url_for("admin.inbox").rstrip("/") + item.link
    if item.petition_id is not None and item.petition_id in _codes([item.petition_id]):
        return url_for("admin.petition", pid=item.petition_id)
    return url_for("admin.tasks_page", _anchor=f"item-{item.id}")


@bp.post("/tasks/<int:item_id>/done")
def task_done(item_id: int) -> ResponseReturnValue:
    item = _item(item_id)
    user = current_user()
    note = (request.form.get("note") or "").strip()[:300]
    tasks.finish(item, now=utcnow(), staff_id=user.id if user else None, note=note)
    db_session().commit()
    flash("Đã đánh dấu xong.", "ok")
    return back(url_for("admin.tasks_page"))


@bp.post("/tasks/<int:item_id>/undo")
def task_undo(item_id: int) -> ResponseReturnValue:
    tasks.reopen(_item(item_id))
    db_session().commit()
    flash("Đã đưa việc trở lại danh sách.", "ok")
    return back(url_for("admin.tasks_page", tab="done"))


@bp.post("/tasks/<int:item_id>/snooze")
def task_snooze(item_id: int) -> ResponseReturnValue:
    item = _item(item_id)
    choice = request.form.get("days", "")
    if choice not in SNOOZES:
        abort(400)
    now = utcnow()
    s = db_session()
    day = WorkCalendar.load(s).add_working_days(local_date(now), int(choice))
    until = datetime.combine(day, MORNING, LOCAL_TZ)
    tasks.snooze(item, until=until, now=now)
    s.commit()
    flash(f"Đã hoãn đến {until:%H:%M %d/%m/%Y}.", "ok")
    return back(url_for("admin.tasks_page"))


@bp.get("/me")
def my_settings() -> ResponseReturnValue:
    """The user's own account: how items reach them by email, the devices signed in (one or
    all can be signed out), and the way to the password change."""
    user = current_user()
    assert user is not None  # noqa: S101 - the guard signed them in
    this = current_session()
    rows = staff_sessions.live(db_session(), user, now=utcnow(), idle=idle_limit())
    devices = [
        {
            "id": row.id,
            "what": describe_agent(row.agent),
            "address": mask_address(row.address),
            "created_at": row.created_at,
            "last_seen_at": row.last_seen_at,
            "this": this is not None and row.id == this.id,
        }
        for row in rows
    ]
    devices.sort(key=lambda d: not d["this"])  # this device first, then the latest used
    return render_template(
        "admin/me.html",
        modes=tasks.EMAIL_MODES,
        user=user,
        devices=devices,
        idle_minutes=int(idle_limit().total_seconds() // 60),
    )


@bp.post("/me")
def my_settings_save() -> ResponseReturnValue:
    mode = request.form.get("email_mode", "")
    if mode not in tasks.EMAIL_MODES:
        abort(400)
    user = current_user()
    assert user is not None  # noqa: S101 - the guard signed them in
    user.email_mode = mode
    db_session().commit()
    flash("Đã lưu cách nhận thư.", "ok")
    return redirect(url_for("admin.my_settings"))
