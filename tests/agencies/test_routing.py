"""Routing proposals from the seeded table, and the seeded directory itself."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import workflow as wf
from handlers.agencies import routing
from handlers.agencies.disclosure import for_agency
from storage import reference_data as ref
from storage.models import Agency, AgencyChange, Petition, RoutingRule
from tests.agencies import helpers as a
from tests.workflow import helpers as h


def _petition(
    s: Session, t0: datetime, text: str, category: str, ward: str = "ban_thach"
) -> Petition:
    return a.triaged(s, a.officer(s, ward), t0, text=text, category=category, ward=ward)


def _codes(proposals: list[routing.Proposal]) -> list[str]:
    return [p.agency.code for p in proposals]


@pytest.mark.parametrize(
    ("text", "category", "first"),
    [
        ("Mưa lớn là ngập, cống thoát nước bị lấp kín.", "ha_tang_dien_nuoc", "ubnd_ban_thach"),
        ("Khu tôi mất điện từ tối qua, trạm biến áp kêu to.", "ha_tang_dien_nuoc", "dien_luc"),
        ("mat dien ca dem khong ai den sua", "ha_tang_dien_nuoc", "dien_luc"),  # no diacritics
        ("Nước máy yếu, hóa đơn nước tháng này tăng gấp đôi.", "ha_tang_dien_nuoc", "cap_nuoc"),
        ("Đèn đường kiệt 5 hỏng cả tháng.", "ha_tang_dien_nuoc", "ubnd_ban_thach"),
        ("Tranh chấp ranh giới thửa đất với nhà bên cạnh.", "dat_dai", "kt_hd_ban_thach"),
        ("Xe rác không đến thu gom ba ngày nay.", "moi_truong", "moi_truong_do_thi"),
        ("Xưởng gỗ xả khói bụi ra khu dân cư.", "moi_truong", "ubnd_ban_thach"),
        ("Nhóm thanh niên đánh bài ăn tiền ở quán nước.", "an_ninh_trat_tu", "ca_ban_thach"),
    ],
)
def test_seeded_routing_proposes_the_competent_body_first(
    db_session: Session, t0: datetime, text: str, category: str, first: str
) -> None:
    proposals = routing.propose(db_session, _petition(db_session, t0, text, category))
    assert _codes(proposals)[0] == first
    assert all(p.reasons for p in proposals)
    codes = _codes(proposals)
    assert not any(c.endswith(("_tam_ky", "_quang_phu", "_huong_tra")) for c in codes)


def test_drainage_never_defaults_to_the_power_company(db_session: Session, t0: datetime) -> None:
    p = _petition(
        db_session, t0, "Nước ngập sâu sau mưa, mương thoát nước bị tắc.", "ha_tang_dien_nuoc"
    )
    proposals = routing.propose(db_session, p)
    assert _codes(proposals)[:2] == ["ubnd_ban_thach", "cap_nuoc"]
    assert "dien_luc" not in _codes(proposals)
    assert "có từ khóa «ngập»" in proposals[0].reasons[0]


def test_proposals_follow_edits_and_skip_inactive_agencies(
    db_session: Session, t0: datetime
) -> None:
    s = db_session
    admin = wf.Actor.of_staff(h.staff(s, "admin"))
    p = _petition(s, t0, "Cây xanh đổ chắn ngang đường sau bão.", "moi_truong")
    before = _codes(routing.propose(s, p))
    assert before[0] == "ubnd_ban_thach"
    sxd = h.agency(s, "so_xay_dung")
    routing.save_rule(
        s,
        admin,
        category_id=p.category_id or 0,
        ward_id=p.ward_id,
        keywords="cây đổ, cay xanh do",
        agency_ids=[sxd.id],
        note="Cây xanh đô thị do Sở Xây dựng quản lý",
        now=t0,
    )
    after = routing.propose(s, p)
    assert after[0].agency.code == "so_xay_dung"
    assert "Cây xanh đô thị do Sở Xây dựng quản lý" in after[0].reasons[0]
    assert s.scalar(select(AgencyChange.action).where(AgencyChange.entity == "routing")) == "create"
    sxd.active = False
    assert "so_xay_dung" not in _codes(routing.propose(s, p))
    with pytest.raises(wf.InvalidInput):  # the same rule twice
        routing.save_rule(
            s,
            admin,
            category_id=p.category_id or 0,
            ward_id=p.ward_id,
            keywords="Cây đổ, cây xanh đổ",
            agency_ids=[sxd.id],
            note="",
            now=t0,
        )
    staff = wf.Actor.of_staff(h.staff(s, "staff"))
    with pytest.raises(wf.NotAllowed):
        routing.save_rule(
            s,
            staff,
            category_id=p.category_id or 0,
            ward_id=None,
            keywords="x",
            agency_ids=[sxd.id],
            note="",
            now=t0,
        )


def test_the_seeded_directory_guesses_no_address(db_session: Session) -> None:
    agencies = db_session.scalars(select(Agency)).all()
    assert agencies and all(a.contact_email is None and a.head_email is None for a in agencies)
    assert not any(a.confirmed for a in agencies)
    assert all(ref.UNCONFIRMED in a.notes for a in agencies)
    names = {a.name for a in agencies}
    for ward in ("Tam Kỳ", "Quảng Phú", "Bàn Thạch", "Hương Trà"):
        assert {f"UBND phường {ward}", f"Công an phường {ward}"} <= names
    assert {
        "Sở Xây dựng thành phố Đà Nẵng",
        "Sở Nông nghiệp và Môi trường thành phố Đà Nẵng",
        "Sở Y tế thành phố Đà Nẵng",
        "Sở Giáo dục và Đào tạo thành phố Đà Nẵng",
        "Công ty Cổ phần Cấp thoát nước Quảng Nam",
        "Công ty Cổ phần Môi trường đô thị Quảng Nam",
    } <= names
    unsure = db_session.scalar(select(Agency).where(Agency.code == "dien_luc"))
    assert unsure is not None and "Chưa xác nhận tên" in unsure.notes
    rules = db_session.scalars(select(RoutingRule)).all()
    assert {r.keywords != "" for r in rules} == {True, False}


def test_for_agency_matches_names_without_case_or_diacritics(
    db_session: Session, t0: datetime
) -> None:
    p = a.triaged(
        db_session,
        a.officer(db_session),
        t0,
        text="x",
        category="tham_nhung_tieu_cuc",
        legal_type="to_cao",
        reporter="Nguyễn Thị Hoà",
    )
    for variant in ("Nguyễn Thị Hoà", "NGUYỄN THỊ HOÀ", "nguyen thi hoa", "Nguyễn  Thị\nHoà"):
        assert for_agency(p, f"Người gửi: {variant}.") == "Người gửi: [người tố cáo]."
    assert for_agency(p, "Nguyễn Thị Hoàng Anh") == "Nguyễn Thị Hoàng Anh"  # another person
    p.legal_type = "phan_anh"
    p.category = h.category(db_session, "moi_truong")
    assert for_agency(p, "Nguyễn Thị Hoà gọi 0905111222") == "Nguyễn Thị Hoà gọi [SĐT]"
