"""Queue the citizen's Zalo notification in the outbox, in the transaction of the change.

A master petition's outcome also reaches the reporters of every duplicate merged into it,
each with their own code. Each message carries its notice (the template it falls back to
beyond Zalo's 7-day window). Petitions entered on a citizen's behalf (no Zalo citizen) get
no Zalo message; their result goes by email or becomes an item for the officer to call or
write (handlers.outbox.delivery).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from handlers import messages
from handlers.outbox import Button, delivery, notices, queue_zalo
from handlers.workflow.calendar import local_date
from handlers.workflow.queries import duplicates_of, latest_forward
from storage.models import Petition, PetitionEvent

logger = logging.getLogger(__name__)

#: Button payloads come back as the citizen's text (oa.query.hide); the bot parses them.
FEEDBACK_YES = "#KQ {code} DA_GIAI_QUYET"
FEEDBACK_NO = "#KQ {code} CHUA_GIAI_QUYET"
RATING = "#DG {code} {stars}"


def feedback_buttons(session: Session, code: str) -> list[Button]:
    """'Đã giải quyết' / 'Chưa giải quyết' under a result."""
    return [
        _button(messages.render(session, "button.resolved"), FEEDBACK_YES.format(code=code)),
        _button(messages.render(session, "button.not_resolved"), FEEDBACK_NO.format(code=code)),
    ]


def rating_buttons(code: str) -> list[Button]:
    """A 1–5 rating (Zalo allows five buttons, titles up to 20 characters)."""
    return [_button("★" * n, RATING.format(code=code, stars=n)) for n in range(5, 0, -1)]


def parse_feedback(text: str) -> tuple[str, str, int | None] | None:
    """('feedback', code, 1|0) or ('rating', code, stars) from a button's payload, else None."""
    parts = text.strip().split()
    if len(parts) == 3 and parts[0] == "#KQ" and parts[2] in ("DA_GIAI_QUYET", "CHUA_GIAI_QUYET"):
        return "feedback", parts[1], int(parts[2] == "DA_GIAI_QUYET")
    if len(parts) == 3 and parts[0] == "#DG" and parts[2].isdigit() and 1 <= int(parts[2]) <= 5:
        return "rating", parts[1], int(parts[2])
    return None


def _button(title: str, payload: str) -> Button:
    return Button(title=title[:20], payload=payload)


def notify_citizen(
    session: Session,
    petition: Petition,
    key: str,
    event: PetitionEvent,
    *,
    include_duplicates: bool = False,
    with_feedback: bool = False,
    **params: Any,
) -> int:
    """Queue `key` for the petition's reporter (and its duplicates'); return how many queued."""
    targets: Sequence[Petition] = [petition]
    if include_duplicates:
        targets = [petition, *duplicates_of(session, petition)]
    queued = 0
    for target in targets:
        if not target.code:
            continue
        if target.citizen is None or not target.citizen.zalo_user_id:
            if key in RESULT_KEYS:
                result = str(params.get("result") or params.get("answer") or "")
                delivery.require_delivery(session, target, result, event.created_at)
            continue
        notice = _notice(session, target, key, event, params)
        text = messages.render(session, key, **{**params, "code": target.code})
        buttons = feedback_buttons(session, target.code) if with_feedback else []
        _queue(session, target, text, buttons, f"wf:{target.id}:{event.id}:{key}", notice)
        if with_feedback:
            _queue(
                session,
                target,
                messages.render(session, "notify.rating", code=target.code),
                rating_buttons(target.code),
                f"wf:{target.id}:{event.id}:rating",
                _notice(session, target, "notify.rating", event, params),
            )
        queued += 1
    return queued


#: Keys that carry a result: a citizen outside Zalo must still be told.
RESULT_KEYS = frozenset({"notify.result", "notify.answered_by_front"})


def _notice(
    session: Session, petition: Petition, key: str, event: PetitionEvent, params: dict[str, Any]
) -> dict[str, Any] | None:
    fwd = latest_forward(session, petition) if key == "notify.result" else None
    agency = fwd.agency.name if fwd is not None else None
    on = local_date(event.created_at)
    return notices.notice_for(key, petition.code or "", on, params, agency=agency)


def _queue(
    session: Session,
    petition: Petition,
    text: str,
    buttons: list[Button],
    key: str,
    notice: dict[str, Any] | None,
) -> None:
    assert petition.citizen is not None  # noqa: S101 - checked by the caller
    queue_zalo(
        session,
        citizen=petition.citizen,
        text=text,
        buttons=tuple(buttons),
        petition=petition,
        dedup_key=key,
        notice=notice,
    )
    logger.info("queued notification for petition %s", petition.id)
