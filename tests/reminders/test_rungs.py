"""Each rung fires on the right working day — weekends, Tết, a holiday, a làm-bù Saturday.

Petitions move through the real workflow; the jobs run every calendar morning with an
injected clock, and the ledger says on which day each rung fired.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from handlers import workflow as wf
from handlers.reminders.config import ReminderConfig
from storage.models import PetitionEvent
from tests.reminders import helpers as r
from tests.workflow import helpers as h

D = date


@pytest.mark.parametrize(
    ("sent", "due", "expected"),
    [
        pytest.param(  # a weekend, and 24/11 (Ngày Văn hóa Việt Nam) inside the +20 count
            D(2026, 11, 2),
            D(2026, 11, 5),
            {
                "remind": D(2026, 11, 3),
                "overdue": D(2026, 11, 6),
                "letter2": D(2026, 11, 19),
                "agenda": D(2026, 12, 4),
            },
            id="ordinary-weeks",
        ),
        pytest.param(  # Tết 16–20/02/2026 between the deadline and the overdue morning
            D(2026, 2, 10),
            D(2026, 2, 13),
            {
                "remind": D(2026, 2, 11),
                "overdue": D(2026, 2, 23),
                "letter2": D(2026, 3, 6),
                "agenda": D(2026, 3, 20),
            },
            id="tet",
        ),
        pytest.param(  # 22/08/2026 is a làm-bù Saturday (a working day); 31/08–02/09 are off
            D(2026, 8, 17),
            D(2026, 8, 21),
            {
                "remind": D(2026, 8, 19),
                "overdue": D(2026, 8, 22),
                "letter2": D(2026, 9, 8),
                "agenda": D(2026, 9, 22),
            },
            id="lam-bu-saturday",
        ),
    ],
)
def test_agency_ladder_days(
    db_session: Session,
    session_factory: sessionmaker[Session],
    cfg: ReminderConfig,
    sent: date,
    due: date,
    expected: dict[str, date],
) -> None:
    officer = r.officer(db_session)
    petition, _ = r.forwarded(db_session, r.at(sent), due, officer)
    db_session.commit()
    r.walk(session_factory, sent, expected["agenda"], cfg, ("reminders-agency",))
    assert r.fired(db_session, petition) == expected


def test_a_calendar_day_deadline_on_a_sunday(
    db_session: Session, session_factory: sessionmaker[Session], cfg: ReminderConfig
) -> None:
    """A kiến nghị's 30 calendar days end on Sunday 06/12/2026: the deadline runs to Monday
    07/12 (no deadline ends on a day off), and the ladder counts from there."""
    officer = r.officer(db_session)
    petition = r.received(db_session, r.at(D(2026, 11, 6)), legal_type="kien_nghi")
    r.triaged(db_session, petition, r.at(D(2026, 11, 6)), officer)
    fwd = wf.forward(
        db_session,
        petition,
        actor=officer,
        agency=r.agency(db_session),
        channel="van_ban",
        document_number="9/MTTQ",
        sent_on=D(2026, 11, 6),
        now=r.at(D(2026, 11, 6)),
    )
    assert fwd.handler_due_on == D(2026, 12, 7)
    db_session.commit()
    r.walk(session_factory, D(2026, 11, 30), D(2027, 1, 5), cfg, ("reminders-agency",))
    assert r.fired(db_session, petition) == {
        "remind": D(2026, 12, 3),
        "overdue": D(2026, 12, 8),
        "letter2": D(2026, 12, 21),
        "agenda": D(2027, 1, 5),  # 01/01/2027 is a holiday
    }


def test_triage_and_decision_across_tet(
    db_session: Session, session_factory: sessionmaker[Session], cfg: ReminderConfig
) -> None:
    """Received Friday 13/02/2026, the last working day before Tết."""
    r.officer(db_session)
    r.supervisor(db_session)
    petition = r.received(db_session, h.BEFORE_TET)
    assert (petition.triage_due_on, petition.triage_hard_due_on) == (D(2026, 2, 23), D(2026, 2, 25))
    assert petition.decision_due_on == D(2026, 2, 23)  # 10 calendar days, Tết included
    db_session.commit()
    r.walk(
        session_factory,
        D(2026, 2, 13),
        D(2026, 2, 27),
        cfg,
        ("reminders-triage", "reminders-decision"),
    )
    assert r.fired(db_session, petition) == {
        # one working day is left (23/02) when it arrives: warned that very morning
        "decision-warn": D(2026, 2, 13),
        "triage": D(2026, 2, 24),
        "decision-late": D(2026, 2, 24),
        "triage-hard": D(2026, 2, 25),
    }
    kinds = [(n.kind, n.role) for n in r.notifications(db_session)]
    assert kinds == [
        ("reminder.decision-warn", "staff"),
        ("reminder.triage", "staff"),
        ("reminder.decision-late", "supervisor"),
        ("reminder.triage-hard", "supervisor"),
    ]


def test_result_relay_reminder(
    db_session: Session, session_factory: sessionmaker[Session], cfg: ReminderConfig
) -> None:
    officer = r.officer(db_session)
    petition, _ = r.forwarded(db_session, r.at(D(2026, 11, 2)), D(2026, 11, 13), officer)
    wf.record_agency_answer(
        db_session, petition, actor=officer, text="Đã xử lý", now=r.at(D(2026, 11, 6), 15)
    )
    assert petition.result_relay_due_on == D(2026, 11, 10)
    db_session.commit()
    r.walk(session_factory, D(2026, 11, 6), D(2026, 11, 13), cfg, ("reminders-relay",))
    assert r.fired(db_session, petition) == {"relay": D(2026, 11, 11)}
    [email] = r.reminder_emails(db_session)
    assert email.recipient == officer.email
    assert "chưa được gửi cho công dân" in email.payload["subject"]
    assert petition.code in email.payload["body"]


def test_satisfaction_reminder_then_auto_close(
    db_session: Session, session_factory: sessionmaker[Session], cfg: ReminderConfig
) -> None:
    officer = r.officer(db_session)
    petition, _ = r.forwarded(db_session, r.at(D(2026, 10, 26)), D(2026, 10, 29), officer)
    wf.record_agency_answer(
        db_session, petition, actor=officer, text="Đã thu gom", now=r.at(D(2026, 10, 30))
    )
    wf.send_result(
        db_session,
        petition,
        actor=officer,
        result_text="Đã thu gom rác",
        now=r.at(D(2026, 11, 2), 9),
    )
    db_session.commit()
    r.walk(session_factory, D(2026, 11, 2), D(2026, 11, 18), cfg, ("reminders-satisfaction",))
    assert r.fired(db_session, petition) == {
        "feedback-remind": D(2026, 11, 9),  # 5 working days after the result
        "auto-close": D(2026, 11, 17),  # the 10 working days ran out at the end of 16/11
    }
    db_session.expire_all()
    assert (petition.state, petition.close_reason) == ("closed", "no_answer")
    event = db_session.scalars(
        select(PetitionEvent)
        .where(PetitionEvent.petition_id == petition.id)
        .order_by(PetitionEvent.id.desc())
    ).first()
    assert event is not None and (event.action, event.actor_type) == ("close", "system")
    texts = r.citizen_messages(db_session, petition)
    assert len(texts) == 1 and "mong nhận được ý kiến" in texts[0]
    closed_notice = [
        m
        for m in r.outbox(db_session, "zalo")
        if m.petition_id == petition.id and "đã đóng" in m.payload["text"]
    ]
    assert len(closed_notice) == 1


def test_feedback_given_stops_the_ladder(
    db_session: Session, session_factory: sessionmaker[Session], cfg: ReminderConfig
) -> None:
    officer = r.officer(db_session)
    petition, _ = r.forwarded(db_session, r.at(D(2026, 10, 26)), D(2026, 10, 29), officer)
    wf.record_agency_answer(
        db_session, petition, actor=officer, text="x", now=r.at(D(2026, 10, 30))
    )
    wf.send_result(db_session, petition, actor=officer, result_text="x", now=r.at(D(2026, 11, 2)))
    wf.record_feedback(db_session, petition, satisfied=True, rating=4, now=r.at(D(2026, 11, 3)))
    db_session.commit()
    r.walk(session_factory, D(2026, 11, 2), D(2026, 11, 18), cfg, ("reminders-satisfaction",))
    assert r.fired(db_session, petition) == {}


def test_jobs_rest_on_days_off(
    db_session: Session, session_factory: sessionmaker[Session], cfg: ReminderConfig
) -> None:
    officer = r.officer(db_session)
    r.forwarded(db_session, r.at(D(2026, 2, 2)), D(2026, 2, 4), officer)
    db_session.commit()
    for day in (D(2026, 2, 14), D(2026, 2, 17)):  # a Saturday, and Tết
        results = r.run_all(session_factory, r.at(day), cfg)
        assert {v.get("skipped") for v in results.values()} == {"not a working day"}
    assert r.reminder_emails(db_session) == []
