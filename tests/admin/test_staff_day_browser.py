"""The staff's working day in headless Chromium on both databases: an officer's morning, a
supervisor recording a chase letter as sent, and an email digest whose every link opens.

Screenshots (desktop 1280 and phone 390 wide) go to PAKN_SHOTS_DIR (default: screenshots/).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from bot.runtime import runtime_of
from bot.zalo.standin import StandIn
from bot.zalo.tokens import TokenPair, store_pair
from handlers import tasks
from handlers import workflow as wf
from handlers.conversation.config import ConversationConfig
from handlers.jobs import JobContext, run_job
from handlers.reminders.config import ReminderConfig
from storage.models import ChaseLetter, Petition, StaffNotification
from storage.models.base import utcnow
from tests.admin.live import Live, chromium, live_server, sign_in
from tests.conversation.chat import Chat
from tests.conversation.test_intake import file_petition
from tests.reminders.conftest import Inbox
from tests.support import OA_ID, free_port, start_standin
from tests.workflow import helpers as h

pytestmark = pytest.mark.browser

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SHOTS = Path(
    os.environ.get("PAKN_SHOTS_DIR") or Path(__file__).resolve().parents[2] / "screenshots"
)
FIRE = "Cháy lớn ở chợ Tam Kỳ, lửa bốc cao, có người mắc kẹt trong ki-ốt"


def snap(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_load_state("load")
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[str, Inbox]]:
    """A real SMTP server (aiosmtpd) on loopback."""
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, decode_data=False)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}", inbox
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def standin() -> Iterator[StandIn]:
    server = start_standin()
    yield server
    server.close()


@pytest.fixture(scope="module")
def live(
    database_url: str,
    tmp_path_factory: pytest.TempPathFactory,
    standin: StandIn,
    smtp: tuple[str, Inbox],
) -> Iterator[Live]:
    tmp: Path = tmp_path_factory.mktemp("staffday")
    with live_server(
        database_url,
        tmp,
        zalo_api_base=standin.base_url,
        zalo_oauth_base=standin.base_url,
        zalo_oa_id=OA_ID,
        zalo_inline_mode="off",
        smtp_url=smtp[0],
        letter_dir=str(tmp / "letters"),
    ) as server:
        with server.sessions() as s, s.begin():
            access, refresh = standin.state.issue_pair()
            store_pair(s, TokenPair(access, refresh, 90000), now=utcnow(), source="test")
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="vi-VN"
    )
    yield context.new_page()
    context.close()


def job(live: Live, name: str, now: datetime | None = None) -> object:
    """Run a job as the scheduler would, with this server's letters folder and address."""
    reminders = ReminderConfig(
        letter_dir=live.settings.letter_dir, admin_url=f"{live.base_url}/admin"
    )
    runtime = runtime_of(live.app)
    services = replace(runtime.services, reminders=reminders)
    ctx = JobContext(sessions=live.sessions, now=now or utcnow(), services=services)
    return run_job(runtime.jobs, name, ctx)


def working_morning(live: Live, hour: int = 8, minute: int = 15) -> datetime:
    """The latest working day up to today, at hh:mm in Tam Kỳ (jobs skip days off)."""
    with live.sessions() as s:
        cal = wf.WorkCalendar.load(s)
    day = wf.local_date(utcnow())
    while not cal.is_working_day(day):
        day -= timedelta(days=1)
    return datetime.combine(day, time(hour, minute), VN).astimezone(UTC)


def no_sideways_scroll(p: Page) -> None:
    wide = p.evaluate(
        "[...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > 400)"
        ".map(e => e.tagName + '.' + e.className).slice(0, 8)"
    )
    assert p.evaluate("document.documentElement.scrollWidth") <= 400, wide


