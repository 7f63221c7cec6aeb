"""The demo data goes through the real workflow and is created only once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot import create_app
from bot.database import get_db
from bot.demo import DEMO_ACCOUNTS, demo, reset_demo_accounts, wire_mail
from bot.runtime import runtime_of
from bot.simulator.mailbox import catcher_of, start_catcher
from config.settings import DEMO_SECRETS
from handlers.demo_data import DEMO_PETITIONS, seed_demo_petitions
from handlers.outbox import queue_email
from handlers.tasks.kinds import URGENT
from storage.models import Forward, Petition, PetitionEvent, StaffNotification, StaffUser, Ward
from storage.models.base import utcnow
from storage.models.enums import PetitionState, Role
from tests.admin.conftest import login, post
from tests.conftest import make_settings
from tests.workflow import helpers as h


def test_demo_petitions_are_real_workflow_rows(db_session: Session) -> None:
    assert seed_demo_petitions(db_session, now=utcnow(), code_prefix="TK") == len(DEMO_PETITIONS)
    petitions = list(db_session.scalars(select(Petition)))
    assert len(petitions) == len(DEMO_PETITIONS)
    assert all(p.code and p.code.startswith("TK-") for p in petitions)
    assert all(p.suggestions.get("category") for p in petitions)
    states = sorted(p.state for p in petitions)
    assert states.count(PetitionState.FORWARDED) == 1
    assert states.count(PetitionState.RECEIVED) == len(DEMO_PETITIONS) - 1
    assert db_session.scalar(select(Forward.document_number)) == "12/MTTQ-BTT"
    assert db_session.scalars(select(PetitionEvent)).first() is not None
    assert seed_demo_petitions(db_session, now=utcnow(), code_prefix="TK") == 0


def test_the_demo_has_an_officer_who_sees_an_urgent_alert_and_one_password(
    client: FlaskClient, db_session: Session
) -> None:
    """The walk: the demo had only an administrator, who does not see officers' items, so an
    emergency typed into the simulator reached nobody's list."""
    reset_demo_accounts(db_session, "first-password")
    reset_demo_accounts(db_session, "second-password")  # the next `make run`
    db_session.commit()
    users = {u.username: u for u in db_session.scalars(select(StaffUser))}
    assert {name: users[name].role for name, _, _ in DEMO_ACCOUNTS} == {
        "admin": Role.ADMIN, "canbo": Role.STAFF, "giamsat": Role.SUPERVISOR,
    }  # fmt: skip
    wards = set(db_session.scalars(select(Ward.id).where(Ward.active)))
    assert {w.id for w in users["canbo"].wards} == wards
    ward = min(wards)
    db_session.add(
        StaffNotification(
            role=Role.STAFF,
            ward_id=ward,
            kind="urgent",
            priority=URGENT,
            title="KHẨN: cây đổ",
            body="",
            created_at=utcnow(),
        )  # fmt: skip
    )
    db_session.commit()
    for name, _, _ in DEMO_ACCOUNTS:
        assert login(client, name, "first-password").status_code == 401  # the old one is gone
        assert login(client, name, "second-password").status_code == 302
        tasks = client.get("/admin/tasks").get_data(as_text=True)
        assert ("KHẨN: cây đổ" in tasks) is (name != "admin")
        post(client, "/admin/logout")


@pytest.fixture
def demo_app(
    database_url: str, tmp_path: Path, session_factory: sessionmaker[Session]
) -> Iterator[Flask]:
    """An app in demo mode with the demo's default SMTP_URL and ADMIN_BASE_URL."""
    application = create_app(make_settings(database_url, tmp_path, demo=True))
    runtime_of(application).use_sessions(session_factory)
    yield application
    catcher = catcher_of(application)
    if catcher is not None:
        catcher.stop()
    get_db(application).engine.dispose()


def test_the_demo_catches_its_emails_with_links_to_its_own_port(
    demo_app: Flask, db_session: Session, tmp_path: Path
) -> None:
    """The walk: mail went to 127.0.0.1:8025 where nothing listened, links named port 5000."""
    runtime = runtime_of(demo_app)
    assert runtime.settings.smtp_url == DEMO_SECRETS["SMTP_URL"]
    with demo_app.app_context():
        catcher = wire_mail(runtime, host="0.0.0.0", port=5078)  # noqa: S104 - the demo's --host
    assert catcher is not None and catcher_of(demo_app) is catcher
    assert runtime.settings.admin_base_url == "http://127.0.0.1:5078"
    assert runtime.settings.smtp_url == catcher.url  # 8025 if free, else any free port

    admin = h.staff(db_session, "admin")
    user = h.staff(db_session, "staff", username="moi.den")
    user.email = "moi.den@mttq.test"
    slip = tmp_path / "TK-2612-000001-1.docx"
    slip.write_bytes(b"PK\x03\x04 phieu chuyen")
    queue_email(
        db_session,
        to="vanthu@tamky.test",
        subject="Phiếu chuyển",
        body="x",
        attachments=[str(slip)],
    )
    db_session.commit()
    client = demo_app.test_client()
    assert login(client, admin.username).status_code == 302
    assert post(client, f"/admin/users/{user.id}/reset", {"method": "link"}).status_code == 302
    assert runtime.zalo.sender.drain()["sent"] == 2  # over SMTP, through the project's transport

    listing = client.get("/simulator/mail").get_data(as_text=True)
    assert "Đặt lại mật khẩu trang quản trị" in listing and "moi.den@mttq.test" in listing
    [reset] = [m for m in catcher.messages() if "moi.den@mttq.test" in m.recipients]
    page = client.get(f"/simulator/mail/{reset.id}").get_data(as_text=True)
    link = re.search(r'<a href="(http://127\.0\.0\.1:5078/admin/set-password/[^"]+)"', page)
    assert link, page
    assert client.get(urlsplit(link.group(1)).path).status_code == 200  # the link opens
    [sent_slip] = [m for m in catcher.messages() if "vanthu@tamky.test" in m.recipients]
    download = client.get(f"/simulator/mail/{sent_slip.id}/files/1")
    assert download.status_code == 200 and download.data == slip.read_bytes()
    assert "TK-2612-000001-1.docx" in download.headers["Content-Disposition"]
    assert client.get(f"/simulator/mail/{sent_slip.id}/files/2").status_code == 404
    assert "Hộp thư thử" in client.get("/simulator/").get_data(as_text=True)


def test_no_catcher_outside_demo_mode(app: Flask, client: FlaskClient) -> None:
    with pytest.raises(RuntimeError):
        start_catcher(app)
    assert catcher_of(app) is None
    assert client.get("/simulator/mail").status_code == 404


def test_a_set_smtp_url_and_base_url_are_kept(
    database_url: str, tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    settings = make_settings(
        database_url,
        tmp_path,
        demo=True,
        smtp_url="smtp://mail.tamky.test:25",
        admin_base_url="https://pakn.tamky.test",
    )
    application = create_app(settings)
    try:
        with application.app_context():
            assert wire_mail(runtime_of(application), host="127.0.0.1", port=5078) is None
        kept = runtime_of(application).settings
        assert kept.smtp_url == "smtp://mail.tamky.test:25"
        assert kept.admin_base_url == "https://pakn.tamky.test"
    finally:
        get_db(application).engine.dispose()


def test_port_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "5078")
    assert demo.make_context("demo", []).params["port"] == 5078
