"""The templates page: grouped by when each message is sent, described, with placeholders
and examples; an edit that cannot be used comes back as typed, with what is wrong."""

from __future__ import annotations

import html
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import message_guide, messages
from handlers.reminders import texts
from storage.models import AuditEntry, StaffUser
from tests.admin.conftest import post


def test_every_message_has_a_group_and_a_description() -> None:
    grouped = {
        e.key for group, items in message_guide.grouped() for e in items if group.id != "other"
    }
    assert grouped == set(messages.CATALOGUE) | set(texts.TEMPLATES)
    for _group, items in message_guide.grouped():
        for item in items:
            assert item.description, item.key
            for name in item.placeholders:
                meaning, example = item.meaning(name)
                assert meaning != name and example, (item.key, name)
            example = item.example(item.default_body)
            assert "{" not in example.replace("{{", "").replace("}}", ""), item.key


def test_the_page_reads_by_moment_not_by_key(
    client: FlaskClient, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("supervisor")
    page = client.get("/admin/templates").get_data(as_text=True)
    order = [
        page.index(t)
        for t in (
            "Lần đầu trò chuyện",
            "Khi người dân gửi phản ánh",
            "Thông báo khi hồ sơ chuyển bước",
            "Thư điện tử nhắc việc",
        )
    ]
    assert order == sorted(order)
    assert "Gửi khi cán bộ chuyển hồ sơ đến cơ quan có thẩm quyền." in page
    edit = client.get("/admin/templates/edit?key=notify.forwarded").get_data(as_text=True)
    assert "Số văn bản chuyển đơn" in edit and "125/MTTQ-BTT" in edit
    assert "đã được chuyển đến UBND phường Tam Kỳ ngày 04/11/2026" in edit  # the example
    assert client.get("/admin/templates/edit?key=khong.co").status_code == 404


@pytest.mark.parametrize(
    ("key", "typed", "says"),
    [
        ("notify.received", "Đã nhận hồ sơ {ma_ho_so}.", "chỗ điền {ma_ho_so} không có"),
        ("notify.received", "Đã nhận hồ sơ {code", "dấu ngoặc nhọn { } không khớp"),
        ("notify.received", "Đã nhận hồ sơ {code.__class__}.", "không phải chỗ điền hợp lệ"),
        ("notify.received", "Đã nhận hồ sơ {code:>30}.", "không được kèm định dạng"),
        ("notify.received", "Đã nhận hồ sơ của Ông/Bà.", "Cần giữ chỗ điền {code}"),
        ("button.send", "Gửi phản ánh này cho Mặt trận", "tối đa 20 ký tự"),
    ],
)
def test_a_refused_edit_is_kept_and_explained(
    client: FlaskClient,
    db_session: Session,
    signed_in: Callable[..., StaffUser],
    key: str,
    typed: str,
    says: str,
) -> None:
    signed_in("supervisor")
    response = post(client, "/admin/templates/edit", {"key": key, "body": typed, "action": "save"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and says in page
    assert f">{typed}</textarea>" in html.unescape(page)  # nothing typed is lost
    assert messages.template_for(db_session, key) == messages.CATALOGUE[key]


def test_preview_saves_nothing_and_a_good_edit_is_audited(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    officer = signed_in("supervisor")
    text = "Hồ sơ {code} đã có kết quả:\n{result}\nCảm ơn Ông/Bà."
    preview = post(
        client, "/admin/templates/edit", {"key": "notify.result", "body": text, "action": "preview"}
    )
    assert preview.status_code == 200 and "Hồ sơ TK-2611-000123 đã có kết quả" in preview.get_data(
        as_text=True
    )
    assert messages.template_for(db_session, "notify.result") == messages.CATALOGUE["notify.result"]
    saved = post(
        client, "/admin/templates/edit", {"key": "notify.result", "body": text, "action": "save"}
    )
    assert saved.status_code == 302
    assert messages.template_for(db_session, "notify.result") == text
    post(client, "/admin/templates/edit", {"key": "notify.result", "reset": "1"})
    assert messages.template_for(db_session, "notify.result") == messages.CATALOGUE["notify.result"]
    db_session.expire_all()
    kinds = [
        (e.kind, e.actor_id)
        for e in db_session.scalars(
            select(AuditEntry).where(AuditEntry.kind.startswith("template."))
        )
    ]
    assert kinds == [("template.update", officer.id), ("template.reset", officer.id)]


def test_reminder_emails_are_edited_with_their_subject(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("admin")
    bad = post(
        client,
        "/admin/templates/edit",
        {"key": "reminder.remind", "subject": "Nhắc {ward}", "body": "{items}", "action": "save"},
    )
    assert bad.status_code == 400 and "Tiêu đề: chỗ điền {ward}" in bad.get_data(as_text=True)
    good = post(
        client,
        "/admin/templates/edit",
        {
            "key": "reminder.remind",
            "subject": "[MTTQ] {count} hồ sơ sắp đến hạn",
            "body": "Kính gửi {agency},\n{items}",
            "action": "save",
        },
    )
    assert good.status_code == 302
    rendered = texts.render(
        db_session, "reminder.remind", count=2, agency="UBND phường", items="- A"
    )
    assert rendered.subject == "[MTTQ] 2 hồ sơ sắp đến hạn"
    assert rendered.body.startswith("Kính gửi UBND phường,\n- A")
