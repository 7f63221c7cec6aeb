"""The Zalo layer's jobs, bound to one process's ZaloServices (bot.runtime lists them).

The worker does this work continuously; these names let an operator run a pass by hand
(`flask jobs run outbox-drain`) and let tests and catch-ups run it at a chosen time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.clock import offset_clock
from bot.zalo.services import ZaloServices
from handlers.jobs import JobContext, JobFn


def zalo_jobs(zalo: ZaloServices) -> Mapping[str, JobFn]:
    """The jobs `zalo-inbound`, `outbox-drain` and `zalo-refresh-token` of `zalo`."""

    def process_inbound(ctx: JobContext) -> Mapping[str, Any]:
        """Process stored deliveries not processed yet (crash, failure) and fetch evidence."""
        outcomes = zalo.processor.process_due(now=ctx.now, limit=1000, download=False)
        downloads = zalo.processor.fetch_downloads(now=ctx.now)
        return {**dict(outcomes), "downloads": downloads}

    def drain_outbox(ctx: JobContext) -> Mapping[str, Any]:
        """Send what is due in the outbox; settle rows a vanished sender left behind."""
        return dict(zalo.sender.drain(clock=offset_clock(ctx.now), limit=500))

    def refresh_token(ctx: JobContext) -> Mapping[str, Any]:
        """Refresh the access token early (about 5 h before it expires)."""
        before = zalo.tokens.status()
        if not before.get("stored"):
            return {"refreshed": False, "reason": "no tokens stored"}
        zalo.tokens.refresh(early=True, now=ctx.now)
        after = zalo.tokens.status()
        return {
            "refreshed": after["access_expires_at"] != before["access_expires_at"],
            "access_expires_at": after["access_expires_at"],
        }

    return {
        "zalo-inbound": process_inbound,
        "outbox-drain": drain_outbox,
        "zalo-refresh-token": refresh_token,
    }
