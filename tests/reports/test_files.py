"""The .docx read back with python-docx (header, tables, signature) and the .xlsx with
openpyxl (header, figures, the list of petitions; names stay text)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

from docx import Document
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from handlers.reports import build, scope_of
from handlers.reports.excel import build_xlsx
from handlers.reports.periods import Period, month_of
from handlers.reports.word import build_docx, date_line, number_line
from tests.workflow import helpers as h


def test_date_and_number_lines_follow_decree_30() -> None:
    assert date_line("Tam Kỳ", date(2027, 2, 5)) == "Tam Kỳ, ngày 05 tháng 02 năm 2027"
    assert date_line("Hương Trà", date(2026, 12, 1)) == "Hương Trà, ngày 01 tháng 12 năm 2026"
    assert date_line("Tam Kỳ", date(2026, 3, 15)) == "Tam Kỳ, ngày 15 tháng 3 năm 2026"
    assert number_line("15") == "Số: 15/BC-MTTQ"
    assert number_line("15/BC-MTTQ") == "Số: 15/BC-MTTQ"
    assert number_line("").startswith("Số:") and number_line("").endswith("/BC-MTTQ")


def _texts(cell_paragraphs: list[str]) -> str:
    return "\n".join(p for p in cell_paragraphs if p)


def test_the_word_report_reads_back(db_session: Session, month: tuple[Period, datetime]) -> None:
    period, now = month
    scope = scope_of(db_session, "tam_ky")
    assert scope is not None
    report = build(db_session, period, scope, now=now)
    assert report is not None
    report.header["number"] = "07"
    doc = Document(io.BytesIO(build_docx(report)))
    head = doc.tables[0]
    left = _texts([p.text for p in head.cell(0, 0).paragraphs])
    right = _texts([p.text for p in head.cell(0, 1).paragraphs])
    assert left == "ỦY BAN MTTQ VIỆT NAM\nPHƯỜNG TAM KỲ"
    assert right == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    assert head.cell(1, 0).text == "Số: 07/BC-MTTQ"
    assert head.cell(1, 1).text == date_line("Tam Kỳ", report.header["issued_on"])
    assert head.cell(1, 1).paragraphs[0].runs[0].italic
    body = [p.text for p in doc.paragraphs]
    assert "BÁO CÁO" in body
    assert f"phường Tam Kỳ {period.label}" in "\n".join(body)
    summary = doc.tables[1]
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in summary.rows}
    assert rows["Tiếp nhận mới trong kỳ"][0] == "7"
    assert rows["Tồn chuyển kỳ sau"][0] == "5"
    assert rows["Tỷ lệ trả lời đúng hạn"][0] == "71,4%"  # 5 / (6 + 1) in phường Tam Kỳ
    captions = [p.text for p in doc.paragraphs if p.text.startswith("Bảng ")]
    assert captions[0] == "Bảng 1. Số liệu tổng hợp"
    assert not any("Theo phường" in c for c in captions)  # only the area report has it
    agencies = next(t for t in doc.tables if t.rows[0].cells[0].text == "Cơ quan, đơn vị")
    by_name = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in agencies.rows[1:]}
    assert by_name["UBND phường Tam Kỳ"] == ["2", "2", "1", "1", "1", "33,3%"]
    assert by_name["Sở Nông nghiệp và Môi trường thành phố Đà Nẵng"][-1] == "—"
    sign = doc.tables[-1]
    assert sign.cell(0, 0).paragraphs[0].text == "Nơi nhận:"
    assert "TM. BAN THƯỜNG TRỰC" in sign.cell(0, 1).text and "CHỦ TỊCH" in sign.cell(0, 1).text
    section = doc.sections[0]
    assert section.left_margin is not None and section.right_margin is not None
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
    assert section.different_first_page_header_footer  # no number on page 1


def test_the_excel_report_reads_back(db_session: Session, month: tuple[Period, datetime]) -> None:
    period, now = month
    agency = h.agency(db_session, "so_xay_dung")
    agency.name = '=HYPERLINK("http://evil")'  # a name typed by an administrator
    db_session.commit()
    area = scope_of(db_session, None)
    assert area is not None
    report = build(db_session, period, area, now=now)
    assert report is not None
    book = load_workbook(io.BytesIO(build_xlsx(report)))
    assert book.sheetnames == ["Báo cáo", "Danh sách hồ sơ"]
    sheet = book["Báo cáo"]
    assert (sheet["A1"].value, sheet["A2"].value) == ("ỦY BAN MTTQ VIỆT NAM", "KHU VỰC TAM KỲ")
    assert sheet["E1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert sheet["A6"].value == "BÁO CÁO"
    values = {r[0]: r[1:] for r in sheet.iter_rows(values_only=True) if r[0]}
    assert values["Tiếp nhận mới trong kỳ"][0] == 8
    assert values["Tồn chuyển kỳ sau"][0] == 6
    assert values["Tỷ lệ trả lời đúng hạn"][0] == 0.625
    assert values["Phường Quảng Phú"][:6] == (0, 1, 0, 0, 1, 1)  # … reopened, settled, overdue
    evil = next(
        c for row in sheet.iter_rows() for c in row if c.value == '=HYPERLINK("http://evil")'
    )
    assert evil.data_type == "s"  # text, not a formula
    listing = book["Danh sách hồ sơ"]
    assert listing["A1"].value == "ỦY BAN MTTQ VIỆT NAM"
    rows = list(listing.iter_rows(min_row=9, values_only=True))
    assert rows[0][:3] == ("Mã hồ sơ", "Ngày tiếp nhận", "Kênh")
    codes = [r[0] for r in rows[1:]]
    assert len(codes) == 9  # P1–P9: received in the month or carried into it
    walk_in = next(r for r in rows[1:] if r[2] == "Trực tiếp")
    assert walk_in[4] == "Phường Quảng Phú" and walk_in[5] == "Kiến nghị"


def test_an_empty_table_reads_across_its_row(db_session: Session) -> None:
    scope = scope_of(db_session, None)
    assert scope is not None
    quiet = month_of(datetime.now(UTC).date() - timedelta(days=3 * 365))  # no petitions then
    report = build(db_session, quiet, scope, now=datetime.now(UTC))
    assert report is not None
    doc = Document(io.BytesIO(build_docx(report)))
    overdue = next(t for t in doc.tables if t.rows[0].cells[0].text == "STT")
    [row] = overdue.rows[1:]
    assert {c.text for c in row.cells} == {"Không có số liệu."}  # one cell spans the row
    assert len({id(c._tc) for c in row.cells}) == 1
