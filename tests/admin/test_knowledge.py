"""«Hỏi đáp»: staff edit answers per ward (audited); ID numbers starred until an audited reveal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import workflow as wf
from storage.models import (
    AuditEntry,
    KnowledgeAnswer,
    KnowledgeAnswerChange,
    PetitionEvent,
    StaffUser,
)
from tests.admin.conftest import post
from tests.workflow import helpers as h

CCCD = "049203001234"


def _area(session: Session, topic: str = "hours") -> KnowledgeAnswer:
    row = session.scalar(
        select(KnowledgeAnswer).where(
            KnowledgeAnswer.topic == topic, KnowledgeAnswer.ward_id.is_(None)
        )
    )
    assert row is not None
    return row


def test_list_and_try_a_question(client: FlaskClient, signed_in: Callable[..., StaffUser]) -> None:
    signed_in("supervisor")
    page = client.get("/admin/knowledge?q=mttq+mấy+giờ+làm+việc,+thứ+7+có+làm+không")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Trả lời ngay" in html and "7 giờ 30" in html
    assert "Địa chỉ" in client.get("/admin/knowledge").get_data(as_text=True)


def test_manager_edits_an_answer_and_the_change_is_audited(
    client: FlaskClient, signed_in: Callable[..., StaffUser], db_session: Session
) -> None:
    boss = signed_in("supervisor")
    row = _area(db_session)
    data = {"question": row.question, "phrasings": row.phrasings, "answer": "Giờ mới <b>8h</b>."}
    assert post(client, f"/admin/knowledge/{row.id}", data).status_code == 302
    db_session.expire_all()
    assert _area(db_session).answer == "Giờ mới <b>8h</b>."
    change = db_session.scalars(
        select(KnowledgeAnswerChange).where(KnowledgeAnswerChange.answer_id == row.id)
    ).all()[-1]
    assert change.staff_id == boss.id and change.action == "update"
    assert "7 giờ 30" in change.before["answer"] and change.after["answer"].endswith("8h</b>.")
    html = client.get(f"/admin/knowledge/{row.id}").get_data(as_text=True)
    assert "&lt;b&gt;8h&lt;/b&gt;" in html and "Lịch sử thay đổi" in html  # escaped
    assert post(client, f"/admin/knowledge/{row.id}/active", {"active": "0"}).status_code == 302
    db_session.expire_all()
    assert _area(db_session).active is False
    logged = db_session.scalars(
        select(AuditEntry).where(AuditEntry.kind.startswith("knowledge.")).order_by(AuditEntry.id)
    ).all()
    assert [(e.kind, e.actor_id) for e in logged] == [
        ("knowledge.update", boss.id),
        ("knowledge.hide", boss.id),
    ]


def test_ward_staff_edit_their_ward_only(
    client: FlaskClient, signed_in: Callable[..., StaffUser], db_session: Session
) -> None:
    signed_in("staff", wards=("ban_thach",))
    area = _area(db_session)
    own = db_session.scalar(
        select(KnowledgeAnswer).where(
            KnowledgeAnswer.topic == "front_office",
            KnowledgeAnswer.ward_id == h.ward(db_session, "ban_thach").id,
        )
    )
    other = db_session.scalar(
        select(KnowledgeAnswer).where(
            KnowledgeAnswer.topic == "front_office",
            KnowledgeAnswer.ward_id == h.ward(db_session, "tam_ky").id,
        )
    )
    assert own is not None and other is not None
    form = {"question": "Hỏi?", "phrasings": "", "answer": "Số 1 Hùng Vương."}
    assert post(client, f"/admin/knowledge/{area.id}", form).status_code == 403
    assert post(client, f"/admin/knowledge/{other.id}", form).status_code == 403
    assert post(client, f"/admin/knowledge/{own.id}", form).status_code == 302
    created = post(
        client,
        "/admin/knowledge/new",
        {**form, "topic": "hours", "ward": str(h.ward(db_session, "ban_thach").id)},
    )
    assert created.status_code == 302
    assert (
        post(client, "/admin/knowledge/new", {**form, "topic": "x_y", "ward": ""}).status_code
        == 403
    )


def test_bad_input_is_refused(
    client: FlaskClient, signed_in: Callable[..., StaffUser], db_session: Session
) -> None:
    signed_in("admin")
    bad_topic = post(
        client,
        "/admin/knowledge/new",
        {"topic": "Giờ làm", "ward": "", "question": "q", "answer": "a"},
    )
    assert bad_topic.status_code == 302  # back to the form with a message, nothing stored
    missing = select(KnowledgeAnswer).where(KnowledgeAnswer.topic == "Giờ làm")
    assert db_session.scalar(missing) is None
    assert (
        post(client, "/admin/knowledge/new", {"topic": "ok", "ward": "999999"}).status_code == 400
    )
    assert client.get("/admin/knowledge/999999").status_code == 404
    assert client.post("/admin/knowledge/new", data={"topic": "x"}).status_code == 400  # CSRF


def test_agency_liaison_has_no_such_screen(
    client: FlaskClient, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("agency", agency_code="ubnd_tam_ky")
    forbidden = client.get("/admin/knowledge")
    assert forbidden.status_code == 403  # forbidden by role, and the page says for whom
    assert "Trang này dành cho" in forbidden.get_data(as_text=True)


def test_id_numbers_are_starred_in_lists_and_revealed_with_an_audit(
    client: FlaskClient, signed_in: Callable[..., StaffUser], db_session: Session
) -> None:
    signed_in("staff")
    draft = h.draft(
        db_session, text=f"Tôi bị làm khó khi xin xác nhận, CCCD {CCCD}, đề nghị xem xét"
    )
    wf.submit(db_session, draft, now=datetime.now(UTC))
    db_session.commit()
    inbox = client.get("/admin/").get_data(as_text=True)
    assert CCCD not in inbox and "04********34" in inbox
    page = client.get(f"/admin/petitions/{draft.id}").get_data(as_text=True)
    assert CCCD not in page and "Hiện số CCCD" in page
    assert post(client, f"/admin/petitions/{draft.id}/reveal-ids").status_code == 302
    assert CCCD in client.get(f"/admin/petitions/{draft.id}").get_data(as_text=True)
    event = db_session.scalar(
        select(PetitionEvent).where(
            PetitionEvent.petition_id == draft.id, PetitionEvent.action == "reveal_ids"
        )
    )
    assert event is not None and event.actor_type == "staff"
