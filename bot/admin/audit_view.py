"""How audit entries read on screen and in the CSV: names for ids, labels for codes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.admin.lookups import Lookups
from handlers import places, users
from handlers.audit.query import kind_label
from handlers.workflow import LOCAL_TZ, labels
from storage.models import AuditEntry
from storage.models.enums import ActorType

FIELD_LABELS: dict[str, str] = {
    "state": "Trạng thái",
    "category_id": "Lĩnh vực",
    "ward_id": "Phường",
    "legal_type": "Loại đơn",
    "urgent": "Khẩn cấp",
    "assignee_id": "Cán bộ phụ trách",
    "duplicate_of_id": "Trùng với hồ sơ",
    "close_reason": "Lý do đóng",
    "text": "Nội dung",
    "summary": "Tóm tắt",
    "place": "Địa điểm",
    "callback_phone": "Số điện thoại",
    "reporter_name": "Tên người gửi",
    "latitude": "Vĩ độ",
    "longitude": "Kinh độ",
    "display_name": "Họ và tên",
    "email": "Thư điện tử",
    "role": "Vai trò",
    "wards": "Phường phụ trách",
    "agency_id": "Cơ quan",
    "active": "Đang dùng",
    "value": "Giá trị",
    "name": "Tên",
    "full_name": "Tên đầy đủ",
    "description": "Mô tả",
    "default_legal_type": "Loại đơn mặc định",
    "handler_wd": "Hạn giải quyết (ngày làm việc)",
    "confidential": "Bảo mật người gửi",
    "body": "Nội dung",
    "title": "Tiêu đề",
    "kind": "Loại",
    "ward": "Phường",
    "method": "Cách",
    "purpose": "Loại liên kết",
    "expires_at": "Hết hạn",
    "day": "Ngày",
    "working_day": "Ngày làm bù",
    "filters": "Bộ lọc",
    "rows": "Số dòng",
}
_HIDDEN = frozenset({"event_id"})
_WORDS = {
    "invite": "lời mời",
    "reset": "đặt lại",
    "link": "liên kết qua thư",
    "one_time_password": "mật khẩu dùng một lần",
}


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


def who(entry: AuditEntry) -> str:
    """The actor as the viewer shows it."""
    if entry.actor_type == ActorType.CITIZEN:
        return entry.actor_name or "Người dân"
    return entry.actor_name or entry.actor_type


def origin(entry: AuditEntry) -> str:
    """Where the act came from: the client address, Zalo, or the server itself."""
    if entry.address:
        return entry.address
    if entry.actor_type == ActorType.CITIZEN:
        return "Zalo"
    return "Máy chủ" if entry.actor_type == ActorType.SYSTEM else "—"


def changes(entry: AuditEntry, names: Lookups) -> list[Change]:
    """The fields an entry records, before and after, in words."""
    before, after = entry.before or {}, entry.after or {}
    keys = [k for k in dict.fromkeys([*before, *after]) if k not in _HIDDEN]
    return [
        Change(
            FIELD_LABELS.get(k, k),
            value_text(k, before.get(k), names) if k in before else "",
            value_text(k, after.get(k), names) if k in after else "",
        )
        for k in keys
    ]


def value_text(key: str, value: Any, names: Lookups) -> str:
    """One value in words (names for ids, labels for codes)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items()) or "—"
    if isinstance(value, list):
        return ", ".join(value_text(key, v, names) for v in value) or "—"
    found = _named(key, value, names)
    return found if found is not None else _WORDS.get(str(value), str(value))


def _named(key: str, value: Any, names: Lookups) -> str | None:
    tables: dict[str, Any] = {
        "category_id": names.categories,
        "ward_id": names.wards,
        "agency_id": names.agencies,
    }
    if key in tables and isinstance(value, int):
        row = tables[key].get(value)
        return row.name if row is not None else f"#{value}"
    if key == "assignee_id" and isinstance(value, int):
        user = names.staff.get(value)
        return (user.display_name or user.username) if user else f"#{value}"
    if key in ("wards", "ward"):
        by_code = {w.code: w.name for w in names.wards.values()}
        return by_code.get(str(value))
    word_tables = {
        "state": labels.STAFF_STATE_LABELS,
        "legal_type": labels.LEGAL_TYPE_LABELS,
        "default_legal_type": labels.LEGAL_TYPE_LABELS,
        "close_reason": labels.CLOSE_REASON_LABELS,
        "role": users.ROLE_LABELS,
        "kind": places.ALIAS_KINDS,
    }
    if key in word_tables:
        return dict(word_tables[key]).get(str(value), str(value))
    return None


def local_time(entry: AuditEntry) -> str:
    """dd/mm/yyyy HH:MM:SS in Vietnam time (seconds matter in an audit trail)."""
    return entry.at.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M:%S")


def csv_row(entry: AuditEntry, names: Lookups, codes: dict[int, str]) -> list[str]:
    """One CSV line: time, who, from where, kind, petition, subject, summary, changes."""
    return [
        local_time(entry),
        who(entry),
        origin(entry),
        kind_label(entry.kind),
        codes.get(entry.petition_id or 0, ""),
        f"{entry.target_type}:{entry.target_id}" if entry.target_type else "",
        entry.summary,
        "; ".join(
            f"{c.field}: {c.before or '—'} → {c.after or '—'}" for c in changes(entry, names)
        ),
    ]
