"""Processing after the commit: the router, the recording default, retries, parking, media."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.zalo.services import ZaloServices
from bot.zalo.standin import StandIn
from config import Settings
from handlers import events as ev
from handlers import outbox
from handlers.inbound import HandlerContext, Router, record_event, router
from storage.models import Attachment, Citizen, InboundEvent, OutboxMessage, PetitionMessage
from tests.zalo.conftest import control
from tests.zalo.helpers import USER, now_ms, post_signed, raw_fixture, text_event

NOW = datetime.now(UTC).replace(microsecond=0)


def _event(cls: type[ev.Event] = ev.TextMessage, **kw: object) -> ev.Event:
    fields: dict[str, object] = {"event_name": "user_send_text", "user_id": USER, "timestamp": NOW}
    fields.update(kw)
    return cls(**fields)  # type: ignore[arg-type]


# --- the router --------------------------------------------------------------------------


def test_chain_runs_general_handlers_first_then_specific_in_order() -> None:
    r = Router()
    calls: list[str] = []
    r.on(ev.Event)(lambda s, e, c: calls.append("record"))
    r.on(ev.MessageEvent)(lambda s, e, c: calls.append("message"))

    @r.on(ev.TextMessage)
    def converse(s: object, e: object, c: object) -> None:
        calls.append("converse")

    r.on(ev.TextMessage)(lambda s, e, c: calls.append("after"))
    r.dispatch(None, _event(), HandlerContext(now=NOW))  # type: ignore[arg-type]
    assert calls == ["record", "message", "converse", "after"]
    calls.clear()
    r.dispatch(None, _event(ev.Follow, event_name="follow"), HandlerContext(now=NOW))  # type: ignore[arg-type]
    assert calls == ["record"]


def test_replace_and_remove() -> None:
    r = Router()
    calls: list[str] = []
    first = r.on(ev.TextMessage)(lambda s, e, c: calls.append("first"))
    r.on(ev.TextMessage, replace=True)(lambda s, e, c: calls.append("second"))
    r.dispatch(None, _event(), HandlerContext(now=NOW))  # type: ignore[arg-type]
    assert calls == ["second"]
    r.on(ev.ImageMessage)(first)
    r.remove(first)
    assert r.handlers_for(ev.ImageMessage) == []
    with pytest.raises(ValueError, match="at least one"):
        r.on()


def test_the_shared_router_records_first() -> None:
    assert router.handlers_for(ev.TextMessage)[0] is record_event
    copy = router.copy()
    copy.on(ev.TextMessage)(lambda s, e, c: None)
    assert len(router.handlers_for(ev.TextMessage)) < len(copy.handlers_for(ev.TextMessage))


# --- recording ---------------------------------------------------------------------------


def _ctx() -> HandlerContext:
    return HandlerContext(now=NOW)


def _citizen(db: Session) -> Citizen | None:
    return db.scalar(select(Citizen).where(Citizen.zalo_user_id == USER))


def test_every_user_event_counts_as_an_interaction_receipts_and_echoes_do_not(
    db_session: Session,
) -> None:
    record_event(db_session, _event(ev.MessageSeen, event_name="user_seen_message"), _ctx())
    record_event(db_session, _event(ev.OaEcho, event_name="oa_send_text", msg_id="e"), _ctx())
    assert _citizen(db_session) is None
    early = NOW - timedelta(hours=5)
    record_event(db_session, _event(ev.Reaction, event_name="r", timestamp=early), _ctx())
    citizen = _citizen(db_session)
    assert citizen is not None and citizen.last_interaction_at == early
    record_event(db_session, _event(ev.SubmitInfo, event_name="s", timestamp=NOW), _ctx())
    assert citizen.last_interaction_at == NOW
    record_event(db_session, _event(ev.ClickChatNow, timestamp=early, event_name="c"), _ctx())
    assert citizen.last_interaction_at == NOW  # an older event never moves it back
    future = NOW + timedelta(days=1)
    record_event(db_session, _event(ev.Follow, event_name="follow", timestamp=future), _ctx())
    assert citizen.last_interaction_at == NOW  # clamped to the clock


def test_unfollow_and_follow_again(db_session: Session) -> None:
    record_event(db_session, _event(ev.Follow, event_name="follow"), _ctx())
    citizen = _citizen(db_session)
    assert citizen is not None and citizen.following
    record_event(db_session, _event(ev.Unfollow, event_name="unfollow"), _ctx())
    assert not citizen.following
    citizen.unreachable_at = NOW
    record_event(db_session, _event(ev.Follow, event_name="follow"), _ctx())
    assert citizen.following and citizen.unreachable_at is None


def test_messages_are_recorded_once_per_zalo_id(db_session: Session) -> None:
    event = _event(text="Cống bị tắc", msg_id="z1", inbound_event_id=None)
    record_event(db_session, event, _ctx())
    record_event(db_session, event, _ctx())
    [row] = db_session.scalars(select(PetitionMessage)).all()
    assert (row.direction, row.kind, row.text, row.zalo_msg_id) == (
        "in",
        "text",
        "Cống bị tắc",
        "z1",
    )


def test_staff_echo_is_recorded_and_bot_echo_ignored(
    client: FlaskClient, settings: Settings, db_session: Session
) -> None:
    for name in ("oa_send_text", "oa_send_text_admin", "oa_send_image_admin"):
        assert post_signed(client, settings, raw_fixture(name)).status_code == 200
    rows = db_session.scalars(select(PetitionMessage).order_by(PetitionMessage.id)).all()
    assert [(r.direction, r.kind) for r in rows] == [
        ("staff_zalo", "text"),
        ("staff_zalo", "image"),
    ]
    assert rows[0].text == "Cán bộ MTTQ trả lời trực tiếp"
    citizen = _citizen(db_session)
    assert citizen is not None and citizen.last_interaction_at is None


def test_anonymous_and_unknown_events_are_kept_not_linked(
    client: FlaskClient, settings: Settings, db_session: Session
) -> None:
    for name in ("anonymous_send_text", "user_feedback", "add_user_to_tag"):
        assert post_signed(client, settings, raw_fixture(name)).status_code == 200
    states = db_session.scalars(select(InboundEvent.state)).all()
    assert states == ["processed"] * 3
    assert db_session.scalar(select(func.count(PetitionMessage.id))) == 0
    assert db_session.scalar(select(func.count(Citizen.id))) == 0


def test_locations_links_and_cards_keep_their_data(
    client: FlaskClient, settings: Settings, db_session: Session
) -> None:
    for name in (
        "user_send_location_alt",
        "user_send_link",
        "user_send_business_card",
        "user_submit_info",
        "user_send_sticker",
    ):
        assert post_signed(client, settings, raw_fixture(name)).status_code == 200
    rows = {r.kind: r for r in db_session.scalars(select(PetitionMessage))}
    assert rows["location"].data["location"] == {"lat": 15.5801, "lng": 108.4812}
    assert rows["link"].data["link"]["title"] == "Ngập úng"
    assert rows["business_card"].data["card"]["phone"] == "84905123456"
    assert rows["submit_info"].data["info"]["phone"] == "84905111222"
    assert rows["sticker"].data["media"][0].startswith("https://zalo-api.zadn.vn")
    assert db_session.scalar(select(func.count(Attachment.id))) == 0  # stickers are decoration


# --- receipts ----------------------------------------------------------------------------


def _sent_message(db: Session, msg_id: str) -> PetitionMessage:
    record_event(db, _event(ev.Follow, event_name="follow"), _ctx())
    citizen = _citizen(db)
    assert citizen is not None
    row = PetitionMessage(citizen_id=citizen.id, direction="out", zalo_msg_id=msg_id, data={})
    db.add(row)
    db.flush()
    return row


def test_out_of_order_receipts(
    client: FlaskClient, settings: Settings, db_session: Session
) -> None:
    row = _sent_message(db_session, "out-1")
    db_session.commit()
    t_received, t_seen = now_ms(-60), now_ms(-30)
    seen = raw_fixture("user_seen_message", ts=t_seen, msg="out-1")
    received = raw_fixture("user_received_message", ts=t_received, msg="out-1")
    unknown = raw_fixture("user_received_message", ts=t_received, msg="never-sent")
    for raw in (seen, received, unknown, seen):
        assert post_signed(client, settings, raw).status_code == 200
    db_session.refresh(row)
    stamp = lambda ms: datetime.fromtimestamp(int(ms) / 1000, UTC).isoformat()  # noqa: E731
    assert row.data["seen_at"] == stamp(t_seen)
    assert row.data["received_at"] == stamp(t_received)  # the earlier time wins
    states = db_session.scalars(select(InboundEvent.state)).all()
    assert states == ["processed"] * 3  # the repeated seen receipt was stored once


# --- failures ----------------------------------------------------------------------------


def test_a_failing_handler_is_retried_with_back_off_then_parked(
    zalo: ZaloServices, client: FlaskClient, settings: Settings, db_session: Session
) -> None:
    broken = router.copy()
    attempts: list[int] = []

    @broken.on(ev.TextMessage)
    def explode(session: Session, event: ev.Event, ctx: HandlerContext) -> None:
        attempts.append(1)
        raise RuntimeError("bug in a handler")

    zalo.processor.router = broken
    zalo.processor.max_attempts = 3
    assert post_signed(client, settings, text_event("x", msg_id="boom")).status_code == 200
    row = db_session.scalar(select(InboundEvent))
    assert row is not None and row.state == "failed" and row.attempts == 1
    assert row.next_attempt_at is not None
    assert db_session.scalar(select(func.count(Citizen.id))) == 0  # rolled back with it
    first_wait = row.next_attempt_at - row.received_at
    assert timedelta(seconds=14) < first_wait < timedelta(seconds=31)
    assert zalo.processor.process_due(now=row.received_at)["processed"] == 0  # not yet due
    later = row.received_at + timedelta(hours=3)
    assert zalo.processor.process_due(now=later) == {"failed": 1}
    assert zalo.processor.process_due(now=later + timedelta(hours=3)) == {"parked": 1}
    db_session.refresh(row)
    assert (row.state, row.attempts, len(attempts)) == ("parked", 3, 3)
    assert "RuntimeError" in (row.last_error or "")
    assert zalo.processor.process_due(now=later + timedelta(days=1)) == {}
    zalo.processor.router = router  # fixed: staff requeue it
    from bot.zalo.processing import parked, requeue

    assert [p.id for p in parked(db_session)] == [row.id]
    assert requeue(db_session, row.id, now=later)
    db_session.commit()
    assert zalo.processor.process_due(now=later + timedelta(days=1)) == {"processed": 1}


def test_a_crash_before_processing_loses_nothing(
    zalo: ZaloServices, settings: Settings, db_session: Session
) -> None:
    # A delivery committed by a process that died before processing it.
    db_session.add(
        InboundEvent(
            dedup_key="k-crash",
            event_name="user_send_text",
            raw_body=text_event("còn đó", msg_id="crash-1"),
            state="pending",
            attempts=0,
            deliveries=1,
            received_at=datetime.now(UTC),
        )
    )
    db_session.commit()
    assert zalo.processor.process_due() == {"processed": 1}
    assert zalo.processor.process_due() == {}
    assert db_session.scalar(select(PetitionMessage.text)) == "còn đó"


# --- held messages go when the citizen writes ---------------------------------------------


def test_writing_again_releases_held_messages(
    client: FlaskClient, settings: Settings, db_session: Session
) -> None:
    record_event(db_session, _event(ev.Follow, event_name="follow"), _ctx())
    citizen = _citizen(db_session)
    assert citizen is not None
    row = outbox.queue_zalo(db_session, citizen=citizen, text="Hồ sơ TK-1 đã được chuyển")
    db_session.flush()
    outbox.hold(db_session, row.id)
    db_session.commit()
    assert post_signed(client, settings, raw_fixture("oa_send_text")).status_code == 200
    db_session.refresh(row)
    assert row.state == "held"  # an echo is no interaction
    assert post_signed(client, settings, text_event("Chào", msg_id="back")).status_code == 200
    db_session.refresh(row)
    assert row.state == "pending" and row.last_error is None  # no token here: it waits


# --- attachments -------------------------------------------------------------------------

JPEG = b"\xff\xd8\xff\xe0" + b"fake jpeg body" * 100


def _image_event(url: str, msg_id: str) -> bytes:
    payload = json.loads(raw_fixture("user_send_image"))
    payload["message"]["msg_id"] = msg_id
    payload["message"]["attachments"][0]["payload"]["url"] = url
    return json.dumps(payload, ensure_ascii=False).encode()


def _media(standin: StandIn, name: str, content: bytes, ctype: str) -> str:
    return str(
        control(
            standin,
            "media",
            name=name,
            content_type=ctype,
            content_b64=base64.b64encode(content).decode(),
        )["url"]
    )


def test_evidence_is_downloaded_by_content_hash(
    client: FlaskClient, settings: Settings, db_session: Session, standin: StandIn
) -> None:
    url = _media(standin, "a.jpg", JPEG, "image/jpeg")
    url2 = _media(standin, "b.jpg", JPEG, "image/jpeg")  # same bytes, another link
    assert post_signed(client, settings, _image_event(url, "img-1")).status_code == 200
    assert post_signed(client, settings, _image_event(url2, "img-2")).status_code == 200
    rows = db_session.scalars(select(Attachment).order_by(Attachment.id)).all()
    assert len(rows) == 2 and rows[0].sha256 == rows[1].sha256
    assert rows[0].storage_path == rows[1].storage_path and rows[0].download_error is None
    path = Path(settings.attachment_dir) / str(rows[0].storage_path)
    assert path.read_bytes() == JPEG and path.suffix == ".jpg"
    assert rows[0].message is not None and rows[0].message.zalo_msg_id == "img-1"
    assert len(list(Path(settings.attachment_dir).rglob("*.jpg"))) == 1


@pytest.mark.parametrize(
    ("content", "ctype", "error"),
    [
        (b"MZ\x90\x00 an executable", "application/x-msdownload", "type not allowed"),
        (b"x" * 3000, "image/png", "too large"),
    ],
)
def test_download_limits(
    content: bytes,
    ctype: str,
    error: str,
    zalo: ZaloServices,
    client: FlaskClient,
    settings: Settings,
    db_session: Session,
    standin: StandIn,
) -> None:
    zalo.downloader.max_bytes = 2000
    url = _media(standin, "f.bin", content, ctype)
    assert post_signed(client, settings, _image_event(url, "lim")).status_code == 200
    row = db_session.scalar(select(Attachment))
    assert row is not None and row.storage_path is None
    assert (row.download_error or "").startswith(error)
    assert db_session.scalar(select(InboundEvent.state)) == "processed"  # the text is kept


def test_links_off_zalo_hosts_are_never_fetched(
    client: FlaskClient, settings: Settings, db_session: Session
) -> None:
    payload = _image_event("http://169.254.169.254/latest/meta-data", "ssrf")
    assert post_signed(client, settings, payload).status_code == 200
    row = db_session.scalar(select(Attachment))
    assert row is not None and (row.download_error or "").startswith("host not allowed")


def test_failed_downloads_are_retried_while_the_link_lives(
    zalo: ZaloServices,
    client: FlaskClient,
    settings: Settings,
    db_session: Session,
    standin: StandIn,
) -> None:
    url = f"{standin.base_url}/_standin/media/late.jpg"
    control(standin, "fail", path="/_standin/media/", mode="http", status=503, times=1)
    assert post_signed(client, settings, _image_event(url, "late")).status_code == 200
    row = db_session.scalar(select(Attachment))
    assert row is not None and row.download_error == "http 503"
    _media(standin, "late.jpg", JPEG, "image/jpeg")
    assert zalo.processor.fetch_downloads() == 1
    db_session.refresh(row)
    assert row.storage_path and row.download_error is None
    expired = _image_event(f"{standin.base_url}/_standin/media/gone.jpg", "gone")
    assert post_signed(client, settings, expired).status_code == 200
    assert zalo.processor.fetch_downloads() == 0  # 404: the link is dead, nothing to retry
    assert db_session.scalar(select(func.count(OutboxMessage.id))) == 0
