"""`make run`: a local Zalo stand-in in the demo process, so replies flow without Zalo.

Starts the stand-in on loopback, points the runtime's Zalo API and OAuth bases at it, lets
the media downloader fetch from it, and stores a token pair it issued. Used only by
`flask demo`, which refuses to run outside demo mode.
"""

from __future__ import annotations

import logging
import socket

from bot.runtime import Runtime
from bot.zalo.standin import StandIn
from bot.zalo.tokens import TokenPair, store_pair
from config import Settings
from storage.db import transaction

logger = logging.getLogger(__name__)

PREFERRED_PORT = 8099
PRODUCTION_API = Settings.__dataclass_fields__["zalo_api_base"].default


def _port(host: str) -> int:
    """8099 if free (a stable address to show), else any free port."""
    with socket.socket() as sock:
        try:
            sock.bind((host, PREFERRED_PORT))
        except OSError:
            return 0
    return PREFERRED_PORT


def start_standin(runtime: Runtime, *, host: str, port: int) -> StandIn | None:
    """Run the stand-in for this demo and wire the runtime to it (None: a real API is set)."""
    settings = runtime.settings
    if not settings.demo:
        raise RuntimeError("the Zalo stand-in is wired only in demo mode")
    if settings.zalo_api_base != PRODUCTION_API:
        logger.info("demo: ZALO_API_BASE is set; not starting the stand-in")
        return None
    standin = StandIn.from_settings(
        settings,
        host="127.0.0.1",
        port=_port("127.0.0.1"),
        webhook_url=f"http://{host}:{port}/webhooks/zalo",
    ).start()
    hosts = tuple(dict.fromkeys((*settings.zalo_media_hosts, "127.0.0.1")))
    runtime.reconfigure(
        zalo_api_base=standin.base_url,
        zalo_oauth_base=standin.base_url,
        zalo_media_hosts=hosts,
        attachment_private_networks=(*settings.attachment_private_networks, "127.0.0.1/32"),
    )
    access, refresh = standin.state.issue_pair()
    with transaction(runtime.db.sessions) as session:
        pair = TokenPair(access, refresh, 90000)
        store_pair(session, pair, now=runtime.clock(), source="demo")
    return standin
