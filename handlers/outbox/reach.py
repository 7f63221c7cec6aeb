"""How a message reached the citizen, why one waits, and the paid quotas the sender uses.

Each function takes the session first and never commits: the sender calls them in the
transaction that records the send, so a counted quota and a recorded delivery can never
disagree with the outbox row.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from handlers.clock import LOCAL_TZ
from handlers.outbox.notices import RESULT
from handlers.tasks import raise_item
from storage.models import OutboxMessage, Petition, ZaloQuotaUsage
from storage.models.enums import OutboxState, Role

logger = logging.getLogger(__name__)

#: Kinds of message that reach a citizen, as staff and citizens read them.
VIA_LABELS = {
    "cs": "tin nhắn Zalo",
    "template": "tin mẫu Zalo (người quan tâm OA)",
    "transaction": "tin giao dịch Zalo",
    "zns": "tin Zalo đến số điện thoại",
    "email": "thư điện tử",
    "phone": "gọi điện thoại",
    "letter": "văn bản gửi qua bưu điện",
    "in_person": "trực tiếp",
}

#: Why a message waits (codes the sender stores in wait_reason, comma-separated).
REASON_LABELS = {
    "window": "quá 7 ngày kể từ lần cuối người dân nhắn OA",
    "not_follower": "người dân không quan tâm OA",
    "unreachable": "người dân đã chặn OA hoặc tài khoản không hoạt động",
    "no_template": "chưa cấu hình mẫu tin được Zalo duyệt",
    "template_not_approved": "mẫu tin chưa được Zalo duyệt",
    "quota": "đã hết hạn mức tin mẫu",
    "no_phone": "không có số điện thoại được người dân đồng ý nhận tin",
    "phone_unreachable": "số điện thoại không nhận được tin Zalo",
    "off": "gửi tin mẫu đang tắt",
    "not_zalo": "người dân không gửi qua Zalo: cần gọi điện hoặc gửi văn bản báo kết quả",
}

#: Quota periods: template (by user id) per local month, zns (by phone) per local day.
MONTHLY, DAILY = "template", "zns"


def reason_text(codes: str | None) -> str:
    """The Vietnamese reading of a stored wait_reason."""
    parts = [c for c in (codes or "").split(",") if c]
    return "; ".join(REASON_LABELS.get(c, c) for c in parts) or "đang chờ gửi"


def period_of(kind: str, now: datetime) -> str:
    """The quota period `now` falls in (Asia/Ho_Chi_Minh month or day)."""
    local = now.astimezone(LOCAL_TZ)
    return f"{local:%Y-%m}" if kind != DAILY else f"{local:%Y-%m-%d}"


def _usage(session: Session, kind: str, period: str, now: datetime) -> ZaloQuotaUsage:
    row = session.scalar(
        select(ZaloQuotaUsage).where(ZaloQuotaUsage.kind == kind, ZaloQuotaUsage.period == period)
    )
    if row is not None:
        return row
    row = ZaloQuotaUsage(kind=kind, period=period, used=0, updated_at=now)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # another sender created it meanwhile
        found = session.scalar(
            select(ZaloQuotaUsage).where(
                ZaloQuotaUsage.kind == kind, ZaloQuotaUsage.period == period
            )
        )
        assert found is not None  # noqa: S101 - the unique key said it exists
        return found
    return row


@dataclass(frozen=True)
class Quota:
    """One paid kind's allowance: the limit the product counts against and when to warn."""

    kind: str
    limit: int
    warn_percent: int


def quota_open(session: Session, quota: Quota, now: datetime) -> bool:
    """Whether this period still has room (neither counted out nor refused by Zalo)."""
    period = period_of(quota.kind, now)
    row = session.scalar(
        select(ZaloQuotaUsage).where(
            ZaloQuotaUsage.kind == quota.kind, ZaloQuotaUsage.period == period
        )
    )
    if row is None:
        return quota.limit > 0
    if row.exhausted_at is not None or (row.remaining is not None and row.remaining <= 0):
        return False
    return row.used < quota.limit


