"""The bot's own grammar: typed commands with or without diacritics, and button payloads."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from bot.runtime import conversation_config
from config import load_settings
from handlers.conversation.commands import Command, find_code, parse_payload, parse_text
from handlers.conversation.config import parse_office_hours


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TRA TK-2611-000123", Command("lookup", "TK-2611-000123")),
        ("tra cứu tk 2611 123", Command("lookup", "TK-2611-000123")),
        ("tinh trang ho so TK-2611-000123", Command("lookup", "TK-2611-000123")),
        ("Tình trạng", Command("lookup", None)),
        ("TK-2611-000123", Command("lookup", "TK-2611-000123")),
        ("ds", Command("list")),
        ("Danh sách hồ sơ", Command("list")),
        ("Rút", Command("withdraw", None)),
        ("rut ho so TK-2611-000007", Command("withdraw", "TK-2611-000007")),
        ("rút đồng ý", Command("withdraw_consent")),
        ("đồng ý", Command("consent", "yes")),
        ("dong y", Command("consent", "yes")),
        ("Không đồng ý", Command("consent", "no")),
        ("Dữ liệu của tôi", Command("data")),
        ("GỬI", Command("send")),
        ("Sửa", Command("edit")),
        ("bỏ qua", Command("skip")),
        ("4 sao", Command("rating", None, "4")),
        ("đã giải quyết", Command("kq", None, "1")),
        ("chua giai quyet TK-2611-000001", Command("kq", "TK-2611-000001", "0")),
        ("MO LAI TK-2611-000001", Command("reopen", "TK-2611-000001")),
        ("#ward:tam_ky", Command("ward", "tam_ky")),
        ("#rut_ok:TK-2611-000001", Command("rut_ok", "TK-2611-000001")),
    ],
)
def test_commands(text: str, expected: Command) -> None:
    assert parse_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Đường bị ổ gà lớn, đề nghị rút kinh nghiệm và sửa gấp",
        "Tôi đã báo 3 lần mà vẫn chưa giải quyết, nước ngập cả tuần nay rồi ạ",
        "Trà sữa ở chợ bán cho học sinh không rõ nguồn gốc",
        "Xem giúp em cái cống trước nhà bị tắc từ tuần trước đến giờ",
    ],
)
def test_petition_text_is_not_a_command(text: str) -> None:
    assert parse_text(text) is None


def test_codes_of_another_prefix_or_a_bad_month_are_not_codes() -> None:
    assert find_code("TK-2613-000001") is None
    assert find_code("AB-2611-000001") is None
    assert find_code("AB-2611-000001", prefix="AB") == "AB-2611-000001"


def test_a_payload_with_spaces_is_text() -> None:
    assert parse_payload("#KQ TK-2611-000001 DA_GIAI_QUYET") is None


def test_office_hours_and_settings(tmp_path: Path) -> None:
    assert parse_office_hours("07:00-11:00, 13:00-17:30") == (
        (time(7), time(11)),
        (time(13), time(17, 30)),
    )
    with pytest.raises(ValueError, match="office hours"):
        parse_office_hours("17:00-07:00")

    settings = load_settings(
        environ={},
        env_file=tmp_path / "no.env",
        testing=True,
        conversation_gather_ms=2500,
        conversation_draft_ttl_hours=12,
        conversation_rate_limit=5,
        conversation_abuse_flag_after=2,
        conversation_office_hours=("08:00-12:00",),
        consent_version="2027-01",
    )
    config = conversation_config(settings)
    assert config.gather_seconds == 2.5 and config.draft_ttl_hours == 12
    assert config.office_hours == ((time(8), time(12)),)
    assert config.consent_version == "2027-01"
