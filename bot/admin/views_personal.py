"""ID-card and bank numbers on the petition page: starred, shown in full on request, audited.

The request is a POST (CSRF-checked) that writes a `reveal_ids` event to the petition's
audit trail in the same transaction and opens a short window in the staff member's
session; the page then shows the numbers in full for that petition only.
"""

from __future__ import annotations

from datetime import timedelta

from flask import abort, redirect, session, url_for
from flask.typing import ResponseReturnValue

from bot.admin.blueprint import actor, bp, utcnow
from bot.admin.views_petition import load_petition
from bot.database import db_session
from nlp.pii import ID_KINDS, find, mask_ids
from storage.models import PetitionEvent
from storage.models.enums import ActorType

WINDOW = timedelta(minutes=10)
_KEY = "reveal_ids"


def holds_ids(text: str | None) -> bool:
    """Whether the text has an ID-card or bank number to star."""
    return any(span.kind in ID_KINDS for span in find(text or ""))


def revealed(pid: int) -> bool:
    """Whether this user asked, within the window, to see this petition's numbers."""
    stamp = (session.get(_KEY) or {}).get(str(pid))
    return stamp is not None and utcnow().timestamp() - float(stamp) < WINDOW.total_seconds()


def shown(text: str | None, pid: int) -> str:
    """The text as the page shows it: numbers starred unless revealed."""
    return (text or "") if revealed(pid) else mask_ids(text or "")


@bp.post("/petitions/<int:pid>/reveal-ids")
def reveal_ids(pid: int) -> ResponseReturnValue:
    """Show the full numbers for a few minutes; the view is recorded in the audit trail."""
    petition = load_petition(pid)
    who = actor()
    if who.is_liaison:
        abort(404)
    s = db_session()
    now = utcnow()
    s.add(
        PetitionEvent(
            petition_id=petition.id,
            actor_type=ActorType.STAFF,
            actor_id=who.id,
            action=_KEY,
            from_state=petition.state,
            to_state=petition.state,
            note="Xem đầy đủ số CCCD/tài khoản",
            created_at=now,
        )
    )
    s.commit()
    windows = {k: v for k, v in (session.get(_KEY) or {}).items() if k != str(pid)}
    session[_KEY] = {**windows, str(pid): now.timestamp()}
    return redirect(url_for("admin.petition", pid=pid))
