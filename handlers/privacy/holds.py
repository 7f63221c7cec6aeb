"""What the law requires the Front to keep a while longer, so a deletion waits.

Law 91/2025/QH15 Art. 14 lets a controller keep data another law requires, and the purpose of
a petition still being handled is not met yet: its contact details are how the result reaches
the citizen. A tố cáo under handling is also a file the Law on Denunciations 2018 requires to
be kept (the denouncer's identity protected, never erased mid-way). Once such a petition is
closed the deletion goes ahead.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Petition
from storage.models.enums import LegalType, PetitionState

_DONE = (PetitionState.DRAFT, PetitionState.CLOSED)

REASONS = {
    "to_cao": "đơn tố cáo đang được giải quyết; pháp luật về tố cáo yêu cầu lưu hồ sơ đến khi "
    "giải quyết xong",
    "open": "hồ sơ đang được giải quyết; cần thông tin liên hệ để báo kết quả cho Ông/Bà",
}


@dataclass(frozen=True)
class Hold:
    """A petition that must be kept for now, and why (Vietnamese, for the citizen)."""

    code: str
    reason: str


def holds(session: Session, citizen_id: int) -> list[Hold]:
    """The citizen's petitions a deletion must wait for."""
    rows = session.scalars(
        select(Petition)
        .where(Petition.citizen_id == citizen_id, Petition.state.not_in(_DONE))
        .order_by(Petition.id)
    )
    return [
        Hold(p.code or "", REASONS["to_cao" if p.legal_type == LegalType.TO_CAO else "open"])
        for p in rows
    ]


def describe(found: list[Hold]) -> str:
    """One line per held petition: 'TK-2611-000123: <reason>'."""
    return "\n".join(f"{h.code}: {h.reason}" for h in found)
