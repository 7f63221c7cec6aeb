"""Messages that did not leave and webhook events that could not be handled.

Nothing here is lost on its own: dead letters and parked events wait until a person looks.
This screen is where they look, see why, and send or process again once the cause is fixed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime

from flask import abort, flash, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from bot.admin import auditing
from bot.admin.blueprint import MANAGERS, back, bp, require_role, utcnow, vn_datetime
from bot.database import db_session
from bot.zalo import processing
from handlers import outbox
from storage.models import Citizen, OutboxMessage, Petition

EXCERPT = 160
#: `outbox.dead_letter` writes "YYYY-MM-DD HH:MM reason" (UTC).
_STAMPED = re.compile(r"^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}) (.*)$", re.S)


def _names(rows: Iterable[OutboxMessage]) -> tuple[dict[int, str | None], dict[int, str | None]]:
    """Petition codes and citizen names of the rows, two queries in all."""
    rows = list(rows)
    petition_ids = {r.petition_id for r in rows if r.petition_id is not None}
    citizen_ids = {r.citizen_id for r in rows if r.citizen_id is not None}
    s = db_session()
    codes = s.execute(select(Petition.id, Petition.code).where(Petition.id.in_(petition_ids)))
    names = s.execute(select(Citizen.id, Citizen.display_name).where(Citizen.id.in_(citizen_ids)))
    return {pid: code for pid, code in codes}, {cid: name for cid, name in names}


def excerpt(message: OutboxMessage) -> str:
    """The start of what the message says (a text, a caption or an email subject)."""
    payload = message.payload or {}
    text = str(payload.get("text") or payload.get("subject") or "")
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


def failure(message: OutboxMessage) -> str:
    """Why a dead letter stopped, with its time shown like every other time: dd/mm/yyyy HH:MM."""
    text = message.last_error or "—"
    stamped = _STAMPED.match(text)
    if not stamped:
        return text
    when = datetime.strptime(stamped.group(1), "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
    return f"{vn_datetime(when)}: {stamped.group(2)}"


@bp.get("/delivery")
def delivery() -> ResponseReturnValue:
    """Dead letters, messages held for the citizen, and parked webhook events."""
    require_role(*MANAGERS)
    s = db_session()
    dead = outbox.dead_letters(s)
    held = outbox.held_messages(s)
    codes, names = _names([*dead, *held])
    if dead or held:  # citizens' names and what was written to them
        auditing.record(
            "pii.messages",
            commit=True,
            summary=f"Xem {len(dead) + len(held)} tin chưa gửi (tên người dân, nội dung tin)",
        )
    return render_template(
        "admin/delivery.html",
        dead=dead,
        held=held,
        parked=processing.parked(s),
        codes=codes,
        names=names,
        excerpt=excerpt,
        failure=failure,
    )


@bp.post("/delivery/messages/<int:message_id>/requeue")
def delivery_requeue(message_id: int) -> ResponseReturnValue:
    """Send a dead letter again (the sender picks it up at once)."""
    require_role(*MANAGERS)
    s = db_session()
    row = s.get(OutboxMessage, message_id)
    if row is None:
        abort(404)
    if outbox.requeue(s, message_id, now=utcnow()):
        s.commit()
        flash("Đã đưa tin nhắn vào hàng đợi gửi lại.", "ok")
    else:
        flash("Tin nhắn này không còn ở trạng thái gửi không thành.", "error")
    return back("/admin/delivery")


@bp.post("/delivery/events/<int:event_id>/requeue")
def delivery_reprocess(event_id: int) -> ResponseReturnValue:
    """Process a parked webhook event again, after its cause was fixed."""
    require_role(*MANAGERS)
    s = db_session()
    if processing.requeue(s, event_id, now=utcnow()):
        s.commit()
        flash("Sự kiện sẽ được xử lý lại.", "ok")
    else:
        flash("Sự kiện này không còn chờ xử lý.", "error")
    return back("/admin/delivery")
