"""The audit log viewer (administrators only): filter by person, petition, kind and period,
page through, export to CSV. Nothing here changes or removes an entry."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

from flask import Response, abort, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select

from bot.admin import audit_view, auditing, forms
from bot.admin.blueprint import bp, require_role, utcnow
from bot.admin.lookups import Lookups
from bot.database import db_session
from handlers import audit
from handlers.audit.query import GROUPS, Filter, kind_label, page, stream
from handlers.workflow import InvalidInput, local_date, start_of_day
from storage.models import AuditEntry, Petition, StaffUser
from storage.models.enums import ActorType, Role

PAGE_SIZE = 50
CSV_HEADER = [
    "Thời điểm",
    "Người thực hiện",
    "Từ đâu",
    "Việc",
    "Hồ sơ",
    "Đối tượng",
    "Mô tả",
    "Thay đổi (trước → sau)",
]
_PEOPLE = {
    "citizen": ActorType.CITIZEN,
    "system": ActorType.SYSTEM,
    "anonymous": audit.ANONYMOUS,
}


@bp.app_template_global("kind_label")
def _kind_label(kind: str) -> str:
    return kind_label(kind)


def _filters() -> tuple[Filter, dict[str, str], list[str]]:
    """The query string as a Filter, the values to show back, and what was wrong with it."""
    args = request.args
    shown = {
        k: (args.get(k) or "").strip()[:40] for k in ("person", "petition", "kind", "from", "to")
    }
    problems: list[str] = []
    actor_type, actor_id = _person(shown["person"])
    petition_id = None
    if shown["petition"]:
        code = shown["petition"].upper()
        petition_id = db_session().scalar(select(Petition.id).where(Petition.code == code))
        if petition_id is None:
            problems.append(f"Không có hồ sơ mã {code}.")
            petition_id = -1
    try:
        start = forms.day(args, "from", required=False)
        end = forms.day(args, "to", required=False)
    except InvalidInput as exc:
        abort(400, description=str(exc))
    if start and end and end < start:
        problems.append("Ngày kết thúc trước ngày bắt đầu.")
    return (
        Filter(
            actor_type=actor_type,
            actor_id=actor_id,
            petition_id=petition_id,
            group=shown["kind"] if shown["kind"] in GROUPS else None,
            start=start_of_day(start) if start else None,
            end=start_of_day(end + timedelta(days=1)) if end else None,
        ),
        shown,
        problems,
    )


def _person(value: str) -> tuple[str | None, int | None]:
    if value.startswith("staff:") and value[6:].isdigit():
        return ActorType.STAFF, int(value[6:])
    if value in _PEOPLE:
        return _PEOPLE[value], None
    return None, None


def _codes(entries: list[AuditEntry]) -> dict[int, str]:
    ids = {e.petition_id for e in entries if e.petition_id}
    if not ids:
        return {}
    rows = db_session().execute(select(Petition.id, Petition.code).where(Petition.id.in_(ids)))
    return {pid: code or f"#{pid}" for pid, code in rows}


@bp.get("/audit")
def audit_log() -> ResponseReturnValue:
    """Newest entries first, 50 a page."""
    require_role(Role.ADMIN)
    s = db_session()
    filters, shown, problems = _filters()
    before = request.args.get("before", "")
    entries = page(s, filters, limit=PAGE_SIZE, before_id=int(before) if before.isdigit() else None)
    names = Lookups.load(s)
    context: dict[str, Any] = {
        "entries": entries,
        "rows": [(e, audit_view.changes(e, names)) for e in entries],
        "codes": _codes(entries),
        "shown": shown,
        "problems": problems,
        "groups": GROUPS,
        "people": s.scalars(select(StaffUser).order_by(func.lower(StaffUser.username))).all(),
        "more": len(entries) == PAGE_SIZE,
        "view": audit_view,
        "total": s.scalar(select(func.count()).select_from(AuditEntry).where(*filters.clauses())),
    }
    return render_template("admin/audit.html", **context)


@bp.get("/audit.csv")
def audit_csv() -> ResponseReturnValue:
    """The filtered entries as CSV (UTF-8 with BOM for Excel); the export is itself audited."""
    require_role(Role.ADMIN)
    s = db_session()
    filters, shown, _problems = _filters()
    entries = list(stream(s, filters))
    names, codes = Lookups.load(s), _codes(entries)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for entry in entries:
        writer.writerow([_cell(v) for v in audit_view.csv_row(entry, names, codes)])
    auditing.record(
        audit.EXPORT_AUDIT,
        commit=True,
        summary=f"Xuất {len(entries)} dòng nhật ký hoạt động ra CSV",
        after={"filters": {k: v for k, v in shown.items() if v}, "rows": len(entries)},
    )
    name = f"nhat-ky-hoat-dong-{local_date(utcnow()):%Y%m%d}.csv"
    return Response(
        out.getvalue().encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _cell(value: str) -> str:
    """No formula injection: a cell starting with = + - @ is read as text by spreadsheets."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
