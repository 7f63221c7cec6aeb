"""Everything that speaks HTTP or runs processes: the app factory lives here."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from bot import admin, cli, database, errors, health, logs, nlp_models, simulator
from bot.runtime import Runtime, attach, build_runtime
from bot.zalo.cli import zalo_cli
from bot.zalo.webhook import bp as webhook_bp
from config import Settings, load_settings
from handlers.inbound import Router


class RowId(IntegerConverter):
    """`<int:…>` in our URLs names a row: anything beyond a 64-bit key is simply not found
    (the database driver would otherwise fail on it with a 500)."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:  # noqa: A002
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(map, *args, **kwargs)


def create_app(
    settings: Settings | None = None,
    *,
    runtime: Runtime | None = None,
    router: Router | None = None,
) -> Flask:
    """Build the web application; nothing app-shaped exists before this is called.

    `runtime` (else one built from `settings`, else from the environment) holds every part the
    requests, commands and embedded loops share; `router` replaces the inbound router (tests).
    """
    if runtime is None:
        runtime = build_runtime(settings or load_settings(), router=router)
    settings = runtime.settings
    logs.configure(settings.log_level)
    app = Flask(__name__, instance_path=str(database.instance_dir(settings)))
    app.url_map.converters["int"] = RowId
    app.config.update(
        SECRET_KEY=settings.secret_key,
        TESTING=settings.testing,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        MAX_CONTENT_LENGTH=settings.attachment_max_bytes + 64 * 1024,
        JSON_AS_ASCII=False,
    )
    attach(app, runtime)
    # Behind the reverse proxy: trust one hop for scheme and client address.
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    database.init_app(app)
    errors.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(webhook_bp)
    app.cli.add_command(zalo_cli)
    simulator.init_app(app)
    nlp_models.init_app(app)  # follow the installed classifier version (docs/nlp.md)
    cli.init_app(app)
    return app
