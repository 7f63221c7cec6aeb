"""The Zalo transport of the outbox: sends a row's parts, each exactly once.

A long text is several Zalo messages; after each part the transport commits its progress
(and the thread row, direction out), so a retry resumes at the next part.

Zalo has no idempotency key, so a part whose fate is unknown — the answer timed out or the
connection broke after the request went out (ZaloUncertain), or the sender vanished
mid-send (its lease ran out) — is reconciled before anything is sent again: the
conversation is read back from Zalo, and an OA message to that citizen, after the attempt,
with the part's text and an id not yet in the thread, means the part left. Because one
citizen's rows leave strictly in order, no other row can have produced that message.

Each part leaves only while the sender's claim still holds (`outbox.confirm_claim`): a sender
whose row was taken over for reconciliation stops instead of sending it a second time. On
PostgreSQL the row stays locked from that check until the part is recorded, so the takeover
cannot happen while the part is on the wire; on SQLite (one host) the check and the send are
separate, leaving only the length of one request for a sender that outlived its lease.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import system_clock
from bot.zalo.client import ZaloClient, build_messages
from bot.zalo.errors import ZaloError, ZaloTransportError, ZaloUncertain
from bot.zalo.parse import parse_timestamp
from handlers import outbox
from handlers.clock import Clock
from storage.db import transaction
from storage.models import OutboxMessage, PetitionMessage
from storage.models.enums import MessageDirection

logger = logging.getLogger(__name__)

#: Zalo's clock and ours may differ; a reconciled message may predate the attempt this much.
CLOCK_TOLERANCE = timedelta(seconds=60)
UNSURE = outbox.UNSURE


class ZaloTransport:
    """`send(message) -> external id`, raising ZaloError subclasses the sender classifies."""

    def __init__(
        self, client: ZaloClient, sessions: sessionmaker[Session], *, clock: Clock = system_clock
    ) -> None:
        self.client = client
        self.sessions = sessions
        self.clock = clock

    def send(self, message: OutboxMessage) -> str | None:
        parts = build_messages(message.payload, message.kind)
        if message.payload.get(UNSURE):
            since = datetime.fromisoformat(str(message.payload[UNSURE]))
            if self.reconcile(message, claimed_at=since) is None:
                raise ZaloTransportError("an earlier attempt may have left; cannot check yet")
        last: str | None = None
        for index in range(int(message.payload.get("sent_parts", 0)), len(parts)):
            last = self._send_part(message, index, parts[index])
        sent_ids = message.payload.get("sent_ids") or [None]
        return last or sent_ids[-1]

    def _send_part(self, message: OutboxMessage, index: int, part: dict[str, Any]) -> str | None:
        """Send one part only if the row is still ours (PostgreSQL: locked until recorded)."""
        outcome: str | None | Exception = None
        with transaction(self.sessions) as session:
            outbox.confirm_claim(session, message)
            locked = session.get_bind().dialect.name == "postgresql"
            if locked:
                outcome = self._deliver(session, message, index, part)
        if not locked:  # SQLite: never hold the database's write lock across a request
            with transaction(self.sessions) as session:
                outcome = self._deliver(session, message, index, part)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def _deliver(
        self, session: Session, message: OutboxMessage, index: int, part: dict[str, Any]
    ) -> str | Exception | None:
        """The call, then its record in `session`; a failure is returned, the session kept.

        Returned rather than raised so that the transaction still commits: where sessions
        share one connection, the token store's writes (a refused refresh, its alert) would
        otherwise be rolled back with it.
        """
        attempt = self.clock()
        try:
            external_id = self.client.send_message(message.recipient, part)
        except ZaloUncertain as exc:
            self._confirm_after_send(session, message, index)
            payload = {**message.payload, UNSURE: attempt.isoformat()}
            outbox.replace_payload(session, message.id, payload)
            message.payload = payload
            return exc
        except Exception as exc:  # not sent: the sender classifies it
            return exc
        self._confirm_after_send(session, message, index)
        message.payload = {k: v for k, v in message.payload.items() if k != UNSURE}
        payload = outbox.record_progress(session, message, part=index, external_id=external_id)
        record_sent(session, message, part, external_id)
        message.payload = payload
        return external_id

    @staticmethod
    def _confirm_after_send(session: Session, message: OutboxMessage, index: int) -> None:
        try:
            outbox.confirm_claim(session, message)
        except outbox.ClaimLost:
            # Only without row locks: the new holder's reconciliation will find this part.
            logger.warning(
                "outbox %s part %s left after its claim was taken over", message.id, index
            )
            raise

    def checkpoint(
        self, message: OutboxMessage, index: int, part: dict[str, Any], external_id: str | None
    ) -> None:
        """Commit that a part left, with its thread row (only while the claim holds)."""
        message.payload = {k: v for k, v in message.payload.items() if k != UNSURE}
        with transaction(self.sessions) as session:
            outbox.confirm_claim(session, message)
            payload = outbox.record_progress(session, message, part=index, external_id=external_id)
            record_sent(session, message, part, external_id)
        message.payload = payload

    def reconcile(self, message: OutboxMessage, *, claimed_at: datetime) -> bool | None:
        """Whether the in-flight part left (True, recorded), did not (False), or unknown."""
        parts = build_messages(message.payload, message.kind)
        index = int(message.payload.get("sent_parts", 0))
        if index >= len(parts):
            return True
        try:
            recent = self.client.conversation(message.recipient, count=20)
        except ZaloError as exc:
            logger.info("cannot reconcile outbox %s yet: %s", message.id, type(exc).__name__)
            return None
        with transaction(self.sessions) as session:
            match = _find(session, recent, parts[index], claimed_at - CLOCK_TOLERANCE)
        if match is None:
            self._clear_unsure(message)
            return False
        self.checkpoint(message, index, parts[index], match)
        logger.info("outbox %s part %s had left before the interruption", message.id, index)
        return True

    def _clear_unsure(self, message: OutboxMessage) -> None:
        if UNSURE not in message.payload:
            return
        payload = {k: v for k, v in message.payload.items() if k != UNSURE}
        with transaction(self.sessions) as session:
            outbox.confirm_claim(session, message)
            outbox.replace_payload(session, message.id, payload)
        message.payload = payload


def record_sent(
    session: Session, message: OutboxMessage, part: dict[str, Any], external_id: str | None
) -> None:
    """The bot's message in the petition's thread (direction out)."""
    if message.citizen_id is None:
        return
    if external_id and session.scalar(
        select(PetitionMessage.id).where(PetitionMessage.zalo_msg_id == external_id)
    ):
        return
    session.add(
        PetitionMessage(
            petition_id=message.petition_id,
            citizen_id=message.citizen_id,
            direction=MessageDirection.OUT,
            kind=message.kind,
            zalo_msg_id=external_id or None,
            text=str(part.get("text") or ""),
            data={"outbox_id": message.id},
        )
    )


def _find(
    session: Session, recent: list[dict[str, Any]], part: dict[str, Any], since: datetime
) -> str | None:
    """The id of an unrecorded OA message after `since` that carries this part."""
    text = str(part.get("text") or "")
    for item in recent:
        if str(item.get("src")) != "0":  # 0: sent by the OA (unconfirmed; see the shared doc)
            continue
        msg_id = str(item.get("message_id") or item.get("msg_id") or "")
        if not msg_id or _when(item) < since:
            continue
        if text and str(item.get("message") or "") != text:
            continue
        if not text and str(item.get("type") or "") not in {"photo", "image", "template"}:
            continue
        known = session.scalar(
            select(PetitionMessage.id).where(PetitionMessage.zalo_msg_id == msg_id)
        )
        if known is None:
            return msg_id
    return None


def _when(item: dict[str, Any]) -> datetime:
    try:
        return parse_timestamp(item.get("time"))
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
