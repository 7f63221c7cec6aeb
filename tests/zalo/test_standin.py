"""The stand-in's control API (the simulator builds on it) and its platform rules."""

from __future__ import annotations

import requests
from flask import Flask
from flask.testing import FlaskCliRunner

from bot.zalo.standin import StandIn
from tests.zalo.conftest import control


def _cs(standin: StandIn, token: str, user: str, message: dict) -> dict:
    resp = requests.post(
        f"{standin.base_url}/v3.0/oa/message/cs",
        timeout=5,
        headers={"access_token": token},
        json={"recipient": {"user_id": user}, "message": message},
    )
    assert resp.status_code == 200  # Zalo answers errors with HTTP 200
    body: dict = resp.json()
    return body


def test_window_rate_limit_tokens_and_the_record(standin: StandIn) -> None:
    pair = control(standin, "tokens")
    token = pair["access_token"]
    assert _cs(standin, "nope", "u", {"text": "x"})["error"] == -216
    assert _cs(standin, token, "u", {"text": "hi"})["error"] == 0  # first contact: open
    control(standin, "interaction", user_id="u", seconds_ago=7 * 24 * 3600 + 60)
    assert _cs(standin, token, "u", {"text": "late"})["error"] == -230
    control(standin, "interaction", user_id="u")
    assert _cs(standin, token, "u", {"text": "again"})["error"] == 0
    control(standin, "clock", advance_seconds=8 * 24 * 3600)
    assert _cs(standin, token, "u", {"text": "x"})["error"] == -216  # the token expired too
    fresh = control(standin, "tokens")["access_token"]
    assert _cs(standin, fresh, "u", {"text": "x"})["error"] == -230  # and the window closed
    control(standin, "config", strict_window=True)
    assert _cs(standin, fresh, "stranger", {"text": "x"})["error"] == -230
    control(standin, "config", rate_per_minute=2)
    control(standin, "interaction", user_id="v")
    assert _cs(standin, fresh, "v", {"text": "1"})["error"] == -32  # 2 per minute, spent
    messages = requests.get(
        f"{standin.base_url}/_standin/messages", params={"user_id": "u"}, timeout=5
    ).json()["messages"]
    assert [m["text"] for m in messages] == ["hi", "again"]
    state = requests.get(f"{standin.base_url}/_standin/state", timeout=5).json()
    assert state["messages"] == 2 and state["strict_window"] is True
    control(standin, "reset")
    assert requests.get(f"{standin.base_url}/_standin/messages", timeout=5).json() == {
        "messages": []
    }


def test_faults_and_outages_on_demand(standin: StandIn) -> None:
    token = control(standin, "tokens")["access_token"]
    control(standin, "fail", path="/v3.0/oa/message/cs", code=-218, times=1)
    assert _cs(standin, token, "u", {"text": "x"})["error"] == -218
    assert _cs(standin, token, "u", {"text": "x"})["error"] == 0
    control(standin, "outage", on=True)
    resp = requests.post(
        f"{standin.base_url}/v3.0/oa/message/cs",
        json={},
        timeout=5,
        headers={"access_token": token},
    )
    assert resp.status_code == 503
    control(standin, "outage", on=False)
    assert _cs(standin, token, "u", {"text": "y"})["error"] == 0
    bad = requests.post(f"{standin.base_url}/_standin/fail", json={"mode": 1, "nope": 2}, timeout=5)
    assert bad.status_code == 400
    assert requests.post(f"{standin.base_url}/_standin/what", json={}, timeout=5).status_code == 404


def test_deliver_signs_like_zalo_and_opens_the_window(app: Flask, standin: StandIn) -> None:
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    import threading

    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/webhooks/zalo"
        control(standin, "config", webhook_url=url, strict_window=True)
        event = {
            "event_name": "user_send_text",
            "sender": {"id": "u-9"},
            "recipient": {"id": standin.state.oa_id},
            "message": {"msg_id": "d-1", "text": "Xin chào"},
        }
        assert control(standin, "deliver", event=event) == {"status": 200}
        assert standin.state.check_recipient("u-9") == 0  # the user wrote: window open
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


def test_standin_command_is_registered(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["zalo", "standin", "--help"])
    assert result.exit_code == 0 and "--port" in result.output
