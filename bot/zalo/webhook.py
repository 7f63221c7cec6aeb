"""`POST /webhooks/zalo`: verify, store, answer — the work happens after the commit.

Order: size limit (413) → UTF-8 JSON object (400) → signature over the raw bytes in constant
time (401; nothing stored) → app id, event name and timestamp (401/400) → replay window
(401 unless the delivery is already stored) → insert under the de-duplication key and commit
→ 200. A repeat delivery only counts `deliveries` and gets 200.

The Zalo console's URL-save check is reported to be signed differently from events. Two
documented ways through, neither of which ever stores anything:
- WEBHOOK_ALLOW_CONSOLE_CHECK (default on): a request that fails verification but names no
  user (no sender, follower or user id — so it cannot be a citizen's event) gets 200;
- WEBHOOK_CONSOLE_CHECK_UNTIL=<ISO time>: until then, anything that fails verification gets
  200 (set it for the few minutes of saving the URL, then remove it).

`GET /zalo_verifier<CODE>.html` serves Zalo's domain-verification file for ZALO_VERIFIER_CODE.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from html import escape

from flask import Blueprint, Response, abort, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import Connection, Engine

from bot.database import get_db
from bot.runtime import runtime_of
from bot.zalo import signature
from bot.zalo.parse import ParseError, dedup_key, load, parse_timestamp, subject_of
from bot.zalo.store import Delivery, store
from config import Settings

logger = logging.getLogger(__name__)
bp = Blueprint("zalo", __name__)


def _settings() -> Settings:
    return runtime_of().settings


def _secrets(settings: Settings) -> signature.Secrets:
    return signature.Secrets(
        app_id=settings.zalo_app_id,
        oa_secret_key=settings.zalo_oa_secret_key,
        app_secret=settings.zalo_app_secret,
        oa_id=settings.zalo_oa_id,
    )


_OK = b'{"status":"ok"}'


def _answer(status: int, code: str) -> ResponseReturnValue:
    if status == 200:  # the hot path: Zalo ignores the body
        return Response(_OK, 200, mimetype="application/json")
    return jsonify(status="error", error=code), status


@bp.post("/webhooks/zalo")
def receive() -> ResponseReturnValue:
    """Store one verified delivery, then answer 200."""
    settings = _settings()
    limit = settings.webhook_max_bytes
    if (request.content_length or 0) > limit:
        return _answer(413, "too_large")
    raw = request.stream.read(limit + 1)
    if len(raw) > limit:
        return _answer(413, "too_large")
    header = request.headers.get(signature.HEADER)
    try:
        payload = load(raw)
    except ParseError:
        return _answer(401 if not header else 400, "unsigned" if not header else "malformed")
    variant = signature.verify(
        header,
        raw,
        payload=payload,
        secrets=_secrets(settings),
        variants=settings.webhook_signature_variants,
    )
    now = runtime_of().clock()
    if variant is None:
        return _unverified(settings, payload, header, now)
    app_id = str(payload.get("app_id") or "")
    if app_id and app_id != settings.zalo_app_id:
        logger.warning("webhook for another app id refused")
        return _answer(401, "wrong_app")
    name = payload.get("event_name")
    try:
        event_time = parse_timestamp(payload.get("timestamp"))
    except ParseError:
        return _answer(400, "bad_timestamp")
    if not isinstance(name, str) or not name or len(name) > 64:
        return _answer(400, "bad_event_name")
    key = dedup_key(payload, raw)
    stale = abs(now - event_time) > timedelta(seconds=settings.webhook_max_skew_seconds)
    delivery = Delivery(key, name, subject_of(payload) or None, raw, variant, event_time, now)
    inbound_id = _store(delivery, stale=stale)
    if inbound_id is None:
        logger.warning("stale webhook %s refused as a replay", name)
        return _answer(401, "replay")
    logger.debug("webhook %s stored as inbound %s (signature %s)", name, abs(inbound_id), variant)
    if inbound_id > 0:
        _after_commit(inbound_id)
    return _answer(200, "")


def _unverified(
    settings: Settings, payload: dict, header: str | None, now: datetime
) -> ResponseReturnValue:
    """Refuse, unless it is the console's URL-save check (answered, never stored)."""
    if _console_window_open(settings, now):
        logger.warning("unverified webhook let through: console-check window is open")
        return _answer(200, "")
    if settings.webhook_allow_console_check and not subject_of(payload):
        logger.warning("unverified webhook without a user let through as the console check")
        return _answer(200, "")
    logger.warning("webhook refused: %s signature", "missing" if not header else "invalid")
    return _answer(401, "bad_signature" if header else "unsigned")


def _console_window_open(settings: Settings, now: datetime) -> bool:
    until = settings.webhook_console_check_until.strip()
    if not until:
        return False
    try:
        moment = datetime.fromisoformat(until)
    except ValueError:
        return False
    return moment.tzinfo is not None and now < moment


def _store(delivery: Delivery, *, stale: bool) -> int | None:
    bind = get_db().sessions.kw.get("bind")
    assert isinstance(bind, Engine | Connection)  # noqa: S101 - how storage.db binds it
    return store(bind, delivery, stale=stale)


def _after_commit(inbound_id: int) -> None:
    """The worker does the work; only ZALO_INLINE_MODE=sync (tests, tools) does it here."""
    runtime = runtime_of()
    if runtime.settings.zalo_inline_mode != "sync":
        return
    try:
        runtime.zalo.processor.process(inbound_id)
        runtime.zalo.sender.drain(limit=50)
    except Exception:  # stored and committed: the worker will finish it
        logger.exception("inline processing of inbound %s failed", inbound_id)


@bp.get("/zalo_verifier<code>.html")
def verifier(code: str) -> ResponseReturnValue:
    """Zalo's domain-verification file."""
    expected = _settings().zalo_verifier_code
    if not expected or code != expected:
        abort(404)
    body = (
        "<!DOCTYPE html>\n<html><head>\n"
        f'<meta property="zalo-platform-site-verification" content="{escape(expected)}" />\n'
        "</head><body>There Is No Limit To What You Can Accomplish Using Zalo!</body></html>\n"
    )
    return body, 200, {"Content-Type": "text/html; charset=utf-8"}
