"""Vietnamese labels of states, close reasons, legal types and channels (citizen and staff)."""

from __future__ import annotations

from storage.models import Petition
from storage.models.enums import Channel, CloseReason, LegalType
from storage.models.enums import PetitionState as S

#: What the citizen sees for each internal state (petition-workflow.md, "States").
CITIZEN_STATE_LABELS: dict[str, str] = {
    S.DRAFT: "Đang soạn",
    S.RECEIVED: "Đã tiếp nhận",
    S.NEED_INFO: "Cần bổ sung thông tin",
    S.TRIAGED: "Đang xử lý",
    S.ANSWERED_BY_FRONT: "Đã trả lời",
    S.FORWARDED: "Đã chuyển đến {agency}",
    S.AGENCY_ACKNOWLEDGED: "Cơ quan đang giải quyết",
    S.AGENCY_ANSWERED: "Cơ quan đã phản hồi",
    S.RESULT_SENT: "Đã có kết quả",
    S.REOPENED: "Đang xử lý lại",
    S.CLOSED: "Đã đóng ({reason})",
}

#: What staff see in the inbox (short, distinct).
STAFF_STATE_LABELS: dict[str, str] = {
    S.DRAFT: "Nháp",
    S.RECEIVED: "Mới tiếp nhận",
    S.NEED_INFO: "Chờ bổ sung",
    S.TRIAGED: "Đã phân loại",
    S.ANSWERED_BY_FRONT: "MTTQ đã trả lời",
    S.FORWARDED: "Đã chuyển",
    S.AGENCY_ACKNOWLEDGED: "Cơ quan đã nhận",
    S.AGENCY_ANSWERED: "Cơ quan đã trả lời",
    S.RESULT_SENT: "Đã có kết quả",
    S.REOPENED: "Mở lại",
    S.CLOSED: "Đã đóng",
}

CLOSE_REASON_LABELS: dict[str, str] = {
    CloseReason.RESOLVED: "đã giải quyết",
    CloseReason.DUPLICATE: "trùng với hồ sơ khác",
    CloseReason.NOT_IN_SCOPE: "không thuộc phạm vi tiếp nhận",
    CloseReason.WITHDRAWN: "người gửi rút đơn",
    CloseReason.UNREACHABLE: "không liên lạc được với người gửi",
    CloseReason.NO_ANSWER: "không nhận được phản hồi sau lần nhắc cuối",
    CloseReason.ABUSIVE: "nội dung vi phạm quy định",
}

CLOSE_NOTE_PREFIX = "Lý do: "


def close_note(reason: str, note: str = "") -> str:
    """The trail's note of a close: the reason given then, and the officer's note below it
    (the petition row keeps only the latest reason, and a reopening clears it)."""
    head = f"{CLOSE_NOTE_PREFIX}{CLOSE_REASON_LABELS[reason]}"
    return f"{head}\n{note}" if note else head


def reason_of_close_note(note: str | None) -> str | None:
    """The close reason a close_note names; None for a note written another way."""
    first = (note or "").split("\n", 1)[0]
    if not first.startswith(CLOSE_NOTE_PREFIX):
        return None
    label = first.removeprefix(CLOSE_NOTE_PREFIX)
    return next((k for k, v in CLOSE_REASON_LABELS.items() if v == label), None)


LEGAL_TYPE_LABELS: dict[str, str] = {
    LegalType.KHIEU_NAI: "Khiếu nại",
    LegalType.TO_CAO: "Tố cáo",
    LegalType.KIEN_NGHI: "Kiến nghị",
    LegalType.PHAN_ANH: "Phản ánh",
    LegalType.HOI_DAP: "Hỏi đáp",
    LegalType.NGOAI_PHAM_VI: "Không thuộc phạm vi",
}

CHANNEL_LABELS: dict[str, str] = {
    Channel.ZALO: "Zalo",
    Channel.WALK_IN: "Trực tiếp",
    Channel.LETTER: "Thư, đơn giấy",
    Channel.PHONE: "Điện thoại",
    Channel.EMAIL: "Thư điện tử",
}

ACTION_LABELS: dict[str, str] = {
    "record_delivery": "Ghi nhận đã báo kết quả",
    "submit": "Tiếp nhận",
    "reveal_ids": "Xem số CCCD/tài khoản đầy đủ",
    "withdraw": "Rút đơn",
    "feedback": "Ý kiến người gửi",
    "add_info": "Bổ sung thông tin",
    "assign": "Phân công",
    "request_info": "Yêu cầu bổ sung",
    "answer_directly": "Trả lời trực tiếp",
    "triage": "Phân loại",
    "classify": "Xác nhận/sửa phân loại",
    "forward": "Chuyển cơ quan",
    "acknowledge": "Cơ quan xác nhận đã nhận",
    "record_answer": "Ghi nhận trả lời của cơ quan",
    "extend_deadline": "Gia hạn",
    "deadline_moved": "Dời hạn do ngày nghỉ mới",
    "return_forward": "Cơ quan trả lại (không thuộc thẩm quyền)",
    "request_extension": "Cơ quan đề nghị gia hạn",
    "decide_extension": "Quyết định về đề nghị gia hạn",
    "agency_message": "Trao đổi với cơ quan",
    "agency_email": "Gửi thư điện tử cho cơ quan",
    "agency_email_failed": "Thư cho cơ quan không gửi được",
    "send_result": "Gửi kết quả",
    "merge": "Được gộp vào hồ sơ chính (trùng)",
    "merged_into": "Gộp hồ sơ trùng vào hồ sơ này",
    "reopen": "Mở lại",
    "close": "Đóng hồ sơ",
    "redact": "Che thông tin cá nhân",
    "confirm_redaction": "Xác nhận bản gửi cơ quan (đã che thông tin người tố cáo)",
    "note": "Ghi chú nội bộ",
    "ward_guess": "Phường tạm xác định (cần cán bộ xác nhận)",
    "enter": "Nhập hộ",
    "letter_drafted": "Soạn dự thảo văn bản đôn đốc",
    "letter_sent": "Gửi văn bản đôn đốc",
    "agenda_drafted": "Soạn dự thảo đề xuất giám sát",
    "agenda_sent": "Trình đề xuất giám sát",
}


#: The urgency cues nlp.urgency reports, as staff read them.
URGENCY_REASON_LABELS: dict[str, str] = {
    "fire": "cháy",
    "electric": "điện giật, dây điện nguy hiểm",
    "collapse": "sập, đổ, sạt lở",
    "trapped": "người bị mắc kẹt",
    "violence": "bạo lực, đâm chém",
    "flood": "ngập sâu, lũ",
    "gas": "rò rỉ khí ga, hóa chất",
    "medical": "cấp cứu, thương tích",
    "accident": "tai nạn",
    "explosion": "cháy nổ",
    "now": "đang xảy ra",
}


def urgency_reasons(codes: object) -> str:
    """'cháy, tai nạn' from the classifier's reason codes (an unknown code stays readable)."""
    if not isinstance(codes, list | tuple):
        return ""
    return ", ".join(URGENCY_REASON_LABELS.get(str(c), str(c).replace("_", " ")) for c in codes)


def citizen_state_label(petition: Petition, agency_name: str | None = None) -> str:
    """The short status a citizen sees (TRA {code})."""
    label = CITIZEN_STATE_LABELS.get(petition.state, petition.state)
    reason = CLOSE_REASON_LABELS.get(petition.close_reason or "", "")
    return label.format(agency=agency_name or "cơ quan có thẩm quyền", reason=reason)
