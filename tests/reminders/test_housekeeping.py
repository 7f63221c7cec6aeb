"""The supervisors' daily digest."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from handlers.reminders.config import ReminderConfig
from tests.reminders import helpers as r
from tests.workflow.helpers import MONDAY

D = timedelta


def test_supervisors_digest_once_a_working_day(
    db_session: Session, session_factory: sessionmaker[Session], cfg: ReminderConfig
) -> None:
    officer = r.officer(db_session)
    sup = r.supervisor(db_session)
    r.received(db_session, r.at(MONDAY))  # a Monday of an ordinary week
    r.forwarded(db_session, r.at(MONDAY - D(7)), MONDAY - D(4), officer)  # due last Thursday
    db_session.commit()
    assert r.run(session_factory, "supervisors-digest", r.at(MONDAY, 7, 30), cfg) == {
        "date": MONDAY.isoformat(),
        "digests": 1,
        "emails": 1,
    }
    again = r.run(session_factory, "supervisors-digest", r.at(MONDAY, 9), cfg)
    assert again["digests"] == 0
    saturday = r.run(session_factory, "supervisors-digest", r.at(MONDAY + D(5), 7, 30), cfg)
    assert saturday["skipped"] == "not a working day"
    [email] = r.reminder_emails(db_session)
    assert email.recipient == sup.email
    body = email.payload["body"]
    assert "phường Tam Kỳ — hồ sơ đang xử lý: 2; chờ phân loại: 1; quá hạn" in body
    assert "cơ quan đã quá hạn: 1" in body
    assert "phường Quảng Phú — hồ sơ đang xử lý: 0" in body
