"""Settings the office changes: validated, kept with history, audited, and read through
effective() by the consumers (office hours, retention, the reminder ladder)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time, timedelta
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from handlers import office_settings as office
from handlers.conversation.config import ConversationConfig
from handlers.conversation.hours import after_hours_note
from handlers.jobs import JobContext
from handlers.reminders.engine import open_pass
from handlers.retention import purge_job
from storage.models import AuditEntry, InboundEvent, SettingChange, StaffUser
from storage.models.base import utcnow
from tests.admin.conftest import post
from tests.workflow import helpers as h


def test_a_change_is_stored_with_history_and_audited(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    admin = signed_in("admin")
    assert office.effective(db_session, "office_hours") == (
        (time(7, 30), time(11, 30)),
        (time(13, 30), time(17)),
    )
    page = client.get("/admin/settings").get_data(as_text=True)
    assert "07:30-11:30, 13:30-17:00" in page and "CONVERSATION_OFFICE_HOURS" in page
    saved = post(client, "/admin/settings/office_hours", {"value": "7h00-11h00; 13h30-17h30"})
    assert saved.status_code == 302
    assert office.effective(db_session, "office_hours") == (
        (time(7), time(11)),
        (time(13, 30), time(17, 30)),
    )
    post(client, "/admin/settings/office_hours", {"reset": "1"})
    assert office.effective(db_session, "office_hours", ((time(8), time(12)),)) == (
        (time(8), time(12)),
    )
    history = db_session.scalars(select(SettingChange).order_by(SettingChange.id)).all()
    assert [(c.value, c.changed_by_id) for c in history] == [
        ("07:00-11:00, 13:30-17:30", admin.id),
        (None, admin.id),
    ]
    entries = db_session.scalars(
        select(AuditEntry).where(AuditEntry.kind == "setting.update")
    ).all()
    assert [(e.before, e.after) for e in entries] == [
        ({"value": None}, {"value": "07:00-11:00, 13:30-17:30"}),
        ({"value": "07:00-11:00, 13:30-17:30"}, {"value": None}),
    ]
    page = client.get("/admin/settings").get_data(as_text=True)
    assert "Lịch sử thay đổi (2)" in page


def test_a_refused_value_stays_in_the_box_with_the_reason(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("admin")
    cases = {
        "office_hours": ("13:30-17:00, 07:30-11:30", "không chồng lên nhau"),
        "ladder.agenda_after": ("5", "Văn bản đôn đốc lần 2 phải đến trước"),
        "retention.inbound_raw_days": ("bảy", "số nguyên"),
        "emergency.hotlines": ("gọi ngay", "số: nơi nhận"),
    }
    for key, (typed, reason) in cases.items():
        response = post(client, f"/admin/settings/{key}", {"value": typed})
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and reason in page and typed in page, key
    assert db_session.scalar(select(SettingChange)) is None
    assert post(client, "/admin/settings/khong_co", {"value": "1"}).status_code == 404


def test_supervisors_change_all_but_retention(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("supervisor")
    assert post(client, "/admin/settings/retention.audit_days", {"value": "400"}).status_code == 403
    hotlines = "114: Cứu hỏa\n113: Công an phường\n115: Cấp cứu\n0235 3812 345: Trực ban phường"
    assert (
        post(client, "/admin/settings/emergency.hotlines", {"value": hotlines}).status_code == 302
    )
    assert office.effective(db_session, "emergency.hotlines")[-1] == (
        "02353812345",
        "Trực ban phường",
    )
    assert "Chỉ quản trị viên" in client.get("/admin/settings").get_data(as_text=True)


def test_the_consumers_read_the_office_values(
    db_session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    admin = h.staff(db_session, "admin")
    now = utcnow()
    # Office hours: on a Monday at 18:00 local time staff are out, unless the day runs late.
    monday_evening = h.ORDINARY_MONDAY.replace(hour=11)  # 18:00 in Vietnam
    config = ConversationConfig()
    assert after_hours_note(db_session, monday_evening, config) is not None
    office.change(db_session, "office_hours", "07:30-11:30, 13:30-19:00", by=admin, now=now)
    assert after_hours_note(db_session, monday_evening, config) is None
    # The reminder ladder: changed offsets replace the process's, the rest stay.
    office.change(db_session, "ladder.agency_remind_before", "3", by=admin, now=now)
    db_session.commit()
    ctx = JobContext(sessions=session_factory, now=now)
    with session_factory() as s:
        ladder = open_pass(s, ctx).config.ladder
    assert ladder.agency_remind_before == 3 and ladder.second_letter_after == 10
    # Retention of raw webhook bodies: the office's 2 days beat the process's 7.
    event = InboundEvent(
        dedup_key="thu-giu-lai",
        event_name="user_send_text",
        raw_body=b"{}",
        state="processed",
        received_at=now - timedelta(days=3),
        processed_at=now - timedelta(days=3),
    )
    db_session.add(event)
    db_session.commit()
    assert purge_job(JobContext(sessions=session_factory, now=now))["purged"] == 0
    office.change(db_session, "retention.inbound_raw_days", "2", by=admin, now=now)
    db_session.commit()
    assert purge_job(JobContext(sessions=session_factory, now=now)) == {
        "purged": 1,
        "retention_days": 2,
    }
