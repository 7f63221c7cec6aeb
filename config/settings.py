"""Typed, frozen settings read from the environment (and an optional `.env` file).

Every process (web, scheduler, CLI, migrations) builds one `Settings` at start-up and passes
it down; nothing else reads `os.environ`. Missing secrets fail fast with all their names.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields, replace
from pathlib import Path
from typing import Any

from dotenv import dotenv_values

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"

#: Required outside demo and test mode; the README documents each one.
REQUIRED = ("SECRET_KEY", "ZALO_APP_ID", "ZALO_APP_SECRET", "ZALO_OA_SECRET_KEY", "SMTP_URL")

#: Bytes a SECRET_KEY needs outside demo and tests: it signs the staff's sessions.
MIN_SECRET_KEY_BYTES = 32

#: Values used only by `make run` (PAKN_DEMO=1) and by the tests. Never in production.
DEMO_SECRETS = {
    "SECRET_KEY": "demo-only-secret-key-not-for-production",
    "ZALO_APP_ID": "1000000000000000001",
    "ZALO_APP_SECRET": "demo-app-secret",
    "ZALO_OA_SECRET_KEY": "demo-oa-secret-key",
    "SMTP_URL": "smtp://127.0.0.1:8025",
}


class ConfigError(RuntimeError):
    """The environment does not describe a runnable service."""


@dataclass(frozen=True)
class Settings:
    """Everything the processes need to know about their environment."""

    secret_key: str
    zalo_app_id: str
    zalo_app_secret: str
    zalo_oa_secret_key: str
    smtp_url: str
    database_url: str = f"sqlite:///{INSTANCE_DIR / 'pakn.sqlite3'}"
    zalo_api_base: str = "https://openapi.zalo.me"
    zalo_oauth_base: str = "https://oauth.zaloapp.com"
    zalo_oa_id: str = ""
    zalo_verifier_code: str = ""
    demo: bool = False
    testing: bool = False
    log_level: str = "INFO"
    # Webhook
    webhook_max_bytes: int = 256 * 1024
    webhook_signature_variants: tuple[str, ...] = ("app_body_ts_oakey",)
    webhook_max_skew_seconds: int = 24 * 3600
    webhook_allow_console_check: bool = True
    # Attachments (downloaded evidence and staff uploads)
    attachment_dir: str = str(INSTANCE_DIR / "attachments")
    attachment_max_bytes: int = 20 * 1024 * 1024
    # /healthz answers 503 when the attachments' disk has less free space than this.
    health_min_free_mb: int = 512
    # Petitions
    petition_code_prefix: str = "TK"
    consent_version: str = "2026-01"
    # Admin sessions
    session_cookie_secure: bool = True
    login_max_failures: int = 5
    login_lockout_minutes: int = 15
    # A staff session unused this long ends (a browser closed without signing out).
    session_idle_minutes: int = 120
    # --- Zalo platform layer (documented in bot/zalo/README.md) ---
    # Until this ISO time, webhook requests that fail verification get 200 and are not stored
    # (set it for a few minutes while saving the webhook URL in the Zalo console).
    webhook_console_check_until: str = ""
    # `off`: the web process only stores events and the worker processes them; `sync`: the
    # request processes its event before answering (tests and tools only).
    zalo_inline_mode: str = "off"
    zalo_connect_timeout_seconds: int = 3
    zalo_timeout_seconds: int = 10
    zalo_token_refresh_margin_seconds: int = 5 * 3600
    zalo_media_hosts: tuple[str, ...] = ("zdn.vn", "zadn.vn", "zalo.me", "zaloapp.com")
    # Private networks attachments may still be fetched from ("127.0.0.1/32": the local
    # stand-in and tests); empty in production, where only public addresses are called.
    attachment_private_networks: tuple[str, ...] = ()
    # One attachment download, redirects included, gets this long in all.
    attachment_download_deadline_seconds: int = 60
    attachment_allowed_types: tuple[str, ...] = (
        "image/",
        "audio/",
        "video/",
        "application/pdf",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.",
        "application/vnd.ms-excel",
        "text/plain",
    )
    inbound_max_attempts: int = 8
    # Processed webhook bodies (citizen text) are emptied after this many days.
    inbound_raw_retention_days: int = 7
    # Closed petitions lose their personal data this many months after closing (the admin
    # settings screen may change it).
    anonymise_after_months: int = 24
    outbox_lease_seconds: int = 600
    outbox_give_up_hours: int = 48
    # Email
    mail_from: str = "pakn@mttq-tamky.vn"
    # --- Worker, scheduler, reminders and mail ---
    # How often an idle worker looks for work when nothing woke it (SQLite; PostgreSQL wakes
    # it with NOTIFY and this is only a safety net).
    worker_poll_ms: int = 250
    # A worker claims inbound events for this long; a dead worker's claims run out after it.
    inbound_lease_seconds: int = 120
    mail_from_name: str = "Ủy ban MTTQ Việt Nam khu vực Tam Kỳ"
    smtp_timeout_seconds: int = 20
    # SQLite leader lease: the leader renews it every third of this; a standby takes it after.
    scheduler_lease_seconds: int = 30
    # How often a hot-standby scheduler tries to become the leader.
    scheduler_poll_seconds: int = 5
    # Generated đôn đốc letters (.docx) and an optional folder of replacement templates.
    letter_dir: str = str(INSTANCE_DIR / "letters")
    letter_template_dir: str = ""
    # Rows claimed per transaction by a reminder pass (one ward's chunk per commit).
    reminder_batch_size: int = 2000
    # Auto-closes (no satisfaction answer) per run of the hourly job; the rest wait an hour.
    reminder_auto_close_per_run: int = 500
    # Links in staff emails point here.
    admin_base_url: str = "http://127.0.0.1:5000"
    # --- The citizen's conversation ---
    # Quiet time after a citizen's last message before the bot answers the burst as one draft.
    conversation_gather_ms: int = 6000
    # Unsent drafts are deleted, with a polite message, after this many hours of silence.
    conversation_draft_ttl_hours: int = 24
    # Messages sent before consent are held this many minutes, then deleted unless consented.
    conversation_hold_minutes: int = 30
    # At most this many messages per citizen per minute get answers (floods get one notice).
    conversation_rate_limit: int = 20
    # Abusive messages before a citizen is flagged for staff.
    conversation_abuse_flag_after: int = 3
    # Local office hours, Monday–Friday except holidays ("07:30-11:30,13:30-17:00").
    conversation_office_hours: tuple[str, ...] = ("07:30-11:30", "13:30-17:00")
    # --- Reaching the citizen beyond Zalo's 7-day window (docs/zalo-messages.md) ---
    # What reaches a follower outside the window: template (approved template by user id,
    # /v3.0/oa/message/template), transaction (the OA transaction message, reported shut
    # down on 2026-03-01) or off.
    zalo_follower_kind: str = "template"
    # Where the user id goes in a template-by-UID body: recipient ({"recipient":
    # {"user_id"}}) or flat ({"user_id"}); sources disagree.
    zalo_template_recipient: str = "recipient"
    # Approved template ids per notice: "status=ID,result=ID,satisfaction=ID" (by UID).
    zalo_template_ids: tuple[str, ...] = ()
    # The same for ZNS by phone; empty = the ids above (templates approved since
    # 10/12/2025 serve both channels).
    zns_template_ids: tuple[str, ...] = ()
    zns_api_base: str = "https://business.openapi.zalo.me"
    # Send ZNS in Zalo's development mode (only OA/app administrators receive it).
    zns_development_mode: bool = False
    # Quotas the product counts against (Zalo's own answer wins when it reports one).
    zalo_template_monthly_quota: int = 1000
    zns_daily_quota: int = 500
    # Warn administrators when this share of a quota is used.
    zalo_quota_warn_percent: int = 80
    # Templates and ZNS wait for the morning in these local hours (push is suppressed or
    # the send refused at night); empty = send at any hour.
    zalo_template_quiet_hours: str = "22:00-06:00"
    # --- The classifier's learning loop (docs/nlp.md) ---
    # Model versions trained in service (never the package's nlp/models).
    nlp_model_dir: str = str(INSTANCE_DIR / "models")

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is SQLite (locks and claims differ from PostgreSQL)."""
        return self.database_url.startswith("sqlite")

    def with_overrides(self, **changes: Any) -> Settings:
        """Return a copy with some fields changed (tests, the demo server)."""
        return replace(self, **changes)


