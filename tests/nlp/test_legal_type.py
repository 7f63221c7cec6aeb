"""Legal type: explicit rules first, then the model or the fallback rules."""

import pytest

from nlp.legal_type import LEGAL_TYPES, suggest
from nlp.normalize import fold


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Tôi tố cáo cán bộ địa chính nhận tiền để làm nhanh hồ sơ", "to_cao"),
        ("Trưởng thôn ăn chặn tiền hỗ trợ hộ nghèo", "to_cao"),
        ("Cán bộ nhận hối lộ của chủ thầu", "to_cao"),
        ("Tôi khiếu nại quyết định thu hồi đất số 123 của UBND", "khieu_nai"),
        ("Gia đình không đồng ý với quyết định bồi thường", "khieu_nai"),
        ("Tôi bị xử phạt sai, đề nghị xem xét lại", "khieu_nai"),
    ],
)
def test_explicit_rules(text, expected):
    assert suggest(text) == expected
    assert suggest(fold(text)) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Cho tôi hỏi làm sổ đỏ lần đầu cần những giấy tờ gì?", "hoi_dap"),
        ("Đề nghị phường lắp thêm đèn chiếu sáng ở hẻm 12", "kien_nghi"),
        ("Cử tri kiến nghị xây nhà văn hóa cho khối phố 4", "kien_nghi"),
        ("Rác ở đầu hẻm bốc mùi ba ngày nay", "phan_anh"),
    ],
)
def test_fallback_rules_without_model(no_models, text, expected):
    assert suggest(text) == expected


def test_model_answers_are_legal_types(use_tiny_models):
    for text in ["Đề nghị sửa đường", "Rác bốc mùi", "Cho hỏi thủ tục?"]:
        assert suggest(text) in LEGAL_TYPES


@pytest.mark.parametrize("text", ["", "   ", "😀", "x" * 100_000, "<script>", "'; --"])
def test_hostile_input(text):
    assert suggest(text) in LEGAL_TYPES
