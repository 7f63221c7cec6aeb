"""What the petition page shows about agencies: proposals, deliveries, requests, the thread."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.agencies.disclosure import for_agency
from handlers.agencies.mail import deliveries_of
from handlers.agencies.routing import propose
from handlers.agencies.thread import read_thread, thread_agencies
from handlers.workflow import Actor, rules
from handlers.workflow.requests import pending_extension
from storage.models import Agency, ExtensionRequest, Forward, OutboxMessage, Petition
from storage.models.enums import OutboxState

#: How a delivery's outbox state reads on the page.
DELIVERY_STATES = {
    OutboxState.PENDING: "Đang chờ gửi",
    OutboxState.SENDING: "Đang gửi",
    OutboxState.SENT: "Đã gửi",
    OutboxState.HELD: "Tạm giữ",
    OutboxState.DEAD: "Không gửi được",
}


def agency_context(s: Session, p: Petition, who: Actor, running: Forward | None) -> dict[str, Any]:
    """For everyone on the page: the pending request, the thread(s), the agencies to name."""
    pending = pending_extension(s, running) if running is not None else None
    mine = running is not None and (not who.is_liaison or running.agency_id == who.agency_id)
    threads: dict[int, Any] = {}
    partners = thread_agencies(s, p)
    if who.is_liaison and who.agency_id is not None:
        partners = [a for a in partners if a.id == who.agency_id]
    for agency in partners:
        threads[agency.id] = read_thread(s, p, agency.id, for_liaison=who.is_liaison)
    return {
        "running": running if mine else None,
        "pending_extension": pending if mine else None,
        "extension_history": _history(s, p, who),
        "threads": threads,
        "thread_partners": partners,
        "can_message": rules.may(who, "agency_message") and bool(partners),
        "agencies_all": list(
            s.scalars(select(Agency).where(Agency.active.is_(True)).order_by(Agency.name))
        ),
    }


@dataclass(frozen=True)
class RequestLine:
    """An extension request as its reader sees it (the Front's note filtered for a liaison)."""

    created_at: datetime
    proposed_due_on: date
    reason: str
    state: str
    granted_due_on: date | None
    decision_note: str


def _history(s: Session, p: Petition, who: Actor) -> list[RequestLine]:
    query = select(ExtensionRequest).where(ExtensionRequest.petition_id == p.id)
    if who.is_liaison:
        query = query.join(Forward, Forward.id == ExtensionRequest.forward_id).where(
            Forward.agency_id == who.agency_id
        )
    return [
        RequestLine(
            r.created_at,
            r.proposed_due_on,
            r.reason,
            r.state,
            r.granted_due_on,
            for_agency(p, r.decision_note) if who.is_liaison else r.decision_note,
        )
        for r in s.scalars(query.order_by(ExtensionRequest.id))
    ]


def staff_agency_context(s: Session, p: Petition) -> dict[str, Any]:
    """For Front staff: the routing proposals and every agency email with its state."""
    proposals = propose(s, p)
    deliveries = deliveries_of(s, p)
    outbox = {
        o.id: o
        for o in s.scalars(
            select(OutboxMessage).where(
                OutboxMessage.id.in_({d.outbox_id for d in deliveries if d.outbox_id})
            )
        )
    }
    return {
        "proposals": proposals,
        "route_agency_id": proposals[0].agency.id if proposals else None,
        "deliveries": [(d, outbox.get(d.outbox_id or 0)) for d in deliveries],
        "delivery_states": DELIVERY_STATES,
    }
