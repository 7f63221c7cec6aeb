"""The report as an Excel workbook: the figures sheet and the list of petitions, each under
the same header as the Word report. Every text goes in as text: a name someone typed as
"=HYPERLINK(…)" stays those characters, never a formula."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from handlers.reports.tables import LISTING, Table, all_tables, listing_rows
from handlers.reports.versions import Report
from handlers.reports.word import MOTTO, NATION, date_line, number_line, summary_line, unit_lines

BOLD = Font(bold=True)


def put(sheet: Worksheet, row: int, col: int, value: Any, *, font: Font | None = None) -> None:
    """Write one cell; strings are forced to text (no formula, whatever they start with)."""
    cell = sheet.cell(row, col)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    if font is not None:
        cell.font = font


def header(sheet: Worksheet, report: Report, width: int) -> int:
    """The administrative header over `width` columns; returns the next free row."""
    right = max(3, width - 2)
    for i, line in enumerate(unit_lines(report.scope.unit_name)):
        put(sheet, 1 + i, 1, line, font=BOLD)
    put(sheet, 1, right, NATION, font=BOLD)
    put(sheet, 2, right, MOTTO, font=BOLD)
    put(sheet, 4, 1, number_line(report.header["number"]))
    put(
        sheet,
        4,
        right,
        date_line(report.header["place"], report.header["issued_on"]),
        font=Font(italic=True),
    )
    put(sheet, 6, 1, "BÁO CÁO", font=Font(bold=True, size=13))
    put(sheet, 7, 1, summary_line(report), font=BOLD)
    return 9


def _table(sheet: Worksheet, row: int, table: Table) -> int:
    put(sheet, row, 1, table.title, font=BOLD)
    row += 1
    for col, heading in enumerate(table.headers, 1):
        put(sheet, row, col, heading, font=BOLD)
        sheet.cell(row, col).alignment = Alignment(wrap_text=True, vertical="top")
    for values in table.rows:
        row += 1
        for col, value in enumerate(values, 1):
            put(sheet, row, col, "—" if value is None and col - 1 in table.percent else value)
            if col - 1 in table.percent and isinstance(value, float):
                sheet.cell(row, col).number_format = "0.0%"
    return row + 2


def build_xlsx(report: Report) -> bytes:
    """The .xlsx bytes: "Báo cáo" (header, tables, signature) and "Danh sách hồ sơ"."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "Báo cáo"
    row = header(sheet, report, 7)
    for line in report.header["narrative"].split("\n"):
        if line.strip():
            put(sheet, row, 1, line.strip())
            row += 1
    row += 1
    for table in all_tables(report):
        row = _table(sheet, row, table)
    _signature(sheet, report, row)
    sheet.column_dimensions["A"].width = 52
    for col in "BCDEFG":
        sheet.column_dimensions[col].width = 16
    _listing(book.create_sheet("Danh sách hồ sơ"), report)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _signature(sheet: Worksheet, report: Report, row: int) -> None:
    put(sheet, row, 1, "Nơi nhận:", font=Font(bold=True, italic=True))
    lines = [x for x in report.header["recipients"].split("\n") if x.strip()]
    for i, line in enumerate(lines):
        put(sheet, row + 1 + i, 1, line.strip())
    titles = [t.strip().upper() for t in report.header["signer_title"].split("\n") if t.strip()]
    for i, line in enumerate(titles):
        put(sheet, row + i, 5, line, font=BOLD)
    put(sheet, row + len(titles) + 4, 5, report.header["signer_name"].strip(), font=BOLD)


def _listing(sheet: Worksheet, report: Report) -> None:
    row = header(sheet, report, len(LISTING))
    for col, (_, heading) in enumerate(LISTING, 1):
        put(sheet, row, col, heading, font=BOLD)
    for values in listing_rows(report):
        row += 1
        for col, value in enumerate(values, 1):
            put(sheet, row, col, value)
    widths = (18, 14, 14, 40, 18, 16, 20, 40, 14, 14, 16)
    for letter, width in zip("ABCDEFGHIJK", widths, strict=True):
        sheet.column_dimensions[letter].width = width
