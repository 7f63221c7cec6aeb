"""Emails to agencies: one function queues them, logs each delivery on the petition's timeline,
and one function turns a refused or abandoned email into an item for the Front officer.

`notify_agency` sends to the agency's official addresses and to its liaisons, one outbox row
per address (so a refused address is known by name), with dedup keys so a retried request
queues nothing twice. Subject and body pass the disclosure filter first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.agencies.disclosure import for_agency
from handlers.agencies.texts import LINK
from handlers.outbox import queue_email
from handlers.workflow import SYSTEM, Actor
from handlers.workflow.core import record
from handlers.workflow.items import agency_item, front_item
from storage.models import Agency, AgencyDelivery, Forward, Petition, StaffUser
from storage.models.enums import Role

CONTACT, LIAISON = "contact", "liaison"


@dataclass(frozen=True)
class Recipient:
    """One address an agency email goes to."""

    address: str
    kind: str  # contact | liaison


def recipients(session: Session, agency: Agency, *, contacts: bool = True) -> list[Recipient]:
    """The agency's official addresses (if asked) and its active liaisons' addresses."""
    found: dict[str, Recipient] = {}
    if contacts:
        for address in agency.contact_addresses:
            found.setdefault(address.lower(), Recipient(address, CONTACT))
    users = session.scalars(
        select(StaffUser).where(
            StaffUser.agency_id == agency.id,
            StaffUser.role == Role.AGENCY,
            StaffUser.active.is_(True),
        )
    )
    for user in users:
        if user.email and "@" in user.email:
            found.setdefault(user.email.lower(), Recipient(user.email, LIAISON))
    return list(found.values())


def address_counts(session: Session, agencies: Sequence[Agency]) -> dict[int, int]:
    """How many addresses a forward's email reaches, per agency (as `recipients` picks them):
    the forward form marks the agencies that need a paper slip, and only those."""
    ids = [a.id for a in agencies]
    liaisons: dict[int, set[str]] = {}
    rows = session.execute(
        select(StaffUser.agency_id, StaffUser.email).where(
            StaffUser.agency_id.in_(ids),
            StaffUser.role == Role.AGENCY,
            StaffUser.active.is_(True),
            StaffUser.email.is_not(None),
        )
    )
    for agency_id, email in rows:
        if agency_id is not None and email and "@" in email:
            liaisons.setdefault(agency_id, set()).add(email.lower())
    return {
        a.id: len({c.lower() for c in a.contact_addresses} | liaisons.get(a.id, set()))
        for a in agencies
    }


def notify_agency(
    session: Session,
    forward: Forward,
    subject: str,
    body: str,
    attachments: Sequence[str | Path],
    now: datetime,
    *,
    purpose: str = "forward",
    key: str | None = None,
    contacts: bool = True,
    actor: Actor = SYSTEM,
    link: str = "",
) -> list[AgencyDelivery]:
    """Email the forward's agency about it, with files; record each delivery on the timeline.

    `key` names this email for de-duplication (default: purpose, subject and files), so
    calling again for the same email queues nothing new. `link` (the petition's page, see
    `flows.MailContext.petition_link`) is added as the line liaisons follow. Without any
    address, the timeline says so and the Front officer gets an item to send the paper slip.
    """
    petition = session.get(Petition, forward.petition_id)
    if petition is None:
        raise ValueError(f"forward {forward.id} has no petition")
    agency = forward.agency
    subject = for_agency(petition, subject).replace("\n", " ")[:250]
    body = for_agency(petition, body) + (LINK.format(link=link) if link else "")
    files = [str(disclosed_file(petition, Path(a))) for a in attachments]
    names = [Path(f).name for f in files]
    email_key = key or _digest(purpose, subject, *names)
    deliveries = []
    targets = recipients(session, agency, contacts=contacts)
    for rcpt in targets:
        row = queue_email(
            session,
            to=rcpt.address,
            subject=subject,
            body=body,
            petition=petition,
            attachments=files,
            dedup_key=_dedup(forward.id, email_key, rcpt.address),
        )
        session.flush()
        if session.scalar(select(AgencyDelivery.id).where(AgencyDelivery.outbox_id == row.id)):
            continue  # this very email was queued before (a retried request)
        delivery = AgencyDelivery(
            petition_id=petition.id,
            forward_id=forward.id,
            agency_id=agency.id,
            outbox_id=row.id,
            purpose=purpose[:24],
            recipient=rcpt.address[:200],
            recipient_kind=rcpt.kind,
            subject=subject[:300],
            attachments=names,
            created_at=now,
        )
        session.add(delivery)
        deliveries.append(delivery)
    if deliveries or not targets:
        _log(session, petition, forward, subject, names, deliveries, actor, now, contacts)
    return deliveries


def disclosed_file(petition: Petition, path: Path) -> Path:
    """The file under a name the agency may read: a copy when the filter changes the name
    (a file named after a tố cáo's author), the file itself otherwise."""
    name = for_agency(petition, path.name)
    if name == path.name:
        return path
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)
    copy = path.parent / "disclosed" / safe
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_bytes(path.read_bytes())
    return copy


