"""Everything that speaks HTTP or runs processes: the app factory lives here."""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from bot import (
    admin,
    cli,
    conversation,
    database,
    errors,
    health,
    logs,
    nlp_models,
    simulator,
    zalo,
)
from config import Settings, load_settings


def create_app(settings: Settings | None = None) -> Flask:
    """Build the web application; nothing app-shaped exists before this is called."""
    settings = settings or load_settings()
    logs.configure(settings.log_level)
    app = Flask(__name__, instance_path=str(database.instance_dir(settings)))
    app.config.update(
        SECRET_KEY=settings.secret_key,
        TESTING=settings.testing,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        MAX_CONTENT_LENGTH=settings.attachment_max_bytes + 64 * 1024,
        JSON_AS_ASCII=False,
    )
    app.extensions["pakn.settings"] = settings
    # Behind the reverse proxy: trust one hop for scheme and client address.
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    database.init_app(app, settings)
    errors.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(admin.bp)  # issue 6: the staff's admin view
    zalo.init_app(app, settings)  # issue 3: webhook, `zalo` CLI, in-process sending
    conversation.init_app(app, settings)  # issue 5: the citizen's conversation, its tick
    simulator.init_app(app)  # issue 5: /simulator (404 outside demo and tests)
    nlp_models.init_app(app, settings)  # issue 16: model versions, following the active one
    cli.init_app(app)
    return app
