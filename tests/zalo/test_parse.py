"""Every event shape of the shared doc parses into its typed, frozen event."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime

import pytest

from bot.zalo.parse import ParseError, dedup_key, load, parse_event
from handlers import events as ev
from tests.zalo.helpers import OA, USER, fixture_names, raw_fixture

EXPECTED: dict[str, type[ev.Event]] = {
    "user_send_text": ev.TextMessage,
    "user_send_text_quote_emoji": ev.TextMessage,
    "user_send_image": ev.ImageMessage,
    "user_send_image_two": ev.ImageMessage,
    "user_send_file": ev.FileMessage,
    "user_send_file_int_size": ev.FileMessage,
    "user_send_location": ev.LocationMessage,
    "user_send_location_alt": ev.LocationMessage,
    "user_send_sticker": ev.StickerMessage,
    "user_send_link": ev.LinkMessage,
    "user_send_audio": ev.AudioMessage,
    "user_send_video": ev.VideoMessage,
    "user_send_gif": ev.GifMessage,
    "user_send_business_card": ev.BusinessCardMessage,
    "follow": ev.Follow,
    "unfollow": ev.Unfollow,
    "user_submit_info": ev.SubmitInfo,
    "user_submit_info_flat": ev.SubmitInfo,
    "user_click_chatnow": ev.ClickChatNow,
    "user_received_message": ev.MessageReceived,
    "user_seen_message": ev.MessageSeen,
    "user_seen_message_single": ev.MessageSeen,
    "user_reacted_message": ev.Reaction,
    "oa_send_text": ev.OaEcho,
    "oa_send_text_admin": ev.OaEcho,
    "oa_send_image_admin": ev.OaEcho,
    "anonymous_send_text": ev.AnonymousMessage,
    "user_feedback": ev.UnknownEvent,
    "add_user_to_tag": ev.UnknownEvent,
}


def parsed(name: str, **kw: str) -> ev.Event:
    return parse_event(load(raw_fixture(name, ts="1699003881354", **kw)), inbound_event_id=7)


def test_every_fixture_is_covered() -> None:
    assert sorted(EXPECTED) == fixture_names()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_parses_into_its_type(name: str) -> None:
    event = parsed(name)
    assert type(event) is EXPECTED[name]
    assert event.timestamp == datetime(2023, 11, 3, 9, 31, 21, 354000, tzinfo=UTC)
    assert event.inbound_event_id == 7
    expected_user = "" if name == "anonymous_send_text" else USER
    assert event.user_id == expected_user
    assert isinstance(event.user_id, str)
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.user_id = "x"  # type: ignore[misc]


def test_message_fields() -> None:
    text = parsed("user_send_text_quote_emoji")
    assert isinstance(text, ev.TextMessage)
    assert text.quote_msg_id == "96d3cdf3af150460909"
    assert "🙏🏻" in text.text and text.oa_id == OA and text.user_id_by_app == "552177279717587730"
    image = parsed("user_send_image")
    assert isinstance(image, ev.ImageMessage)
    assert image.text == "Ảnh rác thải"
    assert image.attachments[0].url.endswith("/1.jpg") and image.attachments[0].is_evidence
    assert len(parsed("user_send_image_two").attachments) == 2  # type: ignore[attr-defined]


def test_file_sizes_as_string_or_number() -> None:
    a, b = parsed("user_send_file"), parsed("user_send_file_int_size")
    assert isinstance(a, ev.FileMessage) and isinstance(b, ev.FileMessage)
    assert a.attachments[0].size == 48213 and a.attachments[0].name == "don-kien-nghi.pdf"
    assert b.attachments[0].size == 10240


@pytest.mark.parametrize(
    ("name", "lat", "lng"),
    [("user_send_location", 15.5736, 108.474), ("user_send_location_alt", 15.5801, 108.4812)],
)
def test_both_location_shapes(name: str, lat: float, lng: float) -> None:
    event = parsed(name)
    assert isinstance(event, ev.LocationMessage) and event.location is not None
    assert (event.location.latitude, event.location.longitude) == (lat, lng)


def test_link_sticker_card_and_decorations() -> None:
    link = parsed("user_send_link")
    assert isinstance(link, ev.LinkMessage) and link.link is not None
    assert link.link.title == "Ngập úng"
    sticker = parsed("user_send_sticker")
    assert sticker.attachments[0].kind == "sticker"  # type: ignore[attr-defined]
    assert not sticker.attachments[0].is_evidence  # type: ignore[attr-defined]
    card = parsed("user_send_business_card")
    assert isinstance(card, ev.BusinessCardMessage) and card.card is not None
    assert (card.card.name, card.card.phone) == ("Nguyễn Văn An", "84905123456")


@pytest.mark.parametrize("name", ["user_submit_info", "user_submit_info_flat"])
def test_both_submit_info_shapes(name: str) -> None:
    event = parsed(name)
    assert isinstance(event, ev.SubmitInfo)
    assert event.info.name == "Trần Thị Bình" and event.info.phone == "84905111222"
    assert event.info.address == "12 Phan Bội Châu"
    assert event.info.ward in {"Phường Tân Thạnh", "Tân Thạnh"}


def test_receipts_echoes_reactions() -> None:
    seen = parsed("user_seen_message", msg="x1")
    assert isinstance(seen, ev.MessageSeen) and seen.msg_ids == ("x1",)
    assert not seen.counts_as_interaction
    received = parsed("user_received_message", msg="x2")
    assert received.msg_id == "x2" and not received.counts_as_interaction
    echo, staff = parsed("oa_send_text"), parsed("oa_send_text_admin")
    assert isinstance(echo, ev.OaEcho) and isinstance(staff, ev.OaEcho)
    assert not echo.by_staff and staff.by_staff and staff.admin_id == "5566778899"
    reaction = parsed("user_reacted_message", msg="x3")
    assert isinstance(reaction, ev.Reaction) and reaction.react_icon == "/-heart"
    assert reaction.counts_as_interaction
    anon = parsed("anonymous_send_text")
    assert isinstance(anon, ev.AnonymousMessage)
    assert (anon.anonymous_id, anon.conversation_id) == ("anon-7d1f", "conv-9a2b")
    assert isinstance(parsed("user_feedback"), ev.UnknownEvent)


@pytest.mark.parametrize(
    "payload",
    [
        {"event_name": "user_send_text", "timestamp": "1", "message": {"text": "x"}},
        {"event_name": "user_send_text", "timestamp": "1", "sender": "246845883529197922"},
        {"event_name": "user_send_text", "timestamp": {"ms": 1}, "sender": {"id": "1"}},
        {"event_name": "follow", "timestamp": "1"},
        {
            "event_name": "user_send_location",
            "timestamp": "1",
            "sender": {"id": "1"},
            "message": {"location": {"latitude": "north", "longitude": "1"}},
        },
        {"event_name": 42, "timestamp": "1"},
    ],
)
def test_wrong_typed_payloads_raise_parse_error(payload: dict) -> None:
    with pytest.raises(ParseError):
        parse_event(payload)


@pytest.mark.parametrize(
    "raw", [b"", b"{", b"[1, 2]", b"\xff\xfe{}", b'"text"', b"[" * 100_000 + b"]" * 100_000]
)
def test_load_refuses_what_is_not_a_json_object(raw: bytes) -> None:
    with pytest.raises(ParseError):
        load(raw)


def test_dedup_keys() -> None:
    text = load(raw_fixture("user_send_text"))
    assert dedup_key(text, b"") == f"user_send_text|{OA}|96d3cdf3af150460909"
    later = load(raw_fixture("user_send_text", ts="1799003881354"))
    assert dedup_key(later, b"") == dedup_key(text, b"")  # a retry keeps its key
    follow = load(raw_fixture("follow", ts="1699003881354"))
    assert dedup_key(follow, b"") == f"follow|{USER}|1699003881354|"
    seen1 = load(raw_fixture("user_seen_message", ts="1", msg="a"))
    seen2 = load(raw_fixture("user_seen_message", ts="2", msg="a"))
    assert dedup_key(seen1, b"") != dedup_key(seen2, b"")
    received = load(raw_fixture("user_received_message", msg="5bd3cdf3af150460924"))
    echo = load(raw_fixture("oa_send_text_admin"))
    assert dedup_key(received, b"") != dedup_key(echo, b"")
    assert dedup_key({}, b"abc").startswith("raw|")
    long = {"event_name": "x" * 300, "timestamp": "1", "user_id": "u"}
    assert len(dedup_key(long, b"")) <= 200


def test_timestamps_are_aware_utc_and_ids_strings() -> None:
    payload = json.loads(raw_fixture("user_send_text", ts="1699003881354"))
    payload["sender"]["id"] = 246845883529197922  # a sender that forgot the quotes
    event = parse_event(payload)
    assert event.user_id == "246845883529197922"
    assert event.timestamp.tzinfo is UTC
