"""A tố cáo whose author wrote their name and home into the text, with no name on the petition
itself: forwarding waits until staff confirm what the agency will read, and then nothing an
agency receives — the liaison's pages and lists, the slip, the emails over real SMTP, the
thread, file names — names or locates the author, in any spelling."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from handlers.agencies import redaction
from handlers.agencies.thread import read_thread
from handlers.workflow.files import store_upload
from storage.models import AgencyRedaction, AuditEntry, Forward, Petition, StaffNotification
from tests.admin.conftest import login, post
from tests.agencies import helpers as a
from tests.agencies.denunciation import ID_NUMBER, denunciation, leaks
from tests.reminders.conftest import SmtpServer
from tests.workflow import helpers as h


def _files(s: Session, p: Petition, base: Path) -> None:
    """A photo named after the author, and the staff's redacted copy (named carelessly)."""
    original = store_upload(
        s,
        data=h.tiny_png(),
        filename=f"Pham Van To Giac CCCD {ID_NUMBER}.png",
        base_dir=base,
        max_bytes=100_000,
        petition=p,
        kind="image",
    )
    store_upload(
        s,
        data=h.tiny_png(32, 24),
        filename="pham_van_to_giac_12_hung_vuong_da_che.png",
        base_dir=base,
        max_bytes=100_000,
        petition=p,
        kind="redacted",
        redacted_from=original,
        images_only=True,
    )


def test_forwarding_a_to_cao_waits_for_the_reviewed_text(
    db_session: Session, client: FlaskClient, t0: datetime, settings: Settings
) -> None:
    s = db_session
    p, officer, _, police = denunciation(s, t0)
    s.commit()
    assert login(client, officer.username).status_code == 302
    form = {"agency": str(police.id), "channel": "email", "document_number": "7/MTTQ-BTT"}
    form["sent_on"] = a.day(t0).isoformat()
    refused = post(client, f"/admin/petitions/{p.id}/forward", form)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "cần xem và xác nhận bản nội dung đã che thông tin người tố cáo" in page
    assert s.scalar(select(Forward.id).where(Forward.petition_id == p.id)) is None

    # The page proposes the text with the author highlighted, and takes the staff's edit.
    assert '<mark title="Thay bằng [người tố cáo]">Phạm Văn Tố Giác</mark>' in page
    assert '<mark title="Thay bằng [địa chỉ người tố cáo]">12 Hùng' in page
    shown = redaction.proposal(p)
    assert leaks(shown.text) == [] and "ông Nguyễn Văn B" in shown.text
    edited = shown.text.replace("cán bộ địa chính phường", "cán bộ phường")
    done = post(
        client,
        f"/admin/petitions/{p.id}/confirm_redaction",
        {"summary": "Tố cáo cán bộ phường nhận hối lộ", "text": edited},
        follow_redirects=True,
    )
    assert "Đã xác nhận bản gửi cơ quan" in done.get_data(as_text=True)
    s.expire_all()
    review = s.get(AgencyRedaction, p.id)
    assert review is not None and review.text == edited and review.confirmed_by_id == officer.id
    # What the proposal took out is hidden everywhere else too; no single common word is.
    assert "Phạm Văn Tố Giác" in review.hidden and "Giác" not in review.hidden
    audited = s.scalars(
        select(AuditEntry.kind).where(
            AuditEntry.petition_id == p.id, AuditEntry.actor_id == officer.id
        )
    ).all()
    assert "petition.confirm_redaction" in audited

    sent = post(client, f"/admin/petitions/{p.id}/forward", form)
    assert sent.status_code == 302
    assert s.scalar(select(Forward.id).where(Forward.petition_id == p.id)) is not None


def test_no_agency_output_identifies_the_author(
    db_session: Session,
    session_factory: sessionmaker[Session],
    smtp_server: SmtpServer,
    client: FlaskClient,
    t0: datetime,
    settings: Settings,
) -> None:
    s = db_session
    p, officer, liaison, police = denunciation(s, t0)
    base = Path(settings.attachment_dir)
    _files(s, p, base)
    s.commit()

    # Front staff: review as proposed, forward, write in the thread — all over HTTP.
    assert login(client, officer.username).status_code == 302
    shown = redaction.proposal(p)
    for path, form in (
        ("confirm_redaction", {"summary": shown.summary, "text": shown.text}),
        (
            "forward",
            {
                "agency": str(police.id),
                "channel": "email",
                "document_number": "7/MTTQ",
                "sent_on": a.day(t0).isoformat(),
            },
        ),
        (
            "agency_message",
            {
                "agency": str(police.id),
                "body": "Nếu cần xác minh, liên hệ anh pham van to giac ở 12 Hùng Vương.",
            },
        ),
    ):
        assert post(client, f"/admin/petitions/{p.id}/{path}", form).status_code == 302, path
    assert post(client, "/admin/logout").status_code == 302
    s.expire_all()
    fwd = s.scalar(select(Forward).where(Forward.petition_id == p.id))
    assert fwd is not None and fwd.slip_path

    # Every email, with its attachments and their names, as the SMTP server received it.
    assert a.drain(session_factory, smtp_server.url)["sent"] == 3  # slip ×2, thread
    messages = smtp_server.inbox.messages
    assert messages
    for message in messages:
        names = " ".join(a.attachments(message))
        assert leaks(a.everything(message) + names) == [], message["Subject"]
    slip = a.docx_text((base / fwd.slip_path).read_bytes())
    assert leaks(slip) == [] and "ông Nguyễn Văn B" in slip
    assert "[người tố cáo]" in slip and "Người tố cáo (thông tin được giữ bí mật" in slip

    # The thread and the liaison's items.
    lines = read_thread(s, p, police.id, for_liaison=True)
    assert lines and all(leaks(line.body) == [] for line in lines)
    items = s.scalars(
        select(StaffNotification).where(StaffNotification.agency_id == police.id)
    ).all()
    assert items and all(leaks(i.title + (i.body or "")) == [] for i in items)

    # The liaison: the inbox, its export, the petition page, the slip, the redacted file.
    assert login(client, liaison.username).status_code == 302
    page = client.get(f"/admin/petitions/{p.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert leaks(text) == [] and "Nguyễn Văn B" in text and "[người tố cáo]" in text
    assert "Nếu cần xác minh" in text and ".png" in text
    for url in ("/admin/", "/admin/export.csv", f"/admin/forwards/{fwd.id}/slip.docx"):
        response = client.get(url)
        assert response.status_code == 200, url
        body = a.docx_text(response.data) if url.endswith(".docx") else response.get_data(True)
        assert leaks(body) == [], url
        response.close()
    file_ids = re.findall(r"/admin/files/(\d+)", text)
    assert file_ids
    for fid in set(file_ids):
        download = client.get(f"/admin/files/{fid}")
        assert download.status_code == 200
        assert leaks(download.headers.get("Content-Disposition", "x")) == []
        download.close()
