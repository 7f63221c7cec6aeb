"""A row taken over for reconciliation is never sent again by the sender that lost it.

The crash test once saw a reply twice: a drain that judged leases over (its clock ahead, as
after a crash) reconciled rows a live sender had claimed but not sent yet, found nothing,
resumed and sent them, and the live sender then sent them too. These tests stage that
interleaving step by step, with real commits, instead of waiting for SIGKILL to hit it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.zalo.services import ZaloServices
from bot.zalo.standin import StandIn
from config import Settings
from handlers import outbox
from storage.db import transaction
from storage.models import Citizen, OutboxMessage
from tests.support import zalo_layer
from tests.zalo.conftest import control


def _services(settings: Settings, sessions: sessionmaker[Session]) -> ZaloServices:
    return zalo_layer(settings, sessions)


def _one_queued(
    sessions: sessionmaker[Session], standin: StandIn, text: str
) -> tuple[OutboxMessage, datetime]:
    """Tokens, one citizen, one queued reply; claimed by a sender that is about to send it."""
    from bot.zalo.tokens import TokenPair, store_pair

    access, refresh = standin.state.issue_pair()
    with transaction(sessions) as session:
        store_pair(session, TokenPair(access, refresh, 90000), now=datetime.now(UTC), source="t")
        person = Citizen(zalo_user_id="tk-1", following=True, abuse_count=0)
        session.add(person)
        session.flush()
        outbox.queue_zalo(session, citizen=person, text=text)
    control(standin, "interaction", user_id="tk-1")
    t = datetime.now(UTC)
    with transaction(sessions) as session:
        (row,) = outbox.claim(session, now=t, channels=["zalo"], lease=timedelta(seconds=600))
    return row, t


def test_a_sender_whose_row_was_taken_over_sends_nothing(
    fresh_sessions: sessionmaker[Session], settings: Settings, standin: StandIn
) -> None:
    row, t = _one_queued(fresh_sessions, standin, "Đã nhận tk-a")
    slow, other = _services(settings, fresh_sessions), _services(settings, fresh_sessions)
    # Another drain believes the lease is over: it reconciles (nothing left yet), resends.
    later = t + other.sender.lease + timedelta(seconds=5)
    assert other.sender.drain(now=later) == {"resumed": 1, "sent": 1}
    # The first sender now gets to its send: its claim is gone, so it must not send.
    with pytest.raises(outbox.ClaimLost):
        slow.sender.transports["zalo"].send(row)
    assert slow.sender._send(row, t) == "superseded"
    assert [m["text"] for m in standin.state.sent_to("tk-1")] == ["Đã nhận tk-a"]
    with transaction(fresh_sessions) as session:
        # Nor can the lost claim change the row any more.
        assert not outbox.fail(session, row.id, error="x", retry_at=t, held=row)
        assert not outbox.release(session, row.id, now=t, held=row)
        final = session.get(OutboxMessage, row.id)
        assert final is not None and final.state == "sent" and final.attempts == 2


def test_a_reconciliation_that_must_wait_still_finds_the_part_that_left(
    fresh_sessions: sessionmaker[Session], settings: Settings, standin: StandIn
) -> None:
    row, t = _one_queued(fresh_sessions, standin, "Đã nhận tk-b")
    zalo = _services(settings, fresh_sessions)
    zalo.client.send_message("tk-1", {"text": "Đã nhận tk-b"})  # then the sender vanished
    lease = zalo.sender.lease
    # The first look at Zalo's history fails: the row waits another lease, taken over.
    control(standin, "fail", path="/v2.0/oa/conversation", mode="http", status=503, times=1)
    later = t + lease + timedelta(minutes=1)
    assert zalo.sender.drain(now=later) == {}
    with transaction(fresh_sessions) as session:  # a second drain at that moment finds none
        assert outbox.take_over_stale(session, now=later, lease=lease) == []
        assert not outbox.complete(session, row.id, now=later, held=row)  # the vanished claim
    # The next look still reaches back to the vanished attempt, not to the wait.
    assert zalo.sender.drain(now=later + lease + timedelta(seconds=1)) == {"recovered": 1}
    assert [m["text"] for m in standin.state.sent_to("tk-1")] == ["Đã nhận tk-b"]
    with transaction(fresh_sessions) as session:
        final = session.get(OutboxMessage, row.id)
        assert final is not None and final.state == "sent"
        assert final.external_id == standin.state.messages[0]["message_id"]
