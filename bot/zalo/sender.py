"""The outbox sender: claims due rows, hands each to its channel's transport, records why.

A transport is any object with `send(message: OutboxMessage) -> str | None` (the external
id) that raises on failure; `zalo` is `ZaloTransport`, `email` is `bot.mail.MailTransport`.
Rows of channels without a transport stay pending.
A transport may also offer `reconcile(message, claimed_at=…) -> bool | None` to settle rows
whose sender vanished mid-send; rows of one that cannot are dead-lettered rather than risk a
second send. Such rows are taken over first (`outbox.take_over_stale`), so a sender that was
only slow, not dead, finds its claim gone (`outbox.ClaimLost`) and sends nothing more; every
state change names the claim it was made under.

Failures, by the shared doc's classification: retry with exponential back-off and jitter
(network, -32, unknown codes; -200/-211/-218 also alert); hold (-230/-232) until the citizen
writes; dead-letter (-201/-210/-233 invalid; -213/-217/-227/-244 unreachable, which also marks
the citizen); stop the drain cleanly (no usable token, -240 misconfiguration), leaving rows
pending. Rows retried for longer than OUTBOX_GIVE_UP_HOURS are dead-lettered.
"""

from __future__ import annotations

import logging
import random
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import system_clock
from bot.zalo import alerts
from bot.zalo.client import build_messages
from bot.zalo.errors import Action, TokenError, ZaloApiError, ZaloError
from bot.zalo.processing import backoff
from bot.zalo.reach import Deferred, DeliveryUnknown, NoRoute
from handlers import outbox
from handlers.agencies.mail import delivery_failed
from handlers.clock import Clock
from handlers.outbox import reach
from handlers.outbox.delivery import email_failed
from storage.db import transaction
from storage.models import Citizen, OutboxMessage

logger = logging.getLogger(__name__)


class Transport(Protocol):
    def send(self, message: OutboxMessage) -> str | None: ...


class _Stop(Exception):
    """Sending cannot go on in this run (tokens, configuration)."""


