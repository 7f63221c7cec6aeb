"""Staff transitions: assign, ask for information, triage and classify, answer, close, reopen,
merge duplicates, redact, notes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.workflow import clocks, rules
from handlers.workflow.actors import Actor, as_actor
from handlers.workflow.calendar import WorkCalendar
from handlers.workflow.citizen import close_now, start_reopened
from handlers.workflow.core import begin, calendar_of, record, required, settle_clocks
from handlers.workflow.errors import InvalidInput, InvalidState, OutOfScope
from handlers.workflow.labels import CLOSE_REASON_LABELS, LEGAL_TYPE_LABELS, close_note
from handlers.workflow.notify import notify_citizen
from handlers.workflow.queries import duplicates_of
from handlers.workflow.search import refresh_search_text
from nlp.pii import mask
from storage.models import (
    Category,
    ClassificationLabel,
    Petition,
    PetitionNote,
    StaffUser,
    Ward,
)
from storage.models.enums import CloseReason, LegalType, Role
from storage.models.enums import PetitionState as S

Who = Actor | StaffUser


def assign(
    session: Session, petition: Petition, *, actor: Who, assignee: StaffUser | None, now: datetime
) -> Petition:
    """Give the petition to an officer who can see it (None takes it back)."""
    who = begin(session, actor, "assign", petition)
    if assignee is not None:
        target = Actor.of_staff(assignee)
        if assignee.role == Role.AGENCY or not assignee.active:
            raise InvalidInput("Chỉ phân công cho cán bộ MTTQ đang hoạt động.")
        if not rules.in_scope(session, target, petition):
            raise InvalidInput("Cán bộ này không phụ trách phường của hồ sơ.")
    petition.assignee_id = assignee.id if assignee else None
    name = (assignee.display_name or assignee.username) if assignee else "(bỏ phân công)"
    record(session, petition, who, "assign", now=now, note=f"Phân công: {name}")
    return petition


def request_info(
    session: Session, petition: Petition, *, actor: Who, what: str, now: datetime
) -> Petition:
    """→ need_info: every clock pauses; the citizen is told what is missing."""
    who = begin(session, actor, "request_info", petition)
    what = required(what, "nội dung cần bổ sung")
    clocks.pause(petition, now)
    event = record(session, petition, who, "request_info", now=now, to_state=S.NEED_INFO, note=what)
    # The message closes the sentence itself: "…bao nhiêu?" must not end in "?.".
    notify_citizen(session, petition, "notify.need_info", event, what=what.rstrip(" .?!…"))
    return petition


def answer_directly(
    session: Session,
    petition: Petition,
    *,
    actor: Who,
    answer: str,
    now: datetime,
    calendar: WorkCalendar | None = None,
) -> Petition:
    """→ answered_by_front: the Front answers itself; reporters (and duplicates') are told."""
    who = begin(session, actor, "answer_directly", petition)
    answer = required(answer, "nội dung trả lời")
    petition.decided_at = now
    petition.result_sent_at = now
    event = record(
        session,
        petition,
        who,
        "answer_directly",
        now=now,
        to_state=S.ANSWERED_BY_FRONT,
        note=answer,
    )
    settle_clocks(session, petition, calendar_of(session, calendar))
    notify_citizen(
        session,
        petition,
        "notify.answered_by_front",
        event,
        include_duplicates=True,
        with_feedback=True,
        answer=answer,
    )
    return petition


def triage(
    session: Session,
    petition: Petition,
    *,
    actor: Who,
    category_id: int | None,
    ward_id: int | None,
    legal_type: str | None,
    urgent: bool,
    now: datetime,
    calendar: WorkCalendar | None = None,
) -> Petition:
    """received/reopened → triaged: field, ward, legal type and urgency confirmed or corrected."""
    who = begin(session, actor, "triage", petition)
    if category_id is None or legal_type is None:
        raise InvalidInput("Cần chọn lĩnh vực và loại đơn.")
    _set_classification(session, petition, who, category_id, ward_id, legal_type, urgent)
    petition.triaged_at = now
    petition.needs_manual_classification = False
    record(
        session,
        petition,
        who,
        "triage",
        now=now,
        to_state=S.TRIAGED,
        note=_describe(session, petition),
    )
    settle_clocks(session, petition, calendar_of(session, calendar))
    return petition


def classify(
    session: Session,
    petition: Petition,
    *,
    actor: Who,
    field: str,
    value: str,
    now: datetime,
    calendar: WorkCalendar | None = None,
) -> Petition:
    """Confirm or correct one field (category, ward, legal_type, urgent) in any open state."""
    who = begin(session, actor, "classify", petition)
    if field not in ("category", "ward", "legal_type", "urgent"):
        raise InvalidInput("Trường phân loại không hợp lệ.")
    parsed = _parse(field, value)
    category_id = parsed if field == "category" else petition.category_id
    ward_id = parsed if field == "ward" else petition.ward_id
    legal_type = parsed if field == "legal_type" else petition.legal_type
    urgent = parsed if field == "urgent" else petition.urgent
    _set_classification(
        session,
        petition,
        who,
        category_id if isinstance(category_id, int) else None,
        ward_id if isinstance(ward_id, int) else None,
        legal_type if isinstance(legal_type, str) else None,
        bool(urgent),
        only={field},
    )
    record(session, petition, who, "classify", now=now, note=_describe(session, petition))
    settle_clocks(session, petition, calendar_of(session, calendar))
    return petition


def close(
    session: Session,
    petition: Petition,
    *,
    actor: Who,
    reason: str,
    now: datetime,
    note: str = "",
) -> Petition:
    """Any open state → closed, with a required reason; every reporter is told."""
    who = begin(session, actor, "close", petition)
    if reason not in set(CloseReason):
        raise InvalidInput("Cần chọn lý do đóng hồ sơ.")
    if reason == CloseReason.DUPLICATE:
        raise InvalidInput("Hồ sơ trùng được đóng bằng thao tác gộp.")
    if petition.decided_at is None:
        petition.decided_at = now
    close_now(session, petition, reason, now)
    event = record(
        session,
        petition,
        who,
        "close",
        now=now,
        to_state=S.CLOSED,
        note=close_note(reason, note.strip()),
    )
    notify_citizen(
        session,
        petition,
        "notify.closed",
        event,
        include_duplicates=True,
        reason=CLOSE_REASON_LABELS[reason],
    )
    return petition


def reopen(
    session: Session,
    petition: Petition,
    *,
    actor: Who,
    note: str,
    now: datetime,
    calendar: WorkCalendar | None = None,
) -> Petition:
    """result_sent/answered/closed → reopened (a new fact, or the citizen disagrees)."""
    who = begin(session, actor, "reopen", petition)
    note = required(note, "lý do mở lại")
    cal = calendar_of(session, calendar)
    petition.duplicate_of_id = None
    start_reopened(petition, cal, now)
    event = record(session, petition, who, "reopen", now=now, to_state=S.REOPENED, note=note)
    settle_clocks(session, petition, cal)
    notify_citizen(session, petition, "notify.reopened", event)
    return petition


def merge(
    session: Session, duplicate: Petition, *, actor: Who, master: Petition, now: datetime
) -> Petition:
    """Close a duplicate into its master; the master's outcome will reach its reporter too."""
    who = begin(session, actor, "merge", duplicate)
    while master.duplicate_of_id is not None:
        master = session.get(Petition, master.duplicate_of_id) or master
        if master.duplicate_of_id == master.id:
            break
    if not rules.in_scope(session, who, master):
        raise OutOfScope("Không tìm thấy hồ sơ chính.")
    if master.id == duplicate.id or master.state == S.DRAFT:
        raise InvalidState("Không thể gộp vào hồ sơ này.")
    for child in duplicates_of(session, duplicate):
        child.duplicate_of_id = master.id
    duplicate.duplicate_of_id = master.id
    close_now(session, duplicate, CloseReason.DUPLICATE, now)
    event = record(
        session, duplicate, who, "merge", now=now, to_state=S.CLOSED, note=f"Gộp vào {master.code}"
    )
    record(session, master, who, "merged_into", now=now, note=f"Nhận hồ sơ trùng {duplicate.code}")
    notify_citizen(
        session,
        duplicate,
        "notify.closed",
        event,
        reason=f"trùng với hồ sơ {master.code}; kết quả giải quyết sẽ được thông báo cho Ông/Bà",
    )
    return master


def redact(
    session: Session,
    petition: Petition,
    *,
    actor: Who,
    text: str,
    summary: str | None = None,
    now: datetime,
) -> Petition:
    """Replace the petition's text with a version without personal data (before forwarding)."""
    who = begin(session, actor, "redact", petition)
    petition.text = required(text, "nội dung đã che")
    # The summary shows in the inbox and on slips: mask it too unless staff wrote one.
    petition.summary = (summary.strip() if summary is not None else mask(petition.summary))[:300]
    refresh_search_text(petition)
    record(
        session, petition, who, "redact", now=now, note="Đã che thông tin cá nhân trong nội dung"
    )
    return petition


def add_note(
    session: Session, petition: Petition, *, actor: Who, body: str, now: datetime
) -> PetitionNote:
    """An internal note, never shown to the citizen."""
    who = begin(session, actor, "note", petition)
    note = PetitionNote(
        petition_id=petition.id, author_id=who.id, body=required(body, "ghi chú"), created_at=now
    )
    session.add(note)
    record(session, petition, who, "note", now=now)
    return note


# ---------------------------------------------------------------- classification


def _parse(field: str, value: str) -> object:
    if field == "urgent":
        return value in ("1", "true", "on", "yes")
    if field in ("category", "ward"):
        try:
            return int(value)
        except ValueError:
            raise InvalidInput("Giá trị không hợp lệ.") from None
    if value not in set(LegalType):
        raise InvalidInput("Loại đơn không hợp lệ.")
    return value


def _set_classification(
    session: Session,
    petition: Petition,
    who: Actor,
    category_id: int | None,
    ward_id: int | None,
    legal_type: str | None,
    urgent: bool,
    only: set[str] | None = None,
) -> None:
    """Apply the values and store each confirmed/corrected field as a training label."""
    category = session.get(Category, category_id) if category_id is not None else None
    ward = session.get(Ward, ward_id) if ward_id is not None else None
    if category_id is not None and category is None or ward_id is not None and ward is None:
        raise InvalidInput("Lĩnh vực hoặc phường không tồn tại.")
    if legal_type is not None and legal_type not in set(LegalType):
        raise InvalidInput("Loại đơn không hợp lệ.")
    suggested = petition.suggestions or {}
    fields = {
        "category": (category.code if category else None, suggested.get("category")),
        "ward": (
            ward.code if ward else None,
            (suggested.get("ward") or {}).get("code")
            if isinstance(suggested.get("ward"), dict)
            else suggested.get("ward"),
        ),
        "legal_type": (legal_type, suggested.get("legal_type")),
        "urgent": ("1" if urgent else "0", _flag(suggested.get("urgent"))),
    }
    petition.category_id, petition.ward_id = category_id, ward_id
    petition.category = category  # is_protected reads it before the next flush
    petition.legal_type, petition.urgent = legal_type, urgent
    refresh_search_text(petition)  # a tố cáo's agency key hides its author
    for name, (value, predicted) in fields.items():
        if value is None or only is not None and name not in only:
            continue
        _label(session, petition, name, value, predicted, who)


def _flag(value: object) -> str | None:
    return None if value is None else ("1" if value else "0")


def _label(
    session: Session, petition: Petition, field: str, value: str, predicted: object, who: Actor
) -> None:
    label = session.scalar(
        select(ClassificationLabel).where(
            ClassificationLabel.petition_id == petition.id, ClassificationLabel.field == field
        )
    )
    if label is None:
        label = ClassificationLabel(petition_id=petition.id, field=field)
        session.add(label)
    label.value = value
    label.predicted = None if predicted is None else str(predicted)[:40]
    label.staff_id = who.id


def _describe(session: Session, petition: Petition) -> str:
    category = session.get(Category, petition.category_id) if petition.category_id else None
    ward = session.get(Ward, petition.ward_id) if petition.ward_id else None
    parts = [
        f"Lĩnh vực: {category.name if category else '—'}",
        f"Phường: {ward.name if ward else '—'}",
        f"Loại: {LEGAL_TYPE_LABELS.get(petition.legal_type or '', '—')}",
        "Khẩn cấp" if petition.urgent else "Không khẩn",
    ]
    return "; ".join(parts)


__all__ = [
    "add_note",
    "answer_directly",
    "assign",
    "classify",
    "close",
    "merge",
    "reopen",
    "redact",
    "request_info",
    "triage",
    "as_actor",
]
