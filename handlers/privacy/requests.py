"""Recording a data-subject request: the row, its time limit, and the staff's item.

A request made in the chat and one a staff member records (a letter, a visit, a call) take
the same path, so each lands on «Việc cần làm» with its due date, and a repeated tap finds
the open request instead of adding a second one.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers import audit
from handlers.messages import render
from handlers.privacy.limits import CHANNELS, KINDS, due_on
from handlers.tasks import raise_item, settle_item
from handlers.workflow import clocks
from handlers.workflow.calendar import LOCAL_TZ, WorkCalendar
from storage.models import Citizen, DataRequest, Petition, StaffUser
from storage.models.enums import PetitionState

OPEN, DONE, POSTPONED, REFUSED = "open", "done", "postponed", "refused"
#: The oldest day of receipt a staff member may type, counted back from today: older is a
#: typo (the longest time limit is 20 days), or a matter for a note on today's record.
OLDEST_RECEIPT = timedelta(days=90)

#: Requests still waiting for staff (a postponed deletion waits for its holds to end).
PENDING = (OPEN, POSTPONED)
STATE_LABELS = {
    OPEN: "Đang chờ thực hiện",
    POSTPONED: "Tạm hoãn",
    DONE: "Đã thực hiện",
    REFUSED: "Từ chối",
}


def item_key(request: DataRequest) -> str:
    """The de-duplication key of the request's item (settled when it is carried out)."""
    return f"data_request:{request.id}"


def receipt_time(day: date, *, now: datetime) -> datetime:
    """When a request that came by letter or in person counts as received (the petitions'
    rule, with the requests' own oldest day), since the time limit runs from receipt.

    Raises InvalidInput (a Vietnamese message) for a day in the future or implausibly old.
    """
    return clocks.receipt_time(day, now, oldest=OLDEST_RECEIPT, what="Yêu cầu")


def pending_request(session: Session, citizen_id: int, kind: str) -> DataRequest | None:
    """The citizen's request of this kind still waiting for staff, if any."""
    return session.scalar(
        select(DataRequest)
        .where(
            DataRequest.citizen_id == citizen_id,
            DataRequest.kind == kind,
            DataRequest.state.in_(PENDING),
        )
        .order_by(DataRequest.id)
        .limit(1)
    )


def record(
    session: Session,
    citizen: Citizen,
    kind: str,
    *,
    now: datetime,
    channel: str = "zalo",
    detail: str = "",
    by: StaffUser | None = None,
    calendar: WorkCalendar | None = None,
    received_at: datetime | None = None,
    done: str | None = None,
) -> DataRequest:
    """Record the request and raise its item; an open one of the same kind is returned.

    received_at: when it arrived (a letter's day of receipt, see receipt_time), if not now;
    the time limit counts from it.
    `done`: the request already took effect (a withdrawal made in the chat stops processing
    at once); it is recorded as carried out with this outcome, and its item is only
    informational — nothing is left for staff to do or to refuse.
    """
    if kind not in KINDS or channel not in CHANNELS:
        raise ValueError(f"unknown request kind or channel: {kind}, {channel}")
    found = pending_request(session, citizen.id, kind)
    if found is not None:
        if detail and found.detail != detail:
            found.detail = f"{found.detail}\n{detail}".strip()[:4000]
        if done is not None:
            _settle(session, found, now, done)
        return found
    cal = calendar if calendar is not None else WorkCalendar.load(session)
    received_at = received_at if received_at is not None else now
    request = DataRequest(
        citizen_id=citizen.id,
        kind=kind,
        channel=channel,
        detail=detail[:4000],
        received_at=received_at,
        due_on=due_on(kind, received_at, cal),
        state=OPEN,
        outcome="",
        recorded_by_id=by.id if by is not None else None,
        created_at=now,
    )
    session.add(request)
    session.flush()
    _raise_item(session, request, citizen, now, done=done is not None)
    if done is not None:
        _settle(session, request, now, done)
    audit.write(
        session,
        "privacy.request",
        now=now,
        actor=by,
        summary=f"{KINDS[kind].label}: người dân #{citizen.id}, hạn {request.due_on:%d/%m/%Y}",
        target=("data_request", request.id),
        after={
            "kind": kind,
            "channel": channel,
            "received_on": received_at.astimezone(LOCAL_TZ).date(),
            "due_on": request.due_on,
        },
    )
    return request


def _settle(session: Session, request: DataRequest, now: datetime, outcome: str) -> None:
    """Mark the request carried out by the system (no staff member) and its item done."""
    request.state, request.outcome = DONE, outcome[:2000]
    request.handled_at, request.handled_by_id = now, None
    settle_item(session, item_key(request), now=now, note=outcome[:300])


def _raise_item(
    session: Session, request: DataRequest, citizen: Citizen, now: datetime, *, done: bool
) -> None:
    kind = KINDS[request.kind]
    due = f"{request.due_on:%d/%m/%Y}"
    received = request.received_at.astimezone(LOCAL_TZ)
    title = "staff.data_request_done_title" if done else "staff.data_request_title"
    raise_item(
        session,
        kind=kind.item_kind,
        title=render(session, title, what=kind.label, due=due),
        body=render(
            session,
            "staff.data_request_body",
            citizen_id=citizen.id,
            count=petition_count(session, citizen.id),
            # A letter received on an earlier day: its day, without an hour that means nothing.
            date=f"{received:%H:%M %d/%m/%Y}"
            if request.received_at == now
            else f"{received:%d/%m/%Y}",
            channel=CHANNELS[request.channel],
            due=due,
            reason=kind.basis,
        ),
        now=now,
        ward_id=citizen.ward_id,
        key=item_key(request),
        link=f"/privacy/{request.id}",
    )


def petition_count(session: Session, citizen_id: int) -> int:
    """How many petitions the citizen has sent (drafts are not petitions yet)."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(Petition)
            .where(Petition.citizen_id == citizen_id, Petition.state != PetitionState.DRAFT)
        )
        or 0
    )