_BOOL_TRUE = {"1", "true", "yes", "on"}


def _coerce(name: str, raw: str, default: Any) -> Any:
    """Turn an environment string into the type of the field's default."""
    try:
        if isinstance(default, bool):
            return raw.strip().lower() in _BOOL_TRUE
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, tuple):
            return tuple(p.strip() for p in raw.split(",") if p.strip())
    except ValueError as exc:
        raise ConfigError(f"invalid value for {name}: expected a number") from exc
    return raw


def load_settings(
    environ: Mapping[str, str] | None = None, *, env_file: Path | None = None, **overrides: Any
) -> Settings:
    """Build settings from the environment; raise ConfigError naming every missing secret."""
    source: dict[str, str] = {}
    dotenv = env_file if env_file is not None else PROJECT_ROOT / ".env"
    if dotenv.is_file():
        source.update({k: v for k, v in dotenv_values(dotenv).items() if v is not None})
    source.update(os.environ if environ is None else environ)

    demo = source.get("PAKN_DEMO", "").lower() in _BOOL_TRUE
    testing = bool(overrides.get("testing"))
    if demo or testing:
        source = {**DEMO_SECRETS, **source}
    missing = [name for name in REQUIRED if not source.get(name)]
    if missing:
        raise ConfigError(f"missing required environment variables: {', '.join(missing)}")
    if not (demo or testing):
        _check_secret_key(source["SECRET_KEY"])

    values: dict[str, Any] = {"demo": demo}
    for f in fields(Settings):
        env_name = f.name.upper()
        if f.name in {"demo", "testing"} or env_name not in source:
            continue
        default = "" if f.default is MISSING else f.default
        values[f.name] = _coerce(env_name, source[env_name], default)
    if demo:
        values.setdefault("session_cookie_secure", False)
    values.update(overrides)
    _check_choices(values)
    return Settings(**values)


def _check_secret_key(key: str) -> None:
    """A short key can be guessed, and with it any staff session forged."""
    size = len(key.encode())
    if size < MIN_SECRET_KEY_BYTES:
        raise ConfigError(
            f"SECRET_KEY is too short ({size} bytes): use at least {MIN_SECRET_KEY_BYTES} "
            'random bytes, e.g. python3 -c "import secrets; print(secrets.token_urlsafe(48))"'
        )


#: Fields that accept only some values.
CHOICES = {"zalo_inline_mode": ("off", "sync")}


def _check_choices(values: Mapping[str, Any]) -> None:
    for name, allowed in CHOICES.items():
        if name in values and values[name] not in allowed:
            raise ConfigError(f"invalid value for {name.upper()}: expected one of {allowed}")
