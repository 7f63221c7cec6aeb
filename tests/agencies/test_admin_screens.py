"""The agency directory and routing screens: roles, CSRF, validation, escaping, the audit,
liaison accounts made from the agency screen, and the forward form's proposals."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.accounts import verify_password
from storage.models import Agency, AgencyChange, AuditEntry, RoutingRule, StaffUser
from tests.admin.conftest import login, post
from tests.agencies import helpers as a
from tests.workflow import helpers as h


def _sign_in(client: FlaskClient, s: Session, role: str, **kw: object) -> StaffUser:
    user = h.staff(s, role, **kw)  # type: ignore[arg-type]
    s.commit()
    assert login(client, user.username).status_code == 302
    return user


@pytest.mark.parametrize(
    ("role", "kw"), [("staff", {}), ("agency", {"agency_code": "ubnd_tam_ky"})]
)
@pytest.mark.parametrize("path", ["/admin/agencies", "/admin/agencies/1", "/admin/routing"])
def test_only_managers_see_the_directory(
    client: FlaskClient, db_session: Session, role: str, kw: dict[str, str], path: str
) -> None:
    _sign_in(client, db_session, role, **kw)
    response = client.get(path)
    assert response.status_code == 403
    assert "không có quyền" in response.get_data(as_text=True)
    assert post(client, "/admin/agencies", {"name": "X", "kind": "khac"}).status_code == 403


def test_the_list_shows_missing_addresses_and_unconfirmed_bodies(
    client: FlaskClient, db_session: Session
) -> None:
    _sign_in(client, db_session, "supervisor")
    page = client.get("/admin/agencies").get_data(as_text=True)
    assert "Công an phường Bàn Thạch" in page and "Sở Y tế thành phố Đà Nẵng" in page
    assert page.count("Chưa có địa chỉ thư") >= 20 and "Chưa xác nhận" in page


def test_creating_and_editing_an_agency_is_validated_escaped_and_audited(
    client: FlaskClient, db_session: Session
) -> None:
    s = db_session
    admin = _sign_in(client, s, "admin")
    bad = post(
        client,
        "/admin/agencies",
        {"name": "Ban quản lý chợ Tam Kỳ", "kind": "khac", "emails": "banql@, x y"},
    )
    assert bad.status_code == 400 and "Địa chỉ thư không hợp lệ" in bad.get_data(as_text=True)
    assert s.scalar(select(Agency).where(Agency.name == "Ban quản lý chợ Tam Kỳ")) is None
    assert post(client, "/admin/agencies", {"name": "", "kind": "khac"}).status_code == 400
    assert post(client, "/admin/agencies", {"name": "X", "kind": "??"}).status_code == 400
    made = post(
        client,
        "/admin/agencies",
        {
            "name": "Ban quản lý chợ <script>alert(1)</script>",
            "kind": "khac",
            "emails": "BanQL.Cho@TamKy.test; vanthu@tamky.test\nbanql.cho@tamky.test",
            "active": "1",
        },
    )
    assert made.status_code == 302
    agency = s.scalar(select(Agency).where(Agency.name.like("Ban quản lý chợ%")))
    assert agency is not None and agency.code.startswith("ban_quan_ly_cho")
    assert agency.contact_addresses == ["banql.cho@tamky.test", "vanthu@tamky.test"]
    assert not agency.confirmed
    listing = client.get("/admin/agencies").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in listing and "&lt;script&gt;" in listing
    edited = post(
        client,
        f"/admin/agencies/{agency.id}",
        {"name": "Ban quản lý chợ Tam Kỳ", "kind": "khac", "emails": "", "confirmed": "1"},
    )
    assert edited.status_code == 302
    s.expire_all()
    assert agency.contact_email is None and agency.confirmed and not agency.active
    changes = s.scalars(
        select(AgencyChange).where(AgencyChange.entity_id == agency.id).order_by(AgencyChange.id)
    ).all()
    assert [c.action for c in changes] == ["create", "update"]
    assert changes[1].actor_id == admin.id
    assert changes[1].detail["confirmed"] == [False, True]
    assert "contact_email" in changes[1].detail and "kind" not in changes[1].detail
    history = client.get(f"/admin/agencies/{agency.id}").get_data(as_text=True)
    assert "Đã xác nhận: không → có" in history and "Địa chỉ thư: banql.cho@tamky.test" in history
    assert post(client, "/admin/agencies/999999", {"name": "x", "kind": "khac"}).status_code == 404
    no_csrf = client.post(f"/admin/agencies/{agency.id}", data={"name": "y", "kind": "khac"})
    assert no_csrf.status_code == 400


def test_liaison_accounts_are_made_and_linked_from_the_agency_screen(
    client: FlaskClient, db_session: Session
) -> None:
    s = db_session
    _sign_in(client, s, "admin")
    agency = h.agency(s, "ubnd_huong_tra")
    short = post(
        client,
        f"/admin/agencies/{agency.id}/liaisons",
        {"username": "ll.huongtra", "display_name": "Chị Hoa", "password": "ngan"},
    )
    assert short.status_code == 302
    assert s.scalar(select(StaffUser).where(StaffUser.username == "ll.huongtra")) is None
    made = post(
        client,
        f"/admin/agencies/{agency.id}/liaisons",
        {
            "username": "ll.huongtra",
            "display_name": "Nguyễn Thị Hoa",
            "email": "hoa@huongtra.test",
            "password": "mat-khau-tam-thoi-1",
        },
    )
    assert made.status_code == 302
    user = s.scalar(select(StaffUser).where(StaffUser.username == "ll.huongtra"))
    assert user is not None and user.role == "agency" and user.agency_id == agency.id
    assert user.email == "hoa@huongtra.test"
    assert verify_password(user.password_hash, "mat-khau-tam-thoi-1")
    assert user.must_change_password  # the manager's password is a temporary one
    page = client.get(f"/admin/agencies/{agency.id}").get_data(as_text=True)
    assert "Nguyễn Thị Hoa" in page and "hoa@huongtra.test" in page
    loose = h.staff(s, "agency", username="ll.rieng")
    officer = h.staff(s, "staff", username="cb.thuong")
    s.commit()
    assert post(client, f"/admin/agencies/{agency.id}/liaisons/link", {"user": loose.id})
    assert post(client, f"/admin/agencies/{agency.id}/liaisons/link", {"user": officer.id})
    s.expire_all()
    assert loose.agency_id == agency.id and officer.agency_id is None
    post(client, f"/admin/agencies/{agency.id}/liaisons/{loose.id}/unlink")
    s.expire_all()
    assert loose.agency_id is None
    actions = s.scalars(select(AgencyChange.action).where(AgencyChange.entity == "liaison")).all()
    assert actions == ["create", "link", "unlink"]
    logged = s.scalars(
        select(AuditEntry.kind)
        .where(AuditEntry.kind.startswith("liaison."))
        .order_by(AuditEntry.id)
    ).all()
    assert logged == ["liaison.create", "liaison.link", "liaison.unlink"]


def test_routing_rules_are_edited_on_their_screen(client: FlaskClient, db_session: Session) -> None:
    s = db_session
    _sign_in(client, s, "supervisor")
    category = h.category(s, "giao_thong")
    ward = h.ward(s, "huong_tra")
    sxd, ubnd = h.agency(s, "so_xay_dung"), h.agency(s, "ubnd_huong_tra")
    page = client.get(f"/admin/routing?category={category.id}").get_data(as_text=True)
    assert "Đường phường quản lý" in page
    saved = post(
        client,
        "/admin/routing",
        {
            "category": category.id,
            "ward": ward.id,
            "keywords": "quốc lộ, QL1A",
            "agency": [sxd.id, ubnd.id, ""],
            "note": "Quốc lộ qua phường",
            "active": "1",
        },
    )
    assert saved.status_code == 302
    rows = s.scalars(
        select(RoutingRule)
        .where(RoutingRule.keywords == "quốc lộ, QL1A")
        .order_by(RoutingRule.priority)
    ).all()
    assert [(r.agency_id, r.priority, r.ward_id) for r in rows] == [
        (sxd.id, 0, ward.id),
        (ubnd.id, 1, ward.id),
    ]
    key = f"{category.id}:{ward.id}:{rows[0].id}"
    assert "Sửa quy tắc" in client.get(f"/admin/routing?edit={key}").get_data(as_text=True)
    post(
        client,
        "/admin/routing",
        {
            "key": key,
            "category": category.id,
            "ward": ward.id,
            "keywords": "quốc lộ",
            "agency": [ubnd.id],
            "note": "",
            "active": "1",
        },
    )
    s.expire_all()
    replaced = s.scalars(select(RoutingRule).where(RoutingRule.keywords == "quốc lộ")).all()
    assert [r.agency_id for r in replaced] == [ubnd.id]
    empty = post(client, "/admin/routing", {"category": category.id, "agency": []})
    assert empty.status_code == 302  # refused with a message, nothing stored
    new_key = f"{category.id}:{ward.id}:{replaced[0].id}"
    assert post(client, "/admin/routing/delete", {"key": new_key}).status_code == 302
    assert post(client, "/admin/routing/delete", {"key": "1:2:x"}).status_code == 404
    s.expire_all()
    assert s.scalars(select(RoutingRule).where(RoutingRule.keywords == "quốc lộ")).all() == []
    actions = s.scalars(select(AgencyChange.action).where(AgencyChange.entity == "routing")).all()
    assert actions == ["create", "update", "delete"]


def test_the_forward_form_proposes_agencies_and_says_why(
    client: FlaskClient, db_session: Session, t0: datetime
) -> None:
    s = db_session
    officer = _sign_in(client, s, "staff", wards=("ban_thach",))
    p = a.triaged(
        s,
        officer,
        t0,
        ward="ban_thach",
        category="ha_tang_dien_nuoc",
        text="Đường Tôn Đức Thắng ngập sâu sau mỗi trận mưa, cống thoát nước bị lấp.",
    )
    s.commit()
    page = client.get(f"/admin/petitions/{p.id}").get_data(as_text=True)
    assert "Đề xuất theo bảng phân công" in page
    first = page.index("UBND phường Bàn Thạch")
    assert first < page.index("Công ty Cổ phần Cấp thoát nước Quảng Nam")
    assert "có từ khóa «ngập»" in page and "Chưa có địa chỉ thư — gửi văn bản giấy" in page
    assert "Điện lực Tam Kỳ</strong>" not in page


def _default_channel(page: str) -> str:
    select = page[page.index('<select name="channel"') :].split("</select>")[0]
    found = re.search(r'<option value="(\w+)" selected', select)
    assert found is not None
    return found.group(1)


def test_the_forward_form_says_email_when_the_proposed_agency_has_an_address(
    client: FlaskClient, db_session: Session, t0: datetime
) -> None:
    s = db_session
    officer = _sign_in(client, s, "staff", wards=("ban_thach",))
    p = a.triaged(
        s, officer, t0, ward="ban_thach", category="ha_tang_dien_nuoc", text="Cống bị lấp, ngập."
    )
    s.commit()
    page = client.get(f"/admin/petitions/{p.id}").get_data(as_text=True)
    assert "Chưa có địa chỉ thư — gửi văn bản giấy" in page  # the first proposal has none
    assert _default_channel(page) == "van_ban"
    a.agency(s, "ubnd_ban_thach", ("vanthu@banthach.test",))
    s.commit()
    page = client.get(f"/admin/petitions/{p.id}").get_data(as_text=True)
    assert _default_channel(page) == "email"  # the slip is e-mailed: not «Văn bản giấy»


def _forward(client: FlaskClient, pid: int, agency: Agency, t0: datetime) -> str:
    form = {"agency": agency.id, "channel": "email", "sent_on": a.day(t0).isoformat()}
    response = post(client, f"/admin/petitions/{pid}/forward", form, follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_forward_says_where_the_slip_went_liaisons_included(
    client: FlaskClient, db_session: Session, t0: datetime
) -> None:
    s = db_session
    officer = _sign_in(client, s, "staff", wards=("tam_ky",))
    # The walk's case: the agency has no address of its own, its liaison has one.
    police, _ = a.agency(s, "ca_tam_ky", (), "lienlac.congan")
    bare, _ = a.agency(s, "so_xay_dung")
    assert police.contact_addresses == [] and bare.contact_addresses == []
    first = a.triaged(s, officer, t0, text="Xe tải đậu chắn lối vào kiệt 12 Phan Bội Châu.")
    second = a.triaged(s, officer, t0, text="Vỉa hè đường Trần Cao Vân bị đào bới bỏ dở.")
    s.commit()

    form_page = client.get(f"/admin/petitions/{first.id}").get_data(as_text=True)
    select = form_page[form_page.index('<select name="agency"') :].split("</select>")[0]
    labels = dict(re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', select))
    assert labels[str(police.id)] == police.name  # its liaison receives email
    assert labels[str(bare.id)] == f"{bare.name} (chưa có địa chỉ thư)"

    page = _forward(client, first.id, police, t0)
    assert "cần in và gửi" not in page
    assert "gửi đến 1 địa chỉ: lienlac.congan@lienlac.test (cán bộ liên lạc)" in page
    page = _forward(client, second.id, bare, t0)
    assert "chưa có địa chỉ thư điện tử: cần in và gửi phiếu chuyển bằng văn bản" in page
