"""Categories, wards and local names as the office manages them; the ward resolver reads
the names staff add."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import categories, places
from handlers import workflow as wf
from handlers.conversation import understand
from handlers.workflow.suggest import apply_suggestions
from nlp.wards import resolve
from storage.models import AuditEntry, Category, StaffUser, WardAlias
from storage.models.base import utcnow
from tests.admin.conftest import post
from tests.workflow import helpers as h

_SENTENCE = "Đèn đường ở khối phố Ngọc Lan Tây bị hỏng mấy hôm nay"


def _entries(session: Session, kind: str) -> list[AuditEntry]:
    session.expire_all()
    return list(session.scalars(select(AuditEntry).where(AuditEntry.kind == kind)))


def test_a_renamed_category_keeps_its_code_and_petitions(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("admin")
    env = h.category(db_session, "moi_truong")
    p = wf.submit(db_session, h.draft(db_session, category_code="moi_truong"), now=utcnow())
    db_session.commit()
    response = post(
        client,
        f"/admin/categories/{env.id}",
        {
            "code": "doi_ma_thu",  # ignored: codes never change
            "name": "Môi trường, vệ sinh đô thị",
            "description": "Rác, nước thải, khói bụi",
            "default_legal_type": "phan_anh",
            "handler_wd": "4",
            "active": "1",
        },
    )
    assert response.status_code == 302
    db_session.expire_all()
    env = db_session.get(Category, env.id)  # type: ignore[assignment]
    assert env.code == "moi_truong" and env.name == "Môi trường, vệ sinh đô thị"
    assert db_session.get(type(p), p.id).category_id == env.id  # type: ignore[union-attr]
    [entry] = _entries(db_session, "category.update")
    assert entry.before["handler_wd"] is None and entry.after["handler_wd"] == 4
    assert entry.target_id == "moi_truong"
    page = client.get("/admin/categories").get_data(as_text=True)
    assert "Môi trường, vệ sinh đô thị" in page and "doi_ma_thu" not in page


def test_category_clock_and_default_type_reach_the_workflow(db_session: Session) -> None:
    admin = h.staff(db_session, "admin")

    lights = h.category(db_session, "ha_tang_dien_nuoc")
    categories.update(
        db_session,
        lights,
        categories.CategoryForm(name=lights.name, handler_wd=2, default_legal_type="kien_nghi"),
        by=admin,
        now=utcnow(),
    )
    p = wf.submit(
        db_session,
        h.draft(db_session, category_code="ha_tang_dien_nuoc", legal_type="phan_anh"),
        now=utcnow(),
    )
    due, basis = wf.default_due(db_session, p, h.MONDAY)  # an ordinary week
    assert due == h.MONDAY + timedelta(days=2) and "2 ngày làm việc" in basis

    class NoLegalType:
        category, confidence, top3, needs_manual = "ha_tang_dien_nuoc", 0.9, [], False
        ward, urgent, urgency_reasons, legal_type, model_version = None, False, [], None, "t"

    q = h.draft(db_session, category_code="ha_tang_dien_nuoc", legal_type=None)
    apply_suggestions(db_session, q, NoLegalType())
    assert q.legal_type == "kien_nghi"


def test_refused_category_edits_keep_the_form(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("admin")
    bad_code = post(client, "/admin/categories", {"code": "Văn Hóa", "name": "Văn hóa, thể thao"})
    page = bad_code.get_data(as_text=True)
    assert bad_code.status_code == 400 and "Mã lĩnh vực" in page and "Văn hóa, thể thao" in page
    clash = post(client, "/admin/categories", {"code": "van_hoa", "name": "khác"})
    assert clash.status_code == 400 and "trùng" in clash.get_data(as_text=True)
    slow = post(
        client, "/admin/categories", {"code": "van_hoa", "name": "Văn hóa", "handler_wd": "99"}
    )
    assert slow.status_code == 400
    made = post(client, "/admin/categories", {"code": "van_hoa", "name": "Văn hóa", "active": "1"})
    assert made.status_code == 302
    assert h.category(db_session, "van_hoa").name == "Văn hóa"
    assert len(_entries(db_session, "category.create")) == 1


def test_staff_add_a_local_name_and_the_resolver_reads_it(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    assert resolve(_SENTENCE, places.extra_ward_names(db_session)) is None
    signed_in("staff", wards=("huong_tra",))
    huong_tra = h.ward(db_session, "huong_tra")
    trial = client.get("/admin/places", query_string={"thu": _SENTENCE}).get_data(as_text=True)
    assert "Bot chưa nhận ra phường nào" in trial
    added = post(
        client,
        f"/admin/places/{huong_tra.id}/names",
        {"name": "khối  phố Ngọc Lan Tây", "kind": "khoi_pho"},
    )
    assert added.status_code == 302
    names = places.extra_ward_names(db_session)
    assert names["khối phố Ngọc Lan Tây"] == "huong_tra"
    assert "An Sơn" not in names  # shipped old names: the resolver knows them already
    match = resolve(_SENTENCE, names)
    assert match is not None and match.code == "huong_tra"
    no_diacritics = resolve("den duong o khoi pho ngoc lan tay bi hong", names)
    assert no_diacritics is not None and no_diacritics.code == "huong_tra"
    trial = client.get("/admin/places", query_string={"thu": _SENTENCE}).get_data(as_text=True)
    assert "phường Hương Trà" in trial
    [entry] = _entries(db_session, "place.add")
    assert entry.after == {"name": "khối phố Ngọc Lan Tây", "kind": "khoi_pho", "ward": "huong_tra"}


def test_an_old_name_staff_add_reaches_the_bot(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    sentence = "cống ở thôn Hợp Tiến Xưa bị tắc"
    assert understand.resolve_ward(db_session, sentence) is None
    signed_in("staff", wards=("huong_tra",))
    huong_tra = h.ward(db_session, "huong_tra")
    added = post(
        client, f"/admin/places/{huong_tra.id}/names", {"name": "Hợp Tiến Xưa", "kind": "old_unit"}
    )
    assert added.status_code == 302
    answer = understand.resolve_ward(db_session, sentence)
    assert answer is not None and answer.ward.code == "huong_tra"


def test_names_point_to_one_ward_and_scope_holds(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("staff", wards=("tam_ky",))
    tam_ky, quang_phu = h.ward(db_session, "tam_ky"), h.ward(db_session, "quang_phu")
    other_ward = post(
        client, f"/admin/places/{quang_phu.id}/names", {"name": "Thôn Mới", "kind": "thon"}
    )
    assert other_ward.status_code == 404
    old = post(client, f"/admin/places/{tam_ky.id}/names", {"name": "an phu", "kind": "old_unit"})
    assert old.status_code == 400 and "đã được gán cho phường Quảng Phú" in old.get_data(
        as_text=True
    )
    ward_name = post(
        client, f"/admin/places/{tam_ky.id}/names", {"name": "Hương Trà", "kind": "other"}
    )
    assert ward_name.status_code == 400
    short = post(client, f"/admin/places/{tam_ky.id}/names", {"name": "ab", "kind": "street"})
    assert short.status_code == 400
    bad_kind = post(client, f"/admin/places/{tam_ky.id}/names", {"name": "Đường ABC", "kind": "x"})
    assert bad_kind.status_code == 400
    builtin = db_session.scalars(select(WardAlias).where(WardAlias.name == "An Mỹ")).one()
    assert post(client, f"/admin/places/names/{builtin.id}/delete").status_code == 400
    assert (
        post(client, f"/admin/places/{tam_ky.id}", {"name": "X", "full_name": "Y"}).status_code
        == 403
    )
    post(
        client,
        f"/admin/places/{tam_ky.id}/names",
        {"name": "Chợ Đêm Trường Xuân Mới", "kind": "landmark"},
    )
    mine = db_session.scalars(select(WardAlias).where(WardAlias.kind == "landmark")).one()
    assert post(client, f"/admin/places/names/{mine.id}/delete").status_code == 302
    assert "Chợ Đêm Trường Xuân Mới" not in places.extra_ward_names(db_session)
    [removed] = _entries(db_session, "place.remove")
    assert removed.before["name"] == "Chợ Đêm Trường Xuân Mới"


def test_an_admin_renames_a_ward_keeping_its_code(
    client: FlaskClient, db_session: Session, signed_in: Callable[..., StaffUser]
) -> None:
    signed_in("admin")
    ward = h.ward(db_session, "ban_thach")
    response = post(
        client, f"/admin/places/{ward.id}", {"name": "Bàn Thạch", "full_name": "Phường Bàn Thạch"}
    )
    assert response.status_code == 302
    db_session.expire_all()
    assert h.ward(db_session, "ban_thach").full_name == "Phường Bàn Thạch"
    [entry] = _entries(db_session, "ward.update")
    assert entry.before == {"full_name": "phường Bàn Thạch"} and entry.target_id == "ban_thach"
