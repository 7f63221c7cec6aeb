"""The one Vietnamese message catalogue: every text the bot or the workflow sends a citizen.

Texts are templates with {placeholders}. Staff may override any of them in the admin view
(a ResponseTemplate row with the same key); the catalogue here is the default and the
documentation of which placeholders each key receives.
"""

from __future__ import annotations

import logging
import string
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.fill import UnsafeTemplate, fill
from storage.models import ResponseTemplate

logger = logging.getLogger(__name__)

CATALOGUE: dict[str, str] = {
    # --- workflow notifications (petition-workflow.md, "What the citizen is told") ---
    "notify.received": (
        "Ủy ban MTTQ đã tiếp nhận phản ánh, kiến nghị của Ông/Bà. Mã hồ sơ: {code}.\n"
        "Trong vòng 10 ngày, Ông/Bà sẽ nhận được thông báo về việc giải quyết hoặc chuyển "
        "đến cơ quan có thẩm quyền.\nĐể tra cứu, Ông/Bà gõ: TRA {code}"
    ),
    "notify.need_info": (
        "Hồ sơ {code}: để xử lý, Ủy ban MTTQ cần Ông/Bà bổ sung: {what}.\n"
        "Thời hạn xử lý tạm dừng cho đến khi nhận được thông tin bổ sung."
    ),
    "notify.forwarded": (
        "Hồ sơ {code} đã được chuyển đến {agency} ngày {date}, văn bản số {document_number}. "
        "Thời hạn cơ quan giải quyết dự kiến: {due_date}.\n"
        "Ủy ban MTTQ sẽ theo dõi, đôn đốc việc giải quyết."
    ),
    "notify.rerouted": (
        "Hồ sơ {code}: {old_agency} cho biết việc Ông/Bà phản ánh không thuộc thẩm quyền của "
        "cơ quan này. Ủy ban MTTQ đã chuyển hồ sơ đến {agency} ngày {date}, văn bản số "
        "{document_number}. Thời hạn giải quyết dự kiến: {due_date}.\n"
        "Ủy ban MTTQ sẽ tiếp tục theo dõi, đôn đốc việc giải quyết."
    ),
    "notify.extended": (
        "Hồ sơ {code}: {agency} cần thêm thời gian để giải quyết. Ủy ban MTTQ đã đồng ý gia "
        "hạn đến ngày {due_date} và tiếp tục theo dõi, đôn đốc."
    ),
    "notify.answered_by_front": "Hồ sơ {code}: Ủy ban MTTQ trả lời Ông/Bà như sau:\n{answer}",
    "notify.overdue": (
        "Hồ sơ {code}: {agency} chưa có kết quả giải quyết đúng hạn. Ủy ban MTTQ đã gửi văn bản "
        "đôn đốc và tiếp tục theo dõi."
    ),
    "notify.result": (
        "Hồ sơ {code} đã có kết quả giải quyết:\n{result}\n"
        "Ông/Bà vui lòng cho biết vấn đề đã được giải quyết chưa."
    ),
    "notify.closed": (
        "Hồ sơ {code} đã đóng ({reason}). Nếu vấn đề chưa được giải quyết, Ông/Bà có thể đề nghị "
        "mở lại trong vòng 30 ngày bằng cách gõ: MO LAI {code}"
    ),
    "notify.reopened": "Hồ sơ {code} đã được mở lại và sẽ được xem xét, xử lý tiếp.",
    # Sent right after a result, with five rating buttons (#DG {code} 1..5)
    "notify.rating": "Hồ sơ {code}: Ông/Bà đánh giá mức độ hài lòng (5 sao là rất hài lòng):",
    # reminders-satisfaction: the result's question, asked once more
    "notify.feedback_reminder": (
        "Hồ sơ {code}: Ủy ban MTTQ mong nhận được ý kiến của Ông/Bà về kết quả giải quyết đã gửi. "
        "Vấn đề đã được giải quyết chưa? Nếu không có phản hồi, hồ sơ sẽ được đóng sau 5 ngày "
        "làm việc."
    ),
    # --- buttons ---
    "button.resolved": "Đã giải quyết",
    "button.not_resolved": "Chưa giải quyết",
    # === the citizen's conversation (handlers/conversation) ===
    # Button titles: at most 20 characters (Zalo's limit).
    "button.consent_yes": "Đồng ý",
    "button.consent_no": "Không đồng ý",
    "button.send": "GỬI",
    "button.edit": "Sửa",
    "button.skip": "Bỏ qua",
    "button.new_petition": "Phản ánh mới",
    "button.edit_text": "Sửa nội dung",
    "button.edit_ward": "Sửa phường",
    "button.edit_place": "Sửa địa điểm",
    "button.cancel_draft": "Hủy phản ánh",
    "button.confirm_withdraw": "Xác nhận rút",
    "button.keep": "Không rút",
    "button.data_copy": "Nhận bản sao",
    "button.data_delete": "Yêu cầu xóa",
    "button.data_correct": "Sửa thông tin",
    "button.data_withdraw": "Rút đồng ý",
    "button.confirm_delete": "Xác nhận xóa",
    "button.cancel": "Không",
    "button.zns_yes": "Nhận tin qua SĐT",
    "button.ward": "P. {ward}",
    # First contact and consent (petition-workflow.md, "Personal data").
    "bot.front_name": "Ủy ban MTTQ Việt Nam",  # when no Front committee is configured
    "bot.welcome": (
        "{unit} xin chào Ông/Bà!\n"
        "Đây là kênh Zalo tiếp nhận phản ánh, kiến nghị của người dân gửi Mặt trận Tổ quốc: "
        "đường sá, điện nước, môi trường, trật tự, chính sách, thủ tục... Phản ánh được cán bộ "
        "Mặt trận xem xét, chuyển cơ quan có thẩm quyền và theo dõi đến khi có kết quả."
    ),
    "bot.consent_ask": (
        "Bảo vệ dữ liệu cá nhân: để tiếp nhận và giải quyết phản ánh, chúng tôi cần lưu nội "
        "dung, hình ảnh, vị trí và số điện thoại (nếu Ông/Bà cung cấp). Dữ liệu chỉ dùng để "
        "giải quyết phản ánh; danh tính người tố cáo được giữ bí mật. Ông/Bà có thể rút đồng ý "
        '(gõ "rút đồng ý") hoặc yêu cầu bản sao, xóa dữ liệu (gõ "Dữ liệu của tôi") '
        "bất cứ lúc nào.\nÔng/Bà có đồng ý không?"
    ),
    "bot.consent_thanks_short": "Cảm ơn Ông/Bà đã đồng ý.",
    "bot.consent_thanks": (
        "Cảm ơn Ông/Bà đã đồng ý. Xin mời Ông/Bà nhắn nội dung cần phản ánh, kiến nghị "
        "(có thể gửi kèm ảnh, vị trí). Để tra cứu hồ sơ đã gửi, gõ: TRA <mã hồ sơ>."
    ),
    "bot.consent_declined": (
        "Chúng tôi tôn trọng lựa chọn của Ông/Bà. Khi chưa có sự đồng ý, chúng tôi không được "
        "lưu thông tin nên chưa thể tiếp nhận phản ánh qua Zalo; nội dung Ông/Bà đã gửi đã được "
        "xóa và tin nhắn mới cũng không được lưu. Ông/Bà có thể đến trực tiếp Ủy ban MTTQ "
        'phường. Nếu đổi ý, gõ "đồng ý".'
    ),
    "bot.consent_declined_vital": (
        "Riêng tin báo nguy hiểm Ông/Bà đã gửi vẫn được giữ để cán bộ trực xử lý, vì tính mạng, "
        "sức khỏe của người trong cuộc (trường hợp khẩn cấp theo Luật Bảo vệ dữ liệu cá nhân)."
    ),
    "bot.consent_declined_reply": (
        "Tin nhắn này không được lưu vì Ông/Bà chưa đồng ý cho lưu thông tin. Nếu đổi ý, gõ "
        '"đồng ý" rồi gửi lại nội dung.'
    ),
    "bot.consent_required": (
        "Để tiếp nhận phản ánh, chúng tôi cần Ông/Bà đồng ý cho lưu thông tin (nội dung vừa "
        'gửi chưa được lưu). Vui lòng bấm Đồng ý hoặc gõ "đồng ý".'
    ),
    "bot.consent_withdrawn": (
        "Ông/Bà đã rút đồng ý lúc {time}. Từ nay chúng tôi không tiếp nhận thêm thông tin mới "
        "của Ông/Bà qua kênh này. Các hồ sơ đã gửi vẫn được theo dõi đến khi có kết quả; để "
        'yêu cầu xóa dữ liệu, gõ "Dữ liệu của tôi".'
    ),
    "bot.consent_not_given": "Ông/Bà chưa đồng ý cho lưu thông tin nên không có gì để rút.",
    # Taking a petition.
    "bot.urgent": (
        "KHẨN CẤP: nếu có người gặp nguy hiểm, Ông/Bà hãy gọi ngay {hotlines}.{extra}\n"
        "Chúng tôi đã báo ngay cán bộ trực của Mặt trận để phối hợp xử lý."
    ),
    "bot.urgent_electric": (
        "\nDây điện, cột điện: tránh xa ít nhất vài mét, không chạm vào người bị điện giật khi "
        "chưa ngắt điện; báo điện lực qua tổng đài 1900 1909."
    ),
    "bot.urgent_flood": (
        "\nNếu nước đang lên: đưa người già, trẻ nhỏ lên chỗ cao, ngắt cầu dao điện."
    ),
    "bot.urgent_gas": (
        "\nRò gas: không bật, tắt công tắc điện, không đánh lửa; mở cửa, ra khỏi nhà."
    ),
    "bot.urgent_vital": (
        "Vì tính mạng, sức khỏe của người trong cuộc, nội dung và địa điểm Ông/Bà vừa nhắn đã "
        "được chuyển ngay cho cán bộ trực dù Ông/Bà chưa đồng ý cho lưu thông tin (trường hợp "
        "khẩn cấp theo Luật Bảo vệ dữ liệu cá nhân). Những thông tin khác chưa được lưu."
    ),
    "bot.urgent_detail_added": (
        "Đã chuyển thêm thông tin này cho cán bộ trực. Nếu có người gặp nguy hiểm, Ông/Bà hãy "
        "gọi ngay {hotlines}.{extra}"
    ),
    "bot.urgent_ask_ward": (
        "Để cán bộ trực đến đúng nơi, Ông/Bà cho biết sự việc ở phường nào (bấm chọn hoặc gõ "
        "tên phường, xã cũ, khối phố, thôn)."
    ),
    "notify.received_urgent": (
        "Phản ánh KHẨN của Ông/Bà đã được chuyển ngay đến cán bộ trực để xử lý. Mã hồ sơ: "
        "{code}.\nNếu có người gặp nguy hiểm, xin tiếp tục gọi 114, 113, 115. Ông/Bà có thể "
        "nhắn thêm ảnh, vị trí; tra cứu: TRA {code}"
    ),
    "bot.ask_text": (
        "Chúng tôi đã nhận {count} ảnh/tệp. Ông/Bà vui lòng nhắn vài dòng mô tả sự việc "
        "(việc gì, ở đâu, từ khi nào)."
    ),
    "bot.ask_ward": (
        "Sự việc xảy ra ở phường nào ạ? Ông/Bà bấm chọn bên dưới, hoặc gõ tên phường, xã cũ "
        "(ví dụ: An Xuân, Tam Thăng, Hòa Hương)."
    ),
    "bot.ward_photo_kept": (
        "Đã nhận ảnh/tệp, chúng tôi gửi kèm phản ánh. Sự việc xảy ra ở phường nào ạ? Ông/Bà bấm "
        "chọn bên dưới, hoặc gõ tên phường, xã cũ."
    ),
    "bot.ward_not_understood": (
        "Xin lỗi, chúng tôi chưa xác định được phường. Ông/Bà vui lòng bấm chọn một trong "
        "bốn phường bên dưới."
    ),
    "bot.ask_place": (
        "Ông/Bà cho biết địa điểm cụ thể (số nhà, tên đường, khối phố, thôn) hoặc chia sẻ vị "
        "trí trên Zalo; có thể gửi kèm ảnh hiện trường. Nếu không cần, bấm Bỏ qua."
    ),
    "bot.summary": (
        "Ông/Bà phản ánh về «{category}» tại {ward}: {summary}\n"
        "{details}"
        "Bấm GỬI để gửi, hoặc Sửa để điều chỉnh."
    ),
    "bot.summary_phone_ask": (
        "Nếu muốn cán bộ gọi lại, Ông/Bà có thể nhắn số điện thoại (không bắt buộc; không gửi "
        "ảnh CCCD).\n"
    ),
    "bot.summary_place": "Địa điểm: {place}\n",
    "bot.summary_attachments": "Kèm theo: {count} ảnh/tệp\n",
    "bot.summary_phone": "Số điện thoại liên hệ: {phone}\n",
    "bot.summary_zns": (
        "Nếu đồng ý, khi Ông/Bà không nhắn OA trên 7 ngày, thông báo về hồ sơ sẽ được gửi qua "
        "Zalo đến số điện thoại này (bấm «Nhận tin qua SĐT»; gõ «rút đồng ý» để dừng).\n"
    ),
    "bot.zns_thanks": (
        "Đã ghi nhận: thông báo về hồ sơ có thể được gửi qua Zalo đến số {phone}. Ông/Bà gõ "
        "«rút đồng ý» bất cứ lúc nào để dừng."
    ),
    "bot.zns_bad_phone": "Số {phone} không phải số di động nên không nhận được tin Zalo.",
    "bot.summary_location": "vị trí đã chia sẻ",
    "bot.summary_old_name": "{ward} ({old} cũ)",
    "bot.category_unknown": "chưa xác định lĩnh vực, cán bộ sẽ phân loại",
    "bot.edit_menu": "Ông/Bà muốn sửa phần nào?",
    "bot.edit_text": (
        "Ông/Bà vui lòng nhắn lại toàn bộ nội dung phản ánh; nội dung mới sẽ thay cho nội "
        "dung cũ (ảnh đã gửi vẫn được giữ)."
    ),
    "bot.draft_cancelled": "Đã hủy phản ánh đang soạn. Khi cần, Ông/Bà cứ nhắn cho chúng tôi.",
    "bot.draft_set_aside": (
        "Phản ánh Ông/Bà đang soạn dở ({summary}) chưa được gửi nên đã được hủy để làm yêu cầu "
        "về dữ liệu. Khi cần, Ông/Bà cứ nhắn lại nội dung phản ánh."
    ),
    "bot.draft_expired": (
        "Phản ánh Ông/Bà bắt đầu soạn lúc {time} chưa được gửi nên đã hết hạn và được xóa. "
        "Khi cần, Ông/Bà cứ nhắn lại nội dung cho chúng tôi."
    ),
    "bot.submit_failed": (
        "Xin lỗi, hệ thống chưa gửi được phản ánh. Ông/Bà vui lòng bấm GỬI lại sau ít phút."
    ),
    "bot.after_hours": (
        "Hiện đang ngoài giờ làm việc; cán bộ sẽ xem nội dung của Ông/Bà từ {when}."
    ),
    "bot.when": "{time} {weekday}, ngày {date}",
    # Afterwards: lookup, list, follow-ups.
    "bot.lookup": "Hồ sơ {code}: {state}.\nNội dung: {summary}\n{details}",
    "bot.lookup_received": "Ngày tiếp nhận: {date}.\n",
    "bot.lookup_decision_due": "Hạn thông báo hướng giải quyết: {date}.\n",
    "bot.lookup_forwarded": (
        "Đã chuyển đến {agency} ngày {date}; hạn giải quyết: {due}. Mặt trận đang theo dõi, "
        "đôn đốc.\n"
    ),
    "bot.lookup_need_info": (
        "Chúng tôi đang chờ Ông/Bà bổ sung thông tin; thời hạn xử lý tạm dừng.\n"
    ),
    "bot.lookup_result": "Kết quả đã gửi Ông/Bà ngày {date}.\n",
    "bot.lookup_result_text": "Kết quả: {result}\n",
    "bot.lookup_last_sent": "Tin báo gần nhất đã đến Ông/Bà qua {via} ngày {date}.\n",
    "bot.lookup_last_waiting": (
        "Tin báo gần nhất chưa đến được Ông/Bà ({reason}); tin đó được gửi ngay sau đây.\n"
    ),
    "bot.lookup_closed": "Đóng ngày {date}.\n",
    "bot.lookup_not_found": (
        "Không tìm thấy hồ sơ {code} trong các hồ sơ Ông/Bà đã gửi qua Zalo này. Vui lòng kiểm "
        "tra lại mã (dạng TK-2611-000123) hoặc gõ DS để xem danh sách hồ sơ của mình."
    ),
    "bot.lookup_ask_code": (
        "Ông/Bà vui lòng gõ TRA kèm mã hồ sơ, ví dụ: TRA TK-2611-000123. Gõ DS để xem các hồ "
        "sơ đang xử lý."
    ),
    "bot.list": "Các hồ sơ đang xử lý của Ông/Bà:\n{items}\nGõ TRA <mã> để xem chi tiết.",
    "bot.list_item": "• {code} ({date}) – {state}: {summary}",
    "bot.list_empty": "Ông/Bà hiện không có hồ sơ nào đang xử lý.",
    "bot.followup_which": (
        "Nội dung Ông/Bà vừa gửi là bổ sung cho hồ sơ nào, hay là một phản ánh mới? "
        "Ông/Bà bấm chọn bên dưới."
    ),
    "bot.followup_added": (
        "Đã bổ sung nội dung vào hồ sơ {code}. Cán bộ phụ trách sẽ xem thông tin mới."
    ),
    "bot.info_added": (
        "Cảm ơn Ông/Bà đã bổ sung thông tin cho hồ sơ {code}. Hồ sơ tiếp tục được xử lý."
    ),
    "bot.reopen_requested": (
        "Đề nghị mở lại hồ sơ {code} đã được chuyển đến cán bộ xem xét. Chúng tôi sẽ thông "
        "báo cho Ông/Bà."
    ),
    "bot.reopen_too_late": (
        "Hồ sơ {code} đã quá 30 ngày kể từ khi có kết quả nên không thể mở lại. Nếu vấn đề "
        "vẫn còn, Ông/Bà vui lòng gửi phản ánh mới."
    ),
    # Feedback on a result.
    "bot.feedback_ask_which": (
        'Ông/Bà vui lòng cho biết mã hồ sơ, ví dụ: "Đã giải quyết TK-2611-000123".'
    ),
    "bot.feedback_not_open": ("Hồ sơ {code} hiện không chờ ý kiến đánh giá của Ông/Bà ({state})."),
    "bot.rating_thanks": "Cảm ơn Ông/Bà đã đánh giá {rating}/5 cho hồ sơ {code}.",
    # Withdrawal.
    "bot.withdraw_which": "Ông/Bà muốn rút hồ sơ nào? Bấm chọn bên dưới.",
    "bot.withdraw_confirm": (
        "Ông/Bà có chắc muốn rút hồ sơ {code} ({summary})? Sau khi rút, hồ sơ sẽ được đóng."
    ),
    "bot.withdraw_kept": "Hồ sơ {code} vẫn tiếp tục được xử lý.",
    "bot.withdraw_none": "Ông/Bà không có hồ sơ nào đang xử lý để rút.",
    # The citizen's data (Law 91/2025/QH15).
    "bot.data_menu": (
        "Dữ liệu chúng tôi lưu về Ông/Bà: mã người dùng Zalo, thời điểm đồng ý, nội dung và "
        "hình ảnh các phản ánh ({count} hồ sơ), số điện thoại liên hệ nếu Ông/Bà đã cung cấp. "
        "Dữ liệu chỉ dùng để giải quyết phản ánh và được ẩn danh sau khi hồ sơ đóng một thời "
        "gian theo quy định. Ông/Bà có thể nhận bản sao hoặc yêu cầu xóa."
    ),
    "bot.data_copy": "Bản sao dữ liệu của Ông/Bà (lập ngày {date}):\n{body}",
    "bot.data_copy_zalo_id": "Mã người dùng Zalo: {zalo_id}",
    "bot.data_copy_consent": "Đồng ý lưu thông tin: {date} (phiên bản {version})",
    "bot.data_copy_no_consent": "Đồng ý lưu thông tin: chưa có",
    "bot.data_copy_phone": "Số điện thoại: {phone}",
    "bot.data_copy_item": "Hồ sơ {code} ({date}) – {state}: {summary}",
    "bot.data_copy_name": "Tên Zalo: {name}",
    "bot.data_copy_withdrawn": "Rút đồng ý: {date}",
    "bot.data_copy_message": "Tin nhắn {time}: {text}",
    "bot.data_delete_confirm": (
        "Ông/Bà có chắc muốn yêu cầu xóa dữ liệu? Sau khi cán bộ xác nhận, tên, số điện thoại, "
        "nội dung và hình ảnh sẽ bị xóa; chỉ giữ số liệu thống kê không gắn với Ông/Bà."
    ),
    "bot.data_delete_requested": (
        "Đã ghi nhận yêu cầu xóa dữ liệu của Ông/Bà ngày {date}. Cán bộ sẽ xác nhận, thực hiện "
        "và báo kết quả qua kênh này chậm nhất ngày {due}."
    ),
    "bot.data_request_received": (
        "Đã ghi nhận yêu cầu {what} của Ông/Bà ngày {date}. Cán bộ sẽ thực hiện và báo kết quả "
        "qua kênh này chậm nhất ngày {due}."
    ),
    "bot.data_correct_ask": (
        "Ông/Bà vui lòng nhắn trong một tin nhắn thông tin cần sửa (ví dụ: họ tên, số điện "
        "thoại đúng)."
    ),
    "bot.data_corrected": "Ủy ban MTTQ đã chỉnh sửa thông tin của Ông/Bà theo yêu cầu: {what}.",
    "bot.data_deleted": (
        "Ủy ban MTTQ đã xóa dữ liệu cá nhân của Ông/Bà theo yêu cầu: tên, mã Zalo, số điện "
        "thoại, nội dung định danh và hình ảnh. Chỉ còn số liệu thống kê không gắn với Ông/Bà."
    ),
    "bot.data_delete_postponed": (
        "Yêu cầu xóa dữ liệu của Ông/Bà chưa thể thực hiện ngay vì:\n{reasons}\n"
        "Dữ liệu sẽ được xóa khi các hồ sơ trên giải quyết xong; Ông/Bà cũng có thể rút hồ sơ "
        "(gõ RUT <mã hồ sơ>)."
    ),
    "bot.data_refused": "Ủy ban MTTQ không thể thực hiện yêu cầu {what} của Ông/Bà vì: {reason}",
    "bot.consent_stopped": (
        "Ủy ban MTTQ đã ngừng xử lý dữ liệu của Ông/Bà theo yêu cầu rút đồng ý; thông tin mới "
        "sẽ không được lưu."
    ),
    "bot.consent_stopped_open": (
        "Ủy ban MTTQ đã ngừng xử lý dữ liệu mới của Ông/Bà theo yêu cầu rút đồng ý. Hồ sơ "
        "{codes} vẫn được theo dõi đến khi có kết quả (đây là nhiệm vụ giải quyết phản ánh theo "
        'luật); để xóa dữ liệu, gõ "Dữ liệu của tôi".'
    ),
    "bot.data_delete_cancelled": "Đã hủy yêu cầu xóa dữ liệu. Dữ liệu của Ông/Bà được giữ nguyên.",
    # Everything else.
    "bot.greeting": (
        "Xin chào Ông/Bà! Ông/Bà cần phản ánh, kiến nghị việc gì, xin cứ nhắn nội dung (có thể "
        "kèm ảnh, vị trí). Gõ DS để xem các hồ sơ đã gửi."
    ),
    "bot.thanks": "Dạ, cảm ơn Ông/Bà. Khi cần phản ánh thêm, Ông/Bà cứ nhắn cho chúng tôi.",
    "bot.bot_question": (
        "Đây là trợ lý tự động của Ủy ban MTTQ Việt Nam. Mọi phản ánh đều được cán bộ Mặt "
        "trận trực tiếp xem xét và xử lý."
    ),
    "bot.smalltalk": (
        "Dạ, đây là kênh tiếp nhận phản ánh, kiến nghị của Mặt trận. Ông/Bà cần phản ánh việc "
        "gì, xin cứ nhắn nội dung; gõ TRA <mã> để tra cứu hồ sơ."
    ),
    "bot.sticker": "Dạ, Ông/Bà cần phản ánh, kiến nghị việc gì, xin cứ nhắn nội dung ạ.",
    "bot.unsupported": (
        "Hiện chúng tôi chưa xem được loại tin nhắn này (thoại, video). Ông/Bà vui lòng gửi "
        "nội dung bằng chữ hoặc ảnh."
    ),
    "bot.abuse": (
        "Chúng tôi luôn sẵn sàng lắng nghe. Mong Ông/Bà dùng lời lẽ phù hợp để cán bộ hỗ trợ "
        "được tốt nhất."
    ),
    "bot.abuse_flagged": (
        "Cuộc trò chuyện đã được chuyển cho cán bộ xem xét. Khi cần phản ánh, Ông/Bà vui lòng "
        "trình bày nội dung cụ thể."
    ),
    "bot.flood": (
        "Ông/Bà đã gửi nhiều tin nhắn trong thời gian ngắn. Chúng tôi vẫn ghi nhận; xin vui "
        "lòng chờ trong giây lát rồi nhắn tiếp."
    ),
    # Questions answered from the knowledge base («Hỏi đáp»).
    "bot.answer_footer": (
        "\n(Nếu Ông/Bà muốn gửi phản ánh, kiến nghị, xin cứ nhắn nội dung sự việc.)"
    ),
    "bot.ask_question_or_petition": "Ông/Bà muốn hỏi hay muốn gửi phản ánh?",
    "button.question": "Tôi muốn hỏi",
    "button.petition": "Gửi phản ánh",
    "button.ask_staff": "Gửi câu hỏi",
    "bot.question_unknown": (
        "Chúng tôi chưa có sẵn câu trả lời cho câu hỏi này. Ông/Bà có thể bấm «Gửi câu hỏi» để "
        "cán bộ Mặt trận trả lời qua Zalo (câu hỏi được lưu như một hồ sơ hỏi đáp), hoặc hỏi "
        "trực tiếp tại Ủy ban MTTQ phường trong giờ làm việc (thứ Hai – thứ Sáu, sáng 7 giờ 30 – "
        "11 giờ 30, chiều 13 giờ 30 – 17 giờ)."
    ),
    "bot.petition_go_ahead": "Xin mời Ông/Bà nhắn nội dung cần phản ánh (việc gì, ở đâu).",
    "bot.stale_button": (
        "Nút này thuộc một tin nhắn trước nên không còn dùng được. Ông/Bà cần gì xin nhắn tiếp; "
        "gõ DS để xem các hồ sơ của mình."
    ),
    # Messages sent before consent, held for a short time.
    "bot.held_offer": "Ông/Bà đã nhắn: «{text}». Dùng làm nội dung phản ánh?",
    "button.use_held": "Dùng nội dung này",
    "button.drop_held": "Không dùng",
    "bot.held_dropped": (
        "Đã xóa nội dung nhắn trước đó. Xin mời Ông/Bà nhắn nội dung cần phản ánh."
    ),
    # Places.
    "bot.outside_area": (
        "Kênh này tiếp nhận phản ánh về 4 phường Tam Kỳ, Quảng Phú, Bàn Thạch, Hương Trà "
        "(khu vực Tam Kỳ cũ, thành phố Đà Nẵng). Sự việc ở {place} nằm ngoài khu vực này: Ông/Bà "
        "vui lòng gửi đến Ủy ban MTTQ hoặc UBND xã, phường nơi xảy ra sự việc, hoặc gửi trực "
        "tuyến qua mục Phản ánh, kiến nghị của Cổng Dịch vụ công quốc gia (dichvucong.gov.vn).\n"
        "Nếu sự việc thật ra ở khu vực Tam Kỳ, xin bấm chọn phường."
    ),
    "bot.location_ward": (
        "Vị trí Ông/Bà gửi ở gần {unit} cũ, thuộc {ward}. Đúng phường này không ạ?"
    ),
    "button.yes_ward": "Đúng, {ward}",
    "button.other_ward": "Phường khác",
    # Everyday requests.
    "bot.nudge_draft": (
        "Dạ, chúng tôi đang chờ Ông/Bà nhắn xong để tổng hợp; chỉ vài giây nữa sẽ trả lời."
    ),
    "bot.nudge_none": (
        "Ông/Bà chưa có hồ sơ nào đang xử lý. Cần phản ánh việc gì, xin cứ nhắn nội dung."
    ),
    "bot.correction_noted": (
        "Đã ghi nhận đính chính cho hồ sơ {code}; cán bộ phụ trách sẽ cập nhật."
    ),
    "bot.split_offer": (
        "Tin nhắn của Ông/Bà có 2 việc khác nhau:\n1) {first}\n2) {second}\n"
        "Ông/Bà muốn gửi thành 2 phản ánh riêng (mỗi việc được chuyển đúng nơi xử lý)?"
    ),
    "button.split_two": "Gửi 2 phản ánh",
    "button.split_one": "Gửi chung 1",
    "bot.split_next": "Tiếp theo là phản ánh thứ hai:",
    "bot.english": (
        "Hello! This Zalo account belongs to the Vietnam Fatherland Front committees of the "
        "four Tam Ky wards (Tam Ky, Quang Phu, Ban Thach, Huong Tra) in Da Nang. It takes "
        "residents' complaints and suggestions in Vietnamese and passes them to the authorities. "
        "Please write in Vietnamese, or visit the Front office at your ward's People's "
        "Committee, Monday to Friday, 7:30-11:30 and 13:30-17:00. "
        "Emergencies: police 113, fire and rescue 114, ambulance 115."
    ),
    # Staff-facing notifications the conversation raises (admin view, Vietnamese).
    "staff.urgent_title": "KHẨN: người dân báo {reasons} qua Zalo",
    "staff.urgent_body": (
        "Dấu hiệu: {reasons}.\nNơi xảy ra: {where}.\nNgười dân nhắn: «{text}»\n"
        "{consent}Người dùng Zalo #{citizen_id}. Đề nghị cán bộ trực liên hệ, phối hợp lực "
        "lượng chức năng ngay."
    ),
    "staff.urgent_no_consent": (
        "Người dân CHƯA đồng ý lưu thông tin: nội dung được giữ lại vì lợi ích sống còn "
        "(trường hợp khẩn cấp).\n"
    ),
    "staff.urgent_more": "\nNgười dân nhắn thêm: «{text}»",
    "staff.correction_title": "Người dân đính chính hồ sơ {code}",
    "staff.unknown_ward": "Chưa rõ phường",
    "staff.info_urgent_note": (
        "Bổ sung qua Zalo; người dân báo nguy hiểm đang xảy ra: hồ sơ được đánh dấu khẩn"
    ),
    "staff.ward_guess_text": "tạm xác định theo «{matched}» trong tin nhắn, cần xác nhận",
    "staff.ward_guess_last": "tạm xác định theo phường của hồ sơ trước của người dân, cần xác nhận",
    "staff.ward_guess_note": (
        "Người dân chưa nêu phường: hệ thống tạm giao {ward} ({why}). Cán bộ xác nhận hoặc sửa "
        "phường ở mục «Gợi ý của hệ thống»."
    ),
    "staff.abuse_title": "Người dân dùng lời lẽ xúc phạm nhiều lần",
    "staff.abuse_body": "Người dùng Zalo #{citizen_id} đã bị gắn cờ sau {count} tin nhắn.",
    "staff.data_request_title": "{what} — hạn {due}",
    "staff.data_request_done_title": "{what} — đã có hiệu lực ngay, chỉ để biết",
    "staff.data_request_body": (
        "Người dùng Zalo #{citizen_id} ({count} hồ sơ đã gửi), nhận lúc {date} ({channel}). "
        "Hạn thực hiện: {due} ({reason})."
    ),
    "staff.data_request_ready": (
        "Các hồ sơ của người dùng Zalo #{citizen_id} đã đóng: có thể thực hiện yêu cầu xóa "
        "dữ liệu đã tạm hoãn."
    ),
    "staff.reopen_title": "Người dân đề nghị mở lại hồ sơ {code}",
    "staff.followup_title": "Người dân bổ sung thông tin cho hồ sơ {code}",
    "staff.info_title": "Người dân đã bổ sung thông tin được yêu cầu cho hồ sơ {code}",
    "staff.classify_title": "Hồ sơ {code}: hệ thống chưa xác định được lĩnh vực, cần phân loại",
    "staff.callback_title": "Hồ sơ {code}: người dân đề nghị cán bộ gọi lại",
}


class MissingPlaceholder(KeyError):
    """A template needs a value the caller did not give."""


def placeholders(template: str) -> set[str]:
    """The {names} a template uses."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def template_for(session: Session, key: str) -> str:
    """The staff's active override of a key, or the catalogue default."""
    override = session.scalar(
        select(ResponseTemplate.body).where(
            ResponseTemplate.key == key,
            ResponseTemplate.category_id.is_(None),
            ResponseTemplate.active.is_(True),
        )
    )
    return override or CATALOGUE[key]


def render(session: Session, key: str, **params: object) -> str:
    """Fill a template; an override that breaks placeholders falls back to the default."""
    template = template_for(session, key)
    try:
        return _fill(template, params)
    except (MissingPlaceholder, UnsafeTemplate):
        if template == CATALOGUE[key]:
            raise
        logger.warning("template override %s does not fill safely; using default", key)
        return _fill(CATALOGUE[key], params)


def _fill(template: str, params: Mapping[str, object]) -> str:
    missing = placeholders(template) - set(params)
    if missing:
        raise MissingPlaceholder(", ".join(sorted(missing)))
    return fill(template, params)
