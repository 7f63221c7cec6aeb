"""«Tài khoản của tôi» in Chromium: two devices listed, one signed out from the other, and
the sign-in page telling each browser what happened."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.admin.live import Live, live_server, shot, sign_in
from tests.workflow import helpers as h

_PHONE_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)


@pytest.fixture(scope="module")
def live(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    tmp: Path = tmp_path_factory.mktemp("account")
    with live_server(database_url, tmp) as server:
        with server.sessions() as s, s.begin():
            h.staff(s, username="canbo.taikhoan")
        yield server


def _context(browser: Browser, agent: str | None = None) -> BrowserContext:
    kw = {"user_agent": agent} if agent else {}
    return browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN", **kw)


def test_sign_out_the_phone_from_the_office(live: Live, browser: Browser) -> None:
    office_ctx, phone_ctx = _context(browser), _context(browser, _PHONE_AGENT)
    try:
        office, phone = office_ctx.new_page(), phone_ctx.new_page()
        sign_in(phone, live, "canbo.taikhoan")
        sign_in(office, live, "canbo.taikhoan")
        office.locator("a.who").click()
        expect(office).to_have_title(re.compile("^Tài khoản của tôi: thiết bị đăng nhập, thư báo"))
        rows = office.locator("#devices tbody tr")
        expect(rows).to_have_count(2)
        expect(rows.first).to_contain_text("Chrome trên Linux")  # headless Chromium
        expect(rows.first).to_contain_text("thiết bị này")
        expect(rows.nth(1)).to_contain_text("Chrome trên Android")
        expect(rows.nth(1)).to_contain_text("127.0.0.x")
        shot(office, "account-devices")
        rows.nth(1).get_by_role("button", name="Đăng xuất").click()
        expect(office.locator(".flash-ok")).to_contain_text("Đã đăng xuất thiết bị đó")
        expect(office.locator("#devices tbody tr")).to_have_count(1)
        phone.reload()
        expect(phone.locator("h1")).to_have_text("Đăng nhập cán bộ")
        expect(phone.locator(".flash-info")).to_contain_text("kết thúc từ một thiết bị khác")
        office.get_by_role("link", name="Đổi mật khẩu").first.click()
        expect(office.locator("h1")).to_contain_text("mật khẩu")
        office.get_by_role("button", name="Đăng xuất").first.click()
        expect(office.locator(".flash-ok")).to_contain_text("Đồng chí đã đăng xuất")
    finally:
        office_ctx.close()
        phone_ctx.close()
