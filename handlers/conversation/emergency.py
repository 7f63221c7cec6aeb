"""An emergency: guidance and numbers at once, an alert for the officers on duty, no delay.

The numbers come from the office setting «emergency.hotlines» (by default the national 114
fire and rescue, 113 police, 115 ambulance), and the power company's hotline for live wires
(1900 1909, EVN's central-region customer centre) from the message catalogue, so staff can
correct either without a release. Before consent, the vital-interest exception of the personal
data law (Law 91/2025/QH15) applies: the emergency's text and place are kept for staff, and
the citizen is told so.
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.conversation.replies import say, short
from handlers.conversation.state import Turn
from handlers.conversation.understand import resolve_ward
from handlers.messages import render
from handlers.office_settings import effective
from handlers.tasks import raise_item
from handlers.workflow.actors import SYSTEM
from handlers.workflow.core import record
from storage.models import Petition, PetitionMessage, StaffNotification, Ward

logger = logging.getLogger(__name__)

#: The detector's hazards, as staff read them in an alert.
REASON_LABELS: dict[str, str] = {
    "fire": "cháy",
    "electric": "điện (dây điện đứt, điện giật)",
    "trapped": "người bị mắc kẹt, cô lập",
    "flood": "nước ngập, lũ nguy hiểm",
    "landslide": "sạt lở đất",
    "gas": "rò rỉ khí gas, khí độc",
    "violence": "bạo lực, đe dọa đang diễn ra",
    "lost_child": "trẻ đi lạc, mất tích",
    "drowning": "đuối nước",
    "collapse": "nhà, tường, cây sắp đổ hoặc đã sập",
    "fuel": "tràn xăng dầu",
    "animal": "động vật nguy hiểm (chó dại, rắn độc)",
    "medical": "người cần cấp cứu",
    "injury": "người bị thương",
    "explosion": "cháy nổ",
    "self_harm": "người có ý định tự tử",
    "danger": "nguy hiểm đang xảy ra",
}
_EXTRA_ADVICE = {
    "electric": "bot.urgent_electric",
    "flood": "bot.urgent_flood",
    "gas": "bot.urgent_gas",
}


def labels(reasons: tuple[str, ...]) -> str:
    """The hazards in Vietnamese ("cháy, người bị mắc kẹt")."""
    return ", ".join(REASON_LABELS.get(r, r) for r in reasons) or "sự việc khẩn cấp"


def hotlines(session: Session) -> str:
    """The emergency numbers staff set, as one phrase: "114 (Cứu hỏa…), 113 (Công an)"."""
    lines = effective(session, "emergency.hotlines")
    return ", ".join(f"{number} ({label})" for number, label in lines)


def raise_urgent(
    turn: Turn,
    draft: Petition | None,
    reasons: tuple[str, ...],
    *,
    text: str = "",
    message: PetitionMessage | None = None,
) -> None:
    """Guidance to the citizen and an alert for staff, once per emergency."""
    marker = str(draft.id) if draft is not None else "pre"
    if draft is not None:
        draft.urgent = True
    if turn.state.urgent_alerted in (marker, "pre"):
        if draft is not None:
            _link(turn, draft)
        return
    turn.state.urgent_advice = [_EXTRA_ADVICE[r] for r in reasons if r in _EXTRA_ADVICE]
    say(turn, "bot.urgent", hotlines=hotlines(turn.session), extra=_advice(turn), petition=draft)
    consented = turn.citizen.has_consent
    if not consented:
        _keep_for_staff(message)
        say(turn, "bot.urgent_vital")
    note = _alert(turn, draft, reasons, text or (draft.text if draft else ""), consented)
    turn.state.urgent_alerted, turn.state.urgent_note = marker, note.id
    logger.info("urgent report from citizen %s: staff alerted", turn.citizen.id)


def _advice(turn: Turn) -> str:
    """The alerted hazards' own advice (the power company's number for a live wire, …)."""
    return "".join(render(turn.session, key) for key in turn.state.urgent_advice)


def acknowledge_detail(turn: Turn) -> None:
    """Tell the citizen a detail reached the alert, with the numbers and advice again."""
    say(turn, "bot.urgent_detail_added", hotlines=hotlines(turn.session), extra=_advice(turn))


def add_detail(turn: Turn, message: PetitionMessage | None, words: str) -> bool:
    """Before consent, a message after the emergency (the address, who is hurt) is part of it:
    kept for its vital interest and added to the alert. False when no alert awaits it."""
    note = _pre_consent_alert(turn)
    if note is None or message is None or not words:
        return False
    _keep_for_staff(message)
    more = render(turn.session, "staff.urgent_more", text=short(words, 600))
    note.body = f"{note.body}{more}"
    return True


def consent_given(turn: Turn) -> None:
    """The alert raised before consent stops saying there is none (staff read it later)."""
    note = _pre_consent_alert(turn)
    if note is not None:
        note.body = note.body.replace(render(turn.session, "staff.urgent_no_consent"), "")


def _pre_consent_alert(turn: Turn) -> StaffNotification | None:
    note_id = turn.state.urgent_note if turn.state.urgent_alerted == "pre" else None
    return turn.session.get(StaffNotification, note_id) if note_id else None


def _keep_for_staff(message: PetitionMessage | None) -> None:
    """The vital-interest exception: this message is not deleted with unconsented ones."""
    if message is not None:
        message.data = {**(message.data or {}), "vital_interest": True}


def ward_guess(turn: Turn, text: str) -> tuple[Ward, str] | None:
    """The ward an emergency without a named ward most likely is in, and why.

    One rule for the alert and for the petition, so the officers the alert reaches can open
    the petition: a place the text names (even weakly, "chợ Tam Kỳ"), else the ward of the
    resident's last petition. Staff confirm or correct it on the petition.
    """
    if text and (answer := resolve_ward(turn.session, text, weak_ok=True)):
        return answer.ward, render(turn.session, "staff.ward_guess_text", matched=answer.matched)
    if turn.citizen.ward_id and (ward := turn.session.get(Ward, turn.citizen.ward_id)):
        return ward, render(turn.session, "staff.ward_guess_last")
    return None


def note_ward_guess(turn: Turn, petition: Petition, why: str) -> None:
    """On the petition's timeline: the ward was guessed, staff confirm it."""
    ward = turn.session.get(Ward, petition.ward_id) if petition.ward_id else None
    if ward is None or petition.code is None:
        return
    note = render(turn.session, "staff.ward_guess_note", ward=ward.full_name, why=why)
    record(turn.session, petition, SYSTEM, "ward_guess", now=turn.now, note=note)


