"""The kinds of data-subject request and their legal time limits.

Law 91/2025/QH15 on personal data protection and Decree 356/2025/NĐ-CP (in force since
1 January 2026, replacing Decree 13/2023/NĐ-CP and its flat 72 hours): the controller answers a
request within 2 working days and carries it out within a time limit per right, counted in
days from receipt. Like every clock of the project, a limit that falls on a day off moves to
the next working day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from handlers.workflow.calendar import WorkCalendar, add_days, local_date

COPY, CORRECT, WITHDRAW, DELETE = "copy", "correct", "withdraw", "delete"


@dataclass(frozen=True)
class RequestKind:
    """A right the citizen exercises: its Vietnamese name, item kind and time limit."""

    label: str
    item_kind: str
    days: int
    basis: str


KINDS: dict[str, RequestKind] = {
    COPY: RequestKind(
        "Cung cấp bản sao dữ liệu cá nhân", "data_copy", 10, "Luật 91/2025/QH15, NĐ 356/2025"
    ),
    CORRECT: RequestKind(
        "Chỉnh sửa dữ liệu cá nhân", "data_correction", 10, "Luật 91/2025/QH15, NĐ 356/2025"
    ),
    WITHDRAW: RequestKind(
        "Rút lại sự đồng ý xử lý dữ liệu", "consent_withdrawn", 15, "NĐ 356/2025"
    ),
    DELETE: RequestKind(
        "Xóa dữ liệu cá nhân", "data_deletion", 20, "Luật 91/2025/QH15 Điều 14, NĐ 356/2025"
    ),
}

#: Working days within which the citizen hears that the request was received.
ACKNOWLEDGE_WORKING_DAYS = 2

#: How a request reached the Front (a staff member records the ones not made in the chat).
CHANNELS = {
    "zalo": "Qua Zalo",
    "walk_in": "Trực tiếp",
    "letter": "Đơn, thư",
    "phone": "Điện thoại",
    "email": "Thư điện tử",
}


def due_on(kind: str, received_at: datetime, calendar: WorkCalendar) -> date:
    """The last day to carry the request out: N days after receipt, on a working day."""
    limit = add_days(local_date(received_at), KINDS[kind].days)
    return calendar.next_working_day(limit)
