"""The liaison's forms over HTTP: return, ask for more time, write to the Front, answer with
the agency's document and files; refusals are messages, forbidden actions 403, and one
agency never sees another's answer files."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import workflow as wf
from handlers.agencies.flows import MailContext, forward_petition
from storage.models import AgencyMessage, ExtensionRequest, Forward, Petition
from storage.models.enums import PetitionState as S
from tests.admin.conftest import login, post
from tests.agencies import helpers as a


def _forwarded(
    s: Session, mail: MailContext, t0: datetime, code: str = "ubnd_tam_ky"
) -> tuple[Petition, Forward]:
    officer = a.officer(s)
    p = a.triaged(s, officer, t0, text="Vỉa hè đường Phan Châu Trinh bị lấn chiếm bán hàng.")
    agency = a.agency(s, code, ("vanthu@coquan.test",))[0]
    fwd = forward_petition(
        s,
        p,
        actor=officer,
        agency=agency,
        channel="email",
        document_number="1/MTTQ",
        sent_on=a.day(t0),
        now=t0,
        mail=mail,
    )
    return p, fwd


def test_return_extension_and_thread_through_the_forms(
    client: FlaskClient, db_session: Session, mail: MailContext, t0: datetime
) -> None:
    s = db_session
    p, fwd = _forwarded(s, mail, t0)
    _, liaison = a.agency(s, "ubnd_tam_ky", ("vanthu@coquan.test",), "ll.form")
    assert liaison is not None
    s.commit()
    assert login(client, liaison.username).status_code == 302
    page = client.get(f"/admin/petitions/{p.id}").get_data(as_text=True)
    for label in (
        "Trả lại: không thuộc thẩm quyền",
        "Đề nghị gia hạn",
        "Gửi kết quả giải quyết",
        "Trao đổi giữa Ủy ban MTTQ và cơ quan",
    ):
        assert label in page
    assert "Chuyển cơ quan giải quyết" not in page and "Lịch sử xử lý" not in page

    r = post(
        client,
        f"/admin/petitions/{p.id}/request_extension",
        {"proposed_due_on": "31/02/2026", "reason": "x"},
        follow_redirects=True,
    )
    assert "Ngày không hợp lệ" in r.get_data(as_text=True)
    later = fwd.handler_due_on + timedelta(days=10)
    r = post(
        client,
        f"/admin/petitions/{p.id}/request_extension",
        {"proposed_due_on": later.isoformat(), "reason": "Chờ đo đạc hiện trạng."},
        follow_redirects=True,
    )
    assert "Đã gửi đề nghị gia hạn" in r.get_data(as_text=True)
    assert (
        s.scalar(select(ExtensionRequest.state).where(ExtensionRequest.petition_id == p.id))
        == "pending"
    )
    assert (
        post(
            client,
            f"/admin/petitions/{p.id}/decide_extension",
            {"request": "1", "decision": "approve"},
        ).status_code
        == 403
    )

    r = post(
        client,
        f"/admin/petitions/{p.id}/agency_message",
        {"body": "<b>Xin hỏi</b> ranh giới vỉa hè đến đâu?", "agency": "999"},
        follow_redirects=True,
    )
    text = r.get_data(as_text=True)
    assert "&lt;b&gt;Xin hỏi&lt;/b&gt;" in text and "<b>Xin hỏi</b>" not in text
    message = s.scalar(select(AgencyMessage).where(AgencyMessage.petition_id == p.id))
    assert message is not None and message.agency_id == fwd.agency_id and message.from_agency
    assert a.items(s, p, "agency_message")

    r = post(
        client, f"/admin/petitions/{p.id}/return_forward", {"reason": "  "}, follow_redirects=True
    )
    assert "Cần nhập lý do trả lại" in r.get_data(as_text=True)
    r = post(
        client,
        f"/admin/petitions/{p.id}/return_forward",
        {"reason": "Không thuộc thẩm quyền", "suggested_agency": "abc"},
        follow_redirects=True,
    )
    assert "Giá trị không hợp lệ" in r.get_data(as_text=True)
    sxd = a.agency(s, "so_xay_dung")[0]
    r = post(
        client,
        f"/admin/petitions/{p.id}/return_forward",
        {"reason": "Vỉa hè tuyến chính do Sở quản lý.", "suggested_agency": str(sxd.id)},
        follow_redirects=True,
    )
    assert "Đã trả lại hồ sơ" in r.get_data(as_text=True)
    s.expire_all()
    assert p.state == S.TRIAGED and fwd.suggested_agency_id == sxd.id
    assert (
        s.scalar(select(ExtensionRequest.state).where(ExtensionRequest.petition_id == p.id))
        == "withdrawn"
    )
    after = client.get(f"/admin/petitions/{p.id}")
    assert after.status_code == 200 and "Không có thao tác nào" in after.get_data(as_text=True)
    again = post(client, f"/admin/petitions/{p.id}/return_forward", {"reason": "lại"})
    assert again.status_code == 400  # refused (already returned), the page says why
    assert s.scalar(select(Forward.returned_at).where(Forward.id == fwd.id)) is not None


def test_an_answer_keeps_its_document_and_files_from_other_agencies(
    client: FlaskClient, db_session: Session, mail: MailContext
) -> None:
    s = db_session
    t0 = datetime.now(UTC)  # the request's clock is the real one: dates up to today
    p, first = _forwarded(s, mail, t0)
    _, old = a.agency(s, "ubnd_tam_ky", (), "ll.cu")
    sxd, new = a.agency(s, "so_xay_dung", (), "ll.moi")
    assert old is not None and new is not None
    wf.return_forward(s, p, actor=old, reason="Không thuộc phường", now=t0)
    officer = s.get(type(old), p.assignee_id)
    assert officer is not None
    forward_petition(
        s,
        p,
        actor=officer,
        agency=sxd,
        channel="email",
        document_number="2/MTTQ",
        sent_on=a.day(t0),
        now=t0,
        mail=mail,
    )
    s.commit()
    assert login(client, new.username).status_code == 302
    future = (a.day(t0) + timedelta(days=30)).isoformat()
    r = post(
        client,
        f"/admin/petitions/{p.id}/record_answer",
        {"text": "Đã xử lý.", "document_date": future},
        follow_redirects=True,
    )
    assert "không được sau hôm nay" in r.get_data(as_text=True)
    r = post(
        client,
        f"/admin/petitions/{p.id}/record_answer",
        {"text": "Đã xử lý.", "file": [(io.BytesIO(b"<html>"), "x.pdf")]},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Loại tệp không được chấp nhận" in r.get_data(as_text=True)
    assert p.state == S.FORWARDED
    r = post(
        client,
        f"/admin/petitions/{p.id}/record_answer",
        {
            "text": "Sở đã yêu cầu hộ kinh doanh tháo dỡ, trả lại vỉa hè.",
            "document_number": "88/SXD-QLĐT",
            "document_date": a.day(t0).isoformat(),
            "file": [
                (io.BytesIO(b"%PDF-1.4 cong van"), "CV-88.pdf"),
                (io.BytesIO(a_png()), "anh-hien-truong.png"),
            ],
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    page = r.get_data(as_text=True)
    assert "Đã ghi nhận trả lời của cơ quan" in page
    s.expire_all()
    second = s.scalar(
        select(Forward).where(Forward.petition_id == p.id, Forward.agency_id == sxd.id)
    )
    assert second is not None and second.answer_document_number == "88/SXD-QLĐT"
    assert second.answer_document_date == a.day(t0) and len(second.answer_files) == 2
    assert "CV-88.pdf" in page and "Văn bản số 88/SXD-QLĐT" in page
    for fid in second.answer_files:
        served = client.get(f"/admin/files/{fid}")
        assert served.status_code == 200 and served.data[:4] in (b"%PDF", b"\x89PNG")
        served.close()
    post(client, "/admin/logout")
    assert login(client, old.username).status_code == 302
    assert client.get(f"/admin/petitions/{p.id}").status_code == 200  # still readable
    for fid in second.answer_files:  # but not the other agency's answer
        assert client.get(f"/admin/files/{fid}").status_code == 404
    assert client.get(f"/admin/forwards/{second.id}/slip.docx").status_code == 404


def a_png() -> bytes:
    from tests.workflow.helpers import tiny_png

    return tiny_png()
