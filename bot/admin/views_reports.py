"""The monthly report page and its Excel file (admin and supervisors)."""

from __future__ import annotations

import io

from flask import Response, abort, render_template, request
from flask.typing import ResponseReturnValue
from openpyxl import Workbook
from openpyxl.styles import Font

from bot.admin import auditing
from bot.admin.blueprint import MANAGERS, bp, require_role, utcnow
from bot.database import db_session
from handlers import audit
from handlers.reports import BadPeriod, MonthReport, Row, month_report, parse_period

COLUMNS = (
    ("received", "Tiếp nhận"),
    ("forwarded", "Đã chuyển"),
    ("answered", "Đã trả lời"),
    ("on_time", "Trả lời đúng hạn"),
    ("overdue", "Quá hạn"),
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report() -> MonthReport:
    try:
        first = parse_period(request.args.get("month"), utcnow())
    except BadPeriod:
        abort(400, description="Tháng phải có dạng YYYY-MM, ví dụ 2026-11.")
    return month_report(db_session(), first)


@bp.get("/reports")
def reports() -> ResponseReturnValue:
    """One month's figures by field, ward and agency, and the agencies' on-time ranking."""
    require_role(*MANAGERS)
    return render_template("admin/reports.html", report=_report(), columns=COLUMNS)


def _sheet(book: Workbook, title: str, rows: list[Row], heading: str) -> None:
    sheet = book.create_sheet(title)
    sheet.append([heading, *(label for _, label in COLUMNS), "Tỷ lệ đúng hạn"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        rate = row.on_time_rate
        sheet.append([row.name, *(row.figures[m] for m, _ in COLUMNS), rate])
        sheet.cell(sheet.max_row, 1).data_type = "s"  # a name starting with "=" is not a formula
        if rate is not None:
            sheet.cell(sheet.max_row, len(COLUMNS) + 2).number_format = "0.0%"
    sheet.column_dimensions["A"].width = 48


@bp.get("/reports.xlsx")
def reports_xlsx() -> ResponseReturnValue:
    """The same report as an Excel workbook: a sheet per table."""
    require_role(*MANAGERS)
    report = _report()
    book = Workbook()
    summary = book.worksheets[0]
    summary.title = "Tổng hợp"
    summary.append([f"Báo cáo phản ánh, kiến nghị tháng {report.first:%m/%Y}"])
    summary.append([])
    for measure, label in COLUMNS:
        summary.append([label, report.totals[measure]])
    _sheet(book, "Theo lĩnh vực", report.by_field, "Lĩnh vực")
    _sheet(book, "Theo phường", report.by_ward, "Phường")
    _sheet(book, "Theo cơ quan", report.by_agency, "Cơ quan")
    _sheet(book, "Xếp hạng cơ quan", report.ranking, "Cơ quan")
    buffer = io.BytesIO()
    book.save(buffer)
    name = f"bao-cao-pakn-{report.period}.xlsx"
    auditing.record(
        audit.EXPORT_REPORT,
        commit=True,
        summary=f"Tải báo cáo Excel tháng {report.first:%m/%Y}",
        target=("report", report.period),
    )
    return Response(
        buffer.getvalue(),
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
