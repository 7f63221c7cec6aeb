"""Reading "Việc cần làm": one user's items by tab, the count in the navigation."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers.tasks.audience import visible_clause, waiting_clause
from storage.models import StaffNotification

if TYPE_CHECKING:  # handlers.workflow raises items: importing it here would be a cycle
    from handlers.workflow.actors import Actor

Item = StaffNotification

TABS = {"open": "Đang chờ", "snoozed": "Đang hoãn", "done": "Đã xong"}
#: Finished items stay listed this long (then only the petition's history remembers).
DONE_SHOWN = timedelta(days=30)
LIST_LIMIT = 200


def items_for(
    session: Session, actor: Actor, *, now: datetime, tab: str = "open", limit: int = LIST_LIMIT
) -> list[Item]:
    """The user's items of one tab: most urgent, then newest first (finished: latest first)."""
    query = select(Item).where(visible_clause(actor))
    if tab == "snoozed":
        query = query.where(Item.done_at.is_(None), Item.snoozed_until > now)
    elif tab == "done":
        query = query.where(Item.done_at.is_not(None), Item.done_at >= now - DONE_SHOWN)
        return list(session.scalars(query.order_by(Item.done_at.desc()).limit(limit)))
    else:
        query = query.where(waiting_clause(now))
    order = (Item.priority.desc(), Item.created_at.desc(), Item.id.desc())
    return list(session.scalars(query.order_by(*order).limit(limit)))


def count_waiting(session: Session, actor: Actor, *, now: datetime) -> tuple[int, int]:
    """(items waiting, of which urgent) for the navigation's badge."""
    row = session.execute(
        select(func.count(), func.count().filter(Item.priority >= 2)).where(
            visible_clause(actor), waiting_clause(now)
        )
    ).one()
    return int(row[0] or 0), int(row[1] or 0)


def item_for(session: Session, actor: Actor, item_id: int) -> Item | None:
    """One item if it is this user's (anything else does not exist for them)."""
    return session.scalar(select(Item).where(Item.id == item_id, visible_clause(actor)))
