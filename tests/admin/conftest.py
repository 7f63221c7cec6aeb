"""Admin test helpers: sign in through the real form, post with the page's CSRF token."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient
from playwright.sync_api import Browser, Page
from sqlalchemy.orm import Session

from storage.models import StaffUser
from tests.admin.live import chromium
from tests.workflow import helpers as h

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(client: FlaskClient, path: str = "/admin/login") -> str:
    page = client.get(path)
    match = _TOKEN.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(
    client: FlaskClient, username: str, password: str = h.PASSWORD, address: str | None = None
) -> Any:
    """Sign in through the form; `address`: the client's, as the reverse proxy reports it."""
    token = csrf(client)
    headers = {"X-Forwarded-For": address} if address else {}
    return client.post(
        "/admin/login",
        data={"username": username, "password": password, "csrf_token": token},
        headers=headers,
    )


def post(client: FlaskClient, path: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
    """POST with the session's CSRF token (taken from the inbox page)."""
    with client.session_transaction() as sess:
        token = sess.get("csrf")
    if token is None:
        token = csrf(client, "/admin/login")
    return client.post(path, data={**(data or {}), "csrf_token": token}, **kw)


@pytest.fixture
def signed_in(client: FlaskClient, db_session: Session) -> Callable[..., StaffUser]:
    """Create a user of a role and sign the test client in as them."""

    def make(role: str = "staff", **kw: Any) -> StaffUser:
        user = h.staff(db_session, role, **kw)
        db_session.commit()
        response = login(client, user.username)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return make


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium, one per test module."""
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A desktop-sized page (1280 wide) in a fresh context."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    yield context.new_page()
    context.close()
