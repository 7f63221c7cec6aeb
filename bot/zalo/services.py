"""The Zalo layer of one process, built from Settings and a session factory (bot.runtime).

Other layers queue messages with `handlers.outbox` and never need these objects; the worker,
the jobs, the simulator and the tests use them to process events and send.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import system_clock
from bot.mail import transport as mail_transport
from bot.zalo.client import ZaloClient
from bot.zalo.media import Downloader
from bot.zalo.processing import Processor
from bot.zalo.reach import ReachTransport
from bot.zalo.reach_rules import ReachConfig
from bot.zalo.sender import Sender, Transport
from bot.zalo.tokens import OAuthClient, TokenStore
from bot.zalo.transport import ZaloTransport
from config import Settings
from handlers.clock import Clock
from handlers.inbound import Router
from handlers.services import Services


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


def build(
    settings: Settings,
    sessions: sessionmaker[Session],
    *,
    router: Router,
    services: Services,
    clock: Clock = system_clock,
    deferred: sessionmaker[Session] | None = None,
    transports: Mapping[str, Transport] | None = None,
) -> ZaloServices:
    """Everything the Zalo layer needs, sharing one session factory and one clock.

    `deferred` sessions begin as readers (storage.db): the Zalo transport records a send in a
    transaction that waits on Zalo, and on SQLite must not hold the write lock meanwhile.
    """
    timeout = (float(settings.zalo_connect_timeout_seconds), float(settings.zalo_timeout_seconds))
    oauth = OAuthClient(
        base=settings.zalo_oauth_base,
        app_id=settings.zalo_app_id,
        app_secret=settings.zalo_app_secret,
        timeout=timeout,
    )
    tokens = TokenStore(
        sessions,
        oauth,
        early_margin=timedelta(seconds=settings.zalo_token_refresh_margin_seconds),
        clock=clock,
    )
    client = ZaloClient(api_base=settings.zalo_api_base, tokens=tokens, timeout=timeout)
    downloader = Downloader(
        settings.attachment_dir,
        max_bytes=settings.attachment_max_bytes,
        allowed_types=settings.attachment_allowed_types,
        allowed_hosts=settings.zalo_media_hosts,
        timeout=(timeout[0], max(timeout[1], 20.0)),
        deadline=float(settings.attachment_download_deadline_seconds),
        private_networks=settings.attachment_private_networks,
    )
    processor = Processor(
        sessions=sessions,
        router=router,
        downloader=downloader,
        services=services,
        max_attempts=settings.inbound_max_attempts,
        lease=timedelta(seconds=settings.inbound_lease_seconds),
        clock=clock,
    )
    cs = ZaloTransport(client, deferred or sessions, clock=clock)
    reach = ReachTransport(cs, client, sessions, ReachConfig.from_settings(settings), clock=clock)
    chosen: dict[str, Transport] = {"zalo": reach, "email": mail_transport(settings)}
    chosen.update(transports or {})
    sender = Sender(
        sessions,
        chosen,
        lease=timedelta(seconds=settings.outbox_lease_seconds),
        give_up_after=timedelta(hours=settings.outbox_give_up_hours),
        clock=clock,
    )
    return ZaloServices(settings, sessions, tokens, client, downloader, processor, sender)