def count_use(
    session: Session, quota: Quota, now: datetime, *, remaining: int | None = None
) -> None:
    """One more message of this kind; warn administrators once before the quota runs out."""
    period = period_of(quota.kind, now)
    row = _usage(session, quota.kind, period, now)
    session.execute(
        update(ZaloQuotaUsage)
        .where(ZaloQuotaUsage.id == row.id)
        .values(used=ZaloQuotaUsage.used + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if remaining is not None:
        session.execute(
            update(ZaloQuotaUsage)
            .where(ZaloQuotaUsage.id == row.id)
            .values(remaining=remaining)
            .execution_options(synchronize_session=False)
        )
    session.refresh(row)
    _maybe_warn(session, quota, row, now)


def exhausted(session: Session, quota: Quota, now: datetime, reason: str) -> None:
    """Zalo refused for quota or balance: stop using this kind for the period, tell admins."""
    row = _usage(session, quota.kind, period_of(quota.kind, now), now)
    marked = session.execute(
        update(ZaloQuotaUsage)
        .where(ZaloQuotaUsage.id == row.id, ZaloQuotaUsage.exhausted_at.is_(None))
        .values(exhausted_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(marked, "rowcount", 0):
        _alert(
            session,
            now,
            f"Đã hết hạn mức {_kind_label(quota.kind)} ({row.period})",
            f"Zalo từ chối: {reason}. Tin nhắn chuyển sang cách gửi khác hoặc chờ, "
            "hiển thị trong «Tin chưa gửi».",
        )


def _maybe_warn(session: Session, quota: Quota, row: ZaloQuotaUsage, now: datetime) -> None:
    left = quota.limit - row.used
    if row.remaining is not None:
        left = min(left, row.remaining)
    threshold = quota.limit * (100 - quota.warn_percent) / 100
    if left > threshold:
        return
    warned = session.execute(
        update(ZaloQuotaUsage)
        .where(ZaloQuotaUsage.id == row.id, ZaloQuotaUsage.warned_at.is_(None))
        .values(warned_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(warned, "rowcount", 0):
        _alert(
            session,
            now,
            f"Sắp hết hạn mức {_kind_label(quota.kind)} ({row.period})",
            f"Đã dùng {row.used}/{quota.limit}; còn khoảng {max(left, 0)} tin. Cần mua thêm "
            "hạn mức trên Zalo Cloud Account hoặc điều chỉnh cấu hình.",
        )


def _kind_label(kind: str) -> str:
    return "tin mẫu Zalo theo tháng" if kind == MONTHLY else "tin ZNS trong ngày"


def _alert(session: Session, now: datetime, title: str, body: str) -> None:
    raise_item(session, kind="zalo_quota", title=title, body=body, now=now, role=Role.ADMIN)
    logger.warning("quota alert: %s", title)


def delivered(session: Session, message_id: int, *, via: str, now: datetime) -> None:
    """Record the kind that reached the citizen; a result also marks its petition delivered."""
    row = session.get(OutboxMessage, message_id)
    if row is None:
        return
    row.delivered_via = via
    row.wait_reason = None
    notice = (row.payload or {}).get("notice") or {}
    if notice.get("slot") != RESULT or row.petition_id is None:
        return
    petition = session.get(Petition, row.petition_id)
    if petition is not None and petition.result_delivered_at is None:
        petition.result_delivered_at = now
        petition.result_delivered_via = via


def waiting(session: Session, message_id: int, reasons: Iterable[str]) -> None:
    """Why a message has not reached the citizen yet (shown to staff and on the look-up)."""
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(wait_reason=",".join(dict.fromkeys(reasons))[:200])
        .execution_options(synchronize_session=False)
    )


@dataclass(frozen=True)
class Reach:
    """The fate of the latest message to the citizen about one petition."""

    state: str  # sent | waiting | failed | none
    via: str | None
    at: datetime | None
    reason: str | None

    @property
    def reason_text(self) -> str:
        return reason_text(self.reason)

    @property
    def text(self) -> str:
        """One Vietnamese sentence for the petition page, the inbox and the look-up."""
        if self.state == "sent":
            when = f" lúc {self.at.astimezone(LOCAL_TZ):%d/%m/%Y %H:%M}" if self.at else ""
            return f"Đã đến người dân qua {VIA_LABELS.get(self.via or '', self.via)}{when}"
        if self.state == "waiting" and self.reason:
            return f"Đang chờ gửi: {reason_text(self.reason)}"
        if self.state == "waiting":
            return "Đang chờ gửi (sẽ gửi trong ít phút)"
        if self.state == "failed":
            return f"Không gửi được: {self.reason or 'lỗi'} (xem «Tin chưa gửi»)"
        return "Chưa có tin nhắn nào gửi người dân"


def latest(session: Session, petition_ids: Sequence[int]) -> dict[int, Reach]:
    """The latest status message per petition (Zalo notice or result email), per 500 ids."""
    found: dict[int, Reach] = {}
    for start in range(0, len(petition_ids), 500):
        chunk = list(petition_ids[start : start + 500])
        newest = (
            select(func.max(OutboxMessage.id))
            .where(
                OutboxMessage.petition_id.in_(chunk),
                OutboxMessage.kind.in_(("notice", "result_email")),
            )
            .group_by(OutboxMessage.petition_id)
        )
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(newest)))
        for row in rows:
            found[int(row.petition_id or 0)] = _reach_of(row)
        untold = select(Petition.id).where(
            Petition.id.in_([i for i in chunk if i not in found]),
            Petition.result_sent_at.is_not(None),
            Petition.result_delivered_at.is_(None),
        )
        for pid in session.scalars(untold):
            found[pid] = Reach("waiting", None, None, "not_zalo")
    return found


def _reach_of(row: OutboxMessage) -> Reach:
    if row.state == OutboxState.SENT:
        return Reach("sent", row.delivered_via or row.channel, row.sent_at, None)
    if row.state == OutboxState.DEAD:
        return Reach("failed", None, None, (row.last_error or "")[17:] or None)
    reason = row.wait_reason or (row.last_error if row.state == OutboxState.HELD else None)
    return Reach("waiting", None, None, reason)
