"""Đôn đốc letters: filled from the .docx templates, readable by Word (python-docx here)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from handlers import workflow as wf
from handlers.reminders import letters, queries
from handlers.reminders.agency import letter_date
from handlers.reminders.config import ReminderConfig
from handlers.reminders.letter_templates import build_default_templates
from storage.models import Reminder
from tests.reminders import helpers as r

D = date


def _text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def test_the_ladder_letters(
    db_session: Session, session_factory: sessionmaker[Session], cfg: ReminderConfig
) -> None:
    officer = r.officer(db_session)
    agency = r.agency(db_session)
    petition, fwd = r.forwarded(db_session, r.at(D(2026, 11, 2)), D(2026, 11, 5), officer)
    db_session.commit()
    r.walk(session_factory, D(2026, 11, 2), D(2026, 11, 19), cfg, ("reminders-agency",))
    rows = db_session.scalars(
        select(Reminder).where(Reminder.letter_path.is_not(None)).order_by(Reminder.id)
    ).all()
    assert [x.rung for x in rows] == ["overdue", "letter2"]
    first, second = (_text(Path(cfg.letter_dir) / str(x.letter_path)) for x in rows)
    assert "V/v đôn đốc giải quyết phản ánh, kiến nghị của công dân (lần 1)" in first
    assert f"Kính gửi: {agency.name}." in first
    assert f"mã hồ sơ {petition.code}" in first and f"văn bản số {fwd.document_number}" in first
    assert "đến ngày 05/11/2026" in first and "Tam Kỳ, ngày 06 tháng 11 năm 2026" in first
    assert "trước ngày 13/11/2026" in first  # five working days to answer
    assert "Số: ……/MTTQ-BTT" in first  # the number is given when the letter is registered
    assert "{{" not in first and "{{" not in second
    assert "(lần 2)" in second and "Kính gửi: Chủ tịch UBND phường Tam Kỳ." in second
    assert "ngày 06/11/2026, Ban Thường trực đã có văn bản đôn đốc lần thứ nhất" in second
    assert "quá thời hạn giải quyết 10 ngày làm việc" in second
    # never the citizen's identity (a tố cáo's author is protected)
    citizen = petition.citizen
    assert citizen is not None and citizen.display_name not in first + second
    assert rows[0].data == {"manual_fields": ["nguoi_ky", "so_van_ban"]}


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 2, 5), ("05", "02", "2026")),
        (D(2026, 11, 24), ("24", "11", "2026")),
        (D(2026, 3, 1), ("01", "3", "2026")),
    ],
)
def test_letter_dates_follow_decree_30(day: date, expected: tuple[str, str, str]) -> None:
    assert letter_date(day) == expected


def test_an_administrators_template_with_split_placeholders(tmp_path: Path) -> None:
    """Word splits typed text into runs; a placeholder broken over runs still fills."""
    folder = tmp_path / "templates"
    build_default_templates(folder)
    doc = Document(str(folder / "don_doc_lan_1.docx"))
    paragraph = doc.add_paragraph()
    for piece in ("Ghi chú: {{", "ma_", "ho_so}} & <cảm ơn>"):
        paragraph.add_run(piece)
    doc.save(str(folder / "don_doc_lan_1.docx"))
    template = letters.compiled("overdue", str(folder))
    values = {name: f"<{name}>" for name in template.names}
    values["ma_ho_so"] = "TK-2611-000007"
    out = tmp_path / "out.docx"
    out.write_bytes(letters.fill(template, values))
    text = _text(out)
    assert "Ghi chú: TK-2611-000007 & <cảm ơn>" in text
    assert "<co_quan>" in text  # values are escaped into the XML, not injected
    with pytest.raises(letters.LetterTemplateError, match="co_quan"):
        letters.fill(template, {"ma_ho_so": "x"})


def test_shipped_templates_are_current(tmp_path: Path) -> None:
    """The committed .docx files match letter_templates.py (rebuild them after editing it)."""
    build_default_templates(tmp_path)
    for name in letters.TEMPLATE_FILES.values():
        assert _text(tmp_path / name) == _text(letters.SHIPPED_TEMPLATES / name)


def test_letters_and_agenda_are_listed_for_staff(
    db_session: Session, session_factory: sessionmaker[Session], cfg: ReminderConfig
) -> None:
    officer = r.officer(db_session)
    other = r.officer(db_session, ward="huong_tra")
    petition, _ = r.forwarded(db_session, r.at(D(2026, 11, 2)), D(2026, 11, 5), officer)
    r.forwarded(
        db_session,
        r.at(D(2026, 11, 2)),
        D(2026, 11, 6),
        other,
        ward="huong_tra",
        agency_code="ubnd_huong_tra",
    )
    db_session.commit()
    r.walk(session_factory, D(2026, 11, 2), D(2026, 12, 7), cfg, ("reminders-agency",))
    tam_ky = r.h.ward(db_session).id
    mine = queries.letters_to_sign(db_session, ward_ids=[tam_ky])
    assert [(e.rung, e.code, e.agency) for e in mine] == [
        ("letter2", petition.code, "UBND phường Tam Kỳ"),
        ("overdue", petition.code, "UBND phường Tam Kỳ"),
    ]
    assert all((Path(cfg.letter_dir) / str(e.letter_path)).is_file() for e in mine)
    assert len(queries.letters_to_sign(db_session)) == 4
    agenda = queries.supervision_agenda(db_session)
    assert len(agenda) == 2 and petition.code in {e.code for e in agenda}
    wf.close(db_session, petition, actor=officer, reason="resolved", now=r.at(D(2026, 12, 8)))
    db_session.commit()
    assert queries.supervision_agenda(db_session, ward_ids=[tam_ky]) == []  # closed: off the list
