"""The Zalo layer's scheduled jobs (run by the scheduler, or once with `flask jobs run`).

They need `JobContext.services["zalo"]` (wired by bot.cli._job_services); without it they
report that and do nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from handlers.jobs import JobContext, job
from storage.models.base import utcnow


def _zalo(ctx: JobContext) -> Any:
    return ctx.services.get("zalo")


def _shifted_clock(ctx: JobContext) -> Callable[[], datetime]:
    """Real time moved to the job's `now` (a catch-up or a test runs in its own time)."""
    offset = ctx.now - utcnow()
    return lambda: utcnow() + offset


@job("zalo-inbound")
def process_inbound(ctx: JobContext) -> Mapping[str, Any]:
    """Process stored deliveries not processed yet (crash, failure) and retry downloads."""
    zalo = _zalo(ctx)
    if zalo is None:
        return {"skipped": "zalo services not wired"}
    outcomes = zalo.processor.process_due(now=ctx.now)
    downloads = zalo.processor.retry_downloads(now=ctx.now)
    return {**dict(outcomes), "downloads_recovered": downloads}


@job("outbox-drain")
def drain_outbox(ctx: JobContext) -> Mapping[str, Any]:
    """Send what is due in the outbox; settle rows a vanished sender left behind."""
    zalo = _zalo(ctx)
    if zalo is None:
        return {"skipped": "zalo services not wired"}
    return dict(zalo.sender.drain(clock=_shifted_clock(ctx), limit=500))


@job("zalo-refresh-token")
def refresh_token(ctx: JobContext) -> Mapping[str, Any]:
    """Refresh the access token early (about 5 h before it expires)."""
    zalo = _zalo(ctx)
    if zalo is None:
        return {"skipped": "zalo services not wired"}
    before = zalo.tokens.status()
    if not before.get("stored"):
        return {"refreshed": False, "reason": "no tokens stored"}
    zalo.tokens.refresh(early=True, now=ctx.now)
    after = zalo.tokens.status()
    return {
        "refreshed": after["access_expires_at"] != before["access_expires_at"],
        "access_expires_at": after["access_expires_at"],
    }
