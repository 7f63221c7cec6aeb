"""Urgent reports and other things staff must see: items of "Việc cần làm"."""

from __future__ import annotations

import logging

from sqlalchemy import select

from handlers.conversation.replies import say
from handlers.conversation.state import Turn
from handlers.messages import render
from handlers.tasks import raise_item
from handlers.workflow.labels import urgency_reasons
from storage.models import Petition, StaffNotification, Ward

logger = logging.getLogger(__name__)


def raise_urgent(turn: Turn, draft: Petition | None, reasons: tuple[str, ...]) -> None:
    """Emergency numbers to the citizen, then an alert for staff — once per draft."""
    marker = draft.id if draft is not None else "pre"
    if turn.get("urgent_alerted") in (marker, "pre"):
        if draft is not None:
            draft.urgent = True
            _link(turn, draft)
        return
    say(turn, "bot.urgent", petition=draft)
    ward = None
    if draft is not None:
        draft.urgent = True
        ward = turn.session.get(Ward, draft.ward_id) if draft.ward_id else None
    ward = ward or (turn.session.get(Ward, turn.citizen.ward_id) if turn.citizen.ward_id else None)
    where = ward.full_name if ward is not None else render(turn.session, "staff.unknown_ward")
    note = raise_item(
        turn.session,
        kind="urgent",
        ward_id=ward.id if ward is not None else None,
        petition_id=draft.id if draft is not None else None,
        title=render(turn.session, "staff.urgent_title"),
        body=render(
            turn.session,
            "staff.urgent_body",
            reasons=urgency_reasons(reasons) or "khẩn cấp",
            where=where,
            citizen_id=turn.citizen.id,
        ),
        now=turn.now,
    )
    turn.session.flush()
    turn.put(urgent_alerted=marker, urgent_note=note.id)
    logger.info("urgent report from citizen %s: staff alerted", turn.citizen.id)


def _link(turn: Turn, draft: Petition) -> None:
    """An alert raised before the draft existed now points at it."""
    note_id = turn.get("urgent_note")
    note = turn.session.get(StaffNotification, note_id) if note_id else None
    if note is not None and note.petition_id is None:
        note.petition_id = draft.id
        turn.put(urgent_alerted=draft.id)


def attach_urgent(turn: Turn, petition: Petition) -> None:
    """After submit: the alert names the petition and its ward."""
    if not petition.urgent:
        return
    notes = turn.session.scalars(
        select(StaffNotification).where(
            StaffNotification.petition_id == petition.id, StaffNotification.kind == "urgent"
        )
    )
    for note in notes:
        note.ward_id = note.ward_id or petition.ward_id


def notify_staff(
    turn: Turn,
    kind: str,
    title: str,
    body: str = "",
    *,
    petition: Petition | None = None,
    key: str | None = None,
) -> StaffNotification:
    """An item for the petition's officer, else the officers of its (or the citizen's) ward."""
    ward_id = petition.ward_id if petition is not None else turn.citizen.ward_id
    return raise_item(
        turn.session,
        kind=kind,
        ward_id=ward_id,
        petition_id=petition.id if petition is not None else None,
        staff_id=petition.assignee_id if petition is not None else None,
        title=title,
        body=body,
        now=turn.now,
        key=key,
    )
