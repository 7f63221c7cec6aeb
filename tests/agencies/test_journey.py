"""An agency in the loop, over real SMTP: forward → the agency's addresses receive the slip;
the liaison returns it → the Front re-routes → the second agency answers → the citizen gets
the result. Every step the citizen needs to know reaches their Zalo outbox."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from handlers import workflow as wf
from handlers.agencies.flows import MailContext, forward_petition
from handlers.agencies.routing import propose
from handlers.workflow.calendar import WorkCalendar
from handlers.workflow.files import store_upload
from storage.models import AgencyDelivery, OutboxMessage, PetitionEvent
from storage.models.enums import PetitionState as S
from tests.agencies import helpers as a
from tests.reminders.conftest import SmtpServer


def test_forward_return_reroute_answer_result(
    db_session: Session,
    session_factory: sessionmaker[Session],
    smtp_server: SmtpServer,
    mail: MailContext,
    t0: datetime,
) -> None:
    s = db_session
    ubnd, ubnd_liaison = a.agency(
        s, "ubnd_tam_ky", ("vanthu.ubnd@tamky.test", "tiepdan.ubnd@tamky.test"), "lienlac.ubnd"
    )
    so, so_liaison = a.agency(s, "so_xay_dung", ("vanthu@soxaydung.test",), "lienlac.sxd")
    officer = a.officer(s)
    p = a.triaged(
        s,
        officer,
        t0,
        text="Mặt đường Hùng Vương đoạn qua cầu bị sụt lún, ổ gà sâu, xe máy ngã nhiều lần.",
    )
    assert ubnd_liaison is not None and so_liaison is not None

    # 1. The Front forwards to the ward's People's Committee: slip emailed to every address.
    first = forward_petition(
        s,
        p,
        actor=officer,
        agency=ubnd,
        channel="email",
        document_number="41/MTTQ-BTT",
        sent_on=a.day(t0),
        now=t0,
        mail=mail,
    )
    s.commit()
    assert a.drain(session_factory, smtp_server.url)["sent"] == 3
    inbox = smtp_server.inbox.messages
    expected_to = {"vanthu.ubnd@tamky.test", "tiepdan.ubnd@tamky.test", "lienlac.ubnd@lienlac.test"}
    assert {str(m["To"]) for m in inbox} == expected_to
    message = a.to(inbox, "vanthu.ubnd@tamky.test")[0]
    assert str(p.code) in str(message["Subject"]) and "hạn giải quyết" in str(message["Subject"])
    assert f"{mail.base_url}/admin/petitions/{p.id}" in a.body(message)
    [(name, slip)] = a.attachments(message).items()
    assert name == f"{p.code}-{first.id}.docx"
    slip_text = a.docx_text(slip)
    assert "ỦY BAN MẶT TRẬN TỔ QUỐC\nVIỆT NAM PHƯỜNG TAM KỲ" in slip_text
    assert "Kính gửi: UBND phường Tam Kỳ." in slip_text and "sụt lún" in slip_text
    deliveries = s.scalars(select(AgencyDelivery).where(AgencyDelivery.forward_id == first.id))
    assert {d.recipient_kind for d in deliveries} == {"contact", "liaison"}
    assert "đã được chuyển đến UBND phường Tam Kỳ" in a.zalo_texts(s, p)[-1]

    # 2. The liaison returns it: not within the ward's competence, the Sở is.
    returned_at = t0 + timedelta(hours=3)
    wf.return_forward(
        s,
        p,
        actor=ubnd_liaison,
        reason="Đường Hùng Vương là đường đô thị do Sở Xây dựng quản lý.",
        suggested_agency=so,
        now=returned_at,
    )
    s.commit()
    assert p.state == S.TRIAGED and not first.active and first.returned_at == returned_at
    cal = WorkCalendar.load(s)
    assert p.triage_due_on == cal.add_working_days(a.day(returned_at), 1)  # re-route target
    assert p.next_due_at is not None and wf.local_date(p.next_due_at) > p.triage_due_on
    [item] = a.items(s, p, "agency_returned")
    assert item.staff_id == officer.id and "trả lại" in item.title
    [best, *_] = propose(s, p)
    assert best.agency.id == so.id and "đề nghị chuyển đến" in best.reasons[0]

    # 3. The Front re-routes: a new handler clock; the citizen is told why and where.
    rerouted_at = t0 + timedelta(days=1)
    second = forward_petition(
        s,
        p,
        actor=officer,
        agency=so,
        channel="email",
        document_number="42/MTTQ-BTT",
        sent_on=a.day(rerouted_at),
        now=rerouted_at,
        mail=mail,
    )
    s.commit()
    assert second.id != first.id and second.active and second.deadline_version == 1
    # A new handler clock, counted from the new date.
    assert second.handler_due_on == wf.default_due(s, p, second.sent_on)[0]
    assert second.sent_on > first.sent_on
    told = a.zalo_texts(s, p)[-1]
    assert "UBND phường Tam Kỳ cho biết" in told and "Sở Xây dựng thành phố Đà Nẵng" in told
    assert f"{second.handler_due_on:%d/%m/%Y}" in told
    a.drain(session_factory, smtp_server.url)
    to_so = a.to(smtp_server.inbox.messages, "vanthu@soxaydung.test")
    assert len(to_so) == 1 and f"{p.code}-{second.id}.docx" in a.attachments(to_so[0])
    assert not a.to(smtp_server.inbox.messages[3:], "vanthu.ubnd@tamky.test")  # nothing more

    # 4. The second agency acknowledges and answers with its document and file.
    wf.acknowledge(s, p, actor=so_liaison, now=rerouted_at + timedelta(hours=2))
    answer_file = store_upload(
        s,
        data=b"%PDF-1.4 van ban tra loi",
        filename="CV-215-SXD.pdf",
        base_dir=mail.files_dir,
        max_bytes=10_000,
        petition=p,
        kind="answer",
    )
    answered_at = rerouted_at + timedelta(days=2)
    wf.record_agency_answer(
        s,
        p,
        actor=so_liaison,
        text="Sở đã giao đơn vị duy tu vá ổ gà, hoàn thành ngày 12.",
        files=[answer_file],
        document_number="215/SXD-HT",
        document_date=a.day(answered_at),
        now=answered_at,
    )
    s.commit()
    assert p.state == S.AGENCY_ANSWERED
    assert second.answer_document_number == "215/SXD-HT" and second.answer_files == [answer_file.id]
    assert a.items(s, p, "agency_answered")[0].staff_id == officer.id

    # 5. The Front reviews and sends the result: the citizen gets it.
    wf.send_result(
        s,
        p,
        actor=officer,
        result_text="Sở Xây dựng đã cho vá ổ gà đường Hùng Vương.",
        now=answered_at + timedelta(hours=1),
    )
    s.commit()
    assert p.state == S.RESULT_SENT
    assert any("đã có kết quả" in t and "vá ổ gà" in t for t in a.zalo_texts(s, p))
    actions = s.scalars(select(PetitionEvent.action).where(PetitionEvent.petition_id == p.id)).all()
    assert actions.count("agency_email") == 2 and "return_forward" in actions


def test_a_forward_to_an_agency_without_address_still_works_by_slip(
    db_session: Session,
    session_factory: sessionmaker[Session],
    smtp_server: SmtpServer,
    mail: MailContext,
    t0: datetime,
) -> None:
    s = db_session
    police, _ = a.agency(s, "ca_tam_ky")  # seeded: no address is ever guessed
    assert police.contact_addresses == [] and not police.confirmed
    officer = a.officer(s)
    p = a.triaged(s, officer, t0, text="Nhóm thanh niên tụ tập đua xe trên đường Bạch Đằng.")
    fwd = forward_petition(
        s,
        p,
        actor=officer,
        agency=police,
        channel="van_ban",
        document_number=None,
        sent_on=a.day(t0),
        now=t0,
        mail=mail,
    )
    s.commit()
    assert p.state == S.FORWARDED and fwd.slip_path
    assert (mail.files_dir / fwd.slip_path).is_file()
    assert a.drain(session_factory, smtp_server.url)["sent"] == 0
    assert smtp_server.inbox.messages == []
    [item] = a.items(s, p, "agency_no_email")
    assert "gửi văn bản giấy" in item.title and item.staff_id == officer.id
    note = s.scalar(
        select(PetitionEvent.note).where(
            PetitionEvent.petition_id == p.id, PetitionEvent.action == "agency_email"
        )
    )
    assert note is not None and "chưa có địa chỉ thư điện tử" in note


def test_a_refused_address_is_an_item_for_the_front_officer(
    db_session: Session,
    session_factory: sessionmaker[Session],
    smtp_server: SmtpServer,
    mail: MailContext,
    t0: datetime,
) -> None:
    s = db_session
    smtp_server.inbox.refuse.add("khongcon@tamky.test")
    ubnd, _ = a.agency(s, "ubnd_tam_ky", ("khongcon@tamky.test", "vanthu.ubnd@tamky.test"))
    officer = a.officer(s)
    p = a.triaged(s, officer, t0, text="Cống thoát nước tổ 5 bị tắc, nước tràn vào nhà dân.")
    fwd = forward_petition(
        s,
        p,
        actor=officer,
        agency=ubnd,
        channel="email",
        document_number="7/MTTQ-BTT",
        sent_on=a.day(t0),
        now=t0,
        mail=mail,
    )
    s.commit()
    counts = a.drain(session_factory, smtp_server.url)
    assert counts["sent"] == 1 and counts["dead"] == 1  # refused once: no 48 hours of retries
    s.expire_all()
    bad = s.scalar(select(AgencyDelivery).where(AgencyDelivery.recipient == "khongcon@tamky.test"))
    assert bad is not None and bad.failed_at is not None and bad.forward_id == fwd.id
    row = s.get(OutboxMessage, bad.outbox_id)
    assert row is not None and row.state == "dead" and row.attempts == 1
    [item] = a.items(s, p, "agency_email_failed")
    assert "khongcon@tamky.test" in item.title and item.staff_id == officer.id
    assert s.scalar(
        select(PetitionEvent.id).where(
            PetitionEvent.petition_id == p.id, PetitionEvent.action == "agency_email_failed"
        )
    )
    a.drain(session_factory, smtp_server.url)  # nothing left, nothing reported twice
    assert len(a.items(s, p, "agency_email_failed")) == 1


def test_forwarding_twice_in_one_request_queues_each_email_once(
    db_session: Session, mail: MailContext, t0: datetime, tmp_path: Path
) -> None:
    """notify_agency is idempotent per email: a retried call queues and logs nothing new."""
    from handlers.agencies.mail import notify_agency

    s = db_session
    ubnd, _ = a.agency(s, "ubnd_tam_ky", ("vanthu.ubnd@tamky.test",), "lienlac.ubnd2")
    officer = a.officer(s)
    p = a.triaged(s, officer, t0, text="Đèn đường tổ 3 không sáng đã một tuần.")
    fwd = wf.forward(
        s,
        p,
        actor=officer,
        agency=ubnd,
        channel="email",
        document_number="9/MTTQ-BTT",
        sent_on=a.day(t0),
        now=t0,
    )
    letter = tmp_path / "don-doc.docx"
    letter.write_bytes(b"PK\x03\x04")
    link = mail.petition_link(p)
    first = notify_agency(s, fwd, "Văn bản đôn đốc lần 1", "Kính gửi…", [letter], t0, link=link)
    again = notify_agency(s, fwd, "Văn bản đôn đốc lần 1", "Kính gửi…", [letter], t0)
    other = notify_agency(s, fwd, "Văn bản đôn đốc lần 2", "Kính gửi…", [letter], t0)
    assert len(first) == 2 and again == [] and len(other) == 2
    rows = s.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.petition_id == p.id, OutboxMessage.channel == "email")
        .order_by(OutboxMessage.id)
    ).all()
    assert len(rows) == 4
    assert all(r.payload["attachments"] == [str(letter)] for r in rows)
    assert link in rows[0].payload["body"] and link not in rows[-1].payload["body"]
