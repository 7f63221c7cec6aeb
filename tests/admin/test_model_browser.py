"""The model page in headless Chromium, desktop and phone, with real figures and a queue."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from handlers import workflow as wf
from storage.models import Petition, TrainingRun
from storage.models.base import utcnow
from tests.admin.live import SCREENSHOTS, Live, chromium, live_server, open_screen, shot, sign_in
from tests.nlp.loop_support import labelled
from tests.workflow import helpers as h

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    tmp: Path = tmp_path_factory.mktemp("live-model")
    with live_server(database_url, tmp, zalo_inline_mode="off", nlp_model_dir=str(tmp / "m")) as s:
        yield s


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


def _seed(live: Live) -> None:
    now = utcnow()
    with live.sessions() as s, s.begin():
        h.staff(s, "admin", username="quantri.mohinh")
        for month in range(4):
            at = now - timedelta(days=30 * month)
            for k in range(4 + month):
                corrected = k < month + 1
                labelled(s, f"Đường khối phố {k} hư hỏng", "giao_thong",
                         "khac" if corrected else "giao_thong", at)  # fmt: skip
        held = labelled(s, "Gia đình chờ cấp sổ đỏ <b>hai năm</b>", "hanh_chinh_can_bo", None, now)
        petition = s.get(Petition, held.petition_id)
        assert petition is not None
        wf.submit(s, petition, now=now)
        before = now - timedelta(days=3)
        s.add(TrainingRun(trigger="job", status="kept", started_at=before, finished_at=before,
                          reason="Không có dữ liệu mới."))  # fmt: skip


def test_model_page_desktop_and_phone(live: Live, browser: Browser) -> None:
    _seed(live)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    sign_in(page, live, "quantri.mohinh")
    open_screen(page, "Mô hình phân loại")
    expect(page.locator("h1")).to_have_text("Mô hình phân loại lĩnh vực")
    expect(page.locator("#installed")).to_contain_text("đi kèm phần mềm")
    expect(page.locator("svg.confusion")).to_be_visible()
    expect(page.locator("svg.drift")).to_be_visible()
    expect(page.locator("#reviews")).to_contain_text("sổ đỏ <b>hai năm</b>".split(" <")[0])
    expect(page.locator("#runs")).to_contain_text("Giữ phiên bản cũ")
    shot(page, "admin-model")
    page.locator("#reviews").get_by_role("button", name="Giữ nhãn").click()
    expect(page.get_by_role("status")).to_contain_text("Đã dùng nhãn này")
    page.close()

    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="vi-VN"
    )
    try:
        small = phone.new_page()
        sign_in(small, live, "quantri.mohinh")
        small.goto(f"{live.base_url}/admin/model")
        expect(small.locator("svg.confusion")).to_be_visible()
        width = small.evaluate("document.documentElement.scrollWidth")
        wide = small.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
            " > 400).slice(0, 12).map(e => e.tagName + '.' + e.className + '#' + e.id + ':' +"
            " Math.round(e.getBoundingClientRect().width) + ':' + getComputedStyle(e).display)"
        )
        assert width <= 400, f"page wider than the phone: {width}px: {wide}"
        shot(small, "admin-model-phone")
        small.locator("#installed").screenshot(path=str(SCREENSHOTS / "admin-model-phone-top.png"))
        small.locator("#per-category").screenshot(
            path=str(SCREENSHOTS / "admin-model-phone-figures.png")
        )
        small.locator("#confusion").screenshot(
            path=str(SCREENSHOTS / "admin-model-phone-confusion.png")
        )
    finally:
        phone.close()
