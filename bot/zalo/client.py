"""The Zalo OA API over `requests`: consultation messages, user detail, quota, uploads.

Zalo answers HTTP 200 with `{"error": 0, "data": …}`; any non-zero `error` raises
ZaloApiError. The access token goes in a header named `access_token`; GET parameters in one
JSON `data` query parameter. A -216/-220 answer refreshes the token once and retries once.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from bot.zalo.errors import Action, ZaloApiError, ZaloTransportError, ZaloUncertain
from bot.zalo.tokens import TokenStore

logger = logging.getLogger(__name__)

MAX_TEXT = 2000
CS_PATH = "/v3.0/oa/message/cs"
TEMPLATE_PATH = "/v3.0/oa/message/template"
TRANSACTION_PATH = "/v3.0/oa/message/transaction"
ZNS_PATH = "/message/template"


def zalo_len(text: str) -> int:
    """Length as Zalo may count it: UTF-16 units after NFC (never less than code points)."""
    return len(unicodedata.normalize("NFC", text).encode("utf-16-le")) // 2


_BREAKS = (
    re.compile(r"\n\s*\n"),  # paragraph
    re.compile(r"\n"),  # line
    re.compile(r"[.!?…:;]+[\"')\]]*(?=\s)"),  # sentence
    re.compile(r"\s"),  # word
)


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """NFC text in parts of at most `limit`, cut at paragraph, then sentence, then word ends."""
    rest = unicodedata.normalize("NFC", text).strip()
    parts: list[str] = []
    while zalo_len(rest) > limit:
        cut = _cut(rest, limit)
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts


def _cut(text: str, limit: int) -> int:
    """Where to cut: the last good boundary that keeps the part within the limit."""
    fit = len(text[:limit])
    while zalo_len(text[:fit]) > limit:
        fit -= 1
    window = text[:fit]
    for pattern in _BREAKS:
        ends = [m.end() for m in pattern.finditer(window) if m.end() >= fit // 4]
        if ends:
            return ends[-1]
    if fit and unicodedata.category(window[fit - 1]) in {"Mn", "Cf"}:
        fit -= 1  # do not separate a combining mark or joiner from its base
    return max(fit, 1)


def build_messages(payload: Mapping[str, Any], kind: str = "") -> list[dict[str, Any]]:
    """The `message` objects an outbox payload becomes (long texts in several parts)."""
    kind = kind or _kind_of(payload)
    text = str(payload.get("text") or "")
    parts = split_text(text) if text else []
    messages: list[dict[str, Any]] = [{"text": p} for p in parts]
    attachment = _attachment(kind, payload)
    if attachment is not None:
        if kind == "request_user_info":
            messages = [{"attachment": attachment}]
        elif messages:
            messages[-1]["attachment"] = attachment
        else:
            messages = [{"attachment": attachment}]
    if messages and payload.get("quote_msg_id"):
        messages[0]["quote_message_id"] = str(payload["quote_msg_id"])
    return messages


def _kind_of(payload: Mapping[str, Any]) -> str:
    if payload.get("subtitle") is not None and payload.get("image_url"):
        return "request_user_info"
    return "image" if payload.get("image_url") else "text"


def _attachment(kind: str, payload: Mapping[str, Any]) -> dict[str, Any] | None:
    if kind == "request_user_info":
        element = {
            "title": str(payload.get("text") or ""),
            "subtitle": str(payload.get("subtitle") or ""),
            "image_url": str(payload.get("image_url") or ""),
        }
        return {
            "type": "template",
            "payload": {"template_type": "request_user_info", "elements": [element]},
        }
    if payload.get("image_url"):
        element = {"media_type": "image", "url": str(payload["image_url"])}
        return {"type": "template", "payload": {"template_type": "media", "elements": [element]}}
    buttons = payload.get("buttons") or []
    if buttons:
        return {"type": "template", "payload": {"buttons": [_button(b) for b in buttons]}}
    return None


def _button(button: Mapping[str, Any]) -> dict[str, Any]:
    kind = str(button.get("type") or "oa.query.hide")
    value = str(button.get("payload") or "")
    payload: Any = value
    if kind == "oa.open.url":
        payload = {"url": value}
    elif kind == "oa.open.phone":
        payload = {"phone_code": value}
    return {"title": str(button.get("title") or ""), "type": kind, "payload": payload}


class ZaloClient:
    """One OA's API client; thread-safe (a pooled `requests.Session` per thread)."""

    def __init__(
        self,
        *,
        api_base: str,
        tokens: TokenStore,
        timeout: tuple[float, float] = (3, 10),
        pool_size: int = 8,
    ) -> None:
        self.api_base = api_base.rstrip("/")
        self.tokens = tokens
        self.timeout = timeout
        self.pool_size = pool_size
        self._local = threading.local()

    # --- endpoints ------------------------------------------------------------------------

    def send_message(self, user_id: str, message: Mapping[str, Any]) -> str:
        """Send one consultation message; return Zalo's message id."""
        data = self.call(
            "POST", CS_PATH, json={"recipient": {"user_id": user_id}, "message": message}
        )
        return str(data.get("message_id") or "")

    def send_text(self, user_id: str, text: str) -> list[str]:
        """Send a text of any length (split on sentence boundaries); the message ids."""
        return [self.send_message(user_id, {"text": part}) for part in split_text(text)]

    def send_template(
        self, user_id: str, template_id: str, data: Mapping[str, str], *, flat: bool = False
    ) -> dict[str, Any]:
        """An approved template by user id (ZBS): `message_id` and maybe `quota`."""
        who: dict[str, Any] = {"user_id": user_id} if flat else {"recipient": {"user_id": user_id}}
        body = {**who, "template_id": template_id, "template_data": dict(data)}
        return dict(self.call("POST", TEMPLATE_PATH, json=body) or {})

    def send_transaction(self, user_id: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        """The OA transaction message (template payload of elements and buttons)."""
        message = {"attachment": {"type": "template", "payload": dict(payload)}}
        body = {"recipient": {"user_id": user_id}, "message": message}
        return dict(self.call("POST", TRANSACTION_PATH, json=body) or {})

    def send_zns(
        self,
        base: str,
        phone: str,
        template_id: str,
        data: Mapping[str, str],
        tracking_id: str,
        *,
        development: bool = False,
    ) -> dict[str, Any]:
        """A ZNS template to a phone number (84…): `msg_id` and `quota` (other host)."""
        body: dict[str, Any] = {
            "phone": phone,
            "template_id": template_id,
            "template_data": dict(data),
            "tracking_id": tracking_id,
        }
        if development:
            body["mode"] = "development"
        return dict(self.call("POST", ZNS_PATH, json=body, base=base) or {})

    def user_detail(self, user_id: str) -> dict[str, Any]:
        """Display name, avatars and shared info of a follower."""
        return self.call("GET", "/v3.0/oa/user/detail", params={"user_id": user_id})

    def quota(self, user_id: str) -> dict[str, Any]:
        """The citizen's message quota and last interaction as Zalo sees them."""
        return self.call("POST", "/v3.0/oa/quota/message", json={"user_id": user_id})

    def conversation(self, user_id: str, *, count: int = 10) -> list[dict[str, Any]]:
        """The latest messages with a citizen, newest first (`src` 0 = sent by the OA)."""
        data = self.call(
            "GET", "/v2.0/oa/conversation", params={"user_id": user_id, "offset": 0, "count": count}
        )
        items = data.get("items", data) if isinstance(data, dict) else data
        return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []

    def upload(self, kind: str, filename: str, content: bytes, mime: str) -> str:
        """Upload an image or file (v2.0); return the attachment id / token to send it with."""
        if kind not in {"image", "file"}:
            raise ValueError("upload kind is image or file")
        data = self.call(
            "POST", f"/v2.0/oa/upload/{kind}", files={"file": (filename, content, mime)}
        )
        return str(data.get("attachment_id") or data.get("token") or "")

    # --- the call ------------------------------------------------------------------------

    def call(
        self,
        method: str,
        path: str,
        *,
        json: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
        files: Mapping[str, Any] | None = None,
        base: str | None = None,
    ) -> Any:
        """One API call with one token refresh and one retry on -216/-220 (-124 for ZNS)."""
        url = (base.rstrip("/") if base else self.api_base) + path
        token = self.tokens.access_token()
        try:
            return self._once(method, url, token, json=json, params=params, files=files)
        except ZaloApiError as exc:
            if exc.action is not Action.REFRESH and not (base and exc.code == -124):
                raise
            logger.info("Zalo token refused (code %s); refreshing once", exc.code)
        token = self.tokens.refresh(stale=token)
        return self._once(method, url, token, json=json, params=params, files=files)

    def _once(
        self,
        method: str,
        url: str,
        token: str,
        *,
        json: Mapping[str, Any] | None,
        params: Mapping[str, Any] | None,
        files: Mapping[str, Any] | None,
    ) -> Any:
        query = {"data": _dumps(params)} if params is not None else None
        path = url.split("://", 1)[-1].partition("/")[2]
        try:
            resp = self._http().request(
                method,
                url,
                headers={"access_token": token},
                json=json,
                params=query,
                files=files,
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            kind = ZaloTransportError if _never_sent(exc) else ZaloUncertain
            raise kind(f"{path}: {type(exc).__name__}") from None
        if resp.status_code in (500, 502, 504):
            raise ZaloUncertain(f"{path}: HTTP {resp.status_code}")
        if resp.status_code >= 500 or resp.status_code == 429:
            raise ZaloTransportError(f"{path}: HTTP {resp.status_code}")
        try:
            body = resp.json()
        except ValueError:
            raise ZaloTransportError(f"{path}: HTTP {resp.status_code}, not JSON") from None
        if not isinstance(body, dict):
            raise ZaloTransportError(f"{path}: unexpected answer")
        code = body.get("error", 0)
        if code not in (0, "0", None):
            raise ZaloApiError(_int(code), str(body.get("message") or ""))
        return body.get("data") if body.get("data") is not None else {}

    def _http(self) -> requests.Session:
        http: requests.Session | None = getattr(self._local, "http", None)
        if http is None:
            http = requests.Session()
            adapter = HTTPAdapter(pool_connections=2, pool_maxsize=self.pool_size)
            http.mount("http://", adapter)
            http.mount("https://", adapter)
            self._local.http = http
        return http

    def close(self) -> None:
        """Close this thread's pooled connections."""
        http = getattr(self._local, "http", None)
        if http is not None:
            http.close()
            self._local.http = None


def _never_sent(exc: requests.RequestException) -> bool:
    """Whether the request certainly did not reach Zalo (no connection was made)."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    if isinstance(exc, requests.ConnectionError):
        reason = getattr(exc.args[0], "reason", None) if exc.args else None
        return isinstance(reason, NewConnectionError | ConnectTimeoutError)
    return isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema)


def _dumps(value: Mapping[str, Any] | Sequence[Any]) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1
