"""Build the shipped đôn đốc letter and supervision-proposal templates (Nghị định 30/2020
layout: A4, the administrative header with the ward Front committee's name, as on the
forwarding slip) with python-docx.

Run `python -m handlers.reminders.letter_templates` after changing the wording here; the
.docx files in handlers/reminders/templates/ are what the jobs fill. Each placeholder is typed
as one run so the fast filler finds it whole.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from handlers.reminders.letters import SHIPPED_TEMPLATES, TEMPLATE_FILES

_BODY_1 = (
    "Ngày {{ngay_chuyen}}, Ban Thường trực {{ten_don_vi}} đã chuyển đến {{co_quan}} phản ánh, "
    "kiến nghị của công dân (mã hồ sơ {{ma_ho_so}}, lĩnh vực: {{linh_vuc}}) tại văn bản số "
    "{{so_van_ban_chuyen}}, đề nghị giải quyết trong thời hạn đến ngày {{han_giai_quyet}}.",
    "Đến nay đã quá thời hạn nêu trên nhưng Ban Thường trực chưa nhận được kết quả giải quyết. "
    "Thực hiện chức năng giám sát và phản biện xã hội theo Luật Mặt trận Tổ quốc Việt Nam, "
    "Ban Thường trực {{ten_don_vi}} đề nghị {{co_quan}} khẩn trương xem xét, giải quyết và "
    "thông tin kết quả về Ủy ban MTTQ trước ngày {{han_tra_loi}} để trả lời công dân.",
)

_BODY_2 = (
    "Ngày {{ngay_chuyen}}, Ban Thường trực {{ten_don_vi}} đã chuyển đến {{co_quan}} phản ánh, "
    "kiến nghị của công dân (mã hồ sơ {{ma_ho_so}}, lĩnh vực: {{linh_vuc}}) tại văn bản số "
    "{{so_van_ban_chuyen}}, thời hạn giải quyết đến ngày {{han_giai_quyet}}; ngày "
    "{{ngay_lan_1}}, Ban Thường trực đã có văn bản đôn đốc lần thứ nhất.",
    "Đến nay, quá thời hạn giải quyết {{so_ngay_qua_han}} ngày làm việc, Ban Thường trực vẫn "
    "chưa nhận được kết quả. Ban Thường trực {{ten_don_vi}} đề nghị đồng chí {{thu_truong}} "
    "chỉ đạo giải quyết dứt điểm và thông tin kết quả về Ủy ban MTTQ trước ngày {{han_tra_loi}}. "
    "Quá thời hạn trên, Ban Thường trực sẽ đưa nội dung này vào chương trình giám sát.",
)


#: Body text in points, as on the forwarding slip.
BODY = 13


def _para(
    cell_or_doc: Any,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: int = 13,
    align: Any = WD_ALIGN_PARAGRAPH.CENTER,
) -> Paragraph:
    existing = getattr(cell_or_doc, "paragraphs", [])
    if isinstance(cell_or_doc, _Cell) and len(existing) == 1 and not existing[0].text:
        paragraph: Paragraph = existing[0]  # a new cell starts with one empty paragraph
    else:
        paragraph = cell_or_doc.add_paragraph()
    paragraph.alignment = align
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return paragraph


_AGENDA = (
    "Ngày {{ngay_chuyen}}, Ban Thường trực {{ten_don_vi}} đã chuyển đến {{co_quan}} phản ánh, "
    "kiến nghị của công dân (mã hồ sơ {{ma_ho_so}}, lĩnh vực: {{linh_vuc}}) tại văn bản số "
    "{{so_van_ban_chuyen}}, thời hạn giải quyết đến ngày {{han_giai_quyet}}; Ban Thường trực "
    "đã có văn bản đôn đốc ngày {{ngay_lan_1}} và ngày {{ngay_lan_2}}.",
    "Đến nay, quá thời hạn giải quyết {{so_ngay_qua_han}} ngày làm việc, {{co_quan}} vẫn chưa "
    "có kết quả. Đề nghị Ban Thường trực đưa nội dung này vào chương trình giám sát của Ủy ban "
    "MTTQ, làm việc trực tiếp với {{thu_truong}} về việc giải quyết và thông tin kết quả cho "
    "công dân theo quy định.",
)


def _page(doc: DocumentObject) -> None:
    """A4, margins of Nghị định 30/2020 (top/bottom 2 cm, left 3 cm, right 1.5 cm), 13 pt:
    the forwarding slip's page, so the Front's documents on one petition look alike."""
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    doc.styles["Normal"].font.name = "Times New Roman"
    doc.styles["Normal"].font.size = Pt(BODY)


def _header(doc: DocumentObject, subject: str) -> None:
    """The issuing committee and number on the left, the national motto on the right; the
    committee's lines are the forwarding slip's."""
    header = doc.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = header.rows[0].cells
    _para(left, "ỦY BAN MẶT TRẬN TỔ QUỐC", size=12)
    _para(left, "VIỆT NAM {{ten_don_vi_hoa}}", size=12)
    _para(left, "BAN THƯỜNG TRỰC", bold=True, size=12)
    _para(left, "Số: {{so_van_ban}}/MTTQ-BTT")
    _para(left, subject, size=12)
    _para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
    _para(right, "Độc lập - Tự do - Hạnh phúc", bold=True)
    _para(right, "{{dia_danh}}, ngày {{ngay}} tháng {{thang}} năm {{nam}}", italic=True)


def _letter(lan: int) -> DocumentObject:
    doc = Document()
    _page(doc)
    _header(doc, f"V/v đôn đốc giải quyết phản ánh, kiến nghị của công dân (lần {lan})")
    addressee = "{{co_quan}}" if lan == 1 else "{{thu_truong}}"
    _para(doc, f"Kính gửi: {addressee}.", size=BODY)
    for text in _BODY_1 if lan == 1 else _BODY_2:
        p = _para(doc, text, size=BODY, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        p.paragraph_format.first_line_indent = Cm(1)
    _para(doc, "Trân trọng./.", size=BODY, align=WD_ALIGN_PARAGRAPH.LEFT)
    footer = doc.add_table(rows=1, cols=2)
    sent_to, signer = footer.rows[0].cells
    _para(sent_to, "Nơi nhận:", bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(sent_to, "- Như trên;", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(sent_to, "- Lưu: VT, hồ sơ {{ma_ho_so}}.", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(signer, "TM. BAN THƯỜNG TRỰC", bold=True)
    _para(signer, "CHỦ TỊCH", bold=True)
    _para(signer, "")
    _para(signer, "{{nguoi_ky}}", bold=True)
    return doc


def _agenda() -> DocumentObject:
    """The officer's proposal to the standing committee to supervise one overdue petition."""
    doc = Document()
    _page(doc)
    _header(doc, "V/v đề xuất giám sát việc giải quyết phản ánh, kiến nghị của công dân")
    _para(doc, "Kính gửi: Ban Thường trực {{ten_don_vi}}.", size=BODY)
    for text in _AGENDA:
        p = _para(doc, text, size=BODY, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        p.paragraph_format.first_line_indent = Cm(1)
    footer = doc.add_table(rows=1, cols=2)
    sent_to, signer = footer.rows[0].cells
    _para(sent_to, "Nơi nhận:", bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(sent_to, "- Như trên;", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(sent_to, "- Lưu: VT, hồ sơ {{ma_ho_so}}.", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(signer, "NGƯỜI ĐỀ XUẤT", bold=True)
    _para(signer, "")
    _para(signer, "{{nguoi_ky}}", bold=True)
    return doc


def build_default_templates(target: Path = SHIPPED_TEMPLATES) -> list[Path]:
    """Write the shipped templates (two letters, the supervision proposal); return paths."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    documents = {"overdue": _letter(1), "letter2": _letter(2), "agenda": _agenda()}
    for rung, doc in documents.items():
        path = target / TEMPLATE_FILES[rung]
        buffer = io.BytesIO()
        doc.save(buffer)
        path.write_bytes(_slim(buffer.getvalue()))
        written.append(path)
    return written


#: Parts of python-docx's default package a letter does not need (800 KB of the 830 KB).
_DROP = {"word/stylesWithEffects.xml", "docProps/thumbnail.jpeg"}
_LATENT = re.compile(r"<w:latentStyles\b.*?</w:latentStyles>", re.S)


def _slim(docx: bytes) -> bytes:
    """Drop the optional parts and the latent-style list, so each letter is a few KB."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in _DROP:
                continue
            data = source.read(info.filename).decode("utf-8")
            if info.filename == "word/styles.xml":
                data = _LATENT.sub("", data)
            for dropped in _DROP:
                name = dropped.rsplit("/", 1)[-1]
                data = re.sub(rf"<(Relationship|Override)[^>]*{re.escape(name)}[^>]*/>", "", data)
            target.writestr(info.filename, data)
    return out.getvalue()


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else SHIPPED_TEMPLATES
    for path in build_default_templates(folder):
        print(path)
