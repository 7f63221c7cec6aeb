"""The report as a Word document in the administrative form of Nghị định 30/2020/NĐ-CP.

A4, margins 20/20/30/15 mm, Times New Roman; the issuing committee's name in capitals on
the left with a short rule under it, the national title and motto on the right; "Số: …/BC-
MTTQ" and the italic "<place>, ngày dd tháng mm năm yyyy" line (days below 10 and months 1–2
with a leading zero); the bold type name and summary; the narrative and the tables; "Nơi
nhận" and the signature block; page numbers centred at the top from page 2.
"""

from __future__ import annotations

import io
import re
from datetime import date

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table as Table_
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from handlers.reports.narrative import percent
from handlers.reports.tables import Cell, Table, all_tables
from handlers.reports.versions import Report

FONT = "Times New Roman"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
SYMBOL = "BC-MTTQ"
_SPLIT = re.compile(r"\s+(?=(?:phường|khu vực|thành phố|xã)\b)", re.I)


def date_line(place: str, day: date) -> str:
    """ "Tam Kỳ, ngày 05 tháng 02 năm 2027": zero before days under 10 and months 1 and 2."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def number_line(number: str) -> str:
    """ "Số: 12/BC-MTTQ"; the clerk's number may be left blank in the draft."""
    number = number.strip()
    if not number:
        return f"Số:       /{SYMBOL}"
    return f"Số: {number}" if "/" in number else f"Số: {number}/{SYMBOL}"


def unit_lines(unit_name: str) -> list[str]:
    """The committee's name in capitals, broken before its place ("PHƯỜNG TAM KỲ")."""
    parts = _SPLIT.split(unit_name.strip(), maxsplit=1)
    return [p.upper() for p in parts if p]


def summary_line(report: Report) -> str:
    """The trích yếu under "BÁO CÁO"."""
    where = f"trên địa bàn {report.scope.title}" if report.scope.ward else "khu vực Tam Kỳ"
    return (
        f"Kết quả tiếp nhận, xử lý phản ánh, kiến nghị của Nhân dân {where} {report.period.label}"
    )


