"""Chase letters from draft to sent: the citizen is told, and the history says "sent", only
once staff record the number, signer and date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Cm
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from handlers import chase, tasks
from handlers import workflow as wf
from handlers.reminders import letters
from handlers.reminders.config import ReminderConfig
from handlers.workflow.actors import Actor
from handlers.workflow.slips import TEMPLATE as SLIP
from handlers.workflow.slips import FrontUnit
from storage.models import ChaseLetter, PetitionEvent, StaffNotification
from tests.reminders import helpers as r

D = date


def _text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def _history(s: Session, petition_id: int) -> list[tuple[str, str]]:
    rows = s.execute(
        select(PetitionEvent.action, PetitionEvent.note)
        .where(PetitionEvent.petition_id == petition_id)
        .order_by(PetitionEvent.id)
    )
    return [(a, n) for a, n in rows]


@pytest.mark.parametrize("name", sorted(letters.TEMPLATE_FILES.values()))
def test_shipped_documents_are_a4_with_the_front_header(name: str) -> None:
    doc = Document(str(letters.SHIPPED_TEMPLATES / name))
    section = doc.sections[0]
    assert (round(section.page_width / Cm(1), 1), round(section.page_height / Cm(1), 1)) == (
        21.0,
        29.7,
    )
    header = doc.tables[0].rows[0].cells
    committee = [p.text for p in header[0].paragraphs[:3]]
    assert committee == [
        "ỦY BAN MẶT TRẬN TỔ QUỐC",
        "VIỆT NAM {{ten_don_vi_hoa}}",
        "BAN THƯỜNG TRỰC",
    ]
    assert header[1].paragraphs[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    # The forwarding slip of the same committee reads the same, on the same page.
    unit = FrontUnit(name="Ủy ban Mặt trận Tổ quốc Việt Nam phường Tam Kỳ", place="Tam Kỳ")
    filled = [line.replace("{{ten_don_vi_hoa}}", "PHƯỜNG TAM KỲ") for line in committee[:2]]
    assert tuple(filled) == unit.header
    slip = Document(str(SLIP)).sections[0]
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        assert getattr(section, side) == getattr(slip, side), side
    assert doc.styles["Normal"].font.size == Document(str(SLIP)).styles["Normal"].font.size


def test_a_letter_is_sent_only_when_recorded(
    db_session: Session, session_factory: sessionmaker[Session], cfg: ReminderConfig
) -> None:
    s = db_session
    officer = r.officer(s)
    agency = r.agency(s)
    petition, fwd = r.forwarded(s, r.at(D(2026, 11, 2)), D(2026, 11, 5), officer)
    s.commit()
    r.walk(session_factory, D(2026, 11, 2), D(2026, 11, 6), cfg, ("reminders-agency",))
    s.expire_all()
    [letter] = s.scalars(select(ChaseLetter)).all()
    assert (letter.kind, letter.agency_id, letter.sent_on) == ("letter1", agency.id, None)
    draft = Path(cfg.letter_dir) / str(letter.draft_path)
    assert "PHƯỜNG TAM KỲ" in _text(draft) and "Số: ……/MTTQ-BTT" in _text(draft)
    assert r.citizen_messages(s, petition) == []  # a draft is not a chase
    history = _history(s, petition.id)
    assert history[-1][0] == "letter_drafted" and "chờ cán bộ trình ký" in history[-1][1]
    item = s.scalar(select(StaffNotification).where(StaffNotification.kind == "letter"))
    assert item is not None and item.link == f"/letters/{letter.id}" and item.done_at is None
    assert "văn bản đôn đốc lần 1" in item.title and item.petition_id == petition.id

    who = Actor.of_staff(officer)
    with pytest.raises(wf.InvalidInput):
        chase.record_sent(
            s,
            letter,
            actor=who,
            document_number=" ",
            signer="Lê Thị B",
            sent_on=D(2026, 11, 6),
            now=r.at(D(2026, 11, 6), 15),
            letter_dir=cfg.letter_dir,
        )
    with pytest.raises(wf.InvalidInput, match="sau hôm nay"):
        chase.record_sent(
            s,
            letter,
            actor=who,
            document_number="41/MTTQ-BTT",
            signer="Lê Thị B",
            sent_on=D(2026, 11, 7),
            now=r.at(D(2026, 11, 6), 15),
            letter_dir=cfg.letter_dir,
        )
    liaison = Actor.of_staff(r.liaison(s))
    with pytest.raises(wf.NotAllowed):
        chase.record_sent(
            s,
            letter,
            actor=liaison,
            document_number="41",
            signer="x",
            sent_on=D(2026, 11, 6),
            now=r.at(D(2026, 11, 6), 15),
            letter_dir=cfg.letter_dir,
        )
    assert r.citizen_messages(s, petition) == [] and letter.sent_on is None

    chase.record_sent(
        s,
        letter,
        actor=who,
        document_number="41/MTTQ-BTT",
        signer="Lê Thị B, Chủ tịch",
        sent_on=D(2026, 11, 6),
        now=r.at(D(2026, 11, 6), 15),
        letter_dir=cfg.letter_dir,
    )
    s.commit()
    [told] = r.citizen_messages(s, petition)
    assert f"Hồ sơ {petition.code}: {agency.name} chưa có kết quả" in told
    assert "đã gửi văn bản đôn đốc" in told
    action, note = _history(s, petition.id)[-1]
    assert action == "letter_sent"
    assert note == (
        f"Đã gửi văn bản đôn đốc lần 1 số 41/MTTQ-BTT ngày 06/11/2026 đến {agency.name} "
        "(người ký: Lê Thị B, Chủ tịch)"
    )
    final = _text(Path(cfg.letter_dir) / str(letter.final_path))
    assert "Số: 41/MTTQ-BTT" in final and "Lê Thị B, Chủ tịch" in final
    assert "ngày 06 tháng 11 năm 2026" in final and "……" not in final.split("Kính gửi")[0]
    s.refresh(item)
    assert item.done_at is not None and item.done_note == "Đã gửi"
    with pytest.raises(wf.InvalidState):
        chase.record_sent(
            s,
            letter,
            actor=who,
            document_number="42",
            signer="x",
            sent_on=D(2026, 11, 6),
            now=r.at(D(2026, 11, 6), 16),
            letter_dir=cfg.letter_dir,
        )
    assert len(r.citizen_messages(s, petition)) == 1
    assert fwd.id == letter.forward_id


def test_second_letter_and_supervision_proposal_appear_the_same_way(
    db_session: Session, session_factory: sessionmaker[Session], cfg: ReminderConfig
) -> None:
    s = db_session
    officer = r.officer(s)
    r.supervisor(s)
    petition, _ = r.forwarded(s, r.at(D(2026, 11, 2)), D(2026, 11, 5), officer)
    s.commit()
    r.walk(session_factory, D(2026, 11, 2), D(2026, 12, 4), cfg, ("reminders-agency",))
    s.expire_all()
    boss = Actor.of_staff(r.supervisor(s))
    rows = chase.letters_for(s, boss, tab="pending")
    assert [x.letter.kind for x in rows] == ["letter1", "letter2", "agenda"]
    proposal = Path(cfg.letter_dir) / str(rows[2].letter.draft_path)
    text = _text(proposal)
    assert "V/v đề xuất giám sát việc giải quyết phản ánh, kiến nghị của công dân" in text
    assert "Kính gửi: Ban Thường trực Ủy ban MTTQ Việt Nam phường Tam Kỳ." in text
    assert "ngày 06/11/2026 và ngày 19/11/2026" in text  # both letters' dates
    agenda = s.scalar(select(StaffNotification).where(StaffNotification.kind == "agenda"))
    assert agenda is not None and agenda.role == "supervisor"
    assert tasks.is_visible(agenda, boss)
    chase.record_sent(
        s,
        rows[2].letter,
        actor=boss,
        document_number="7/ĐX",
        signer="Trần Văn C",
        sent_on=D(2026, 12, 4),
        now=r.at(D(2026, 12, 4), 15),
        letter_dir=cfg.letter_dir,
    )
    assert r.citizen_messages(s, petition) == []  # the proposal is internal
    assert _history(s, petition.id)[-1][0] == "agenda_sent"
    wf.record_agency_answer(s, petition, actor=officer, text="Đã xử lý", now=r.at(D(2026, 12, 7)))
    s.commit()
    assert chase.letters_for(s, boss, tab="pending") == []  # answered: nothing left to send
    assert [x.letter.kind for x in chase.letters_for(s, boss, tab="moot")] == ["letter2", "letter1"]
    other_ward = Actor.of_staff(r.officer(s, ward="quang_phu"))
    assert chase.letters_for(s, other_ward, tab="all") == []
    assert chase.letter_for(s, other_ward, rows[0].letter.id) is None
