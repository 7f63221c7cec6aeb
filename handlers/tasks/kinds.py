"""What each kind of to-do item is called, how urgent it is, and which actions handle it."""

from __future__ import annotations

from dataclasses import dataclass

URGENT, HIGH, NORMAL = 2, 1, 0

PRIORITY_LABELS = {URGENT: "Khẩn", HIGH: "Cần làm sớm", NORMAL: "Thường"}

#: Workflow actions by which staff handle a petition (not assigning it or writing a note).
HANDLING = frozenset(
    {
        "triage",
        "classify",
        "request_info",
        "answer_directly",
        "forward",
        "acknowledge",
        "record_answer",
        "extend_deadline",
        "send_result",
        "reopen",
        "close",
        "merge",
        "redact",
    }
)
#: What ends an urgent alert: the petition was triaged, answered, sent on or closed.
URGENT_HANDLED = frozenset(
    {"triage", "request_info", "answer_directly", "forward", "close", "merge", "withdraw"}
)


@dataclass(frozen=True)
class Kind:
    """A kind of item: its Vietnamese name, default priority and the actions that settle it."""

    label: str
    priority: int = NORMAL
    settled_by: frozenset[str] = frozenset()
    #: Closing the petition settles it (items about the citizen, not the petition, stay).
    petition_bound: bool = True


KINDS: dict[str, Kind] = {
    "urgent": Kind("Khẩn cấp — người dân báo nguy hiểm", URGENT, URGENT_HANDLED),
    "citizen_followup": Kind("Người dân gửi thêm nội dung", HIGH, HANDLING),
    "citizen_info": Kind("Người dân đã bổ sung thông tin", HIGH, HANDLING),
    "reopen_request": Kind("Người dân đề nghị mở lại", HIGH, frozenset({"reopen"})),
    "classify": Kind(
        "Cần phân loại thủ công",
        NORMAL,
        frozenset({"triage", "classify", "answer_directly", "forward", "merge"}),
    ),
    "agency_answered": Kind(
        "Cơ quan đã trả lời — cần xem xét, gửi kết quả",
        HIGH,
        frozenset({"send_result", "forward", "merge"}),
    ),
    "letter": Kind(
        "Văn bản đôn đốc chờ ký, gửi",
        HIGH,
        frozenset({"record_answer", "forward", "extend_deadline"}),
    ),
    "agenda": Kind(
        "Đề xuất đưa vào chương trình giám sát",
        HIGH,
        frozenset({"record_answer", "forward", "extend_deadline"}),
    ),
    "callback": Kind("Người dân đề nghị cán bộ gọi lại", HIGH),
    "data_deletion": Kind("Yêu cầu xóa dữ liệu cá nhân", HIGH, petition_bound=False),
    "data_copy": Kind("Yêu cầu bản sao dữ liệu cá nhân", HIGH, petition_bound=False),
    "data_correction": Kind("Yêu cầu chỉnh sửa dữ liệu cá nhân", HIGH, petition_bound=False),
    "consent_withdrawn": Kind("Người dân rút đồng ý xử lý dữ liệu", HIGH, petition_bound=False),
    "abuse": Kind("Người dân dùng lời lẽ xúc phạm", NORMAL, petition_bound=False),
    "reminder.triage": Kind("Hồ sơ quá hạn phân loại"),
    "reminder.triage-hard": Kind("Hồ sơ đến hạn phân loại cuối cùng", HIGH),
    "reminder.decision-warn": Kind("Sắp hết hạn thông báo hướng giải quyết"),
    "reminder.decision-late": Kind("Quá hạn thông báo hướng giải quyết", HIGH),
    "reminder.relay": Kind("Kết quả của cơ quan chưa gửi người dân", HIGH),
    "reminder.remind": Kind("Sắp đến hạn giải quyết"),
    "reminder.overdue": Kind("Hồ sơ đã quá hạn giải quyết", HIGH),
    "reminder.letters": Kind("Văn bản đôn đốc chờ ký, gửi", HIGH),
    "reminder.agenda": Kind("Đề xuất đưa vào chương trình giám sát", HIGH),
    "reminder.auto-close": Kind("Hồ sơ tự động đóng"),
    "reminder.supervisors": Kind("Tình hình hồ sơ hằng ngày"),
    "citizen_correction": Kind(
        "Người dân đính chính phường hoặc nội dung", HIGH, frozenset({"classify", "triage"})
    ),
    "deliver_result": Kind(
        "Báo kết quả cho người dân không dùng Zalo", HIGH, frozenset({"record_delivery"})
    ),
    "agency_returned": Kind(
        "Cơ quan trả lại hồ sơ (không thuộc thẩm quyền) — cần chuyển lại",
        HIGH,
        frozenset({"forward", "answer_directly", "close"}),
    ),
    "extension_requested": Kind(
        "Cơ quan đề nghị gia hạn — cần quyết định", HIGH, frozenset({"decide_extension"})
    ),
    "extension_decided": Kind("Mặt trận đã quyết định đề nghị gia hạn"),
    "agency_message": Kind(
        "Trao đổi mới với cơ quan về hồ sơ", NORMAL, frozenset({"agency_message"})
    ),
    "agency_email": Kind("Thư của Mặt trận gửi cơ quan"),
    "agency_no_email": Kind(
        "Cơ quan chưa có địa chỉ thư — cần gửi văn bản giấy", HIGH, petition_bound=False
    ),
    "agency_email_failed": Kind("Thư gửi cơ quan không đến được", HIGH, petition_bound=False),
    "zalo_quota": Kind("Cảnh báo hệ thống: hạn mức tin Zalo", HIGH, petition_bound=False),
    "zalo_config": Kind("Cảnh báo hệ thống: cấu hình Zalo", HIGH, petition_bound=False),
    "zalo_token": Kind("Cảnh báo hệ thống: token Zalo", HIGH, petition_bound=False),
    "signin_lockout": Kind(
        "Cảnh báo bảo mật: đăng nhập bị tạm dừng do nhập sai nhiều lần", HIGH, petition_bound=False
    ),
    "zalo_send_failing": Kind("Cảnh báo hệ thống: gửi tin Zalo lỗi", HIGH, petition_bound=False),
    "report.monthly_draft": Kind(
        "Báo cáo tháng chờ xem, chỉnh sửa và gửi", HIGH, petition_bound=False
    ),
}