def build_docx(report: Report) -> bytes:
    """The .docx bytes of the report."""
    doc = Document()
    _page(doc)
    _heading(doc, report)
    _title(doc, report)
    _body(doc, report)
    _signature(doc, report)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _page(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(0)
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    number._p.append(field)


def _para(
    container: DocxDocument | _Cell,
    text: str = "",
    *,
    size: float = 14,
    bold: bool = False,
    italic: bool = False,
    align: int | None = WD_ALIGN_PARAGRAPH.CENTER,
) -> Paragraph:
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if text:
        run = paragraph.add_run(text)
        run.font.size, run.bold, run.italic = Pt(size), bold, italic
    return paragraph


def _rule(container: DocxDocument | _Cell, indent_cm: float) -> None:
    """A short centred rule: an empty paragraph's bottom border between equal indents."""
    paragraph = container.add_paragraph()
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = Cm(indent_cm)
    paragraph.paragraph_format.space_after = Pt(4)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
    run = paragraph.add_run()
    run.font.size = Pt(2)


def _widths(table: Table_, widths: list[float]) -> None:
    """Column widths in cm, on the grid and on every cell (Word and LibreOffice read both)."""
    table.autofit = False
    for col, width in zip(table.columns, widths, strict=True):
        col.width = Cm(width)
        for cell in col.cells:
            cell.width = Cm(width)


def _no_borders(table: object) -> None:
    tbl = table._tbl  # type: ignore[attr-defined]
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl.tblPr.append(borders)


def _heading(doc: DocxDocument, report: Report) -> None:
    header = report.header
    table = doc.add_table(rows=2, cols=2)
    _no_borders(table)
    _widths(table, [7.0, 9.5])
    left, right = table.cell(0, 0), table.cell(0, 1)
    left.paragraphs[0].text = ""
    for i, line in enumerate(unit_lines(report.scope.unit_name)):
        target = left.paragraphs[0] if i == 0 else left.add_paragraph()
        target.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = target.add_run(line)
        run.font.size, run.bold = Pt(13), True
    _rule(left, 1.8)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = right.paragraphs[0].add_run(NATION)
    run.font.size, run.bold = Pt(12), True
    _para(right, MOTTO, size=14, bold=True)
    _rule(right, 2.2)
    number = table.cell(1, 0).paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number.add_run(number_line(header["number"])).font.size = Pt(13)
    place = table.cell(1, 1).paragraphs[0]
    place.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = place.add_run(date_line(header["place"], header["issued_on"]))
    run.font.size, run.italic = Pt(14), True


def _title(doc: DocxDocument, report: Report) -> None:
    _para(doc)
    _para(doc, "BÁO CÁO", bold=True)
    _para(doc, summary_line(report), bold=True)
    _rule(doc, 5.5)


def _text(doc: DocxDocument, text: str, *, bold: bool = False) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt = paragraph.paragraph_format
    fmt.first_line_indent, fmt.space_after, fmt.line_spacing = Cm(1.27), Pt(6), 1.15
    run = paragraph.add_run(text)
    run.bold = bold


def _body(doc: DocxDocument, report: Report) -> None:
    issuer = report.scope.unit_name
    _text(
        doc,
        f"Thực hiện Chương trình hành động nhiệm kỳ 2024 – 2029, {issuer} báo cáo kết quả "
        f"tiếp nhận, xử lý phản ánh, kiến nghị của Nhân dân {report.period.label} như sau:",
    )
    _text(doc, "I. TÌNH HÌNH CHUNG", bold=True)
    for line in report.header["narrative"].split("\n"):
        if line.strip():
            _text(doc, line.strip())
    _text(doc, "II. SỐ LIỆU CỤ THỂ", bold=True)
    for table in all_tables(report):
        _table(doc, table)
    _para(doc)
    _text(
        doc,
        f"Trên đây là báo cáo kết quả tiếp nhận, xử lý phản ánh, kiến nghị của Nhân dân "
        f"{report.period.label} của {issuer}./.",
    )


def _show(value: Cell, as_percent: bool) -> str:
    if as_percent and (value is None or isinstance(value, float)):
        return percent(value)
    return "" if value is None else str(value)


EMPTY = "Không có số liệu."


def _table(doc: DocxDocument, table: Table) -> None:
    caption = _para(doc, table.title, size=13, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    caption.paragraph_format.space_before = Pt(6)
    grid = doc.add_table(rows=1 + max(len(table.rows), 1), cols=len(table.headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    first = 1.2 if table.key == "overdue" else 5.5 if len(table.headers) > 2 else 10.0
    rest = (16.5 - first) / (len(table.headers) - 1)
    _widths(grid, [first] + [rest] * (len(table.headers) - 1))
    for col, heading in enumerate(table.headers):
        _cell(grid.cell(0, col), heading, bold=True)
    repeat = OxmlElement("w:tblHeader")  # the heading row again on every page the table spans
    repeat.set(qn("w:val"), "true")
    grid.rows[0]._tr.get_or_add_trPr().append(repeat)
    if not table.rows:  # one cell across the row: the narrow STT column would break the words
        _cell(grid.cell(1, 0).merge(grid.cell(1, len(table.headers) - 1)), EMPTY, left=True)
        return
    for r, row in enumerate(table.rows, 1):
        for col, value in enumerate(row):
            _cell(grid.cell(r, col), _show(value, col in table.percent), left=col == 0)


def _cell(cell: _Cell, text: str, *, bold: bool = False, left: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.font.size, run.bold = Pt(12), bold


def _signature(doc: DocxDocument, report: Report) -> None:
    header = report.header
    _para(doc)
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [8.0, 8.5])
    left, right = table.cell(0, 0), table.cell(0, 1)
    first = left.paragraphs[0]
    run = first.add_run("Nơi nhận:")
    run.font.size, run.bold, run.italic = Pt(12), True, True
    for line in header["recipients"].split("\n"):
        if line.strip():
            _para(left, line.strip(), size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    title_lines = [t.strip().upper() for t in header["signer_title"].split("\n") if t.strip()]
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for i, line in enumerate(title_lines):
        target = right.paragraphs[0] if i == 0 else right.add_paragraph()
        target.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = target.add_run(line)
        run.font.size, run.bold = Pt(14), True
    for _ in range(4):
        _para(right)
    _para(right, header["signer_name"].strip(), bold=True)
