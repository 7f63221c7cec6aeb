"""The letters screen over HTTP: list, read, download, record as sent; scope and roles."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from handlers import workflow as wf
from handlers.jobs import JobContext, run_job
from handlers.reminders.config import ReminderConfig
from handlers.reminders.jobs import JOBS
from handlers.services import Services
from storage.models import ChaseLetter, OutboxMessage, Petition, StaffUser
from tests.admin.conftest import login, post
from tests.conftest import make_settings
from tests.workflow import helpers as h

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(database_url, tmp_path, letter_dir=str(tmp_path / "letters"))


def drafted_letter(
    s: Session, sessions: sessionmaker[Session], letter_dir: str, ward: str = "tam_ky"
) -> tuple[Petition, ChaseLetter]:
    """A forward whose deadline passed yesterday (in working days), and the ladder's letter."""
    cal = wf.WorkCalendar.load(s)
    day = wf.local_date(datetime.now(UTC))
    while not cal.is_working_day(day):
        day -= timedelta(days=1)
    run_at = datetime.combine(day, time(8, 15), VN).astimezone(UTC)
    due = cal.add_working_days(day, -1)
    sent = due - timedelta(days=7)
    officer = h.staff(s, wards=(ward,))
    p = h.draft(s, ward_code=ward)
    start = datetime.combine(sent, time(9), VN).astimezone(UTC)
    wf.submit(s, p, now=start)
    wf.triage(
        s,
        p,
        actor=officer,
        category_id=p.category_id,
        ward_id=p.ward_id,
        legal_type=p.legal_type,
        urgent=False,
        now=start,
    )
    wf.forward(
        s,
        p,
        actor=officer,
        agency=h.agency(s, f"ubnd_{ward}"),
        channel="van_ban",
        document_number="8/MTTQ-BTT",
        sent_on=sent,
        handler_due_on=due,
        now=start,
    )
    s.commit()
    cfg = ReminderConfig(letter_dir=letter_dir)
    ctx = JobContext(sessions=sessions, now=run_at, services=Services(reminders=cfg))
    run_job(JOBS, "reminders-agency", ctx)
    s.expire_all()
    letter = s.scalars(select(ChaseLetter).where(ChaseLetter.petition_id == p.id)).one()
    return p, letter


def _told(s: Session, p: Petition) -> list[str]:
    rows = s.scalars(
        select(OutboxMessage).where(
            OutboxMessage.petition_id == p.id, OutboxMessage.dedup_key.like("rem:%")
        )
    )
    return [str(m.payload.get("text")) for m in rows]


def test_record_a_letter_as_sent_through_the_screen(
    client: FlaskClient,
    db_session: Session,
    session_factory: sessionmaker[Session],
    settings: Settings,
    signed_in: Callable[..., StaffUser],
) -> None:
    p, letter = drafted_letter(db_session, session_factory, settings.letter_dir)
    _, elsewhere = drafted_letter(db_session, session_factory, settings.letter_dir, "huong_tra")
    h.agency(db_session, "ubnd_tam_ky").contact_email = "vanthu@ubnd-tamky.test"
    db_session.commit()
    signed_in("staff")
    listing = client.get("/admin/letters").get_data(as_text=True)
    assert p.code in listing and "Chờ ký, gửi" in listing
    assert f"/admin/letters/{elsewhere.id}" not in listing  # another ward's letter
    assert client.get(f"/admin/letters/{elsewhere.id}").status_code == 404
    page = client.get(f"/admin/letters/{letter.id}").get_data(as_text=True)
    assert "V/v đôn đốc giải quyết phản ánh, kiến nghị của công dân (lần 1)" in page
    assert "PHƯỜNG TAM KỲ" in page and 'class="a4"' in page
    draft = client.get(f"/admin/letters/{letter.id}/draft.docx")
    assert draft.status_code == 200 and draft.data[:2] == b"PK"
    draft.close()
    assert client.get(f"/admin/letters/{letter.id}/final.docx").status_code == 404
    assert _told(db_session, p) == []

    today = wf.local_date(datetime.now(UTC))
    bad = post(
        client,
        f"/admin/letters/{letter.id}/sent",
        {
            "document_number": "15/MTTQ-BTT",
            "signer": "Võ Văn D",
            "sent_on": (today + timedelta(days=1)).isoformat(),
        },
    )
    assert bad.status_code == 400
    kept = bad.get_data(as_text=True)
    assert 'value="15/MTTQ-BTT"' in kept and 'value="Võ Văn D"' in kept
    assert _told(db_session, p) == []

    good = post(
        client,
        f"/admin/letters/{letter.id}/sent",
        {"document_number": "15/MTTQ-BTT", "signer": "Võ Văn D", "sent_on": today.isoformat()},
    )
    assert good.status_code == 302
    db_session.expire_all()
    assert len(_told(db_session, p)) == 1
    # Only now does the agency get the signed letter by email, with a link to the petition.
    [email] = db_session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.petition_id == p.id, OutboxMessage.channel == "email"
        )
    ).all()
    assert email.recipient == "vanthu@ubnd-tamky.test"
    assert (
        "15/MTTQ-BTT" in email.payload["body"]
        and f"/admin/petitions/{p.id}" in email.payload["body"]
    )
    assert [Path(a).name for a in email.payload["attachments"]] == [
        Path(db_session.get(ChaseLetter, letter.id).final_path or "").name
    ]
    final = client.get(f"/admin/letters/{letter.id}/final.docx")
    assert final.status_code == 200
    final.close()
    history = client.get(f"/admin/petitions/{p.id}").get_data(as_text=True)
    assert "Gửi văn bản đôn đốc" in history and "số 15/MTTQ-BTT" in history
    assert "Đã gửi số 15/MTTQ-BTT" in client.get("/admin/letters?tab=sent").get_data(as_text=True)
    again = post(
        client,
        f"/admin/letters/{letter.id}/sent",
        {"document_number": "16", "signer": "x", "sent_on": today.isoformat()},
    )
    assert again.status_code == 400 and len(_told(db_session, p)) == 1


def test_liaisons_do_not_see_the_letters_screen(
    client: FlaskClient,
    db_session: Session,
    session_factory: sessionmaker[Session],
    settings: Settings,
) -> None:
    _, letter = drafted_letter(db_session, session_factory, settings.letter_dir)
    liaison = h.staff(db_session, "agency", agency_code="ubnd_tam_ky")
    db_session.commit()
    login(client, liaison.username)
    page = client.get("/admin/letters")
    assert page.status_code == 403 and "không dành cho vai trò" in page.get_data(as_text=True)
    assert client.get(f"/admin/letters/{letter.id}").status_code == 403
    assert "Văn bản đôn đốc" not in client.get("/admin/today").get_data(as_text=True)
