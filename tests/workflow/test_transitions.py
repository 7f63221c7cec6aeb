"""Every transition: source states, the audit event, the citizen's notification.

T0 is a Monday of an ordinary stretch (tests/dates.py), so the expected deadlines are plain
day counts from it: day(1) is the Tuesday, day(7) the next Monday.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import workflow as wf
from storage.models import (
    ClassificationLabel,
    Holiday,
    OutboxMessage,
    Petition,
    PetitionEvent,
    StaffUser,
)
from storage.models.enums import PetitionState as S
from tests.workflow import helpers as h

T0 = h.ORDINARY_MONDAY


def day(n: int) -> date:
    """The local date n calendar days after T0's Monday."""
    return h.MONDAY + timedelta(days=n)


def events(s: Session, p: Petition) -> list[tuple[str, str | None, str | None]]:
    rows = s.scalars(
        select(PetitionEvent).where(PetitionEvent.petition_id == p.id).order_by(PetitionEvent.id)
    )
    return [(e.action, e.from_state, e.to_state) for e in rows]


def outbox(s: Session, p: Petition) -> list[str]:
    rows = s.scalars(
        select(OutboxMessage).where(OutboxMessage.petition_id == p.id).order_by(OutboxMessage.id)
    )
    return [str(r.payload.get("text", "")) for r in rows]


@pytest.fixture
def officer(db_session: Session) -> StaffUser:
    return h.staff(db_session)


def received(s: Session, **kw: object) -> Petition:
    p = h.draft(s, **kw)  # type: ignore[arg-type]
    return wf.submit(s, p, now=T0)


def test_submit_issues_a_code_starts_clocks_and_tells_the_citizen(db_session: Session) -> None:
    p = received(db_session)
    assert p.state == S.RECEIVED and p.received_at == T0
    assert p.code is not None and p.code.startswith(f"TK-{h.MONDAY:%y%m}-") and len(p.code) == 14
    assert (p.triage_due_on, p.triage_hard_due_on) == (day(1), day(3))
    assert p.decision_due_on == day(10)  # ten calendar days: a Thursday
    assert p.next_due_at == wf.end_of_day(day(1))
    assert p.code.lower() in p.search_text
    assert events(db_session, p) == [("submit", S.DRAFT, S.RECEIVED)]
    [text] = outbox(db_session, p)
    assert p.code in text and f"TRA {p.code}" in text
    with pytest.raises(wf.InvalidState):
        wf.submit(db_session, p, now=T0)


def test_codes_count_up_per_month(db_session: Session) -> None:
    a, b = received(db_session), received(db_session)
    assert int(b.code[-6:]) == int(a.code[-6:]) + 1  # type: ignore[index]
    later = T0 + timedelta(days=40)
    c = wf.submit(db_session, h.draft(db_session), now=later)
    assert c.code is not None and c.code.startswith(f"TK-{wf.local_date(later):%y%m}-")


def test_submit_before_tet(db_session: Session) -> None:
    p = wf.submit(db_session, h.draft(db_session), now=h.BEFORE_TET)
    assert p.triage_due_on == date(2026, 2, 23)
    assert p.triage_hard_due_on == date(2026, 2, 25)
    assert p.decision_due_on == date(2026, 2, 23)  # calendar days, Tết included


def test_entry_on_behalf_queues_nothing(db_session: Session, officer: StaffUser) -> None:
    p = h.draft(db_session, channel="letter")
    p.citizen = None
    wf.submit(db_session, p, now=T0, actor=officer)
    assert p.state == S.RECEIVED and outbox(db_session, p) == []
    assert db_session.scalars(select(PetitionEvent.actor_id)).all()[-1] == officer.id