def test_an_officers_morning(live: Live, page: Page, phone: Page) -> None:
    """Sign in → Hôm nay → the urgent petition → handle it → its item is gone."""
    with live.sessions() as s:
        h.staff(s, "staff", username="canbo.sangsom")
        s.commit()
        chat = Chat(s, "7300000000000000001", utcnow(), ConversationConfig(gather_seconds=8))
        code = file_petition(chat, FIRE)
        s.commit()
        petition = s.scalars(select(Petition).where(Petition.code == code)).one()
        pid = petition.id
        [item] = s.scalars(select(StaffNotification).where(StaffNotification.kind == "urgent"))
        assert item.petition_id == pid and item.done_at is None
        other = tasks.raise_item(
            s,
            kind="citizen_followup",
            title="Người dân bổ sung ảnh cho hồ sơ khác",
            now=utcnow(),
            ward_id=petition.ward_id,
        )
        s.commit()
        item_id, other_id = item.id, other.id

    sign_in(page, live, "canbo.sangsom", to_inbox=False)
    expect(page.locator(".admin-nav .count")).to_have_text("2")
    urgent = page.locator(".figure", has_text="Khẩn, chưa xử lý")
    expect(urgent.locator(".n")).to_have_text("1")
    expect(page.locator("svg.chart").first).to_be_visible()
    snap(page, "hom-nay-desktop")
    before = page.context.new_page()  # the list as the morning starts, in another tab
    before.goto(f"{live.base_url}/admin/tasks")
    expect(before.locator(f"#item-{item_id}")).to_contain_text("KHẨN")
    expect(before.locator(".task").first).to_have_id(f"item-{item_id}")  # most urgent first
    snap(before, "viec-can-lam-sang-desktop")
    before.close()
    urgent.get_by_role("link").click()
    expect(page.locator("table.pinned")).to_contain_text(code)
    snap(page, "hop-ho-so-desktop")
    page.locator("table.pinned").get_by_role("link", name=code).click()
    expect(page.locator(".p-head")).to_contain_text(code)
    expect(page.locator(".suggestions")).to_contain_text("cháy")  # the reason, in Vietnamese
    triage = page.locator("form[action$='/triage']")
    triage.get_by_role("button", name="Xác nhận phân loại").click()
    expect(page.locator(".flash-ok")).to_contain_text("Đã phân loại")
    page.get_by_role("link", name=re.compile("^Việc cần làm")).click()
    expect(page.locator(f"#item-{item_id}")).to_have_count(0)  # handled: off the list
    expect(page.locator(f"#item-{other_id}")).to_be_visible()
    expect(page.locator(".admin-nav .count")).to_have_text("1")
    snap(page, "viec-can-lam-desktop")
    page.get_by_role("link", name="Đã xong").click()
    expect(page.locator(f"#item-{item_id}")).to_contain_text("Đã xử lý: Phân loại")

    sign_in(phone, live, "canbo.sangsom", to_inbox=False)
    no_sideways_scroll(phone)
    snap(phone, "hom-nay-phone")
    phone.goto(f"{live.base_url}/admin/tasks")
    no_sideways_scroll(phone)
    snap(phone, "viec-can-lam-phone")
    phone.goto(f"{live.base_url}/admin/")
    no_sideways_scroll(phone)
    snap(phone, "hop-ho-so-phone")


