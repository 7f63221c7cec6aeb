"""The retention job anonymises closed petitions older than the period, once; the monthly
report's figures are the same before and after."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from handlers.jobs import JobContext
from handlers.office_settings import change
from handlers.privacy.jobs import anonymise_job
from handlers.privacy.retention import months_before, run
from handlers.reports import compute
from handlers.services import Services
from handlers.workflow import local_date
from storage.models import Forward, Petition
from storage.models.enums import PetitionState
from tests.reports.month import build_month
from tests.workflow import helpers as h


def _closed(session: Session, closed_at: datetime, text: str) -> Petition:
    person = h.citizen(session, phone="0912 345 678")
    p = h.draft(session, text=text, person=person, phone="0912345678")
    p.state, p.code = PetitionState.CLOSED, f"TK-2501-{p.id:06d}"
    p.received_at, p.closed_at, p.close_reason = (
        closed_at - timedelta(days=5),
        closed_at,
        "resolved",
    )
    p.reporter_name = "Phạm Văn Cường"
    session.flush()
    return p


def test_only_closed_petitions_older_than_the_period_exactly_once(
    db_session: Session, session_factory: sessionmaker[Session]
) -> None:
    now = h.ORDINARY_MONDAY
    old = _closed(db_session, now - timedelta(days=400), "Phạm Văn Cường báo rác")
    recent = _closed(db_session, now - timedelta(days=100), "Phạm Văn Cường báo đèn")
    busy = _closed(db_session, now - timedelta(days=400), "Phạm Văn Cường báo cống")
    db_session.add(
        Forward(
            petition_id=busy.id,
            agency_id=h.agency(db_session).id,
            channel="email",
            sent_on=now.date(),
            handler_due_on=now.date(),
            active=True,
        )
    )
    open_one = h.draft(db_session, text="Phạm Văn Cường báo ngập")
    open_one.state = PetitionState.RECEIVED
    staff = h.staff(db_session, "admin")
    change(db_session, "retention.anonymise_months", "12", by=staff, now=now)
    db_session.commit()

    ctx = JobContext(sessions=session_factory, now=now, services=Services(anonymise_months=24))
    first = anonymise_job(ctx)
    assert first["months"] == 12  # the admin setting wins over the process default
    assert first["anonymised"] == 1 and first["skipped"] == {"forward_active": 1}
    db_session.expire_all()
    assert old.anonymised_at is not None and old.reporter_name is None
    assert "Phạm Văn Cường" not in old.text and old.callback_phone is None
    assert old.state == PetitionState.CLOSED and old.category_id is not None
    for untouched in (recent, busy, open_one):
        assert untouched.anonymised_at is None and "Phạm Văn Cường" in untouched.text
    second = anonymise_job(ctx)
    assert second["anonymised"] == 0 and second["citizens"] == 0
    stamp = old.anonymised_at
    db_session.expire_all()
    assert old.anonymised_at == stamp


def test_the_report_counts_the_same_after_anonymising(db_session: Session) -> None:
    period, now = build_month(db_session)
    before = compute(db_session, period, ward=None, now=now)
    closed = db_session.scalars(select(Petition).where(Petition.state == "closed")).all()
    report = run(db_session, now=now + timedelta(days=800), months=1, files_root="")
    assert report.anonymised >= 1 and report.anonymised + sum(report.skipped.values()) == len(
        closed
    )
    after = compute(db_session, period, ward=None, now=now)
    assert before["totals"]["received"] > 0
    for key in ("totals", "by_category", "by_ward", "by_channel", "by_agency", "ratings"):
        assert after.get(key) == before.get(key), key


def test_months_before_clamps_the_day() -> None:
    end_of_march = h.ORDINARY_MONDAY.replace(month=3, day=31)  # 09:00 local, 31 March
    year = end_of_march.year
    last_of_february = [date(y, 3, 1) - timedelta(days=1) for y in (year, year - 1)]
    assert local_date(months_before(end_of_march, 1)) == last_of_february[0]
    assert local_date(months_before(end_of_march, 13)) == last_of_february[1]


def test_a_name_and_home_the_author_wrote_in_the_text_are_anonymised_too(
    db_session: Session,
) -> None:
    now = h.ORDINARY_MONDAY
    text = "Tôi là Trần Thị Mười, nhà ở số 45 đường Phan Chu Trinh, báo rác tồn đọng 5 ngày"
    petition = _closed(db_session, now - timedelta(days=900), text)
    petition.reporter_name = None
    db_session.flush()
    run(db_session, now=now, months=24, files_root="")
    assert petition.anonymised_at is not None
    for personal in ("Trần Thị Mười", "45 đường Phan Chu Trinh"):
        assert personal not in petition.text, petition.text
    assert "rác tồn đọng" in petition.text
