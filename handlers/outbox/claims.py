"""The sender's state changes: claim, confirm, settle; each takes the session and never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, select, update
from sqlalchemy.orm import Session, aliased

from handlers.outbox.queueing import HELD_WINDOW
from storage.models import OutboxMessage
from storage.models.enums import OutboxChannel, OutboxState
from storage.wake import wake_after_commit

#: Payload key: since when a send of this row may have left without being recorded.
UNSURE = "unsure_since"


class ClaimLost(RuntimeError):
    """The row is no longer held by this claim (taken over or settled): touch nothing."""


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
    # A row held because no kind of message can reach the citizen (it has a wait_reason)
    # does not hold up the next one: that one is judged on its own and waits with its reason.
    blocked = exists().where(
        older.channel == OutboxChannel.ZALO,
        older.recipient == OutboxMessage.recipient,
        older.id < OutboxMessage.id,
        older.state.in_((OutboxState.PENDING, OutboxState.SENDING))
        | ((older.state == OutboxState.HELD) & older.wait_reason.is_(None)),
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
    The row's petition is read again under that lock: since the claim, the draft it was
    queued for may have been merged into another petition, or deleted, and the thread row the
    caller writes next must not name it.
    """
    held = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, *_held(message))
        .values(claimed_until=OutboxMessage.claimed_until)
        .returning(OutboxMessage.petition_id)
        .execution_options(synchronize_session=False)
    ).first()
    if held is None:
        raise ClaimLost(f"outbox {message.id} is no longer held by this sender")
    message.petition_id = held.petition_id


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
        .values(state=OutboxState.PENDING, next_attempt_at=now, last_error=None, wait_reason=None)
        .execution_options(synchronize_session="fetch")
    )
    released = int(getattr(result, "rowcount", 0) or 0)
    if released:
        wake_after_commit(session)
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
        wake_after_commit(session)
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
