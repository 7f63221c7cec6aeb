"""Forwarding slips follow the personal-data rules; uploads are checked by content."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy.orm import Session

from handlers import workflow as wf
from handlers.workflow.files import resolve, sniff, store_upload
from handlers.workflow.slips import write_slip
from tests.workflow import helpers as h

T0 = h.ORDINARY_MONDAY


def _slip_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _forward(
    s: Session, received_on: date | None = None, **kw: object
) -> tuple[wf.Actor, object, object]:
    officer = h.staff(s)
    p = wf.submit(s, h.draft(s, **kw), now=T0, received_on=received_on)  # type: ignore[arg-type]
    wf.triage(
        s,
        p,
        actor=officer,
        category_id=p.category_id,
        ward_id=p.ward_id,
        legal_type=p.legal_type or "phan_anh",
        urgent=False,
        now=T0,
    )
    h.reviewed(s, p, officer, T0)
    fwd = wf.forward(
        s,
        p,
        actor=officer,
        agency=h.agency(s),
        channel="van_ban",
        document_number="31/MTTQ-BTT",
        sent_on=h.MONDAY,
        now=T0,
    )
    return officer, p, fwd  # type: ignore[return-value]


def test_slip_names_the_reporter_of_an_ordinary_petition(
    db_session: Session, tmp_path: Path
) -> None:
    _, p, fwd = _forward(
        db_session, phone="0905111222", text="Cống nghẹt trước nhà, gọi tôi 0905111222 nhé."
    )
    p.reporter_name = "Trần Thị Bích"  # type: ignore[attr-defined]
    rel = write_slip(db_session, p, fwd, base_dir=tmp_path)  # type: ignore[arg-type]
    text = _slip_text(tmp_path / rel)
    assert "Trần Thị Bích" in text and "0905111222" in text  # the call-back number only
    assert "gọi tôi 0905111222" not in text  # personal data inside the text is masked
    due = f"{h.MONDAY + timedelta(days=3):%d/%m/%Y}"  # Thursday: 3 working days after Monday
    assert "31/MTTQ-BTT" in text and "UBND phường Tam Kỳ" in text and due in text
    # Nghị định 30/2020: the Front committee spelled out, the ward as the place line.
    assert "ỦY BAN MẶT TRẬN TỔ QUỐC\nVIỆT NAM PHƯỜNG TAM KỲ" in text
    month = f"{h.MONDAY.month:02d}" if h.MONDAY.month < 3 else str(h.MONDAY.month)
    assert f"Tam Kỳ, ngày {h.MONDAY.day:02d} tháng {month} năm {h.MONDAY.year}" in text
    assert f"trước ngày {due} (3 ngày làm việc kể từ ngày chuyển" in text
    assert "{{" not in text


def test_slip_dates_a_letter_entered_later_by_its_day_of_receipt(
    db_session: Session, tmp_path: Path
) -> None:
    friday = h.MONDAY - timedelta(days=3)  # a letter of last Friday, typed in on Monday
    _, p, fwd = _forward(db_session, received_on=friday)
    rel = write_slip(db_session, p, fwd, base_dir=tmp_path)  # type: ignore[arg-type]
    assert f"ngày tiếp nhận: {friday:%d/%m/%Y};" in _slip_text(tmp_path / rel)


def test_slip_never_names_a_to_cao_author(db_session: Session, tmp_path: Path) -> None:
    _, p, fwd = _forward(
        db_session,
        legal_type="to_cao",
        category_code="tham_nhung_tieu_cuc",
        phone="0905999888",
        text="Tôi là Lê Văn Tám, số 0905999888, tố cáo cán bộ nhận tiền.",
    )
    p.reporter_name = "Lê Văn Tám"  # type: ignore[attr-defined]
    rel = write_slip(db_session, p, fwd, base_dir=tmp_path)  # type: ignore[arg-type]
    text = _slip_text(tmp_path / rel)
    assert "0905999888" not in text
    assert "Người tố cáo (thông tin được giữ bí mật" in text
    assert "Lê Văn Tám" not in text and "Tôi là [người tố cáo]" in text
    assert "giữ bí mật họ tên" in text


def test_uploads_are_checked_by_content_and_size(db_session: Session, tmp_path: Path) -> None:
    p = wf.submit(db_session, h.draft(db_session), now=T0)
    png = h.tiny_png()
    row = store_upload(
        db_session,
        data=png,
        filename="../../etc/ảnh.png",
        base_dir=tmp_path,
        max_bytes=10_000,
        petition=p,
    )
    assert row.mime_type == "image/png" and row.kind == "image"
    assert row.original_name == "ảnh.png" and row.storage_path and ".." not in row.storage_path
    assert resolve(tmp_path, row.storage_path) is not None
    assert resolve(tmp_path, "../outside.txt") is None
    with pytest.raises(wf.InvalidInput):
        store_upload(
            db_session,
            data=b"<html><script>",
            filename="a.png",
            base_dir=tmp_path,
            max_bytes=10_000,
            petition=p,
        )
    with pytest.raises(wf.InvalidInput):
        store_upload(
            db_session, data=png, filename="a.png", base_dir=tmp_path, max_bytes=10, petition=p
        )
    with pytest.raises(wf.InvalidInput):
        store_upload(
            db_session,
            data=b"%PDF-1.7 ...",
            filename="a.pdf",
            base_dir=tmp_path,
            max_bytes=10_000,
            petition=p,
            images_only=True,
        )
    buffer = io.BytesIO()
    Document().save(buffer)
    assert sniff(buffer.getvalue()) is not None
    assert sniff(b"PK\x03\x04 just a zip") is None