def test_a_supervisor_records_a_chase_letter_as_sent(
    live: Live, page: Page, phone: Page, standin: StandIn
) -> None:
    run_at = working_morning(live)
    day = wf.local_date(run_at)
    with live.sessions() as s:
        h.staff(s, "supervisor", username="lanhdao.dondoc")
        officer = h.staff(s, "staff", username="canbo.dondoc")
        cal = wf.WorkCalendar.load(s)
        due = cal.add_working_days(day, -1)
        start = datetime.combine(due - timedelta(days=7), time(9), VN).astimezone(UTC)
        p = h.draft(s, text="Mương thoát nước bị lấp, nước tràn vào nhà dân khi mưa.")
        assert p.citizen is not None
        p.citizen.last_interaction_at = utcnow()  # inside Zalo's 7-day window
        wf.submit(s, p, now=start)
        wf.triage(
            s,
            p,
            actor=officer,
            category_id=p.category_id,
            ward_id=p.ward_id,
            legal_type=p.legal_type,
            urgent=False,
            now=start,
        )
        wf.forward(
            s,
            p,
            actor=officer,
            agency=h.agency(s),
            channel="van_ban",
            document_number="31/MTTQ-BTT",
            sent_on=wf.local_date(start),
            handler_due_on=due,
            now=start,
        )
        s.commit()
        pid, code, zalo_id = p.id, p.code, p.citizen.zalo_user_id
    standin.state.touch(zalo_id, at=standin.state.now())
    job(live, "reminders-agency", run_at)
    job(live, "outbox-drain")
    assert not [m for m in standin.state.sent_to(zalo_id) if "đã gửi văn bản đôn đốc" in str(m)]

    sign_in(page, live, "lanhdao.dondoc", to_inbox=False)
    expect(page.locator(".figure", has_text="Văn bản chờ ký, gửi").locator(".n")).to_have_text("1")
    page.get_by_role("link", name="Văn bản đôn đốc").first.click()
    row = page.locator("tr", has_text=code)
    expect(row).to_contain_text("Chờ ký, gửi")
    snap(page, "van-ban-don-doc-desktop")
    row.get_by_role("link", name="Văn bản đôn đốc lần 1").click()
    expect(page.locator(".a4")).to_contain_text("V/v đôn đốc giải quyết phản ánh, kiến nghị")
    expect(page.locator(".a4")).to_contain_text("PHƯỜNG TAM KỲ")
    snap(page, "van-ban-xem-desktop")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Dự thảo")).click()
    assert download.value.suggested_filename.endswith(".docx")
    form = page.locator("form[action$='/sent']")
    form.locator("input[name=document_number]").fill("52/MTTQ-BTT")
    form.locator("input[name=signer]").fill("Nguyễn Thị E, Phó Chủ tịch")
    form.get_by_role("button", name="Ghi nhận đã gửi").click()
    expect(page.locator(".flash-ok")).to_contain_text("đã gửi")
    expect(page.locator("#ghi-nhan")).to_contain_text("52/MTTQ-BTT")
    expect(page.get_by_role("link", name=re.compile("Bản đã ký"))).to_be_visible()

    job(live, "outbox-drain")
    told = [str(m) for m in standin.state.sent_to(zalo_id) if "đã gửi văn bản đôn đốc" in str(m)]
    assert len(told) == 1 and code in told[0]  # the citizen hears of it now, once
    page.goto(f"{live.base_url}/admin/petitions/{pid}")
    expect(page.locator(".timeline")).to_contain_text("Gửi văn bản đôn đốc")
    expect(page.locator(".timeline")).to_contain_text("số 52/MTTQ-BTT ngày " + f"{day:%d/%m/%Y}")

    sign_in(phone, live, "lanhdao.dondoc", to_inbox=False)
    phone.goto(f"{live.base_url}/admin/letters?tab=all")
    no_sideways_scroll(phone)
    snap(phone, "van-ban-don-doc-phone")
    with live.sessions() as s:
        letter = s.scalars(select(ChaseLetter).where(ChaseLetter.petition_id == pid)).one()
        assert letter.sent_on == day


def _links(message: EmailMessage) -> list[str]:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return re.findall(r"https?://\S+", body.get_content())


