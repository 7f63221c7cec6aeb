"""Seed reference data from the shared taxonomy and workflow documents.

Administrators edit all of this afterwards; seeding only adds what is missing.
"""

from __future__ import annotations

WARDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("tam_ky", "Tam Kỳ", ("An Mỹ", "An Xuân", "Trường Xuân", "Phước Hòa")),
    ("quang_phu", "Quảng Phú", ("An Phú", "Tam Phú", "Tam Thanh")),
    ("ban_thach", "Bàn Thạch", ("Tân Thạnh", "Hòa Thuận", "Tam Thăng")),
    ("huong_tra", "Hương Trà", ("An Sơn", "Hòa Hương", "Tam Ngọc")),
)

CITY_UNIT = ("tk", "Ủy ban MTTQ Việt Nam khu vực Tam Kỳ")

CATEGORIES: tuple[tuple[str, str, str], ...] = (
    (
        "dat_dai",
        "Đất đai, bồi thường, GPMB, tái định cư",
        "Sổ đỏ, tranh chấp đất, thu hồi đất, bồi thường, giải phóng mặt bằng, tái định cư, giá đất",
    ),
    (
        "xay_dung_do_thi",
        "Xây dựng, trật tự đô thị, quy hoạch",
        "Xây dựng trái phép, giấy phép xây dựng, lấn chiếm vỉa hè, buôn bán lòng đường, quảng cáo, "
        "quy hoạch, quy hoạch treo",
    ),
    (
        "giao_thong",
        "Giao thông, đường sá, cầu cống",
        "Đường hư hỏng, ổ gà, cầu, làm đường mới, đèn tín hiệu, biển báo, an toàn giao thông, "
        "gờ giảm tốc, xe buýt",
    ),
    (
        "ha_tang_dien_nuoc",
        "Điện, nước sạch, chiếu sáng, thoát nước, ngập úng",
        "Mất điện, công tơ, hóa đơn, đèn đường, nước sạch, mương thoát nước, cống, ngập úng",
    ),
    (
        "moi_truong",
        "Môi trường, rác thải, ô nhiễm, cây xanh",
        "Thu gom rác, đổ rác trái phép, mùi hôi, khói, bụi, nước thải, chất thải chăn nuôi, "
        "đốt rác, cây xanh, công viên",
    ),
    (
        "an_ninh_trat_tu",
        "An ninh trật tự, tệ nạn xã hội",
        "Trộm cắp, ma túy, cờ bạc, đánh nhau, tín dụng đen, lừa đảo, karaoke ồn ào về đêm, "
        "gây rối trật tự công cộng",
    ),
    (
        "an_sinh_xa_hoi",
        "Chính sách xã hội, giảm nghèo, lao động – việc làm",
        "Hộ nghèo, cận nghèo, người có công, trợ cấp người cao tuổi, người khuyết tật, BHXH, "
        "nhà Đại đoàn kết, việc làm, tiền lương, hỗ trợ hộ gia đình",
    ),
    (
        "y_te",
        "Y tế, BHYT, an toàn thực phẩm",
        "Trạm y tế, bệnh viện, thẻ BHYT, dịch bệnh (sốt xuất huyết), tiêm chủng, an toàn thực phẩm",
    ),
    (
        "giao_duc",
        "Giáo dục, trường học",
        "Trường học, học phí, các khoản thu, dạy thêm, cơ sở vật chất, tuyển sinh, giáo viên",
    ),
    (
        "hanh_chinh_can_bo",
        "Thủ tục hành chính, thái độ cán bộ",
        "Thủ tục chậm, phức tạp, dịch vụ công trực tuyến, hộ tịch, thái độ hoặc sự nhũng nhiễu "
        "của cán bộ (không phải hối lộ)",
    ),
    (
        "tham_nhung_tieu_cuc",
        "Tham nhũng, tiêu cực, lãng phí",
        "Hối lộ, tham ô, lãng phí hoặc sử dụng sai tiền, tài sản công, nâng đỡ người thân, "
        "lạm quyền",
    ),
    (
        "kinh_te_nong_nghiep",
        "Kinh tế, nông nghiệp, thủy lợi, giá cả",
        "Sản xuất nông nghiệp, kênh mương thủy lợi, hỗ trợ cây trồng vật nuôi, chợ và giá cả, "
        "môi trường kinh doanh, sản phẩm OCOP, thủy sản",
    ),
    (
        "khac",
        "Khác",
        "Văn hóa, thể thao, tôn giáo, lễ hội, khen ngợi, góp ý chung, những việc khác",
    ),
)