def test_pause_and_resume_push_the_clocks_back(db_session: Session, officer: StaffUser) -> None:
    p = received(db_session)
    wf.request_info(db_session, p, actor=officer, what="địa chỉ cụ thể", now=T0)
    assert p.state == S.NEED_INFO and p.next_due_at is None and p.paused_at == T0
    assert "địa chỉ cụ thể" in outbox(db_session, p)[-1]
    later = T0 + timedelta(days=7)  # Monday → next Monday: 5 working days, 7 calendar days
    wf.add_citizen_info(db_session, p, now=later)
    assert p.state == S.RECEIVED and p.paused_at is None and p.paused_days == 7
    assert p.triage_due_on == day(8)
    assert p.triage_hard_due_on == day(10)
    assert p.decision_due_on == day(17)
    assert [e[0] for e in events(db_session, p)] == ["submit", "request_info", "add_info"]


def test_info_request_ending_in_punctuation_is_one_sentence(
    db_session: Session, officer: StaffUser
) -> None:
    p = received(db_session)
    what = "Nước ngập sâu khoảng bao nhiêu?"
    wf.request_info(db_session, p, actor=officer, what=what, now=T0)
    sent = outbox(db_session, p)[-1]
    assert "khoảng bao nhiêu." in sent and "?." not in sent
    assert events(db_session, p)[-1][0] == "request_info"


def test_pause_over_tet(db_session: Session, officer: StaffUser) -> None:
    p = wf.submit(db_session, h.draft(db_session), now=h.BEFORE_TET)
    wf.request_info(db_session, p, actor=officer, what="ảnh", now=h.BEFORE_TET)
    wf.add_citizen_info(db_session, p, now=h.BEFORE_TET + timedelta(days=10))  # Monday 23/2
    assert p.triage_due_on == date(2026, 2, 24)  # only one working day went by while paused
    assert p.decision_due_on == date(2026, 3, 5)


def _forwarded(s: Session, officer: StaffUser, **kw: object) -> Petition:
    p = received(s, **kw)
    wf.triage(
        s,
        p,
        actor=officer,
        category_id=p.category_id,
        ward_id=p.ward_id,
        legal_type=p.legal_type or "phan_anh",
        urgent=p.urgent,
        now=T0,
    )
    h.reviewed(s, p, officer, T0)
    wf.forward(
        s,
        p,
        actor=officer,
        agency=h.agency(s),
        channel="van_ban",
        document_number="1/MTTQ",
        sent_on=h.MONDAY,
        now=T0,
    )
    return p


def test_pause_while_forwarded_moves_the_handler_deadline(
    db_session: Session, officer: StaffUser
) -> None:
    p = _forwarded(db_session, officer)
    fwd = wf.active_forward(db_session, p)
    assert fwd is not None and fwd.handler_due_on == day(3)
    wf.request_info(db_session, p, actor=officer, what="số nhà", now=T0)
    wf.add_citizen_info(db_session, p, now=T0 + timedelta(days=2))
    assert p.state == S.FORWARDED
    assert fwd.handler_due_on == day(7)  # +2 days lands on Saturday → Monday
    assert p.next_due_at == wf.end_of_day(day(7))


@pytest.mark.parametrize(
    ("legal_type", "urgent", "category", "complex_case", "due"),
    [
        ("phan_anh", True, "moi_truong", False, 1),
        ("phan_anh", False, "moi_truong", False, 3),
        ("phan_anh", False, "giao_thong", False, 7),
        ("kien_nghi", False, "moi_truong", False, 30),
        # 40 and 55 calendar days end on a Saturday and a Sunday: the next Monday.
        ("khieu_nai", False, "dat_dai", False, 42),
        ("khieu_nai", False, "dat_dai", True, 56),
        ("to_cao", False, "tham_nhung_tieu_cuc", False, 30),
    ],
)
def test_default_handler_deadlines(
    db_session: Session,
    officer: StaffUser,
    legal_type: str,
    urgent: bool,
    category: str,
    complex_case: bool,
    due: int,
) -> None:
    p = received(db_session, legal_type=legal_type, urgent=urgent, category_code=category)
    assert wf.default_due(db_session, p, h.MONDAY, complex_case=complex_case)[0] == day(due)


