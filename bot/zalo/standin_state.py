"""The stand-in's memory: tokens, users and their 7-day window, the record, injected faults."""

from __future__ import annotations

import secrets
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from typing import Any

WINDOW_SECONDS = 7 * 24 * 3600
ACCESS_SECONDS = 25 * 3600
REFRESH_SECONDS = 90 * 24 * 3600
MAX_TEXT = 2000
MAX_BUTTONS = 5
MAX_BUTTON_TITLE = 20


@dataclass
class Fault:
    """A failure to inject: on requests whose path starts with `path`, `times` times (-1: on)."""

    path: str = "/v3.0/"
    mode: str = "error"  # error | http | drop | slow
    code: int = -32
    status: int = 503
    delay: float = 0.0
    times: int = 1

    def as_dict(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass
class User:
    last_interaction: float | None = None
    following: bool = True
    display_name: str = "Công dân thử nghiệm"


@dataclass
class Phone:
    """A phone number as ZNS sees it: on Zalo or not, its owner's choices."""

    on_zalo: bool = True
    user_id: str | None = None  # the same person's id as a user of this OA, if any
    refuses: bool = False  # refused ZNS from this OA (-141)
    admin: bool = False  # an OA/app administrator (development mode reaches only them)


@dataclass
class StandinState:
    """Everything the stand-in knows; every method takes the lock."""

    app_id: str
    app_secret: str
    oa_id: str = "388613280878808645"
    oa_secret_key: str = ""
    webhook_url: str | None = None
    strict_window: bool = False
    rate_per_minute: int = 4000
    offset: float = 0.0
    access: dict[str, float] = field(default_factory=dict)
    refresh: dict[str, float] = field(default_factory=dict)
    codes: set[str] = field(default_factory=set)
    users: dict[str, User] = field(default_factory=dict)
    messages: list[dict[str, Any]] = field(default_factory=list)
    inbound: list[dict[str, Any]] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    calls: list[tuple[str, int]] = field(default_factory=list)
    # Templates and ZNS (bot/zalo/standin_reach.py): approved templates, phone numbers,
    # quotas and the counts against them, the transaction message's rules.
    templates: dict[str, dict[str, Any]] = field(default_factory=dict)
    phones: dict[str, Phone] = field(default_factory=dict)
    template_monthly_quota: int = 1000
    zns_daily_quota: int = 500
    used: dict[str, int] = field(default_factory=dict)
    transaction_enabled: bool = True
    transaction_window_days: int = 365
    cs_requires_follow: bool = True
    zns_night_block: bool = False
    _window: list[float] = field(default_factory=list)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def now(self) -> float:
        """The stand-in's clock (real time plus the offset tests set)."""
        return time.time() + self.offset

    # --- tokens ---------------------------------------------------------------------------

    def issue_pair(self) -> tuple[str, str]:
        """A fresh access/refresh pair (bootstrap, like the console's API Explorer)."""
        with self.lock:
            access, refresh = "AT-" + secrets.token_hex(12), "RT-" + secrets.token_hex(12)
            self.access[access] = self.now() + ACCESS_SECONDS
            self.refresh[refresh] = self.now() + REFRESH_SECONDS
            return access, refresh

    def spend_refresh(self, token: str) -> tuple[str, str] | None:
        """Single-use rotation: the old refresh token dies, a new pair is born."""
        with self.lock:
            expires = self.refresh.pop(token, None)
            if expires is None or expires < self.now():
                return None
            return self.issue_pair()

    def access_ok(self, token: str | None) -> bool:
        with self.lock:
            return bool(token) and self.access.get(token or "", 0) > self.now()

    def expire_access(self) -> None:
        with self.lock:
            for token in self.access:
                self.access[token] = 0

    # --- users and the window -------------------------------------------------------------

    def touch(self, user_id: str, at: float | None = None, **changes: Any) -> None:
        """Record an interaction (or change following/display name)."""
        with self.lock:
            user = self.users.setdefault(user_id, User())
            if at is not None:
                user.last_interaction = at
            for key, value in changes.items():
                setattr(user, key, value)

    def check_recipient(self, user_id: str) -> int:
        """0, or the error Zalo gives for this recipient (-213 not following, -230 window)."""
        with self.lock:
            user = self.users.get(user_id)
            if user is None:
                if self.strict_window:
                    return -230
                user = self.users[user_id] = User(last_interaction=self.now())
            if not user.following and self.cs_requires_follow:
                return -213
            if user.last_interaction is None or self.now() - user.last_interaction > WINDOW_SECONDS:
                return -230
            return 0

    def rate_limited(self) -> bool:
        with self.lock:
            now = time.monotonic()
            self._window = [t for t in self._window if now - t < 60]
            if len(self._window) >= self.rate_per_minute:
                return True
            self._window.append(now)
            return False

    # --- faults ---------------------------------------------------------------------------

    def next_fault(self, path: str) -> Fault | None:
        """The fault to apply to this request, consuming one use of it."""
        with self.lock:
            for fault in self.faults:
                if path.startswith(fault.path) and fault.times != 0:
                    if fault.times > 0:
                        fault.times -= 1
                    self.faults = [f for f in self.faults if f.times != 0]
                    return fault
            return None

    # --- messages -------------------------------------------------------------------------

    def record(
        self, user_id: str, message: dict[str, Any], kind: str | None = None, **extra: Any
    ) -> dict[str, Any]:
        with self.lock:
            entry = {
                "message_id": secrets.token_hex(10),
                "user_id": user_id,
                "text": str(message.get("text") or ""),
                "kind": kind or _kind(message),
                "message": message,
                "time": int(self.now() * 1000),
                **extra,
            }
            self.messages.append(entry)
            return entry

    def sent_to(self, user_id: str | None) -> list[dict[str, Any]]:
        with self.lock:
            return [dict(m) for m in self.messages if user_id in (None, m["user_id"])]

    def reset(self) -> None:
        with self.lock:
            self.access.clear()
            self.refresh.clear()
            self.users.clear()
            self.messages.clear()
            self.inbound.clear()
            self.faults.clear()
            self.calls.clear()
            self.templates.clear()
            self.phones.clear()
            self.used.clear()
            self.offset = 0.0
            self.strict_window = False


def check_message(message: Any) -> int:
    """0, or the error Zalo gives for a malformed consultation message."""
    if not isinstance(message, dict):
        return -201
    text = message.get("text")
    if text is not None and not isinstance(text, str):
        return -201
    if isinstance(text, str) and len(unicodedata.normalize("NFC", text)) > MAX_TEXT:
        return -210
    attachment = message.get("attachment")
    if attachment is None:
        return 0 if text else -201
    if not isinstance(attachment, dict) or attachment.get("type") != "template":
        return -233
    payload = attachment.get("payload")
    if not isinstance(payload, dict):
        return -201
    buttons = payload.get("buttons")
    if buttons is not None:
        if not isinstance(buttons, list) or not buttons or len(buttons) > MAX_BUTTONS:
            return -201
        for b in buttons:
            title = b.get("title") if isinstance(b, dict) else None
            if not isinstance(title, str) or not title or len(title) > MAX_BUTTON_TITLE:
                return -201
    template = payload.get("template_type")
    if template not in (None, "media", "request_user_info"):
        return -233
    return 0


def _kind(message: dict[str, Any]) -> str:
    attachment = message.get("attachment") or {}
    payload = attachment.get("payload") or {} if isinstance(attachment, dict) else {}
    if payload.get("template_type") == "media":
        return "image"
    if payload.get("template_type") == "request_user_info":
        return "request_user_info"
    return "buttons" if payload.get("buttons") else "text"
