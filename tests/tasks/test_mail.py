"""Việc cần làm by email: urgent items at once, one morning digest per person, as each chose."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from handlers import tasks
from handlers import workflow as wf
from handlers.jobs import JobContext, run_job
from handlers.reminders.config import ReminderConfig
from handlers.reminders.jobs import JOBS
from handlers.services import Services
from storage.models import OutboxMessage, StaffUser
from tests.workflow import helpers as h

VN = ZoneInfo("Asia/Ho_Chi_Minh")
ADMIN = "https://pakn.example.vn/admin"


def _run(sessions: sessionmaker[Session], name: str, now: datetime) -> Mapping[str, Any]:
    cfg = ReminderConfig(admin_url=ADMIN)
    return run_job(
        JOBS, name, JobContext(sessions=sessions, now=now, services=Services(reminders=cfg))
    )


def _user(s: Session, role: str, mode: str, wards: tuple[str, ...] = ("tam_ky",)) -> StaffUser:
    user = h.staff(s, role, wards=wards)
    user.email, user.email_mode = f"{user.username}@mttq.test", mode
    return user


def _emails(s: Session) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    rows = s.scalars(select(OutboxMessage).where(OutboxMessage.channel == "email"))
    for m in rows:
        out.setdefault(m.recipient, []).append(m.payload["subject"])
    return out


def _working_morning(s: Session, hour: int = 8, minute: int = 30) -> datetime:
    """The latest working day up to today, at hh:mm in Tam Kỳ."""
    cal = wf.WorkCalendar.load(s)
    day = wf.local_date(datetime.now(UTC))
    while not cal.is_working_day(day):
        day -= timedelta(days=1)
    return datetime.combine(day, time(hour, minute), VN).astimezone(UTC)


def test_urgent_items_go_out_at_once_to_whoever_they_concern(
    db_session: Session, session_factory: sessionmaker[Session]
) -> None:
    s = db_session
    digest = _user(s, "staff", "digest")
    everything = _user(s, "staff", "all")
    quiet = _user(s, "staff", "off")
    other_ward = _user(s, "staff", "digest", wards=("quang_phu",))
    boss = _user(s, "supervisor", "urgent", wards=())
    now = datetime.now(UTC)
    ward = h.ward(s).id
    urgent = tasks.raise_item(s, kind="urgent", title="KHẨN: cháy chợ", now=now, ward_id=ward)
    normal = tasks.raise_item(s, kind="abuse", title="Lời lẽ xúc phạm", now=now, ward_id=ward)
    s.commit()
    assert _run(session_factory, "tasks-alert", now) == {"items": 2, "emails": 4}
    s.expire_all()
    emails = _emails(s)
    assert emails[digest.email] == ["[PAKN] KHẨN: cháy chợ"]
    assert sorted(emails[everything.email]) == [
        "[PAKN] KHẨN: cháy chợ",
        "[PAKN] Lời lẽ xúc phạm",
    ]
    assert emails[boss.email] == ["[PAKN] KHẨN: cháy chợ"]  # urgent reaches supervisors
    assert quiet.email not in emails and other_ward.email not in emails
    body = s.scalar(select(OutboxMessage.payload).where(OutboxMessage.recipient == digest.email))
    assert body is not None and f"{ADMIN}/tasks/{urgent.id}/open" in body["body"]
    assert _run(session_factory, "tasks-alert", now + timedelta(minutes=1))["items"] == 0
    assert normal.id  # raised once, emailed once


def test_one_digest_per_person_each_working_morning(
    db_session: Session, session_factory: sessionmaker[Session]
) -> None:
    s = db_session
    reader = _user(s, "staff", "digest")
    _user(s, "staff", "digest", wards=("huong_tra",))  # nothing waits in Hương Trà
    _user(s, "staff", "all")  # gets each item at once instead
    morning = _working_morning(s)
    ward = h.ward(s).id
    for n in range(3):
        tasks.raise_item(
            s,
            kind="citizen_followup",
            title=f"Bổ sung {n}",
            now=morning - timedelta(hours=n + 1),
            ward_id=ward,
        )
    urgent = tasks.raise_item(
        s, kind="urgent", title="Sập tường", now=morning - timedelta(hours=9), ward_id=ward
    )
    s.commit()
    assert _run(session_factory, "tasks-digest", morning)["digests"] == 1
    assert _run(session_factory, "tasks-digest", morning + timedelta(hours=1))["digests"] == 1
    s.expire_all()
    [mail] = s.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == reader.email)
    ).all()  # the re-run found its dedup key
    subject, body = mail.payload["subject"], mail.payload["body"]
    day = wf.local_date(morning)
    assert subject == f"[PAKN] Việc cần làm ngày {day:%d/%m/%Y}: 4 việc (1 khẩn)"
    assert body.index("Sập tường") < body.index("Bổ sung 0") < body.index("Bổ sung 2")
    assert f"{ADMIN}/tasks/{urgent.id}/open" in body and f"{ADMIN}/me" in body
    sunday = morning + timedelta(days=(6 - wf.local_date(morning).weekday()))
    assert _run(session_factory, "tasks-digest", sunday)["skipped"] == "not a working day"
