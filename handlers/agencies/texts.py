"""The Vietnamese subjects and bodies of the emails sent to agencies.

Callers fill them and hand them to `mail.notify_agency`, which passes both through the
disclosure filter before anything is queued.
"""

from __future__ import annotations

SIGNATURE = (
    "\n\n--\n{unit}\nHệ thống tiếp nhận phản ánh, kiến nghị của Nhân dân khu vực Tam Kỳ.\n"
    "Thư gửi tự động; để trao đổi, vui lòng dùng mục «Trao đổi với Mặt trận» trên trang hồ sơ."
)

LINK = (
    "\n\nXem hồ sơ, xác nhận đã nhận, trao đổi và gửi kết quả (cần đăng nhập bằng tài khoản "
    "cán bộ liên lạc của cơ quan): {link}"
)

TEMPLATES: dict[str, tuple[str, str]] = {
    "forward": (
        "[MTTQ {place}] Chuyển {legal_type} {code} — hạn giải quyết {due_date}",
        "Kính gửi {agency},\n\n"
        "Ban Thường trực {unit} chuyển đến quý cơ quan {legal_type} mã {code} "
        "(văn bản số {document_number} ngày {sent_date}) để xem xét, giải quyết theo "
        "thẩm quyền.\n\n"
        "Lĩnh vực: {category}; địa bàn: {ward}.\n"
        "Tóm tắt: {summary}\n\n"
        "Thời hạn giải quyết và thông báo kết quả cho Ủy ban MTTQ: trước ngày {due_date} "
        "({working_days} ngày làm việc kể từ ngày chuyển).\n"
        "Phiếu chuyển đơn (.docx) gửi kèm thư này.{confidential}",
    ),
    "chase_letter": (
        "[MTTQ {place}] {kind} — hồ sơ {code}",
        "Kính gửi {agency},\n\n"
        "Ban Thường trực {unit} gửi quý cơ quan {kind_lower} số {document_number} ngày "
        "{sent_date} về hồ sơ {code}, đã quá thời hạn giải quyết ({due_date}).\n"
        "Văn bản đã ký gửi kèm thư này; đề nghị quý cơ quan giải quyết và thông báo kết quả "
        "cho Ủy ban MTTQ.",
    ),
    "rerouted": (
        "[MTTQ {place}] Thông báo: hồ sơ {code} đã chuyển cơ quan khác",
        "Kính gửi {agency},\n\nBan Thường trực {unit} đã xem xét ý kiến của quý cơ quan và "
        "chuyển hồ sơ {code} đến {new_agency}. Quý cơ quan không cần giải quyết tiếp hồ sơ này.",
    ),
    "extension_approved": (
        "[MTTQ {place}] Hồ sơ {code}: đồng ý gia hạn đến {due_date}",
        "Kính gửi {agency},\n\nBan Thường trực {unit} đồng ý đề nghị gia hạn giải quyết hồ sơ "
        "{code}. Hạn mới: {due_date}.{note}",
    ),
    "extension_refused": (
        "[MTTQ {place}] Hồ sơ {code}: không đồng ý gia hạn",
        "Kính gửi {agency},\n\nBan Thường trực {unit} không đồng ý đề nghị gia hạn giải quyết "
        "hồ sơ {code}. Lý do: {note}\nHạn giải quyết vẫn là {due_date}; đề nghị quý cơ quan "
        "giải quyết và thông báo kết quả đúng hạn.",
    ),
    "message": (
        "[MTTQ {place}] Hồ sơ {code}: trao đổi từ Ủy ban MTTQ",
        "Kính gửi {agency},\n\nCán bộ Ủy ban MTTQ trao đổi về hồ sơ {code}:\n\n{body}",
    ),
    "reminder": (
        "[MTTQ Tam Kỳ] Nhắc hạn giải quyết hồ sơ — {agency}",
        "{body}",
    ),
}

CONFIDENTIAL = (
    "\n\nĐây là đơn tố cáo (hoặc lĩnh vực cần bảo mật): đề nghị quý cơ quan giữ bí mật "
    "thông tin người tố cáo theo quy định của Luật Tố cáo."
)


def render(key: str, *, link: str = "", **params: object) -> tuple[str, str]:
    """(subject, body) of one email; the link line and signature are appended to the body."""
    subject, body = TEMPLATES[key]
    values = dict(params)
    text = body.format_map(values)
    if link:
        text += LINK.format(link=link)
    text += SIGNATURE.format(unit=values.get("unit", "Ủy ban MTTQ Việt Nam"))
    return subject.format_map(values), text