#: Categories whose petitions are handled confidentially (the author is never forwarded).
CONFIDENTIAL_CATEGORIES = frozenset({"tham_nhung_tieu_cuc"})

#: (code, name, kind, ward code or None, head title)
CITY_AGENCIES: tuple[tuple[str, str, str, str | None, str], ...] = (
    ("so_xay_dung", "Sở Xây dựng thành phố Đà Nẵng", "so", None, "Giám đốc Sở Xây dựng"),
    (
        "so_nn_mt",
        "Sở Nông nghiệp và Môi trường thành phố Đà Nẵng",
        "so",
        None,
        "Giám đốc Sở Nông nghiệp và Môi trường",
    ),
    ("so_y_te", "Sở Y tế thành phố Đà Nẵng", "so", None, "Giám đốc Sở Y tế"),
    (
        "so_gd_dt",
        "Sở Giáo dục và Đào tạo thành phố Đà Nẵng",
        "so",
        None,
        "Giám đốc Sở Giáo dục và Đào tạo",
    ),
    ("bhxh", "Bảo hiểm xã hội cơ sở khu vực Tam Kỳ", "so", None, "Giám đốc BHXH cơ sở"),
    ("thanh_tra_tp", "Thanh tra thành phố Đà Nẵng", "thanh_tra", None, "Chánh Thanh tra thành phố"),
    (
        "dien_luc",
        "Điện lực Tam Kỳ (Công ty Điện lực Quảng Nam)",
        "cong_ty",
        None,
        "Giám đốc Điện lực Tam Kỳ",
    ),
    (
        "cap_nuoc",
        "Công ty Cổ phần Cấp thoát nước Quảng Nam",
        "cong_ty",
        None,
        "Giám đốc Công ty Cấp thoát nước",
    ),
    (
        "moi_truong_do_thi",
        "Công ty Cổ phần Môi trường đô thị Quảng Nam",
        "cong_ty",
        None,
        "Giám đốc Công ty Môi trường đô thị",
    ),
)

#: Agencies created once per ward: (code prefix, name pattern, kind, head title pattern).
WARD_AGENCIES: tuple[tuple[str, str, str, str], ...] = (
    ("ubnd", "UBND phường {ward}", "ubnd_phuong", "Chủ tịch UBND phường {ward}"),
    ("ca", "Công an phường {ward}", "cong_an_phuong", "Trưởng Công an phường {ward}"),
    ("tyt", "Trạm Y tế phường {ward}", "tram_y_te", "Trưởng Trạm Y tế phường {ward}"),
)

#: Default routing: category → agency codes, most likely first ("ubnd"/"ca"/"tyt" = the ward's).
ROUTING: dict[str, tuple[str, ...]] = {
    "dat_dai": ("ubnd", "so_nn_mt"),
    "xay_dung_do_thi": ("ubnd",),
    "giao_thong": ("ubnd", "so_xay_dung"),
    "ha_tang_dien_nuoc": ("dien_luc", "cap_nuoc", "ubnd"),
    "moi_truong": ("ubnd", "moi_truong_do_thi"),
    "an_ninh_trat_tu": ("ca",),
    "an_sinh_xa_hoi": ("ubnd", "bhxh"),
    "y_te": ("tyt", "so_y_te"),
    "giao_duc": ("ubnd", "so_gd_dt"),
    "hanh_chinh_can_bo": ("ubnd",),
    "tham_nhung_tieu_cuc": ("thanh_tra_tp",),
    "kinh_te_nong_nghiep": ("ubnd", "so_nn_mt"),
    "khac": (),
}

HOLIDAY_YEARS = (2025, 2026, 2027)
