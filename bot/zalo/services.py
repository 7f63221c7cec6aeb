"""Wiring: build the Zalo layer's parts from Settings and a session factory.

`build(settings, sessions)` gives a `ZaloServices` the web process, the CLI and the jobs share
(`JobContext.services["zalo"]`). Other layers queue messages with `handlers.outbox` and never
need these objects; the simulator and tests use them to drive processing and sending.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.zalo.client import ZaloClient
from bot.zalo.media import Downloader
from bot.zalo.processing import Processor
from bot.zalo.reach import ReachTransport
from bot.zalo.reach_rules import ReachConfig
from bot.zalo.sender import Sender, Transport, mail_transport
from bot.zalo.tokens import OAuthClient, TokenStore
from bot.zalo.transport import ZaloTransport
from config import Settings
from handlers.inbound import Router
from handlers.inbound import router as default_router


@dataclass
class ZaloServices:
    """The Zalo layer of one process."""

    settings: Settings
    sessions: sessionmaker[Session]
    tokens: TokenStore
    client: ZaloClient
    downloader: Downloader
    processor: Processor
    sender: Sender
    extra: dict[str, Any] = field(default_factory=dict)


def build(
    settings: Settings,
    sessions: sessionmaker[Session],
    *,
    router: Router | None = None,
    handler_services: Mapping[str, Any] | None = None,
    transports: Mapping[str, Transport] | None = None,
) -> ZaloServices:
    """Everything the Zalo layer needs, sharing one session factory."""
    timeout = (float(settings.zalo_connect_timeout_seconds), float(settings.zalo_timeout_seconds))
    oauth = OAuthClient(
        base=settings.zalo_oauth_base,
        app_id=settings.zalo_app_id,
        app_secret=settings.zalo_app_secret,
        timeout=timeout,
    )
    tokens = TokenStore(
        sessions, oauth, early_margin=timedelta(seconds=settings.zalo_token_refresh_margin_seconds)
    )
    client = ZaloClient(api_base=settings.zalo_api_base, tokens=tokens, timeout=timeout)
    downloader = Downloader(
        settings.attachment_dir,
        max_bytes=settings.attachment_max_bytes,
        allowed_types=settings.attachment_allowed_types,
        allowed_hosts=settings.zalo_media_hosts,
        timeout=(timeout[0], max(timeout[1], 20.0)),
    )
    processor = Processor(
        sessions=sessions,
        router=router or default_router,
        downloader=downloader,
        consent_version=settings.consent_version,
        timezone=settings.timezone,
        services=dict(handler_services or {}),
        max_attempts=settings.inbound_max_attempts,
    )
    cs = ZaloTransport(client, sessions)
    reach = ReachTransport(cs, client, sessions, ReachConfig.from_settings(settings))
    chosen: dict[str, Transport] = {"zalo": reach}
    mail = mail_transport(settings)
    if mail is not None:
        chosen["email"] = mail
    chosen.update(transports or {})
    sender = Sender(
        sessions,
        chosen,
        lease=timedelta(seconds=settings.outbox_lease_seconds),
        give_up_after=timedelta(hours=settings.outbox_give_up_hours),
    )
    return ZaloServices(settings, sessions, tokens, client, downloader, processor, sender)
