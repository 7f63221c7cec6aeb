"""Settings the office may change without an engineer, kept in the database with history.

Each change is a new `SettingChange` row (the newest per key is in force; a NULL value goes
back to the default), and an audit entry. `effective(session, key, default)` is the one way
to read a value: what staff set, else the caller's process default (the environment variable,
where one exists), else the built-in fallback.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers import audit
from storage.models import SettingChange, StaffUser
from storage.models.enums import Role

logger = logging.getLogger(__name__)


class SettingError(ValueError):
    """A value staff typed cannot be used; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class Definition:
    """One editable setting: where it shows, what it means, how its text is read."""

    key: str
    group: str
    label: str
    help: str
    fallback: str
    parse: Callable[[str], Any]
    show: Callable[[Any], str]
    env: str = ""
    admin_only: bool = False


def parse_hours(text: str) -> tuple[tuple[time, time], ...]:
    """'07:30-11:30, 13:30-17:00' → ((07:30, 11:30), (13:30, 17:00)), in order, not overlapping."""
    spans: list[tuple[time, time]] = []
    for part in re.split(r"[,;\n]", text):
        if not part.strip():
            continue
        match = re.fullmatch(r"\s*(\d{1,2})[:h](\d{2})\s*[-–]\s*(\d{1,2})[:h](\d{2})\s*", part)
        if not match:
            raise SettingError(f"«{part.strip()}» không đúng dạng giờ, ví dụ 07:30-11:30.")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise SettingError(f"«{part.strip()}» có giờ hoặc phút không hợp lệ.")
        start, end = time(h1, m1), time(h2, m2)
        if start >= end:
            raise SettingError(f"«{part.strip()}»: giờ bắt đầu phải trước giờ kết thúc.")
        if spans and start < spans[-1][1]:
            raise SettingError("Các buổi làm việc phải theo thứ tự và không chồng lên nhau.")
        spans.append((start, end))
    if not spans:
        raise SettingError("Cần ít nhất một buổi làm việc, ví dụ 07:30-11:30.")
    return tuple(spans)


def show_hours(spans: tuple[tuple[time, time], ...]) -> str:
    return ", ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in spans)


def whole_number(low: int, high: int, unit: str) -> Callable[[str], int]:
    """A parser for an integer between low and high (inclusive)."""

    def parse(text: str) -> int:
        raw = text.strip()
        if not re.fullmatch(r"\d{1,6}", raw):
            raise SettingError(f"Cần một số nguyên {unit} (từ {low} đến {high}).")
        value = int(raw)
        if not low <= value <= high:
            raise SettingError(f"Giá trị phải từ {low} đến {high} {unit}.")
        return value

    return parse


