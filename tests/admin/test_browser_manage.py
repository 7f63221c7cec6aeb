"""The management screens in headless Chromium, desktop and phone, against a real server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from handlers import audit
from handlers import workflow as wf
from storage.models import AuditEntry, StaffUser
from storage.models.base import utcnow
from tests.admin.live import Live, live_server, shot, sign_in
from tests.workflow import helpers as h

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def live(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with live_server(
        database_url, tmp_path_factory.mktemp("manage"), zalo_inline_mode="off"
    ) as server:
        with server.sessions() as s, s.begin():
            h.staff(s, "admin", username="quantri")
            h.staff(s, "staff", username="canbo.bt", wards=("ban_thach",))
            p = wf.submit(s, h.draft(s, text="Cống thoát nước trước chợ bị tắc."), now=utcnow())
            audit.write(s, audit.LOGIN_FAILED, now=utcnow(), summary="Đăng nhập không thành công")
            s.flush()
            assert p.code
        yield server


def both_sizes(page: Page, name: str) -> None:
    """Screenshots at 1280 and 390 wide; on the phone nothing scrolls sideways."""
    page.set_viewport_size({"width": 1280, "height": 900})
    shot(page, f"{name}-desktop")
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(50)
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > 392)"
        ".map(e => e.tagName + '.' + e.className).slice(0, 8)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 400, (name, wide)
    shot(page, f"{name}-phone")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_admin_creates_an_account_and_the_user_must_change_the_password(
    live: Live, browser: Browser, page: Page
) -> None:
    sign_in(page, live, "quantri")
    page.get_by_role("link", name="Quản trị").click()
    expect(page.locator("h1")).to_have_text("Quản trị")
    both_sizes(page, "manage-hub")
    page.get_by_role("link", name="Tài khoản cán bộ").click()
    expect(page.locator("#users")).to_contain_text("canbo.bt")
    both_sizes(page, "manage-users")
    page.get_by_role("link", name="+ Thêm tài khoản").click()
    page.fill("input[name=username]", "canbo.moi")
    page.fill("input[name=display_name]", "Nguyễn Thị Mai")
    page.select_option("select[name=role]", "staff")
    page.get_by_role("checkbox", name="Hương Trà").check()
    both_sizes(page, "manage-user-new")
    page.get_by_role("button", name="Tạo tài khoản").click()
    secret = page.locator("#one-time-password").inner_text()
    assert len(secret) == 14
    both_sizes(page, "manage-user-secret")
    page.get_by_role("link", name="Xong, về tài khoản canbo.moi").click()
    expect(page.locator(".facts")).to_contain_text("Chưa đăng nhập lần đầu")
    both_sizes(page, "manage-user-edit")

    newcomer = browser.new_context(viewport=PHONE, is_mobile=True, locale="vi-VN").new_page()
    sign_in(newcomer, live, "canbo.moi", password=secret)
    expect(newcomer.locator("h1")).to_have_text("Đổi mật khẩu")
    expect(newcomer.get_by_role("status")).to_contain_text("mật khẩu tạm thời")
    shot(newcomer, "manage-password-forced-phone")
    newcomer.fill("input[name=current]", secret)
    newcomer.fill("input[name=new]", "mai-doi-mat-khau-1")
    newcomer.fill("input[name=confirm]", "mai-doi-mat-khau-2")
    newcomer.get_by_role("button", name="Đổi mật khẩu").click()
    expect(newcomer.get_by_role("alert")).to_contain_text("không khớp")
    newcomer.fill("input[name=current]", secret)
    newcomer.fill("input[name=new]", "mai-doi-mat-khau-1")
    newcomer.fill("input[name=confirm]", "mai-doi-mat-khau-1")
    newcomer.get_by_role("button", name="Đổi mật khẩu").click()
    expect(newcomer.locator("h1").first).to_contain_text("Hộp hồ sơ")
    newcomer.context.close()
    with live.sessions() as s:
        user = s.scalars(select(StaffUser).where(StaffUser.username == "canbo.moi")).one()
        assert not user.must_change_password


def test_categories_places_and_settings(live: Live, page: Page) -> None:
    sign_in(page, live, "quantri")
    page.goto(f"{live.base_url}/admin/categories")
    card = page.locator("details", has_text="giao_thong")
    card.locator("summary").click()
    card.locator("input[name=handler_wd]").fill("4")
    card.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu lĩnh vực")
    expect(page.locator("details", has_text="giao_thong")).to_contain_text("hạn 4 ngày làm việc")
    both_sizes(page, "manage-categories")

    page.goto(f"{live.base_url}/admin/places")
    sentence = "Cây đổ chắn lối vào khu dân cư Đồng Sim Mới"
    page.fill("#trial input[name=thu]", sentence)
    page.get_by_role("button", name="Thử").click()
    expect(page.locator("#trial-result")).to_contain_text("chưa nhận ra")
    ward = page.locator("section", has_text="Phường Bàn Thạch")
    ward.get_by_role("textbox", name="Tên mới").fill("khu dân cư Đồng Sim Mới")
    ward.locator("select[name=kind]").select_option("landmark")
    ward.get_by_role("button", name="Thêm").click()
    expect(page.get_by_role("status")).to_contain_text("Đã thêm")
    page.fill("#trial input[name=thu]", sentence)
    page.get_by_role("button", name="Thử").click()
    expect(page.locator("#trial-result")).to_contain_text("phường Bàn Thạch")
    both_sizes(page, "manage-places")

    page.goto(f"{live.base_url}/admin/settings")
    hours = page.locator("#s-office_hours")
    hours.locator("input[name=value]").fill("13:30-17:00, 07:30-11:30")
    hours.get_by_role("button", name="Lưu").click()
    expect(page.locator("#s-office_hours").get_by_role("alert")).to_contain_text("chồng lên nhau")
    expect(page.locator("#s-office_hours input[name=value]")).to_have_value(
        "13:30-17:00, 07:30-11:30"
    )
    page.locator("#s-office_hours input[name=value]").fill("07:00-11:30, 13:30-17:00")
    page.locator("#s-office_hours").get_by_role("button", name="Lưu").click()
    expect(page.locator("#s-office_hours")).to_contain_text("Đang dùng: 07:00-11:30, 13:30-17:00")
    both_sizes(page, "manage-settings")


def test_templates_keep_a_refused_edit(live: Live, page: Page) -> None:
    sign_in(page, live, "quantri")
    page.goto(f"{live.base_url}/admin/templates")
    expect(page.locator("#g-notify")).to_contain_text("Gửi khi cán bộ chuyển hồ sơ")
    both_sizes(page, "manage-templates")
    page.locator("#t-notify\\.forwarded").get_by_role("link", name="Sửa").click()
    body = page.locator("textarea[name=body]")
    body.fill("Hồ sơ {code} đã chuyển đến {co_quan}.")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("alert")).to_contain_text("chỗ điền {co_quan} không có trong mẫu này")
    expect(body).to_have_value("Hồ sơ {code} đã chuyển đến {co_quan}.")
    both_sizes(page, "manage-template-edit")
    body.fill("Hồ sơ {code} đã chuyển đến {agency} ngày {date}; hạn giải quyết {due_date}.")
    page.get_by_role("button", name="Xem trước").click()
    expect(page.locator("#example")).to_contain_text(
        "Hồ sơ TK-2611-000123 đã chuyển đến UBND phường Tam Kỳ"
    )
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu mẫu")


def test_the_audit_log_filters_and_exports(live: Live, page: Page, tmp_path: Path) -> None:
    sign_in(page, live, "quantri")
    page.goto(f"{live.base_url}/admin/audit")
    expect(page.locator("#audit")).to_contain_text("Đăng nhập")
    both_sizes(page, "manage-audit")
    page.select_option("select[name=kind]", "petition")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("#audit")).to_contain_text("Hồ sơ: Tiếp nhận")
    expect(page.locator("#audit")).not_to_contain_text("Đăng nhập không thành công")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải CSV").click()
    saved = tmp_path / "nhat-ky.csv"
    download.value.save_as(saved)
    content = saved.read_text(encoding="utf-8-sig")
    assert content.startswith("Thời điểm,") and "Hồ sơ: Tiếp nhận" in content
    with live.sessions() as s:
        kinds = s.scalars(select(AuditEntry.kind).order_by(AuditEntry.id)).all()
    assert "export.audit" in kinds
