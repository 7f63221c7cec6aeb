"""The Zalo channel of the outbox: the cheapest kind of message that can reach the citizen.

A status message (its payload carries a `notice`) tries, in order:
  1. the consultation message, while the citizen's last interaction is within 7 days;
  2. for a follower, the approved template by user id (or the OA transaction message);
  3. the approved template by phone (ZNS) to the number the citizen agreed to receive it on.
The first that Zalo accepts is recorded (`delivered_via`, the thread, the quota counter)
in one transaction. When none can, the row waits with the reasons (NoRoute), visible to
staff; it leaves when the citizen writes again. Other messages (bot replies) are
consultation messages only, exactly as before.

Exactly once: a template or ZNS send has no idempotency key on Zalo's side, so the attempt is
committed before the call (`reach_try`); an answer of unknown fate (timeout) or a sender that
vanished mid-call leaves the row for a person (DeliveryUnknown → dead letter), never a
second send.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import system_clock
from bot.zalo import alerts
from bot.zalo.client import ZaloClient, build_messages
from bot.zalo.errors import Action, ZaloApiError, ZaloError, ZaloUncertain
from bot.zalo.reach_rules import (
    CS_REFUSALS,
    FOLLOWER_REFUSALS,
    NIGHT,
    ZNS_REFUSALS,
    ReachConfig,
    remaining_of,
    transaction_payload,
)
from bot.zalo.transport import ZaloTransport
from handlers import outbox
from handlers.clock import Clock
from handlers.outbox import notices, reach
from storage.db import transaction
from storage.models import Citizen, OutboxMessage, PetitionMessage
from storage.models.enums import MessageDirection

logger = logging.getLogger(__name__)

TRYING = "reach_try"
#: When only a quota or a template's approval stands in the way, look again after this.
RETRY_PASSING = timedelta(hours=1)


class NoRoute(ZaloError):
    """No kind of message can reach the citizen now; `reasons` say why (codes).

    `retry_at` is set when a reason may pass by itself (a quota, a template awaiting
    approval): the row is tried again then, not held until the citizen writes.
    """

    action = Action.HOLD

    def __init__(self, reasons: list[str], retry_at: datetime | None = None) -> None:
        super().__init__(",".join(reasons))
        self.reasons = reasons
        self.retry_at = retry_at


class DeliveryUnknown(ZaloError):
    """A template or ZNS send may have left; a person must check before any resend."""

    action = Action.INVALID


class Deferred(ZaloError):
    """Templates wait for the morning (quiet hours, or ZNS refused at night)."""

    def __init__(self, until: datetime) -> None:
        super().__init__(f"waits until {until.isoformat()}")
        self.until = until


@dataclass(frozen=True)
class _Citizen:
    id: int
    following: bool
    last_interaction_at: datetime | None
    unreachable: bool
    phone: str | None


class ReachTransport:
    """`send(message, now=…)`: consultation, then template by user id, then ZNS."""

    takes_now = True

    def __init__(
        self,
        cs: ZaloTransport,
        client: ZaloClient,
        sessions: sessionmaker[Session],
        config: ReachConfig,
        *,
        clock: Clock = system_clock,
    ) -> None:
        self.cs = cs
        self.client = client
        self.sessions = sessions
        self.config = config
        self.clock = clock

    def send(self, message: OutboxMessage, now: datetime | None = None) -> str | None:
        now = now or self.clock()
        notice = message.payload.get("notice")
        if not notice or int(message.payload.get("sent_parts", 0)) > 0:
            message.delivered_via = "cs"
            return self.cs.send(message)
        if message.payload.get(TRYING):
            raise DeliveryUnknown(f"{message.payload[TRYING]} attempt of unknown fate")
        who = self._citizen(message)
        reasons: list[str] = []
        if who is None or who.unreachable:
            reasons.append("unreachable")
        elif who.last_interaction_at is None or now - who.last_interaction_at > self.config.window:
            reasons.append("window")
        else:
            try:
                message.delivered_via = "cs"
                return self.cs.send(message)
            except ZaloApiError as exc:
                self._refused(message, who, CS_REFUSALS, exc, reasons, now)
        return self._paid(message, notice, who, reasons, now)

    def _paid(
        self,
        message: OutboxMessage,
        notice: dict[str, Any],
        who: _Citizen | None,
        reasons: list[str],
        now: datetime,
    ) -> str | None:
        """Templates: by user id for a follower, then by phone; NoRoute when neither can."""
        slot = str(notice.get("slot") or "")
        routes = [r for r in (self._follower(who, slot, reasons, now),) if r]
        routes += [r for r in (self._phone(who, slot, reasons, now),) if r]
        if routes and (until := self.config.morning_after(now)) is not None:
            raise Deferred(until)
        for via in routes:
            try:
                return self._attempt(message, notice, via, who, now)
            except ZaloApiError as exc:
                if exc.code == NIGHT and via == "zns":
                    raise Deferred(now + timedelta(hours=8)) from None
                refusals = ZNS_REFUSALS if via == "zns" else FOLLOWER_REFUSALS
                self._refused(message, who, refusals, exc, reasons, now, via=via)
        passing = {"quota", "template_not_approved"} & set(reasons)
        raise NoRoute(reasons, now + RETRY_PASSING if passing else None)

    # --- which kinds apply -------------------------------------------------------------

    def _follower(
        self, who: _Citizen | None, slot: str, reasons: list[str], now: datetime
    ) -> str | None:
        """template or transaction when the citizen follows the OA and it is configured."""
        kind = self.config.follower_kind
        problem = None
        if kind not in {"template", "transaction"}:
            problem = "off"
        elif who is None or who.unreachable:
            return None  # already counted as unreachable
        elif not who.following:
            problem = "not_follower"
        elif kind == "template" and not self.config.template_ids.get(slot):
            problem = "no_template"
        elif not self._quota_open(kind, now):
            problem = "quota"
        if problem:
            reasons.append(problem)
            return None
        return kind

    def _phone(
        self, who: _Citizen | None, slot: str, reasons: list[str], now: datetime
    ) -> str | None:
        """zns when the citizen agreed to notices on a number that can receive them."""
        problem = None
        if who is None or not who.phone:
            problem = "no_phone"
        elif not self.config.zns_ids.get(slot):
            problem = "no_template"
        elif not self._quota_open(reach.DAILY, now):
            problem = "quota"
        if problem:
            reasons.append(problem)
            return None
        return "zns"

    def _quota_open(self, kind: str, now: datetime) -> bool:
        with transaction(self.sessions) as session:
            return reach.quota_open(session, self.config.quota(kind), now)

    # --- one attempt ---------------------------------------------------------------------

    def _attempt(
        self,
        message: OutboxMessage,
        notice: dict[str, Any],
        via: str,
        who: _Citizen | None,
        now: datetime,
    ) -> str | None:
        """Commit the attempt, call Zalo, record the outcome; unknown fate → DeliveryUnknown."""
        self._mark(message, {**message.payload, TRYING: via})
        try:
            answer = self._call(message, notice, via, who)
        except ZaloUncertain:
            raise DeliveryUnknown(f"{via} send of unknown fate") from None
        except Exception:
            self._mark(message, {k: v for k, v in message.payload.items() if k != TRYING})
            raise
        external = str(answer.get("message_id") or answer.get("msg_id") or "") or None
        self._record(message, notice, via, external, answer, now)
        message.delivered_via = via
        return external

    def _call(
        self, message: OutboxMessage, notice: dict[str, Any], via: str, who: _Citizen | None
    ) -> dict[str, Any]:
        slot, data = str(notice["slot"]), dict(notice.get("data") or {})
        if via == "template":
            template_id = self.config.template_ids[slot]
            flat = self.config.flat_recipient
            return self.client.send_template(message.recipient, template_id, data, flat=flat)
        if via == "transaction":
            return self.client.send_transaction(message.recipient, transaction_payload(notice))
        return self.client.send_zns(
            self.config.zns_base,
            who.phone if who and who.phone else "",
            self.config.zns_ids[slot],
            data,
            f"pakn-{message.id}",
            development=self.config.zns_development,
        )

    def _mark(self, message: OutboxMessage, payload: dict[str, Any]) -> None:
        with transaction(self.sessions) as session:
            outbox.confirm_claim(session, message)
            outbox.replace_payload(session, message.id, payload)
        message.payload = payload

    def _record(
        self,
        message: OutboxMessage,
        notice: dict[str, Any],
        via: str,
        external: str | None,
        answer: dict[str, Any],
        now: datetime,
    ) -> None:
        """The send, its thread row and the quota count, in one transaction."""
        payload = {k: v for k, v in message.payload.items() if k != TRYING}
        payload.update(
            via=via,
            sent_ids=[external],
            sent_parts=max(1, len(build_messages(payload, message.kind))),
        )
        with transaction(self.sessions) as session:
            outbox.confirm_claim(session, message)
            outbox.replace_payload(session, message.id, payload)
            session.add(
                PetitionMessage(
                    petition_id=message.petition_id,
                    citizen_id=message.citizen_id,
                    direction=MessageDirection.OUT,
                    kind=via,
                    zalo_msg_id=external,
                    text=notices.preview(notice),
                    data={"outbox_id": message.id, "via": via},
                )
            )
            kind = reach.DAILY if via == "zns" else via
            reach.count_use(session, self.config.quota(kind), now, remaining=remaining_of(answer))
        message.payload = payload

    # --- refusals --------------------------------------------------------------------------

    def _refused(
        self,
        message: OutboxMessage,
        who: _Citizen | None,
        refusals: dict[int, str],
        exc: ZaloApiError,
        reasons: list[str],
        now: datetime,
        *,
        via: str = "cs",
    ) -> None:
        """A refusal that means "try the next kind": note why and what it says of the citizen."""
        reason = refusals.get(exc.code)
        if reason is None:
            raise exc
        reasons.append(reason)
        logger.info("outbox %s: %s refused (%s); trying the next kind", message.id, via, exc.code)
        with transaction(self.sessions) as session:
            citizen = session.get(Citizen, who.id) if who else None
            if citizen is not None and reason == "not_follower":
                citizen.following = False
            elif citizen is not None and reason == "unreachable":
                citizen.unreachable_at = now
            elif citizen is not None and reason == "phone_unreachable":
                citizen.zns_unreachable_at = now
            elif reason == "quota":
                kind = reach.DAILY if via == "zns" else via
                reach.exhausted(session, self.config.quota(kind), now, f"{exc.code}")
            elif reason == "template_not_approved":
                alerts.alert_admins(
                    session,
                    kind="zalo_template",
                    title="Mẫu tin Zalo bị từ chối: cần kiểm tra mã mẫu và tham số",
                    body=f"Lỗi {exc.code} khi gửi {via}. Xem docs/zalo-messages.md.",
                    now=now,
                )

    def _citizen(self, message: OutboxMessage) -> _Citizen | None:
        with transaction(self.sessions) as session:
            c = session.get(Citizen, message.citizen_id) if message.citizen_id else None
            if c is None:
                return None
            return _Citizen(
                c.id,
                bool(c.following),
                c.last_interaction_at,
                c.unreachable_at is not None,
                c.zns_number,
            )

    def reconcile(self, message: OutboxMessage, *, claimed_at: datetime) -> bool | None:
        """After a vanished sender: a recorded template counts as sent; an open one is unknown."""
        if message.payload.get("via"):
            return True
        if message.payload.get(TRYING):
            raise DeliveryUnknown(f"{message.payload[TRYING]} attempt interrupted")
        return self.cs.reconcile(message, claimed_at=claimed_at)