def _log(
    session: Session,
    petition: Petition,
    forward: Forward,
    subject: str,
    names: list[str],
    deliveries: list[AgencyDelivery],
    actor: Actor,
    now: datetime,
    contacts: bool,
) -> None:
    """The timeline line, the liaisons' item, or the officer's item when nothing could go."""
    agency = forward.agency
    if deliveries:
        to = ", ".join(d.recipient for d in deliveries)
        files = f"; kèm: {', '.join(names)}" if names else ""
        note = f"«{subject}» gửi {agency.name} ({to}){files}"
        record(session, petition, actor, "agency_email", now=now, note=note)
        agency_item(session, petition, agency.id, kind="agency_email", title=subject, now=now)
        return
    if not contacts:
        return  # a thread reply: the liaisons see it on the petition page anyway
    note = (
        f"Không gửi được thư «{subject}»: {agency.name} chưa có địa chỉ thư điện tử "
        "(chưa xác nhận). Cần gửi bằng văn bản giấy."
    )
    record(session, petition, actor, "agency_email", now=now, note=note)
    front_item(
        session,
        petition,
        kind="agency_no_email",
        title=f"{petition.code}: {agency.name} chưa có địa chỉ thư, cần gửi văn bản giấy",
        body=note,
        now=now,
    )


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def _dedup(forward_id: int, key: str, address: str) -> str:
    text = f"agency:f{forward_id}:{key}:{address.lower()}"
    return text if len(text) <= 200 else "agency:" + hashlib.sha256(text.encode()).hexdigest()


def delivery_failed(session: Session, outbox_id: int, reason: str, now: datetime) -> int:
    """An agency email was refused or given up on: timeline, and an item for the officer.

    Called by the outbox sender when it dead-letters an email row; other rows are ignored.
    Returns how many deliveries were marked.
    """
    rows = session.scalars(
        select(AgencyDelivery).where(
            AgencyDelivery.outbox_id == outbox_id, AgencyDelivery.failed_at.is_(None)
        )
    ).all()
    for delivery in rows:
        delivery.failed_at, delivery.failure = now, reason[:500]
        petition = session.get(Petition, delivery.petition_id)
        agency = session.get(Agency, delivery.agency_id)
        if petition is None or agency is None:
            continue
        note = (
            f"Thư «{delivery.subject}» đến {delivery.recipient} ({agency.name}) không gửi được: "
            f"{reason[:200]}. Cần kiểm tra địa chỉ hoặc gửi văn bản giấy."
        )
        record(session, petition, SYSTEM, "agency_email_failed", now=now, note=note)
        front_item(
            session,
            petition,
            kind="agency_email_failed",
            title=f"{petition.code}: thư cho {agency.name} không gửi được ({delivery.recipient})",
            body=note,
            now=now,
        )
    return len(rows)


def deliveries_of(session: Session, petition: Petition) -> list[AgencyDelivery]:
    """Every agency email of a petition, oldest first (the petition page shows their state)."""
    return list(
        session.scalars(
            select(AgencyDelivery)
            .where(AgencyDelivery.petition_id == petition.id)
            .order_by(AgencyDelivery.id)
        )
    )


def agency_digest(
    session: Session,
    *,
    dedup: Callable[[str], str],
    agency_id: int,
    forward_ids: Sequence[int],
    subject: str,
    body: str,
    now: datetime,
) -> int:
    """A reminder listing several forwards, to the agency's official addresses (the liaisons
    hear through their own digest); each petition's timeline records it. `dedup` gives the
    outbox key of the email to one address. Returns how many emails were queued.
    """
    agency = session.get(Agency, agency_id)
    forwards = [f for f in (session.get(Forward, i) for i in forward_ids) if f is not None]
    if agency is None or not forwards:
        return 0
    petitions = {f.id: session.get(Petition, f.petition_id) for f in forwards}
    for petition in petitions.values():
        if petition is not None:
            subject, body = for_agency(petition, subject), for_agency(petition, body)
    queued = 0
    for address in agency.contact_addresses:
        row = queue_email(
            session,
            to=address,
            subject=subject,
            body=body,
            petition=petitions[forwards[0].id],
            dedup_key=dedup(address),
        )
        session.flush()
        for fwd in forwards:
            session.add(
                AgencyDelivery(
                    petition_id=fwd.petition_id,
                    forward_id=fwd.id,
                    agency_id=agency.id,
                    outbox_id=row.id,
                    purpose="reminder",
                    recipient=address[:200],
                    recipient_kind=CONTACT,
                    subject=subject[:300],
                    attachments=[],
                    created_at=now,
                )
            )
        queued += 1
    for petition in petitions.values():
        if petition is not None and queued:
            note = f"«{subject}» gửi {agency.name} ({', '.join(agency.contact_addresses)})"
            record(session, petition, SYSTEM, "agency_email", now=now, note=note)
    return queued
