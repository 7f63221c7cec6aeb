"""Vietnamese subjects and bodies of the reminder emails and admin notifications.

Each key has a subject line and a body with {placeholders}; staff may override either in the
admin view with a ResponseTemplate row (key, title = subject, body). Citizen texts live in
handlers/messages.py, not here.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.fill import fill
from storage.models import ResponseTemplate

logger = logging.getLogger(__name__)

#: Lines listed in one digest; the rest are counted and left to the admin view.
DIGEST_LINES = 50

_SIGNATURE = (
    "\n\n--\nHệ thống tiếp nhận phản ánh, kiến nghị — Ủy ban MTTQ Việt Nam khu vực Tam Kỳ.\n"
    "Thư gửi tự động, vui lòng không trả lời thư này."
)

TEMPLATES: dict[str, tuple[str, str]] = {
    "reminder.triage": (
        "[PAKN] {count} hồ sơ chưa được phân loại đúng hạn — {ward}",
        "Kính gửi cán bộ Ủy ban MTTQ {ward},\n\n"
        "Các hồ sơ sau đã quá thời hạn phân loại (1 ngày làm việc) nhưng chưa được xử lý:\n"
        "{items}\n\nĐề nghị đồng chí phân loại trong ngày. Xem danh sách: {link}",
    ),
    "reminder.triage-hard": (
        "[PAKN] Báo cáo: {count} hồ sơ đến hạn phân loại cuối cùng hôm nay — {ward}",
        "Kính gửi lãnh đạo Ủy ban MTTQ {ward},\n\n"
        "Các hồ sơ sau đến hạn phân loại tối đa (3 ngày làm việc) hôm nay mà vẫn chưa được "
        "phân loại:\n{items}\n\nĐề nghị đồng chí chỉ đạo xử lý. Xem danh sách: {link}",
    ),
    "reminder.decision-warn": (
        "[PAKN] {count} hồ sơ sắp hết hạn thông báo kết quả xử lý (10 ngày) — {ward}",
        "Kính gửi cán bộ Ủy ban MTTQ {ward},\n\n"
        "Các hồ sơ sau sắp hết thời hạn 10 ngày thông báo cho công dân việc giải quyết, "
        "chuyển đơn hoặc không thuộc thẩm quyền (Luật Tiếp công dân, Điều 28):\n{items}\n\n"
        "Xem danh sách: {link}",
    ),
    "reminder.decision-late": (
        "[PAKN] Báo cáo: {count} hồ sơ đã quá hạn thông báo kết quả xử lý — {ward}",
        "Kính gửi lãnh đạo Ủy ban MTTQ {ward},\n\n"
        "Các hồ sơ sau đã quá thời hạn 10 ngày mà công dân chưa được thông báo việc xử lý:\n"
        "{items}\n\nĐề nghị đồng chí chỉ đạo xử lý. Xem danh sách: {link}",
    ),
    "reminder.remind": (
        "[MTTQ Tam Kỳ] Nhắc hạn giải quyết {count} phản ánh, kiến nghị của công dân",
        "Kính gửi {agency},\n\n"
        "Ủy ban MTTQ Việt Nam đã chuyển đến quý cơ quan các phản ánh, kiến nghị sau; thời hạn "
        "giải quyết sắp đến:\n{items}\n\n"
        "Đề nghị quý cơ quan giải quyết và thông tin kết quả cho Ủy ban MTTQ đúng hạn.",
    ),
    "reminder.letters": (
        "[PAKN] {count} văn bản đôn đốc chờ ký — {ward}",
        "Kính gửi cán bộ Ủy ban MTTQ {ward},\n\n"
        "Các cơ quan sau chưa có kết quả giải quyết đúng hạn. Hệ thống đã soạn văn bản đôn đốc "
        "(tệp .docx); đồng chí vui lòng điền số văn bản ({placeholder}), trình ký và gửi cơ quan:"
        "\n{items}\n\nTải văn bản: {link}",
    ),
    "reminder.agenda": (
        "[PAKN] {count} hồ sơ đề nghị đưa vào chương trình giám sát — {ward}",
        "Kính gửi Ban Thường trực Ủy ban MTTQ {ward},\n\n"
        "Các hồ sơ sau đã quá hạn giải quyết 20 ngày làm việc dù đã có 2 văn bản đôn đốc; "
        "hệ thống đã đưa vào danh sách đề nghị giám sát:\n{items}\n\nXem danh sách: {link}",
    ),
    "reminder.liaison": (
        "Hồ sơ chuyển đến {agency}: {count} hồ sơ cần giải quyết",
        "{items}",
    ),
    "reminder.relay": (
        "[PAKN] {count} kết quả của cơ quan chưa được gửi cho công dân — {ward}",
        "Kính gửi cán bộ Ủy ban MTTQ {ward},\n\n"
        "Cơ quan đã có kết quả cho các hồ sơ sau nhưng sau 2 ngày làm việc vẫn chưa được "
        "xem xét và gửi cho công dân:\n{items}\n\nXem danh sách: {link}",
    ),
    "tasks.alert": (
        "[PAKN] KHẨN: {title}",
        "Kính gửi đồng chí {name},\n\nCó việc khẩn cần đồng chí xử lý ngay:\n{title}\n{body}\n\n"
        "Mở: {link}\nViệc cần làm: {tasks}\nĐổi cách nhận thư: {settings}",
    ),
    "tasks.item": (
        "[PAKN] {title}",
        "Kính gửi đồng chí {name},\n\n{title}\n{body}\n\nMở: {link}\nViệc cần làm: {tasks}\n"
        "Đổi cách nhận thư: {settings}",
    ),
    "tasks.digest": (
        "[PAKN] Việc cần làm ngày {date}: {count} việc{urgent}",
        "Kính gửi đồng chí {name},\n\nĐồng chí có {count} việc đang chờ trong mục Việc cần "
        "làm (việc khẩn và mới nhất trước):\n{items}\n\nXem tất cả: {tasks}\n"
        "Tình hình hôm nay: {today}\nĐổi cách nhận thư: {settings}",
    ),
    "reminder.supervisors": (
        "[PAKN] Tình hình hồ sơ ngày {date}",
        "Kính gửi lãnh đạo Ủy ban MTTQ,\n\nTình hình phản ánh, kiến nghị đến ngày {date}:\n"
        "{items}\n\nXem chi tiết: {link}",
    ),
}


@dataclass(frozen=True)
class Rendered:
    """A filled subject and body."""

    subject: str
    body: str


def render(session: Session, key: str, **params: object) -> Rendered:
    """Fill a template (the staff's override if it fills, else the default)."""
    default_subject, default_body = TEMPLATES[key]
    row = session.execute(
        select(ResponseTemplate.title, ResponseTemplate.body).where(
            ResponseTemplate.key == key,
            ResponseTemplate.category_id.is_(None),
            ResponseTemplate.active.is_(True),
        )
    ).first()
    if row is not None:
        try:
            return Rendered(
                fill(row.title or default_subject, params),
                fill(row.body, params) + _SIGNATURE,
            )
        except (KeyError, IndexError, ValueError):
            logger.warning("template override %s does not fill; using the default", key)
    return Rendered(
        default_subject.format_map(dict(params)), default_body.format_map(dict(params)) + _SIGNATURE
    )


def item_lines(lines: Sequence[str], limit: int = DIGEST_LINES) -> str:
    """A bulleted list, cut at `limit` with a count of the rest (digests, not floods)."""
    shown = [f"  - {line}" for line in lines[:limit]]
    if len(lines) > limit:
        shown.append(f"  … và {len(lines) - limit} hồ sơ khác (xem trang quản trị).")
    return "\n".join(shown)


def fmt_date(value: object) -> str:
    """dd/mm/yyyy on screen and in letters."""
    strftime = getattr(value, "strftime", None)
    return strftime("%d/%m/%Y") if strftime else str(value)
