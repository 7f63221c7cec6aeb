"""What an inbound Zalo event does: a dispatch registry with a recording default.

`router.dispatch(session, event, ctx)` runs, for the event's class and each of its bases,
the handlers registered with `@router.on(...)`, most general first. The platform registers
`record_event` on `Event`, so for every event:

1. `record_event` (this module) keeps the citizen (Zalo id, last interaction, following) and
   the message in petition_messages (direction in; a staff echo with admin_id as staff_zalo),
   links downloaded attachments, applies receipts, releases held outbox rows when the
   citizen interacts again, and logs unknown events;
2. then the handlers registered for more specific classes, e.g. the conversation's
   `@router.on(TextMessage)`, in registration order.

The conversation registers on the same router:

    from handlers.inbound import router, citizen_for, message_for

    @router.on(TextMessage, ImageMessage)
    def converse(session, event, ctx):
        citizen = citizen_for(session, event)   # the row record_event kept (never None here)
        message = message_for(session, event)   # its petition_messages row: link petition_id
        ...queue replies with handlers.outbox.queue_zalo(...)

`@router.on(X, replace=True)` drops the handlers already registered for exactly X (not for
its bases) before adding; `router.remove(fn)` takes one out. Handlers run in the caller's
transaction (`session` first, never commit): an exception rolls the whole event back and the
platform retries it later, so handlers must be safe to run again after a rollback.
Bot replies are recorded in the thread by the sender when they leave (direction out), so
handlers do not record their own replies.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import outbox
from handlers.events import (
    AnonymousMessage,
    Event,
    Follow,
    Media,
    MessageEvent,
    OaEcho,
    Receipt,
    SubmitInfo,
    Unfollow,
    UnknownEvent,
)
from handlers.services import Services
from storage.models import Attachment, Citizen, PetitionMessage
from storage.models.enums import MessageDirection

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoredFile:
    """An attachment the platform downloaded (or failed to) before the handlers ran."""

    sha256: str | None
    path: str | None
    size: int | None
    mime: str | None
    error: str | None = None


@dataclass(frozen=True)
class HandlerContext:
    """What a handler may use besides the session: the time, the services, the downloads."""

    now: datetime
    services: Services = field(default_factory=Services)
    downloads: Mapping[str, StoredFile] = field(default_factory=dict)


Handler = Callable[[Session, Any, HandlerContext], None]
H = TypeVar("H", bound=Handler)


class Router:
    """Handlers per event class; dispatch runs the chain from the most general class down."""

    def __init__(self) -> None:
        self._handlers: dict[type[Event], list[Handler]] = {}

    def on(self, *types: type[Event], replace: bool = False) -> Callable[[H], H]:
        """Register a handler for the given event classes (and their subclasses)."""
        if not types:
            raise ValueError("router.on needs at least one event class")

        def register(fn: H) -> H:
            for t in types:
                chain = [] if replace else self._handlers.get(t, [])
                if fn not in chain:
                    chain = [*chain, fn]
                self._handlers[t] = chain
            return fn

        return register

    def remove(self, fn: Handler) -> None:
        """Take a handler out wherever it was registered."""
        for t, chain in list(self._handlers.items()):
            self._handlers[t] = [h for h in chain if h is not fn]

    def handlers_for(self, event_type: type[Event]) -> list[Handler]:
        """The chain an event of this class runs through, in order."""
        chain: list[Handler] = []
        for cls in reversed(event_type.__mro__):
            for fn in self._handlers.get(cls, []):
                if fn not in chain:
                    chain.append(fn)
        return chain

    def dispatch(self, session: Session, event: Event, ctx: HandlerContext) -> None:
        """Run every handler of the event's chain in the caller's transaction."""
        for fn in self.handlers_for(type(event)):
            fn(session, event, ctx)

    def copy(self) -> Router:
        """An independent router with the same registrations (tests, tools)."""
        other = Router()
        other._handlers = {t: list(chain) for t, chain in self._handlers.items()}
        return other


# --- lookups handlers use ----------------------------------------------------------------


def citizen_for(session: Session, event: Event) -> Citizen | None:
    """The citizen the event concerns (created by record_event), or None (anonymous)."""
    if not event.user_id:
        return None
    return session.scalar(select(Citizen).where(Citizen.zalo_user_id == event.user_id))


def message_for(session: Session, event: Event) -> PetitionMessage | None:
    """The petition_messages row record_event kept for this event, if any."""
    if not event.msg_id:
        return None
    return session.scalar(
        select(PetitionMessage).where(PetitionMessage.zalo_msg_id == event.msg_id)
    )


def get_or_create_citizen(session: Session, zalo_user_id: str) -> Citizen:
    """The citizen with this Zalo id, created on first contact (id only, nothing personal)."""
    citizen = session.scalar(select(Citizen).where(Citizen.zalo_user_id == zalo_user_id))
    if citizen is None:
        citizen = Citizen(zalo_user_id=zalo_user_id, following=True, abuse_count=0)
        session.add(citizen)
        session.flush()
    return citizen


# --- the default: record citizens and messages -------------------------------------------


def record_event(session: Session, event: Event, ctx: HandlerContext) -> None:
    """Keep what the event tells about the citizen and the thread (runs for every event)."""
    if isinstance(event, UnknownEvent):
        logger.info(
            "unknown Zalo event %s kept (inbound %s)", event.event_name, event.inbound_event_id
        )
        return
    if isinstance(event, AnonymousMessage):
        logger.info("anonymous message kept (inbound %s), not linked", event.inbound_event_id)
        return
    if isinstance(event, Receipt):
        _apply_receipt(session, event)
        return
    if isinstance(event, OaEcho):
        if event.by_staff and event.user_id:
            _record_message(session, event, MessageDirection.STAFF_ZALO, ctx)
        return
    if not event.user_id:
        logger.warning(
            "event %s without a user id (inbound %s)", event.event_name, event.inbound_event_id
        )
        return
    citizen = get_or_create_citizen(session, event.user_id)
    _touch(session, citizen, event, ctx)
    if isinstance(event, MessageEvent | SubmitInfo):
        _record_message(session, event, MessageDirection.IN, ctx)


def _touch(session: Session, citizen: Citizen, event: Event, ctx: HandlerContext) -> None:
    """Follow state and the 7-day window; an interaction lets held messages go."""
    if isinstance(event, Unfollow):
        citizen.following = False
        return
    if isinstance(event, Follow):
        citizen.following = True
    if not event.counts_as_interaction:
        return
    at = min(event.timestamp, ctx.now)
    if citizen.last_interaction_at is None or at > citizen.last_interaction_at:
        citizen.last_interaction_at = at
    if citizen.unreachable_at is not None:
        citizen.unreachable_at = None  # they wrote or followed again: reachable
    session.flush()
    released = outbox.release_held_for_citizen(session, citizen.id, now=ctx.now)
    if released:
        logger.info("released %s held message(s) for citizen %s", released, citizen.id)


def _record_message(
    session: Session, event: Event, direction: str, ctx: HandlerContext
) -> PetitionMessage | None:
    """One thread row per Zalo message id (a second delivery under another key adds none)."""
    if event.msg_id and message_for(session, event) is not None:
        return None
    citizen = get_or_create_citizen(session, event.user_id)
    text, kind, media, data = _content(event)
    row = PetitionMessage(
        citizen_id=citizen.id,
        inbound_event_id=event.inbound_event_id,
        direction=direction,
        kind=kind,
        zalo_msg_id=event.msg_id,
        text=text,
        data=data,
        created_at=event.timestamp,
    )
    session.add(row)
    session.flush()
    for item in media:
        if item.is_evidence:
            session.add(_attachment(row, item, ctx.downloads.get(item.url), ctx.now))
    return row


def _content(event: Event) -> tuple[str, str, tuple[Media, ...], dict[str, Any]]:
    data: dict[str, Any] = {"event": event.event_name}
    if isinstance(event, SubmitInfo):
        fields = {k: v for k, v in vars(event.info).items() if v}
        return "", "submit_info", (), {**data, "info": fields}
    if isinstance(event, OaEcho):
        data["admin_id"] = event.admin_id
        return event.text, event.message_kind, event.attachments, data
    assert isinstance(event, MessageEvent)  # noqa: S101 - record_event only passes these
    if event.quote_msg_id:
        data["quote_msg_id"] = event.quote_msg_id
    location = getattr(event, "location", None)
    if location is not None:
        data["location"] = {"lat": location.latitude, "lng": location.longitude}
    link = getattr(event, "link", None)
    if link is not None:
        data["link"] = {"url": link.url, "title": link.title}
    card = getattr(event, "card", None)
    if card is not None:
        data["card"] = {"name": card.name, "phone": card.phone}
    decorations = [m.url for m in event.attachments if not m.is_evidence and m.url]
    if decorations:
        data["media"] = decorations
    return event.text, event.kind, event.attachments, data


def _attachment(
    row: PetitionMessage, media: Media, stored: StoredFile | None, now: datetime
) -> Attachment:
    return Attachment(
        created_at=now,  # the media link's lifetime counts from the processing clock
        message_id=row.id,
        petition_id=row.petition_id,
        kind=media.kind,
        sha256=stored.sha256 if stored else None,
        storage_path=stored.path if stored else None,
        mime_type=(stored.mime if stored else None) or media.mime,
        size=(stored.size if stored else None) or media.size,
        original_name=media.name,
        source_url=media.url,
        download_error=(stored.error if stored else "not downloaded"),
    )


def _apply_receipt(session: Session, event: Receipt) -> None:
    """Mark OA messages received/seen; receipts may arrive before the send is recorded."""
    key = "seen_at" if event.event_name == "user_seen_message" else "received_at"
    ids = [i for i in (*event.msg_ids, event.msg_id) if i]
    if not ids:
        return
    rows = session.scalars(select(PetitionMessage).where(PetitionMessage.zalo_msg_id.in_(ids)))
    stamp = event.timestamp.isoformat()
    for row in rows:
        data = dict(row.data or {})
        if key == "seen_at" and not data.get("received_at"):
            data["received_at"] = stamp  # seen implies received, whatever came first
        if not data.get(key) or data[key] > stamp:
            data[key] = stamp
        row.data = data


router = Router()
router.on(Event)(record_event)

__all__ = [
    "Handler",
    "HandlerContext",
    "Router",
    "StoredFile",
    "citizen_for",
    "get_or_create_citizen",
    "message_for",
    "record_event",
    "router",
]