class Sender:
    """Drains the outbox; safe to run in several processes at once (rows are claimed)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        transports: Mapping[str, Transport],
        *,
        lease: timedelta = timedelta(seconds=600),
        give_up_after: timedelta = timedelta(hours=48),
        clock: Clock = system_clock,
        rng: random.Random | None = None,
        batch: int = 5,
    ) -> None:
        self.sessions = sessions
        self.transports = dict(transports)
        self.lease = lease
        self.give_up_after = give_up_after
        self.clock = clock
        self.rng = rng or random.Random()  # noqa: S311 - jitter, not secrecy
        self.batch = batch

    def drain(
        self,
        *,
        now: datetime | None = None,
        limit: int = 200,
        citizen_id: int | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> Counter[str]:
        """Send what is due (at most `limit` rows); count the outcomes.

        `now` fixes the clock for the whole run (tests, a simulated clock) and `clock` replaces
        it; otherwise each batch reads the real clock, so a long run never outlives its claims.
        """
        if clock is None:
            clock = (lambda: now) if now is not None else self.clock
        counts: Counter[str] = Counter()
        if citizen_id is None:
            self.recover(now=clock(), counts=counts)
        # A channel that must stop (Zalo without a token) does not hold up the others (email).
        channels = set(self.transports)
        while channels and sum(counts.values()) < limit:
            with transaction(self.sessions) as session:
                rows = outbox.claim(
                    session,
                    now=clock(),
                    channels=sorted(channels),
                    lease=self.lease,
                    limit=min(self.batch, limit),
                    citizen_id=citizen_id,
                )
            if not rows:
                break
            channels.discard(self._send_batch(rows, clock, counts) or "")
        return counts

    def _send_batch(
        self, rows: list[OutboxMessage], clock: Callable[[], datetime], counts: Counter[str]
    ) -> str | None:
        """Send claimed rows in order; return the channel that must stop, if one must."""
        started = 0
        try:
            for row in rows:
                started += 1
                try:
                    counts[self._send(row, clock())] += 1
                except _Stop:
                    counts["stopped"] += 1
                    self._release(rows[started - 1 :], clock())
                    return row.channel
        finally:
            # Interrupted (signal, bug): give back the rows never started; the one in
            # flight stays `sending` and is reconciled once its lease runs out.
            self._release(rows[started:], clock())
        return None

    def _send(self, row: OutboxMessage, now: datetime) -> str:
        transport = self.transports[row.channel]
        try:
            if getattr(transport, "takes_now", False):
                external_id = transport.send(row, now=now)  # type: ignore[call-arg]
            else:
                external_id = transport.send(row)
        except NoRoute as exc:
            return self._wait(row, exc.reasons, exc.retry_at)
        except DeliveryUnknown as exc:
            return self._unknown(row, now, exc)
        except Deferred as exc:
            with transaction(self.sessions) as session:
                outbox.fail(session, row.id, error="quiet hours", retry_at=exc.until, held=row)
            return "deferred"
        except outbox.ClaimLost:
            logger.warning("outbox %s was taken over by a reconciliation; left to it", row.id)
            return "superseded"
        except TokenError as exc:
            logger.error("outbox stopped: %s", type(exc).__name__)
            raise _Stop from None
        except ZaloError as exc:
            return self._failed(row, exc.action, exc, now)
        except Exception as exc:  # a transport we do not know (mail): retry with back-off
            logger.warning("outbox %s (%s) failed: %s", row.id, row.channel, type(exc).__name__)
            permanent = getattr(exc, "permanent", False)  # MailError: the server refused it
            return self._failed(row, Action.INVALID if permanent else Action.RETRY, exc, now)
        via = getattr(row, "delivered_via", None) or ("cs" if row.channel == "zalo" else "email")
        with transaction(self.sessions) as session:
            if outbox.complete(session, row.id, now=now, external_id=external_id, held=row):
                reach.delivered(session, row.id, via=via, now=now)
        return "sent"

    def _wait(self, row: OutboxMessage, reasons: list[str], retry_at: datetime | None) -> str:
        """No kind of message can reach the citizen now: hold it (or look again later)."""
        with transaction(self.sessions) as session:
            if retry_at is not None:
                outbox.fail(session, row.id, error="waiting", retry_at=retry_at, held=row)
            else:
                outbox.hold(session, row.id, reason=outbox.HELD_WINDOW, held=row)
            reach.waiting(session, row.id, reasons)
        return "held" if retry_at is None else "waiting"

    def _unknown(self, row: OutboxMessage, now: datetime, exc: Exception) -> str:
        with transaction(self.sessions) as session:
            outbox.dead_letter(
                session,
                row.id,
                now=now,
                reason=f"delivery unknown ({exc}); ask the citizen before sending again",
                held=row,
            )
        return "dead"

    def _failed(self, row: OutboxMessage, action: Action, exc: Exception, now: datetime) -> str:
        reason = _reason(exc)
        with transaction(self.sessions) as session:
            if action is Action.HOLD:
                outbox.hold(session, row.id, reason=outbox.HELD_WINDOW, held=row)
                return "held"
            if action is Action.UNREACHABLE:
                outbox.dead_letter(
                    session, row.id, now=now, reason=f"unreachable: {reason}", held=row
                )
                _mark_unreachable(session, row.citizen_id, now, exc)
                return "dead"
            if action is Action.INVALID:
                outbox.dead_letter(session, row.id, now=now, reason=f"invalid: {reason}", held=row)
                delivery_failed(session, row.id, reason, now)  # an agency email: tell the Front
                email_failed(session, row.id, reason, now)  # a citizen's result: call or write
                return "dead"
            if action in (Action.CONFIG, Action.REFRESH):
                alerts.alert_admins(
                    session,
                    kind="zalo_config",
                    title="Zalo OA từ chối gửi tin: cần kiểm tra cấu hình",
                    body=f"Lỗi {reason}. Tin nhắn đang chờ, chưa bị mất.",
                    now=now,
                )
            elif action is Action.RETRY_ALERT and row.attempts <= 1:
                alerts.alert_admins(
                    session,
                    kind="zalo_send_failing",
                    title="Zalo OA tạm thời không gửi được tin",
                    body=f"Lỗi {reason}. Hệ thống sẽ tự gửi lại.",
                    now=now,
                )
            if now - row.created_at > self.give_up_after:
                outbox.dead_letter(
                    session,
                    row.id,
                    now=now,
                    reason=f"gave up after {row.attempts} tries: {reason}",
                    held=row,
                )
                delivery_failed(session, row.id, reason, now)
                email_failed(session, row.id, reason, now)
                return "dead"
            retry_at = now + backoff(row.attempts, self.rng, base=15, cap=900)
            outbox.fail(session, row.id, error=reason, retry_at=retry_at, held=row)
        if action in (Action.CONFIG, Action.REFRESH):
            raise _Stop
        return "retry"

    def _release(self, rows: list[OutboxMessage], now: datetime) -> None:
        with transaction(self.sessions) as session:
            for row in rows:
                outbox.release(session, row.id, now=now, held=row)

    def recover(self, *, now: datetime | None = None, counts: Counter[str] | None = None) -> None:
        """Settle rows left `sending` by a sender that vanished (crash, kill)."""
        now = now or self.clock()
        counts = counts if counts is not None else Counter()
        with transaction(self.sessions) as session:
            stale = outbox.take_over_stale(session, now=now, lease=self.lease)
        for row in stale:
            transport = self.transports.get(row.channel)
            reconcile = getattr(transport, "reconcile", None)
            claimed_at = datetime.fromisoformat(str(row.payload[outbox.UNSURE]))
            try:
                settled = reconcile(row, claimed_at=claimed_at) if callable(reconcile) else False
            except outbox.ClaimLost:  # another reconciliation took it over meanwhile
                continue
            except DeliveryUnknown as exc:
                counts[self._unknown(row, now, exc)] += 1
                continue
            with transaction(self.sessions) as session:
                if settled is None:  # cannot tell yet: look again after another lease
                    outbox.extend_claim(session, row.id, until=now + self.lease, held=row)
                elif not callable(reconcile):
                    outbox.dead_letter(
                        session,
                        row.id,
                        now=now,
                        reason="interrupted mid-send; delivery unknown",
                        held=row,
                    )
                    counts["dead"] += 1
                elif _all_sent(row):
                    outbox.complete(session, row.id, now=now, external_id=_last_id(row), held=row)
                    via = str(row.payload.get("via") or "cs")
                    reach.delivered(session, row.id, via=via, now=now)
                    counts["recovered"] += 1
                else:
                    outbox.fail(
                        session, row.id, error="interrupted; resumed", retry_at=now, held=row
                    )
                    counts["resumed"] += 1


def _all_sent(row: OutboxMessage) -> bool:
    return int(row.payload.get("sent_parts", 0)) >= len(build_messages(row.payload, row.kind))


def _last_id(row: OutboxMessage) -> str | None:
    ids = row.payload.get("sent_ids") or [None]
    return str(ids[-1]) if ids[-1] else None


def _reason(exc: Exception) -> str:
    if isinstance(exc, ZaloApiError):
        return f"zalo {exc.code} {exc.message}"[:300]
    return f"{type(exc).__name__}: {str(exc)[:200]}"


def _mark_unreachable(
    session: Session, citizen_id: int | None, now: datetime, exc: Exception
) -> None:
    if citizen_id is None:
        return
    citizen = session.get(Citizen, citizen_id)
    if citizen is not None:
        citizen.unreachable_at = now
        if isinstance(exc, ZaloApiError) and exc.code == -213:
            citizen.following = False
