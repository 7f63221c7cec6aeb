"""Builders for the agency tests: agencies with real addresses, petitions moved by the real
workflow, the outbox drained over real SMTP, and readers for what came out."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, datetime
from email.message import EmailMessage

from docx import Document
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.mail import MailTransport, SmtpConfig
from bot.zalo.sender import Sender
from handlers import workflow as wf
from storage.models import Agency, OutboxMessage, Petition, StaffNotification, StaffUser
from storage.models.enums import LegalType
from tests.workflow import helpers as h


def agency(
    session: Session, code: str, emails: tuple[str, ...] = (), liaison: str | None = None
) -> tuple[Agency, StaffUser | None]:
    """A seeded agency given addresses, and optionally a liaison account with an email."""
    found = h.agency(session, code)
    found.contact_email = ", ".join(emails) or None
    user = None
    if liaison:
        user = h.staff(session, "agency", agency_code=code, username=liaison)
        user.email = f"{liaison}@lienlac.test"
        user.display_name = f"Liên lạc {liaison}"
    session.flush()
    return found, user


def officer(session: Session, ward: str = "tam_ky") -> StaffUser:
    user = h.staff(session, "staff", wards=(ward,))
    user.email = f"{user.username}@mttq.test"
    return user


def triaged(
    session: Session,
    who: StaffUser,
    now: datetime,
    *,
    text: str,
    category: str = "giao_thong",
    legal_type: str = LegalType.PHAN_ANH,
    ward: str = "tam_ky",
    reporter: str | None = None,
    phone: str | None = None,
) -> Petition:
    """A Zalo petition submitted and triaged (assigned to the officer)."""
    p = h.draft(
        session,
        text=text,
        category_code=category,
        legal_type=legal_type,
        ward_code=ward,
        phone=phone,
    )
    p.reporter_name = reporter
    wf.submit(session, p, now=now)
    wf.triage(
        session,
        p,
        actor=who,
        category_id=p.category_id,
        ward_id=p.ward_id,
        legal_type=legal_type,
        urgent=False,
        now=now,
    )
    wf.assign(session, p, actor=who, assignee=who, now=now)
    return p


def drain(sessions: sessionmaker[Session], smtp_url: str) -> Counter[str]:
    """Send every due email over SMTP, as the outbox sender process would."""
    transport = MailTransport(
        SmtpConfig.from_url(smtp_url), sender="pakn@mttq-tamky.test", timeout=5
    )
    return Sender(sessions, {"email": transport}).drain()


def to(messages: list[EmailMessage], address: str) -> list[EmailMessage]:
    """The messages delivered to one address."""
    return [m for m in messages if address in str(m["To"])]


def body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def attachments(message: EmailMessage) -> dict[str, bytes]:
    return {str(a.get_filename()): bytes(a.get_content()) for a in message.iter_attachments()}


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def everything(message: EmailMessage) -> str:
    """Subject, body and the text of every .docx attached: all an agency reads."""
    texts = [str(message["Subject"]), body(message)]
    texts += [docx_text(d) for n, d in attachments(message).items() if n.endswith(".docx")]
    return "\n".join(texts)


def zalo_texts(session: Session, petition: Petition) -> list[str]:
    rows = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.petition_id == petition.id, OutboxMessage.channel == "zalo")
        .order_by(OutboxMessage.id)
    )
    return [str(m.payload.get("text", "")) for m in rows]


def items(session: Session, petition: Petition, kind: str) -> list[StaffNotification]:
    return list(
        session.scalars(
            select(StaffNotification).where(
                StaffNotification.petition_id == petition.id, StaffNotification.kind == kind
            )
        )
    )


def day(value: datetime) -> date:
    return wf.local_date(value)
