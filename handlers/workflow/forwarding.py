"""Forwarding to an agency and what follows: acknowledgement, the agency's answer, deadline
extensions, and the reviewed result sent to every reporter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy.orm import Session

from handlers.agencies.review import REVIEW_FIRST, needs_review
from handlers.workflow import clocks
from handlers.workflow.actors import Actor, as_actor
from handlers.workflow.calendar import WorkCalendar, local_date
from handlers.workflow.core import begin, calendar_of, record, required, settle_clocks
from handlers.workflow.errors import InvalidInput, InvalidState, NotAllowed
from handlers.workflow.items import front_item
from handlers.workflow.notify import notify_citizen
from handlers.workflow.queries import active_forward, latest_forward
from handlers.workflow.requests import withdraw_requests
from handlers.workflow.search import refresh_search_text
from storage.models import Agency, Attachment, Forward, Petition, StaffUser
from storage.models.enums import PetitionState as S

Who = Actor | StaffUser

FORWARD_CHANNELS = {
    "van_ban": "Văn bản giấy",
    "email": "Thư điện tử",
    "he_thong": "Hệ thống quản lý văn bản",
    "truc_tiep": "Trực tiếp",
}


def default_due(
    session: Session,
    petition: Petition,
    sent_on: date,
    *,
    complex_case: bool = False,
    calendar: WorkCalendar | None = None,
    policy: clocks.DeadlinePolicy = clocks.DEFAULT_POLICY,
) -> tuple[date, str]:
    """The handler deadline the forward form proposes, and its basis.

    A category's own clock (set on the categories screen) replaces the 3/5 working days of a
    simple or works phản ánh.
    """
    own = petition.category.handler_wd if petition.category else None
    if own:
        policy = replace(policy, simple_wd=own, works_wd=own)
    return clocks.handler_deadline(
        calendar_of(session, calendar),
        sent_on,
        legal_type=petition.legal_type,
        urgent=petition.urgent,
        category_code=petition.category.code if petition.category else None,
        complex_case=complex_case,
        policy=policy,
    )


def _check_sent_on(petition: Petition, sent_on: date) -> None:
    """A slip is dated on or after the day the petition came in: an earlier date would put
    the forward (and a deadline already run out) in a month before the petition existed.
    A later date stays allowed: a slip may be prepared for tomorrow's dispatch."""
    received = petition.received_at
    if received is not None and sent_on < local_date(received):
        raise InvalidInput(
            f"Ngày chuyển không được trước ngày tiếp nhận hồ sơ ({local_date(received):%d/%m/%Y})."
        )


def forward(
    session: Session,
    petition: Petition,
    *,
    actor: Who,
    agency: Agency,
    channel: str,
    document_number: str | None,
    sent_on: date,
    now: datetime,
    handler_due_on: date | None = None,
    complex_case: bool = False,
    calendar: WorkCalendar | None = None,
) -> Forward:
    """→ forwarded; a re-forward stops the old handler clock and starts a new one."""
    who = begin(session, actor, "forward", petition)
    if channel not in FORWARD_CHANNELS:
        raise InvalidInput("Hình thức chuyển không hợp lệ.")
    if not agency.active:
        raise InvalidInput("Cơ quan này không còn hoạt động.")
    if needs_review(petition):
        raise InvalidState(REVIEW_FIRST)
    _check_sent_on(petition, sent_on)
    cal = calendar_of(session, calendar)
    typed = handler_due_on
    if handler_due_on is None:
        handler_due_on, _ = default_due(
            session, petition, sent_on, complex_case=complex_case, calendar=cal
        )
    if handler_due_on < sent_on:
        raise InvalidInput("Hạn giải quyết phải sau ngày chuyển.")
    handler_due_on = cal.next_working_day(handler_due_on)
    previous = active_forward(session, petition)
    if previous is not None:
        previous.active = False
        withdraw_requests(session, previous, now)
    returned = _just_returned(session, petition, previous)
    fwd = Forward(
        petition_id=petition.id,
        agency_id=agency.id,
        channel=channel,
        document_number=(document_number or "").strip() or None,
        sent_on=sent_on,
        handler_due_on=handler_due_on,
        deadline_version=1,
        active=True,
        created_by_id=who.id if who.is_staff else None,
        created_at=now,
    )
    fwd.agency = agency
    session.add(fwd)
    petition.decided_at = petition.decided_at or now
    petition.result_relay_due_on = None
    refresh_search_text(petition)  # the agency's search key, as its liaisons will read it
    session.flush()
    action_note = (
        f"Chuyển {agency.name}, số {fwd.document_number or '—'}, hạn {handler_due_on:%d/%m/%Y}"
    )
    if typed is not None and typed != handler_due_on:
        action_note += f" ({typed:%d/%m/%Y} là ngày nghỉ)"
    if previous is not None:
        action_note = "Chuyển lại: " + action_note
    event = record(
        session, petition, who, "forward", now=now, to_state=S.FORWARDED, note=action_note
    )
    settle_clocks(session, petition, cal, fwd)
    notify_citizen(
        session,
        petition,
        "notify.rerouted" if returned is not None else "notify.forwarded",
        event,
        include_duplicates=True,
        agency=agency.name,
        old_agency=returned.agency.name if returned is not None else "",
        date=f"{sent_on:%d/%m/%Y}",
        document_number=fwd.document_number or "(đang cập nhật)",
        due_date=f"{handler_due_on:%d/%m/%Y}",
    )
    return fwd


