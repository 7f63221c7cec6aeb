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

#: Said of every seeded body: no address is guessed; an administrator confirms and completes it.
UNCONFIRMED = "Chưa xác nhận địa chỉ thư điện tử và người liên hệ."
#: Said of the bodies whose name after the July 2025 reorganisation was not confirmed.
NAME_UNCONFIRMED = "Chưa xác nhận tên và đơn vị chủ quản sau sắp xếp đơn vị hành chính (7/2025)."

#: (code, name, kind, head title, note). Names checked against public sources where they
#: could be; no email address is seeded (administrators add the real ones).
CITY_AGENCIES: tuple[tuple[str, str, str, str, str], ...] = (
    ("so_xay_dung", "Sở Xây dựng thành phố Đà Nẵng", "so", "Giám đốc Sở Xây dựng", ""),
    (
        "so_nn_mt",
        "Sở Nông nghiệp và Môi trường thành phố Đà Nẵng",
        "so",
        "Giám đốc Sở Nông nghiệp và Môi trường",
        "",
    ),
    ("so_y_te", "Sở Y tế thành phố Đà Nẵng", "so", "Giám đốc Sở Y tế", ""),
    (
        "so_gd_dt",
        "Sở Giáo dục và Đào tạo thành phố Đà Nẵng",
        "so",
        "Giám đốc Sở Giáo dục và Đào tạo",
        "",
    ),
    ("so_noi_vu", "Sở Nội vụ thành phố Đà Nẵng", "so", "Giám đốc Sở Nội vụ", ""),
    (
        "bhxh",
        "Bảo hiểm xã hội cơ sở khu vực Tam Kỳ",
        "nganh_doc",
        "Giám đốc Bảo hiểm xã hội cơ sở",
        NAME_UNCONFIRMED,
    ),
    ("thanh_tra_tp", "Thanh tra thành phố Đà Nẵng", "thanh_tra", "Chánh Thanh tra thành phố", ""),
    (
        "dien_luc",
        "Điện lực Tam Kỳ",
        "cong_ty",
        "Giám đốc Điện lực Tam Kỳ",
        "Trước 7/2025 trực thuộc Công ty Điện lực Quảng Nam (EVNCPC). " + NAME_UNCONFIRMED,
    ),
    (
        "cap_nuoc",
        "Công ty Cổ phần Cấp thoát nước Quảng Nam",
        "cong_ty",
        "Tổng Giám đốc Công ty Cổ phần Cấp thoát nước Quảng Nam",
        "Cấp nước sạch và thoát nước đô thị khu vực Tam Kỳ.",
    ),
    (
        "moi_truong_do_thi",
        "Công ty Cổ phần Môi trường đô thị Quảng Nam",
        "cong_ty",
        "Giám đốc Công ty Cổ phần Môi trường đô thị Quảng Nam",
        "Thu gom, vận chuyển rác thải sinh hoạt khu vực Tam Kỳ.",
    ),
)

#: Agencies created once per ward: (code prefix, name pattern, kind, head title pattern, note).
WARD_AGENCIES: tuple[tuple[str, str, str, str, str], ...] = (
    ("ubnd", "UBND phường {ward}", "ubnd_phuong", "Chủ tịch UBND phường {ward}", ""),
    (
        "kt_hd",
        "Phòng Kinh tế, Hạ tầng và Đô thị phường {ward}",
        "phong_phuong",
        "Trưởng phòng Kinh tế, Hạ tầng và Đô thị phường {ward}",
        "Đất đai, xây dựng, hạ tầng đô thị của phường. Chưa xác nhận tên phòng.",
    ),
    ("ca", "Công an phường {ward}", "cong_an_phuong", "Trưởng Công an phường {ward}", ""),
    ("tyt", "Trạm Y tế phường {ward}", "tram_y_te", "Trưởng Trạm Y tế phường {ward}", ""),
)

#: The ward's own agencies, by code prefix ("ubnd" means the petition's ward's UBND).
WARD_PREFIXES = frozenset(prefix for prefix, *_ in WARD_AGENCIES)

