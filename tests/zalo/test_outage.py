"""A Zalo outage of several minutes on a simulated clock: back-off, recovery, exactly once."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.zalo.services import ZaloServices
from bot.zalo.standin import StandIn
from config import Settings
from handlers import outbox
from storage.db import transaction
from storage.models import Citizen, OutboxMessage
from tests.support import zalo_layer
from tests.zalo.conftest import control
from tests.zalo.helpers import USER


def _citizens(db: Session, standin: StandIn, n: int) -> list[Citizen]:
    people = [Citizen(zalo_user_id=f"c-{i}", following=True, abuse_count=0) for i in range(n)]
    db.add_all(people)
    db.commit()
    for c in people:
        control(standin, "interaction", user_id=str(c.zalo_user_id))
    return people


def _let_zalo_finish(db: Session, standin: StandIn) -> None:
    """Wait (in real time) until a message whose answer timed out has landed at the stand-in."""
    db.expire_all()
    unsure = [
        str(row.payload.get("text") or "")
        for row in db.scalars(select(OutboxMessage))
        if row.payload.get(outbox.UNSURE)
    ]
    deadline = time.monotonic() + 5
    landed = {m["text"] for m in standin.state.sent_to(None)}
    while not set(unsure) <= landed and time.monotonic() < deadline:
        time.sleep(0.02)
        landed = {m["text"] for m in standin.state.sent_to(None)}


@pytest.mark.usefixtures("tokens")
def test_an_outage_of_several_minutes_then_every_message_once_in_order(
    zalo: ZaloServices, db_session: Session, standin: StandIn
) -> None:
    people = _citizens(db_session, standin, 4)
    for i in range(12):
        outbox.queue_zalo(db_session, citizen=people[i % 4], text=f"Thông báo số {i}")
    db_session.commit()
    zalo.client.timeout = (1.0, 0.3)  # the slow answers below time out quickly
    control(standin, "outage", on=True, mode="http")
    control(standin, "fail", path="/v3.0/oa/message/cs", mode="slow", delay=0.5, times=1)
    t0 = datetime.now(UTC)  # the messages were queued now: they must not expire on the way
    attempts_during_outage = 0
    clock = t0
    outcomes: Counter[str] = Counter()
    while clock < t0 + timedelta(minutes=30):
        if clock >= t0 + timedelta(minutes=6) and standin.state.faults:
            control(standin, "outage", on=False)  # Zalo is back after six minutes
        result = zalo.sender.drain(now=clock)
        outcomes.update(result)
        _let_zalo_finish(db_session, standin)  # the 20 s between ticks are real at Zalo
        if clock < t0 + timedelta(minutes=6):
            attempts_during_outage += sum(result.values())
        if outbox.counts(db_session).get("sent") == 12:
            break
        clock += timedelta(seconds=20)
    assert outbox.counts(db_session) == {"sent": 12}
    assert clock < t0 + timedelta(minutes=25), "recovery took too long"
    # Back-off: during six minutes only a handful of tries per citizen, not one per tick.
    assert 4 <= attempts_during_outage <= 4 * 7
    assert outcomes["dead"] == 0 and outcomes["held"] == 0
    sent = [m["text"] for m in standin.state.sent_to(None)]
    assert sorted(sent) == sorted(f"Thông báo số {i}" for i in range(12))  # each exactly once
    for person in range(4):
        mine = [t for t in sent if int(t.rsplit(" ", 1)[1]) % 4 == person]
        assert mine == [f"Thông báo số {i}" for i in range(person, 12, 4)]  # in order


def test_two_senders_at_once_never_send_a_message_twice(
    fresh_sessions: sessionmaker[Session], settings: Settings, standin: StandIn
) -> None:
    from bot.zalo.tokens import TokenPair, store_pair

    access, refresh = standin.state.issue_pair()
    with transaction(fresh_sessions) as session:
        store_pair(session, TokenPair(access, refresh, 90000), now=datetime.now(UTC), source="t")
        people = [Citizen(zalo_user_id=f"p-{i}", following=True, abuse_count=0) for i in range(8)]
        session.add_all(people)
        session.flush()
        for i in range(48):
            outbox.queue_zalo(session, citizen=people[i % 8], text=f"Tin {i}")
    for i in range(8):
        control(standin, "interaction", user_id=f"p-{i}")
    senders = [zalo_layer(settings, fresh_sessions).sender for _ in range(2)]
    for s in senders:
        s.batch = 3
    results: list[Counter[str]] = []
    errors: list[BaseException] = []

    def run(sender: object) -> None:
        try:
            results.append(sender.drain())  # type: ignore[attr-defined]
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(s,)) for s in senders]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sum(r["sent"] for r in results) == 48
    sent = Counter(m["text"] for m in standin.state.sent_to(None))
    assert len(sent) == 48 and set(sent.values()) == {1}
    with transaction(fresh_sessions) as session:
        states = session.scalars(select(OutboxMessage.state)).all()
        assert Counter(states) == {"sent": 48}
    assert USER not in {m["user_id"] for m in standin.state.messages}
