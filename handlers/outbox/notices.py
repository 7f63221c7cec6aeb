"""Status notices: what a template message carries when a consultation message cannot go.

A Zalo consultation message reaches a citizen only within 7 days of their last interaction;
an agency answers in 10 to 45 days. So every status message (received, forwarded, overdue,
extension, result, satisfaction…) is queued with a *notice*: the approved template it falls
back to (a slot: status, result or satisfaction) and that template's parameters. The sender
(`bot.zalo.reach`) uses it when the consultation message cannot reach the citizen.

Parameter names and lengths match the texts submitted to Zalo (docs/zalo-messages.md);
values are cut to the lengths Zalo's parameter types allow.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import date
from typing import Any

#: Notice slots, each one approved template.
STATUS, RESULT, SATISFACTION = "status", "result", "satisfaction"
SLOTS = (STATUS, RESULT, SATISFACTION)

#: Longest value per parameter (Zalo's types: code 30, status 30, date 20, 200 for names).
LIMITS = {
    "ma_ho_so": 30,
    "trang_thai": 30,
    "ngay_cap_nhat": 20,
    "noi_dung": 200,
    "co_quan": 100,
    "ngay_ket_qua": 20,
    "tom_tat": 200,
}

#: Catalogue key → (slot, status label ≤ 30, short line of what changed ({params} of the key)).
NOTICES: dict[str, tuple[str, str, str]] = {
    "notify.received": (STATUS, "Đã tiếp nhận", "Trong 10 ngày sẽ có thông báo hướng giải quyết"),
    "notify.need_info": (STATUS, "Cần bổ sung thông tin", "Cần bổ sung: {what}"),
    "notify.forwarded": (
        STATUS,
        "Đã chuyển cơ quan",
        "Đã chuyển {agency}, hạn giải quyết {due_date}",
    ),
    "notify.overdue": (
        STATUS,
        "Quá hạn, đã đôn đốc",
        "{agency} chưa giải quyết đúng hạn, MTTQ đã đôn đốc",
    ),
    "notify.extended": (STATUS, "Gia hạn giải quyết", "{agency} gia hạn giải quyết đến {due_date}"),
    "notify.closed": (STATUS, "Đã đóng", "Hồ sơ đã đóng ({reason})"),
    "notify.reopened": (STATUS, "Đang xử lý lại", "Hồ sơ được mở lại để xem xét, xử lý tiếp"),
    "notify.result": (RESULT, "Đã có kết quả", "{result}"),
    "notify.answered_by_front": (RESULT, "Đã trả lời", "{answer}"),
    "notify.rating": (SATISFACTION, "Đã có kết quả", ""),
    "notify.feedback_reminder": (SATISFACTION, "Chờ ý kiến", ""),
}

#: Which notices count in the measure of status messages, by its names.
MEASURED = {
    "notify.forwarded": "forwarded",
    "notify.overdue": "overdue",
    "notify.extended": "extension",
    "notify.result": "result",
    "notify.rating": "satisfaction",
    "notify.feedback_reminder": "satisfaction",
}


def cut(value: object, limit: int) -> str:
    """NFC text on one line, at most `limit` characters (an ellipsis marks a cut)."""
    text = " ".join(unicodedata.normalize("NFC", str(value)).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def notice_for(
    key: str, code: str, on: date, params: Mapping[str, Any], *, agency: str | None = None
) -> dict[str, Any] | None:
    """The notice to store with a status message, or None for keys without a template."""
    found = NOTICES.get(key)
    if found is None:
        return None
    slot, label, line = found
    day = f"{on:%d/%m/%Y}"
    try:
        detail = line.format_map(dict(params))
    except (KeyError, IndexError, ValueError):
        detail = ""
    if slot == STATUS:
        data = {"ma_ho_so": code, "trang_thai": label, "ngay_cap_nhat": day, "noi_dung": detail}
    elif slot == RESULT:
        data = {
            "ma_ho_so": code,
            "co_quan": agency or "Ủy ban MTTQ Việt Nam",
            "ngay_ket_qua": day,
            "tom_tat": detail,
        }
    else:
        data = {"ma_ho_so": code, "ngay_ket_qua": day}
    data = {name: cut(value, LIMITS[name]) for name, value in data.items()}
    return {"key": key, "slot": slot, "code": code, "data": data}


def preview(notice: Mapping[str, Any]) -> str:
    """The template's text as the citizen reads it (the thread and the simulator show it)."""
    data = {k: str(v) for k, v in dict(notice.get("data") or {}).items()}
    slot = str(notice.get("slot") or "")
    text = TEXTS.get(slot, "")
    try:
        return text.format_map(data)
    except (KeyError, IndexError, ValueError):
        return " · ".join(data.values())


#: The Vietnamese texts submitted to Zalo for approval (docs/zalo-messages.md has the layout:
#: logo, title, paragraph, table, button). {name} are the template's parameters.
TEXTS = {
    STATUS: (
        "Cập nhật hồ sơ phản ánh, kiến nghị {ma_ho_so}\n"
        "Ủy ban MTTQ Việt Nam thông báo tình trạng hồ sơ Ông/Bà đã gửi:\n"
        "Mã hồ sơ: {ma_ho_so}\nTình trạng: {trang_thai}\nNgày cập nhật: {ngay_cap_nhat}\n"
        "{noi_dung}\nĐể tra cứu, Ông/Bà nhắn cho OA: TRA {ma_ho_so}"
    ),
    RESULT: (
        "Kết quả giải quyết hồ sơ {ma_ho_so}\n"
        "Hồ sơ phản ánh, kiến nghị của Ông/Bà đã có kết quả giải quyết:\n"
        "Mã hồ sơ: {ma_ho_so}\nCơ quan trả lời: {co_quan}\nNgày có kết quả: {ngay_ket_qua}\n"
        "Tóm tắt: {tom_tat}\nĐể xem toàn văn và cho ý kiến, Ông/Bà nhắn cho OA: TRA {ma_ho_so}"
    ),
    SATISFACTION: (
        "Ý kiến về kết quả hồ sơ {ma_ho_so}\n"
        "Ủy ban MTTQ Việt Nam mong nhận ý kiến của Ông/Bà về kết quả giải quyết đã gửi ngày "
        "{ngay_ket_qua}.\nMã hồ sơ: {ma_ho_so}\n"
        "Ông/Bà nhắn cho OA: «Đã giải quyết {ma_ho_so}» hoặc «Chưa giải quyết {ma_ho_so}»."
    ),
}
