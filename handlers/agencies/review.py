"""Whether a protected petition still waits for staff to review what agencies will read.

Kept free of workflow imports: the workflow's forward step asks it before anything leaves.
"""

from __future__ import annotations

import hashlib

from handlers.agencies.disclosure import is_protected
from storage.models import Petition

#: Why a protected petition cannot be forwarded yet (shown on the petition page).
REVIEW_FIRST = (
    "Đơn tố cáo (hoặc lĩnh vực cần bảo mật): cần xem và xác nhận bản nội dung đã che thông tin "
    "người tố cáo («Bản gửi cơ quan») trước khi chuyển cơ quan."
)


def source_digest(petition: Petition) -> str:
    """A fingerprint of the summary and text a review was made from."""
    source = f"{petition.summary or ''}\x1f{petition.text or ''}"
    return hashlib.sha256(source.encode()).hexdigest()


def needs_review(petition: Petition) -> bool:
    """Protected, and no review yet, or the summary or text changed since the last one."""
    if not is_protected(petition):
        return False
    review = petition.agency_redaction
    return review is None or review.source_digest != source_digest(petition)
