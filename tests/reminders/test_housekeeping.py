"""The supervisors' daily digest."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from handlers.reminders.config import ReminderConfig
from tests.reminders import helpers as r

D = date


def test_supervisors_digest_once_a_working_day(
    db_session: Session, session_factory: sessionmaker[Session], cfg: ReminderConfig
) -> None:
    officer = r.officer(db_session)
    sup = r.supervisor(db_session)
    r.received(db_session, r.at(D(2026, 11, 2)))
    r.forwarded(db_session, r.at(D(2026, 10, 26)), D(2026, 10, 29), officer)
    db_session.commit()
    assert r.run(session_factory, "supervisors-digest", r.at(D(2026, 11, 2), 7, 30), cfg) == {
        "date": "2026-11-02",
        "digests": 1,
        "emails": 1,
    }
    again = r.run(session_factory, "supervisors-digest", r.at(D(2026, 11, 2), 9), cfg)
    assert again["digests"] == 0
    saturday = r.run(session_factory, "supervisors-digest", r.at(D(2026, 11, 7), 7, 30), cfg)
    assert saturday["skipped"] == "not a working day"
    [email] = r.reminder_emails(db_session)
    assert email.recipient == sup.email
    body = email.payload["body"]
    assert "phường Tam Kỳ — hồ sơ đang xử lý: 2; chờ phân loại: 1; quá hạn" in body
    assert "cơ quan đã quá hạn: 1" in body
    assert "phường Quảng Phú — hồ sơ đang xử lý: 0" in body
