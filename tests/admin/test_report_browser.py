"""The report page in headless Chromium, desktop and phone: figures, charts, drafting, the
Word download; on a phone the tables turn into labelled cards and nothing overflows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.admin.live import Live, live_server, shot, sign_in
from tests.reports.month import build_month
from tests.workflow import helpers as h

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    tmp: Path = tmp_path_factory.mktemp("live-reports")
    with live_server(database_url, tmp, zalo_inline_mode="off") as server:
        yield server


def test_the_report_page_on_a_desktop_and_a_phone(live: Live, page: Page) -> None:
    with live.sessions() as s:
        period, _ = build_month(s)  # commits
        h.staff(s, "supervisor", username="giamsat.baocao")
        s.commit()
    sign_in(page, live, "giamsat.baocao")
    page.get_by_role("link", name="Báo cáo").click()
    expect(page.locator("h1")).to_contain_text("Báo cáo phản ánh, kiến nghị tháng")
    page.select_option("select[name=period]", period.key)
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("h1")).to_contain_text(period.label)
    expect(page.locator("#chain")).to_contain_text("Tồn chuyển kỳ sau")
    expect(page.locator("svg.chart")).to_have_count(4)
    page.get_by_role("button", name="Lập dự thảo báo cáo").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lập dự thảo")
    page.fill("input[name=signer_name]", "Nguyễn Văn A")
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu dự thảo")
    page.wait_for_load_state("load")
    shot(page, "admin-reports")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải báo cáo Word (.docx)").click()
    assert download.value.suggested_filename == f"bao-cao-pakn-all-{period.key}-v1.docx"
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    label = page.locator("#by-agency td").nth(1)
    before = label.evaluate("el => getComputedStyle(el, '::before').content")
    assert "Tiếp nhận" in before  # a labelled card, not a squeezed table
    shot(page, "admin-reports-phone")
