"""The forwarding slip (phiếu chuyển): an A4 .docx in the administrative layout of Nghị định
30/2020/NĐ-CP, filled from a template with {{placeholders}}.

The header names the ward's Front committee in full ("ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM" /
"PHƯỜNG BÀN THẠCH"), the place line is the ward's name ("Bàn Thạch, ngày 05 tháng 12 năm
2026": a zero before days under 10 and months 1 and 2 only), and the deadline is given as a
date and in working days. Every text from the petition goes through the disclosure filter
(`handlers.agencies.disclosure`): personal data masked, a tố cáo's author never named, its
summary and text the version staff reviewed for agencies.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from docx import Document
from docx.text.paragraph import Paragraph
from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.agencies.disclosure import (
    PROTECTED_AUTHOR,
    agency_summary,
    agency_text,
    for_agency,
    is_protected,
)
from handlers.workflow.calendar import WorkCalendar, local_date
from handlers.workflow.labels import CHANNEL_LABELS, LEGAL_TYPE_LABELS
from storage.models import Forward, OrgUnit, Petition, PetitionMessage
from storage.models.enums import MessageDirection

#: Built by `handlers.workflow.slip_template.write_default_template`.
TEMPLATE = Path(__file__).parent / "templates" / "phieu_chuyen.docx"
_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
PROTECTED = PROTECTED_AUTHOR
FRONT = "Ủy ban Mặt trận Tổ quốc Việt Nam"
#: Citizen messages counted as "later additions": this long after the petition was received.
ADDITIONS_AFTER_SECONDS = 60


@dataclass(frozen=True)
class FrontUnit:
    """The Front committee that owns a petition, as documents name it."""

    name: str  # "Ủy ban Mặt trận Tổ quốc Việt Nam phường Bàn Thạch"
    place: str  # "Bàn Thạch" (the place line of its documents)

    @property
    def header(self) -> tuple[str, str]:
        """The name in capitals on two lines that fit the header's column:
        'ỦY BAN MẶT TRẬN TỔ QUỐC' / 'VIỆT NAM PHƯỜNG BÀN THẠCH'."""
        words = self.name.upper().split()
        return " ".join(words[:6]), " ".join(words[6:])

    @property
    def short(self) -> str:
        """'phường Bàn Thạch' (after 'Ủy ban MTTQ Việt Nam')."""
        return self.name.removeprefix(FRONT).strip()


def front_unit(session: Session, petition: Petition) -> FrontUnit:
    """The petition's unit, else its ward's committee, else the area's; names spelled out."""
    unit = session.get(OrgUnit, petition.unit_id) if petition.unit_id else None
    if unit is None and petition.ward_id is not None:
        unit = session.scalar(select(OrgUnit).where(OrgUnit.ward_id == petition.ward_id))
    if unit is None:
        unit = session.scalar(select(OrgUnit).where(OrgUnit.ward_id.is_(None)).limit(1))
    raw = unit.name if unit is not None else f"{FRONT} khu vực Tam Kỳ"
    name = re.sub(r"^Ủy ban MTTQ(VN| Việt Nam)", FRONT, raw.strip())
    place = petition.ward.name if petition.ward is not None else "Tam Kỳ"
    return FrontUnit(name=name, place=place)


