"""What each {placeholder} stands for, with a made-up example value for previews."""

from __future__ import annotations

#: name → (meaning, example). Examples are invented; they never come from real petitions.
PLACEHOLDERS: dict[str, tuple[str, str]] = {
    "name": ("Tên cán bộ nhận thư", "Nguyễn Thị Lan"),
    "settings": ("Đường dẫn trang đổi cách nhận thư", "https://pakn.example.vn/admin/me"),
    "tasks": ("Đường dẫn trang Việc cần làm", "https://pakn.example.vn/admin/tasks"),
    "title": ("Tiêu đề việc cần làm", "Hồ sơ TK-2611-000123: người dân bổ sung thông tin"),
    "today": ("Đường dẫn trang Hôm nay", "https://pakn.example.vn/admin/today"),
    "urgent": ("Ghi chú số việc khẩn (nếu có)", ", 1 việc khẩn"),
    "hotlines": (
        "Các số điện thoại khẩn cấp (trang Cài đặt, mục Khẩn cấp)",
        "114 (cứu hỏa, cứu nạn cứu hộ), 113 (công an), 115 (cấp cứu y tế)",
    ),
    "extra": (
        "Dòng hướng dẫn thêm theo loại nguy hiểm (điện, ngập, gas)",
        "\nRò gas: mở cửa, ra khỏi nhà.",
    ),
    "consent": (
        "Dòng báo người dân chưa đồng ý lưu thông tin (trường hợp khẩn cấp), nếu có",
        "Người dân CHƯA đồng ý lưu thông tin: nội dung được giữ lại vì lợi ích sống còn.\n",
    ),
    "first": ("Việc thứ nhất trong tin nhắn nêu 2 việc", "Đèn đường hẻm 12 không sáng"),
    "second": ("Việc thứ hai trong tin nhắn nêu 2 việc", "Rác tồn đầu hẻm 3 ngày"),
    "text": ("Tin nhắn của người dân", "Cống trước nhà bị tắc, mưa là ngập"),
    "via": ("Kênh tin đã đến người dân", "Zalo (tin tư vấn)"),
    "old_agency": ("Cơ quan trả lại hồ sơ", "Điện lực Tam Kỳ"),
    "agency": ("Tên cơ quan giải quyết", "UBND phường Tam Kỳ"),
    "answer": (
        "Nội dung trả lời của Ủy ban MTTQ",
        "Đề nghị Ông/Bà liên hệ bộ phận một cửa UBND phường để được hướng dẫn thủ tục.",
    ),
    "body": ("Các dòng dữ liệu do hệ thống ghép", "Mã người dùng Zalo: 1234567890123456"),
    "category": ("Tên lĩnh vực", "Môi trường, rác thải, ô nhiễm, cây xanh"),
    "citizen_id": ("Số thứ tự người dùng Zalo trong hệ thống (không phải số điện thoại)", "1024"),
    "code": ("Mã hồ sơ", "TK-2611-000123"),
    "count": ("Số lượng", "2"),
    "date": ("Ngày (dd/mm/yyyy)", "02/11/2026"),
    "details": (
        "Các dòng chi tiết do hệ thống ghép (địa điểm, ảnh, số điện thoại...)",
        "Địa điểm: trước nhà văn hóa khối phố\n",
    ),
    "document_number": ("Số văn bản chuyển đơn", "125/MTTQ-BTT"),
    "due": ("Hạn giải quyết (dd/mm/yyyy)", "16/11/2026"),
    "due_date": ("Hạn giải quyết dự kiến (dd/mm/yyyy)", "16/11/2026"),
    "items": (
        "Danh sách hồ sơ, mỗi hồ sơ một dòng (hệ thống ghép)",
        "  - TK-2611-000123 (02/11/2026): Đèn đường không sáng\n"
        "  - TK-2611-000131 (03/11/2026): Mương thoát nước bị lấp",
    ),
    "link": ("Đường dẫn đến trang quản trị", "https://pakn.example.vn/admin/"),
    "old": ("Tên phường, xã cũ người dân đã dùng", "An Xuân"),
    "phone": ("Số điện thoại người dân cho biết", "0900 000 000"),
    "place": ("Địa điểm người dân cho biết", "Trước nhà văn hóa khối phố"),
    "placeholder": ("Chỗ để trống điền số văn bản", "……"),
    "rating": ("Số sao người dân chấm (1–5)", "5"),
    "reason": ("Lý do đóng hồ sơ", "đã giải quyết"),
    "reasons": ("Dấu hiệu nguy hiểm bot nhận ra", "cháy"),
    "result": (
        "Kết quả giải quyết của cơ quan",
        "UBND phường đã cho sửa đèn đường ngày 05/11/2026.",
    ),
    "state": ("Tình trạng hồ sơ như người dân thấy", "Đang xử lý"),
    "summary": ("Tóm tắt nội dung phản ánh", "Đèn đường trước chợ không sáng đã một tuần"),
    "time": ("Thời điểm", "20:15 ngày 02/11/2026"),
    "unit": ("Tên Ủy ban MTTQ phụ trách", "Ủy ban MTTQ Việt Nam phường Tam Kỳ"),
    "version": ("Phiên bản thông báo xử lý dữ liệu", "2026-01"),
    "ward": ("Tên phường", "Tam Kỳ"),
    "weekday": ("Thứ trong tuần", "thứ Hai"),
    "what": ("Thông tin cần bổ sung", "địa chỉ cụ thể nơi xảy ra sự việc"),
    "when": ("Thời điểm cán bộ làm việc trở lại", "7 giờ 30 thứ Hai, ngày 03/11/2026"),
    "where": ("Nơi xảy ra", "phường Tam Kỳ"),
    "zalo_id": ("Mã người dùng Zalo", "1234567890123456"),
    "channel": ("Kênh người dân gửi yêu cầu", "Qua Zalo"),
    "codes": ("Các mã hồ sơ", "TK-2611-000123, TK-2611-000124"),
}

