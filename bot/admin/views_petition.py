"""The petition page: thread, suggestions, timeline, notes, forwards and the allowed actions."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from bot.admin import auditing
from bot.admin.agency_page import agency_context, staff_agency_context
from bot.admin.blueprint import actor, bp, utcnow
from bot.admin.keep import kept, kept_scope
from bot.admin.lookups import Lookups, deadline_badge
from bot.admin.replies import reply_templates
from bot.database import db_session
from handlers import chase
from handlers import workflow as wf
from handlers.agencies import redaction
from handlers.agencies.disclosure import agency_summary, agency_text, for_agency, is_protected
from handlers.agencies.mail import address_counts
from handlers.outbox import delivery, reach
from handlers.workflow import Actor, labels, rules
from handlers.workflow.forwarding import FORWARD_CHANNELS
from handlers.workflow.suggest import duplicate_candidates, second_suggestion, top_suggestions
from nlp.pii import mask
from storage.models import (
    Attachment,
    Category,
    OutboxMessage,
    Petition,
    PetitionEvent,
    PetitionMessage,
    PetitionNote,
)
from storage.models.enums import ActorType, CloseReason, PetitionState

#: What staff read for a file's kind.
ATTACHMENT_KINDS = {
    "image": "ảnh",
    "audio": "ghi âm",
    "video": "video",
    "file": "tệp",
    "letter": "đơn giấy",
    "answer": "trả lời của cơ quan",
    "redacted": "ảnh đã che",
    "gif": "ảnh động",
    "sticker": "nhãn dán",
    "link": "liên kết",
}


def load_petition(pid: int) -> Petition:
    """The petition if this user may see it; any other id is simply not found."""
    petition = db_session().get(Petition, pid)
    if petition is None or petition.state == PetitionState.DRAFT:
        abort(404)
    if not wf.in_scope(db_session(), actor(), petition):
        abort(404)
    return petition


@bp.get("/petitions/<int:pid>")
def petition(pid: int) -> ResponseReturnValue:
    """One petition, everything staff need on one page (a liaison sees the forwarded part)."""
    s = db_session()
    p = load_petition(pid)
    who = actor()
    now = utcnow()
    names = Lookups.load(s)
    from bot.admin.views_personal import holds_ids, revealed, shown

    forwards = wf.forwards_of(s, p)
    if who.is_liaison:
        forwards = [f for f in forwards if f.agency_id == who.agency_id]
    running = wf.active_forward(s, p)
    context: dict[str, Any] = {
        "p": p,
        "names": names,
        "now": now,
        "is_liaison": who.is_liaison,
        "protected": is_protected(p),
        "actions": set(wf.allowed_actions(s, who, p)),
        "state_label": labels.STAFF_STATE_LABELS.get(p.state, p.state),
        "citizen_label": wf.citizen_state_label(p, _agency_name(forwards)),
        "legal_types": labels.LEGAL_TYPE_LABELS,
        "urgency_reasons": labels.urgency_reasons,
        "attachment_kinds": ATTACHMENT_KINDS,
        "action_labels": labels.ACTION_LABELS,
        "channels": labels.CHANNEL_LABELS,
        "forward_channels": FORWARD_CHANNELS,
        "close_reasons": {
            k: v for k, v in labels.CLOSE_REASON_LABELS.items() if k != CloseReason.DUPLICATE
        },
        "due": deadline_badge(p.state, p.next_due_at, now, wf.WorkCalendar.load(s)),
        "overdue": wf.is_overdue(p, now),
        "forwards": forwards,
        "latest_forward_id": getattr(wf.latest_forward(s, p), "id", 0),
        "attachments": (files := _attachments(s, p, who)),
        "files_by_id": {a.id: a for a in files},
        "file_names": {a.id: file_name(p, a, who) for a in files},
        "today": wf.local_date(now),
        "received_on": wf.local_date(p.received_at or now),  # the earliest date of a slip
        "entered_at": wf.entered_at(s, p),  # later than received_at for a back-dated letter
        "states": labels.STAFF_STATE_LABELS,
        # A liaison reads everything through the disclosure filter (personal data masked,
        # a tố cáo's author never named), even where staff forgot to redact; staff see ID
        # numbers in full only after asking (audited).
        "display_text": agency_text(p) if who.is_liaison else shown(p.text, p.id),
        "display_summary": agency_summary(p) if who.is_liaison else shown(p.summary, p.id),
        "display_place": for_agency(p, p.place) if who.is_liaison else shown(p.place, p.id),
        "model_category": model_category(p, names),
        "ids_hidden": not who.is_liaison and not revealed(p.id) and holds_ids(p.text),
        "ids_revealed": revealed(p.id),
        **agency_context(s, p, who, running),
    }
    context["display_title"] = title_of(context["display_summary"], context["display_text"])
    if not who.is_liaison:
        context.update(_staff_context(s, p, names))
        auditing.viewed_petition(p)
        context["letters"] = chase.letters_for(s, who, tab="all", petition_id=p.id)
        context["letter_kinds"] = chase.KIND_LABELS
    context["kept"] = kept(kept_scope())
    context["kept_action"] = kept_scope()
    return render_template("admin/petition.html", **context)


def _agency_name(forwards: list[Any]) -> str | None:
    return forwards[-1].agency.name if forwards else None


def _staff_context(s: Session, p: Petition, names: Lookups) -> dict[str, Any]:
    """What only Front staff see: the thread, suggestions, timeline, notes and form defaults."""
    today = wf.local_date(utcnow())
    due, basis = wf.default_due(s, p, today)
    return {
        "reach": reach.latest(s, [p.id]).get(p.id),
        "reach_labels": reach.VIA_LABELS,
        "reach_reason": reach.reason_text,
        "delivery_vias": delivery.MANUAL_VIAS,
        "may_record_delivery": rules.may(actor(), "record_delivery")
        and p.state in rules.RULES["record_delivery"].from_states
        and p.result_sent_at is not None,
        "thread": (thread := _thread(s, p)),
        "outbox": _not_in_thread(s, p, thread),
        "events": list(
            s.scalars(
                select(PetitionEvent)
                .where(PetitionEvent.petition_id == p.id)
                .order_by(PetitionEvent.id)
            )
        ),
        "notes": list(
            s.scalars(
                select(PetitionNote)
                .where(PetitionNote.petition_id == p.id)
                .order_by(PetitionNote.id)
            )
        ),
        "top3": [(_category_by_code(names, code), prob) for code, prob in top_suggestions(p)],
        "suggested": p.suggestions or {},
        "second": _second(names, p),
        "duplicates": _duplicates(s, p),
        "duplicates_merged": wf.duplicates_of(s, p),
        "master": s.get(Petition, p.duplicate_of_id) if p.duplicate_of_id else None,
        "officers": names.officers_for(p.ward_id),
        "wards_all": list(names.wards.values()),
        "categories": [c for c in names.categories.values() if c.active],
        "agencies": [a for a in names.agencies.values() if a.active],
        "agency_mail": address_counts(s, list(names.agencies.values())),
        **staff_agency_context(s, p),
        "default_due": due,
        "due_basis": basis,
        "masked_text": mask(p.text or ""),
        "agency_review": redaction.proposal(p) if is_protected(p) else None,
        "masked_summary": mask(p.summary or ""),
        "reply_templates": reply_templates(s, p, names),
        "actor_label": _actor_label(names),
    }


def _not_in_thread(s: Session, p: Petition, thread: list[PetitionMessage]) -> list[OutboxMessage]:
    """Notices not yet in the thread (waiting, held, failed): each message is shown once."""
    delivered = {m.data.get("outbox_id") for m in thread if isinstance(m.data, dict)}
    rows = s.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.petition_id == p.id, OutboxMessage.channel == "zalo")
        .order_by(OutboxMessage.id)
    )
    return [o for o in rows if o.id not in delivered]


def _thread(s: Session, p: Petition) -> list[PetitionMessage]:
    return list(
        s.scalars(
            select(PetitionMessage)
            .where(PetitionMessage.petition_id == p.id)
            .options(selectinload(PetitionMessage.attachments))
            .order_by(PetitionMessage.created_at, PetitionMessage.id)
        )
    )


def _attachments(s: Session, p: Petition, who: Actor) -> list[Attachment]:
    """Files of the petition; a liaison gets redacted copies instead of their originals, and
    only their own agency's answer files."""
    rows = list(
        s.scalars(
            select(Attachment)
            .outerjoin(PetitionMessage, Attachment.message_id == PetitionMessage.id)
            .where(or_(Attachment.petition_id == p.id, PetitionMessage.petition_id == p.id))
            .order_by(Attachment.id)
        )
    )
    if not who.is_liaison:
        return rows
    superseded = {a.redacted_from_id for a in rows if a.redacted_from_id}
    protected = is_protected(p)
    own = {i for f in wf.forwards_of(s, p) if f.agency_id == who.agency_id for i in f.answer_files}

    def visible(a: Attachment) -> bool:
        if a.kind == "answer":
            return a.id in own
        if a.redacted_from_id:
            return True
        if protected or a.kind == "letter":
            return False
        return a.id not in superseded

    return [a for a in rows if visible(a)]


