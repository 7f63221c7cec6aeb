"""The Zalo OA platform layer: webhook, processing, client, tokens, outbox sender, stand-in.

`init_app(app, settings)` registers the webhook blueprint, the `zalo` CLI group and the
commit hook; the jobs (`zalo-inbound`, `outbox-drain`, `zalo-refresh-token`) register on
import. Other layers use `handlers.outbox` to send and `handlers.inbound.router` to handle
events; see docs/zalo-platform.md.

Per-app overrides (tests, tools) go in `app.extensions` before first use:
`"pakn.zalo.router"` (a handlers.inbound.Router) and `"pakn.handler_services"` (a dict
handed to handlers as `ctx.services`).
"""

from __future__ import annotations

from flask import Flask

from bot.zalo import jobs as _jobs  # noqa: F401 - registers the jobs
from bot.zalo.services import ZaloServices, build
from bot.zalo.worker import InlineWorker, install_commit_hook
from config import Settings

MODES = ("thread", "sync", "off")


def init_app(app: Flask, settings: Settings) -> None:
    """Register the webhook, the CLI group and the commit hook."""
    from bot.zalo.cli import zalo_cli
    from bot.zalo.webhook import bp

    app.register_blueprint(bp)
    app.cli.add_command(zalo_cli)
    if inline_mode(settings) == "thread":
        install_commit_hook()
        worker_of(app)  # its thread starts on first use, after any fork


def inline_mode(settings: Settings) -> str:
    """thread, sync or off (empty: sync under tests, thread otherwise)."""
    mode = settings.zalo_inline_mode.strip().lower()
    if mode in MODES:
        return mode
    return "sync" if settings.testing else "thread"


def services_of(app: Flask) -> ZaloServices:
    """The app's Zalo services, built on first use from its session factory."""
    from bot.database import get_db

    services: ZaloServices | None = app.extensions.get("pakn.zalo")
    if services is None:
        services = build(
            app.extensions["pakn.settings"],
            get_db(app).sessions,
            router=app.extensions.get("pakn.zalo.router"),
            handler_services=app.extensions.get("pakn.handler_services"),
        )
        app.extensions["pakn.zalo"] = services
    return services


def worker_of(app: Flask) -> InlineWorker:
    """The app's in-process worker (its thread starts on first use)."""
    worker: InlineWorker | None = app.extensions.get("pakn.zalo.worker")
    if worker is None:
        worker = InlineWorker(lambda: services_of(app))
        app.extensions["pakn.zalo.worker"] = worker
    return worker


def job_services(app: Flask) -> dict[str, object]:
    """What `_job_services()` hands the jobs."""
    return {"zalo": services_of(app)}


__all__ = ["ZaloServices", "build", "init_app", "inline_mode", "job_services", "services_of"]