def test_every_link_of_an_email_digest_opens_for_its_recipient(
    live: Live, browser: Browser, smtp: tuple[str, Inbox]
) -> None:
    inbox = smtp[1]
    with live.sessions() as s:
        reader = h.staff(s, "staff", username="canbo.thudientu")
        reader.email = "canbo.thudientu@mttq.test"
        p = h.draft(s, text="Đèn tín hiệu giao thông ngã tư Phan Châu Trinh không hoạt động.")
        wf.submit(s, p, now=utcnow() - timedelta(hours=3))
        ward = p.ward_id
        now = utcnow()
        tasks.raise_item(
            s,
            kind="urgent",
            title="Cột điện nghiêng sắp đổ",
            now=now,
            petition_id=p.id,
            ward_id=ward,
        )
        tasks.raise_item(
            s,
            kind="reminder.triage",
            title="1 hồ sơ chưa phân loại",
            now=now,
            ward_id=ward,
            link="/?state=new&sort=deadline",
        )
        tasks.raise_item(
            s,
            kind="reminder.supervisors",
            title="Tình hình hồ sơ",
            now=now,
            ward_id=ward,
            link="/today",
        )
        s.commit()
        code = p.code
    morning = working_morning(live, 8, 30)
    job(live, "tasks-alert")
    job(live, "tasks-digest", morning if morning <= utcnow() else utcnow())
    job(live, "outbox-drain")
    mine = [m for m in inbox.messages if "canbo.thudientu@mttq.test" in str(m["To"])]
    subjects = sorted(str(m["Subject"]) for m in mine)
    assert len(mine) == 2, subjects  # the urgent one at once, then the morning digest
    assert any(sub.startswith("[PAKN] KHẨN:") for sub in subjects)
    links = sorted({link for m in mine for link in _links(m)})
    assert len(links) >= 6 and all(link.startswith(f"{live.base_url}/admin/") for link in links)

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    try:
        page = context.new_page()
        first, *rest = links
        page.goto(first)
        expect(page.locator("h1")).to_contain_text("Đăng nhập")  # not signed in yet
        page.fill("input[name=username]", "canbo.thudientu")
        page.fill("input[name=password]", h.PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state("load")
        assert "/login" not in page.url  # back where the link pointed
        opened = {first: page.url}
        for link in rest:
            response = page.goto(link)
            assert response is not None and response.status == 200, (link, response)
            assert "/login" not in page.url, link
            opened[link] = page.url
            expect(page.locator(".error-page")).to_have_count(0)
        assert any(url.endswith(f"/admin/petitions/{_pid(live, code)}") for url in opened.values())
        assert any("/admin/?state=new" in url for url in opened.values())
        assert any(url.endswith("/admin/me") for url in opened.values())
    finally:
        context.close()


def _pid(live: Live, code: str | None) -> int:
    with live.sessions() as s:
        return int(s.scalars(select(Petition.id).where(Petition.code == code)).one())


def test_a_month_of_work_at_a_glance(live: Live, page: Page, phone: Page) -> None:
    """A supervisor's Hôm nay over a month of petitions: figures agree with their lists, the
    late agencies' chart matches the forwards, and the screens read well at both widths."""
    run_at = working_morning(live, 8, 20)
    with live.sessions() as s:
        h.staff(s, "supervisor", username="lanhdao.tongquan")
        officer = h.staff(s, "staff", username="canbo.tongquan")
        cal = wf.WorkCalendar.load(s)
        late_by: dict[str, int] = {}
        for n in range(18):
            ward = ("tam_ky", "quang_phu", "ban_thach", "huong_tra")[n % 4]
            start = utcnow() - timedelta(days=2 + n * 1.6)
            p = h.draft(
                s,
                ward_code=ward,
                urgent=n % 7 == 0,
                text=f"Phản ánh số {n}: đường ngập, rác thải, đèn đường hỏng.",
            )
            wf.submit(s, p, now=start)
            if n % 3 == 0:
                continue  # still waiting for triage
            wf.triage(
                s,
                p,
                actor=officer if ward == "tam_ky" else wf.SYSTEM,
                category_id=p.category_id,
                ward_id=p.ward_id,
                legal_type=p.legal_type,
                urgent=p.urgent,
                now=start + timedelta(hours=2),
            )
            if n % 3 == 1:
                agency = h.agency(s, f"ubnd_{ward}" if n % 2 else "so_xay_dung")
                due = cal.add_working_days(wf.local_date(start), 3)
                wf.forward(
                    s,
                    p,
                    actor=wf.SYSTEM,
                    agency=agency,
                    channel="van_ban",
                    document_number=f"{n}/MTTQ-BTT",
                    sent_on=wf.local_date(start),
                    handler_due_on=due,
                    now=start + timedelta(hours=3),
                )
                if due < wf.local_date(utcnow()):
                    late_by[agency.name] = late_by.get(agency.name, 0) + 1
            else:
                wf.answer_directly(
                    s,
                    p,
                    actor=wf.SYSTEM,
                    answer="Đã hướng dẫn công dân.",
                    now=start + timedelta(days=1),
                )
                wf.close(s, p, actor=wf.SYSTEM, reason="resolved", now=start + timedelta(days=2))
        s.commit()
    job(live, "reminders-agency", run_at)

    sign_in(page, live, "lanhdao.tongquan", to_inbox=False)
    chart = page.locator("svg.chart").first
    for name, count in late_by.items():
        item = page.locator(".plain-list li", has_text=name)
        expect(item).to_contain_text(f"{count} hồ sơ")
    expect(chart).to_be_visible()
    for figure in page.locator(".figure").all():
        number = int(figure.locator(".n").inner_text())
        href = figure.get_by_role("link").get_attribute("href") or ""
        if "/admin/?" not in href:
            continue  # letters and to-do figures open their own screens
        listed = page.context.new_page()
        listed.goto(f"{live.base_url}{href}")
        total = listed.locator(".total strong").inner_text()
        assert int(total) == number, (href, total, number)
        listed.close()
    snap(page, "hom-nay-lanh-dao-desktop")
    page.goto(f"{live.base_url}/admin/tasks")
    snap(page, "viec-can-lam-lanh-dao-desktop")
    page.goto(f"{live.base_url}/admin/?sort=deadline")
    snap(page, "hop-ho-so-han-desktop")
    page.goto(f"{live.base_url}/admin/letters?tab=all")
    snap(page, "van-ban-tat-ca-desktop")

    sign_in(phone, live, "lanhdao.tongquan", to_inbox=False)
    no_sideways_scroll(phone)
    snap(phone, "hom-nay-lanh-dao-phone")
    phone.goto(f"{live.base_url}/admin/tasks")
    no_sideways_scroll(phone)
    snap(phone, "viec-can-lam-lanh-dao-phone")
