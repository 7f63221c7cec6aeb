"""The Zalo client: splitting, message shapes, endpoints and failures over real HTTP."""

from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy.orm import Session

from bot.zalo.client import build_messages, split_text, zalo_len
from bot.zalo.errors import Action, ZaloApiError, ZaloTransportError, ZaloUncertain, action_for
from bot.zalo.services import ZaloServices
from bot.zalo.standin import StandIn
from tests.zalo.conftest import control


def test_short_text_is_one_nfc_part() -> None:
    assert split_text("  Xin cha\u0300o  ") == ["Xin chào"]
    assert split_text("") == []


def test_long_text_splits_on_paragraphs_then_sentences() -> None:
    para = ("Câu một về ngập úng. " * 40).strip()
    text = f"{para}\n\n{para}\n\n{para}"
    parts = split_text(text)
    assert len(parts) == 2 and all(zalo_len(p) <= 2000 for p in parts)
    assert parts[0].endswith("úng.") and "\n\n" in parts[0]
    words = "mot " * 1200  # no sentence ends: cut between words
    parts = split_text(words)
    assert all(len(p) <= 2000 and not p.startswith(" ") for p in parts)
    assert "".join(p.replace(" ", "") for p in parts) == words.replace(" ", "")


def test_limits_count_after_nfc_and_emoji_conservatively() -> None:
    decomposed = unicodedata.normalize("NFD", "Việt Nam ") * 250  # 2250 NFC, more NFD
    parts = split_text(decomposed)
    assert all(p == unicodedata.normalize("NFC", p) for p in parts)
    assert sum(len(p) for p in parts) >= 2200 and len(parts) == 2
    emoji = "😀" * 1500  # 3000 UTF-16 units: split though only 1500 code points
    parts = split_text(emoji)
    assert len(parts) == 2 and all(zalo_len(p) <= 2000 for p in parts)
    assert "".join(parts) == emoji
    nospace = "x" * 4500
    assert [len(p) for p in split_text(nospace)] == [2000, 2000, 500]


def test_message_shapes() -> None:
    payload = {
        "text": "Chọn",
        "buttons": [{"title": "Có", "payload": "#y", "type": "oa.query.show"}],
        "quote_msg_id": "q1",
    }
    [message] = build_messages(payload, "text")
    assert message == {
        "text": "Chọn",
        "quote_message_id": "q1",
        "attachment": {
            "type": "template",
            "payload": {"buttons": [{"title": "Có", "type": "oa.query.show", "payload": "#y"}]},
        },
    }
    [image] = build_messages({"text": "", "image_url": "https://x/i.png"}, "image")
    assert image["attachment"]["payload"]["elements"] == [
        {"media_type": "image", "url": "https://x/i.png"}
    ]
    [card] = build_messages(
        {"text": "T", "subtitle": "S", "image_url": "https://x/c.png"}, "request_user_info"
    )
    assert card == {
        "attachment": {
            "type": "template",
            "payload": {
                "template_type": "request_user_info",
                "elements": [{"title": "T", "subtitle": "S", "image_url": "https://x/c.png"}],
            },
        }
    }


def test_error_classification_matches_the_shared_doc() -> None:
    expected = {
        -216: Action.REFRESH,
        -220: Action.REFRESH,
        -32: Action.RETRY,
        -230: Action.HOLD,
        -232: Action.HOLD,
        -213: Action.UNREACHABLE,
        -217: Action.UNREACHABLE,
        -227: Action.UNREACHABLE,
        -244: Action.UNREACHABLE,
        -201: Action.INVALID,
        -210: Action.INVALID,
        -233: Action.INVALID,
        -200: Action.RETRY_ALERT,
        -211: Action.RETRY_ALERT,
        -218: Action.RETRY_ALERT,
        -240: Action.CONFIG,
        -999: Action.RETRY,
    }
    assert {code: action_for(code) for code in expected} == expected


@pytest.mark.usefixtures("tokens")
def test_endpoints_against_the_stand_in(zalo: ZaloServices, standin: StandIn) -> None:
    control(standin, "interaction", user_id="u-1", display_name="Lê Văn C", seconds_ago=0)
    client = zalo.client
    assert client.send_text("u-1", "Chào " * 500)  # split, all sent
    assert len(standin.state.sent_to("u-1")) == 2
    detail = client.user_detail("u-1")
    assert detail["display_name"] == "Lê Văn C" and detail["user_is_follower"] is True
    assert client.quota("u-1")["last_interaction"] > 0
    assert client.upload("image", "a.png", b"\x89PNG" + b"0" * 100, "image/png").startswith(
        "image-"
    )
    assert client.upload("file", "a.pdf", b"%PDF" + b"0" * 100, "application/pdf").startswith(
        "file-"
    )
    history = client.conversation("u-1")
    assert [h["src"] for h in history] == [0, 0]
    with pytest.raises(ZaloApiError) as err:
        client.call("POST", "/v2.0/oa/message", json={})
    assert (err.value.code, err.value.action) == (-240, Action.CONFIG)
    with pytest.raises(ZaloApiError) as err:
        client.send_message("u-1", {"text": "x" * 2001})  # the stand-in enforces the limit
    assert err.value.code == -210
    with pytest.raises(ZaloApiError) as err:
        client.send_message(
            "u-1",
            {
                "text": "x",
                "attachment": {
                    "type": "template",
                    "payload": {
                        "buttons": [{"title": "t", "type": "oa.query.hide", "payload": "p"}] * 6
                    },
                },
            },
        )
    assert err.value.code == -201


@pytest.mark.usefixtures("tokens")
@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ({"mode": "http", "status": 503}, ZaloTransportError),
        ({"mode": "http", "status": 502}, ZaloUncertain),
        ({"mode": "drop"}, ZaloUncertain),
        ({"mode": "slow", "delay": 0.6}, ZaloUncertain),
    ],
)
def test_failures_say_whether_the_request_may_have_arrived(
    fault: dict, error: type[Exception], zalo: ZaloServices, standin: StandIn
) -> None:
    zalo.client.timeout = (1.0, 0.3)
    control(standin, "fail", path="/v3.0/oa/message/cs", **fault)
    with pytest.raises(error) as err:
        zalo.client.send_message("u-1", {"text": "x"})
    assert type(err.value) is error


def test_a_refused_connection_certainly_did_not_send(
    zalo: ZaloServices, db_session: Session, tokens: tuple[str, str]
) -> None:
    zalo.client.api_base = "http://127.0.0.1:9"  # nothing listens there
    with pytest.raises(ZaloTransportError) as err:
        zalo.client.send_message("u-1", {"text": "x"})
    assert type(err.value) is ZaloTransportError


@pytest.mark.usefixtures("tokens")
def test_a_second_expired_answer_after_the_refresh_is_not_retried_again(
    zalo: ZaloServices, standin: StandIn
) -> None:
    control(standin, "fail", path="/v3.0/oa/message/cs", code=-216, times=2)
    with pytest.raises(ZaloApiError) as err:
        zalo.client.send_message("u-1", {"text": "x"})
    assert err.value.action is Action.REFRESH
    assert len([c for c in standin.state.calls if c[0] == "/v4/oa/access_token"]) == 1
    assert len([c for c in standin.state.calls if c[0] == "/v3.0/oa/message/cs"]) == 2
