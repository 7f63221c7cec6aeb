"""The webhook: verify the raw bytes, store once before the 200, refuse everything else."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from bot import create_app
from bot.database import get_db
from bot.runtime import runtime_of
from bot.zalo import signature
from config import Settings
from storage.models import Citizen, InboundEvent, PetitionMessage
from tests.conftest import make_settings
from tests.zalo.helpers import (
    USER,
    fixture_names,
    now_ms,
    post,
    post_signed,
    raw_fixture,
    sign,
    text_event,
)


def stored(db: Session) -> list[InboundEvent]:
    return list(db.scalars(select(InboundEvent).order_by(InboundEvent.id)))


@pytest.mark.parametrize("name", fixture_names())
def test_every_signed_shape_is_stored_and_processed(
    name: str, client: FlaskClient, settings: Settings, db_session: Session
) -> None:
    raw = raw_fixture(name)
    resp = post_signed(client, settings, raw)
    assert resp.status_code == 200, resp.json
    [row] = stored(db_session)
    assert row.raw_body == raw
    assert row.signature_variant == "app_body_ts_oakey"
    assert row.state == "processed", row.last_error
    assert row.event_name == json.loads(raw)["event_name"]


@pytest.fixture
def all_variants_app(
    database_url: str, tmp_path: Path, session_factory: sessionmaker[Session], standin: object
) -> Flask:
    settings = make_settings(
        database_url,
        tmp_path,
        zalo_oa_id="388613280878808645",
        zalo_inline_mode="off",
        webhook_signature_variants=(
            "app_body_ts_oakey",
            "app_body_ts_appsecret",
            "oaid_body_ts_oakey",
            "app_id+timestamp+body+oa_secret_key",
        ),
    )
    app = create_app(settings)
    runtime_of(app).use_sessions(session_factory)
    return app


@pytest.mark.parametrize(
    "variant",
    [
        "app_body_ts_oakey",
        "app_body_ts_appsecret",
        "oaid_body_ts_oakey",
        "app_id+timestamp+body+oa_secret_key",
    ],
)
def test_each_configured_variant_is_accepted_and_recorded(
    variant: str, all_variants_app: Flask, settings: Settings, db_session: Session
) -> None:
    raw = text_event("xin chào", msg_id=f"v-{variant}")
    resp = post(all_variants_app.test_client(), raw, header=sign(raw, settings, variant))
    get_db(all_variants_app).engine.dispose()
    assert resp.status_code == 200
    assert stored(db_session)[0].signature_variant == variant


def test_a_variant_not_configured_is_refused(
    client: FlaskClient, settings: Settings, db_session: Session
) -> None:
    raw = text_event("xin chào", msg_id="v-off")
    assert post(client, raw, header=sign(raw, settings, "oaid_body_ts_oakey")).status_code == 401
    assert stored(db_session) == []


def test_header_forms(client: FlaskClient, settings: Settings, db_session: Session) -> None:
    raw = text_event("a", msg_id="h1")
    digest = sign(raw, settings).removeprefix("mac=")
    assert post(client, raw, header=f"MAC={digest.upper()}").status_code == 200
    raw2 = text_event("b", msg_id="h2")
    assert post(client, raw2, header=sign(raw2, settings).removeprefix("mac=")).status_code == 200
    assert len(stored(db_session)) == 2


def _forged(settings: Settings, raw: bytes) -> str:
    other = signature.Secrets(settings.zalo_app_id, "not-the-key", "x", "")
    return signature.sign(raw, secrets=other, timestamp=json.loads(raw)["timestamp"])


@pytest.mark.parametrize(
    "case", ["forged", "unsigned", "empty", "tampered", "garbage", "wrong_app", "other_ts"]
)
def test_unverifiable_deliveries_get_401_and_nothing_is_stored(
    case: str, client: FlaskClient, settings: Settings, db_session: Session
) -> None:
    raw = text_event("Tôi muốn phản ánh", msg_id="f1")
    header: str | None = sign(raw, settings)
    if case == "forged":
        header = _forged(settings, raw)
    elif case == "unsigned":
        header = None
    elif case == "empty":
        header = "mac="
    elif case == "tampered":
        raw = raw.replace("phản ánh".encode(), "tố cáo".encode())
    elif case == "garbage":
        header = "mac=zz" + "0" * 62
    elif case == "wrong_app":
        raw = raw.replace(b"1000000000000000001", b"1000000000000000002")
        header = sign(raw, settings)
    elif case == "other_ts":
        raw = raw.replace(b'"timestamp":"', b'"timestamp":"1')
    resp = post(client, raw, header=header)
    assert resp.status_code == 401
    assert resp.json is not None and resp.json["status"] == "error"
    assert stored(db_session) == []
    assert db_session.scalar(select(func.count(Citizen.id))) == 0


@pytest.mark.parametrize("hours", [-25, 25])
def test_stale_or_future_timestamps_are_refused_as_replays(
    hours: int, client: FlaskClient, settings: Settings, db_session: Session
) -> None:
    raw = text_event("cũ", msg_id="old-1", ts=now_ms(hours * 3600))
    resp = post_signed(client, settings, raw)
    assert resp.status_code == 401 and resp.json is not None
    assert resp.json["error"] == "replay"
    assert stored(db_session) == []


def test_a_late_repeat_of_a_stored_event_is_acknowledged(
    client: FlaskClient, settings: Settings, db_session: Session
) -> None:
    raw = text_event("lần đầu", msg_id="late-1")
    assert post_signed(client, settings, raw).status_code == 200
    later = json.loads(raw)
    later["timestamp"] = now_ms(-30 * 3600)  # Zalo's last retry, a day later
    body = json.dumps(later, ensure_ascii=False).encode()
    assert post_signed(client, settings, body).status_code == 200
    [row] = stored(db_session)
    assert row.deliveries == 2


def test_repeat_deliveries_are_stored_and_processed_once(
    client: FlaskClient, settings: Settings, db_session: Session
) -> None:
    raw = text_event("Đèn đường hỏng", msg_id="rep-1")
    for _ in range(3):
        assert (
            post_signed(
                client,
                settings,
                raw,
            ).status_code
            == 200
        )
    [row] = stored(db_session)
    assert (row.deliveries, row.state, row.attempts) == (3, "processed", 1)
    assert db_session.scalar(select(func.count(PetitionMessage.id))) == 1


def test_oversized_bodies_get_413(
    client: FlaskClient, settings: Settings, db_session: Session
) -> None:
    big = text_event("x" * settings.webhook_max_bytes, msg_id="big")
    resp = post_signed(client, settings, big)
    assert resp.status_code == 413
    assert stored(db_session) == []


def test_a_body_at_the_limit_is_accepted(
    client: FlaskClient, settings: Settings, db_session: Session
) -> None:
    base = text_event("", msg_id="edge")
    raw = text_event("y" * (settings.webhook_max_bytes - len(base)), msg_id="edge")
    assert len(raw) == settings.webhook_max_bytes
    assert post_signed(client, settings, raw).status_code == 200


def _signed_raw(settings: Settings, raw: bytes, ts: str) -> str:
    return signature.sign(raw, secrets=_secrets(settings), timestamp=ts)


def _secrets(settings: Settings) -> signature.Secrets:
    return signature.Secrets(
        settings.zalo_app_id, settings.zalo_oa_secret_key, settings.zalo_app_secret, ""
    )


def test_truncated_body_is_refused(
    client: FlaskClient, settings: Settings, db_session: Session
) -> None:
    raw = text_event("bị cắt giữa chừng", msg_id="t1")
    resp = post(client, raw[: len(raw) // 2], header=sign(raw, settings))
    assert resp.status_code == 400
    assert stored(db_session) == []


def _envelope(ts: str, msg_id: str, text: bytes, extra: bytes = b"{}") -> bytes:
    """A user_send_text body assembled from bytes (to put broken ones inside)."""
    head = json.dumps(
        {
            "app_id": "1000000000000000001",
            "event_name": "user_send_text",
            "timestamp": ts,
            "sender": {"id": "246845883529197922"},
            "recipient": {"id": "388613280878808645"},
        }
    ).encode()[:-1]
    return (
        head
        + b', "message": {"msg_id": "'
        + msg_id.encode()
        + b'", "text": "'
        + text
        + (b'"}, "extra": ' + extra + b"}")
    )


def test_non_utf8_body_is_refused(
    client: FlaskClient, settings: Settings, db_session: Session
) -> None:
    ts = now_ms()
    raw = _envelope(ts, "n1", "Phản ánh".encode("utf-16-le") + b"\xff\xfe")
    resp = post(client, raw, header=_signed_raw(settings, raw, ts))
    assert resp.status_code == 400
    assert stored(db_session) == []


def test_deep_nesting_is_refused_but_moderate_nesting_is_kept(
    client: FlaskClient, settings: Settings, db_session: Session
) -> None:
    ts = now_ms()
    raw = _envelope(ts, "deep", "lồng nhau".encode(), b"[" * 50_000 + b"]" * 50_000)
    assert post(client, raw, header=_signed_raw(settings, raw, ts)).status_code == 400
    raw = _envelope(ts, "moderate", "lồng nhau".encode(), b"[" * 200 + b"]" * 200)
    assert post(client, raw, header=_signed_raw(settings, raw, ts)).status_code == 200
    [row] = stored(db_session)
    assert row.state == "processed" and row.raw_body == raw


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"timestamp": 1699003881354}, 200),  # a number: accepted as digits
        ({"timestamp": {"ms": "1"}}, 400),
        ({"timestamp": "yesterday"}, 400),
        ({"event_name": ["user_send_text"]}, 400),
        ({"event_name": ""}, 400),
    ],
)
def test_wrong_typed_envelope_fields(
    change: dict, status: int, client: FlaskClient, settings: Settings, db_session: Session
) -> None:
    payload = json.loads(text_event("x", msg_id="w1"))
    payload.update(change)
    if change.get("timestamp") == 1699003881354:
        payload["timestamp"] = int(now_ms())
    raw = json.dumps(payload).encode()
    header = signature.sign(
        raw,
        secrets=_secrets(settings),
        timestamp=str(payload["timestamp"]) if isinstance(payload["timestamp"], int | str) else "",
    )
    assert post(client, raw, header=header).status_code == status
    assert len(stored(db_session)) == (1 if status == 200 else 0)


def test_wrong_typed_content_is_stored_then_parked(
    client: FlaskClient, settings: Settings, db_session: Session
) -> None:
    payload = json.loads(text_event("x", msg_id="w2"))
    payload["sender"] = "246845883529197922"  # not an object
    raw = json.dumps(payload).encode()
    assert post_signed(client, settings, raw).status_code == 200
    [row] = stored(db_session)
    assert row.state == "parked" and "unparseable" in (row.last_error or "")


def test_emoji_laden_text_is_verified_over_raw_bytes_and_kept(
    client: FlaskClient, settings: Settings, db_session: Session
) -> None:
    text = "👨‍👩‍👧‍👦🏳️‍🌈 Khu phố 3 🚧🚧 nước ngập 🌊 tới gối! e\u0301 " + "😀" * 300
    raw = text_event(text, msg_id="emoji-1")
    assert post_signed(client, settings, raw).status_code == 200
    message = db_session.scalar(select(PetitionMessage))
    assert message is not None and message.text == text
    pretty = json.dumps(json.loads(raw), ensure_ascii=True, indent=4).encode()
    assert post_signed(client, settings, pretty).status_code == 200  # \u escapes: same event
    assert stored(db_session)[0].deliveries == 2


def test_malformed_json_with_a_signature_is_400(client: FlaskClient, db_session: Session) -> None:
    assert post(client, b"{not json", header="mac=" + "0" * 64).status_code == 400
    assert post(client, b"[]", header="mac=" + "0" * 64).status_code == 400
    assert stored(db_session) == []


def test_console_check_without_a_user_gets_200_and_is_not_stored(
    client: FlaskClient, db_session: Session
) -> None:
    probe = json.dumps(
        {"app_id": "1000000000000000001", "event_name": "webhook_check", "timestamp": now_ms()}
    ).encode()
    resp = post(client, probe, header="mac=" + "1" * 64)
    assert resp.status_code == 200
    assert post(client, b"{}", header=None).status_code == 200
    assert stored(db_session) == []


def test_console_check_can_be_switched_off(
    database_url: str, tmp_path: Path, session_factory: sessionmaker[Session], db_session: Session
) -> None:
    app = create_app(make_settings(database_url, tmp_path, webhook_allow_console_check=False))
    runtime_of(app).use_sessions(session_factory)
    resp = post(app.test_client(), b"{}", header="mac=" + "1" * 64)
    get_db(app).engine.dispose()
    assert resp.status_code == 401
    assert stored(db_session) == []


def test_console_window_lets_anything_through_unstored_until_it_closes(
    database_url: str, tmp_path: Path, session_factory: sessionmaker[Session], db_session: Session
) -> None:
    until = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    app = create_app(make_settings(database_url, tmp_path, webhook_console_check_until=until))
    runtime_of(app).use_sessions(session_factory)
    raw = text_event("sample", msg_id="console")
    ok = post(app.test_client(), raw, header="mac=" + "2" * 64).status_code
    get_db(app).engine.dispose()
    closed = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    app2 = create_app(make_settings(database_url, tmp_path, webhook_console_check_until=closed))
    runtime_of(app2).use_sessions(session_factory)
    refused = post(app2.test_client(), raw, header="mac=" + "2" * 64).status_code
    get_db(app2).engine.dispose()
    assert (ok, refused) == (200, 401)
    assert stored(db_session) == []


def test_a_user_event_with_a_bad_signature_never_passes_as_the_console_check(
    client: FlaskClient, db_session: Session
) -> None:
    follow = raw_fixture("follow")
    assert post(client, follow, header="mac=" + "3" * 64).status_code == 401
    assert stored(db_session) == []


def test_domain_verification_file(database_url: str, tmp_path: Path, client: FlaskClient) -> None:
    assert client.get("/zalo_verifierABC123.html").status_code == 404  # none configured
    app = create_app(make_settings(database_url, tmp_path, zalo_verifier_code="ABC123"))
    c = app.test_client()
    good, bad = c.get("/zalo_verifierABC123.html"), c.get("/zalo_verifierXYZ.html")
    get_db(app).engine.dispose()
    assert good.status_code == 200 and good.mimetype == "text/html"
    assert '<meta property="zalo-platform-site-verification" content="ABC123" />' in good.text
    assert bad.status_code == 404


def test_only_post_is_allowed(client: FlaskClient) -> None:
    assert client.get("/webhooks/zalo").status_code == 405


def test_the_driver_fast_path_stores_what_the_orm_reads_back(
    fresh_engine: Engine, fresh_sessions: sessionmaker[Session]
) -> None:
    from bot.zalo.store import Delivery, store

    at = datetime.now(UTC).replace(microsecond=456789)  # microseconds survive the round trip
    raw = text_event("Đường ngập 🌊", msg_id="fast-1")
    delivery = Delivery("k-fast", "user_send_text", USER, raw, "app_body_ts_oakey", at, at)
    first = store(fresh_engine, delivery, stale=False)
    assert first is not None and first > 0
    assert store(fresh_engine, delivery, stale=False) == -first  # a repeat
    assert store(fresh_engine, delivery, stale=True) == -first  # a late repeat
    stale_new = Delivery("k-other", "user_send_text", USER, raw, "v", at, at)
    assert store(fresh_engine, stale_new, stale=True) is None
    with fresh_sessions() as session:
        row = session.get(InboundEvent, first)
        assert row is not None
        assert (row.raw_body, row.event_time, row.received_at) == (raw, at, at)
        assert row.subject == USER
        assert (row.state, row.attempts, row.deliveries) == ("pending", 0, 3)
