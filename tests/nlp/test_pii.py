"""Personal data: every Vietnamese phone format, ID numbers, emails, bank accounts."""

import time

import pytest

from nlp import pii


@pytest.mark.parametrize(
    "text, value",
    [
        ("Gọi tôi số 0905123456 nhé", "0905123456"),
        ("sđt: 0905 123 456", "0905 123 456"),
        ("liên hệ 0905.123.456", "0905.123.456"),
        ("số 0905-123-456 ạ", "0905-123-456"),
        ("+84 905 123 456", "+84 905 123 456"),
        ("zalo 84905123456", "84905123456"),
        ("(+84) 905 123 456", "(+84) 905 123 456"),
        ("nhà 0235 3812 345", "0235 3812 345"),
        ("gọi 0386123456 hoặc", "0386123456"),
    ],
)
def test_phone_formats_found_with_exact_span(text, value):
    spans = pii.find(text)
    assert [s.kind for s in spans] == ["phone"]
    assert text[spans[0].start : spans[0].end] == value


@pytest.mark.parametrize(
    "text, kind",
    [
        ("CCCD 048090001234", "cccd"),
        ("căn cước: 048 090 001 234", "cccd"),
        ("số định danh 049190012345 của tôi", "cccd"),
        ("CMND 201234567", "cccd"),
        ("email nguyenvana@gmail.com nhé", "email"),
        ("gửi về tran.thi-b+pakn@tamky.danang.gov.vn", "email"),
        ("STK 0041000123456 Vietcombank", "bank_account"),
        ("số tài khoản: Agribank 4000 2051 23456", "bank_account"),
        ("chuyển vào tk 19031234567890 techcombank", "bank_account"),
        ("thẻ 9704123412341234", "bank_account"),
    ],
)
def test_other_kinds(text, kind):
    assert [s.kind for s in pii.find(text)] == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "TRA TK-2611-000123",
        "Quyết định số 1234/QĐ-UBND ngày 12/10/2024",
        "giá 500.000.000 đồng, 1.200 hộ, năm 2025",
        "số nhà 123 đường 0905",
        "đường 12m, cách 300 mét, 3 tháng",
        "",
    ],
)
def test_no_false_positive_on_ordinary_numbers(text):
    assert pii.find(text) == []
    assert pii.mask(text) == text


def test_mask_labels_and_partial_style():
    text = "Tôi tên A, sđt 0905123456, email a.b@gmail.com, CCCD 048090001234"
    assert pii.mask(text) == "Tôi tên A, sđt [SĐT], email [EMAIL], CCCD [CCCD]"
    partial = pii.mask(text, style="partial")
    assert "09******56" in partial
    assert "a.*@gmail.com" in partial
    assert "0905123456" not in partial


def test_kinds_in_order_of_appearance():
    assert pii.kinds("a@b.vn rồi 0905123456 rồi c@d.vn") == ("email", "phone")


def test_two_phones_separated_by_comma():
    assert pii.mask("0905123456,0912345678") == "[SĐT],[SĐT]"


@pytest.mark.parametrize(
    "hostile", ["", "😀" * 1000, "\x00\x01\x02", "1" * 100_000, "0905 " * 20_000]
)
def test_hostile_input_is_fast_and_safe(hostile):
    start = time.perf_counter()
    masked = pii.mask(hostile)
    assert isinstance(masked, str)
    assert time.perf_counter() - start < 1.0


def test_non_string_passes_through_mask():
    assert pii.mask(None) is None  # type: ignore[arg-type]
    assert pii.find(12345) == []  # type: ignore[arg-type]


def test_log_line_cost_is_small():
    line = "INFO handlers.petition: petition 123 created for user 45 in 12.3 ms"
    start = time.perf_counter()
    for _ in range(10_000):
        pii.mask(line)
    per_call = (time.perf_counter() - start) / 10_000
    assert per_call < 100e-6
