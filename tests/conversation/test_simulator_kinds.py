"""The simulated phone shows template, transaction and ZNS messages as the citizen sees them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.simulator.api import shown, template_slots
from bot.zalo.reach_rules import transaction_payload
from handlers.outbox import notices
from tests.conftest import make_settings

NOTICE = notices.notice_for(
    "notify.result",
    "TK-2612-000042",
    date(2027, 1, 4),
    {"result": "Đã thay bóng đèn đường Hùng Vương."},
    agency="UBND phường Tam Kỳ",
)


def test_each_kind_is_labelled_and_reads_as_the_approved_text(tmp_path: Path) -> None:
    settings = make_settings(
        "sqlite:////unused.sqlite3",
        tmp_path,
        zalo_template_ids=("result=T-RES",),
        zns_template_ids=("result=Z-RES",),
    )
    slots = template_slots(settings)
    assert NOTICE is not None
    by_uid = shown(
        {"kind": "template", "template_id": "T-RES", "template_data": NOTICE["data"], "time": 1},
        slots,
    )
    assert by_uid["label"].startswith("Tin mẫu Zalo từ OA")
    assert "Kết quả giải quyết hồ sơ TK-2612-000042" in by_uid["text"]
    assert "Cơ quan trả lời: UBND phường Tam Kỳ" in by_uid["text"]
    by_phone = shown(
        {
            "kind": "zns",
            "template_id": "Z-RES",
            "template_data": NOTICE["data"],
            "phone": "84905123456",
        },
        slots,
    )
    assert by_phone["label"] == "Thông báo Zalo (ZNS) đến số điện thoại 8490…456"
    assert "Đã thay bóng đèn" in by_phone["text"]
    message = {"attachment": {"type": "template", "payload": transaction_payload(NOTICE)}}
    legacy = shown({"kind": "transaction", "message": message}, slots)
    assert "Mã hồ sơ: TK-2612-000042" in legacy["text"]
    assert legacy["buttons"] == [{"title": "Tra cứu", "payload": "TRA TK-2612-000042"}]
    plain = shown({"kind": "text", "text": "Xin chào", "message": {"text": "Xin chào"}}, slots)
    assert plain["text"] == "Xin chào" and "label" not in plain
