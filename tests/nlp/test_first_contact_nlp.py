"""Everyday requests, questions, insults, language, places, ID masking, two problems, matching."""

from __future__ import annotations

import pytest

from nlp import everyday, places, problems
from nlp.intent import detect
from nlp.pii import mask_ids
from nlp.similarity import Index
from nlp.wards import resolve


@pytest.mark.parametrize(
    "text, kind",
    [
        ("thôi có nước lại rồi, cho em rút đơn nha", "withdraw_petition"),
        ("à e nhầm, xã Tam Thăng chứ ko phải Tam Thanh", "correction"),
        ("thôi tôi rút lại đồng ý", "withdraw_consent"),
        ("thoi toi rut lai dong y", "withdraw_consent"),
        ("tôi muốn xoá hết thông tin cá nhân của tôi", "delete_data"),
        ("trả lời đi", "status_nudge"),
        ("sao chưa thấy trả lời", "status_nudge"),
        ("hồ sơ của tôi sao chưa thấy ai trả lời vậy", "status_nudge"),
        ("đường trước nhà ngập, sao không ai xử lý", None),
        ("Đèn đường ở kiệt 45 tắt cả tuần nay", None),
        ("đồng ý", None),
    ],
)
def test_everyday_requests(text: str, kind: str | None) -> None:
    assert everyday.everyday(text) == kind


@pytest.mark.parametrize(
    "text, kind",
    [
        ("tôi muốn xem dữ liệu của tôi", "data_view"),
        ("t muốn xem dl của t", "data_view"),
        ("các anh lưu những gì về tôi vậy", "data_view"),
        ("cho toi ban sao du lieu", "data_copy"),
        ("gửi cho tôi thông tin các người lưu về tôi", "data_copy"),
        ("cho e xin lại thông tin cá nhân bên mình đang giữ", "data_copy"),
        ("toi muon sua thong tin ca nhan", "data_correct"),
        ("sua so dien thoai cua toi thanh 0905123456", "data_correct"),
        ("sđt của em bị sai rồi", "data_correct"),
        ("đổi sđt của mình giùm", "data_correct"),
        ("xoa het thong tin cua toi di", "delete_data"),
        # Petitions and look-ups that mention data or information stay what they are.
        ("xem thông tin hồ sơ của tôi", None),
        ("đề nghị công khai thông tin dự án khu dân cư An Phú", None),
        ("Xin thông tin về lịch cắt điện tuần này", None),
        ("Phường cập nhật thông tin cá nhân trên VNeID cho mẹ tôi bị sai năm sinh", None),
        ("tôi muốn phản ánh việc lộ thông tin cá nhân của tôi ở tổ dân phố", None),
        ("đề nghị sửa đường Phan Châu Trinh đoạn trước chợ", None),
    ],
)
def test_requests_about_ones_own_data(text: str, kind: str | None) -> None:
    assert everyday.everyday(text) == kind


def test_withdrawing_consent_is_never_consent() -> None:
    assert detect("thôi tôi rút lại đồng ý") == "withdraw_consent"
    assert detect("đồng ý") == "consent_yes"


@pytest.mark.parametrize(
    "text, asking",
    [
        ("cho hỏi ubnd phường tam kỳ làm việc mấy giờ, thứ 7 có làm ko", True),
        ("MTTQ phường Bàn Thạch ở đâu, sđt bao nhiêu", True),
        ("làm giấy xác nhận tình trạng hôn nhân cần giấy tờ gì", True),
        ("Rác thải đổ bừa bãi ven đường, bốc mùi hôi suốt tuần nay", False),
    ],
)
def test_questions(text: str, asking: bool) -> None:
    assert everyday.is_question(text) is asking


def test_insults() -> None:
    assert everyday.only_insults("đồ ngu") and everyday.only_insults("đm mấy thằng ăn hại")
    long_one = "đm đường trước nhà ngập cả tuần nay không ai sửa, xe máy chết máy hoài"
    assert not everyday.only_insults(long_one) and everyday.insults(long_one) == 1


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Hello, I want to report a broken street light near my hotel", "en"),
        ("hi, where is the office?", "en"),
        ("hello ad", "vi"),
        ("duong bi ngap nuoc o an my", "vi"),
        ("你好，我想反映问题", "other"),
        ("", "vi"),
    ],
)
def test_language(text: str, lang: str) -> None:
    assert everyday.language(text) == lang


def test_negated_names_do_not_name_the_ward() -> None:
    assert resolve("ở Hội An mà, không phải Tam Kỳ") is None
    match = resolve("à e nhầm, xã Tam Thăng chứ ko phải Tam Thanh")
    assert match is not None and match.code == "ban_thach"


@pytest.mark.parametrize(
    "text, name",
    [
        ("ở Hội An mà, không phải Tam Kỳ", "Hội An"),
        ("nha toi o hoi an", "Hội An"),
        ("tôi ở Hà Nội, đường nhà tôi ngập", "Hà Nội"),
        ("xã Tam Xuân có đường hư", "Tam Xuân"),
        ("ở tp Hồ Chí Minh", "Hồ Chí Minh"),
        ("nhà tôi ở sài gòn", "Hồ Chí Minh"),
        ("đường trước chợ Hội An ngập", "Hội An"),
    ],
)
def test_places_outside_the_area(text: str, name: str) -> None:
    found = places.elsewhere(text)
    assert found is not None and found.name == name


@pytest.mark.parametrize(
    "text",
    ["cống ở An Mỹ bị tắc", "đường Hà Nội bị ngập ở An Xuân", "Đà Nẵng", "thành phố Tam Kỳ", ""],
)
def test_places_inside_or_streets(text: str) -> None:
    assert places.elsewhere(text) is None


def test_the_2025_units_come_from_the_package() -> None:
    found = places.elsewhere("phường Hội An Tây bị ngập")
    assert found is not None and found.province == "Đà Nẵng"  # vietnam-provinces' data


def test_nearest_ward() -> None:
    near = places.nearest_ward(15.6190, 108.4795)
    assert near is not None and near.code == "ban_thach" and near.inside
    far = places.nearest_ward(16.0544, 108.2022)
    assert far is not None and not far.inside and far.km > 15
    assert places.nearest_ward(999, 0) is None


def test_id_and_bank_numbers_are_starred_phones_are_not() -> None:
    out = mask_ids("CCCD 049203001234, sdt 0905123456, stk 0071000123456")
    assert "04********34" in out and "0905123456" in out and "00*********56" in out
    assert mask_ids("không có số") == "không có số"


def test_two_problems() -> None:
    two = (
        "Đường Hùng Vương trước chợ có ổ gà rất lớn, xe máy té hoài. "
        "Ngoài ra đèn đường ở kiệt 12 tắt cả tuần nay, tối đen nguy hiểm"
    )
    first, second = problems.split(two)
    assert "ổ gà" in first and "đèn đường" in second
    assert problems.split("Rác thải đổ bừa bãi ven đường, ngoài ra còn bốc mùi hôi") == []
    assert problems.split("x" * 5000) == []


def test_similarity_matches_by_meaning_not_exact_phrase() -> None:
    index = Index(["giờ làm việc\nmấy giờ làm việc", "địa chỉ số điện thoại mặt trận"])
    hits = index.best("thứ 7 có làm việc không, mấy giờ mở cửa")
    assert hits and hits[0].index == 0
    assert index.best("sdt mttq")[0].index == 1
    assert Index([]).best("x") == []