def test_handler_deadline_can_be_overridden(db_session: Session, officer: StaffUser) -> None:
    p = received(db_session)
    wf.triage(
        db_session,
        p,
        actor=officer,
        category_id=p.category_id,
        ward_id=p.ward_id,
        legal_type="phan_anh",
        urgent=False,
        now=T0,
    )
    fwd = wf.forward(
        db_session,
        p,
        actor=officer,
        agency=h.agency(db_session),
        channel="email",
        document_number="",
        sent_on=h.MONDAY,
        handler_due_on=day(18),
        now=T0,
    )
    assert fwd.handler_due_on == day(18) and fwd.document_number is None
    with pytest.raises(wf.InvalidInput):
        wf.forward(
            db_session,
            p,
            actor=officer,
            agency=h.agency(db_session),
            channel="fax",
            document_number="",
            sent_on=h.MONDAY,
            now=T0,
        )


def test_a_slip_is_not_dated_before_the_petition_came_in(
    db_session: Session, officer: StaffUser
) -> None:
    """Walk: a slip dated 01/10 for a petition received 06/12 was taken, with a deadline that
    had run out two months before the petition came in (and October's report changed)."""
    p = received(db_session)
    wf.triage(
        db_session, p, actor=officer, category_id=p.category_id, ward_id=p.ward_id,
        legal_type="phan_anh", urgent=False, now=T0,
    )  # fmt: skip
    with pytest.raises(wf.InvalidInput, match="trước ngày tiếp nhận"):
        wf.forward(
            db_session, p, actor=officer, agency=h.agency(db_session), channel="van_ban",
            document_number="30/MTTQ", sent_on=h.MONDAY - timedelta(days=66), now=T0,
        )  # fmt: skip
    assert p.state == S.TRIAGED and events(db_session, p)[-1][0] == "triage"
    fwd = wf.forward(
        db_session, p, actor=officer, agency=h.agency(db_session), channel="van_ban",
        document_number="30/MTTQ", sent_on=h.MONDAY, now=T0,
    )  # fmt: skip
    assert fwd.sent_on == h.MONDAY and p.state == S.FORWARDED


def test_reforward_starts_a_new_clock(db_session: Session, officer: StaffUser) -> None:
    p = _forwarded(db_session, officer)
    first = wf.active_forward(db_session, p)
    police = h.agency(db_session, "ca_tam_ky")
    second = wf.forward(
        db_session,
        p,
        actor=officer,
        agency=police,
        channel="van_ban",
        document_number="2/MTTQ",
        sent_on=day(2),
        now=T0 + timedelta(days=2),
    )
    assert first is not None and not first.active and second.active
    assert second.handler_due_on == day(7) and second.deadline_version == 1
    assert p.next_due_at == wf.end_of_day(day(7))
    assert "Chuyển lại" in events_notes(db_session, p)[-1]
    liaison = h.staff(db_session, "agency", agency_code="ubnd_tam_ky")
    with pytest.raises(wf.NotAllowed):
        wf.record_agency_answer(db_session, p, actor=liaison, text="x", now=T0)


def events_notes(s: Session, p: Petition) -> list[str]:
    return list(
        s.scalars(
            select(PetitionEvent.note)
            .where(PetitionEvent.petition_id == p.id)
            .order_by(PetitionEvent.id)
        )
    )