def parse_hotlines(text: str) -> tuple[tuple[str, str], ...]:
    """One line per number, 'số: nơi nhận' (e.g. '114: Cứu hỏa, cứu nạn cứu hộ')."""
    lines: list[tuple[str, str]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        match = re.fullmatch(r"\s*(\+?[\d .]{3,15}?)\s*[:–-]\s*(\S.{0,80}?)\s*", line)
        number = re.sub(r"[ .]", "", match.group(1)) if match else ""
        if not match or not 3 <= len(number.lstrip("+")) <= 12:
            raise SettingError(
                f"Dòng «{line.strip()}» cần dạng «số: nơi nhận», ví dụ «113: Công an»."
            )
        lines.append((number, match.group(2)))
    if not lines:
        raise SettingError("Cần ít nhất một số điện thoại khẩn cấp.")
    if len(lines) > 8:
        raise SettingError("Tối đa 8 số điện thoại khẩn cấp.")
    return tuple(lines)


def show_hotlines(lines: tuple[tuple[str, str], ...]) -> str:
    return "\n".join(f"{number}: {label}" for number, label in lines)


def _days(low: int, high: int, unit: str = "ngày") -> dict[str, Any]:
    return {"parse": whole_number(low, high, unit), "show": str}


_HOURS = "Giờ làm việc"
_RETENTION = "Thời hạn lưu giữ dữ liệu"
_LADDER = "Thang nhắc việc (ngày làm việc)"
_EMERGENCY = "Khẩn cấp"

DEFINITIONS: dict[str, Definition] = {
    d.key: d
    for d in (
        Definition(
            "office_hours",
            _HOURS,
            "Giờ làm việc của cán bộ",
            "Thứ Hai–thứ Sáu, trừ ngày lễ. Ngoài giờ này, bot báo người dân khi nào cán bộ xem.",
            "07:30-11:30, 13:30-17:00",
            parse_hours,
            show_hours,
            env="CONVERSATION_OFFICE_HOURS",
        ),
        Definition(
            "retention.inbound_raw_days",
            _RETENTION,
            "Giữ nội dung gốc của sự kiện Zalo đã xử lý",
            "Sau số ngày này, nội dung gốc (có dữ liệu cá nhân) bị xóa; chỉ giữ khóa chống trùng.",
            "7",
            env="INBOUND_RAW_RETENTION_DAYS",
            admin_only=True,
            **_days(1, 90),
        ),
        Definition(
            "retention.anonymise_months",
            _RETENTION,
            "Ẩn danh dữ liệu cá nhân sau khi đóng hồ sơ",
            "Số tháng sau khi hồ sơ đóng thì xóa tên, số điện thoại, nội dung định danh "
            "(Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15).",
            "24",
            env="ANONYMISE_AFTER_MONTHS",
            admin_only=True,
            **_days(1, 120, "tháng"),
        ),
        Definition(
            "retention.audit_days",
            _RETENTION,
            "Giữ nhật ký hoạt động",
            "Mục nhật ký cũ hơn số ngày này có thể được xóa; không bao giờ xóa mục dưới 365 ngày.",
            "1825",
            admin_only=True,
            **_days(365, 3650),
        ),
        Definition(
            "ladder.agency_remind_before",
            _LADDER,
            "Nhắc cơ quan trước hạn giải quyết",
            "Số ngày làm việc trước hạn thì gửi thư nhắc đầu mối cơ quan.",
            "2",
            **_days(0, 10),
        ),
        Definition(
            "ladder.second_letter_after",
            _LADDER,
            "Văn bản đôn đốc lần 2 sau hạn",
            "Số ngày làm việc sau hạn thì soạn văn bản đôn đốc lần 2 gửi thủ trưởng cơ quan.",
            "10",
            **_days(1, 60),
        ),
        Definition(
            "ladder.agenda_after",
            _LADDER,
            "Đề nghị đưa vào chương trình giám sát sau hạn",
            "Số ngày làm việc sau hạn thì đưa hồ sơ vào danh sách đề nghị Ban Thường trực "
            "giám sát.",
            "20",
            **_days(2, 90),
        ),
        Definition(
            "ladder.decision_warn_before",
            _LADDER,
            "Nhắc cán bộ trước hạn thông báo 10 ngày",
            "Số ngày làm việc trước hạn thông báo hướng giải quyết cho người dân.",
            "2",
            **_days(0, 5),
        ),
        Definition(
            "ladder.feedback_remind_after",
            _LADDER,
            "Hỏi lại ý kiến người dân sau khi gửi kết quả",
            "Số ngày làm việc sau khi gửi kết quả mà chưa có ý kiến thì hỏi lại một lần.",
            "5",
            **_days(1, 20),
        ),
        Definition(
            "ladder.feedback_close_after",
            _LADDER,
            "Tự đóng hồ sơ khi không có ý kiến",
            "Số ngày làm việc sau khi gửi kết quả mà người dân không trả lời thì đóng hồ sơ.",
            "10",
            **_days(2, 30),
        ),
        Definition(
            "emergency.hotlines",
            _EMERGENCY,
            "Số điện thoại khẩn cấp bot gửi người dân",
            "Mỗi dòng một số, dạng «số: nơi nhận». Gửi kèm lời nhắn khi tin nhắn có dấu hiệu "
            "nguy hiểm.",
            "114: Cứu hỏa, cứu nạn cứu hộ\n113: Công an\n115: Cấp cứu y tế",
            parse_hotlines,
            show_hotlines,
        ),
    )
}

#: Pairs that must stay in order: (earlier key, later key, message).
_ORDER = (
    (
        "ladder.second_letter_after",
        "ladder.agenda_after",
        "Văn bản đôn đốc lần 2 phải đến trước khi đề nghị giám sát.",
    ),
    (
        "ladder.feedback_remind_after",
        "ladder.feedback_close_after",
        "Hỏi lại ý kiến phải trước khi tự đóng hồ sơ.",
    ),
)


def definition(key: str) -> Definition:
    """The definition of a key (KeyError for a key that does not exist)."""
    return DEFINITIONS[key]


def latest(session: Session, key: str) -> SettingChange | None:
    """The change in force for a key, if staff ever changed it."""
    return session.scalar(
        select(SettingChange)
        .where(SettingChange.key == key)
        .order_by(SettingChange.id.desc())
        .limit(1)
    )


def effective(session: Session, key: str, default: Any = None) -> Any:
    """The value in force: staff's, else `default` (the process's), else the built-in one."""
    found = DEFINITIONS[key]
    row = latest(session, key)
    if row is not None and row.value is not None:
        try:
            return found.parse(row.value)
        except SettingError:
            logger.warning("stored setting %s no longer parses; using the default", key)
    if default is not None:
        return default
    return found.parse(found.fallback)


def staff_values(session: Session, prefix: str = "") -> dict[str, Any]:
    """The values staff set (not the defaults), parsed, for keys starting with prefix."""
    newest = (
        select(func.max(SettingChange.id))
        .where(SettingChange.key.startswith(prefix))
        .group_by(SettingChange.key)
    )
    out: dict[str, Any] = {}
    for row in session.scalars(select(SettingChange).where(SettingChange.id.in_(newest))):
        if row.value is not None and row.key in DEFINITIONS:
            try:
                out[row.key] = DEFINITIONS[row.key].parse(row.value)
            except SettingError:
                logger.warning("stored setting %s no longer parses; ignored", row.key)
    return out


def ladder_overrides(session: Session) -> dict[str, int]:
    """The reminder-ladder offsets staff changed, as LadderPolicy field names."""
    return {k.removeprefix("ladder."): v for k, v in staff_values(session, "ladder.").items()}


def may_change(role: str, key: str) -> bool:
    """Administrators change everything; supervisors all but the retention periods."""
    return role == Role.ADMIN or (role == Role.SUPERVISOR and not DEFINITIONS[key].admin_only)


def change(
    session: Session, key: str, text: str | None, *, by: StaffUser, now: datetime
) -> str | None:
    """Set (or, with None, reset to default) a setting; returns the stored text."""
    found = DEFINITIONS[key]
    if not may_change(by.role, key):
        raise SettingError("Chỉ quản trị viên được thay đổi cài đặt này.")
    stored = None
    if text is not None:
        value = found.parse(text[:2000])
        _check_order(session, key, value)
        stored = found.show(value)
    row = latest(session, key)
    old = row.value if row is not None else None
    if old == stored:
        return stored
    session.add(SettingChange(key=key, value=stored, changed_by_id=by.id, changed_at=now))
    audit.write(
        session,
        "setting.update",
        now=now,
        actor=by,
        summary=f"Cài đặt «{found.label}»" + (" về mặc định" if stored is None else ""),
        target=("setting", key),
        before={"value": old},
        after={"value": stored},
    )
    return stored


def _check_order(session: Session, key: str, value: Any) -> None:
    for first, second, message in _ORDER:
        if key not in (first, second):
            continue
        a = value if key == first else effective(session, first)
        b = value if key == second else effective(session, second)
        if a >= b:
            raise SettingError(message)


def history(session: Session, key: str, limit: int = 10) -> list[SettingChange]:
    """The latest changes of a key, newest first."""
    return list(
        session.scalars(
            select(SettingChange)
            .where(SettingChange.key == key)
            .order_by(SettingChange.id.desc())
            .limit(limit)
        )
    )
