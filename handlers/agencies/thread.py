"""The internal thread between the Front and an agency on a petition.

Never shown to the citizen. A liaison writes in their own agency's thread and reads it
through the disclosure filter (a Front officer's slip of the pen never reaches the agency);
Front staff write to any agency the petition was forwarded to. A Front message is emailed to
the agency's liaisons; an agency message becomes an item for the petition's officer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import workflow as wf
from handlers.agencies import texts
from handlers.agencies.disclosure import for_agency
from handlers.agencies.flows import MailContext
from handlers.agencies.mail import notify_agency
from handlers.workflow.core import begin, record, required
from handlers.workflow.items import front_item
from handlers.workflow.slips import front_unit
from storage.models import Agency, AgencyMessage, Forward, Petition, StaffUser

MAX_BODY = 4000


@dataclass(frozen=True)
class ThreadLine:
    """A message as its reader may see it."""

    author: str
    from_agency: bool
    body: str
    created_at: datetime


def thread_agencies(session: Session, petition: Petition) -> list[Agency]:
    """The agencies this petition was forwarded to (each has its own thread)."""
    ids = session.scalars(
        select(Forward.agency_id).where(Forward.petition_id == petition.id).order_by(Forward.id)
    ).all()
    return [a for a in (session.get(Agency, i) for i in dict.fromkeys(ids)) if a is not None]


def post_message(
    session: Session,
    petition: Petition,
    *,
    actor: wf.Actor | StaffUser,
    body: str,
    now: datetime,
    mail: MailContext,
    agency_id: int | None = None,
) -> AgencyMessage:
    """Add a message to the thread of the liaison's agency (or, for the Front, `agency_id`)."""
    who = begin(session, actor, "agency_message", petition)
    text = required(body, "nội dung trao đổi")[:MAX_BODY]
    target = who.agency_id if who.is_liaison else agency_id
    forwards = {a.id: a for a in thread_agencies(session, petition)}
    if target is None or target not in forwards:
        raise wf.InvalidInput("Chỉ trao đổi với cơ quan đã nhận hồ sơ này.")
    agency = forwards[target]
    message = AgencyMessage(
        petition_id=petition.id,
        agency_id=agency.id,
        author_id=who.id,
        from_agency=who.is_liaison,
        body=text,
        created_at=now,
    )
    session.add(message)
    session.flush()
    record(session, petition, who, "agency_message", now=now, note=f"Với {agency.name}")
    if who.is_liaison:
        front_item(
            session,
            petition,
            kind="agency_message",
            title=f"{petition.code}: {agency.name} gửi trao đổi",
            body=text,
            now=now,
        )
    else:
        _email_liaisons(session, petition, agency, message, who, now, mail)
    return message


def _email_liaisons(
    session: Session,
    petition: Petition,
    agency: Agency,
    message: AgencyMessage,
    who: wf.Actor,
    now: datetime,
    mail: MailContext,
) -> None:
    forward = session.scalar(
        select(Forward)
        .where(Forward.petition_id == petition.id, Forward.agency_id == agency.id)
        .order_by(Forward.id.desc())
        .limit(1)
    )
    assert forward is not None  # noqa: S101 - thread_agencies found it
    unit = front_unit(session, petition)
    subject, body = texts.render(
        "message",
        link=mail.petition_link(petition),
        place=unit.place,
        unit=unit.name,
        agency=agency.name,
        code=petition.code,
        body=message.body,
    )
    notify_agency(
        session,
        forward,
        subject,
        body,
        [],
        now,
        purpose="message",
        key=f"msg{message.id}",
        contacts=False,
        actor=who,
    )


def read_thread(
    session: Session, petition: Petition, agency_id: int, *, for_liaison: bool
) -> list[ThreadLine]:
    """The thread with one agency; a liaison reads Front messages through the filter."""
    rows = session.scalars(
        select(AgencyMessage)
        .where(AgencyMessage.petition_id == petition.id, AgencyMessage.agency_id == agency_id)
        .order_by(AgencyMessage.created_at, AgencyMessage.id)
    ).all()
    names = {
        u.id: u.display_name or u.username
        for u in session.scalars(
            select(StaffUser).where(StaffUser.id.in_({r.author_id for r in rows if r.author_id}))
        )
    }
    lines = []
    for row in rows:
        body = for_agency(petition, row.body) if for_liaison and not row.from_agency else row.body
        author = names.get(row.author_id or 0, "Cán bộ")
        if not row.from_agency and for_liaison:
            author = f"Ủy ban MTTQ ({author})"
        lines.append(ThreadLine(author, row.from_agency, body, row.created_at))
    return lines
