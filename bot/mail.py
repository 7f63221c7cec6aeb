"""The email transport: outbox rows of channel "email" leave over SMTP (SMTP_URL).

`SMTP_URL` forms: `smtp://host:25`, `smtp://user:password@host:587?starttls=1`,
`smtps://user:password@host:465` (TLS from the first byte). User and password are
percent-decoded. `send()` raises MailError on any failure so the outbox's retry rules apply;
`MailError.permanent` says a retry cannot help (the server refused the recipient or the message).
"""

from __future__ import annotations

import base64
import logging
import mimetypes
import smtplib
import ssl
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.header import Header
from email.message import Message
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, getaddresses, make_msgid
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from config import Settings

logger = logging.getLogger(__name__)

_TRUE = {"1", "true", "yes", "on"}


class MailError(RuntimeError):
    """An email could not be handed to the SMTP server."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to reach the SMTP server."""

    host: str
    port: int
    ssl: bool = False
    starttls: bool = False
    username: str | None = None
    password: str | None = None

    @classmethod
    def from_url(cls, url: str) -> SmtpConfig:
        """Parse SMTP_URL; unknown schemes are a configuration error."""
        parts = urlsplit(url)
        if parts.scheme not in {"smtp", "smtps"}:
            raise ValueError(f"SMTP_URL must start with smtp:// or smtps://, not {parts.scheme}")
        if not parts.hostname:
            raise ValueError("SMTP_URL has no host")
        query = {k: v[-1].lower() for k, v in parse_qs(parts.query).items()}
        secure = parts.scheme == "smtps"
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if secure else 25),
            ssl=secure,
            starttls=not secure and query.get("starttls", "") in _TRUE,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )


class OutgoingEmail(Protocol):
    """What the transport reads from an outbox row (storage.models.OutboxMessage fits)."""

    id: int
    recipient: str
    payload: dict[str, Any]


def build_message(
    *,
    sender: str,
    sender_name: str,
    to: str,
    subject: str,
    body: str,
    attachments: Iterable[str] = (),
    message_id: str | None = None,
) -> Message:
    """A UTF-8 email with a Vietnamese subject and body, and files attached by path.

    Built with email.header.Header: the newer EmailMessage folding of Python 3.11 drops the
    space between two encoded words of a long Vietnamese subject.
    """
    text = MIMEText(body, "plain", "utf-8")
    files = [Path(p) for p in attachments]
    msg: Message = text
    if files:
        msg = MIMEMultipart()
        msg.attach(text)
        for path in files:
            msg.attach(_attachment(path))
    msg["From"] = formataddr((sender_name, sender), charset="utf-8") if sender_name else sender
    msg["To"] = to
    msg["Subject"] = Header(subject, "utf-8")  # type: ignore[assignment]  # compat32 takes it
    msg["Message-ID"] = message_id or make_msgid(domain=sender.partition("@")[2] or None)
    msg["Date"] = format_datetime(datetime.now(UTC))
    return msg


def _attachment(path: Path) -> MIMEApplication:
    ctype, _ = mimetypes.guess_type(path.name)
    if ctype is None and path.suffix == ".docx":
        ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    subtype = (ctype or "application/octet-stream").partition("/")[2]
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MailError(f"attachment missing: {path.name}", permanent=True) from exc
    part = MIMEApplication(data, _subtype=subtype)
    part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", path.name))
    return part


class SmtpMailer:
    """Sends one email per call over a fresh SMTP connection (reminder volumes are small)."""

    channel = "email"

    def __init__(
        self,
        config: SmtpConfig,
        *,
        sender: str,
        sender_name: str = "",
        timeout: float = 20.0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.config = config
        self.sender = sender
        self.sender_name = sender_name
        self.timeout = timeout
        self.ssl_context = ssl_context or ssl.create_default_context()

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpMailer:
        """The mailer the processes use."""
        return cls(
            SmtpConfig.from_url(settings.smtp_url),
            sender=settings.mail_from,
            sender_name=settings.mail_from_name,
            timeout=settings.smtp_timeout_seconds,
        )

    def send(self, message: OutgoingEmail) -> str:
        """Send an outbox row; return the Message-ID. Raise MailError on failure."""
        payload: Mapping[str, Any] = message.payload or {}
        domain = self.sender.partition("@")[2] or "localhost"
        to = payload.get("to") or [a.strip() for a in message.recipient.split(",")]
        email = build_message(
            sender=self.sender,
            sender_name=self.sender_name,
            to=", ".join(to),
            subject=str(payload.get("subject", "")),
            body=str(payload.get("body", "")),
            attachments=payload.get("attachments") or (),
            # Stable per outbox row: a retry after an unknown outcome carries the same id,
            # so mail clients collapse the copy.
            message_id=f"<outbox-{message.id}@{domain}>",
        )
        self.send_message(email)
        return str(email["Message-ID"])

    def send_message(self, email: Message) -> None:
        """Hand one message to the server."""
        recipients: Sequence[str] = [addr for _, addr in getaddresses([str(email["To"])])]
        try:
            with self._connect() as smtp:
                refused = smtp.send_message(email, to_addrs=recipients)
        except smtplib.SMTPRecipientsRefused as exc:
            raise MailError("recipient refused", permanent=_all_permanent(exc)) from exc
        except smtplib.SMTPResponseException as exc:
            permanent = 500 <= exc.smtp_code < 600
            raise MailError(f"SMTP error {exc.smtp_code}", permanent=permanent) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise MailError(f"SMTP unavailable: {type(exc).__name__}") from exc
        if refused:
            logger.warning("SMTP refused %s of %s recipients", len(refused), len(recipients))

    def _connect(self) -> smtplib.SMTP:
        cfg = self.config
        smtp: smtplib.SMTP
        if cfg.ssl:
            smtp = smtplib.SMTP_SSL(
                cfg.host, cfg.port, timeout=self.timeout, context=self.ssl_context
            )
        else:
            smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=self.timeout)
        try:
            smtp.ehlo()
            if cfg.starttls:
                smtp.starttls(context=self.ssl_context)
                smtp.ehlo()
            if cfg.username:
                _login(smtp, cfg.username, cfg.password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp


def _login(smtp: smtplib.SMTP, username: str, password: str) -> None:
    """smtplib refuses non-ASCII credentials; AUTH PLAIN (RFC 4616) carries UTF-8."""
    if (username + password).isascii():
        smtp.login(username, password)
        return
    token = base64.b64encode(f"\0{username}\0{password}".encode()).decode("ascii")
    code, reply = smtp.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def _all_permanent(exc: smtplib.SMTPRecipientsRefused) -> bool:
    codes = [code for code, _ in exc.recipients.values()]
    return bool(codes) and all(500 <= code < 600 for code in codes)


class MailTransport(SmtpMailer):
    """The outbox's "email" transport (bot.zalo.sender finds it through `transport`)."""

    def reconcile(self, message: OutgoingEmail, *, claimed_at: datetime) -> bool:
        """A send interrupted mid-way cannot be checked over SMTP: send again (False).

        At least once beats at most once for a reminder that chases an agency; the retry carries
        the same Message-ID, which mail clients use to collapse a duplicate.
        """
        logger.info("email outbox %s was interrupted mid-send; sending again", message.id)
        return False


def transport(settings: Settings) -> MailTransport:
    """The email transport of a process."""
    return MailTransport(
        SmtpConfig.from_url(settings.smtp_url),
        sender=settings.mail_from,
        sender_name=settings.mail_from_name,
        timeout=settings.smtp_timeout_seconds,
    )
