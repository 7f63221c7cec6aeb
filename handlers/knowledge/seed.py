"""The answers the product starts with. Staff edit them in the admin («Hỏi đáp»).

Only facts the team could check are stated; details not yet confirmed (the committees'
addresses and phone numbers, Saturday opening) say so, for staff to fill in. Seeding adds
a topic (or a ward's version of it) only when it is missing, so staff edits survive.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import KnowledgeAnswer, Ward

TO_CONFIRM = "đang cập nhật"  # staff fill these in on «Hỏi đáp»; no promise to the citizen

#: (topic, question, phrasings one a line, answer) for the whole area.
AREA: tuple[tuple[str, str, str, str], ...] = (
    (
        "hours",
        "Giờ làm việc của Ủy ban MTTQ và UBND phường",
        "mấy giờ làm việc\ngiờ làm việc\nthứ 7 có làm việc không\nchủ nhật có làm không\n"
        "làm việc lúc nào\nmở cửa mấy giờ\nbuổi chiều mấy giờ làm\ngiờ hành chính",
        "Ủy ban MTTQ và UBND các phường làm việc từ thứ Hai đến thứ Sáu (trừ ngày lễ, Tết): "
        "sáng 7 giờ 30 – 11 giờ 30, chiều 13 giờ 30 – 17 giờ. Việc tiếp nhận hồ sơ vào sáng "
        f"thứ Bảy (nếu có) do UBND từng phường thông báo ({TO_CONFIRM}). Kênh Zalo này nhận "
        "phản ánh cả ngoài giờ; cán bộ xem vào giờ làm việc kế tiếp.",
    ),
    (
        "front_office",
        "Địa chỉ, số điện thoại Ủy ban MTTQ các phường",
        "mặt trận phường ở đâu\nđịa chỉ mttq phường\nsố điện thoại mặt trận\nsđt mttq\n"
        "trụ sở mặt trận ở đâu\nliên hệ mặt trận phường thế nào",
        "Ủy ban MTTQ Việt Nam các phường Tam Kỳ, Quảng Phú, Bàn Thạch, Hương Trà làm việc tại "
        f"trụ sở phường. Địa chỉ và số điện thoại từng nơi: {TO_CONFIRM}. Ông/Bà hỏi phường "
        "nào, xin ghi rõ tên phường.",
    ),
    (
        "procedures",
        "Làm thủ tục hành chính (hộ tịch, xác nhận, chứng thực, đất đai) ở đâu, cần giấy tờ gì",
        "làm giấy xác nhận tình trạng hôn nhân cần giấy tờ gì\nđăng ký khai sinh ở đâu\n"
        "làm thủ tục ở đâu\ncần những giấy tờ gì\nchứng thực giấy tờ ở đâu\nnộp hồ sơ online\n"
        "dịch vụ công trực tuyến\nđăng ký kết hôn cần gì\nthủ tục hộ tịch",
        "Thủ tục hành chính (hộ tịch như khai sinh, kết hôn, xác nhận tình trạng hôn nhân; "
        "chứng thực; đất đai…) do UBND phường giải quyết tại Bộ phận tiếp nhận và trả kết quả "
        "(một cửa). Ông/Bà có thể nộp trực tuyến trên Cổng Dịch vụ công quốc gia "
        "dichvucong.gov.vn, đăng nhập bằng tài khoản định danh điện tử VNeID; thành phần hồ sơ "
        "của từng thủ tục được công khai tại đó. Mặt trận không giải quyết thủ tục, nhưng nếu "
        "thủ tục bị chậm, gây phiền hà, Ông/Bà có thể phản ánh qua kênh này.",
    ),
    (
        "duration",
        "Phản ánh được giải quyết trong bao lâu",
        "bao lâu thì có kết quả\nmấy ngày thì được trả lời\nkhi nào có kết quả\n"
        "bao giờ được giải quyết\nthời hạn giải quyết",
        "Trong vòng 10 ngày kể từ khi tiếp nhận, Ông/Bà được thông báo hướng giải quyết (Mặt "
        "trận trả lời hoặc chuyển cơ quan có thẩm quyền). Thời hạn cơ quan giải quyết tùy loại "
        "việc (việc khẩn ở hiện trường 1 ngày làm việc; kiến nghị thông thường đến 30 ngày); "
        "Mặt trận theo dõi và đôn đốc khi quá hạn. Tra cứu: gõ TRA <mã hồ sơ>.",
    ),
    (
        "front_role",
        "Mặt trận làm được gì và không làm được gì",
        "mặt trận là gì\nmttq làm gì\nmặt trận có giải quyết không\nmặt trận có quyền gì\n"
        "mặt trận có xử phạt được không\nmặt trận giúp được gì",
        "Mặt trận Tổ quốc lắng nghe, tiếp nhận phản ánh, kiến nghị của Nhân dân, chuyển đến cơ "
        "quan có thẩm quyền, theo dõi, giám sát và đôn đốc việc giải quyết, tham gia hòa giải "
        "ở cơ sở. Mặt trận không thay cơ quan nhà nước ra quyết định, cấp giấy tờ, xử phạt "
        "hay phân xử tranh chấp; những việc đó Mặt trận chuyển đúng nơi và theo dõi đến khi có "
        "kết quả.",
    ),
    (
        "how_to",
        "Gửi phản ánh qua Zalo thế nào",
        "gửi phản ánh thế nào\nlàm sao để phản ánh\ncách gửi kiến nghị\nhướng dẫn gửi đơn",
        "Ông/Bà chỉ cần nhắn nội dung sự việc (việc gì, ở đâu), có thể gửi kèm ảnh và vị trí; "
        "hệ thống hỏi thêm nếu thiếu rồi đề nghị Ông/Bà bấm GỬI. Sau đó Ông/Bà nhận mã hồ sơ "
        "để tra cứu bằng lệnh TRA <mã>.",
    ),
    (
        "privacy",
        "Thông tin cá nhân được dùng thế nào",
        "bảo mật thông tin\nthông tin cá nhân có bị lộ không\ndữ liệu cá nhân\n"
        "có giữ bí mật người tố cáo không",
        "Thông tin của Ông/Bà chỉ dùng để giải quyết phản ánh; danh tính người tố cáo được giữ "
        'bí mật. Gõ "Dữ liệu của tôi" để xem, nhận bản sao hoặc yêu cầu xóa dữ liệu.',
    ),
    (
        "emergency_numbers",
        "Số điện thoại khẩn cấp",
        "số điện thoại cứu hỏa\ngọi cấp cứu số mấy\nsố công an\nsố khẩn cấp\n"
        "báo sự cố điện gọi số nào\nđường dây nóng điện lực",
        "Số khẩn cấp toàn quốc: 113 công an, 114 cứu hỏa và cứu nạn, cứu hộ, 115 cấp cứu y tế. "
        "Sự cố lưới điện (dây điện đứt, cột điện đổ): tổng đài điện lực 1900 1909.",
    ),
)


def seed_knowledge(session: Session) -> Counter[str]:
    """Add missing area answers and each ward's own «front_office» answer."""
    added: Counter[str] = Counter()
    have = {(k.topic, k.ward_id) for k in session.scalars(select(KnowledgeAnswer))}
    for topic, question, phrasings, answer in AREA:
        if (topic, None) not in have:
            session.add(
                KnowledgeAnswer(topic=topic, question=question, phrasings=phrasings, answer=answer)
            )
            added["knowledge_answers"] += 1
    for ward in session.scalars(select(Ward).where(Ward.active.is_(True))):
        if ("front_office", ward.id) in have:
            continue
        session.add(
            KnowledgeAnswer(
                topic="front_office",
                ward_id=ward.id,
                question=f"Ủy ban MTTQ {ward.full_name} ở đâu, số điện thoại",
                phrasings=f"mặt trận {ward.full_name} ở đâu\nsđt mttq {ward.full_name}",
                answer=(
                    f"Ủy ban MTTQ Việt Nam {ward.full_name} làm việc tại trụ sở {ward.full_name}. "
                    f"Địa chỉ: {TO_CONFIRM}. Điện thoại: {TO_CONFIRM}. Giờ làm việc: thứ Hai – "
                    "thứ Sáu, sáng 7 giờ 30 – 11 giờ 30, chiều 13 giờ 30 – 17 giờ."
                ),
            )
        )
        added["knowledge_answers"] += 1
    session.flush()
    return added
