"""The staff's working day over HTTP: Hôm nay, Việc cần làm, the inbox's total, pinned urgent
petitions, "Của tôi", saved filters, bulk actions and exports, letters, and the wording."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import tasks
from handlers import workflow as wf
from storage.models import (
    AuditEntry,
    OutboxMessage,
    Petition,
    PetitionMessage,
    SavedFilter,
    StaffUser,
)
from tests.admin.conftest import csrf, login, post
from tests.workflow import helpers as h

NOW = datetime.now(UTC)


def _submitted(s: Session, days_ago: float = 0, **kw: object) -> Petition:
    p = h.draft(s, **kw)  # type: ignore[arg-type]
    wf.submit(s, p, now=NOW - timedelta(days=days_ago))
    return p


def _triaged(s: Session, officer: StaffUser) -> Petition:
    """A petition sent yesterday and triaged as it came: ready to forward."""
    p = _submitted(s, 1)
    category, ward, legal = p.category_id, p.ward_id, p.legal_type
    wf.triage(
        s,
        p,
        actor=officer,
        category_id=category,
        ward_id=ward,
        legal_type=legal,
        urgent=False,
        now=NOW,
    )
    s.commit()
    return p


def test_landing_on_today_and_every_figure_opens_its_list(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    officer = signed_in("staff")
    late = _submitted(db_session, 20, text="Cống thoát nước tắc nghẽn lâu ngày ở khối phố 3.")
    urgent = _submitted(db_session, 0, urgent=True, text="Cây đổ chắn ngang đường Phan Bội Châu.")
    _submitted(db_session, 0, ward_code="quang_phu")  # another ward: not counted
    db_session.commit()
    page = client.get("/admin/today")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<svg" in html and "Hôm nay" in html
    counts = {
        label: int(n)
        for n, label in re.findall(
            r'<span class="n">(\d+)</span><span class="label">([^<]+)<', html
        )
    }
    assert counts["Khẩn, chưa xử lý"] == 1 and counts["Quá hạn"] == 1
    assert counts["Chờ phân loại"] == 2
    links = re.findall(r'<li class="figure[^"]*">\s*<a href="([^"]+)"', html)
    assert len(links) == len(counts)
    for link in links:
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link
    urgent_list = client.get("/admin/?urgent=1&state=new").get_data(as_text=True)
    assert urgent.code in urgent_list and late.code not in urgent_list
    overdue = client.get("/admin/?overdue=1").get_data(as_text=True)
    assert late.code in overdue and urgent.code not in overdue
    assert officer.id


def test_a_liaison_lands_on_their_agencys_day(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("agency", agency_code="ubnd_tam_ky")
    officer = h.staff(db_session)
    p = _submitted(db_session, 10)
    wf.triage(
        db_session,
        p,
        actor=officer,
        category_id=p.category_id,
        ward_id=p.ward_id,
        legal_type=p.legal_type,
        urgent=False,
        now=NOW - timedelta(days=10),
    )
    wf.forward(
        db_session,
        p,
        actor=officer,
        agency=h.agency(db_session),
        channel="van_ban",
        document_number="3/MTTQ-BTT",
        sent_on=wf.local_date(NOW - timedelta(days=10)),
        handler_due_on=wf.local_date(NOW - timedelta(days=3)),
        now=NOW - timedelta(days=10),
    )
    _submitted(db_session, 10)  # not forwarded to them: not theirs
    db_session.commit()
    html = client.get("/admin/today").get_data(as_text=True)
    counts = {
        label: int(n)
        for n, label in re.findall(
            r'<span class="n">(\d+)</span><span class="label">([^<]+)<', html
        )
    }
    assert counts == {
        "Quá hạn": 1,
        "Đến hạn hôm nay": 0,
        "Đến hạn trong 5 ngày làm việc tới": 0,
        "Đang chờ cơ quan": 1,
    }
    assert "Văn bản đôn đốc" not in html and "Cơ quan có hồ sơ quá hạn" not in html


def test_tasks_done_snooze_and_undo(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("staff")
    p = _submitted(db_session)
    mine = tasks.raise_item(
        db_session,
        kind="citizen_followup",
        title="Người dân bổ sung",
        now=NOW,
        petition_id=p.id,
        ward_id=p.ward_id,
    )
    other = tasks.raise_item(
        db_session,
        kind="abuse",
        title="Ở phường khác",
        now=NOW,
        ward_id=h.ward(db_session, "quang_phu").id,
    )
    db_session.commit()
    html = client.get("/admin/tasks").get_data(as_text=True)
    assert "Người dân bổ sung" in html and "Ở phường khác" not in html
    assert re.search(r'class="count[^"]*"[^>]*>1<', html)  # the navigation's count
    opened = client.get(f"/admin/tasks/{mine.id}/open")
    assert opened.status_code == 302 and opened.headers["Location"].endswith(
        f"/admin/petitions/{p.id}"
    )
    assert client.get(f"/admin/tasks/{other.id}/open").status_code == 404
    assert post(client, f"/admin/tasks/{other.id}/done").status_code == 404
    post(client, f"/admin/tasks/{mine.id}/snooze", {"days": "1"})
    assert "Người dân bổ sung" not in client.get("/admin/tasks").get_data(as_text=True)
    assert "Người dân bổ sung" in client.get("/admin/tasks?tab=snoozed").get_data(as_text=True)
    assert post(client, f"/admin/tasks/{mine.id}/snooze", {"days": "99"}).status_code == 400
    post(client, f"/admin/tasks/{mine.id}/done")
    done = client.get("/admin/tasks?tab=done").get_data(as_text=True)
    assert "Người dân bổ sung" in done and "Cán bộ staff" in done
    post(client, f"/admin/tasks/{mine.id}/undo")
    assert "Người dân bổ sung" in client.get("/admin/tasks").get_data(as_text=True)


def test_my_email_setting(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    user = signed_in("staff")
    assert "Việc khẩn gửi ngay" in client.get("/admin/me").get_data(as_text=True)
    post(client, "/admin/me", {"email_mode": "urgent"})
    db_session.refresh(user)
    assert user.email_mode == "urgent"
    assert post(client, "/admin/me", {"email_mode": "<script>"}).status_code == 400


def test_links_of_earlier_emails_open_real_pages(
    client: FlaskClient, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("supervisor")
    for old, new in (
        ("/admin/dashboard", "/admin/today"),
        ("/admin/petitions", "/admin/?sort=deadline"),
        ("/admin/supervision", "/admin/letters?kind=agenda"),
    ):
        response = client.get(old)
        assert response.status_code == 302 and response.headers["Location"].endswith(new)
        assert client.get(new).status_code == 200


def test_a_link_opens_after_sign_in(client: FlaskClient, db_session: Session) -> None:
    user = h.staff(db_session)
    db_session.commit()
    response = client.get("/admin/tasks?tab=done")
    assert response.status_code == 302 and "next=/admin/tasks?tab%3Ddone" in response.headers[
        "Location"
    ].replace("%2F", "/")
    token = csrf(client, "/admin/login?next=/admin/tasks?tab=done")
    back = client.post(
        "/admin/login",
        data={
            "username": user.username,
            "password": h.PASSWORD,
            "csrf_token": token,
            "next": "/admin/tasks?tab=done",
        },
    )
    assert back.headers["Location"].endswith("/admin/tasks?tab=done")


def test_inbox_total_pinned_urgent_and_mine(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    officer = signed_in("staff")
    urgent = _submitted(db_session, 2, urgent=True, text="Dây điện đứt rơi xuống đường.")
    plain = [_submitted(db_session, 1 - n / 10) for n in range(3)]
    wf.assign(db_session, plain[0], actor=officer, assignee=officer, now=NOW)
    db_session.commit()
    html = client.get("/admin/").get_data(as_text=True)
    assert "<strong>4</strong> hồ sơ" in html
    pinned, listed = html.split('class="inbox pinned"')[1].split("</table>", 1)
    assert urgent.code in pinned and urgent.code not in listed  # on top, shown once
    assert all(p.code in listed for p in plain)
    mine = client.get("/admin/?mine=1").get_data(as_text=True)
    assert "<strong>1</strong> hồ sơ" in mine and plain[0].code in mine
    assert plain[1].code not in mine
    closed = client.get("/admin/?state=closed").get_data(as_text=True)
    assert 'class="inbox pinned"' not in closed


def test_saved_filters_belong_to_their_owner(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    officer = signed_in("staff")
    post(client, "/admin/filters", {"name": "Quá hạn của tôi", "query": "overdue=1&mine=1"})
    post(client, "/admin/filters", {"name": "Quá hạn của tôi", "query": "overdue=1"})  # replaced
    [saved] = db_session.scalars(select(SavedFilter)).all()
    assert (saved.staff_id, saved.query) == (officer.id, "overdue=1")
    html = client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/?overdue=1" class="saved">Quá hạn của tôi<' in html
    someone = h.staff(db_session, username="nguoi.khac")
    theirs = SavedFilter(staff_id=someone.id, name="Của người khác", query="urgent=1")
    db_session.add(theirs)
    db_session.commit()
    assert "Của người khác" not in client.get("/admin/").get_data(as_text=True)
    assert post(client, f"/admin/filters/{theirs.id}/delete").status_code == 404
    post(client, f"/admin/filters/{saved.id}/delete")
    assert db_session.scalars(select(SavedFilter.name)).all() == ["Của người khác"]


def test_bulk_assign_merge_and_close(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    officer = signed_in("staff")
    a, b, c = (_submitted(db_session, 1) for _ in range(3))
    other_ward = _submitted(db_session, 1, ward_code="quang_phu")
    db_session.commit()
    ids = [a.id, b.id, c.id, other_ward.id]
    r = post(client, "/admin/bulk", {"ids": ids, "bulk_action": "assign", "assignee": officer.id})
    assert r.status_code == 302
    db_session.expire_all()
    assert [p.assignee_id for p in (a, b, c)] == [officer.id] * 3
    assert other_ward.assignee_id is None  # out of scope: untouched
    post(
        client, "/admin/bulk", {"ids": [b.id, c.id, a.id], "bulk_action": "merge", "master": a.code}
    )
    db_session.expire_all()
    assert (b.state, b.duplicate_of_id, c.duplicate_of_id, a.state) == (
        "closed",
        a.id,
        a.id,
        "received",
    )
    page = client.get(f"/admin/petitions/{a.id}").get_data(as_text=True)
    assert "Gộp hồ sơ trùng vào hồ sơ này" in page and f"Nhận hồ sơ trùng {b.code}" in page
    assert "Được gộp vào hồ sơ chính" in client.get(f"/admin/petitions/{b.id}").get_data(
        as_text=True
    )
    r = post(client, "/admin/bulk", {"ids": [a.id], "bulk_action": "close", "reason": ""})
    assert "Cần chọn lý do" in client.get("/admin/").get_data(as_text=True)
    post(client, "/admin/bulk", {"ids": [a.id, b.id], "bulk_action": "close", "reason": "resolved"})
    db_session.expire_all()
    assert a.close_reason == "resolved"
    liaison = h.staff(db_session, "agency", agency_code="ubnd_tam_ky", username="ll.bulk")
    db_session.commit()
    post(client, "/admin/logout")
    login(client, liaison.username)
    assert post(client, "/admin/bulk", {"ids": [c.id], "bulk_action": "close"}).status_code == 403


def test_exports_carry_the_current_list(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("staff")
    hostile = _submitted(db_session, 1, text='=HYPERLINK("http://evil") đường hỏng', urgent=True)
    hostile.summary = "=1+2 tóm tắt"
    plain = _submitted(db_session, 1)
    db_session.commit()
    response = client.get("/admin/export.csv?urgent=1")
    assert response.status_code == 200 and response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][0] == "Mã hồ sơ" and len(rows) == 2
    assert rows[1][0] == hostile.code and rows[1][9] == "'=1+2 tóm tắt"  # not a formula
    assert rows[1][4] == "Phản ánh" and rows[1][6] == "Mới tiếp nhận"
    book = load_workbook(io.BytesIO(client.get("/admin/export.xlsx").data))
    codes = [row[0].value for row in book.active.iter_rows(min_row=2)]
    assert set(codes) == {hostile.code, plain.code}
    exports = db_session.scalars(
        select(AuditEntry).where(AuditEntry.kind == "export.inbox").order_by(AuditEntry.id)
    ).all()
    assert [e.summary.split(" (")[0] for e in exports] == [
        "Xuất 1 hồ sơ của danh sách",
        "Xuất 2 hồ sơ của danh sách",
    ]
    assert "urgent=1" in exports[0].summary and "urgent" not in exports[1].summary


def test_a_refused_forward_keeps_what_was_typed(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    officer = signed_in("staff")
    p = _triaged(db_session, officer)
    agency = h.agency(db_session, "so_xay_dung")
    sent = wf.local_date(NOW)
    due = (sent - timedelta(days=9)).isoformat()  # before the day it was sent: refused
    r = post(
        client,
        f"/admin/petitions/{p.id}/forward",
        {
            "agency": agency.id,
            "channel": "email",
            "document_number": "99/MTTQ-BTT",
            "sent_on": sent.isoformat(),
            "due_on": due,
        },
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "Hạn giải quyết phải sau ngày chuyển" in html
    assert 'value="99/MTTQ-BTT"' in html and f'value="{due}"' in html
    assert f'<option value="{agency.id}" selected>' in html
    assert '<option value="email" selected>' in html
    r = post(client, "/admin/holidays", {"day": "31/02/2027", "name": "Ngày sai"})
    assert r.status_code == 403  # officers do not keep the calendar


def test_a_refused_holiday_keeps_what_was_typed(
    client: FlaskClient, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("supervisor")
    r = post(client, "/admin/holidays", {"day": "31/02/2027", "name": "Nghỉ bù đặc biệt"})
    assert r.status_code == 400 and 'value="Nghỉ bù đặc biệt"' in r.get_data(as_text=True)


def test_the_petition_page_speaks_vietnamese_and_shows_each_message_once(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    officer = signed_in("staff")
    p = _submitted(db_session, 1, urgent=True)
    p.suggestions = {**p.suggestions, "urgency_reasons": ["electric", "collapse"]}
    wf.triage(
        db_session,
        p,
        actor=officer,
        category_id=p.category_id,
        ward_id=p.ward_id,
        legal_type="kien_nghi",
        urgent=True,
        now=NOW,
    )
    notice = db_session.scalars(
        select(OutboxMessage).where(OutboxMessage.petition_id == p.id)
    ).first()
    assert notice is not None
    notice.state = "sent"
    db_session.add(
        PetitionMessage(
            petition_id=p.id,
            citizen_id=p.citizen_id,
            direction="out",
            text=notice.payload["text"],
            data={"outbox_id": notice.id},
        )
    )
    db_session.commit()
    html = client.get(f"/admin/petitions/{p.id}").get_data(as_text=True)
    assert "điện giật, dây điện nguy hiểm, sập, đổ, sạt lở" in html
    assert "electric" not in html and "collapse" not in html
    assert "Loại: Kiến nghị" in html and "kien_nghi" not in html.split("<option")[0]
    assert html.count(notice.payload["text"].split("\n")[0]) == 1  # thread only, once
    assert "✓ Phân loại" in html and 'class="reached"' in html


def test_a_shared_location_in_the_thread_is_not_an_empty_bubble(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("staff")
    p = _submitted(db_session, 1)
    db_session.add(
        PetitionMessage(
            petition_id=p.id,
            citizen_id=p.citizen_id,
            direction="in",
            kind="location",
            text="",
            data={"event": "user_send_location", "location": {"lat": 15.5736, "lng": 108.474}},
        )
    )
    db_session.commit()
    html = client.get(f"/admin/petitions/{p.id}").get_data(as_text=True)
    assert "Vị trí đã chia sẻ: 15.57360, 108.47400" in html


def test_a_searchs_total_is_counted_only_so_far(db_session: Session) -> None:
    from handlers.workflow.inbox import InboxFilter, count_matching

    for n in range(4):
        _submitted(db_session, 1, text=f"Ống nước vỡ số {n} trên đường Hùng Vương.")
    f = InboxFilter(q="ong nuoc vo")
    assert count_matching(db_session, wf.SYSTEM, f, now=NOW) == 4
    assert count_matching(db_session, wf.SYSTEM, f, now=NOW, cap=2) == 3  # "more than 2"
    assert count_matching(db_session, wf.SYSTEM, f, now=NOW, cap=10) == 4


def test_back_then_forward_again_is_refused_not_a_second_forward(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    officer = signed_in("staff")
    p = _triaged(db_session, officer)
    agency = h.agency(db_session, "so_xay_dung")
    page = client.get(f"/admin/petitions/{p.id}").get_data(as_text=True)
    assert 'name="after_forward" value="0"' in page
    form = {
        "agency": agency.id,
        "channel": "email",
        "sent_on": wf.local_date(NOW).isoformat(),
        "after_forward": "0",
    }
    first = post(client, f"/admin/petitions/{p.id}/forward", form)
    assert first.status_code == 302
    again = post(client, f"/admin/petitions/{p.id}/forward", form)  # the page before, resent
    assert again.status_code == 400
    assert "sau khi trang này được mở" in again.get_data(as_text=True)
    assert len(wf.forwards_of(db_session, p)) == 1
    latest = wf.latest_forward(db_session, p)
    assert latest is not None
    page = client.get(f"/admin/petitions/{p.id}").get_data(as_text=True)
    assert f'name="after_forward" value="{latest.id}"' in page  # a fresh page may re-forward


def _facts(page: str, term: str) -> str:
    """The <dd> after a <dt> of the petition's facts, tags stripped."""
    found = re.search(rf"<dt>{term}</dt><dd>(.*?)</dd>", page, re.S)
    assert found, term
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def test_the_models_confidence_is_not_shown_beside_an_officers_field(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    """The walk: after the officer changed the field, «Giao thông 98%» — the 98 % was the
    model's, for another field."""
    signed_in("staff")
    p = _submitted(db_session, 1, text="Xe rác đổ ngoài đường Hùng Vương, ruồi bu kín.")
    db_session.commit()
    page = client.get(f"/admin/petitions/{p.id}").get_data(as_text=True)
    assert _facts(page, "Lĩnh vực").endswith("82%")  # still the model's choice
    traffic = h.category(db_session, "giao_thong")
    form = {"field": "category", "value": str(traffic.id)}
    assert post(client, f"/admin/petitions/{p.id}/classify", form).status_code == 302
    shown = _facts(client.get(f"/admin/petitions/{p.id}").get_data(as_text=True), "Lĩnh vực")
    assert shown.startswith(traffic.name) and "do cán bộ chọn" in shown
    moi_truong = h.category(db_session, "moi_truong").name
    assert f"(hệ thống gợi ý: {moi_truong} 82%)" in shown
    row = _inbox_row(client.get("/admin/?state=all").get_data(as_text=True), p.code)
    assert traffic.name in row and "82%" not in row  # the inbox row too


def _inbox_row(page: str, code: str) -> str:
    """The inbox's <tr> holding a petition code."""
    found = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*?{code}.*?</tr>", page, re.S)
    assert found, code
    return found.group(0)


def test_the_inbox_shows_the_models_confidence_beside_the_models_field(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("staff")
    p = _submitted(db_session, 1, text="Xe rác đổ ngoài đường Hùng Vương, ruồi bu kín.")
    db_session.commit()
    row = _inbox_row(client.get("/admin/?state=all").get_data(as_text=True), p.code)
    assert h.category(db_session, "moi_truong").name in row and "82%" in row


def test_a_short_petition_is_not_printed_twice(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("staff")
    text = "Đèn đường kiệt 45 Trần Cao Vân tắt cả tuần nay rồi."
    p = _submitted(db_session, 1, text=text)  # its summary is the text itself
    long = _submitted(db_session, 1, text="Cống thoát nước bị nghẹt. " + "Nước tràn vô nhà. " * 8)
    long.summary = "Cống nghẹt làm nước tràn vào nhà dân"
    db_session.commit()
    page = client.get(f"/admin/petitions/{p.id}").get_data(as_text=True)
    main = page[page.index('<div class="p-main">') : page.index('<aside class="p-side">')]
    assert main.count(text) == 1 and "<h2>Nội dung phản ánh, kiến nghị</h2>" in main
    page = client.get(f"/admin/petitions/{long.id}").get_data(as_text=True)
    assert "<h2>Cống nghẹt làm nước tràn vào nhà dân</h2>" in page
