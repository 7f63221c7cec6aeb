"""The crash test's handlers: the platform's recording plus one reply per text message."""

from __future__ import annotations

from sqlalchemy.orm import Session

from handlers import outbox
from handlers.events import Event, TextMessage
from handlers.inbound import HandlerContext, Router, citizen_for, record_event


def acknowledge(session: Session, event: TextMessage, ctx: HandlerContext) -> None:
    """Queue one reply per message, keyed so a re-run can never queue a second."""
    citizen = citizen_for(session, event)
    assert citizen is not None  # noqa: S101 - record_event ran first
    outbox.queue_zalo(
        session, citizen=citizen, text=f"Đã nhận {event.msg_id}", dedup_key=f"ack:{event.msg_id}"
    )


def crash_router() -> Router:
    router = Router()
    router.on(Event)(record_event)
    router.on(TextMessage)(acknowledge)
    return router
