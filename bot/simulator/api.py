"""The simulator's JSON API: send a citizen's event, read the bot's answers."""

from __future__ import annotations

import base64
import binascii
import logging
import re
import secrets
from typing import Any

import requests
from flask import jsonify, request, url_for
from flask.typing import ResponseReturnValue

from bot.runtime import runtime_of
from bot.simulator import bp
from bot.simulator.events import follow_event, message_event, new_msg_id, signed
from bot.simulator.personas import PERSONAS
from config import Settings

logger = logging.getLogger(__name__)

_USER_ID = re.compile(r"^\d{6,25}$")
_KINDS = frozenset({"text", "image", "location", "sticker", "follow"})
MAX_IMAGE_BYTES = 5 * 1024 * 1024
TIMEOUT = 20


def _settings() -> Settings:
    return runtime_of().settings


def _standin(path: str) -> str:
    """The stand-in's control API (it plays Zalo's API base in demo mode and tests)."""
    return f"{_settings().zalo_api_base.rstrip('/')}/_standin/{path}"


def _problem(status: int, message: str) -> ResponseReturnValue:
    return jsonify(ok=False, error=message), status


@bp.get("/api/personas")
def personas() -> ResponseReturnValue:
    """The demo citizens, and a fresh id for 'a new citizen'."""
    fresh = "59" + "".join(secrets.choice("0123456789") for _ in range(17))
    return jsonify(
        personas=[vars(p) for p in PERSONAS],
        new_user_id=fresh,
    )


@bp.post("/api/send")
def send() -> ResponseReturnValue:
    """Post one citizen event to the webhook, signed like Zalo, over real HTTP."""
    body: dict[str, Any] = request.get_json(silent=True) or {}
    user_id = str(body.get("user_id") or "")
    kind = str(body.get("kind") or "text")
    if not _USER_ID.match(user_id) or kind not in _KINDS:
        return _problem(400, "Thiếu người dùng hoặc loại tin nhắn không hợp lệ.")
    try:
        event = _event(user_id, kind, body)
    except ValueError as exc:
        return _problem(400, str(exc))
    except requests.RequestException:
        logger.exception("simulator: the stand-in did not take the upload")
        return _problem(502, "Không kết nối được máy chủ Zalo giả lập.")
    raw, headers = signed(_settings(), event)
    try:
        requests.post(_standin("interaction"), json={"user_id": user_id}, timeout=TIMEOUT)
        answer = requests.post(
            url_for("zalo.receive", _external=True), data=raw, headers=headers, timeout=TIMEOUT
        )
    except requests.RequestException:
        logger.exception("simulator: posting the event failed")
        return _problem(502, "Không gửi được sự kiện đến webhook.")
    msg_id = (event.get("message") or {}).get("msg_id")
    return jsonify(ok=answer.status_code == 200, status=answer.status_code, msg_id=msg_id)


def _event(user_id: str, kind: str, body: dict[str, Any]) -> dict[str, Any]:
    settings = _settings()
    text = str(body.get("text") or "")[:2000]
    if kind == "follow":
        return follow_event(settings, user_id)
    if kind == "text":
        if not text.strip():
            raise ValueError("Tin nhắn trống.")
        return message_event(settings, user_id, "text", text=text)
    if kind == "location":
        lat, lng = float(body.get("lat", 0)), float(body.get("lng", 0))
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            raise ValueError("Tọa độ không hợp lệ.")
        return message_event(settings, user_id, "location", lat=lat, lng=lng)
    if kind == "sticker":
        return message_event(settings, user_id, "sticker")
    return message_event(settings, user_id, "image", text=text, url=_upload(body))


def _upload(body: dict[str, Any]) -> str:
    """Host the photo at the stand-in, as Zalo hosts a user's photo; return its URL."""
    try:
        content = base64.b64decode(str(body.get("image_b64") or ""), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("Ảnh không đọc được.") from exc
    if not content or len(content) > MAX_IMAGE_BYTES:
        raise ValueError("Ảnh trống hoặc lớn hơn 5 MB.")
    ctype = str(body.get("content_type") or "image/jpeg")
    if ctype not in {"image/jpeg", "image/png", "image/webp", "image/gif"}:
        raise ValueError("Chỉ nhận ảnh JPEG, PNG, WebP hoặc GIF.")
    name = f"sim-{new_msg_id()}.{ctype.split('/')[1]}"
    answer = requests.post(
        _standin("media"),
        json={
            "name": name,
            "content_b64": base64.b64encode(content).decode(),
            "content_type": ctype,
        },
        timeout=TIMEOUT,
    )
    answer.raise_for_status()
    return str(answer.json()["url"])


@bp.get("/api/messages")
def messages() -> ResponseReturnValue:
    """What the OA sent this citizen (the stand-in's record), from index `after` on."""
    user_id = request.args.get("user_id", "")
    if not _USER_ID.match(user_id):
        return _problem(400, "Thiếu người dùng.")
    after = max(request.args.get("after", 0, type=int), 0)
    try:
        answer = requests.get(_standin("messages"), params={"user_id": user_id}, timeout=TIMEOUT)
        answer.raise_for_status()
    except requests.RequestException:
        return _problem(502, "Không đọc được tin nhắn từ máy chủ Zalo giả lập.")
    record = answer.json().get("messages", [])
    return jsonify(messages=[_shown(m) for m in record[after:]], next=len(record))


def _shown(entry: dict[str, Any]) -> dict[str, Any]:
    """A recorded API message as the page shows it: text, buttons, an image."""
    message = entry.get("message") or {}
    payload = (message.get("attachment") or {}).get("payload") or {}
    buttons = [
        {"title": str(b.get("title", "")), "payload": b.get("payload")}
        for b in payload.get("buttons") or []
    ]
    images = [e.get("url") for e in payload.get("elements") or [] if e.get("media_type") == "image"]
    return {
        "text": entry.get("text", ""),
        "buttons": buttons,
        "image_url": images[0] if images else None,
        "time": entry.get("time"),
    }
