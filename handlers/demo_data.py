"""A handful of petitions for the local demo, so the inbox shows every kind of row.

They are entered as staff would enter walk-in, letter and phone petitions, through the real
workflow (suggestions, tracking codes, clocks, audit trail). Written by the team; fictional.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers import workflow as wf
from storage.models import Agency, Category, OrgUnit, Petition, Ward
from storage.models.enums import Channel, PetitionState

#: (days ago, channel, ward code, text, phone)
DEMO_PETITIONS: tuple[tuple[int, str, str, str, str | None], ...] = (
    (
        6,
        Channel.LETTER,
        "ban_thach",
        "Kính gửi Ủy ban MTTQ phường Bàn Thạch. Đoạn đường bê tông qua khối phố 4 Tam Thăng "
        "bị sụt lún, mưa xuống đọng nước sâu, xe máy đi lại rất nguy hiểm. Kính đề nghị sửa chữa.",
        None,
    ),
    (
        4,
        Channel.PHONE,
        "tam_ky",
        "Quán karaoke đầu hẻm đường Trần Cao Vân (An Xuân cũ) hát đến 1 giờ sáng mỗi đêm, "
        "người già và trẻ nhỏ không ngủ được.",
        "0905 000 111",
    ),
    (
        3,
        Channel.WALK_IN,
        "huong_tra",
        "Hộ gia đình tôi ở thôn Ngọc Nam, Tam Ngọc cũ đã nộp hồ sơ đề nghị hưởng trợ cấp người "
        "khuyết tật cho con từ tháng 8 mà đến nay chưa có kết quả.",
        None,
    ),
    (
        2,
        Channel.LETTER,
        "quang_phu",
        "Bãi đất trống gần chợ Tam Thanh bị người dân đổ rác thải, xác động vật, bốc mùi hôi "
        "thối cả khu dân cư. Đề nghị bố trí thu gom và xử lý người vi phạm.",
        None,
    ),
    (
        1,
        Channel.PHONE,
        "tam_ky",
        "Đèn chiếu sáng trên đường Phan Châu Trinh đoạn gần quảng trường bị tắt cả tuần nay, "
        "buổi tối rất tối.",
        "0935 000 222",
    ),
    (
        0,
        Channel.WALK_IN,
        "quang_phu",
        "Tôi muốn hỏi thủ tục cấp lại giấy chứng nhận quyền sử dụng đất bị mất ở An Phú cũ "
        "cần những giấy tờ gì.",
        None,
    ),
)


def seed_demo_petitions(session: Session, *, now: datetime, code_prefix: str) -> int:
    """Create the demo petitions once (only into an empty database); return how many."""
    if session.scalar(select(func.count(Petition.id))):
        return 0
    created = [_enter(session, row, now, code_prefix) for row in DEMO_PETITIONS]
    _forward_first(session, created[0], now - timedelta(days=5))
    return len(created)


def _enter(
    session: Session, row: tuple[int, str, str, str, str | None], now: datetime, prefix: str
) -> Petition:
    days_ago, channel, ward_code, text, phone = row
    ward = session.scalars(select(Ward).where(Ward.code == ward_code)).one()
    petition = Petition(
        state=PetitionState.DRAFT,
        channel=channel,
        ward_id=ward.id,
        unit_id=session.scalar(select(OrgUnit.id).where(OrgUnit.ward_id == ward.id)),
        callback_phone=phone,
        summary=text[:120],
        text=text,
    )
    session.add(petition)
    session.flush()
    wf.apply_suggestions(session, petition)
    wf.submit(session, petition, now=now - timedelta(days=days_ago), code_prefix=prefix)
    return petition


def _forward_first(session: Session, petition: Petition, when: datetime) -> None:
    """Triage and forward one petition so the demo shows a running agency clock."""
    road = session.scalars(select(Category).where(Category.code == "giao_thong")).one()
    wf.triage(
        session,
        petition,
        actor=wf.SYSTEM,
        category_id=road.id,
        ward_id=petition.ward_id,
        legal_type="kien_nghi",
        urgent=False,
        now=when,
    )
    agency = session.scalars(select(Agency).where(Agency.code == "ubnd_ban_thach")).one()
    wf.forward(
        session,
        petition,
        actor=wf.SYSTEM,
        agency=agency,
        channel="van_ban",
        document_number="12/MTTQ-BTT",
        sent_on=wf.local_date(when),
        now=when,
    )
