"""What the inbox does with many petitions at once: bulk actions, saved filters, exports."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from flask import Response, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.admin import auditing, forms
from bot.admin.blueprint import actor, bp, current_user, require_role, utcnow
from bot.admin.lookups import Lookups
from bot.admin.views_inbox import parse_filter, query_args
from bot.database import db_session
from handlers import audit
from handlers import workflow as wf
from handlers.agencies.disclosure import agency_summary
from handlers.workflow import LOCAL_TZ, WorkCalendar, WorkflowError
from handlers.workflow.inbox import export_rows
from handlers.workflow.labels import LEGAL_TYPE_LABELS, STAFF_STATE_LABELS
from handlers.workflow.rules import STAFF_ROLES
from storage.models import Petition, SavedFilter, StaffUser

logger = logging.getLogger(__name__)

BULK_LIMIT = 200
Action = Callable[[Session, Petition, wf.Actor, datetime], None]


def _bulk_action(s: Session, form: forms.Form) -> Action:
    """The chosen action, its inputs checked once before any petition is touched."""
    name = form.get("bulk_action", "")
    if name == "assign":
        uid = forms.integer(form, "assignee", required=False)
        assignee = s.get(StaffUser, uid) if uid else None
        if uid and assignee is None:
            raise wf.InvalidInput("Không tìm thấy cán bộ.")

        def assign(s: Session, p: Petition, who: wf.Actor, now: datetime) -> None:
            wf.assign(s, p, actor=who, assignee=assignee, now=now)

        return assign
    if name == "close":
        reason, note = forms.text(form, "reason"), forms.text(form, "note", 1000)
        if not reason:
            raise wf.InvalidInput("Cần chọn lý do đóng hồ sơ.")

        def close(s: Session, p: Petition, who: wf.Actor, now: datetime) -> None:
            wf.close(s, p, actor=who, reason=reason, note=note, now=now)

        return close
    if name == "merge":
        ref = forms.text(form, "master", 40).upper()
        master = s.scalar(select(Petition).where(Petition.code == ref))
        if master is None or not wf.in_scope(s, actor(), master):
            raise wf.InvalidInput("Không tìm thấy hồ sơ chính.")

        def merge(s: Session, p: Petition, who: wf.Actor, now: datetime) -> None:
            if p.id != master.id:
                wf.merge(s, p, actor=who, master=master, now=now)

        return merge
    raise wf.InvalidInput("Cần chọn thao tác.")


@bp.post("/bulk")
def bulk() -> ResponseReturnValue:
    """Assign, merge into one master, or close with a reason: each petition on its own (one
    refused petition does not undo the others), each audited by the workflow."""
    require_role(*STAFF_ROLES)
    s = db_session()
    ids = [int(x) for x in request.form.getlist("ids") if x.isdigit()][:BULK_LIMIT]
    back_to = url_for("admin.inbox") + "?" + (request.form.get("query") or "")
    if not ids:
        flash("Chưa chọn hồ sơ nào.", "error")
        return redirect(back_to)
    try:
        act = _bulk_action(s, request.form)
    except wf.InvalidInput as exc:
        flash(str(exc), "error")
        return redirect(back_to)
    done, refused = _apply(s, ids, act)
    s.commit()
    flash(f"Đã thực hiện với {done} hồ sơ.", "ok")
    if refused:
        flash("Không thực hiện được với: " + "; ".join(refused), "error")
    return redirect(back_to)


def _apply(s: Session, ids: list[int], act: Action) -> tuple[int, list[str]]:
    who, now = actor(), utcnow()
    done, refused = 0, []
    for pid in ids:
        p = s.get(Petition, pid)
        if p is None or p.state == "draft" or not wf.in_scope(s, who, p):
            continue  # not theirs: it does not exist for them
        try:
            with s.begin_nested():
                act(s, p, who, now)
            done += 1
        except WorkflowError as exc:
            refused.append(f"{p.code} ({exc})")
    return done, refused


@bp.post("/filters")
def filter_save() -> ResponseReturnValue:
    """Keep the current filter under a name (one per name and person)."""
    user = current_user()
    name = forms.text(request.form, "name", 80)
    query = (request.form.get("query") or "")[:1000]
    if user is None or not name:
        flash("Cần đặt tên cho bộ lọc.", "error")
        return redirect(url_for("admin.inbox") + "?" + query)
    s = db_session()
    row = s.scalar(
        select(SavedFilter).where(SavedFilter.staff_id == user.id, SavedFilter.name == name)
    )
    if row is None:
        row = SavedFilter(staff_id=user.id, name=name, created_at=utcnow())
        s.add(row)
    row.query = query
    try:
        s.commit()
    except IntegrityError:
        s.rollback()
        abort(409)
    flash(f"Đã lưu bộ lọc “{name}”.", "ok")
    return redirect(url_for("admin.inbox") + "?" + query)


@bp.post("/filters/<int:filter_id>/delete")
def filter_delete(filter_id: int) -> ResponseReturnValue:
    user = current_user()
    s = db_session()
    row = s.get(SavedFilter, filter_id)
    if row is None or user is None or row.staff_id != user.id:
        abort(404)
    s.delete(row)
    s.commit()
    flash("Đã xóa bộ lọc.", "ok")
    return redirect(url_for("admin.inbox"))


HEADER = [
    "Mã hồ sơ",
    "Ngày tiếp nhận",
    "Phường",
    "Lĩnh vực",
    "Loại đơn",
    "Khẩn",
    "Trạng thái",
    "Hạn tiếp theo",
    "Phụ trách",
    "Tóm tắt",
]


def _summary(s: Session, who: wf.Actor, row: Any) -> str:
    """A liaison's file holds what their petition page shows (the disclosure filter)."""
    petition = s.get(Petition, row.id) if who.is_liaison else None
    return agency_summary(petition) if petition is not None else (row.summary or "")


