"""The supervisors' daily digest and the monthly figures stored for the report."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from handlers import workflow as wf
from handlers.reminders.config import ReminderConfig
from storage.models import MonthlyStat
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


def test_monthly_figures_are_stored_once(
    db_session: Session, session_factory: sessionmaker[Session], cfg: ReminderConfig
) -> None:
    officer = r.officer(db_session)
    late, _ = r.forwarded(db_session, r.at(D(2026, 10, 5)), D(2026, 10, 8), officer)
    on_time, _ = r.forwarded(db_session, r.at(D(2026, 10, 5)), D(2026, 10, 9), officer)
    wf.record_agency_answer(
        db_session, on_time, actor=officer, text="Đã xử lý", now=r.at(D(2026, 10, 9), 16)
    )
    front = r.received(db_session, r.at(D(2026, 10, 12)), ward="quang_phu")
    wf.answer_directly(
        db_session,
        front,
        actor=r.officer(db_session, ward="quang_phu"),
        answer="Hướng dẫn thủ tục",
        now=r.at(D(2026, 10, 13)),
    )
    r.received(db_session, r.at(D(2026, 11, 2)))  # next month: not counted
    db_session.commit()
    result = r.run(session_factory, "monthly-stats", r.at(D(2026, 11, 1), 1, 30), cfg)
    assert result == {"period": "2026-10", "stored": True, "received": 3}
    again = r.run(session_factory, "monthly-stats", r.at(D(2026, 11, 3), 1, 30), cfg)
    assert again == {"period": "2026-10", "stored": False}
    stat = db_session.get(MonthlyStat, "2026-10")
    assert stat is not None
    figures = stat.figures
    assert figures["totals"] == {
        "received": 3,
        "forwarded": 2,
        "answered": 2,
        "overdue": 1,
        "on_time": 1,
    }
    assert figures["by_agency"]["ubnd_tam_ky"] == {
        "received": 0,
        "forwarded": 2,
        "answered": 1,
        "overdue": 1,
        "on_time": 1,
    }
    assert figures["by_ward"]["tam_ky"]["received"] == 2
    assert figures["by_ward"]["quang_phu"]["answered"] == 1
    assert figures["by_field"]["moi_truong"]["received"] == 3