def document_date(day: date) -> str:
    """'ngày 05 tháng 3 năm 2026' (Nghị định 30/2020: zero before days < 10, months 1 and 2)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def additions(session: Session, petition: Petition) -> list[str]:
    """What the citizen added after the petition was received (dated, filtered)."""
    if petition.received_at is None:
        return []
    rows = session.execute(
        select(PetitionMessage.created_at, PetitionMessage.text)
        .where(
            PetitionMessage.petition_id == petition.id,
            PetitionMessage.direction == MessageDirection.IN,
        )
        .order_by(PetitionMessage.created_at, PetitionMessage.id)
    )
    out = []
    for created, text in rows:
        late = (created - petition.received_at).total_seconds() > ADDITIONS_AFTER_SECONDS
        if late and (text or "").strip():
            out.append(f"{local_date(created):%d/%m/%Y}: {for_agency(petition, text)}")
    return out


def slip_values(
    session: Session,
    petition: Petition,
    forward: Forward,
    *,
    calendar: WorkCalendar | None = None,
    due_basis: str = "",
    link: str = "",
) -> dict[str, str]:
    """The placeholder values of one slip."""
    cal = calendar if calendar is not None else WorkCalendar.load(session)
    unit = front_unit(session, petition)
    protected = is_protected(petition)
    reporter = PROTECTED if protected else (petition.reporter_name or _citizen_name(petition))
    contact = "" if protected or not petition.callback_phone else petition.callback_phone
    later = additions(session, petition)
    line1, line2 = unit.header
    return {
        "front_line": line1,
        "unit_line": line2,
        "unit_name": unit.name,
        "document_number": forward.document_number or "……/MTTQ-BTT",
        "place_date": f"{unit.place}, {document_date(forward.sent_on)}",
        "agency_name": forward.agency.name,
        "code": petition.code or "",
        "legal_type": LEGAL_TYPE_LABELS.get(
            petition.legal_type or "", "phản ánh, kiến nghị"
        ).lower(),
        "reporter": reporter,
        "contact": contact or "(không cung cấp)",
        "received_date": f"{local_date(petition.received_at):%d/%m/%Y}"
        if petition.received_at
        else "",
        "channel": CHANNEL_LABELS.get(petition.channel, petition.channel),
        "category": petition.category.name if petition.category else "Chưa xác định",
        "ward": petition.ward.full_name if petition.ward else "chưa xác định",
        "place": for_agency(petition, petition.place) or "(không nêu)",
        "summary": agency_summary(petition) or "(không có)",
        "content": agency_text(petition),
        "additions": (
            "Thông tin người gửi bổ sung sau khi tiếp nhận: " + "; ".join(later) if later else ""
        ),
        "due_date": f"{forward.handler_due_on:%d/%m/%Y}",
        "due_working_days": str(
            max(0, cal.working_days_between(forward.sent_on, forward.handler_due_on))
        ),
        "due_basis": (due_basis[:1].lower() + due_basis[1:]) if due_basis else "theo quy định",
        "link": link or "(đăng nhập trang quản trị PAKN Tam Kỳ)",
        "confidential_note": (
            "Đề nghị cơ quan giữ bí mật họ tên, địa chỉ, bút tích và thông tin cá nhân khác "
            "của người tố cáo theo quy định của Luật Tố cáo."
            if protected
            else ""
        ),
    }


def _citizen_name(petition: Petition) -> str:
    citizen = petition.citizen
    return (citizen.display_name if citizen and citizen.display_name else None) or "công dân"


def render_slip(values: Mapping[str, str], template: Path = TEMPLATE) -> bytes:
    """Fill the template's {{placeholders}} (runs merged per paragraph) and return .docx.

    A paragraph that held only placeholders and came out empty is removed (no blank lines
    for a note that does not apply).
    """
    doc = Document(str(template))
    for paragraph in list(_paragraphs(doc)):
        if "{{" not in paragraph.text:
            continue
        only_fields = not _PLACEHOLDER.sub("", paragraph.text).strip()
        filled = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), paragraph.text)
        if only_fields and not filled.strip():
            element = paragraph._element
            element.getparent().remove(element)
            continue
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
    session: Session,
    petition: Petition,
    forward: Forward,
    *,
    base_dir: Path,
    due_basis: str = "",
    link: str = "",
    calendar: WorkCalendar | None = None,
) -> str:
    """Render and store a forward's slip; return its path relative to base_dir."""
    values = slip_values(
        session, petition, forward, calendar=calendar, due_basis=due_basis, link=link
    )
    relative = Path("slips") / f"{petition.code}-{forward.id}.docx"
    target = base_dir / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(render_slip(values))
    forward.slip_path = str(relative)
    return str(relative)
