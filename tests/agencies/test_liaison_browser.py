"""The liaison's journey in headless Chromium against a real server, with emails over real SMTP.

A supervisor completes the agency and makes its liaison account; the officer forwards two
petitions; the liaison follows the emailed link (login, then straight back to the petition),
acknowledges, asks the Front a question, asks for more time (the officer approves), answers
with the agency's document and file, and returns the other petition as not its competence;
the officer sees it back with the competent body proposed first. Screenshots, desktop and
phone, go to $AGENCY_SHOTS (default: screenshots/agencies).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select

from bot.runtime import runtime_of
from handlers import workflow as wf
from storage.models import Forward, Petition
from storage.models.base import utcnow
from tests.admin.live import SCREENSHOTS, Live, chromium, live_server, open_screen, sign_in
from tests.agencies import helpers as a
from tests.reminders.conftest import SmtpServer
from tests.workflow import helpers as h

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("AGENCY_SHOTS") or SCREENSHOTS / "agencies")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
NEW_PASSWORD = "hoa-sen-no-giua-ho"


@pytest.fixture
def live(
    database_url: str, tmp_path_factory: pytest.TempPathFactory, smtp_server: SmtpServer
) -> Iterator[Live]:
    tmp: Path = tmp_path_factory.mktemp("agency-live")
    with live_server(database_url, tmp, smtp_url=smtp_server.url, zalo_inline_mode="off") as server:
        # Links in emails point at this server (the port is known only once it listens).
        runtime_of(server.app).reconfigure(admin_base_url=server.base_url)
        yield dataclasses.replace(server, settings=runtime_of(server.app).settings)


@pytest.fixture
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


def _context(browser: Browser, size: dict[str, int]) -> BrowserContext:
    phone = size["width"] < 500
    return browser.new_context(viewport=size, locale="vi-VN", is_mobile=phone, has_touch=phone)


def snap(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 10


def test_the_liaison_works_a_petition_without_paper(
    live: Live, browser: Browser, smtp_server: SmtpServer
) -> None:
    now = datetime.now(UTC)
    with live.sessions() as s, s.begin():
        h.staff(s, "supervisor", username="lanhdao.mttq").display_name = "Lãnh đạo MTTQ"
        officer = a.officer(s, "ban_thach")
        officer.username, officer.display_name = "canbo.banthach", "Cán bộ Bàn Thạch"
        flood = a.triaged(
            s,
            officer,
            now,
            ward="ban_thach",
            category="ha_tang_dien_nuoc",
            text="Kiệt 45 Trần Cao Vân ngập sâu mỗi khi mưa, cống thoát nước bị lấp đất.",
        )
        road = a.triaged(
            s,
            officer,
            now,
            ward="ban_thach",
            category="giao_thong",
            text="Mặt đường Phan Bội Châu (đường chính) lún sụt, ổ gà lớn trước chợ.",
        )
        h.agency(s, "so_xay_dung").contact_email = "vanthu@soxaydung.test"
        flood_id, road_id, flood_code = flood.id, road.id, flood.code
    desk = _context(browser, DESKTOP)
    page = desk.new_page()

    # A supervisor completes the agency: its addresses, confirmed, and a liaison account.
    sign_in(page, live, "lanhdao.mttq")
    open_screen(page, "Cơ quan")
    expect(page.locator("h1")).to_contain_text("Cơ quan giải quyết")
    snap(page, "01-agencies-desktop")
    page.get_by_role("link", name="UBND phường Bàn Thạch").click()
    form = page.locator("form.card").first
    form.locator("textarea[name=emails]").fill("vanthu.ubnd@banthach.test\ntiepdan@banthach.test")
    form.locator("input[name=confirmed]").check()
    form.get_by_role("button", name="Lưu").click()
    expect(page.locator(".flash-ok")).to_contain_text("Đã lưu UBND phường Bàn Thạch")
    page.locator("summary", has_text="Tạo tài khoản liên lạc mới").click()
    create = page.locator("form[action$='/liaisons']")
    create.locator("input[name=username]").fill("lienlac.banthach")
    create.locator("input[name=display_name]").fill("Trần Thị Mai")
    create.locator("input[name=email]").fill("mai.lienlac@banthach.test")
    create.locator("input[name=password]").fill(h.PASSWORD)
    create.get_by_role("button", name="Tạo tài khoản").click()
    expect(page.locator(".flash-ok")).to_contain_text("Đã tạo tài khoản lienlac.banthach")
    snap(page, "02-agency-edit-desktop")
    open_screen(page, "Phân công")
    expect(page.locator("table.routing")).to_contain_text("ngập úng")
    snap(page, "03-routing-desktop")
    page.locator("form.filters select[name=category]").select_option(
        label="Điện, nước sạch, chiếu sáng, thoát nước, ngập úng"
    )
    page.locator("form.filters").get_by_role("button", name="Lọc").click()
    expect(page.locator("table.routing")).to_contain_text("Điện lực Tam Kỳ")
    snap(page, "03b-routing-one-field-desktop")
    page.get_by_role("button", name="Đăng xuất").click()

    # The officer forwards both petitions; the form proposes the ward UBND, and says why.
    sign_in(page, live, "canbo.banthach")
    for pid in (flood_id, road_id):
        page.goto(f"{live.base_url}/admin/petitions/{pid}")
        expect(page.locator(".proposals")).to_contain_text("UBND phường Bàn Thạch")
        if pid == flood_id:
            expect(page.locator(".proposals")).to_contain_text("có từ khóa «ngập»")
            snap(page, "04-forward-form-proposals-desktop")
        form = page.locator("form[action$='/forward']")
        form.locator("select[name=agency]").select_option(label="UBND phường Bàn Thạch")
        form.locator("input[name=document_number]").fill(f"{pid}/MTTQ-BTT")
        form.get_by_role("button", name="Chuyển và tạo phiếu chuyển").click()
        flash = page.locator(".flash-ok")
        expect(flash).to_contain_text("Thư kèm phiếu chuyển được gửi đến 3 địa chỉ")
    page.get_by_role("button", name="Đăng xuất").click()

    # The emails leave over SMTP: to the UBND's two addresses and its liaison, slip attached.
    assert a.drain(live.sessions, smtp_server.url)["sent"] == 6
    to_mai = a.to(smtp_server.inbox.messages, "mai.lienlac@banthach.test")
    flood_mail = next(m for m in to_mai if flood_code in str(m["Subject"]))
    assert list(a.attachments(flood_mail))[0].startswith(flood_code)
    link = re.search(r"https?://\S+/admin/petitions/\d+", a.body(flood_mail))
    assert link is not None and link.group(0) == f"{live.base_url}/admin/petitions/{flood_id}"

    # The liaison follows the link: login first, then straight back to the petition.
    mai = _context(browser, DESKTOP).new_page()
    mai.goto(link.group(0))
    expect(mai.locator("input[name=username]")).to_be_visible()
    snap(mai, "05-liaison-login-from-email-desktop")
    mai.fill("input[name=username]", "lienlac.banthach")
    mai.fill("input[name=password]", h.PASSWORD)
    mai.click("button[type=submit]")
    # The password the manager typed was a temporary one: she sets her own first.
    expect(mai.locator("h1")).to_contain_text("Đổi mật khẩu")
    mai.fill("input[name=current]", h.PASSWORD)
    mai.fill("input[name=new]", NEW_PASSWORD)
    mai.fill("input[name=confirm]", NEW_PASSWORD)
    mai.get_by_role("button", name="Đổi mật khẩu").click()
    expect(mai.locator(".flash-ok")).to_contain_text("Đã đổi mật khẩu")
    mai.goto(link.group(0))
    expect(mai.locator(".p-head")).to_contain_text(flood_code)
    snap(mai, "06-liaison-petition-desktop")
    mai.locator("form[action$='/acknowledge']").get_by_role("button").click()
    expect(mai.locator(".flash-ok")).to_contain_text("Đã xác nhận")
    thread = mai.locator("form[action$='/agency_message']")
    thread.locator("textarea[name=body]").fill("Đề nghị cho biết số nhà cụ thể trong kiệt 45?")
    thread.get_by_role("button", name="Gửi trao đổi").click()
    expect(mai.locator(".agency-thread")).to_contain_text("số nhà cụ thể")
    with live.sessions() as s:
        due = s.scalar(select(Forward.handler_due_on).where(Forward.petition_id == flood_id))
    assert due is not None
    later = due + timedelta(days=14)
    mai.locator("summary", has_text="Đề nghị gia hạn").click()
    ask = mai.locator("form[action$='/request_extension']")
    ask.locator("input[name=proposed_due_on]").fill(later.isoformat())
    ask.locator("textarea[name=reason]").fill("Cần thuê máy nạo vét, chờ kinh phí.")
    ask.get_by_role("button", name="Gửi đề nghị gia hạn").click()
    expect(mai.locator(".flash-ok")).to_contain_text("Đã gửi đề nghị gia hạn")
    snap(mai, "07-liaison-extension-asked-desktop")

    # The officer approves the extension; the citizen is told the new date.
    sign_in(page, live, "canbo.banthach")
    page.goto(f"{live.base_url}/admin/petitions/{flood_id}")
    decide = page.locator("form[action$='/decide_extension']")
    expect(decide).to_be_visible()
    expect(page.locator(".agency-thread")).to_contain_text("số nhà cụ thể")
    snap(page, "08-officer-extension-request-desktop")
    decide.locator("input[name=note]").fill("Đồng ý, đề nghị xử lý dứt điểm.")
    decide.get_by_role("button", name="Chấp thuận", exact=True).click()
    expect(page.locator(".flash-ok")).to_contain_text("Đã chấp thuận gia hạn")

    # The liaison answers with the agency's document and its file.
    mai.reload()
    expect(mai.locator("#chuyen-co-quan")).to_contain_text(f"{later:%d/%m/%Y}")
    expect(mai.locator("#chuyen-co-quan")).to_contain_text("Đã chấp thuận")
    answer = mai.locator("form[action$='/record_answer']")
    answer.locator("textarea[name=text]").fill("Đã nạo vét 60 m cống kiệt 45, hết ngập.")
    answer.locator("input[name=document_number]").fill("312/UBND-KT")
    answer.locator("input[name=document_date]").fill(wf.local_date(utcnow()).isoformat())
    answer.locator("input[name=file]").set_input_files(
        files=[
            {
                "name": "CV-312-UBND.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4 van ban tra loi",
            }
        ]
    )
    answer.get_by_role("button", name="Lưu trả lời").click()
    expect(mai.locator(".flash-ok")).to_contain_text("Đã ghi nhận trả lời")
    expect(mai.locator("#chuyen-co-quan")).to_contain_text("Văn bản số 312/UBND-KT")
    snap(mai, "09-liaison-answered-desktop")

    # The other petition is not the ward's: the liaison returns it, naming the Sở.
    mai.goto(f"{live.base_url}/admin/petitions/{road_id}")
    mai.locator("summary", has_text="Trả lại: không thuộc thẩm quyền").click()
    back = mai.locator("form[action$='/return_forward']")
    back.locator("textarea[name=reason]").fill(
        "Phan Bội Châu là đường chính do Sở Xây dựng quản lý."
    )
    back.locator("select[name=suggested_agency]").select_option(
        label="Sở Xây dựng thành phố Đà Nẵng"
    )
    snap(mai, "10-liaison-return-form-desktop")
    mai.once("dialog", lambda d: d.accept())
    back.get_by_role("button", name="Trả lại hồ sơ").click()
    expect(mai.locator(".flash-ok")).to_contain_text("Đã trả lại hồ sơ")
    page.goto(f"{live.base_url}/admin/petitions/{road_id}")
    expect(page.locator("#chuyen-co-quan")).to_contain_text("Trả lại")
    expect(page.locator(".proposals li").first).to_contain_text("Sở Xây dựng thành phố Đà Nẵng")
    expect(page.locator(".proposals li").first).to_contain_text("đề nghị chuyển đến cơ quan này")
    snap(page, "11-officer-returned-proposals-desktop")

    # On a phone: the liaison's list and petition, the directory; no sideways scrolling.
    phone = _context(browser, PHONE).new_page()
    sign_in(phone, live, "lienlac.banthach", password=NEW_PASSWORD)
    no_sideways_scroll(phone)
    snap(phone, "12-liaison-inbox-phone")
    phone.goto(f"{live.base_url}/admin/petitions/{flood_id}")
    no_sideways_scroll(phone)
    snap(phone, "13-liaison-petition-phone")
    phone.goto(f"{live.base_url}/admin/petitions/{road_id}")
    no_sideways_scroll(phone)
    snap(phone, "14-liaison-returned-phone")
    officer_phone = _context(browser, PHONE).new_page()
    sign_in(officer_phone, live, "lanhdao.mttq")
    officer_phone.goto(f"{live.base_url}/admin/agencies")
    no_sideways_scroll(officer_phone)
    snap(officer_phone, "15-agencies-phone")
    officer_phone.goto(f"{live.base_url}/admin/petitions/{flood_id}")
    no_sideways_scroll(officer_phone)
    snap(officer_phone, "16-officer-petition-phone")

    a.drain(live.sessions, smtp_server.url)
    with live.sessions() as s:
        assert s.get(Petition, flood_id).state == "agency_answered"  # type: ignore[union-attr]
        assert s.get(Petition, road_id).state == "triaged"  # type: ignore[union-attr]
        told = a.zalo_texts(s, s.get(Petition, flood_id))  # type: ignore[arg-type]
    assert any(f"gia hạn đến ngày {later:%d/%m/%Y}" in t for t in told)
    _record_emails(smtp_server)


def _record_emails(smtp_server: SmtpServer) -> None:
    """What the journey emailed, for the report: subject, recipients, attachments."""
    rows = [
        {
            "to": str(m["To"]),
            "subject": str(m["Subject"]),
            "attachments": sorted(a.attachments(m)),
        }
        for m in smtp_server.inbox.messages
    ]
    assert rows
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "emails.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1))
