"""The outbox: every message to a citizen or an agency, queued in the caller's transaction.

Callers queue with `queue_zalo` / `queue_email` in the same transaction as the change that
caused the message, and never talk to Zalo or SMTP themselves. The sender (`bot.zalo.sender`)
drains the table with the state functions below, each taking the session first and never
committing:

    pending ──claim──▶ sending ──complete──▶ sent
       ▲                 │ fail (back-off)      ▲
       └─────────────────┤ hold (7-day window) ─┴─ release_held (citizen writes again)
                         └ dead_letter (permanent; staff see it, `requeue` puts it back)

Zalo messages to one citizen leave in the order they were queued: a row is not claimed while
an older row for the same recipient is pending, sending or held.

A claim is identified by (attempts, claimed_until). Every change a sender makes to a row it
claimed names that claim (`held=`), and before each send it confirms the claim
(`confirm_claim`), so a sender whose row was taken over (`take_over_stale`, after its lease
ran out) neither sends it nor changes it. On PostgreSQL the confirmation also locks the row
until the sender commits, and a takeover skips locked rows: a row is never taken over while
its part is on the wire.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from storage.models import Citizen, OutboxMessage, Petition
from storage.models.base import utcnow
from storage.models.enums import OutboxChannel, OutboxState

#: Set on the session when a row was queued, so a process can send right after the commit.
QUEUED_FLAG = "pakn.outbox_queued"

MAX_BUTTONS = 5
MAX_BUTTON_TITLE = 20
BUTTON_TYPES = frozenset({"oa.query.hide", "oa.query.show", "oa.open.url", "oa.open.phone"})
ZALO_KINDS = frozenset({"text", "image", "request_user_info"})

#: Reasons stored in last_error for held rows (shown to staff).
HELD_WINDOW = "window"
HELD_UNREACHABLE = "unreachable"

#: Payload key: since when a send of this row may have left without being recorded.
UNSURE = "unsure_since"


class OutboxError(ValueError):
    """The message cannot be queued as asked (fix the caller, not the network)."""


class ClaimLost(RuntimeError):
    """The row is no longer held by this claim (taken over or settled): touch nothing."""


@dataclass(frozen=True)
class Button:
    """A button under a Zalo message; `payload` comes back as the user's text when tapped."""

    title: str
    payload: str
    type: str = "oa.query.hide"


# --- queueing ----------------------------------------------------------------------------


def queue_zalo(
    session: Session,
    *,
    citizen: Citizen,
    text: str | None = None,
    buttons: Sequence[Button] = (),
    image_url: str | None = None,
    kind: str = "text",
    petition: Petition | None = None,
    dedup_key: str | None = None,
    subtitle: str | None = None,
    quote_msg_id: str | None = None,
) -> OutboxMessage:
    """Queue a Zalo message; a repeated dedup_key returns the row already queued.

    kind "text": text (any length; split at 2000 characters when sent) with optional buttons;
    "image": image_url with an optional caption; "request_user_info": the consent/contact card
    with text as its title, subtitle and image_url.
    """
    if not citizen.zalo_user_id:
        raise OutboxError("citizen has no Zalo id")
    payload = _zalo_payload(kind, text, tuple(buttons), image_url, subtitle, quote_msg_id)
    row = OutboxMessage(
        channel=OutboxChannel.ZALO,
        recipient=citizen.zalo_user_id,
        citizen_id=citizen.id,
        petition_id=petition.id if petition is not None else None,
        kind=kind,
        payload=payload,
        dedup_key=dedup_key,
    )
    if citizen.unreachable_at is not None:
        # Blocked or unfollowed: keep it for staff and send if the citizen comes back.
        row.state = OutboxState.HELD
        row.last_error = HELD_UNREACHABLE
    return _insert(session, row)


