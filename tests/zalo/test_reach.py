"""Status messages beyond the 7-day window: template by user id, transaction, ZNS, waiting.

Real parts: the stand-in over HTTP plays the consultation, template, transaction and ZNS
endpoints with their refusals; the sender drains the real outbox on both databases.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.zalo.services import ZaloServices
from bot.zalo.standin import StandIn
from config import Settings
from handlers import outbox
from handlers.outbox import consent, notices
from storage.models import (
    Citizen,
    OutboxMessage,
    PetitionMessage,
    StaffNotification,
    ZaloQuotaUsage,
)
from tests.conftest import make_settings
from tests.support import zalo_layer
from tests.zalo.conftest import control
from tests.zalo.helpers import OA

VN = ZoneInfo("Asia/Ho_Chi_Minh")
IDS = ("status=T-STATUS", "result=T-RESULT", "satisfaction=T-SAT")
PARAMS = {
    "T-STATUS": ["ma_ho_so", "trang_thai", "ngay_cap_nhat", "noi_dung"],
    "T-RESULT": ["ma_ho_so", "co_quan", "ngay_ket_qua", "tom_tat"],
    "T-SAT": ["ma_ho_so", "ngay_ket_qua"],
}


@pytest.fixture
def settings(database_url: str, tmp_path: Path, standin: StandIn) -> Settings:
    """The stand-in for both hosts, three approved templates, no quiet hours."""
    return make_settings(
        database_url,
        tmp_path,
        zalo_api_base=standin.base_url,
        zalo_oauth_base=standin.base_url,
        zns_api_base=standin.base_url,
        zalo_oa_id=OA,
        zalo_inline_mode="sync",
        zalo_template_ids=IDS,
        zalo_template_monthly_quota=3,
        zns_daily_quota=2,
        zalo_quota_warn_percent=60,
        zalo_template_quiet_hours="",
    )


@pytest.fixture(autouse=True)
def templates(standin: StandIn, tokens: tuple[str, str]) -> None:
    for template_id, params in PARAMS.items():
        control(standin, "templates", id=template_id, params=params)


#: The test clock, a little after every row is queued (rows are due from their queue time).
NOW = datetime.now(UTC) + timedelta(minutes=10)


def person(
    db: Session,
    standin: StandIn,
    user: str,
    *,
    days_ago: float,
    following: bool = True,
    phone: str | None = None,
) -> Citizen:
    """A citizen whose last interaction was `days_ago`, as both sides see it."""
    last = NOW - timedelta(days=days_ago)
    citizen = Citizen(zalo_user_id=user, consent_at=last, last_interaction_at=last)
    citizen.following = following
    db.add(citizen)
    db.flush()
    control(standin, "interaction", user_id=user, seconds_ago=days_ago * 86400)
    control(standin, "interaction", user_id=user, following=following)
    if phone:
        assert consent.grant(citizen, phone, last)
        control(standin, "phones", phone=citizen.zns_phone, user_id=user)
    db.commit()
    return citizen


def notice_row(db: Session, citizen: Citizen, key: str = "notify.forwarded") -> OutboxMessage:
    params = {"agency": "UBND phường Tam Kỳ", "due_date": "20/01/2027", "result": "Đã sửa"}
    notice = notices.notice_for(key, "TK-2612-000001", NOW.date(), params, agency="UBND")
    row = outbox.queue_zalo(db, citizen=citizen, text="Hồ sơ TK-2612-000001 …", notice=notice)
    db.commit()
    return row


def drain(zalo: ZaloServices, db: Session) -> OutboxMessage:
    zalo.sender.drain(now=NOW)
    db.expire_all()
    return db.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()  # type: ignore[return-value]


def sent(standin: StandIn, kind: str) -> list[dict]:
    return [m for m in standin.state.sent_to(None) if m["kind"] == kind]


def test_inside_the_window_the_consultation_message_goes(
    zalo: ZaloServices, db_session: Session, standin: StandIn
) -> None:
    row = notice_row(db_session, person(db_session, standin, "u-in", days_ago=1))
    row = drain(zalo, db_session)
    assert (row.state, row.delivered_via) == ("sent", "cs")
    assert [m["kind"] for m in standin.state.sent_to("u-in")] == ["text"]


def test_a_follower_beyond_the_window_gets_the_approved_template_once(
    zalo: ZaloServices, db_session: Session, standin: StandIn
) -> None:
    citizen = person(db_session, standin, "u-f", days_ago=20)
    notice_row(db_session, citizen)
    row = drain(zalo, db_session)
    assert (row.state, row.delivered_via) == ("sent", "template")
    [message] = sent(standin, "template")
    assert message["template_id"] == "T-STATUS" and message["shape"] == "recipient"
    assert message["template_data"]["ma_ho_so"] == "TK-2612-000001"
    assert "Đã chuyển UBND phường Tam Kỳ" in message["template_data"]["noi_dung"]
    assert sent(standin, "text") == []  # no consultation call was spent on a closed window
    thread = db_session.scalars(select(PetitionMessage)).all()
    assert [t.kind for t in thread] == ["template"] and "TK-2612-000001" in thread[0].text
    zalo.sender.drain(now=NOW)
    assert len(sent(standin, "template")) == 1


def test_a_non_follower_with_a_consented_phone_gets_zns(
    zalo: ZaloServices, db_session: Session, standin: StandIn
) -> None:
    citizen = person(db_session, standin, "u-p", days_ago=20, following=False, phone="0905123456")
    notice_row(db_session, citizen)
    row = drain(zalo, db_session)
    assert (row.state, row.delivered_via) == ("sent", "zns")
    [message] = sent(standin, "zns")
    assert message["phone"] == "84905123456" and message["tracking_id"] == f"pakn-{row.id}"


def test_neither_waits_with_every_reason_then_leaves_when_the_citizen_writes(
    zalo: ZaloServices, db_session: Session, standin: StandIn
) -> None:
    # Zalo's documents do not say a consultation reply needs a follower; play that reading.
    control(standin, "config", cs_requires_follow=False)
    citizen = person(db_session, standin, "u-n", days_ago=20, following=False)
    notice_row(db_session, citizen)
    row = drain(zalo, db_session)
    assert row.state == "held"
    assert row.wait_reason == "window,not_follower,no_phone"
    assert "người dân không quan tâm OA" in outbox.reach.reason_text(row.wait_reason)
    citizen = db_session.get(Citizen, citizen.id)
    assert citizen is not None
    citizen.last_interaction_at = NOW
    outbox.release_held_for_citizen(db_session, citizen.id, now=NOW)
    db_session.commit()
    control(standin, "interaction", user_id="u-n")
    row = drain(zalo, db_session)
    assert (row.state, row.delivered_via, row.wait_reason) == ("sent", "cs", None)


def test_a_template_approved_for_neither_kind_waits_an_hour_and_alerts_administrators(
    zalo: ZaloServices, db_session: Session, standin: StandIn
) -> None:
    """The same id serves UID and ZNS (no ZNS ids configured): both are refused."""
    control(standin, "templates", id="T-STATUS", status="PENDING_REVIEW", params=[])
    citizen = person(db_session, standin, "u-t", days_ago=9, phone="0912345678")
    notice_row(db_session, citizen)
    row = drain(zalo, db_session)
    assert row.delivered_via is None and row.state == "pending"  # looked at again in an hour
    assert row.next_attempt_at == NOW + timedelta(hours=1)
    assert row.wait_reason == "window,template_not_approved"
    tried = [c[0] for c in standin.state.calls]
    assert "/v3.0/oa/message/template" in tried and "/message/template" in tried
    kinds = db_session.scalars(select(StaffNotification.kind)).all()
    assert kinds == ["zalo_template"]


def test_a_template_not_approved_falls_to_zns_and_alerts_administrators(
    db_session: Session,
    standin: StandIn,
    session_factory: sessionmaker[Session],
    database_url: str,
    tmp_path: Path,
) -> None:
    """The UID template awaits approval; the phone-only ZNS template of the slot carries it."""
    control(standin, "templates", id="T-STATUS", status="PENDING_REVIEW", params=[])
    control(standin, "templates", id="Z-STATUS", params=PARAMS["T-STATUS"], uid=False)
    settings = make_settings(
        database_url,
        tmp_path,
        zalo_api_base=standin.base_url,
        zalo_oauth_base=standin.base_url,
        zns_api_base=standin.base_url,
        zalo_oa_id=OA,
        zalo_template_ids=IDS,
        zns_template_ids=("status=Z-STATUS",),
        zalo_template_quiet_hours="",
    )
    zalo = zalo_layer(settings, session_factory)
    citizen = person(db_session, standin, "u-z", days_ago=9, phone="0912345678")
    notice_row(db_session, citizen)
    row = drain(zalo, db_session)
    assert (row.state, row.delivered_via, row.wait_reason) == ("sent", "zns", None)
    assert sent(standin, "template") == []
    [message] = sent(standin, "zns")
    assert message["template_id"] == "Z-STATUS" and message["phone"] == "84912345678"
    assert message["template_data"]["ma_ho_so"] == "TK-2612-000001"
    assert db_session.scalars(select(StaffNotification.kind)).all() == ["zalo_template"]


def test_a_phone_not_on_zalo_is_remembered_and_not_tried_again(
    zalo: ZaloServices, db_session: Session, standin: StandIn
) -> None:
    citizen = person(db_session, standin, "u-x", days_ago=9, following=False, phone="0987654321")
    control(standin, "phones", phone="84987654321", on_zalo=False)
    notice_row(db_session, citizen)
    row = drain(zalo, db_session)
    assert row.state == "held" and row.wait_reason == "window,not_follower,phone_unreachable"
    db_session.expire_all()
    assert db_session.get(Citizen, citizen.id).zns_unreachable_at is not None  # type: ignore[union-attr]
    calls = len(standin.state.calls)
    outbox.dead_letter(db_session, row.id, now=NOW, reason="staff gave up")  # unblocks the next
    db_session.commit()
    notice_row(db_session, citizen, "notify.overdue")
    row = drain(zalo, db_session)
    assert row.wait_reason == "window,not_follower,no_phone"
    assert not [c for c in standin.state.calls[calls:] if c[0] == "/message/template"]


def test_quota_is_counted_warned_once_and_exhausted_sends_go_by_phone(
    zalo: ZaloServices, db_session: Session, standin: StandIn
) -> None:
    citizen = person(db_session, standin, "u-q", days_ago=30, phone="0977000111")
    for key in ("notify.forwarded", "notify.overdue"):
        notice_row(db_session, citizen, key)
    zalo.sender.drain(now=NOW)
    # Zalo refuses the third for quota (its count, not ours): this kind stops for the month.
    control(standin, "fail", path="/v3.0/oa/message/template", code=-211, times=1)
    notice_row(db_session, citizen, "notify.extended")
    zalo.sender.drain(now=NOW)
    db_session.expire_all()
    rows = db_session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [r.delivered_via for r in rows] == ["template", "template", "zns"]
    usage = {
        u.kind: (u.used, u.exhausted_at is not None)
        for u in db_session.scalars(select(ZaloQuotaUsage))
    }
    assert usage == {"template": (2, True), "zns": (1, False)}
    alerts = db_session.scalars(select(StaffNotification.title)).all()
    assert sum("Sắp hết hạn mức tin mẫu" in a for a in alerts) == 1
    assert sum("Đã hết hạn mức tin mẫu" in a for a in alerts) == 1


def test_an_answer_of_unknown_fate_is_never_sent_twice(
    zalo: ZaloServices, db_session: Session, standin: StandIn
) -> None:
    citizen = person(db_session, standin, "u-u", days_ago=12)
    control(standin, "fail", path="/v3.0/oa/message/template", mode="drop", times=1)
    notice_row(db_session, citizen)
    row = drain(zalo, db_session)
    assert row.state == "dead" and "delivery unknown" in (row.last_error or "")
    zalo.sender.drain(now=NOW)
    assert len([c for c in standin.state.calls if c[0] == "/v3.0/oa/message/template"]) == 1


def test_the_transaction_message_when_configured_and_its_shutdown(
    app, db_session: Session, standin: StandIn, settings: Settings
) -> None:

    zalo = zalo_layer(settings.with_overrides(zalo_follower_kind="transaction"), _sessions(app))
    citizen = person(db_session, standin, "u-tr", days_ago=40, phone="0933000222")
    notice_row(db_session, citizen)
    row = drain(zalo, db_session)
    assert row.delivered_via == "transaction"
    [message] = sent(standin, "transaction")
    payload = message["message"]["attachment"]["payload"]
    assert [e["type"] for e in payload["elements"]] == ["header", "text", "table"]
    assert payload["buttons"][0]["payload"] == "TRA TK-2612-000001"
    control(standin, "config", transaction_enabled=False)
    notice_row(db_session, citizen, "notify.overdue")
    row = drain(zalo, db_session)
    assert row.delivered_via == "zns"


def _sessions(app):  # type: ignore[no-untyped-def]
    from bot.database import get_db

    return get_db(app).sessions


def test_quiet_hours_defer_templates_to_the_morning(
    app, db_session: Session, standin: StandIn, settings: Settings
) -> None:

    # 23:30 in Tam Kỳ on a day after every row is queued (rows are due from their queue time).
    local = (NOW + timedelta(days=1)).astimezone(VN)
    night = local.replace(hour=23, minute=30, second=0, microsecond=0).astimezone(UTC)
    zalo = zalo_layer(
        settings.with_overrides(zalo_template_quiet_hours="22:00-06:00"), _sessions(app)
    )
    citizen = person(db_session, standin, "u-night", days_ago=10)
    citizen.last_interaction_at = night - timedelta(days=10)
    db_session.commit()
    notice_row(db_session, citizen)
    zalo.sender.drain(now=night)
    db_session.expire_all()
    row = db_session.scalars(select(OutboxMessage)).one()
    morning = (local + timedelta(days=1)).replace(hour=6, minute=5, second=0, microsecond=0)
    assert row.state == "pending" and row.next_attempt_at == morning.astimezone(UTC)
    assert sent(standin, "template") == []


def test_the_staff_line_says_when_in_vietnam_time() -> None:
    """Sent at 18:30 UTC is 01:30 the next morning in Tam Kỳ; «lúc» is followed by an hour."""
    at = datetime(2026, 12, 7, 18, 30, tzinfo=UTC)
    line = outbox.reach.Reach("sent", "zalo", at, None).text
    assert line.endswith("lúc 08/12/2026 01:30"), line
