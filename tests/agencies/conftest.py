"""Agency fixtures: the loopback SMTP server the reminder tests use, and the mail context."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from handlers.agencies.flows import MailContext
from handlers.workflow.calendar import LOCAL_TZ
from tests.reminders.conftest import smtp_server  # noqa: F401 - a real SMTP server on loopback

ADMIN_URL = "https://pakn.tamky.test"


@pytest.fixture
def mail(tmp_path: Path) -> MailContext:
    """Links to the admin view, and the folder slips go to (the test app serves it too)."""
    return MailContext(base_url=ADMIN_URL, files_dir=tmp_path / "attachments")  # = settings


@pytest.fixture
def t0() -> datetime:
    """The next Monday, 09:00 in Vietnam (from today's date, so it never expires)."""
    today = datetime.now(UTC).astimezone(LOCAL_TZ).date()
    monday = today + timedelta(days=7 - today.weekday())
    return datetime.combine(monday, time(9), LOCAL_TZ).astimezone(UTC)