def queue_email(
    session: Session,
    *,
    to: str | Iterable[str],
    subject: str,
    body: str,
    petition: Petition | None = None,
    dedup_key: str | None = None,
    attachments: Sequence[str] = (),
) -> OutboxMessage:
    """Queue an email (agencies, staff digests); attachments are file paths."""
    recipients = [to] if isinstance(to, str) else list(to)
    if not recipients or not all(r and "@" in r for r in recipients):
        raise OutboxError("email needs at least one address")
    row = OutboxMessage(
        channel=OutboxChannel.EMAIL,
        recipient=", ".join(recipients)[:200],
        petition_id=petition.id if petition is not None else None,
        kind="email",
        payload={
            "to": recipients,
            "subject": subject,
            "body": body,
            "attachments": [str(a) for a in attachments],
        },
        dedup_key=dedup_key,
    )
    return _insert(session, row)


def _zalo_payload(
    kind: str,
    text: str | None,
    buttons: tuple[Button, ...],
    image_url: str | None,
    subtitle: str | None,
    quote_msg_id: str | None,
) -> dict[str, Any]:
    if kind not in ZALO_KINDS:
        raise OutboxError(f"unknown Zalo message kind {kind!r}")
    if kind == "text" and not (text and text.strip()):
        raise OutboxError("a text message needs text")
    if kind in {"image", "request_user_info"} and not image_url:
        raise OutboxError(f"a {kind} message needs image_url")
    if kind == "request_user_info" and not text:
        raise OutboxError("a request_user_info card needs a title (text)")
    _check_buttons(buttons)
    payload: dict[str, Any] = {"text": unicodedata.normalize("NFC", text or "")}
    if buttons:
        payload["buttons"] = [asdict(b) for b in buttons]
    if image_url:
        payload["image_url"] = image_url
    if subtitle:
        payload["subtitle"] = subtitle
    if quote_msg_id:
        payload["quote_msg_id"] = quote_msg_id
    return payload


def _check_buttons(buttons: tuple[Button, ...]) -> None:
    if len(buttons) > MAX_BUTTONS:
        raise OutboxError(f"at most {MAX_BUTTONS} buttons")
    for b in buttons:
        if not b.title or len(unicodedata.normalize("NFC", b.title)) > MAX_BUTTON_TITLE:
            raise OutboxError(f"button titles need 1–{MAX_BUTTON_TITLE} characters")
        if b.type not in BUTTON_TYPES:
            raise OutboxError(f"unknown button type {b.type!r}")


def _insert(session: Session, row: OutboxMessage) -> OutboxMessage:
    """Add the row; with a dedup_key already used, return the existing row instead."""
    if row.dedup_key is not None:
        existing = session.scalar(
            select(OutboxMessage).where(OutboxMessage.dedup_key == row.dedup_key)
        )
        if existing is not None:
            return existing
    row.next_attempt_at = row.next_attempt_at or utcnow()
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        # Another transaction queued the same key between our check and our insert.
        existing = session.scalar(
            select(OutboxMessage).where(OutboxMessage.dedup_key == row.dedup_key)
        )
        if existing is None:
            raise
        return existing
    session.info[QUEUED_FLAG] = True
    return row


# --- the sender's state changes ----------------------------------------------------------


def claim(
    session: Session,
    *,
    now: datetime,
    channels: Sequence[str],
    lease: timedelta,
    limit: int = 20,
    citizen_id: int | None = None,
) -> list[OutboxMessage]:
    """Mark up to `limit` due rows as sending and return them (oldest first).

    One statement: an UPDATE over a sub-select that is `FOR UPDATE SKIP LOCKED` on PostgreSQL
    (two senders never get the same row) and a conditional UPDATE on SQLite (where the
    statement takes the write lock, so run it first in its transaction).
    """
    if not channels:
        return []
    older = aliased(OutboxMessage)
    blocked = exists().where(
        older.channel == OutboxChannel.ZALO,
        older.recipient == OutboxMessage.recipient,
        older.id < OutboxMessage.id,
        older.state.in_((OutboxState.PENDING, OutboxState.SENDING, OutboxState.HELD)),
    )
    due = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.state == OutboxState.PENDING,
            OutboxMessage.channel.in_(list(channels)),
            func.coalesce(OutboxMessage.next_attempt_at, now) <= now,
            ~and_(OutboxMessage.channel == OutboxChannel.ZALO, blocked),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=OutboxMessage)
    )
    if citizen_id is not None:
        due = due.where(OutboxMessage.citizen_id == citizen_id)
    ids = session.scalars(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(due.scalar_subquery()))
        .where(OutboxMessage.state == OutboxState.PENDING)
        .values(
            state=OutboxState.SENDING,
            claimed_until=now + lease,
            attempts=OutboxMessage.attempts + 1,
        )
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    ).all()
    return _load(session, ids)


