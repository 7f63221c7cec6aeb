"""`make run`: a mail catcher in the demo process, so a newcomer can read what the demo emails.

A small SMTP server on loopback (stdlib only: aiosmtpd is a test dependency, `make run`
installs only the runtime ones) keeps the last messages in memory; /simulator/mail shows them
with working links and their files. Started only by `flask demo`, which refuses to run outside
demo mode; the page answers 404 when no catcher runs in the process.
"""

from __future__ import annotations

import email
import itertools
import socket
import socketserver
import threading
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import default as default_policy

from flask import Flask, current_app

from bot.runtime import runtime_of

#: Where the demo's default SMTP_URL points; any free port when it is taken.
PREFERRED_PORT = 8025
KEEP = 200
MAX_BYTES = 40 * 1024 * 1024
EXTENSION = "pakn_mail_catcher"


@dataclass(frozen=True)
class Caught:
    """One email the catcher accepted."""

    id: int
    received_at: datetime
    sender: str
    recipients: tuple[str, ...]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message.get("Subject", ""))

    @property
    def body(self) -> str:
        part = self.message.get_body(preferencelist=("plain", "html"))
        return str(part.get_content()) if part is not None else ""

    def files(self) -> list[tuple[str, str, bytes]]:
        """(name, content type, bytes) of each attachment, in order."""
        found = []
        for n, part in enumerate(self.message.iter_attachments(), start=1):
            data = part.get_payload(decode=True)
            name = str(part.get_filename() or f"tep-{n}")
            found.append((name, part.get_content_type(), data if isinstance(data, bytes) else b""))
        return found


class MailCatcher:
    """The SMTP sink and the messages it kept (newest last, at most KEEP)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._messages: deque[Caught] = deque(maxlen=KEEP)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server = _Server((host, port), _Session)
        self._server.catcher = self
        self.host, self.port = host, int(self._server.server_address[1])
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="demo-mail-catcher", daemon=True
        )

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    def start(self) -> MailCatcher:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def keep(self, sender: str, recipients: list[str], raw: bytes) -> None:
        parsed = email.message_from_bytes(raw, policy=default_policy)
        assert isinstance(parsed, EmailMessage)  # noqa: S101 - the default policy's class
        when = datetime.now(UTC)
        with self._lock:
            self._messages.append(Caught(next(self._ids), when, sender, tuple(recipients), parsed))

    def messages(self) -> list[Caught]:
        """Newest first."""
        with self._lock:
            return list(reversed(self._messages))

    def get(self, mail_id: int) -> Caught | None:
        with self._lock:
            return next((m for m in self._messages if m.id == mail_id), None)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    catcher: MailCatcher


class _Session(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: HELO/EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    server: _Server
    timeout = 60

    def _say(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")

    def handle(self) -> None:
        self._say("220 pakn-demo ESMTP")
        sender, recipients = "", list[str]()
        while line := self.rfile.readline(4096):
            verb, _, arg = line.decode("utf-8", "replace").strip().partition(" ")
            verb = verb.upper()
            if verb == "EHLO":
                self._say("250-pakn-demo")
                self._say("250-8BITMIME")
                self._say(f"250 SIZE {MAX_BYTES}")
            elif verb in {"HELO", "NOOP"}:
                self._say("250 OK")
            elif verb == "RSET":
                sender, recipients = "", []
                self._say("250 OK")
            elif verb == "MAIL":
                sender, recipients = _address(arg), []
                self._say("250 OK")
            elif verb == "RCPT":
                recipients.append(_address(arg))
                self._say("250 OK")
            elif verb == "DATA":
                if not recipients:
                    self._say("503 RCPT first")
                    continue
                self._say("354 End data with <CR><LF>.<CR><LF>")
                raw = self._data()
                if raw is None:
                    self._say("552 Message too large")
                else:
                    self.server.catcher.keep(sender, recipients, raw)
                    self._say("250 Message accepted")
                sender, recipients = "", []
            elif verb == "QUIT":
                self._say("221 Bye")
                return
            else:
                self._say("502 Command not implemented")

    def _data(self) -> bytes | None:
        """The message up to the lone dot, dot-unstuffed; None when it was too large."""
        lines, size = list[bytes](), 0
        while line := self.rfile.readline(MAX_BYTES):
            if line in (b".\r\n", b".\n"):
                break
            size += len(line)
            if size <= MAX_BYTES:
                lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines) if size <= MAX_BYTES else None


def _address(arg: str) -> str:
    """`FROM:<a@b> SIZE=…` → `a@b`."""
    value = arg.partition(":")[2].strip()
    return value.split(">", 1)[0].lstrip("<").strip()


def _free(host: str, port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def start_catcher(app: Flask, host: str = "127.0.0.1") -> MailCatcher:
    """Run a catcher for this demo (port 8025 if free) and register it for the mail page."""
    if not runtime_of(app).settings.demo:
        raise RuntimeError("the mail catcher runs only in demo mode")
    catcher = MailCatcher(host, PREFERRED_PORT if _free(host, PREFERRED_PORT) else 0).start()
    app.extensions[EXTENSION] = catcher
    return catcher


def catcher_of(app: Flask | None = None) -> MailCatcher | None:
    """The catcher running in this process, if any (only `flask demo` and tests start one)."""
    found = (app or current_app).extensions.get(EXTENSION)
    return found if isinstance(found, MailCatcher) else None