#: Default routing: category → rules of (keywords, agency codes in order, why). A rule with
#: keywords applies when one occurs in the petition; the rule without keywords is the default.
ROUTING: dict[str, tuple[tuple[str, tuple[str, ...], str], ...]] = {
    "dat_dai": (
        ("", ("kt_hd", "ubnd", "so_nn_mt"), "Quản lý đất đai thuộc UBND phường (phòng chuyên môn)"),
    ),
    "xay_dung_do_thi": (
        ("", ("ubnd", "kt_hd", "so_xay_dung"), "Trật tự xây dựng, đô thị do UBND phường quản lý"),
    ),
    "giao_thong": (("", ("ubnd", "so_xay_dung"), "Đường phường quản lý; đường chính do Sở"),),
    "ha_tang_dien_nuoc": (
        (
            "mất điện, cúp điện, cắt điện, điện yếu, chập điện, công tơ, đồng hồ điện, "
            "tiền điện, hóa đơn điện, dây điện, trụ điện, cột điện",
            ("dien_luc",),
            "Lưới điện, công tơ, hóa đơn tiền điện do đơn vị điện lực quản lý",
        ),
        (
            "nước sạch, nước máy, mất nước, cúp nước, đồng hồ nước, tiền nước, "
            "hóa đơn nước, ống nước, vỡ ống",
            ("cap_nuoc",),
            "Cấp nước sạch do công ty cấp thoát nước quản lý",
        ),
        (
            "ngập, ngập úng, ngập nước, thoát nước, cống, mương, hố ga, nắp cống, nước đọng",
            ("ubnd", "cap_nuoc"),
            "Thoát nước, ngập úng: UBND phường chủ trì, công ty cấp thoát nước xử lý hệ thống cống",
        ),
        (
            "đèn đường, chiếu sáng, đèn chiếu sáng",
            ("ubnd",),
            "Chiếu sáng công cộng do UBND phường quản lý",
        ),
        ("", ("ubnd",), "Chưa rõ loại hạ tầng: UBND phường xem xét, phân công"),
    ),
    "moi_truong": (
        (
            "rác, thu gom rác, xe rác, điểm tập kết rác",
            ("moi_truong_do_thi", "ubnd"),
            "Thu gom rác do công ty môi trường đô thị thực hiện",
        ),
        ("", ("ubnd", "so_nn_mt"), "Môi trường trên địa bàn do UBND phường quản lý"),
    ),
    "an_ninh_trat_tu": (("", ("ca",), "An ninh trật tự do Công an phường"),),
    "an_sinh_xa_hoi": (
        (
            "bảo hiểm xã hội, bhxh, lương hưu, sổ bảo hiểm",
            ("bhxh",),
            "Chế độ bảo hiểm xã hội do cơ quan BHXH giải quyết",
        ),
        ("", ("ubnd", "so_noi_vu"), "Chính sách xã hội do UBND phường thực hiện"),
    ),
    "y_te": (
        ("bảo hiểm y tế, bhyt, thẻ bảo hiểm", ("bhxh", "tyt"), "Thẻ BHYT do cơ quan BHXH cấp"),
        ("", ("tyt", "so_y_te"), "Y tế cơ sở do Trạm Y tế phường"),
    ),
    "giao_duc": (("", ("ubnd", "so_gd_dt"), "Trường mầm non, tiểu học, THCS do phường quản lý"),),
    "hanh_chinh_can_bo": (("", ("ubnd",), "Thủ tục, cán bộ của UBND phường"),),
    "tham_nhung_tieu_cuc": (("", ("thanh_tra_tp",), "Tố cáo tham nhũng chuyển Thanh tra"),),
    "kinh_te_nong_nghiep": (("", ("ubnd", "so_nn_mt"), "Sản xuất, chợ do UBND phường quản lý"),),
    "khac": (("", ("ubnd",), "Việc khác: UBND phường xem xét"),),
}

HOLIDAY_YEARS = (2025, 2026, 2027)