def take_over_stale(
    session: Session, *, now: datetime, lease: timedelta, limit: int = 20
) -> list[OutboxMessage]:
    """Claim rows whose sender vanished mid-send (lease expired) for reconciliation.

    The vanished claim is replaced (a late sender can no longer confirm it) and the start of
    its attempt is kept under UNSURE, so a reconciliation that has to wait still looks back
    far enough. Rows locked by a sender that is sending right now are skipped (PostgreSQL).
    """
    stale = (OutboxMessage.state == OutboxState.SENDING, OutboxMessage.claimed_until < now)
    if session.get_bind().dialect.name == "sqlite":
        # Write first: a read-then-write transaction cannot wait for SQLite's write lock
        # (it fails at once with "database is locked" when another writer got in between).
        session.execute(
            update(OutboxMessage)
            .where(*stale)
            .values(claimed_until=OutboxMessage.claimed_until)
            .execution_options(synchronize_session=False)
        )
    ids = session.scalars(
        select(OutboxMessage.id)
        .where(*stale)
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    rows = _load(session, list(ids))
    for row in rows:
        since = (row.claimed_until or now) - lease
        if row.payload.get(UNSURE):
            since = min(since, datetime.fromisoformat(str(row.payload[UNSURE])))
        row.payload = {**row.payload, UNSURE: since.isoformat()}
        row.claimed_until = now + lease
    session.flush()
    return rows


def confirm_claim(session: Session, message: OutboxMessage) -> None:
    """Raise ClaimLost unless `message`'s claim still holds the row; lock it until commit.

    A write, not a read: it takes the row lock on PostgreSQL and the write lock on SQLite.
    """
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, *_held(message))
        .values(claimed_until=OutboxMessage.claimed_until)
        .execution_options(synchronize_session=False)
    )
    if not getattr(result, "rowcount", 0):
        raise ClaimLost(f"outbox {message.id} is no longer held by this sender")


def _held(message: OutboxMessage) -> list[ColumnElement[bool]]:
    return [
        OutboxMessage.state == OutboxState.SENDING,
        OutboxMessage.attempts == message.attempts,
        OutboxMessage.claimed_until == message.claimed_until,
    ]


def _load(session: Session, ids: Sequence[int]) -> list[OutboxMessage]:
    if not ids:
        return []
    rows = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.id.in_(ids))
        .order_by(OutboxMessage.id)
        .execution_options(populate_existing=True)
    ).all()
    return list(rows)


def _set(
    session: Session,
    message_id: int,
    only_if: Sequence[str],
    held: OutboxMessage | None = None,
    **values: Any,
) -> bool:
    """Change one row if it is still in one of the expected states (and claim); say whether."""
    fence = _held(held) if held is not None else []
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.state.in_(list(only_if)), *fence)
        .values(**values)
        .execution_options(synchronize_session="fetch")
    )
    return bool(getattr(result, "rowcount", 0))


def complete(
    session: Session,
    message_id: int,
    *,
    now: datetime,
    external_id: str | None = None,
    held: OutboxMessage | None = None,
) -> bool:
    """The message left: mark it sent (only a row this sender still holds)."""
    return _set(
        session,
        message_id,
        [OutboxState.SENDING],
        held,
        state=OutboxState.SENT,
        sent_at=now,
        claimed_until=None,
        external_id=external_id,
        last_error=None,
    )


def fail(
    session: Session,
    message_id: int,
    *,
    error: str,
    retry_at: datetime,
    held: OutboxMessage | None = None,
) -> bool:
    """A transient failure: back to pending, due again at retry_at."""
    return _set(
        session,
        message_id,
        [OutboxState.SENDING],
        held,
        state=OutboxState.PENDING,
        next_attempt_at=retry_at,
        claimed_until=None,
        last_error=error[:500],
    )


