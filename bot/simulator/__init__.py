"""`/simulator`: a phone-sized chat with the bot, through the same path as production.

The page calls a small JSON API under /simulator/api/; the server builds Zalo-shaped events,
signs them with the configured secrets and posts them to the real webhook over HTTP; the
bot's answers are read back from the Zalo stand-in's record of what the OA sent. Enabled only
in demo mode (`make run`) or under tests; 404 everywhere else.
"""

from __future__ import annotations

from flask import Blueprint, Flask, abort, render_template
from flask.typing import ResponseReturnValue

from bot.runtime import runtime_of
from bot.simulator.mailbox import catcher_of
from bot.simulator.personas import PERSONAS, SAMPLE_LOCATIONS
from config import Settings

bp = Blueprint(
    "simulator",
    __name__,
    url_prefix="/simulator",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)


def enabled(settings: Settings) -> bool:
    return settings.demo or settings.testing


@bp.before_request
def only_in_demo() -> None:
    """Never reachable on a production server."""
    if not enabled(runtime_of().settings):
        abort(404)


@bp.get("/")
def page() -> ResponseReturnValue:
    """The chat page."""
    return render_template(
        "simulator/index.html",
        personas=PERSONAS,
        locations=SAMPLE_LOCATIONS,
        mailbox=catcher_of() is not None,
    )


def init_app(app: Flask) -> None:
    """Register the page and its API (the guard answers 404 outside demo and tests)."""
    from bot.simulator import api, mail_views  # noqa: F401 - routes on bp

    app.register_blueprint(bp)