def _just_returned(
    session: Session, petition: Petition, previous: Forward | None
) -> Forward | None:
    """The forward an agency returned, when this forward re-routes it (the citizen is told)."""
    if previous is not None or petition.state != S.TRIAGED:
        return None
    last = latest_forward(session, petition)
    return last if last is not None and last.returned_at is not None else None


def liaison_forward(session: Session, who: Actor, petition: Petition) -> Forward:
    """The running forward; a liaison may act only on one sent to their own agency."""
    fwd = active_forward(session, petition)
    if fwd is None:
        raise InvalidState("Hồ sơ không có phiếu chuyển đang chờ xử lý.")
    if who.is_liaison and fwd.agency_id != who.agency_id:
        raise NotAllowed("Hồ sơ này không còn do cơ quan của bạn giải quyết.")
    return fwd


def acknowledge(session: Session, petition: Petition, *, actor: Who, now: datetime) -> Forward:
    """forwarded → agency_acknowledged (optional step)."""
    who = begin(session, actor, "acknowledge", petition)
    fwd = liaison_forward(session, who, petition)
    fwd.acknowledged_at = now
    record(session, petition, who, "acknowledge", now=now, to_state=S.AGENCY_ACKNOWLEDGED)
    return fwd


def record_agency_answer(
    session: Session,
    petition: Petition,
    *,
    actor: Who,
    text: str,
    now: datetime,
    attachment: Attachment | None = None,
    files: Sequence[Attachment] = (),
    document_number: str | None = None,
    document_date: date | None = None,
    calendar: WorkCalendar | None = None,
    policy: clocks.DeadlinePolicy = clocks.DEFAULT_POLICY,
) -> Forward:
    """→ agency_answered: the handler clock stops; the Front has 2 working days to relay.

    The agency's answer is a document: its number and date, and its files, are kept with it.
    """
    who = begin(session, actor, "record_answer", petition)
    fwd = liaison_forward(session, who, petition)
    fwd.answer_text = required(text, "nội dung trả lời của cơ quan")
    if document_date is not None and document_date > local_date(now):
        raise InvalidInput("Ngày văn bản trả lời không được sau hôm nay.")
    fwd.answer_document_number = (document_number or "").strip()[:64] or None
    fwd.answer_document_date = document_date
    fwd.answered_at = now
    fwd.active = False
    withdraw_requests(session, fwd, now)
    kept = [a for a in (attachment, *files) if a is not None]
    for file in kept:
        file.petition_id = petition.id
    session.flush()
    fwd.answer_files = [a.id for a in kept]
    fwd.answer_attachment_id = kept[0].id if kept else None
    cal = calendar_of(session, calendar)
    petition.result_relay_due_on = cal.add_working_days(local_date(now), policy.result_relay_wd)
    number = f" (văn bản số {fwd.answer_document_number})" if fwd.answer_document_number else ""
    record(
        session,
        petition,
        who,
        "record_answer",
        now=now,
        to_state=S.AGENCY_ANSWERED,
        note=f"{fwd.agency.name} trả lời{number}; {len(kept)} tệp",
    )
    settle_clocks(session, petition, cal)
    front_item(
        session,
        petition,
        kind="agency_answered",
        title=f"{petition.code}: {fwd.agency.name} đã trả lời, cần xem xét và gửi kết quả",
        now=now,
        key=f"answered:f{fwd.id}",
    )
    return fwd


def extend_deadline(
    session: Session,
    petition: Petition,
    *,
    actor: Who,
    new_due_on: date,
    note: str,
    now: datetime,
    calendar: WorkCalendar | None = None,
) -> Forward:
    """A written extension: a later handler deadline under a new deadline_version."""
    who = begin(session, actor, "extend_deadline", petition)
    fwd = liaison_forward(session, who, petition)
    cal = calendar_of(session, calendar)
    new_due_on = cal.next_working_day(new_due_on)  # a deadline never ends on a day off
    if new_due_on <= fwd.handler_due_on:
        raise InvalidInput("Hạn mới phải sau hạn hiện tại.")
    note = required(note, "căn cứ gia hạn")
    fwd.handler_due_on = new_due_on
    fwd.deadline_version += 1
    event = record(
        session,
        petition,
        who,
        "extend_deadline",
        now=now,
        note=f"Gia hạn đến {new_due_on:%d/%m/%Y} (lần {fwd.deadline_version - 1}): {note}",
    )
    settle_clocks(session, petition, cal, fwd)
    notify_citizen(
        session,
        petition,
        "notify.extended",
        event,
        include_duplicates=True,
        agency=fwd.agency.name,
        due_date=f"{new_due_on:%d/%m/%Y}",
    )
    return fwd


def send_result(
    session: Session,
    petition: Petition,
    *,
    actor: Who,
    result_text: str,
    now: datetime,
    calendar: WorkCalendar | None = None,
) -> Petition:
    """agency_answered → result_sent: the reviewed result goes to every reporter."""
    who = begin(session, actor, "send_result", petition)
    result = required(result_text, "nội dung kết quả")
    if latest_forward(session, petition) is None:
        raise InvalidState("Chưa có trả lời của cơ quan.")
    petition.result_sent_at = now
    event = record(
        session, petition, who, "send_result", now=now, to_state=S.RESULT_SENT, note=result
    )
    settle_clocks(session, petition, calendar_of(session, calendar))
    notify_citizen(
        session,
        petition,
        "notify.result",
        event,
        include_duplicates=True,
        with_feedback=True,
        result=result,
    )
    return petition


__all__ = [
    "FORWARD_CHANNELS",
    "liaison_forward",
    "acknowledge",
    "as_actor",
    "default_due",
    "extend_deadline",
    "forward",
    "record_agency_answer",
    "send_result",
]
