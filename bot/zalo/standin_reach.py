"""The stand-in's template endpoints: template by user id, the transaction message, and ZNS.

Each function checks a request body as Zalo does (docs/zalo-messages.md) and answers
`(code, data)`: 0 and the success data, or Zalo's error code. What they enforce:
  - /v3.0/oa/message/template: an approved template (-109 unknown, -131 not approved,
    -249 not for UID), its parameters (-1122 missing, -1121 too long), a follower (-213),
    the monthly quota (-211);
  - /v3.0/oa/message/transaction: the service still offered (-209 when switched off), a
    transaction payload (-201), a follower (-213) who interacted within the configured
    days (-230), the monthly quota (-211);
  - /message/template (ZNS): a phone as 84… (-108), an approved template, a tracking_id
    (-201), development mode to administrators only (-127), a number on Zalo (-118) that
    has not refused this OA (-141), the daily quota (-144), optionally the night (-133).
Messages sent are recorded like consultation messages, with their kind.
"""

from __future__ import annotations

import re
import time
import unicodedata
from typing import Any

from bot.zalo.standin_state import StandinState

PHONE = re.compile(r"^84\d{9,10}$")
DAY = 24 * 3600


def _template(state: StandinState, template_id: str, data: Any, *, uid: bool) -> int:
    template = state.templates.get(template_id)
    if template is None:
        return -109
    if template["status"] != "ENABLE":
        return -131
    if uid and not template["uid"]:
        return -249
    if not isinstance(data, dict):
        return -111
    for name in template["params"]:
        value = data.get(name)
        if value in (None, ""):
            return -1122
        if len(unicodedata.normalize("NFC", str(value))) > template["max_length"]:
            return -1121
    return 0


def _period(state: StandinState, kind: str) -> str:
    local = time.gmtime(state.now() + 7 * 3600)
    return f"{kind}:{local.tm_year}-{local.tm_mon}" + (f"-{local.tm_mday}" if kind == "zns" else "")


def _spend(state: StandinState, kind: str, limit: int) -> int | None:
    """Count one send against the period's quota; the remaining count, or None if none left."""
    key = _period(state, kind)
    used = state.used.get(key, 0)
    if used >= limit:
        return None
    state.used[key] = used + 1
    return limit - used - 1


def _follower(state: StandinState, user_id: str) -> int:
    user = state.users.get(user_id)
    return -213 if user is None or not user.following else 0


def send_template(state: StandinState, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    recipient = body.get("recipient")
    user_id = str((recipient or {}).get("user_id") if recipient else body.get("user_id") or "")
    template_id = str(body.get("template_id") or "")
    data = body.get("template_data")
    with state.lock:
        problem = _template(state, template_id, data, uid=True) or _follower(state, user_id)
        if problem:
            return problem, {}
        remain = _spend(state, "template", state.template_monthly_quota)
        if remain is None:
            return -211, {}
        entry = state.record(
            user_id,
            {"template_id": template_id},
            "template",
            template_id=template_id,
            template_data=dict(data or {}),
            shape="recipient" if recipient else "flat",
        )
    quota = {"quota_type": "purchase_quota", "remain": remain}
    return 0, {"message_id": entry["message_id"], "user_id": user_id, "quota": quota}


def send_transaction(state: StandinState, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    user_id = str((body.get("recipient") or {}).get("user_id") or "")
    message = body.get("message") if isinstance(body.get("message"), dict) else {}
    payload = ((message or {}).get("attachment") or {}).get("payload") or {}
    with state.lock:
        if not state.transaction_enabled:
            return -209, {}
        kind = str(payload.get("template_type") or "")
        if not kind.startswith("transaction_") or not payload.get("elements"):
            return -201, {}
        problem = _follower(state, user_id)
        if problem:
            return problem, {}
        last = state.users[user_id].last_interaction
        if last is None or state.now() - last > state.transaction_window_days * DAY:
            return -230, {}
        if _spend(state, "transaction", state.template_monthly_quota) is None:
            return -211, {}
        entry = state.record(user_id, message or {}, "transaction")
    return 0, {"message_id": entry["message_id"], "user_id": user_id}


def send_zns(state: StandinState, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    number = str(body.get("phone") or "").removeprefix("+")
    template_id = str(body.get("template_id") or "")
    data = body.get("template_data")
    with state.lock:
        if not PHONE.match(number):
            return -108, {}
        problem = _template(state, template_id, data, uid=False)
        if problem:
            return problem, {}
        if not str(body.get("tracking_id") or "") or len(str(body["tracking_id"])) > 48:
            return -201, {}
        phone = state.phones.get(number)
        if body.get("mode") == "development" and not (phone and phone.admin):
            return -127, {}
        if phone is None or not phone.on_zalo:
            return -118, {}
        if phone.refuses:
            return -141, {}
        hour = time.gmtime(state.now() + 7 * 3600).tm_hour
        if state.zns_night_block and (hour >= 22 or hour < 6):
            return -133, {}
        remain = _spend(state, "zns", state.zns_daily_quota)
        if remain is None:
            return -144, {}
        entry = state.record(
            phone.user_id or "",
            {"template_id": template_id},
            "zns",
            phone=number,
            template_id=template_id,
            template_data=dict(data or {}),
            tracking_id=str(body["tracking_id"]),
        )
    quota = {"dailyQuota": str(state.zns_daily_quota), "remainingQuota": str(remain)}
    return 0, {"msg_id": entry["message_id"], "sent_time": str(entry["time"]), "quota": quota}


ENDPOINTS = {
    "/v3.0/oa/message/template": send_template,
    "/v3.0/oa/message/transaction": send_transaction,
    "/message/template": send_zns,
}
