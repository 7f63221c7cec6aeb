"""The sender against the stand-in over real HTTP: classification, holds, parts, recovery."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.zalo.services import ZaloServices
from bot.zalo.standin import StandIn
from config import Settings
from handlers import outbox
from handlers.outbox import Button
from storage.models import Citizen, OutboxMessage, PetitionMessage, StaffNotification, ZaloToken
from tests.zalo.conftest import control
from tests.zalo.helpers import post_signed, text_event


def now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
def citizen(db_session: Session, standin: StandIn) -> Citizen:
    c = Citizen(zalo_user_id="u-100", following=True, abuse_count=0, last_interaction_at=now())
    db_session.add(c)
    db_session.commit()
    control(standin, "interaction", user_id="u-100")
    return c


def queue(db: Session, citizen: Citizen, text: str = "Xin chào", **kw: object) -> OutboxMessage:
    row = outbox.queue_zalo(db, citizen=citizen, text=text, **kw)  # type: ignore[arg-type]
    db.commit()
    return row


def texts(standin: StandIn, user: str = "u-100") -> list[str]:
    return [m["text"] for m in standin.state.sent_to(user)]


def reload(db: Session, row: OutboxMessage) -> OutboxMessage:
    db.refresh(row)
    return row


@pytest.mark.usefixtures("tokens")
def test_a_message_leaves_once_and_joins_the_thread(
    zalo: ZaloServices, db_session: Session, citizen: Citizen, standin: StandIn
) -> None:
    row = queue(db_session, citizen, "Hồ sơ TK-2611-000001 đã được tiếp nhận.")
    assert zalo.sender.drain() == {"sent": 1}
    assert zalo.sender.drain() == {}
    assert texts(standin) == ["Hồ sơ TK-2611-000001 đã được tiếp nhận."]
    row = reload(db_session, row)
    assert row.state == "sent" and row.external_id == standin.state.messages[0]["message_id"]
    thread = db_session.scalar(select(PetitionMessage))
    assert thread is not None and (thread.direction, thread.zalo_msg_id) == ("out", row.external_id)


@pytest.mark.usefixtures("tokens")
def test_long_text_goes_in_parts_of_at_most_2000(
    zalo: ZaloServices, db_session: Session, citizen: Citizen, standin: StandIn
) -> None:
    sentence = "Ủy ban MTTQ phường đã làm việc với đơn vị thi công về tuyến cống thoát nước. "
    queue(db_session, citizen, sentence * 60, buttons=[Button("Đồng ý", "#ok")])
    assert zalo.sender.drain() == {"sent": 1}
    sent = standin.state.sent_to("u-100")
    assert len(sent) == 3 and all(len(m["text"]) <= 2000 for m in sent)
    assert all(m["text"].endswith(".") for m in sent)  # cut at sentence ends
    assert " ".join(m["text"] for m in sent) == (sentence * 60).strip()
    assert [m["kind"] for m in sent] == ["text", "text", "buttons"]  # buttons on the last part
    assert db_session.scalar(select(func.count(PetitionMessage.id))) == 3


@pytest.mark.usefixtures("tokens")
def test_images_buttons_and_the_info_card(
    zalo: ZaloServices, db_session: Session, citizen: Citizen, standin: StandIn
) -> None:
    outbox.queue_zalo(
        db_session,
        citizen=citizen,
        kind="image",
        text="Sơ đồ",
        image_url="https://example.org/map.png",
    )
    outbox.queue_zalo(
        db_session,
        citizen=citizen,
        kind="request_user_info",
        text="Chia sẻ thông tin",
        subtitle="Để cán bộ liên hệ",
        image_url="https://example.org/card.png",
    )
    outbox.queue_zalo(
        db_session,
        citizen=citizen,
        text="Chọn",
        buttons=[
            Button("Xem web", "https://mttq.vn", type="oa.open.url"),
            Button("Gọi", "0235381234", type="oa.open.phone"),
        ],
    )
    db_session.commit()
    assert zalo.sender.drain() == {"sent": 3}
    kinds = [m["kind"] for m in standin.state.sent_to("u-100")]
    assert kinds == ["image", "request_user_info", "buttons"]
    buttons = standin.state.messages[2]["message"]["attachment"]["payload"]["buttons"]
    assert buttons[0]["payload"] == {"url": "https://mttq.vn"}
    assert buttons[1]["payload"] == {"phone_code": "0235381234"}


@pytest.mark.usefixtures("tokens")
def test_rate_limits_back_off_with_jitter_then_send(
    zalo: ZaloServices, db_session: Session, citizen: Citizen, standin: StandIn
) -> None:
    row = queue(db_session, citizen)
    control(standin, "fail", path="/v3.0/oa/message/cs", code=-32, times=2)
    t0 = now()
    waits = []
    for attempt in range(2):
        assert zalo.sender.drain(now=t0) == {"retry": 1}
        row = reload(db_session, row)
        assert row.state == "pending" and "-32" in (row.last_error or "")
        assert row.next_attempt_at is not None
        waits.append((row.next_attempt_at - t0).total_seconds())
        t0 = row.next_attempt_at
        assert attempt + 1 == row.attempts
    assert 7.5 <= waits[0] <= 15 and 15 <= waits[1] <= 30
    assert zalo.sender.drain(now=t0) == {"sent": 1}
    assert texts(standin) == ["Xin chào"]


@pytest.mark.usefixtures("tokens")
def test_outside_the_window_it_is_held_until_the_citizen_writes(
    zalo: ZaloServices,
    client: FlaskClient,
    settings: Settings,
    db_session: Session,
    citizen: Citizen,
    standin: StandIn,
) -> None:
    control(standin, "interaction", user_id="u-100", seconds_ago=8 * 24 * 3600)
    row = queue(db_session, citizen, "Kết quả: cơ quan đã trả lời.")
    assert zalo.sender.drain() == {"held": 1}
    row = reload(db_session, row)
    assert (row.state, row.last_error) == ("held", "window")
    assert [r.id for r in outbox.held_messages(db_session)] == [row.id]
    assert zalo.sender.drain() == {}
    # The citizen writes: Zalo opens the window and the webhook releases the message.
    control(standin, "interaction", user_id="u-100")
    assert (
        post_signed(
            client, settings, text_event("Có tin gì không?", msg_id="w-1", user="u-100")
        ).status_code
        == 200
    )
    assert reload(db_session, row).state == "sent"
    assert texts(standin) == ["Kết quả: cơ quan đã trả lời."]


@pytest.mark.usefixtures("tokens")
def test_unreachable_citizens_are_dead_lettered_and_marked(
    zalo: ZaloServices, db_session: Session, citizen: Citizen, standin: StandIn
) -> None:
    control(standin, "interaction", user_id="u-100", following=False)
    row = queue(db_session, citizen)
    assert zalo.sender.drain() == {"dead": 1}
    row = reload(db_session, row)
    assert row.state == "dead" and "unreachable: zalo -213" in (row.last_error or "")
    db_session.refresh(citizen)
    assert citizen.unreachable_at is not None and not citizen.following
    later = queue(db_session, citizen, "sau")
    assert later.state == "held" and outbox.dead_letters(db_session)[0].id == row.id


@pytest.mark.usefixtures("tokens")
@pytest.mark.parametrize(("code", "outcome"), [(-201, "dead"), (-233, "dead"), (-210, "dead")])
def test_invalid_messages_are_dead_lettered(
    code: int,
    outcome: str,
    zalo: ZaloServices,
    db_session: Session,
    citizen: Citizen,
    standin: StandIn,
) -> None:
    row = queue(db_session, citizen)
    control(standin, "fail", path="/v3.0/oa/message/cs", code=code)
    assert zalo.sender.drain() == {outcome: 1}
    assert f"invalid: zalo {code}" in (reload(db_session, row).last_error or "")


@pytest.mark.usefixtures("tokens")
def test_quota_errors_retry_and_alert_once(
    zalo: ZaloServices, db_session: Session, citizen: Citizen, standin: StandIn
) -> None:
    row = queue(db_session, citizen)
    control(standin, "fail", path="/v3.0/oa/message/cs", code=-218, times=2)
    t = now()
    assert zalo.sender.drain(now=t) == {"retry": 1}
    assert zalo.sender.drain(now=t + timedelta(minutes=1)) == {"retry": 1}
    alerts = db_session.scalars(select(StaffNotification.kind)).all()
    assert alerts == ["zalo_send_failing"]
    assert zalo.sender.drain(now=t + timedelta(minutes=5)) == {"sent": 1}
    assert reload(db_session, row).state == "sent"


@pytest.mark.usefixtures("tokens")
def test_after_the_give_up_period_failures_are_dead_lettered(
    zalo: ZaloServices, db_session: Session, citizen: Citizen, standin: StandIn
) -> None:
    row = queue(db_session, citizen)
    control(standin, "outage", on=True)
    assert zalo.sender.drain() == {"retry": 1}
    assert zalo.sender.drain(now=now() + timedelta(hours=49)) == {"dead": 1}
    assert "gave up after 2 tries" in (reload(db_session, row).last_error or "")


@pytest.mark.usefixtures("tokens")
def test_v2_shutdown_stops_the_run_and_alerts(
    zalo: ZaloServices, db_session: Session, citizen: Citizen, standin: StandIn
) -> None:
    rows = [queue(db_session, citizen, str(i)) for i in range(2)]
    control(standin, "fail", path="/v3.0/oa/message/cs", code=-240)
    assert zalo.sender.drain()["stopped"] == 1
    assert [reload(db_session, r).state for r in rows] == ["pending", "pending"]
    assert db_session.scalar(select(StaffNotification.kind)) == "zalo_config"


def test_expired_token_refreshes_once_and_retries(
    zalo: ZaloServices,
    db_session: Session,
    citizen: Citizen,
    standin: StandIn,
    tokens: tuple[str, str],
) -> None:
    queue(db_session, citizen)
    control(standin, "tokens", expire_access=True)
    assert zalo.sender.drain() == {"sent": 1}
    rows = db_session.scalars(select(ZaloToken).order_by(ZaloToken.id)).all()
    assert len(rows) == 2 and rows[1].refresh_token != tokens[1]
    assert tokens[1] not in standin.state.refresh  # single use: the old one is dead
    oauth = [c for c in standin.state.calls if c[0] == "/v4/oa/access_token"]
    assert len(oauth) == 1


def test_a_refused_refresh_alerts_and_stops_until_new_tokens(
    zalo: ZaloServices,
    db_session: Session,
    citizen: Citizen,
    standin: StandIn,
    tokens: tuple[str, str],
) -> None:
    rows = [queue(db_session, citizen, str(i)) for i in range(3)]
    standin.state.refresh.clear()  # the refresh token was lost or spent elsewhere
    control(standin, "tokens", expire_access=True)
    assert zalo.sender.drain() == {"stopped": 1}
    assert zalo.sender.drain() == {"stopped": 1}  # stays stopped, without calling Zalo again
    assert [reload(db_session, r).state for r in rows] == ["pending"] * 3
    assert [reload(db_session, r).attempts for r in rows] == [0, 0, 0]
    token = db_session.scalar(select(ZaloToken).order_by(ZaloToken.id.desc()))
    assert token is not None and token.refresh_failed_at is not None
    notes = db_session.scalars(select(StaffNotification)).all()
    assert [(n.kind, n.role) for n in notes] == [("zalo_token", "admin")]
    assert len([c for c in standin.state.calls if c[0] == "/v4/oa/access_token"]) == 1
    # An administrator stores a new pair: sending resumes.
    from bot.zalo.tokens import TokenPair, store_pair

    access, refresh = standin.state.issue_pair()
    store_pair(db_session, TokenPair(access, refresh, 90000), now=now(), source="manual")
    db_session.commit()
    assert zalo.sender.drain() == {"sent": 3}
    assert texts(standin) == ["0", "1", "2"]


@pytest.mark.usefixtures("tokens")
def test_a_split_message_resumes_after_the_part_that_left(
    zalo: ZaloServices, db_session: Session, citizen: Citizen, standin: StandIn
) -> None:
    row = queue(db_session, citizen, ("Câu thứ nhất khá dài. " * 100) + ("Câu thứ hai. " * 100))
    # The second part fails (connection dropped); the first must not be sent again.
    original = zalo.client.send_message
    calls = {"n": 0}

    def flaky(user_id: str, message: dict) -> str:
        calls["n"] += 1
        if calls["n"] == 2:
            control(standin, "fail", path="/v3.0/oa/message/cs", mode="drop", times=1)
        return original(user_id, message)

    zalo.client.send_message = flaky  # type: ignore[method-assign]
    t = now()
    assert zalo.sender.drain(now=t) == {"retry": 1}
    row = reload(db_session, row)
    assert row.payload["sent_parts"] == 1 and len(texts(standin)) == 1
    assert zalo.sender.drain(now=t + timedelta(minutes=1)) == {"sent": 1}
    sent = texts(standin)
    assert len(sent) == 2 and len(set(sent)) == 2
    assert reload(db_session, row).payload["sent_ids"] == [
        m["message_id"] for m in standin.state.messages
    ]


@pytest.mark.usefixtures("tokens")
def test_a_row_left_sending_by_a_dead_sender_is_reconciled_not_resent(
    zalo: ZaloServices, db_session: Session, citizen: Citizen, standin: StandIn
) -> None:
    delivered = queue(db_session, citizen, "Đã tới tay công dân")
    lost = queue(db_session, _other(db_session, standin), "Chưa tới")
    t = now()
    rows = outbox.claim(db_session, now=t, channels=["zalo"], lease=zalo.sender.lease)
    db_session.commit()
    assert {r.id for r in rows} == {delivered.id, lost.id}
    zalo.client.send_message("u-100", {"text": "Đã tới tay công dân"})  # then the process died
    assert zalo.sender.drain(now=t + timedelta(minutes=5)) == {}  # lease not over: hands off
    result = zalo.sender.drain(now=t + zalo.sender.lease + timedelta(seconds=1))
    assert result == {"recovered": 1, "resumed": 1, "sent": 1}
    assert texts(standin) == ["Đã tới tay công dân"]
    assert texts(standin, "u-200") == ["Chưa tới"]
    assert reload(db_session, delivered).state == "sent"
    assert reload(db_session, lost).state == "sent"


def _other(db: Session, standin: StandIn) -> Citizen:
    c = Citizen(zalo_user_id="u-200", following=True, abuse_count=0)
    db.add(c)
    db.commit()
    control(standin, "interaction", user_id="u-200")
    return c


@pytest.mark.usefixtures("tokens")
def test_email_waits_without_a_transport_and_uses_one_when_plugged_in(
    zalo: ZaloServices, db_session: Session
) -> None:
    from bot.zalo.sender import Sender

    row = outbox.queue_email(db_session, to="ubnd@tamky.vn", subject="Đôn đốc", body="…")
    db_session.commit()
    without = Sender(zalo.sessions, {"zalo": zalo.sender.transports["zalo"]})
    assert without.drain() == {}
    assert reload(db_session, row).state == "pending"
    sent: list[int] = []

    class FlakyMail:
        def send(self, message: OutboxMessage) -> None:
            if not sent:
                sent.append(0)
                raise OSError("SMTP down")
            sent.append(message.id)

    with_mail = Sender(zalo.sessions, {"email": FlakyMail()})
    t = now()
    assert with_mail.drain(now=t) == {"retry": 1}
    assert "OSError" in (reload(db_session, row).last_error or "")
    assert with_mail.drain(now=t + timedelta(minutes=1)) == {"sent": 1}
    assert sent == [0, row.id]


@pytest.mark.usefixtures("tokens")
def test_an_email_row_interrupted_mid_send_is_dead_lettered_not_repeated(
    zalo: ZaloServices, db_session: Session
) -> None:
    from bot.zalo.sender import Sender

    row = outbox.queue_email(db_session, to="ubnd@tamky.vn", subject="s", body="b")
    db_session.commit()
    t = now()
    outbox.claim(db_session, now=t, channels=["email"], lease=timedelta(minutes=10))
    db_session.commit()
    mail = Sender(
        zalo.sessions,
        {"email": object()},  # type: ignore[dict-item]
        lease=timedelta(minutes=10),
    )
    assert mail.drain(now=t + timedelta(minutes=11)) == {"dead": 1}
    assert "delivery unknown" in (reload(db_session, row).last_error or "")


@pytest.mark.usefixtures("tokens")
@pytest.mark.parametrize(("mode", "arrived"), [("slow", True), ("drop", False)])
def test_a_send_of_unknown_fate_is_checked_before_any_second_send(
    mode: str,
    arrived: bool,
    zalo: ZaloServices,
    db_session: Session,
    citizen: Citizen,
    standin: StandIn,
) -> None:
    import time

    zalo.client.timeout = (1.0, 0.3)
    row = queue(db_session, citizen, "Chậm mà chắc")
    control(standin, "fail", path="/v3.0/oa/message/cs", mode=mode, delay=0.6 if arrived else 0)
    t = now()
    assert zalo.sender.drain(now=t) == {"retry": 1}
    assert "unsure_since" in reload(db_session, row).payload
    deadline = time.monotonic() + 5
    while arrived and not texts(standin) and time.monotonic() < deadline:
        time.sleep(0.05)  # Zalo records the slow request after our timeout
    assert len(texts(standin)) == (1 if arrived else 0)
    assert zalo.sender.drain(now=t + timedelta(minutes=1)) == {"sent": 1}
    assert texts(standin) == ["Chậm mà chắc"]  # exactly once either way
    row = reload(db_session, row)
    assert (
        "unsure_since" not in row.payload
        and row.external_id == standin.state.messages[0]["message_id"]
    )
