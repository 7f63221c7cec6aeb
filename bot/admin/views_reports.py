"""The report screens: a period's report for the area or a ward, its versions, the .docx and
.xlsx files. Supervisors and administrators see every scope, a ward officer their own
wards' (another ward is 404), an agency liaison nothing (the 403 page). Downloads are
audited as exports: the files carry the period's petitions."""

from __future__ import annotations

import logging
from typing import Any

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

from bot.admin import auditing, forms, report_charts
from bot.admin.blueprint import MANAGERS, actor, bp, require_role, utcnow
from bot.database import db_session
from handlers import audit
from handlers.reports import (
    AREA,
    BadPeriod,
    Period,
    Report,
    ReportError,
    Scope,
    build,
    create_draft,
    parse_period,
    refresh,
    save_text,
    scope_of,
    send,
    versions,
    ward_scopes,
)
from handlers.reports.excel import build_xlsx
from handlers.reports.narrative import percent, rate
from handlers.reports.periods import recent_periods
from handlers.reports.tables import LISTING, all_tables
from handlers.reports.word import build_docx, date_line, number_line, summary_line, unit_lines
from handlers.workflow import InvalidInput, local_date
from storage.models import ReportVersion
from storage.models.enums import Role

logger = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: Who opens the report page (in the order the 403 page names them); liaisons do not.
READERS = (Role.ADMIN, Role.SUPERVISOR, Role.STAFF)


class Refused(HTTPException):
    """An error page with its own message (a bad period, a missing draft)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(description=message)
        self.code = status


@bp.errorhandler(Refused)
def _refused(exc: Refused) -> ResponseReturnValue:
    """The error page with the refusal's own message."""
    status = exc.code or 400
    return render_template("error.html", status=status, message=exc.description), status


def _refuse(status: int, message: str) -> None:
    logger.info("report request refused (%s): %s", status, message)
    raise Refused(status, message)


def _scopes_for_user() -> list[Scope]:
    """The scopes this user may open, area first (managers) or their wards (ward officers)."""
    require_role(*READERS)
    who = actor()
    wards = ward_scopes(db_session())
    if who.role in MANAGERS:
        area = scope_of(db_session(), AREA)
        return [area, *wards] if area else wards
    mine = [s for s in wards if s.ward is not None and s.ward.id in who.ward_ids]
    if not mine:
        logger.info("report refused: an officer with no ward")
        g.forbidden_reason = "Tài khoản của bạn chưa được phân công phường nào nên chưa có báo cáo."
        abort(403)
    return mine


def _target() -> tuple[Period, Scope]:
    """The period and scope a request names, checked against the user's scope."""
    source = request.form if request.method == "POST" else request.args
    allowed = _scopes_for_user()
    text = source.get("period") or source.get("month")
    try:
        period = parse_period(text, utcnow())
    except BadPeriod as exc:
        _refuse(400, str(exc))
    key = source.get("ward") or None
    if key is None:
        return period, allowed[0]
    match = next((s for s in allowed if s.key == key), None)
    if match is None:
        abort(404)  # another ward's report does not exist for this officer
    return period, match


