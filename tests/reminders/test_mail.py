"""The SMTP transport against a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy.orm import Session, sessionmaker

from bot.mail import MailError, MailTransport, SmtpConfig, SmtpMailer, transport
from handlers.outbox import queue_email, queue_zalo
from storage.models import Citizen, OutboxMessage
from tests.conftest import make_settings
from tests.reminders.conftest import Inbox, SmtpServer
from tests.support import free_port, zalo_layer


@dataclass
class Row:
    """The fields the transport reads from an outbox row."""

    id: int
    recipient: str
    payload: dict[str, Any] = field(default_factory=dict)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example", SmtpConfig("mail.example", 25)),
        ("smtp://127.0.0.1:2525", SmtpConfig("127.0.0.1", 2525)),
        (
            "smtp://pakn%40mttq.vn:m%E1%BA%ADt%20kh%E1%BA%A9u@mail.example:587?starttls=1",
            SmtpConfig(
                "mail.example", 587, starttls=True, username="pakn@mttq.vn", password="mật khẩu"
            ),
        ),
        (
            "smtps://u:p@mail.example",
            SmtpConfig("mail.example", 465, ssl=True, username="u", password="p"),
        ),
    ],
)
def test_smtp_url_forms(url: str, expected: SmtpConfig) -> None:
    assert SmtpConfig.from_url(url) == expected


@pytest.mark.parametrize("url", ["http://mail.example", "smtp://", "mail.example:25"])
def test_bad_smtp_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match="SMTP_URL"):
        SmtpConfig.from_url(url)


def test_vietnamese_email_with_a_letter_attached(smtp_server: SmtpServer, tmp_path: Path) -> None:
    letter = tmp_path / "TK-2611-000001-overdue.docx"
    letter.write_bytes(b"PK\x03\x04 not really a docx")
    mailer = SmtpMailer(
        SmtpConfig.from_url(smtp_server.url),
        sender="pakn@mttq-tamky.vn",
        sender_name="Ủy ban MTTQ Việt Nam khu vực Tam Kỳ",
        timeout=5,
    )
    row = Row(
        7,
        "vanthu@ubnd.test",
        {
            "to": ["vanthu@ubnd.test", "chutich@ubnd.test"],
            "subject": "[MTTQ Tam Kỳ] Nhắc hạn giải quyết phản ánh, kiến nghị",
            "body": "Kính gửi UBND phường Tam Kỳ,\nĐề nghị quý cơ quan giải quyết đúng hạn.",
            "attachments": [str(letter)],
        },
    )
    message_id = mailer.send(row)
    [msg] = smtp_server.inbox.messages
    assert msg["Subject"] == "[MTTQ Tam Kỳ] Nhắc hạn giải quyết phản ánh, kiến nghị"
    assert msg["From"].addresses[0].display_name == "Ủy ban MTTQ Việt Nam khu vực Tam Kỳ"
    assert message_id == msg["Message-ID"] == "<outbox-7@mttq-tamky.vn>"
    body = msg.get_body(preferencelist=("plain",))
    assert body is not None and "Đề nghị quý cơ quan giải quyết đúng hạn" in body.get_content()
    [attachment] = list(msg.iter_attachments())
    assert attachment.get_filename() == letter.name
    assert attachment.get_content_type().endswith("wordprocessingml.document")
    assert attachment.get_content() == letter.read_bytes()
    assert smtp_server.inbox.envelopes == [
        ("pakn@mttq-tamky.vn", ["vanthu@ubnd.test", "chutich@ubnd.test"])
    ]


def test_refused_recipient_is_permanent(smtp_server: SmtpServer) -> None:
    smtp_server.inbox.refuse.add("khongco@ubnd.test")
    mailer = SmtpMailer(SmtpConfig.from_url(smtp_server.url), sender="pakn@mttq.vn", timeout=5)
    with pytest.raises(MailError) as err:
        mailer.send(Row(1, "khongco@ubnd.test", {"subject": "Thử", "body": "Nội dung"}))
    assert err.value.permanent
    assert smtp_server.inbox.messages == []


def test_unreachable_server_is_transient() -> None:
    mailer = SmtpMailer(SmtpConfig("127.0.0.1", free_port()), sender="pakn@mttq.vn", timeout=2)
    with pytest.raises(MailError) as err:
        mailer.send(Row(1, "a@b.test", {"subject": "Thử", "body": "Nội dung"}))
    assert not err.value.permanent


def test_missing_attachment_is_permanent(smtp_server: SmtpServer, tmp_path: Path) -> None:
    mailer = SmtpMailer(SmtpConfig.from_url(smtp_server.url), sender="pakn@mttq.vn", timeout=5)
    row = Row(1, "a@b.test", {"subject": "s", "body": "b", "attachments": [str(tmp_path / "x")]})
    with pytest.raises(MailError) as err:
        mailer.send(row)
    assert err.value.permanent


def test_the_outbox_finds_the_transport(tmp_path: Path, smtp_server: SmtpServer) -> None:
    settings = make_settings("sqlite://", tmp_path, smtp_url=smtp_server.url)
    found = transport(settings)
    assert isinstance(found, MailTransport)
    assert found.config.port == smtp_server.port
    # An interrupted send cannot be checked over SMTP: the sender retries it (same Message-ID).
    assert found.reconcile(Row(3, "a@b.test"), claimed_at=None) is False  # type: ignore[arg-type]


def _authenticator(_server: Any, _session: Any, _envelope: Any, mechanism: str, data: Any) -> Any:
    ok = isinstance(data, LoginPassword) and data.login == b"pakn" and data.password == b"b\xc3\xad"
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def tls_files(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (openssl)."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture(params=["starttls", "smtps"])
def tls_server(
    request: pytest.FixtureRequest, tls_files: tuple[Path, Path]
) -> Iterator[tuple[str, Inbox, ssl.SSLContext]]:
    """An SMTP server that wants TLS (STARTTLS or from the first byte) and a login."""
    cert, key = tls_files
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(cert, key)
    client_ctx = ssl.create_default_context(cafile=str(cert))
    inbox, port = Inbox(), free_port()
    options: dict[str, Any] = {"authenticator": _authenticator, "auth_require_tls": True}
    if request.param == "starttls":
        options.update(tls_context=server_ctx, require_starttls=True)
        url = f"smtp://pakn:b%C3%AD@127.0.0.1:{port}?starttls=true"
    else:
        # aiosmtpd only counts STARTTLS as TLS for AUTH; this socket is TLS from the start.
        options.update(ssl_context=server_ctx, auth_require_tls=False)
        url = f"smtps://pakn:b%C3%AD@127.0.0.1:{port}"
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield url, inbox, client_ctx
    finally:
        controller.stop()


def test_tls_and_login(tls_server: tuple[str, Inbox, ssl.SSLContext]) -> None:
    url, inbox, client_ctx = tls_server
    mailer = SmtpMailer(
        SmtpConfig.from_url(url), sender="pakn@mttq.vn", timeout=5, ssl_context=client_ctx
    )
    mailer.send(Row(9, "a@b.test", {"subject": "Văn bản đôn đốc", "body": "Nội dung có dấu"}))
    assert [m["Subject"] for m in inbox.messages] == ["Văn bản đôn đốc"]
    wrong = SmtpMailer(
        SmtpConfig.from_url(url.replace("b%C3%AD", "sai")),
        sender="pakn@mttq.vn",
        timeout=5,
        ssl_context=client_ctx,
    )
    with pytest.raises(MailError) as err:
        wrong.send(Row(10, "a@b.test", {"subject": "s", "body": "b"}))
    assert err.value.permanent  # 535 authentication failed: a retry cannot help


def test_emails_leave_while_zalo_is_stopped(
    tmp_path: Path,
    smtp_server: SmtpServer,
    db_session: Session,
    session_factory: sessionmaker[Session],
    database_url: str,
) -> None:
    """No Zalo token (a human must re-authorise the OA): reminder emails still go out."""
    settings = make_settings(database_url, tmp_path, smtp_url=smtp_server.url)
    services = zalo_layer(settings, session_factory)
    citizen = Citizen(zalo_user_id="246845883529197922")
    db_session.add(citizen)
    db_session.flush()
    zalo_row = queue_zalo(db_session, citizen=citizen, text="Hồ sơ của Ông/Bà đã được chuyển.")
    mail_row = queue_email(db_session, to="vanthu@ubnd.test", subject="Nhắc hạn", body="Kính gửi…")
    db_session.commit()
    counts = services.sender.drain()
    assert counts["stopped"] == 1 and counts["sent"] == 1
    db_session.expire_all()
    assert db_session.get(OutboxMessage, zalo_row.id).state == "pending"  # type: ignore[union-attr]
    assert db_session.get(OutboxMessage, mail_row.id).state == "sent"  # type: ignore[union-attr]
    assert [rcpt for _, rcpt in smtp_server.inbox.envelopes] == [["vanthu@ubnd.test"]]
