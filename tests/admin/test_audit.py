"""The general audit log: append-only in the database, written by every audited act, and
read (admins only) through filters, pages and a CSV export."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Executable, delete, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from config import Settings
from handlers import audit, office_settings, outbox
from handlers import workflow as wf
from handlers.audit.query import Filter, page, purge
from handlers.workflow.files import store_upload
from storage.models import AuditEntry, StaffUser
from storage.models.base import utcnow
from tests.admin.conftest import csrf, post
from tests.workflow import helpers as h


def _refused(session: Session, statement: Executable) -> None:
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(statement)


def _kinds(session: Session) -> list[str]:
    session.expire_all()
    return list(session.scalars(select(AuditEntry.kind).order_by(AuditEntry.id)))


def test_entries_cannot_be_changed_or_deleted(db_session: Session) -> None:
    now = utcnow()
    entry = audit.write(db_session, "setting.update", now=now, summary="thử")
    old = audit.write(db_session, "setting.update", now=now - timedelta(days=300))
    db_session.flush()
    _refused(db_session, update(AuditEntry).where(AuditEntry.id == entry.id).values(summary="x"))
    _refused(db_session, delete(AuditEntry).where(AuditEntry.id == entry.id))
    _refused(db_session, delete(AuditEntry).where(AuditEntry.id == old.id))  # < a year old
    _refused(db_session, text("UPDATE audit_log SET actor_name = 'ai do'"))
    with pytest.raises(DBAPIError, match="append-only"), db_session.begin_nested():
        entry.summary = "sửa qua ORM"
        db_session.flush()
    db_session.expire_all()
    assert db_session.get(AuditEntry, entry.id).summary == "thử"  # type: ignore[union-attr]


def test_retention_removes_only_old_entries(db_session: Session) -> None:
    now = utcnow()
    admin = h.staff(db_session, "admin")
    ancient = audit.write(db_session, "auth.login", now=now - timedelta(days=400))
    recent = audit.write(db_session, "auth.login", now=now - timedelta(days=300))
    db_session.flush()
    ancient_id, recent_id = ancient.id, recent.id
    assert purge(db_session, now=now) == 0  # the default keeps five years
    office_settings.change(db_session, "retention.audit_days", "366", by=admin, now=now)
    assert purge(db_session, now=now) == 1
    left = set(db_session.scalars(select(AuditEntry.id)))
    assert ancient_id not in left and recent_id in left
    with pytest.raises(office_settings.SettingError):
        office_settings.change(db_session, "retention.audit_days", "30", by=admin, now=now)


def test_petition_changes_record_before_and_after_without_personal_data(
    db_session: Session,
) -> None:
    now = utcnow()
    officer = h.staff(db_session, "supervisor")
    p = wf.submit(
        db_session,
        h.draft(
            db_session, text="Nhà ông Nguyễn Văn An, số 0905111222, rác ùn ứ.", phone="0905111222"
        ),
        now=now,
    )
    audit.bind_client(db_session, "198.51.100.20")
    wf.triage(
        db_session,
        p,
        actor=officer,
        category_id=h.category(db_session, "giao_thong").id,
        ward_id=h.ward(db_session, "quang_phu").id,
        legal_type="kien_nghi",
        urgent=True,
        now=now,
    )
    wf.redact(db_session, p, actor=officer, text="Nhà ông [đã che], rác ùn ứ.", now=now)
    rows = db_session.scalars(
        select(AuditEntry).where(AuditEntry.petition_id == p.id).order_by(AuditEntry.id)
    ).all()
    assert [r.kind for r in rows] == ["petition.submit", "petition.triage", "petition.redact"]
    submit, triage, redact = rows
    assert submit.actor_type == "citizen" and submit.after["state"] == "received"
    assert triage.actor_id == officer.id and triage.address == "198.51.100.20"
    assert triage.before == {
        "state": "received",
        "category_id": h.category(db_session, "moi_truong").id,
        "ward_id": h.ward(db_session, "tam_ky").id,
        "legal_type": "phan_anh",
        "urgent": False,
    }
    assert triage.after["category_id"] == h.category(db_session, "giao_thong").id
    assert triage.after["urgent"] is True and triage.after["state"] == "triaged"
    assert redact.after["text"] == "(đã sửa)" and redact.before["text"] == ""
    stored = json.dumps(
        [[r.summary, r.before, r.after, r.actor_name] for r in rows], ensure_ascii=False
    )
    assert "0905111222" not in stored and "Nguyễn" not in stored and "rác" not in stored


def test_sign_ins_are_audited_with_the_client_address(
    client: FlaskClient, db_session: Session
) -> None:
    user = h.staff(db_session, "staff", username="dang.nhap")
    db_session.commit()
    proxied = {"X-Forwarded-For": "203.0.113.7"}
    token = csrf(client)
    for name, password in (
        ("dang.nhap", "sai-mat-khau-1"),
        ("khong.co.ai", "x"),
        ("dang.nhap", h.PASSWORD),
    ):
        client.post(
            "/admin/login",
            data={"username": name, "password": password, "csrf_token": token},
            headers=proxied,
        )
    post(client, "/admin/logout", headers=proxied)
    rows = db_session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(r.kind, r.actor_type, r.actor_id) for r in rows] == [
        ("auth.login_failed", "staff", user.id),
        ("auth.login_failed", "anonymous", None),
        ("auth.login", "staff", user.id),
        ("auth.logout", "staff", user.id),
    ]
    assert {r.address for r in rows} == {"203.0.113.7"}
    assert "khong.co.ai" not in json.dumps([r.actor_name for r in rows])


def test_views_of_personal_data_and_exports_are_audited(
    client: FlaskClient,
    db_session: Session,
    settings: Settings,
    signed_in: Callable[..., StaffUser],
) -> None:
    officer = signed_in("supervisor")
    p = wf.submit(db_session, h.draft(db_session), now=utcnow())
    photo = store_upload(
        db_session,
        data=h.tiny_png(),
        filename="anh.png",
        base_dir=Path(settings.attachment_dir),
        max_bytes=10**6,
        petition=p,
    )
    db_session.commit()
    assert client.get(f"/admin/petitions/{p.id}").status_code == 200
    shown = client.get(f"/admin/files/{photo.id}")
    assert shown.status_code == 200
    shown.close()
    month = wf.local_date(utcnow()).strftime("%Y-%m")
    assert client.get(f"/admin/reports.xlsx?month={month}").status_code == 200
    held = outbox.queue_zalo(db_session, citizen=p.citizen, text="Kết quả hồ sơ")  # type: ignore[arg-type]
    outbox.hold(db_session, held.id)
    db_session.commit()
    assert client.get("/admin/delivery").status_code == 200
    rows = db_session.scalars(
        select(AuditEntry)
        .where(AuditEntry.actor_type == "staff", AuditEntry.actor_id == officer.id)
        .order_by(AuditEntry.id)
    ).all()
    assert [r.kind for r in rows] == [
        "auth.login",
        "pii.petition",
        "pii.file",
        "export.report",
        "pii.messages",
    ]
    assert rows[1].petition_id == p.id == rows[2].petition_id
    assert rows[3].target_id == month


def _seeded_log(session: Session) -> dict[str, object]:
    """Two officers, two petitions, sign-ins and changes spread over three days."""
    now = utcnow()
    a = h.staff(session, "supervisor", username="loc.a")
    b = h.staff(session, "supervisor", username="loc.b")
    p1 = wf.submit(session, h.draft(session), now=now - timedelta(days=2))
    p2 = wf.submit(session, h.draft(session), now=now - timedelta(days=1))
    audit.write(session, "auth.login", now=now - timedelta(days=2), actor=a)
    wf.add_note(session, p1, actor=a, body="ghi chú", now=now - timedelta(days=2))
    audit.write(session, "auth.login", now=now, actor=b)
    wf.add_note(session, p2, actor=b, body='=HYPERLINK("x")', now=now)
    audit.write(session, "setting.update", now=now, actor=b, summary="=1+1 công thức")
    session.commit()
    return {"a": a, "b": b, "p1": p1, "p2": p2, "now": now}


def test_the_viewer_filters_by_person_petition_kind_and_period(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    world = _seeded_log(db_session)
    signed_in("admin")
    a, p1 = world["a"], world["p1"]
    assert isinstance(a, StaffUser)

    def rows(query: str) -> str:
        response = client.get(f"/admin/audit?{query}")
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        return body[body.index('id="audit"') :]

    by_a = rows(f"person=staff:{a.id}")
    assert by_a.count("<tr>") == 3 and "loc.b" not in by_a  # header + sign-in + note
    by_petition = rows(f"petition={p1.code.lower()}")  # type: ignore[attr-defined]
    assert "Hồ sơ: Tiếp nhận" in by_petition and "Hồ sơ: Ghi chú nội bộ" in by_petition
    assert by_petition.count("<tr>") == 3
    signins = rows("kind=auth")
    assert signins.count("Đăng nhập") >= 2 and "Ghi chú" not in signins
    today = wf.local_date(world["now"]).isoformat()  # type: ignore[arg-type]
    assert "loc.a" not in rows(f"from={today}&to={today}&kind=auth")
    assert "Không có hồ sơ mã TK-0000-000000" in client.get(
        "/admin/audit?petition=TK-0000-000000"
    ).get_data(as_text=True)
    assert client.get("/admin/audit?from=31/02/2026").status_code == 400


def test_paging_and_the_csv_export(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    now = utcnow()
    for i in range(60):
        audit.write(db_session, "setting.update", now=now, summary=f"mục {i:02d}")
    _seeded_log(db_session)
    admin = signed_in("admin")
    first = client.get("/admin/audit?kind=setting").get_data(as_text=True)
    assert "mục 59" in first and "mục 05" not in first and "Cũ hơn" in first
    older = first.split('href="/admin/audit?before=')[1].split('"')[0].replace("&amp;", "&")
    second = client.get(f"/admin/audit?before={older}").get_data(as_text=True)
    assert "mục 05" in second and "mục 59" not in second

    response = client.get("/admin/audit.csv?kind=setting")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    content = response.get_data().decode("utf-8")
    assert content.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    assert table[0][:4] == ["Thời điểm", "Người thực hiện", "Từ đâu", "Việc"]
    assert len(table) == 1 + 61
    formula = next(r for r in table if "công thức" in r[6])
    assert formula[6].startswith("'=")  # no formula injection in a spreadsheet
    [export] = db_session.scalars(select(AuditEntry).where(AuditEntry.kind == "export.audit"))
    assert export.actor_id == admin.id and export.after == {
        "filters": {"kind": "setting"},
        "rows": 61,
    }


def test_only_admins_read_the_log(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("supervisor")
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/audit.csv").status_code == 403
    assert db_session.scalar(select(AuditEntry).where(AuditEntry.kind == "export.audit")) is None


def test_the_page_query_matches_the_filter(db_session: Session) -> None:
    world = _seeded_log(db_session)
    b = world["b"]
    assert isinstance(b, StaffUser)
    found = page(db_session, Filter(actor_type="staff", actor_id=b.id, group="petition"))
    assert [e.kind for e in found] == ["petition.note"]
    assert page(db_session, Filter(group="nonsense"))  # an unknown group filters nothing out
