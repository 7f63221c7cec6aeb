"""The author recogniser: the citizen's own name and home address, in every common phrasing,
with and without diacritics — and never the person they denounce."""

from __future__ import annotations

import pytest

from nlp import author


def found(text: str) -> list[tuple[str, str]]:
    return [(s.kind, text[s.start : s.end]) for s in author.find(text)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Tôi là Phạm Văn Tố Giác, số điện thoại 0987654321", "Phạm Văn Tố Giác"),
        ("toi la pham van to giac, sdt 0987654321", "pham van to giac"),
        ("TÔI LÀ PHẠM VĂN TỐ GIÁC SỐ ĐIỆN THOẠI 0987654321", "PHẠM VĂN TỐ GIÁC"),
        ("Tên tôi là Lê Văn Tám, tôi xin phản ánh", "Lê Văn Tám"),
        ("ten toi la le van tam toi xin phan anh", "le van tam"),
        ("Tôi tên Nguyễn Thị Hồng Nhung, trú tại Tam Kỳ", "Nguyễn Thị Hồng Nhung"),
        ("tôi tên là Giác", "Giác"),
        ("Em là Võ Thị Hiền hiện ở Tam Phú", "Võ Thị Hiền"),
        ("em la vo thi hien hien o tam phu", "vo thi hien"),
        ("Con là Trần Minh Anh, học sinh lớp 9", "Trần Minh Anh"),
        ("Cháu là Huỳnh Tấn Phát ạ", "Huỳnh Tấn Phát"),
        ("mình là đặng thu thảo nha", "đặng thu thảo"),
        ("Xin chào, tôi là ông Phạm Văn Tố Giác", "Phạm Văn Tố Giác"),
        ("Tôi, Phạm Văn Tố Giác, sinh năm 1980", "Phạm Văn Tố Giác"),
        ("Họ tên: Phạm Văn Tố Giác\nĐịa chỉ: 12 Hùng Vương", "Phạm Văn Tố Giác"),
        ("Họ và tên: PHAM VAN TO GIAC", "PHAM VAN TO GIAC"),
        ("Người tố cáo\n(ký tên)\nPhạm Văn Tố Giác", "Phạm Văn Tố Giác"),
        ("toi la pham van to giac to cao ong nguyen van b", "pham van to giac"),
    ],
)
def test_the_author_s_name(text: str, name: str) -> None:
    assert ("name", name) in found(text)


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Tôi là Phạm Văn Tố Giác, nhà ở 12 Hùng Vương, phường Tam Kỳ. Tôi tố cáo", None),
        ("toi o nha o 12 hung vuong, toi to cao ong b", "12 hung vuong"),
        ("Tôi trú tại số 12 đường Hùng Vương, tố cáo ông B", "số 12 đường Hùng Vương"),
        ("Tên tôi là Giác, trú tại kiệt 45 Phan Chu Trinh", "kiệt 45 Phan Chu Trinh"),
        ("Nhà tôi ở 12/3 Phan Bội Châu, ông B đến nhà", "12/3 Phan Bội Châu"),
        ("Em là Lê Thị Hiền, địa chỉ: tổ 5 thôn Phú Ninh, xã Tam Phú", None),
        ("Tôi, Phạm Văn Tố Giác, thường trú tại 12 Hùng Vương", "12 Hùng Vương"),
        ("Tôi là Phạm Văn Tố Giác, 12 Hùng Vương, tố cáo ông B", "12 Hùng Vương"),
    ],
)
def test_the_author_s_home(text: str, address: str | None) -> None:
    addresses = [value for kind, value in found(text) if kind == "address"]
    assert addresses, text
    if address is not None:
        assert addresses == [address]
    else:
        assert "12 Hùng Vương" in addresses[0] or "tổ 5 thôn Phú Ninh" in addresses[0]


@pytest.mark.parametrize(
    "text",
    [
        "Ông Nguyễn Văn B nhận hối lộ của người dân",
        "Tôi tố cáo ông Nguyễn Văn B, nhà ở 5 Lê Lợi, nhận hối lộ.",
        "toi to cao ong nguyen van b nha o 5 le loi nhan hoi lo",
        "tôi là người dân phường An Mỹ, tố cáo ông Lê Văn E",
        "Tôi là nạn nhân của bà Võ Thị D, trú tại 7 Trần Phú",
        "Cán bộ địa chính Trần Văn C thu tiền tại số 20 Phan Châu Trinh",
        "Đường Hùng Vương đoạn trước số 12 có ổ gà lớn",
        "",
    ],
)
def test_nobody_but_the_author(text: str) -> None:
    assert found(text) == []


def test_the_denounced_stays_when_the_author_is_found() -> None:
    text = (
        "Tôi là Phạm Văn Tố Giác, số điện thoại 0987654321, CCCD 049201001234, nhà ở 12 Hùng "
        "Vương, tôi tố cáo ông Nguyễn Văn B, nhà ở 5 Lê Lợi, nhận hối lộ."
    )
    values = [value for _kind, value in found(text)]
    assert values == ["Phạm Văn Tố Giác", "12 Hùng Vương"]
    assert not any("Nguyễn" in v or "Lê Lợi" in v for v in values)


def test_terms_give_the_house_and_street_alone() -> None:
    text = "Tôi là Lê Văn Tám, nhà ở 12 Hùng Vương, phường Tam Kỳ. Tôi tố cáo ông B."
    assert author.terms(text) == (
        ("name", "Lê Văn Tám"),
        ("address", "12 Hùng Vương, phường Tam Kỳ"),
        ("address", "12 Hùng Vương"),
    )


def test_odd_input_never_raises() -> None:
    for text in ("tôi là", "Tôi là ", "nhà ở", "số 12", "tôi là ông", "\n\n", "12/3/4/5"):
        author.find(text)
    assert author.find(None) == []  # type: ignore[arg-type]