_OTHER = Kind("Việc khác")

#: Every catalogue text that promises the citizen a person will look, and the item that keeps
#: the promise (None: the text rides along with a message whose item is listed here, or the
#: new petition itself, which the triage figures and ladder follow).
PROMISED_BY: dict[str, str | None] = {
    "bot.urgent": "urgent",
    "bot.followup_added": "citizen_followup",
    "bot.info_added": "citizen_info",
    "bot.reopen_requested": "reopen_request",
    "bot.data_delete_requested": "data_deletion",
    "bot.data_delete_confirm": None,  # asks to confirm; the confirmation raises data_deletion
    "bot.consent_withdrawn": "consent_withdrawn",
    # The request's own item (data_copy or data_correction; handlers.privacy.requests).
    "bot.data_request_received": None,
    "bot.data_correct_ask": None,  # asks what to correct; the answer raises data_correction
    "bot.abuse_flagged": "abuse",
    "bot.category_unknown": "classify",
    "bot.after_hours": None,  # sent with a new petition or a follow-up (listed above)
    "bot.summary_phone_ask": "callback",  # "Nếu muốn cán bộ gọi lại…": a phone means a call
    "bot.welcome": None,  # describes the service, promises nothing about one message
    "bot.bot_question": None,  # same
    "bot.abuse": None,  # asks for polite words; the flag (bot.abuse_flagged) raises the item
    "bot.lookup_forwarded": None,  # the agency ladder follows every running forward
    "bot.correction_noted": "citizen_correction",
    "bot.urgent_ask_ward": "urgent",  # the alert is raised before the ward is asked
    "bot.urgent_vital": "urgent",
    "bot.consent_declined_vital": "urgent",  # the alert raised before the decline stays
    "bot.urgent_detail_added": "urgent",  # the detail is added to that alert
    "bot.question_unknown": None,  # «Gửi câu hỏi» files a hỏi đáp petition: the triage inbox
}


def kind_of(name: str) -> Kind:
    """The kind's description (an unknown kind is an ordinary item, never an error)."""
    return KINDS.get(name) or _OTHER


def kind_label(name: str) -> str:
    """The Vietnamese name of a kind, for the list and the emails."""
    return kind_of(name).label
