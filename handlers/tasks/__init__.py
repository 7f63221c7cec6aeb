"""Việc cần làm: everything the workflow raises for a person, until someone has handled it.

Writers call `raise_item`; the workflow calls `settle` when an action handles an item; the
admin view lists, finishes and snoozes; the email jobs send urgent items at once and the rest
as a daily digest, as each person chose.
"""

from handlers.tasks.audience import is_visible, visible_clause, waiting_clause
from handlers.tasks.items import (
    NewItem,
    finish,
    raise_item,
    raise_items,
    reopen,
    settle,
    settle_item,
    snooze,
)
from handlers.tasks.kinds import HIGH, NORMAL, PRIORITY_LABELS, URGENT, kind_label, kind_of
from handlers.tasks.lists import TABS, count_waiting, item_for, items_for

#: How a person gets items by email (StaffUser.email_mode), in the settings form's order.
EMAIL_MODES = {
    "digest": "Việc khẩn gửi ngay; các việc khác gộp một thư mỗi sáng ngày làm việc",
    "all": "Gửi ngay từng việc",
    "urgent": "Chỉ gửi việc khẩn",
    "off": "Không gửi thư",
}

__all__ = [
    "EMAIL_MODES",
    "HIGH",
    "NewItem",
    "NORMAL",
    "PRIORITY_LABELS",
    "TABS",
    "URGENT",
    "count_waiting",
    "finish",
    "is_visible",
    "item_for",
    "items_for",
    "kind_label",
    "kind_of",
    "raise_item",
    "raise_items",
    "reopen",
    "settle",
    "settle_item",
    "snooze",
    "visible_clause",
    "waiting_clause",
]
