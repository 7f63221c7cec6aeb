"""The ladder's pre-deadline reminder reaches every official address and every liaison of the
agency over real SMTP, and is recorded on each petition's timeline."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from handlers.workflow.calendar import WorkCalendar
from storage.models import AgencyDelivery, PetitionEvent, StaffNotification
from tests.agencies import helpers as a
from tests.reminders import helpers as r
from tests.reminders.conftest import SmtpServer


def test_the_reminder_goes_to_every_address_and_liaison(
    db_session: Session,
    session_factory: sessionmaker[Session],
    smtp_server: SmtpServer,
    t0: datetime,
    tmp_path: Path,
) -> None:
    s = db_session
    cal = WorkCalendar.load(s)
    due = cal.add_working_days(a.day(t0), 5)
    officer = r.officer(s)
    a.agency(s, "ubnd_tam_ky", ("vanthu.ubnd@tamky.test", "tiepdan.ubnd@tamky.test"), "ll.nhac")
    petitions = [r.forwarded(s, t0, due, officer)[0] for _ in range(2)]
    s.commit()
    remind_day = cal.add_working_days(due, -2)
    r.run(session_factory, "reminders-agency", r.at(remind_day), r.config(tmp_path / "letters"))
    a.drain(session_factory, smtp_server.url)
    to = {str(m["To"]) for m in smtp_server.inbox.messages}
    # The agency's official addresses are written to at once; its liaison gets an item in
    # «Việc cần làm» (emailed as they chose: by default in the morning digest).
    assert to == {"vanthu.ubnd@tamky.test", "tiepdan.ubnd@tamky.test"}
    s.expire_all()
    item = s.scalar(
        select(StaffNotification).where(
            StaffNotification.kind == "reminder.remind", StaffNotification.role == "agency"
        )
    )
    assert item is not None and all(p.code and p.code in item.body for p in petitions)
    reminder = a.to(smtp_server.inbox.messages, "tiepdan.ubnd@tamky.test")
    assert len(reminder) == 1  # one digest for both petitions
    assert all(p.code and p.code in a.body(reminder[0]) for p in petitions)
    for p in petitions:
        note = s.scalar(
            select(PetitionEvent.note).where(
                PetitionEvent.petition_id == p.id, PetitionEvent.action == "agency_email"
            )
        )
        assert note is not None and "Nhắc hạn" in note and "tiepdan.ubnd@tamky.test" in note
        kinds = s.scalars(
            select(AgencyDelivery.recipient).where(AgencyDelivery.petition_id == p.id)
        ).all()
        assert sorted(kinds) == ["tiepdan.ubnd@tamky.test", "vanthu.ubnd@tamky.test"]
    r.run(
        session_factory,
        "reminders-agency",
        r.at(remind_day) + timedelta(hours=3),
        r.config(tmp_path / "letters"),
    )
    assert a.drain(session_factory, smtp_server.url)["sent"] == 0  # exactly once
