"""Reminder fixtures: a real SMTP server on loopback (aiosmtpd) and a letters folder."""

from __future__ import annotations

import email
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import Envelope, Session

from config import Settings
from handlers.reminders.config import ReminderConfig
from tests.conftest import make_settings
from tests.reminders.helpers import config
from tests.support import free_port


@dataclass
class Inbox:
    """What the SMTP server accepted; `refuse` makes it answer RCPT with a 5xx for an address."""

    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTPServer, session: Session, envelope: Envelope, address: str, _: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802
        self, server: SMTPServer, session: Session, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or envelope.content
        assert isinstance(raw, bytes)
        parsed = email.message_from_bytes(raw, policy=default_policy)
        assert isinstance(parsed, EmailMessage)
        with self.lock:
            self.messages.append(parsed)
            self.envelopes.append((str(envelope.mail_from), list(envelope.rcpt_tos)))
        return "250 Message accepted"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [str(m["Message-ID"]) for m in self.messages]


@dataclass
class SmtpServer:
    host: str
    port: int
    inbox: Inbox

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) on a free loopback port."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, decode_data=False)
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", port, inbox)
    finally:
        controller.stop()


@pytest.fixture
def cfg(tmp_path: Path) -> ReminderConfig:
    """Reminder settings writing letters under the test's folder."""
    return config(tmp_path / "letters")


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Test settings whose letters go under the test's folder (used by the CLI's services)."""
    return make_settings(database_url, tmp_path, letter_dir=str(tmp_path / "letters"))
