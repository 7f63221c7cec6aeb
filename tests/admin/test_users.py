"""Staff accounts from the admin view: create, one-time password and the forced change,
role and scope, disable, reset, and the last active administrator."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.accounts import verify_password
from storage.models import AuditEntry, StaffUser
from storage.models.base import utcnow
from tests.admin.conftest import login, post
from tests.workflow import helpers as h

_SECRET = re.compile(r'id="one-time-password">([^<]+)<')


def _entries(session: Session, kind: str) -> list[AuditEntry]:
    session.expire_all()
    return list(session.scalars(select(AuditEntry).where(AuditEntry.kind == kind)))


def _user(session: Session, username: str) -> StaffUser:
    session.expire_all()
    return session.scalars(select(StaffUser).where(StaffUser.username == username)).one()


def test_the_list_shows_role_scope_last_login_and_state(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("admin")
    officer = h.staff(db_session, "staff", wards=("quang_phu", "ban_thach"), username="canbo.qp")
    liaison = h.staff(db_session, "agency", agency_code="ca_tam_ky", username="dau.moi.ca")
    liaison.active = False
    officer.last_login_at = h.ORDINARY_MONDAY
    db_session.commit()
    page = client.get("/admin/users").get_data(as_text=True)
    row = page[page.index("canbo.qp") :]
    assert "Cán bộ phường" in row and "Quảng Phú, Bàn Thạch" in row
    assert f"{h.MONDAY:%d/%m/%Y} 09:00" in row  # Vietnam time, dd/mm/yyyy
    liaison_row = page[page.index("dau.moi.ca") :]
    assert "Công an phường Tam Kỳ" in liaison_row and "Đã vô hiệu hóa" in liaison_row


def test_one_time_password_is_shown_once_and_must_be_changed(
    app: Flask, client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    admin = signed_in("admin")
    ward = h.ward(db_session, "huong_tra")
    created = post(
        client,
        "/admin/users",
        {
            "username": "Can.Bo.HT",
            "display_name": "Trần Thị Hoa",
            "email": "hoa@mttq.test",
            "role": "staff",
            "wards": [str(ward.id)],
            "method": "password",
        },
    )
    assert created.status_code == 200 and created.headers["Cache-Control"] == "no-store"
    assert created.mimetype == "text/html"
    match = _SECRET.search(created.get_data(as_text=True))
    assert match
    secret = match.group(1)
    user = _user(db_session, "can.bo.ht")  # user names are kept in lower case
    assert user.must_change_password and verify_password(user.password_hash, secret)
    assert secret not in user.password_hash and [w.code for w in user.wards] == ["huong_tra"]
    [entry] = _entries(db_session, "user.create")
    assert entry.actor_id == admin.id and entry.address == "127.0.0.1"
    assert entry.after == {
        "display_name": "Trần Thị Hoa",
        "email": "hoa@mttq.test",
        "role": "staff",
        "wards": ["huong_tra"],
        "agency_id": None,
    }
    # The new user signs in with it and can do nothing before choosing a password.
    other = app.test_client()
    assert login(other, "can.bo.ht", secret).status_code == 302
    inbox = other.get("/admin/")
    assert inbox.status_code == 302 and inbox.headers["Location"].endswith("/admin/password")
    assert "mật khẩu tạm thời" in other.get("/admin/password").get_data(as_text=True)
    assert post(other, "/admin/petitions/1/note", {"body": "x"}).status_code == 403
    short = post(other, "/admin/password", {"current": secret, "new": "ngan", "confirm": "ngan"})
    assert short.status_code == 400 and "ít nhất 10 ký tự" in short.get_data(as_text=True)
    wrong = post(
        other, "/admin/password", {"current": "sai", "new": "mot-cau-de-nho-1", "confirm": "x"}
    )
    assert "Mật khẩu hiện tại không đúng" in wrong.get_data(as_text=True)
    same = post(other, "/admin/password", {"current": secret, "new": secret, "confirm": secret})
    assert "phải khác mật khẩu cũ" in same.get_data(as_text=True)
    done = post(
        other,
        "/admin/password",
        {"current": secret, "new": "mot-cau-de-nho-1", "confirm": "mot-cau-de-nho-1"},
    )
    assert done.status_code == 302
    assert other.get("/admin/").status_code == 200  # this session goes on
    user = _user(db_session, "can.bo.ht")
    assert not user.must_change_password and verify_password(user.password_hash, "mot-cau-de-nho-1")
    assert [e.actor_id for e in _entries(db_session, "auth.password_changed")] == [user.id]


def test_a_refused_account_keeps_what_was_typed(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("admin")
    h.staff(db_session, "staff", username="trung.ten")
    db_session.commit()
    taken = post(
        client,
        "/admin/users",
        {"username": "trung.ten", "display_name": "Lê Văn Tư", "role": "supervisor"},
    )
    page = taken.get_data(as_text=True)
    assert taken.status_code == 400 and "đã có người dùng" in page and "Lê Văn Tư" in page
    no_ward = post(client, "/admin/users", {"username": "khong.phuong", "role": "staff"})
    assert no_ward.status_code == 400
    assert "ít nhất một phường" in no_ward.get_data(as_text=True)
    forged = post(client, "/admin/users", {"username": "gia.mao", "role": "root"})
    assert forged.status_code == 400 and "Vai trò không hợp lệ" in forged.get_data(as_text=True)
    link_without_email = post(
        client, "/admin/users", {"username": "khong.thu", "role": "supervisor", "method": "link"}
    )
    assert link_without_email.status_code == 400
    names = db_session.scalars(select(StaffUser.username)).all()
    assert not {"khong.phuong", "gia.mao", "khong.thu"} & set(names)
    assert _entries(db_session, "user.create") == []


def test_role_and_scope_change_is_audited_and_takes_effect(
    app: Flask, client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("admin")
    officer = h.staff(db_session, "staff", wards=("tam_ky",), username="doi.pham.vi")
    db_session.commit()
    other = app.test_client()
    login(other, "doi.pham.vi")
    assert other.get("/admin/manage").status_code == 200
    assert other.get("/admin/settings").status_code == 403
    qp, bt = h.ward(db_session, "quang_phu"), h.ward(db_session, "ban_thach")
    response = post(
        client,
        f"/admin/users/{officer.id}",
        {"display_name": "Cán bộ staff", "role": "staff", "wards": [str(qp.id), str(bt.id)]},
    )
    assert response.status_code == 302
    [entry] = _entries(db_session, "user.update")
    assert entry.before == {"wards": ["tam_ky"]}
    assert entry.after == {"wards": ["ban_thach", "quang_phu"]}
    post(client, f"/admin/users/{officer.id}", {"display_name": "X", "role": "supervisor"})
    assert other.get("/admin/settings").status_code == 200  # the next request sees the role
    assert _user(db_session, "doi.pham.vi").wards == []


def test_disabling_signs_out_at_once(
    app: Flask, client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    admin = signed_in("admin")
    officer = h.staff(db_session, "staff", username="se.nghi")
    db_session.commit()
    other = app.test_client()
    login(other, "se.nghi")
    assert other.get("/admin/").status_code == 200
    assert post(client, f"/admin/users/{officer.id}/active", {"active": "0"}).status_code == 302
    assert other.get("/admin/").status_code == 302  # back to the sign-in page
    assert login(app.test_client(), "se.nghi").status_code == 401
    itself = post(client, f"/admin/users/{admin.id}/active", {"active": "0"})
    assert itself.status_code == 400 and "chính mình" in itself.get_data(as_text=True)
    post(client, f"/admin/users/{officer.id}/active", {"active": "1"})
    kinds = [e.kind for e in db_session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert [k for k in kinds if k.startswith("user.")] == ["user.disable", "user.enable"]
    assert "auth.login_failed" in kinds  # the disabled user's attempt
    assert login(app.test_client(), "se.nghi").status_code == 302


def test_the_last_active_admin_stays(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    me = signed_in("admin")
    demote = post(client, f"/admin/users/{me.id}", {"display_name": "A", "role": "supervisor"})
    assert demote.status_code == 400
    assert "quản trị viên cuối cùng" in demote.get_data(as_text=True)
    assert _user(db_session, me.username).role == "admin"
    second = h.staff(db_session, "admin", username="qtv.hai")
    db_session.commit()
    assert post(client, f"/admin/users/{second.id}/active", {"active": "0"}).status_code == 302
    again = post(client, f"/admin/users/{me.id}", {"display_name": "A", "role": "supervisor"})
    assert again.status_code == 400  # the other admin is disabled: still the last active one
    post(client, f"/admin/users/{second.id}/active", {"active": "1"})
    ok = post(client, f"/admin/users/{second.id}", {"display_name": "B", "role": "supervisor"})
    assert ok.status_code == 302 and _user(db_session, "qtv.hai").role == "supervisor"


def test_reset_password_replaces_it_and_lifts_a_lockout(
    app: Flask, client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("admin")
    officer = h.staff(db_session, "staff", username="quen.mat.khau")
    officer.locked_until = utcnow() + timedelta(days=365)  # replace(year=) fails on 29 February
    db_session.commit()
    other = app.test_client()
    reset = post(client, f"/admin/users/{officer.id}/reset", {"method": "password"})
    match = _SECRET.search(reset.get_data(as_text=True))
    assert reset.status_code == 200 and match
    assert login(other, "quen.mat.khau").status_code == 401  # the old password is gone
    assert login(other, "quen.mat.khau", match.group(1)).status_code == 302
    assert other.get("/admin/").headers["Location"].endswith("/admin/password")
    [entry] = _entries(db_session, "user.reset_password")
    assert entry.after == {"method": "one_time_password"} and match.group(1) not in str(entry.after)


def test_only_administrators_manage_accounts(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("supervisor")
    for path in ("/admin/users", "/admin/users/new", "/admin/categories", "/admin/audit"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "Trang này dành cho: quản trị" in response.get_data(as_text=True)
    assert post(client, "/admin/users", {"username": "x", "role": "admin"}).status_code == 403
    assert db_session.scalar(select(StaffUser).where(StaffUser.username == "x")) is None


def test_unknown_accounts_and_missing_tokens(
    client: FlaskClient, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("admin")
    assert client.get("/admin/users/999999").status_code == 404
    assert post(client, "/admin/users/999999/reset", {"method": "password"}).status_code == 404
    no_csrf = client.post("/admin/users", data={"username": "khong.token", "role": "admin"})
    assert no_csrf.status_code == 400


def test_the_first_admin_comes_from_the_command_line_and_is_audited(
    runner: FlaskCliRunner, db_session: Session
) -> None:
    result = runner.invoke(
        args=["users", "create", "--username", "qtv.dau.tien", "--role", "admin"],
        input="mat-khau-rat-dai-1\n",
    )
    assert result.exit_code == 0, result.output
    user = _user(db_session, "qtv.dau.tien")
    [entry] = _entries(db_session, "user.create")
    assert entry.target_id == str(user.id) and entry.address == "dòng lệnh"
    assert entry.actor_type == "system" and not user.must_change_password
