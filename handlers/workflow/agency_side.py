"""The agency's side of a forward: "not within our competence" and asking for more time.

A return stops the agency's handler clock and hands the petition back to the Front
(→ triaged) with a one-working-day target to re-route it; the officer gets an item. A
re-forward then starts a new handler clock. An extension request waits for the Front: an
approval moves the deadline (a new deadline_version, so the reminder ladder starts again)
and the citizen is told the new date; a refusal leaves everything as it was.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from handlers.workflow import clocks
from handlers.workflow.actors import Actor, as_actor
from handlers.workflow.calendar import WorkCalendar, local_date
from handlers.workflow.core import begin, calendar_of, record, required, settle_clocks
from handlers.workflow.errors import InvalidInput, InvalidState
from handlers.workflow.forwarding import extend_deadline, liaison_forward
from handlers.workflow.items import agency_item, front_item
from handlers.workflow.requests import (
    APPROVED,
    PENDING,
    REFUSED,
    pending_extension,
    withdraw_requests,
)
from storage.models import Agency, ExtensionRequest, Forward, Petition, StaffUser
from storage.models.enums import PetitionState as S

Who = Actor | StaffUser
MAX_REASON = 2000


def return_forward(
    session: Session,
    petition: Petition,
    *,
    actor: Who,
    reason: str,
    now: datetime,
    suggestion: str = "",
    suggested_agency: Agency | None = None,
    calendar: WorkCalendar | None = None,
    policy: clocks.DeadlinePolicy = clocks.DEFAULT_POLICY,
) -> Forward:
    """forwarded/acknowledged → triaged: the agency says the matter is not within its competence."""
    who = begin(session, actor, "return_forward", petition)
    fwd = liaison_forward(session, who, petition)
    reason = required(reason, "lý do trả lại")[:MAX_REASON]
    if suggested_agency is not None and suggested_agency.id == fwd.agency_id:
        raise InvalidInput("Cơ quan đề nghị chuyển đến phải khác cơ quan hiện tại.")
    fwd.active = False
    fwd.returned_at = now
    fwd.return_reason = reason
    fwd.return_suggestion = " ".join(suggestion.split())[:300] or None
    fwd.suggested_agency_id = suggested_agency.id if suggested_agency is not None else None
    withdraw_requests(session, fwd, now)
    cal = calendar_of(session, calendar)
    petition.triage_due_on = cal.add_working_days(local_date(now), policy.triage_target_wd)
    competent = suggested_agency.name if suggested_agency else fwd.return_suggestion
    note = f"{fwd.agency.name} trả lại: {reason}"
    if competent:
        note += f" — đề nghị chuyển đến: {competent}"
    record(session, petition, who, "return_forward", now=now, to_state=S.TRIAGED, note=note)
    settle_clocks(session, petition, cal)
    front_item(
        session,
        petition,
        kind="agency_returned",
        title=f"{petition.code}: {fwd.agency.name} trả lại hồ sơ, cần chuyển cơ quan khác",
        body=note,
        now=now,
    )
    return fwd


def request_extension(
    session: Session,
    petition: Petition,
    *,
    actor: Who,
    reason: str,
    proposed_due_on: date,
    now: datetime,
) -> ExtensionRequest:
    """The agency asks for a later deadline; the Front decides (one open request at a time)."""
    who = begin(session, actor, "request_extension", petition)
    fwd = liaison_forward(session, who, petition)
    reason = required(reason, "lý do đề nghị gia hạn")[:MAX_REASON]
    if proposed_due_on <= fwd.handler_due_on:
        raise InvalidInput("Ngày đề nghị phải sau hạn giải quyết hiện tại.")
    if pending_extension(session, fwd) is not None:
        raise InvalidState("Đã có đề nghị gia hạn đang chờ Ủy ban MTTQ xem xét.")
    request = ExtensionRequest(
        petition_id=petition.id,
        forward_id=fwd.id,
        requested_by_id=who.id if who.is_staff else None,
        reason=reason,
        proposed_due_on=proposed_due_on,
        state=PENDING,
        created_at=now,
    )
    session.add(request)
    note = f"{fwd.agency.name} đề nghị gia hạn đến {proposed_due_on:%d/%m/%Y}: {reason}"
    record(session, petition, who, "request_extension", now=now, note=note)
    front_item(
        session,
        petition,
        kind="extension_requested",
        title=f"{petition.code}: {fwd.agency.name} đề nghị gia hạn đến {proposed_due_on:%d/%m/%Y}",
        body=note,
        now=now,
    )
    return request


def decide_extension(
    session: Session,
    petition: Petition,
    *,
    actor: Who,
    request: ExtensionRequest,
    approve: bool,
    now: datetime,
    note: str = "",
    granted_due_on: date | None = None,
    calendar: WorkCalendar | None = None,
) -> ExtensionRequest:
    """The Front approves (the deadline moves, the citizen is told) or refuses (reason given)."""
    who = as_actor(actor)
    begin(session, who, "decide_extension", petition)
    if request.petition_id != petition.id or request.state != PENDING:
        raise InvalidState("Đề nghị gia hạn này không còn chờ quyết định.")
    fwd = session.get(Forward, request.forward_id)
    if fwd is None or not fwd.active:
        raise InvalidState("Phiếu chuyển của đề nghị này đã kết thúc.")
    note = " ".join((note or "").split())[:MAX_REASON]
    if not approve and not note:
        raise InvalidInput("Cần nêu lý do không chấp thuận.")
    request.decided_by_id = who.id
    request.decided_at = now
    request.decision_note = note
    if approve:
        granted = granted_due_on or request.proposed_due_on
        request.state, request.granted_due_on = APPROVED, granted
        basis = f"Chấp thuận đề nghị của {fwd.agency.name}: {request.reason}"
        extend_deadline(
            session,
            petition,
            actor=who,
            new_due_on=granted,
            note=f"{basis}. {note}".strip(),
            now=now,
            calendar=calendar,
        )
        title = f"{petition.code}: đề nghị gia hạn được chấp thuận, hạn mới {granted:%d/%m/%Y}"
    else:
        request.state = REFUSED
        record(
            session,
            petition,
            who,
            "decide_extension",
            now=now,
            note=f"Không chấp thuận gia hạn cho {fwd.agency.name}: {note}",
        )
        title = (
            f"{petition.code}: đề nghị gia hạn không được chấp thuận, "
            f"hạn vẫn là {fwd.handler_due_on:%d/%m/%Y}"
        )
    agency_item(
        session, petition, fwd.agency_id, kind="extension_decided", title=title, body=note, now=now
    )
    return request


__all__ = ["decide_extension", "request_extension", "return_forward"]
