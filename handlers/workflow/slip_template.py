"""The shipped forwarding-slip template (A4, Nghị định 30/2020/NĐ-CP layout), built by code so
it can be rebuilt and reviewed; administrators may replace the file with their own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from handlers.workflow.slips import TEMPLATE


def write_default_template(path: Path = TEMPLATE) -> None:
    """Build the shipped template (run once; administrators may replace the file).

    A4, margins 20/20/30/15 mm, Times New Roman 13 (Nghị định 30/2020, Phụ lục I).
    """
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    normal.paragraph_format.space_after = Pt(3)
    _header(doc)
    _centered(doc, "PHIẾU CHUYỂN ĐƠN", bold=True, size=14).paragraph_format.space_before = Pt(18)
    _centered(doc, "(V/v chuyển {{legal_type}} của Nhân dân, mã hồ sơ {{code}})", italic=True)
    _centered(doc, "Kính gửi: {{agency_name}}.", size=14).paragraph_format.space_after = Pt(9)
    for line in _BODY:
        paragraph = doc.add_paragraph(line)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Cm(1)
    _signature(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))


_BODY = (
    "Ban Thường trực {{unit_name}} nhận được {{legal_type}} của: {{reporter}}; "
    "số điện thoại liên hệ: {{contact}}.",
    "Mã hồ sơ: {{code}}; ngày tiếp nhận: {{received_date}}; hình thức: {{channel}}.",
    "Lĩnh vực: {{category}}; địa bàn: {{ward}}; địa điểm: {{place}}.",
    "Tóm tắt nội dung: {{summary}}",
    "Nội dung cụ thể: {{content}}",
    "{{additions}}",
    "Ban Thường trực {{unit_name}} chuyển đến {{agency_name}} xem xét, giải quyết theo thẩm "
    "quyền và thông báo kết quả cho Ban Thường trực trước ngày {{due_date}} "
    "({{due_working_days}} ngày làm việc kể từ ngày chuyển; {{due_basis}}) để trả lời người "
    "gửi theo quy định.",
    "Cán bộ liên lạc của cơ quan xác nhận đã nhận, trao đổi và gửi kết quả trực tuyến tại: "
    "{{link}}",
    "{{confidential_note}}",
)


def _centered(
    doc: Any, text: str, *, bold: bool = False, italic: bool = False, size: int = 13
) -> Paragraph:
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return paragraph


def _cell_line(
    cell: Any, text: str, *, bold: bool = False, italic: bool = False, size: int = 13
) -> None:
    paragraph = (
        cell.add_paragraph()
        if cell.paragraphs[0].text or len(cell.paragraphs) > 1
        else cell.paragraphs[0]
    )
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)


def _fixed_table(doc: Any, *widths: Any) -> Any:
    """A borderless one-row table whose columns keep their widths (Word and LibreOffice)."""
    table = doc.add_table(rows=1, cols=len(widths))
    table.autofit = False
    properties = table._tbl.tblPr
    total = OxmlElement("w:tblW")
    total.set(qn("w:w"), str(sum(int(w.twips) for w in widths)))
    total.set(qn("w:type"), "dxa")
    for old in properties.findall(qn("w:tblW")):
        properties.remove(old)
    properties.append(total)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "57")  # 1 mm: the header's long lines fit their column
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties.append(margins)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
    return table


def _header(doc: Any) -> None:
    """Left: the issuing body and the number; right: the national name, motto, place and date."""
    table = _fixed_table(doc, Cm(6.9), Cm(9.6))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    _cell_line(left, "{{front_line}}", size=12)
    _cell_line(left, "{{unit_line}}", size=12)
    _cell_line(left, "BAN THƯỜNG TRỰC", bold=True, size=12)
    _cell_line(left, "────────", size=10)
    _cell_line(left, "Số: {{document_number}}")
    _cell_line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
    _cell_line(right, "Độc lập - Tự do - Hạnh phúc", bold=True)
    _cell_line(right, "──────────────", size=10)
    _cell_line(right, "{{place_date}}", italic=True)


def _signature(doc: Any) -> None:
    table = _fixed_table(doc, Cm(8), Cm(8.5))
    left, right = table.rows[0].cells
    first = left.paragraphs[0]
    run = first.add_run("Nơi nhận:")
    run.bold, run.italic, run.font.size = True, True, Pt(12)
    for line in ("- Như trên;", "- Lưu: VT."):
        left.add_paragraph(line).runs[0].font.size = Pt(11)
    _cell_line(right, "TM. BAN THƯỜNG TRỰC", bold=True)
    _cell_line(right, "CHỦ TỊCH", bold=True)
    _cell_line(right, "(Ký, ghi rõ họ tên, đóng dấu)", italic=True, size=12)
