"""A tố cáo as the security probe wrote it: the author names themself and their home in the
text, and the petition itself knows no name (no reporter name, no Zalo display name)."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from nlp.normalize import fold
from storage.models import Agency, Petition, PetitionMessage, StaffUser
from tests.agencies import helpers as a

TEXT = (
    "Tôi là Phạm Văn Tố Giác, số điện thoại 0987654321, CCCD 049201001234, nhà ở 12 Hùng "
    "Vương, phường Tam Kỳ. Tôi tố cáo ông Nguyễn Văn B, cán bộ địa chính phường, nhận hối lộ "
    "khi làm thủ tục tách thửa."
)
PHONE, ID_NUMBER = "0987654321", "049201001234"
_NAME = re.compile(r"pham[\W_]+van[\W_]+to[\W_]+giac")
_HOME = re.compile(r"12[\W_]+hung[\W_]+vuong")


def leaks(text: str) -> list[str]:
    """Every trace of the author: the name or the house in any case or spelling, the numbers."""
    folded = fold(html.unescape(text))
    digits = re.sub(r"\D", "", text)
    found = [p.pattern for p in (_NAME, _HOME) if p.search(folded)]
    return found + [n for n in (PHONE, PHONE[1:], ID_NUMBER) if n in digits]


def denunciation(s: Session, t0: datetime) -> tuple[Petition, StaffUser, StaffUser, Agency]:
    """The petition (no reporter name, no display name), its files, a later addition."""
    police, liaison = a.agency(s, "ca_tam_ky", ("vanthu@congan.test",), "lienlac.ca")
    assert liaison is not None and police.id
    officer = a.officer(s)
    p = a.triaged(s, officer, t0, category="tham_nhung_tieu_cuc", legal_type="to_cao", text=TEXT)
    assert p.citizen is not None and not p.reporter_name
    p.citizen.display_name = None
    p.citizen.phone = PHONE
    s.add(
        PetitionMessage(
            petition_id=p.id,
            citizen_id=p.citizen_id,
            direction="in",
            text="bo sung: toi la PHAM VAN TO GIAC, nha o 12 hung vuong, co ghi am",
            created_at=t0 + timedelta(minutes=30),
        )
    )
    s.flush()
    return p, officer, liaison, police