#: Where a name means something narrower in one message: key → name → (meaning, example).
BY_KEY: dict[str, dict[str, tuple[str, str]]] = {
    "bot.ask_text": {"count": ("Số ảnh, tệp đã nhận", "2")},
    "bot.summary_attachments": {"count": ("Số ảnh, tệp kèm theo", "2")},
    "bot.data_menu": {"count": ("Số hồ sơ người dân đã gửi", "3")},
    "staff.abuse_body": {"count": ("Số tin nhắn xúc phạm", "3")},
    "staff.ward_guess_text": {"matched": ("Địa danh bot nhận ra trong tin nhắn", "chợ Tam Kỳ")},
    "staff.ward_guess_note": {
        "ward": ("Phường tạm giao", "phường Tam Kỳ"),
        "why": ("Lý do tạm giao", "theo phường của hồ sơ trước của người dân, cần xác nhận"),
    },
    "staff.data_request_body": {
        "count": ("Số hồ sơ của người dân", "2"),
        "date": ("Thời điểm nhận yêu cầu", "09:00 02/11/2026"),
        "reason": ("Căn cứ pháp lý của thời hạn", "Luật 91/2025/QH15, NĐ 356/2025"),
    },
    "bot.data_copy_name": {"name": ("Tên Zalo của người dân", "Nguyễn Văn An")},
    "bot.data_request_received": {
        "date": ("Ngày nhận yêu cầu", "02/11/2026"),
        "what": ("Loại yêu cầu", "cung cấp bản sao dữ liệu cá nhân"),
    },
    "bot.data_corrected": {"what": ("Các thông tin đã sửa", "Tên, Số điện thoại")},
    "bot.data_refused": {
        "what": ("Loại yêu cầu", "xóa dữ liệu cá nhân"),
        "reason": ("Lý do từ chối", "không xác minh được người yêu cầu"),
    },
    "bot.data_delete_postponed": {
        "reasons": (
            "Các hồ sơ phải giữ và lý do, mỗi hồ sơ một dòng",
            "TK-2611-000123: hồ sơ đang được giải quyết",
        )
    },
    "staff.data_request_title": {"what": ("Loại yêu cầu", "Xóa dữ liệu cá nhân")},
    "staff.data_request_done_title": {"what": ("Loại yêu cầu", "Rút lại sự đồng ý xử lý dữ liệu")},
    "bot.data_delete_requested": {"date": ("Ngày nhận yêu cầu", "02/11/2026")},
    "bot.when": {"time": ("Giờ", "7 giờ 30"), "date": ("Ngày", "03/11/2026")},
    "notify.forwarded": {"date": ("Ngày chuyển", "04/11/2026")},
    "bot.lookup_forwarded": {"date": ("Ngày chuyển", "04/11/2026")},
    "bot.lookup_received": {"date": ("Ngày tiếp nhận", "02/11/2026")},
    "bot.lookup_decision_due": {"date": ("Hạn thông báo hướng giải quyết", "12/11/2026")},
    "bot.lookup_result": {"date": ("Ngày gửi kết quả", "10/11/2026")},
    "bot.lookup_closed": {"date": ("Ngày đóng hồ sơ", "20/11/2026")},
    "bot.data_copy": {"date": ("Ngày lập bản sao", "02/11/2026")},
    "bot.data_copy_consent": {"date": ("Thời điểm đồng ý", "01/11/2026 08:05")},
    "bot.summary": {"details": PLACEHOLDERS["details"]},
    "bot.lookup": {
        "details": ("Các dòng mốc thời gian do hệ thống ghép", "Ngày tiếp nhận: 02/11/2026.\n")
    },
    "bot.list": {
        "items": (
            "Danh sách hồ sơ, mỗi hồ sơ một dòng",
            "• TK-2611-000123 (02/11/2026) – Đang xử lý: Đèn đường không sáng",
        )
    },
    "reminder.supervisors": {"date": ("Ngày tổng hợp", "02/11/2026")},
}

#: For keys of these prefixes the code is required: people look petitions up by it.
CODE_REQUIRED_PREFIXES = ("notify.",)
#: Zalo shows at most this many characters on a button.
BUTTON_LIMIT = 20
