"""Browser journeys in headless Chromium against a real server on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from bot.runtime import runtime_of
from bot.zalo.standin import StandIn
from bot.zalo.tokens import TokenPair, store_pair
from handlers import outbox
from handlers import workflow as wf
from handlers.jobs import run_job
from storage.models import OutboxMessage, Petition
from storage.models.base import utcnow
from tests.admin.live import Live, live_server, shot, sign_in
from tests.support import OA_ID, start_standin
from tests.workflow import helpers as h

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def standin() -> Iterator[StandIn]:
    server = start_standin()
    yield server
    server.close()


@pytest.fixture(scope="module")
def live(
    database_url: str, tmp_path_factory: pytest.TempPathFactory, standin: StandIn
) -> Iterator[Live]:
    tmp: Path = tmp_path_factory.mktemp("live")
    with live_server(
        database_url,
        tmp,
        zalo_api_base=standin.base_url,
        zalo_oauth_base=standin.base_url,
        zalo_oa_id=OA_ID,
        zalo_inline_mode="off",
    ) as server:
        with server.sessions() as s, s.begin():
            access, refresh = standin.state.issue_pair()
            store_pair(s, TokenPair(access, refresh, 90000), now=utcnow(), source="test")
        yield server


def test_triage_forward_answer_and_result_reach_the_citizen(
    live: Live, browser: Browser, page: Page, standin: StandIn
) -> None:
    with live.sessions() as s, s.begin():
        officer = h.staff(s, "staff", username="canbo.tamky")
        h.staff(s, "agency", agency_code="ubnd_tam_ky", username="lienlac.ubnd")
        p = h.draft(
            s,
            text="Rác thải đổ trộm ở cuối đường Trần Cao Vân, ruồi nhặng, mùi hôi thối.",
            category_code="giao_thong",
        )
        p.citizen.last_interaction_at = utcnow()  # inside Zalo's 7-day window
        wf.submit(s, p, now=utcnow())
        pid, code, zalo_id = p.id, p.code, p.citizen.zalo_user_id
        assert officer.id
    standin.state.touch(zalo_id, at=standin.state.now())

    sign_in(page, live, "canbo.tamky", to_inbox=True)
    expect(page.get_by_role("link", name=code)).to_be_visible()
    shot(page, "admin-inbox")
    page.get_by_role("link", name=code).click()
    expect(page.locator(".p-head")).to_contain_text(code)
    shot(page, "admin-petition-received")

    triage = page.locator("form[action$='/triage']")
    triage.locator("select[name=category]").select_option(
        label="Môi trường, rác thải, ô nhiễm, cây xanh"
    )
    triage.get_by_role("button", name="Xác nhận phân loại").click()
    expect(page.locator(".flash-ok")).to_contain_text("Đã phân loại")

    forward = page.locator("form[action$='/forward']")
    # Neither the UBND nor its liaison has an email address: the form and the answer say so.
    forward.locator("select[name=channel]").select_option("email")
    forward.locator("select[name=agency]").select_option(
        label="UBND phường Tam Kỳ (chưa có địa chỉ thư)"
    )
    expect(forward.locator("select[name=channel]")).to_have_value("van_ban")  # follows it
    forward.locator("input[name=document_number]").fill("25/MTTQ-BTT")
    forward.get_by_role("button", name="Chuyển và tạo phiếu chuyển").click()
    expect(page.locator(".flash-ok")).to_contain_text("Đã chuyển đến UBND phường Tam Kỳ")
    expect(page.locator(".flash-ok")).to_contain_text("cần in và gửi phiếu chuyển")
    expect(page.get_by_role("link", name="Phiếu chuyển (.docx)")).to_be_visible()
    shot(page, "admin-petition-forwarded")
    page.get_by_role("button", name="Đăng xuất").click()

    sign_in(page, live, "lienlac.ubnd", to_inbox=True)
    page.get_by_role("link", name=code).click()
    answer = page.locator("form[action$='/record_answer']")
    answer.locator("textarea[name=text]").fill("Đã thu gom toàn bộ rác và cắm biển cấm đổ rác.")
    answer.get_by_role("button", name="Lưu trả lời").click()
    expect(page.locator(".flash-ok")).to_contain_text("Đã ghi nhận trả lời")
    shot(page, "admin-liaison-answered")
    page.get_by_role("button", name="Đăng xuất").click()

    sign_in(page, live, "canbo.tamky", to_inbox=True)
    page.goto(f"{live.base_url}/admin/petitions/{pid}")
    result = page.locator("form[action$='/send_result']")
    expect(result.locator("textarea[name=result]")).to_have_value(
        "Đã thu gom toàn bộ rác và cắm biển cấm đổ rác."
    )
    result.get_by_role("button", name="Gửi kết quả").click()
    expect(page.locator(".flash-ok")).to_contain_text("Đã gửi kết quả")

    runtime = runtime_of(live.app)
    run_job(runtime.jobs, "outbox-drain", runtime.job_context())
    with live.sessions() as s:
        assert s.get(Petition, pid).state == "result_sent"
        states = s.scalars(
            select(OutboxMessage.state).where(OutboxMessage.petition_id == pid)
        ).all()
        assert states and set(states) == {"sent"}
    sent = [str(m) for m in standin.state.sent_to(zalo_id)]
    assert any("Đã thu gom toàn bộ rác" in m for m in sent)
    assert any(code in m and "đã được chuyển đến UBND phường Tam Kỳ" in m for m in sent)
    page.goto(f"{standin.base_url}/_standin/messages?user_id={zalo_id}")
    expect(page.locator("body")).to_contain_text("Đã thu gom toàn bộ rác")
    shot(page, "zalo-standin-citizen-messages")


XSS = (
    "<script>window.__xss=1</script>"
    '<img src=x onerror="window.__xss=2">"><svg onload=window.__xss=3>'
)


def test_citizen_text_never_executes(live: Live, page: Page) -> None:
    from handlers.workflow.files import store_upload
    from storage.models import PetitionMessage

    with live.sessions() as s, s.begin():
        officer = h.staff(s, "supervisor", username="xss.checker")
        p = h.draft(s, text=f"Đường hỏng {XSS}", phone="0905 111 222")
        p.summary = f"Tóm tắt {XSS}"
        p.place = XSS
        assert p.citizen is not None
        p.citizen.display_name = XSS
        wf.submit(s, p, now=utcnow())
        msg = PetitionMessage(petition_id=p.id, citizen_id=p.citizen_id, direction="in", text=XSS)
        s.add(msg)
        s.flush()
        image = store_upload(
            s,
            data=h.tiny_png(),
            filename=f"{XSS}.png",
            base_dir=Path(live.settings.attachment_dir),
            max_bytes=10**6,
            petition=p,
        )
        image.message_id = msg.id
        wf.add_note(s, p, actor=officer, body=XSS, now=utcnow())
        pid = p.id
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    sign_in(page, live, "xss.checker", to_inbox=True)
    for path in (f"/admin/?q={XSS}", f"/admin/petitions/{pid}"):
        response = page.goto(f"{live.base_url}{path}")
        assert (
            response is not None
            and "script-src 'self'" in response.headers["content-security-policy"]
        )
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert page.locator("img[src='x'], svg, script:not([src])").count() == 0
    expect(page.locator(".citizen-text").first).to_contain_text("<script>window.__xss=1</script>")
    expect(page.locator(".gallery img, .thread img").first).to_be_visible()
    shot(page, "admin-xss-escaped")
    assert dialogs == []


def test_usable_on_a_phone(live: Live, browser: Browser) -> None:
    with live.sessions() as s, s.begin():
        h.staff(s, "staff", username="canbo.dienthoai")
        p = wf.submit(
            s, h.draft(s, text="Cống thoát nước bị vỡ trên đường Phan Bội Châu."), now=utcnow()
        )
        pid = p.id
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="vi-VN"
    )
    try:
        phone = context.new_page()
        sign_in(phone, live, "canbo.dienthoai", to_inbox=True)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 400  # no sideways scrolling
        shot(phone, "admin-inbox-phone")
        phone.goto(f"{live.base_url}/admin/petitions/{pid}")
        shot(phone, "admin-petition-phone")
        wide = phone.evaluate(
            "[...document.querySelectorAll('body *')]"
            ".filter(e => e.getBoundingClientRect().right > 400)"
            ".map(e => e.tagName + '.' + e.className).slice(0, 8)"
        )
        assert phone.evaluate("document.documentElement.scrollWidth") <= 400, wide
    finally:
        context.close()


def test_the_admins_nav_fits_one_line_on_a_1366_laptop(live: Live, browser: Browser) -> None:
    """The walk: at 1366 px «Đăng xuất» went to a second line (an admin sees every link)."""
    with live.sessions() as s, s.begin():
        admin = h.staff(s, "admin", username="quantri.laptop")
        admin.display_name = "Nguyễn Thị Thu Hương (Văn phòng)"  # a long name is cut, not wrapped
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    try:
        page = context.new_page()
        sign_in(page, live, "quantri.laptop", to_inbox=True)
        first = page.locator(".admin-nav a").first.bounding_box()
        out = page.get_by_role("button", name="Đăng xuất").bounding_box()
        assert first is not None and out is not None
        assert abs(out["y"] - first["y"]) < 8, (first, out)
        assert out["x"] + out["width"] <= 1366
        shot(page, "admin-nav-1366")
    finally:
        context.close()


def test_a_supervisor_sends_a_dead_letter_again(live: Live, page: Page) -> None:
    with live.sessions() as s, s.begin():
        h.staff(s, "supervisor", username="giamsat.tinnhan")
        citizen = h.citizen(s)
        row = outbox.queue_zalo(s, citizen=citizen, text="Kết quả giải quyết <i>hồ sơ</i>")
        s.flush()
        outbox.dead_letter(s, row.id, now=utcnow(), reason="user_not_exist (-213)")
        row_id = row.id
    sign_in(page, live, "giamsat.tinnhan", to_inbox=True)
    page.get_by_role("link", name="Tin chưa gửi").click()
    dead = page.locator("#dead")
    expect(dead).to_contain_text("Kết quả giải quyết <i>hồ sơ</i>")  # shown as text, escaped
    shot(page, "admin-delivery")
    dead.locator("tr", has_text="user_not_exist").get_by_role("button", name="Gửi lại").click()
    expect(page.get_by_role("status")).to_contain_text("gửi lại")
    expect(page.locator("#dead")).not_to_contain_text("user_not_exist")
    with live.sessions() as s:
        state = s.scalar(select(OutboxMessage.state).where(OutboxMessage.id == row_id))
    assert state == "pending"  # queued again; this server sends nothing inline