def _where(turn: Turn, draft: Petition | None, text: str) -> tuple[Ward | None, str]:
    ward = turn.session.get(Ward, draft.ward_id) if draft and draft.ward_id else None
    parts = [ward.full_name] if ward else [render(turn.session, "staff.unknown_ward")]
    if ward is None and (guess := ward_guess(turn, text or (draft.text if draft else ""))):
        ward, why = guess
        parts = [f"{ward.full_name} ({why})"]
    if draft is not None and draft.place:
        parts.append(draft.place)
    if draft is not None and draft.latitude is not None:
        parts.append(f"tọa độ {draft.latitude:.5f}, {draft.longitude or 0:.5f}")
    return ward, "; ".join(parts)


def _alert(
    turn: Turn, draft: Petition | None, reasons: tuple[str, ...], text: str, consented: bool
) -> StaffNotification:
    ward, where = _where(turn, draft, text)
    note = raise_item(
        turn.session,
        kind="urgent",
        ward_id=ward.id if ward is not None else None,
        petition_id=draft.id if draft is not None else None,
        title=render(turn.session, "staff.urgent_title", reasons=labels(reasons)),
        body=render(
            turn.session,
            "staff.urgent_body",
            reasons=labels(reasons),
            where=where,
            text=short(text, 600),
            consent="" if consented else render(turn.session, "staff.urgent_no_consent"),
            citizen_id=turn.citizen.id,
        ),
        now=turn.now,
    )
    turn.session.flush()
    return note


def _link(turn: Turn, draft: Petition) -> None:
    """An alert raised before the draft existed now points at it (and its ward)."""
    note_id = turn.state.urgent_note
    note = turn.session.get(StaffNotification, note_id) if note_id else None
    if note is not None and note.petition_id is None:
        note.petition_id = draft.id
        note.ward_id = note.ward_id or draft.ward_id
        turn.state.urgent_alerted = str(draft.id)


def attach_urgent(turn: Turn, petition: Petition) -> None:
    """After submit: the alert names the petition and its ward."""
    if not petition.urgent:
        return
    notes = turn.session.scalars(
        select(StaffNotification).where(
            StaffNotification.petition_id == petition.id, StaffNotification.kind == "urgent"
        )
    )
    for note in notes:  # the petition's ward decides: whoever gets the alert can open it
        note.ward_id = petition.ward_id if petition.ward_id is not None else note.ward_id