def test_extension_gets_a_new_deadline_version(db_session: Session, officer: StaffUser) -> None:
    p = _forwarded(db_session, officer, legal_type="to_cao", category_code="tham_nhung_tieu_cuc")
    fwd = wf.active_forward(db_session, p)
    assert fwd is not None and fwd.handler_due_on == day(30)
    db_session.add(Holiday(day=day(32), name="Ngày nghỉ của bài kiểm thử", source="test"))
    wf.extend_deadline(
        db_session,
        p,
        actor=officer,
        new_due_on=day(32),
        note="Công văn gia hạn số 5",
        now=T0,
    )
    # The Friday asked for is a day off: the extension runs to the Monday after it.
    assert fwd.deadline_version == 2 and fwd.handler_due_on == day(35)
    assert p.next_due_at == wf.end_of_day(day(35))
    with pytest.raises(wf.InvalidInput):
        wf.extend_deadline(db_session, p, actor=officer, new_due_on=day(29), note="x", now=T0)


def test_answer_review_result_and_satisfaction(db_session: Session, officer: StaffUser) -> None:
    p = _forwarded(db_session, officer)
    liaison = h.staff(db_session, "agency", agency_code="ubnd_tam_ky")
    wf.acknowledge(db_session, p, actor=liaison, now=T0)
    assert p.state == S.AGENCY_ACKNOWLEDGED
    fwd = wf.record_agency_answer(
        db_session, p, actor=liaison, text="Đã dọn.", now=T0 + timedelta(days=4)
    )
    assert p.state == S.AGENCY_ANSWERED and not fwd.active and fwd.answer_text == "Đã dọn."
    assert p.result_relay_due_on == day(8)  # Friday + 2 working days
    assert wf.is_overdue(p, T0 + timedelta(days=8)) is False
    assert wf.is_overdue(p, T0 + timedelta(days=9)) is True
    sent_at = T0 + timedelta(days=5)
    wf.send_result(db_session, p, actor=officer, result_text="Đã dọn sạch.", now=sent_at)
    assert p.state == S.RESULT_SENT and "Đã dọn sạch." in outbox(db_session, p)[-2]
    assert not wf.is_overdue(p, sent_at + timedelta(days=30))
    wf.record_feedback(db_session, p, satisfied=True, rating=5, now=sent_at + timedelta(days=1))
    assert (p.state, p.close_reason, p.rating, p.satisfied) == (S.CLOSED, "resolved", 5, True)
    wf.record_feedback(db_session, p, satisfied=None, rating=4, now=sent_at + timedelta(days=1))
    assert p.rating == 4


def test_not_satisfied_reopens_within_30_days_only(db_session: Session, officer: StaffUser) -> None:
    p = received(db_session)
    wf.answer_directly(db_session, p, actor=officer, answer="Hướng dẫn thủ tục.", now=T0)
    assert p.state == S.ANSWERED_BY_FRONT
    wf.record_feedback(db_session, p, satisfied=False, rating=2, now=T0 + timedelta(days=3))
    assert p.state == S.REOPENED and p.triage_due_on == day(4)
    q = received(db_session)
    wf.answer_directly(db_session, q, actor=officer, answer="Trả lời.", now=T0)
    wf.record_feedback(db_session, q, satisfied=False, rating=None, now=T0 + timedelta(days=31))
    assert q.state == S.ANSWERED_BY_FRONT and q.satisfied is False
    with pytest.raises(wf.InvalidInput):
        wf.record_feedback(db_session, q, satisfied=True, rating=9, now=T0)


def test_merge_sends_the_master_outcome_to_every_reporter(
    db_session: Session, officer: StaffUser
) -> None:
    master, dup = received(db_session), received(db_session)
    wf.merge(db_session, dup, actor=officer, master=master, now=T0)
    assert (dup.state, dup.close_reason, dup.duplicate_of_id) == (S.CLOSED, "duplicate", master.id)
    assert master.code in outbox(db_session, dup)[-1]
    wf.answer_directly(db_session, master, actor=officer, answer="Sẽ sửa trong tuần.", now=T0)
    dup_texts = outbox(db_session, dup)
    assert any(dup.code in t and "Sẽ sửa trong tuần." in t for t in dup_texts)  # type: ignore[operator]
    with pytest.raises(wf.InvalidState):
        wf.merge(db_session, master, actor=officer, master=master, now=T0)


