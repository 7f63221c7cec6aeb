"""Every link in every email staff get from the jobs opens, for its recipient, a page that
exists (the addresses once answered 404: /admin/dashboard, /admin/petitions, …)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from handlers.reminders.config import ReminderConfig
from storage.models import OutboxMessage, StaffUser
from tests.admin.conftest import login
from tests.reminders import helpers as r

D = date
ADMIN = "http://localhost/admin"
JOBS = (*r.REMINDER_JOBS, "tasks-alert", "tasks-digest")


def test_every_link_the_jobs_email_to_staff_opens_for_its_recipient(
    app: Flask, db_session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    s = db_session
    officer = r.officer(s)
    boss = r.supervisor(s)
    liaison = r.liaison(s)
    reader = r.officer(s)
    reader.email_mode = "digest"  # the morning digest of items
    r.agency(s)
    r.received(s, r.at(D(2026, 11, 2)))  # triage goes late
    r.forwarded(s, r.at(D(2026, 10, 1)), D(2026, 10, 6), officer)  # letters, agenda
    r.forwarded(s, r.at(D(2026, 11, 2)), D(2026, 11, 9), officer)  # the −2 reminder
    s.commit()
    cfg = ReminderConfig(letter_dir=str(tmp_path / "letters"), admin_url=ADMIN)
    r.walk(session_factory, D(2026, 11, 2), D(2026, 11, 6), cfg, JOBS)
    s.expire_all()
    emails = s.scalars(select(OutboxMessage).where(OutboxMessage.channel == "email")).all()
    users = {u.email: u for u in s.scalars(select(StaffUser)) if u.email}
    checked: dict[str, set[str]] = {}
    for mail in emails:
        user = users.get(mail.recipient)
        if user is None:
            continue  # an agency's own address: no link into the admin view
        for link in re.findall(r"https?://\S+", mail.payload["body"]):
            assert link.startswith(ADMIN + "/"), link
            checked.setdefault(user.username, set()).add(link)
    # (The liaison's reminder is the agency's letter text: it carries no link to check.)
    assert {officer.username, boss.username, reader.username} <= set(checked)
    assert liaison.email in {m.recipient for m in emails}
    for username, links in checked.items():
        client = app.test_client()
        login(client, username)
        for link in sorted(links):
            parts = urlsplit(link)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            response = client.get(target, follow_redirects=True)
            assert response.status_code == 200, (username, link, response.status_code)
            assert "/login" not in response.request.path, (username, link)
