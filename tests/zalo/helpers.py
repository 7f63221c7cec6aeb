"""Signed webhook payloads from tests/fixtures/zalo, and small helpers the Zalo tests share."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from bot.zalo import signature
from config import Settings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "zalo"
USER = "246845883529197922"
OA = "388613280878808645"


def now_ms(offset_seconds: float = 0) -> str:
    """Epoch milliseconds as Zalo writes them (a string)."""
    return str(int((time.time() + offset_seconds) * 1000))


def fixture_names() -> list[str]:
    return sorted(p.stem for p in FIXTURES.glob("*.json"))


def raw_fixture(name: str, *, ts: str | None = None, msg: str = "m-1", **replace: str) -> bytes:
    """A fixture's exact bytes, with its timestamp (and placeholders) filled in."""
    text = (FIXTURES / f"{name}.json").read_text(encoding="utf-8")
    text = text.replace("__TS__", ts or now_ms()).replace("__MSG__", msg)
    for old, new in replace.items():
        text = text.replace(old, new)
    return text.encode("utf-8")


def secrets_of(settings: Settings) -> signature.Secrets:
    return signature.Secrets(
        settings.zalo_app_id, settings.zalo_oa_secret_key, settings.zalo_app_secret, OA
    )


def sign(raw: bytes, settings: Settings, variant: str = signature.DEFAULT_VARIANT) -> str:
    """The header Zalo would send for these bytes."""
    payload = json.loads(raw)
    return signature.sign(
        raw,
        secrets=secrets_of(settings),
        timestamp=str(payload.get("timestamp", "")),
        app_id=str(payload.get("app_id") or settings.zalo_app_id),
        oa_id=signature.oa_id_of(payload),
        variant=variant,
    )


def post(
    client: FlaskClient, raw: bytes, *, header: str | None = None, **headers: str
) -> TestResponse:
    """POST raw bytes to the webhook with the given signature header (None: unsigned)."""
    all_headers = {"Content-Type": "application/json", **headers}
    if header is not None:
        all_headers[signature.HEADER] = header
    return client.post("/webhooks/zalo", data=raw, headers=all_headers)


def post_signed(client: FlaskClient, settings: Settings, raw: bytes) -> TestResponse:
    return post(client, raw, header=sign(raw, settings))


def text_event(text: str, *, msg_id: str, user: str = USER, ts: str | None = None) -> bytes:
    """A user_send_text payload (compact JSON, like Zalo's)."""
    payload: dict[str, Any] = {
        "app_id": "1000000000000000001",
        "event_name": "user_send_text",
        "sender": {"id": user},
        "recipient": {"id": OA},
        "user_id_by_app": "552177279717587730",
        "message": {"msg_id": msg_id, "text": text},
        "timestamp": ts or now_ms(),
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
