"""An agency asks for more time: the Front approves (the deadline moves, a new ladder, the
citizen is told the date) or refuses (with a reason; nothing changes for the citizen). The
agency hears the decision by email, over real SMTP."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from handlers import workflow as wf
from handlers.agencies import flows
from handlers.agencies.flows import MailContext, forward_petition
from storage.models import Agency, Forward, Petition, StaffUser
from tests.agencies import helpers as a
from tests.reminders.conftest import SmtpServer


def _forwarded(
    s: Session, mail: MailContext, when: datetime
) -> tuple[Petition, Forward, StaffUser, StaffUser, Agency]:
    ubnd, liaison = a.agency(s, "ubnd_quang_phu", ("vanthu@quangphu.test",), "lienlac.qp")
    officer = a.officer(s, "quang_phu")
    p = a.triaged(
        s,
        officer,
        when,
        ward="quang_phu",
        category="moi_truong",
        legal_type="kien_nghi",
        text="Đề nghị nạo vét kênh tiêu thoát nước khu dân cư Tam Phú trước mùa mưa.",
    )
    fwd = forward_petition(
        s,
        p,
        actor=officer,
        agency=ubnd,
        channel="email",
        document_number="12/MTTQ-BTT",
        sent_on=a.day(when),
        now=when,
        mail=mail,
    )
    assert liaison is not None
    return p, fwd, officer, liaison, ubnd


def test_an_approved_extension_moves_the_deadline_and_tells_the_citizen(
    db_session: Session,
    session_factory: sessionmaker[Session],
    smtp_server: SmtpServer,
    mail: MailContext,
    t0: datetime,
) -> None:
    s = db_session
    p, fwd, officer, liaison, _ = _forwarded(s, mail, t0)
    old_due = fwd.handler_due_on
    asked = old_due + timedelta(days=20)
    request = wf.request_extension(
        s,
        p,
        actor=liaison,
        reason="Cần khảo sát, lập dự toán nạo vét trình cấp có thẩm quyền.",
        proposed_due_on=asked,
        now=t0 + timedelta(days=2),
    )
    with pytest.raises(wf.InvalidState):  # one open request at a time
        wf.request_extension(s, p, actor=liaison, reason="Lần nữa", proposed_due_on=asked, now=t0)
    [item] = a.items(s, p, "extension_requested")
    assert item.staff_id == officer.id and f"{asked:%d/%m/%Y}" in item.title
    before = len(a.zalo_texts(s, p))
    flows.decide_extension(
        s,
        p,
        actor=officer,
        request=request,
        approve=True,
        note="Đồng ý, đề nghị hoàn thành trước mùa mưa.",
        now=t0 + timedelta(days=3),
        mail=mail,
    )
    s.commit()
    assert request.state == "approved" and request.granted_due_on == asked
    assert fwd.handler_due_on == asked and fwd.deadline_version == 2
    assert p.next_due_at is not None and wf.local_date(p.next_due_at) >= asked
    told = a.zalo_texts(s, p)[before:]
    assert len(told) == 1 and f"gia hạn đến ngày {asked:%d/%m/%Y}" in told[0]
    a.drain(session_factory, smtp_server.url)
    decisions = [m for m in smtp_server.inbox.messages if "đồng ý gia hạn" in str(m["Subject"])]
    assert {str(m["To"]) for m in decisions} == {"vanthu@quangphu.test", "lienlac.qp@lienlac.test"}
    assert f"Hạn mới: {asked:%d/%m/%Y}" in a.body(decisions[0])
    assert a.items(s, p, "extension_decided")[0].agency_id == fwd.agency_id


def test_a_refused_extension_keeps_the_deadline_and_needs_a_reason(
    db_session: Session,
    session_factory: sessionmaker[Session],
    smtp_server: SmtpServer,
    mail: MailContext,
    t0: datetime,
) -> None:
    s = db_session
    p, fwd, officer, liaison, _ = _forwarded(s, mail, t0)
    old_due = fwd.handler_due_on
    with pytest.raises(wf.InvalidInput):  # not a later date
        wf.request_extension(s, p, actor=liaison, reason="x", proposed_due_on=old_due, now=t0)
    request = wf.request_extension(
        s,
        p,
        actor=liaison,
        reason="Cán bộ phụ trách đi học.",
        proposed_due_on=old_due + timedelta(days=30),
        now=t0 + timedelta(days=1),
    )
    s.commit()
    before = len(a.zalo_texts(s, p))
    with pytest.raises(wf.InvalidInput):  # a refusal says why
        flows.decide_extension(
            s, p, actor=officer, request=request, approve=False, now=t0, mail=mail
        )
    s.rollback()
    flows.decide_extension(
        s,
        p,
        actor=officer,
        request=request,
        approve=False,
        note="Việc nạo vét cần làm ngay trước mùa mưa, không thể kéo dài.",
        now=t0 + timedelta(days=2),
        mail=mail,
    )
    s.commit()
    assert request.state == "refused" and fwd.handler_due_on == old_due
    assert fwd.deadline_version == 1
    assert len(a.zalo_texts(s, p)) == before  # nothing changed for the citizen
    with pytest.raises(wf.InvalidState):  # decided once
        flows.decide_extension(
            s, p, actor=officer, request=request, approve=True, now=t0, mail=mail
        )
    s.rollback()
    a.drain(session_factory, smtp_server.url)
    refused = [m for m in smtp_server.inbox.messages if "không đồng ý" in str(m["Subject"])]
    assert len(refused) == 2
    assert "không thể kéo dài" in a.body(refused[0])
    assert f"Hạn giải quyết vẫn là {old_due:%d/%m/%Y}" in a.body(refused[0])


def test_a_liaison_cannot_decide_and_an_answer_closes_the_request(
    db_session: Session, mail: MailContext, t0: datetime
) -> None:
    s = db_session
    p, fwd, officer, liaison, _ = _forwarded(s, mail, t0)
    request = wf.request_extension(
        s,
        p,
        actor=liaison,
        reason="Chờ kết quả khảo sát.",
        proposed_due_on=fwd.handler_due_on + timedelta(days=5),
        now=t0,
    )
    with pytest.raises(wf.NotAllowed):
        flows.decide_extension(
            s, p, actor=liaison, request=request, approve=True, now=t0, mail=mail
        )
    wf.record_agency_answer(s, p, actor=liaison, text="Đã nạo vét xong.", now=t0)
    s.flush()
    s.refresh(request)
    assert request.state == "withdrawn"  # the forward ended: no decision left to make
    assert wf.allowed_actions(s, wf.Actor.of_staff(officer), p) and p.state == "agency_answered"
