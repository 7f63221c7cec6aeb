"""Zalo webhook payloads as Zalo shapes them (zalo-oa.md §2), for the simulator and tests."""

from __future__ import annotations

import json
import secrets
import time
from typing import Any

from bot.zalo import signature
from config import Settings

#: The OA id the stand-in plays when none is configured.
DEFAULT_OA_ID = "388613280878808645"


def oa_id(settings: Settings) -> str:
    return settings.zalo_oa_id or DEFAULT_OA_ID


def now_ms() -> str:
    return str(int(time.time() * 1000))


def new_msg_id() -> str:
    """A message id in Zalo's style (hex, about 19 characters)."""
    return secrets.token_hex(10)[:19]


def message_event(
    settings: Settings,
    user_id: str,
    kind: str,
    *,
    text: str = "",
    url: str | None = None,
    lat: float | None = None,
    lng: float | None = None,
    msg_id: str | None = None,
) -> dict[str, Any]:
    """user_send_text / image / location / sticker / file with its attachments."""
    message: dict[str, Any] = {"msg_id": msg_id or new_msg_id()}
    if text:
        message["text"] = text
    if kind == "image":
        message["attachments"] = [{"type": "image", "payload": {"url": url, "thumbnail": url}}]
    elif kind == "file":
        message["attachments"] = [{"type": "file", "payload": {"url": url, "name": text}}]
    elif kind == "location":
        coords = {"latitude": f"{lat:.6f}", "longitude": f"{lng:.6f}"}
        message["attachments"] = [{"type": "location", "payload": {"coordinates": coords}}]
    elif kind == "sticker":
        sticker = {"id": "simulator-sticker", "url": url or "https://zalo-api.zadn.vn/sticker"}
        message["attachments"] = [{"type": "sticker", "payload": sticker}]
    elif kind != "text":
        raise ValueError(f"unknown message kind {kind!r}")
    return {
        "app_id": settings.zalo_app_id,
        "event_name": f"user_send_{kind}",
        "sender": {"id": user_id},
        "recipient": {"id": oa_id(settings)},
        "user_id_by_app": user_id,
        "message": message,
        "timestamp": now_ms(),
    }


def follow_event(settings: Settings, user_id: str) -> dict[str, Any]:
    """A flat follow event (the citizen tapped Quan tâm)."""
    return {
        "oa_id": oa_id(settings),
        "follower": {"id": user_id},
        "user_id_by_app": user_id,
        "event_name": "follow",
        "source": "simulator",
        "app_id": settings.zalo_app_id,
        "timestamp": now_ms(),
    }


def signed(settings: Settings, event: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    """The raw body and headers Zalo would post, signed with the configured secrets."""
    raw = json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()
    secrets_ = signature.Secrets(
        app_id=settings.zalo_app_id,
        oa_secret_key=settings.zalo_oa_secret_key,
        app_secret=settings.zalo_app_secret,
        oa_id=oa_id(settings),
    )
    variant = (settings.webhook_signature_variants or (signature.DEFAULT_VARIANT,))[0]
    header = signature.sign(
        raw,
        secrets=secrets_,
        timestamp=str(event["timestamp"]),
        app_id=settings.zalo_app_id,
        oa_id=oa_id(settings),
        variant=variant,
    )
    return raw, {signature.HEADER: header, "Content-Type": "application/json"}
