"""Intent: rules for what form makes certain, the model for the rest."""

import pytest

from nlp.intent import INTENTS, detect


@pytest.mark.parametrize(
    "text, intent",
    [
        ("TRA TK-2611-000123", "status_lookup"),
        ("tra tk-2611-000123", "status_lookup"),
        ("TK-2611-000123", "status_lookup"),
        ("Đồng ý", "consent_yes"),
        ("dạ đồng ý ạ", "consent_yes"),
        ("ok", "consent_yes"),
        ("Không đồng ý", "consent_no"),
        ("ko", "consent_no"),
        ("Xin chào", "greeting"),
        ("chào ad ạ", "greeting"),
        ("Cảm ơn nhiều nhé", "thanks"),
        ("tks", "thanks"),
        ("đm bot ngu", "abuse"),
        ("Vay tiền nhanh lãi suất thấp, giải ngân trong ngày, inbox ngay", "spam"),
        ("Khuyến mãi lớn tại shopabc.vn", "spam"),
    ],
)
def test_rules(no_models, text, intent):
    assert detect(text) == intent


def test_long_complaint_is_a_petition_even_with_swearing(no_models):
    text = "đm đường trước nhà ngập cả tuần nay không ai sửa, xe máy chết máy hoài, đề nghị xử lý"
    assert detect(text) == "petition"


def test_model_is_used_for_the_rest(use_tiny_models):
    assert detect("Trạm y tế phường thiếu thuốc bảo hiểm y tế, bác sĩ thái độ kém") == "petition"
    assert detect("bot này làm gì vậy") in INTENTS


@pytest.mark.parametrize("text", ["", "   ", "😀😀", "\x00", "x" * 100_000, "<b>hi</b>", "'; --"])
def test_hostile_input(text):
    assert detect(text) in INTENTS


@pytest.mark.parametrize(
    "text, not_this",
    [
        ("dùng nội dung đó", "abuse"),  # "dụng" as in "vô dụng", 41 % sure: not a warning
        ("dung noi dung do", "abuse"),
        ("aaaa", "consent_yes"),  # consent is given plainly or not at all
    ],
)
def test_the_shipped_model_acts_on_a_citizen_only_when_sure(text, not_this):
    assert detect(text) != not_this


def test_a_sure_insult_is_still_abuse_without_a_listed_word():
    assert detect("đồ vô dụng") == "abuse"