def _table() -> tuple[list[list[Any]], str]:
    """The current list's rows as cells (names, labels, local dates) and a file name."""
    s = db_session()
    who = actor()
    f = parse_filter(WorkCalendar.load(s))
    rows = export_rows(s, who, f, now=utcnow())
    names = Lookups.load(s)
    out = []
    for r in rows:
        staff = names.staff.get(r.assignee_id or 0)
        summary = _summary(s, who, r)
        out.append(
            [
                r.code,
                r.received_at.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M")
                if r.received_at
                else "",
                names.wards[r.ward_id].name if r.ward_id in names.wards else "",
                names.categories[r.category_id].name if r.category_id in names.categories else "",
                LEGAL_TYPE_LABELS.get(r.legal_type or "", ""),
                "Có" if r.urgent else "",
                STAFF_STATE_LABELS.get(r.state, r.state),
                _local(r.next_due_at - timedelta(seconds=1), "%d/%m/%Y") if r.next_due_at else "",
                (staff.display_name or staff.username) if staff else "",
                summary,
            ]
        )
    # The search words stay out of the log: they may be a phone number or a name.
    filters = urlencode({k: v for k, v in query_args(f).items() if k != "q"})
    logger.info("staff user %s exported %s inbox rows (%s)", who.id, len(out), filters)
    auditing.record(
        audit.EXPORT_INBOX,
        commit=True,
        summary=f"Xuất {len(out)} hồ sơ của danh sách ({filters})",
    )
    return out, f"ho-so-{utcnow().astimezone(LOCAL_TZ):%Y%m%d-%H%M}"


def _local(instant: datetime | None, fmt: str) -> str:
    return instant.astimezone(LOCAL_TZ).strftime(fmt) if instant else ""


def _cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@bp.get("/export.csv")
def export_csv() -> ResponseReturnValue:
    """The current list as CSV (UTF-8 with BOM, so Excel reads the diacritics)."""
    rows, name = _table()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    data = "\ufeff" + buffer.getvalue()
    return Response(
        data.encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


@bp.get("/export.xlsx")
def export_xlsx() -> ResponseReturnValue:
    """The current list as an Excel workbook."""
    rows, name = _table()
    book = Workbook()
    sheet = book.active
    sheet.title = "Hồ sơ"
    sheet.append(HEADER)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    for column, width in zip("ABCDEFGHIJ", (18, 17, 14, 28, 14, 7, 18, 13, 20, 60), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return Response(
        buffer.getvalue(),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
    )
