"""«Hỏi đáp» and the audited reveal of ID numbers, in headless Chromium (desktop and phone)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from handlers import workflow as wf
from storage.models import PetitionEvent
from storage.models.base import utcnow
from tests.admin.live import Live, chromium, live_server, open_screen, shot, sign_in
from tests.workflow import helpers as h

pytestmark = pytest.mark.browser
CCCD = "049203001234"


@pytest.fixture(scope="module")
def live(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    tmp: Path = tmp_path_factory.mktemp("live_kb")
    with live_server(database_url, tmp, zalo_inline_mode="off") as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


@pytest.mark.parametrize("width", [1280, 390])
def test_knowledge_screen_edit_and_try(live: Live, browser: Browser, width: int) -> None:
    with live.sessions() as s, s.begin():
        h.staff(s, "supervisor", username=f"giamsat.hoidap{width}")
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
    try:
        page = context.new_page()
        sign_in(page, live, f"giamsat.hoidap{width}")
        open_screen(page, "Hỏi đáp")
        page.fill("input[name=q]", "mặt trận phường Hương Trà ở đâu, số điện thoại")
        page.get_by_role("button", name="Thử").click()
        expect(page.locator("section.card").first).to_contain_text("phường Hương Trà")
        shot(page, f"admin-knowledge-{width}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 10
        page.locator("tr", has_text="hours").get_by_role("link", name="Sửa").click()
        answer = page.locator("textarea[name=answer]")
        answer.fill(answer.input_value() + f" Thử {width}.")
        page.get_by_role("button", name="Lưu").click()
        expect(page.get_by_role("status")).to_contain_text("Đã lưu")
        expect(page.locator(".timeline")).to_contain_text("Sửa")
        shot(page, f"admin-knowledge-edit-{width}")
    finally:
        context.close()


def test_reveal_of_an_id_number_is_audited(live: Live, browser: Browser) -> None:
    with live.sessions() as s, s.begin():
        h.staff(s, "staff", username="canbo.cccd")
        p = wf.submit(
            s, h.draft(s, text=f"Xin xác nhận hồ sơ chậm, CCCD {CCCD}, ở An Mỹ"), now=utcnow()
        )
        pid = p.id
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    try:
        page = context.new_page()
        sign_in(page, live, "canbo.cccd", to_inbox=True)
        expect(page.locator("table.inbox")).not_to_contain_text(CCCD)
        page.goto(f"{live.base_url}/admin/petitions/{pid}")
        expect(page.locator(".citizen-text").first).to_contain_text("04********34")
        shot(page, "admin-petition-ids-hidden-390")
        page.get_by_role(
            "button", name="Hiện số CCCD/tài khoản đầy đủ (việc xem được ghi lại)"
        ).click()
        expect(page.locator(".citizen-text").first).to_contain_text(CCCD)
        expect(page.locator(".timeline")).to_contain_text("Xem số CCCD/tài khoản đầy đủ")
        shot(page, "admin-petition-ids-shown-390")
    finally:
        context.close()
    with live.sessions() as s:
        assert s.scalar(
            select(PetitionEvent).where(
                PetitionEvent.petition_id == pid, PetitionEvent.action == "reveal_ids"
            )
        )