def release(
    session: Session, message_id: int, *, now: datetime, held: OutboxMessage | None = None
) -> bool:
    """Give a claimed row back untouched (the sender stops, e.g. no valid token)."""
    return _set(
        session,
        message_id,
        [OutboxState.SENDING],
        held,
        state=OutboxState.PENDING,
        next_attempt_at=now,
        claimed_until=None,
        attempts=OutboxMessage.attempts - 1,
    )


def extend_claim(
    session: Session, message_id: int, *, until: datetime, held: OutboxMessage | None = None
) -> bool:
    """Keep a row `sending` a while longer (its fate is not known yet)."""
    return _set(session, message_id, [OutboxState.SENDING], held, claimed_until=until)


def hold(
    session: Session,
    message_id: int,
    *,
    reason: str = HELD_WINDOW,
    held: OutboxMessage | None = None,
) -> bool:
    """Zalo refuses until the citizen writes again: wait, visible to staff."""
    return _set(
        session,
        message_id,
        [OutboxState.SENDING, OutboxState.PENDING],
        held,
        state=OutboxState.HELD,
        claimed_until=None,
        last_error=reason,
    )


def dead_letter(
    session: Session,
    message_id: int,
    *,
    now: datetime,
    reason: str,
    held: OutboxMessage | None = None,
) -> bool:
    """A permanent failure: stop trying and show staff why."""
    return _set(
        session,
        message_id,
        [OutboxState.SENDING, OutboxState.PENDING, OutboxState.HELD],
        held,
        state=OutboxState.DEAD,
        claimed_until=None,
        next_attempt_at=None,
        last_error=f"{now:%Y-%m-%d %H:%M} {reason}"[:500],
    )


def release_held_for_citizen(session: Session, citizen_id: int, *, now: datetime) -> int:
    """The citizen interacted: everything held for them is due now, in its original order."""
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.citizen_id == citizen_id, OutboxMessage.state == OutboxState.HELD)
        .values(state=OutboxState.PENDING, next_attempt_at=now, last_error=None)
        .execution_options(synchronize_session="fetch")
    )
    released = int(getattr(result, "rowcount", 0) or 0)
    if released:
        session.info[QUEUED_FLAG] = True
    return released


def requeue(session: Session, message_id: int, *, now: datetime) -> bool:
    """Staff send a dead letter (or a held row) again."""
    done = _set(
        session,
        message_id,
        [OutboxState.DEAD, OutboxState.HELD],
        state=OutboxState.PENDING,
        next_attempt_at=now,
        last_error=None,
    )
    if done:
        session.info[QUEUED_FLAG] = True
    return done


def record_progress(
    session: Session, message: OutboxMessage, *, part: int, external_id: str | None
) -> dict[str, Any]:
    """Remember that part `part` of a split message left, so a retry never repeats it.

    One UPDATE (no read first: on SQLite a read-then-write transaction can lose its
    snapshot to a concurrent writer); only the sender holding the row changes its payload.
    """
    payload = dict(message.payload)
    payload["sent_parts"] = part + 1
    payload["sent_ids"] = [*payload.get("sent_ids", []), external_id]
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id)
        .values(payload=payload)
        .execution_options(synchronize_session=False)
    )
    return payload


def replace_payload(session: Session, message_id: int, payload: dict[str, Any]) -> None:
    """Store the sender's bookkeeping in a row it holds (one UPDATE, no read first)."""
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(payload=payload)
        .execution_options(synchronize_session=False)
    )


# --- what staff see ----------------------------------------------------------------------


def dead_letters(session: Session, *, limit: int = 100) -> list[OutboxMessage]:
    """Messages that will not leave without a person's decision, newest first."""
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.state == OutboxState.DEAD)
            .order_by(OutboxMessage.id.desc())
            .limit(limit)
        )
    )


def held_messages(session: Session, *, limit: int = 100) -> list[OutboxMessage]:
    """Messages waiting for the citizen to write again, oldest first."""
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.state == OutboxState.HELD)
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
    )


def counts(session: Session) -> dict[str, int]:
    """How many rows are in each state (health page, tests)."""
    rows = session.execute(
        select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
    ).all()
    return {str(state): int(n) for state, n in rows}