def _version_no() -> int | None:
    raw = request.args.get("version", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 6:
        _refuse(400, "Số phiên bản không hợp lệ.")
    return int(raw)


def _report() -> Report:
    period, scope = _target()
    report = build(db_session(), period, scope, now=utcnow(), version_no=_version_no())
    if report is None:
        abort(404)
    return report


def _charts(report: Report) -> dict[str, Markup]:
    f, prev = report.figures, report.previous
    t, p = f["totals"], (prev["totals"] if prev else None)
    keys = (
        ("received", "Tiếp nhận"),
        ("answered", "Trả lời"),
        ("overdue", "Quá hạn"),
        ("settled", "Xong"),
        ("carried_out", "Tồn"),
    )
    pairs = [(label, t[k], p[k] if p else None) for k, label in keys]
    agencies = [
        (r["name"], [(r["on_time"], "ok"), (r["late"], "late"), (r["overdue_open"], "open")])
        for r in f["by_agency"]
    ]
    charts = {
        "compare": report_charts.compare(
            "So sánh với kỳ trước", pairs, report.period.short, report.period.previous().short
        ),
        "fields": report_charts.bars("Tiếp nhận theo lĩnh vực", _pairs(f["by_field"])),
        "agencies": report_charts.stacked("Kết quả trả lời theo cơ quan", agencies),
        "channels": report_charts.bars("Tiếp nhận theo kênh", _pairs(f["by_channel"])),
    }
    if len(f["by_month"]) > 1:
        charts["months"] = report_charts.columns("Tiếp nhận theo tháng", _pairs(f["by_month"]))
    return charts


def _pairs(rows: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(r["name"], r["received"]) for r in rows]


@bp.get("/reports")
def reports() -> ResponseReturnValue:
    """A period's report: figures, charts, versions, and the draft's editable text."""
    report = _report()
    s = db_session()
    return render_template(
        "admin/reports.html",
        report=report,
        tables=all_tables(report),
        charts=_charts(report),
        history=versions(s, report.period, report.scope),
        scopes=_scopes_for_user(),
        periods=recent_periods(utcnow()),
        on_time=percent(rate(report.figures["totals"])),
        unit_lines=unit_lines(report.scope.unit_name),
        number_line=number_line(report.header["number"]),
        date_line=date_line(report.header["place"], report.header["issued_on"]),
        summary_line=summary_line(report),
        listing=LISTING,
    )


def _filename(report: Report, ext: str) -> str:
    version = f"-v{report.version.version}" if report.version else ""
    return f"bao-cao-pakn-{report.scope.key}-{report.period.key}{version}.{ext}"


def _download(body: bytes, mimetype: str, name: str) -> Response:
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def _audit_export(report: Report, kind: str) -> None:
    """An export of the period's figures and list of petitions, by whom and which version."""
    version = f" (bản số {report.version.version})" if report.version else ""
    auditing.record(
        audit.EXPORT_REPORT,
        commit=True,
        summary=f"Tải báo cáo {kind} {report.period.label} · {report.scope.title}{version}",
        target=("report", report.period.key),
    )


@bp.get("/reports.docx")
def reports_docx() -> ResponseReturnValue:
    """The report as a Word document in the administrative form."""
    report = _report()
    body = build_docx(report)
    _audit_export(report, "Word")
    return _download(body, DOCX, _filename(report, "docx"))


@bp.get("/reports.xlsx")
def reports_xlsx() -> ResponseReturnValue:
    """The figures and the list of petitions as an Excel workbook."""
    report = _report()
    body = build_xlsx(report)
    _audit_export(report, "Excel")
    return _download(body, XLSX, _filename(report, "xlsx"))


def _back(period: Period, scope: Scope) -> ResponseReturnValue:
    ward = scope.key if scope.ward is not None else None
    return redirect(url_for("admin.reports", period=period.key, ward=ward))


def _draft_of(period: Period, scope: Scope) -> ReportVersion:
    found = versions(db_session(), period, scope)
    if not found or found[-1].status != "draft":
        _refuse(409 if found else 404, "Không có dự thảo để thực hiện thao tác này.")
    return found[-1]


@bp.post("/reports/draft")
def report_draft() -> ResponseReturnValue:
    """Draft the report (version 1), or a correction of the sent one with its reason."""
    period, scope = _target()
    s = db_session()
    try:
        version = create_draft(
            s,
            period,
            scope,
            now=utcnow(),
            actor_id=actor().id,
            reason=request.form.get("reason", ""),
        )
    except ReportError as exc:
        flash(str(exc), "error")
        return _back(period, scope)
    s.commit()
    flash(f"Đã lập dự thảo (bản số {version.version}).", "ok")
    return _back(period, scope)


@bp.post("/reports/edit")
def report_edit() -> ResponseReturnValue:
    """Save the officer's header fields and narrative on the draft."""
    period, scope = _target()
    s = db_session()
    try:
        _save_typed(s, _draft_of(period, scope))
    except (ReportError, InvalidInput) as exc:
        flash(str(exc), "error")
        return _back(period, scope)
    s.commit()
    flash("Đã lưu dự thảo.", "ok")
    return _back(period, scope)


def _save_typed(s: Session, version: ReportVersion) -> None:
    """The header fields and narrative as the form holds them, onto the draft."""
    issued_on = forms.day(request.form, "issued_on") or local_date(utcnow())
    save_text(s, version, values=dict(request.form.items()), issued_on=issued_on, now=utcnow())


@bp.post("/reports/refresh")
def report_refresh() -> ResponseReturnValue:
    """Recompute the draft's figures from the petitions as they stand."""
    period, scope = _target()
    s = db_session()
    refresh(s, _draft_of(period, scope), scope, period, now=utcnow())
    s.commit()
    flash("Đã cập nhật số liệu của dự thảo.", "ok")
    return _back(period, scope)


@bp.post("/reports/send")
def report_send() -> ResponseReturnValue:
    """Freeze the draft as sent; a later change is a correction (a new version). The button
    sits in the draft's form: what was typed there is saved first, and kept if sending is
    refused (a number or signer still missing)."""
    period, scope = _target()
    s = db_session()
    try:
        draft = _draft_of(period, scope)
        if "place" in request.form:
            _save_typed(s, draft)
            s.commit()
        version = send(s, draft, period, now=utcnow(), actor_id=actor().id)
    except (ReportError, InvalidInput) as exc:
        flash(str(exc), "error")
        return _back(period, scope)
    s.commit()
    flash(f"Đã chốt báo cáo (bản số {version.version}); số liệu không còn thay đổi.", "ok")
    return _back(period, scope)
