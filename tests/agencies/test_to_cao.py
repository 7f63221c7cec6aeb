"""A tố cáo's author appears in no email, slip, thread or liaison page — even where the
citizen wrote their name into the text, typed it without diacritics later, or a Front officer
let it slip into the summary or the thread. The Front's own page still shows it."""

from __future__ import annotations

import html
from datetime import datetime, timedelta

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from handlers import workflow as wf
from handlers.agencies import flows, redaction
from handlers.agencies.flows import MailContext, forward_petition
from handlers.agencies.thread import post_message, read_thread
from nlp.normalize import fold
from storage.models import PetitionMessage, StaffNotification
from tests.admin.conftest import login, post
from tests.agencies import helpers as a
from tests.reminders.conftest import SmtpServer

NAME = "Lê Văn Tám"
PHONE_DIGITS = "0905999888"


def _leaks(text: str) -> list[str]:
    """Every trace of the author found in a text (folded, digits without separators)."""
    folded = fold(html.unescape(text))
    digits = "".join(ch for ch in text if ch.isdigit())
    found = [w for w in ("le van tam", "tam le van") if w in folded]
    return found + ([PHONE_DIGITS] if PHONE_DIGITS in digits else [])


def test_the_author_of_a_to_cao_reaches_no_agency(
    db_session: Session,
    session_factory: sessionmaker[Session],
    smtp_server: SmtpServer,
    mail: MailContext,
    t0: datetime,
    client: FlaskClient,
) -> None:
    s = db_session
    inspectorate, liaison = a.agency(s, "thanh_tra_tp", ("vanthu@thanhtra.test",), "lienlac.tt")
    assert liaison is not None
    officer = a.officer(s)
    p = a.triaged(
        s,
        officer,
        t0,
        category="tham_nhung_tieu_cuc",
        legal_type="to_cao",
        reporter=NAME,
        phone="0905 999 888",
        text=(
            f"Tôi là {NAME}, số điện thoại 0905 999 888, tố cáo cán bộ địa chính phường "
            "thu tiền ngoài quy định khi làm thủ tục tách thửa."
        ),
    )
    assert p.citizen is not None
    p.citizen.display_name = "Tám Lê Văn"
    p.summary = f"Tố cáo cán bộ địa chính thu tiền (người tố cáo: {NAME})"  # an officer's slip
    s.add(
        PetitionMessage(
            petition_id=p.id,
            citizen_id=p.citizen_id,
            direction="in",
            text="bo sung: toi LE VAN TAM co bien lai thu tien, sdt 0905999888",
            created_at=t0 + timedelta(minutes=30),
        )
    )
    proposed = redaction.proposal(p)
    redaction.confirm(s, p, actor=officer, summary=proposed.summary, text=proposed.text, now=t0)
    fwd = forward_petition(
        s,
        p,
        actor=officer,
        agency=inspectorate,
        channel="email",
        document_number="3/MTTQ-BTT",
        sent_on=a.day(t0),
        now=t0,
        mail=mail,
    )
    post_message(
        s,
        p,
        actor=officer,
        agency_id=inspectorate.id,
        body=f"Đề nghị liên hệ anh {NAME} (Tám Lê Văn) nếu cần xác minh thêm.",
        now=t0 + timedelta(hours=1),
        mail=mail,
    )
    request = wf.request_extension(
        s,
        p,
        actor=liaison,
        reason="Cần xác minh hồ sơ tách thửa.",
        proposed_due_on=fwd.handler_due_on + timedelta(days=30),
        now=t0 + timedelta(hours=2),
    )
    flows.decide_extension(
        s,
        p,
        actor=officer,
        request=request,
        approve=False,
        note=f"Không gia hạn: ông {NAME} đã chờ lâu.",
        now=t0 + timedelta(hours=3),
        mail=mail,
    )
    s.commit()

    # Every email, with its attachments, over real SMTP.
    assert a.drain(session_factory, smtp_server.url)["sent"] == 5  # slip ×2, thread, refusal ×2
    for message in smtp_server.inbox.messages:
        assert _leaks(a.everything(message)) == [], message["Subject"]
    slip = a.docx_text((mail.files_dir / str(fwd.slip_path)).read_bytes())
    assert _leaks(slip) == [] and "Người tố cáo (thông tin được giữ bí mật" in slip
    assert "[người tố cáo] có biên lai" not in slip and "[người tố cáo] co bien lai" in slip

    # The thread as the liaison reads it; the items in the liaison's inbox.
    lines = read_thread(s, p, inspectorate.id, for_liaison=True)
    assert lines and all(_leaks(line.body) == [] for line in lines)
    assert "[người tố cáo]" in lines[0].body
    agency_items = s.scalars(
        select(StaffNotification).where(StaffNotification.agency_id == inspectorate.id)
    ).all()
    assert agency_items and all(_leaks(i.title + i.body) == [] for i in agency_items)

    # The liaison's pages over HTTP: the list and the petition.
    assert login(client, liaison.username).status_code == 302
    inbox = client.get("/admin/")
    page = client.get(f"/admin/petitions/{p.id}")
    assert inbox.status_code == page.status_code == 200
    assert str(p.code) in inbox.get_data(as_text=True)
    shown = page.get_data(as_text=True)
    assert _leaks(inbox.get_data(as_text=True)) == [] and _leaks(shown) == []
    assert "tố cáo cán bộ địa chính" in shown and "[người tố cáo]" in shown
    assert "Không gia hạn: ông [người tố cáo] đã chờ lâu." in html.unescape(shown)
    download = client.get(f"/admin/forwards/{fwd.id}/slip.docx")
    assert download.status_code == 200 and _leaks(a.docx_text(download.data)) == []
    download.close()

    # The Front's own page is not filtered: the officer needs the name.
    assert post(client, "/admin/logout").status_code == 302
    assert login(client, officer.username).status_code == 302
    assert NAME in html.unescape(client.get(f"/admin/petitions/{p.id}").get_data(as_text=True))
