"""The stand-in's control API (`POST /_standin/<name>`), documented in bot/zalo/standin.py."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any, Protocol

from bot.zalo.standin_state import Fault, Phone, StandinState


class ControlledServer(Protocol):
    state: StandinState

    @property
    def base_url(self) -> str: ...

    def deliver(self, event: dict[str, Any]) -> int: ...


def _c_tokens(server: ControlledServer, body: dict[str, Any]) -> dict[str, Any]:
    if body.get("expire_access"):
        server.state.expire_access()
        return {"expired": True}
    access, refresh = server.state.issue_pair()
    return {"access_token": access, "refresh_token": refresh, "expires_in": "90000"}


def _c_interaction(server: ControlledServer, body: dict[str, Any]) -> dict[str, Any]:
    state = server.state
    at = None
    if "at_ms" in body:
        at = float(body["at_ms"]) / 1000
    elif "seconds_ago" in body:
        at = state.now() - float(body["seconds_ago"])
    elif "following" not in body and "display_name" not in body:
        at = state.now()
    changes = {k: body[k] for k in ("following", "display_name") if k in body}
    state.touch(str(body["user_id"]), at, **changes)
    return {"ok": True}


_FAULT_KEYS = {"path", "mode", "code", "status", "delay", "times"}
_MODES = {"error", "http", "drop", "slow"}


def _c_fail(server: ControlledServer, body: dict[str, Any]) -> dict[str, Any]:
    unknown = set(body) - _FAULT_KEYS
    if unknown or body.get("mode", "error") not in _MODES:
        raise ValueError(f"fault keys {sorted(_FAULT_KEYS)}, modes {sorted(_MODES)}")
    fault = Fault(**body)
    with server.state.lock:
        server.state.faults.append(fault)
    return {"ok": True, "fault": fault.as_dict()}


def _c_outage(server: ControlledServer, body: dict[str, Any]) -> dict[str, Any]:
    with server.state.lock:
        server.state.faults = [f for f in server.state.faults if f.path != "/v"]
        if body.get("on", True):
            fault = Fault(
                path="/v",
                mode=str(body.get("mode", "http")),
                status=503,
                delay=float(body.get("delay", 0)),
                times=-1,
            )
            server.state.faults.insert(0, fault)
    return {"ok": True, "outage": bool(body.get("on", True))}


def _c_clock(server: ControlledServer, body: dict[str, Any]) -> dict[str, Any]:
    with server.state.lock:
        server.state.offset += float(body.get("advance_seconds", 0))
        return {"offset": server.state.offset}


_CONFIG_KEYS = (
    "strict_window",
    "rate_per_minute",
    "webhook_url",
    "template_monthly_quota",
    "zns_daily_quota",
    "transaction_enabled",
    "transaction_window_days",
    "cs_requires_follow",
    "zns_night_block",
)


def _c_config(server: ControlledServer, body: dict[str, Any]) -> dict[str, Any]:
    with server.state.lock:
        for key in _CONFIG_KEYS:
            if key in body:
                setattr(server.state, key, body[key])
    return {"ok": True}


def _c_media(server: ControlledServer, body: dict[str, Any]) -> dict[str, Any]:
    name = str(body["name"])
    if body.get("expired"):
        server.state.media.pop(name, None)
    else:
        content = base64.b64decode(str(body.get("content_b64", "")))
        server.state.media[name] = (content, str(body.get("content_type", "image/jpeg")))
    return {"url": f"{server.base_url}/_standin/media/{name}"}


def _c_deliver(server: ControlledServer, body: dict[str, Any]) -> dict[str, Any]:
    return {"status": server.deliver(body["event"])}


def _c_templates(server: ControlledServer, body: dict[str, Any]) -> dict[str, Any]:
    """Register a template as Zalo would hold it: status, parameter names, UID sending."""
    template = {
        "status": str(body.get("status", "ENABLE")),
        "params": [str(p) for p in body.get("params", [])],
        "uid": bool(body.get("uid", True)),
        "max_length": int(body.get("max_length", 200)),
    }
    with server.state.lock:
        server.state.templates[str(body["id"])] = template
    return {"ok": True}


def _c_phones(server: ControlledServer, body: dict[str, Any]) -> dict[str, Any]:
    """A phone number: on Zalo or not, whose it is, refusals, administrator."""
    phone = Phone(
        on_zalo=bool(body.get("on_zalo", True)),
        user_id=str(body["user_id"]) if body.get("user_id") else None,
        refuses=bool(body.get("refuses", False)),
        admin=bool(body.get("admin", False)),
    )
    with server.state.lock:
        server.state.phones[str(body["phone"])] = phone
    return {"ok": True}


def _c_reset(server: ControlledServer, body: dict[str, Any]) -> dict[str, Any]:
    server.state.reset()
    return {"ok": True}


CONTROL: dict[str, Callable[[ControlledServer, dict[str, Any]], dict[str, Any]]] = {
    "tokens": _c_tokens,
    "interaction": _c_interaction,
    "fail": _c_fail,
    "outage": _c_outage,
    "clock": _c_clock,
    "config": _c_config,
    "media": _c_media,
    "deliver": _c_deliver,
    "templates": _c_templates,
    "phones": _c_phones,
    "reset": _c_reset,
}
