"""A real server thread on a free port over a database of its own, plus headless Chromium."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.serving import BaseWSGIServer, make_server

from bot import create_app
from bot.database import get_db
from config import Settings
from handlers.seed import seed_reference
from storage import migrate
from tests.conftest import make_settings
from tests.support import fresh_database

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@dataclass
class Live:
    base_url: str
    app: Flask
    settings: Settings

    @property
    def sessions(self) -> sessionmaker[Session]:
        return get_db(self.app).sessions


@contextmanager
def live_server(database_url: str, tmp: Path, **overrides: Any) -> Iterator[Live]:
    """Migrate and seed a fresh database, serve the app on 127.0.0.1 in a thread."""
    with fresh_database(database_url, tmp) as url:
        settings = make_settings(url, tmp, **overrides)
        app = create_app(settings)
        db = get_db(app)
        migrate.upgrade(db.engine)
        with db.sessions() as session, session.begin():
            seed_reference(session)
        server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, name="live-admin", daemon=True)
        thread.start()
        try:
            yield Live(f"http://127.0.0.1:{server.server_port}", app, settings)
        finally:
            server.shutdown()
            thread.join(timeout=5)
            server.server_close()
            db.engine.dispose()


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def shot(page: Page, name: str) -> Path:
    """Save a full-page screenshot under screenshots/ (git-ignored)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(
    page: Page, live: Live, username: str, *, password: str = "", to_inbox: bool = False
) -> None:
    """Sign in as a browser would; the landing page is Hôm nay (then the inbox, if asked).

    A user who must change their password lands on that form instead (its test checks it).
    """
    from tests.workflow.helpers import PASSWORD

    page.goto(f"{live.base_url}/admin/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password or PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")  # stylesheets applied before anyone measures the layout
    if to_inbox:
        expect(page.locator("h1").first).to_contain_text("Hôm nay")
        page.get_by_role("link", name="Hộp hồ sơ").click()
        expect(page.locator("h1").first).to_contain_text("Hộp hồ sơ")
        page.wait_for_load_state("load")


def open_screen(page: Page, title: str) -> None:
    """Open a management screen from «Quản trị», as staff do."""
    page.get_by_role("link", name="Quản trị").click()
    page.get_by_role("heading", name=title, exact=True).click()
    page.wait_for_load_state("load")
