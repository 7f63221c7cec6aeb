"""Reading the audit log: filters by person, petition, kind and period; pages; purging.

Purging only ever removes entries older than the retention setting, and never younger than
the database triggers allow (a year), so the office cannot erase recent history by mistake.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, or_, select
from sqlalchemy.orm import Session

from handlers.jobs import JobContext
from handlers.office_settings import effective
from handlers.workflow.labels import ACTION_LABELS
from storage.db import transaction
from storage.models import AuditEntry
from storage.models.audit import AUDIT_DELETE_FLOOR_DAYS

#: Filter groups: id → (label, kind prefixes).
GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "auth": ("Đăng nhập, mật khẩu", ("auth.",)),
    "pii": ("Xem dữ liệu cá nhân", ("pii.",)),
    "export": ("Xuất dữ liệu", ("export.",)),
    "petition": ("Thay đổi hồ sơ", ("petition.",)),
    "user": ("Tài khoản cán bộ", ("user.",)),
    "agency": ("Cơ quan, đầu mối, quy tắc chuyển", ("agency.", "liaison.", "routing.")),
    "knowledge": ("Câu trả lời hỏi đáp", ("knowledge.",)),
    "template": ("Mẫu tin nhắn", ("template.", "reply.")),
    "setting": ("Cài đặt", ("setting.",)),
    "reference": (
        "Danh mục (lĩnh vực, phường, địa danh, ngày nghỉ)",
        ("category.", "ward.", "place.", "holiday."),
    ),
}

KIND_LABELS: dict[str, str] = {
    "auth.login": "Đăng nhập",
    "auth.login_failed": "Đăng nhập không thành công",
    "auth.lockout": "Tạm dừng đăng nhập (nhập sai nhiều lần)",
    "auth.logout": "Đăng xuất",
    "auth.logout_all": "Đăng xuất mọi thiết bị",
    "auth.logout_device": "Đăng xuất một thiết bị khác",
    "auth.password_changed": "Đổi mật khẩu",
    "auth.password_set": "Đặt mật khẩu qua liên kết",
    "pii.petition": "Xem hồ sơ (dữ liệu cá nhân)",
    "pii.file": "Mở tệp đính kèm",
    "pii.messages": "Xem tin chưa gửi",
    "export.report": "Tải báo cáo (Word, Excel)",
    "export.slip": "Tải phiếu chuyển",
    "export.audit": "Xuất nhật ký hoạt động",
    "export.inbox": "Xuất danh sách hồ sơ (CSV, Excel)",
    "user.create": "Tạo tài khoản",
    "user.update": "Sửa tài khoản",
    "user.disable": "Vô hiệu hóa tài khoản",
    "user.enable": "Kích hoạt lại tài khoản",
    "user.reset_password": "Đặt lại mật khẩu",
    "user.link_sent": "Gửi liên kết đặt mật khẩu",
    "template.update": "Sửa mẫu tin nhắn",
    "template.reset": "Khôi phục mẫu mặc định",
    "reply.save": "Lưu mẫu trả lời",
    "reply.delete": "Xóa mẫu trả lời",
    "setting.update": "Thay đổi cài đặt",
    "category.create": "Thêm lĩnh vực",
    "category.update": "Sửa lĩnh vực",
    "ward.update": "Sửa tên phường",
    "place.add": "Thêm địa danh",
    "place.remove": "Xóa địa danh",
    "holiday.save": "Lưu ngày nghỉ",
    "holiday.delete": "Xóa ngày nghỉ",
    "agency.create": "Thêm cơ quan",
    "agency.update": "Sửa thông tin cơ quan",
    "liaison.create": "Tạo tài khoản đầu mối cơ quan",
    "liaison.link": "Gắn tài khoản đầu mối vào cơ quan",
    "liaison.unlink": "Gỡ tài khoản đầu mối khỏi cơ quan",
    "routing.create": "Thêm quy tắc chuyển",
    "routing.update": "Sửa quy tắc chuyển",
    "routing.delete": "Xóa quy tắc chuyển",
    "knowledge.create": "Thêm câu trả lời hỏi đáp",
    "knowledge.update": "Sửa câu trả lời hỏi đáp",
    "knowledge.show": "Bật câu trả lời hỏi đáp",
    "knowledge.hide": "Tắt câu trả lời hỏi đáp",
}


def kind_label(kind: str) -> str:
    """The Vietnamese name of a kind ('Hồ sơ: Chuyển cơ quan' for petition changes)."""
    if kind.startswith("petition."):
        action = kind.removeprefix("petition.")
        return "Hồ sơ: " + ACTION_LABELS.get(action, action)
    return KIND_LABELS.get(kind, kind)


@dataclass(frozen=True)
class Filter:
    """What the viewer asks for; every field optional. `end` is exclusive."""

    actor_type: str | None = None
    actor_id: int | None = None
    petition_id: int | None = None
    group: str | None = None
    start: datetime | None = None
    end: datetime | None = None

    def clauses(self) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if self.actor_type:
            found.append(AuditEntry.actor_type == self.actor_type)
        if self.actor_id is not None:
            found.append(AuditEntry.actor_id == self.actor_id)
        if self.petition_id is not None:
            found.append(AuditEntry.petition_id == self.petition_id)
        if self.group in GROUPS:
            prefixes = GROUPS[self.group][1]
            found.append(or_(*(AuditEntry.kind.startswith(p) for p in prefixes)))
        if self.start is not None:
            found.append(AuditEntry.at >= self.start)
        if self.end is not None:
            found.append(AuditEntry.at < self.end)
        return found


def page(
    session: Session, filters: Filter, *, limit: int = 50, before_id: int | None = None
) -> list[AuditEntry]:
    """Newest first; the next page starts before the last id shown."""
    query = select(AuditEntry).where(*filters.clauses())
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return list(session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit)))


def stream(
    session: Session, filters: Filter, *, chunk: int = 1000, cap: int = 50_000
) -> Iterator[AuditEntry]:
    """Matching entries, newest first, read in chunks of `chunk`, at most `cap` of them."""
    before: int | None = None
    sent = 0
    while sent < cap:
        rows = page(session, filters, limit=min(chunk, cap - sent), before_id=before)
        if not rows:
            return
        yield from rows
        sent += len(rows)
        before = rows[-1].id


def purge(session: Session, *, now: datetime) -> int:
    """Delete entries older than the retention setting (never younger than a year)."""
    days = max(int(effective(session, "retention.audit_days")), AUDIT_DELETE_FLOOR_DAYS + 1)
    result = session.execute(
        delete(AuditEntry)
        .where(AuditEntry.at < now - timedelta(days=days))
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def purge_job(ctx: JobContext) -> Mapping[str, Any]:
    """Nightly: delete audit entries past their retention period."""
    with transaction(ctx.sessions) as session:
        return {"deleted": purge(session, now=ctx.now)}
