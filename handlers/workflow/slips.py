"""The forwarding slip (phiếu chuyển) as .docx, filled from a template with {{placeholders}}.

Personal data follow the rules: the text goes through PII masking, a tố cáo's author (or a
confidential field's) is never named, and a contact phone appears only when the citizen gave
one for call-back.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from handlers.workflow.labels import CHANNEL_LABELS, LEGAL_TYPE_LABELS
from nlp.pii import mask
from storage.models import Forward, Petition
from storage.models.enums import LegalType

TEMPLATE = Path(__file__).parent / "templates" / "phieu_chuyen.docx"
_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
PROTECTED = "Người tố cáo (thông tin được giữ bí mật theo Điều 47 Luật Tố cáo năm 2018)"


def is_protected(petition: Petition) -> bool:
    """A tố cáo, or a field handled confidentially: the author is never forwarded."""
    confidential = petition.category is not None and petition.category.confidential
    return petition.legal_type == LegalType.TO_CAO or confidential


def slip_values(
    petition: Petition, forward: Forward, *, unit_name: str, due_basis: str = ""
) -> dict[str, str]:
    """The placeholder values of one slip."""
    protected = is_protected(petition)
    reporter = PROTECTED if protected else (petition.reporter_name or _citizen_name(petition))
    contact = "" if protected or not petition.callback_phone else petition.callback_phone
    sent = forward.sent_on
    return {
        "unit_name": unit_name,
        "document_number": forward.document_number or "……",
        "place_date": f"Tam Kỳ, ngày {sent.day:02d} tháng {sent.month:02d} năm {sent.year}",
        "agency_name": forward.agency.name,
        "code": petition.code or "",
        "legal_type": LEGAL_TYPE_LABELS.get(petition.legal_type or "", "Phản ánh, kiến nghị"),
        "reporter": reporter,
        "contact": contact or "(không cung cấp)",
        "received_date": f"{petition.received_at:%d/%m/%Y}" if petition.received_at else "",
        "channel": CHANNEL_LABELS.get(petition.channel, petition.channel),
        "category": petition.category.name if petition.category else "Chưa xác định",
        "ward": petition.ward.full_name if petition.ward else "chưa xác định",
        "place": mask(petition.place or "") or "(không nêu)",
        "content": _content(petition, protected),
        "due_date": f"{forward.handler_due_on:%d/%m/%Y}",
        "due_basis": due_basis or "theo quy định",
        "confidential_note": (
            "Đề nghị cơ quan giữ bí mật họ tên, địa chỉ, bút tích và thông tin cá nhân khác "
            "của người tố cáo."
            if protected
            else ""
        ),
    }


def _content(petition: Petition, protected: bool) -> str:
    """The text with personal data masked; a protected author's own names are removed too."""
    content = mask(petition.text or petition.summary or "")
    if protected:
        citizen = petition.citizen
        for name in (petition.reporter_name, citizen.display_name if citizen else None):
            if name and len(name.strip()) >= 3:
                content = re.sub(re.escape(name.strip()), "[người tố cáo]", content, flags=re.I)
    return content


def _citizen_name(petition: Petition) -> str:
    citizen = petition.citizen
    return (citizen.display_name if citizen and citizen.display_name else None) or "công dân"


def render_slip(values: Mapping[str, str], template: Path = TEMPLATE) -> bytes:
    """Fill the template's {{placeholders}} (runs are merged per paragraph) and return .docx."""
    doc = Document(str(template))
    for paragraph in _paragraphs(doc):
        if "{{" not in paragraph.text:
            continue
        filled = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), paragraph.text)
        runs = paragraph.runs
        runs[0].text = filled
        for run in runs[1:]:
            run.text = ""
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _paragraphs(doc: Any) -> Iterator[Paragraph]:
    yield from doc.paragraphs
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def write_slip(
    petition: Petition,
    forward: Forward,
    *,
    base_dir: Path,
    unit_name: str,
    due_basis: str = "",
) -> str:
    """Render and store a forward's slip; return its path relative to base_dir."""
    data = render_slip(slip_values(petition, forward, unit_name=unit_name, due_basis=due_basis))
    relative = Path("slips") / f"{petition.code}-{forward.id}.docx"
    target = base_dir / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    forward.slip_path = str(relative)
    return str(relative)


def write_default_template(path: Path = TEMPLATE) -> None:
    """Build the shipped template (run once; administrators may replace the file)."""
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    head = doc.add_table(rows=2, cols=2)
    head.cell(0, 0).text = "ỦY BAN MTTQ VIỆT NAM\n{{unit_name}}"
    head.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    head.cell(1, 0).text = "Số: {{document_number}}"
    head.cell(1, 1).text = "{{place_date}}"
    for cell in (head.cell(0, 0), head.cell(0, 1)):
        for p in cell.paragraphs:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("PHIẾU CHUYỂN ĐƠN").bold = True
    sub = doc.add_paragraph("(phản ánh, kiến nghị của Nhân dân)")
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    lines = [
        "Kính gửi: {{agency_name}}",
        "Ủy ban MTTQ Việt Nam {{unit_name}} nhận được {{legal_type}} của: {{reporter}}.",
        "Số điện thoại liên hệ: {{contact}}",
        "Mã hồ sơ: {{code}}; ngày tiếp nhận: {{received_date}}; hình thức: {{channel}}.",
        "Lĩnh vực: {{category}}; địa bàn: {{ward}}; địa điểm: {{place}}.",
        "Nội dung: {{content}}",
        "Ủy ban MTTQ Việt Nam chuyển đến {{agency_name}} xem xét, giải quyết theo thẩm quyền "
        "và thông báo kết quả cho Ủy ban MTTQ Việt Nam trước ngày {{due_date}} ({{due_basis}}), "
        "để trả lời người gửi theo quy định.",
        "{{confidential_note}}",
    ]
    for line in lines:
        doc.add_paragraph(line)
    sign = doc.add_table(rows=1, cols=2)
    sign.cell(0, 0).text = "Nơi nhận:\n- Như trên;\n- Lưu: VP."
    sign.cell(0, 1).text = "TM. BAN THƯỜNG TRỰC\n\n\n\n"
    sign.cell(0, 1).paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