def test_close_needs_a_reason_and_reopen_needs_a_note(
    db_session: Session, officer: StaffUser
) -> None:
    p = received(db_session)
    for reason in ("", "because", "duplicate"):
        with pytest.raises(wf.InvalidInput):
            wf.close(db_session, p, actor=officer, reason=reason, now=T0)
    wf.close(db_session, p, actor=officer, reason="not_in_scope", now=T0)
    assert p.state == S.CLOSED and p.next_due_at is None
    assert "không thuộc phạm vi" in outbox(db_session, p)[-1]
    with pytest.raises(wf.InvalidInput):
        wf.reopen(db_session, p, actor=officer, note=" ", now=T0)
    wf.reopen(db_session, p, actor=officer, note="Có tình tiết mới", now=T0 + timedelta(days=1))
    assert p.state == S.REOPENED and p.close_reason is None and p.next_due_at is not None


def test_withdraw_stops_the_handler_clock(db_session: Session, officer: StaffUser) -> None:
    p = _forwarded(db_session, officer)
    fwd = wf.active_forward(db_session, p)
    wf.withdraw(db_session, p, now=T0, reason_note="đã tự giải quyết")
    assert p.state == S.CLOSED and p.close_reason == "withdrawn"
    assert fwd is not None and not fwd.active
    assert events(db_session, p)[-1] == ("withdraw", S.FORWARDED, S.CLOSED)


def test_corrections_become_training_labels(db_session: Session, officer: StaffUser) -> None:
    p = received(db_session)
    other = h.category(db_session, "xay_dung_do_thi")
    wf.triage(
        db_session,
        p,
        actor=officer,
        category_id=other.id,
        ward_id=p.ward_id,
        legal_type="kien_nghi",
        urgent=True,
        now=T0,
    )
    labels = {
        label.field: (label.predicted, label.value)
        for label in db_session.scalars(
            select(ClassificationLabel).where(ClassificationLabel.petition_id == p.id)
        )
    }
    assert labels["category"] == ("moi_truong", "xay_dung_do_thi")
    assert labels["legal_type"] == ("phan_anh", "kien_nghi")
    assert labels["urgent"] == ("0", "1")
    assert labels["ward"] == ("tam_ky", "tam_ky")
    wf.classify(
        db_session,
        p,
        actor=officer,
        field="category",
        value=str(h.category(db_session, "moi_truong").id),
        now=T0,
    )
    label = db_session.scalar(
        select(ClassificationLabel).where(
            ClassificationLabel.petition_id == p.id, ClassificationLabel.field == "category"
        )
    )
    assert label is not None and label.value == "moi_truong"
    with pytest.raises(wf.InvalidInput):
        wf.classify(db_session, p, actor=officer, field="colour", value="x", now=T0)


def test_redaction_keeps_the_search_key_in_step(db_session: Session, officer: StaffUser) -> None:
    p = received(db_session, text="Ông Nguyễn Văn A, số 0905123456, báo cống nghẹt.")
    assert "0905123456" in p.search_text
    wf.redact(db_session, p, actor=officer, text="Ông [tên], số [SĐT], báo cống nghẹt.", now=T0)
    assert "0905123456" not in p.search_text and "cong nghet" in p.search_text
    assert events(db_session, p)[-1][0] == "redact"


def test_overdue_flag_and_query_agree(db_session: Session, officer: StaffUser) -> None:
    p = received(db_session)
    just_before = wf.end_of_day(day(1)) - timedelta(seconds=1)
    assert not wf.is_overdue(p, just_before)
    assert wf.is_overdue(p, just_before + timedelta(seconds=1))
    late = T0 + timedelta(days=3)
    found = db_session.scalars(select(Petition.id).where(wf.overdue_clause(late))).all()
    assert p.id in found
    wf.request_info(db_session, p, actor=officer, what="x", now=T0)
    assert not wf.is_overdue(p, late)  # paused clocks are never overdue