def file_name(p: Petition, a: Attachment, who: Actor) -> str:
    """A file's name as this reader may see it (a liaison's through the disclosure filter)."""
    name = a.original_name or ""
    return for_agency(p, name) if who.is_liaison else name


def _duplicates(s: Session, p: Petition) -> list[tuple[Petition, float]]:
    if p.state == PetitionState.CLOSED:
        return []
    return [(d, score) for d, score in duplicate_candidates(s, p) if wf.in_scope(s, actor(), d)]


def _second(names: Lookups, p: Petition) -> tuple[Category, float] | None:
    pair = second_suggestion(p)
    category = _category_by_code(names, pair[0]) if pair else None
    return (category, pair[1]) if category and pair else None


def title_of(summary: str | None, text: str | None) -> str:
    """The heading above the text: the summary when it says something the text's opening does
    not; otherwise a plain label, so a short petition is not printed twice."""
    head = " ".join((summary or "").split()).rstrip(" .…")
    body = " ".join((text or "").split())
    if head and not body.startswith(head):
        return summary or ""
    return "Nội dung phản ánh, kiến nghị"


def model_category(p: Petition, names: Lookups) -> tuple[Category | None, float | None]:
    """The model's field and its confidence. The confidence is the model's, so it sits beside
    the current field only while that is still the model's choice (an officer may change it)."""
    code = str((p.suggestions or {}).get("category") or "")
    return (_category_by_code(names, code) if code else None), p.category_confidence


def _category_by_code(names: Lookups, code: str) -> Category | None:
    return next((c for c in names.categories.values() if c.code == code), None)


def _actor_label(names: Lookups) -> Any:
    def label(event: PetitionEvent) -> str:
        if event.actor_type == ActorType.CITIZEN:
            return "Người gửi"
        if event.actor_type == ActorType.SYSTEM:
            return "Hệ thống"
        user = names.staff.get(event.actor_id or 0)
        return (user.display_name or user.username) if user else "Cán bộ"

    return label
