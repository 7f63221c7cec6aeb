"""Keyword lexicon per category: the baseline classifier, and features for the model.

The lists come from the taxonomy's "what belongs here" column and everyday
petition vocabulary, written once from domain knowledge (never from the
evaluation set).  Matching is on folded text, so diacritics do not matter;
multi-word phrases count more than single words because they are less
ambiguous once diacritics are gone ("dat" alone is many words, "so do" is one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nlp.normalize import fold, normalize

CATEGORIES: tuple[str, ...] = (
    "dat_dai", "xay_dung_do_thi", "giao_thong", "ha_tang_dien_nuoc", "moi_truong",
    "an_ninh_trat_tu", "an_sinh_xa_hoi", "y_te", "giao_duc", "hanh_chinh_can_bo",
    "tham_nhung_tieu_cuc", "kinh_te_nong_nghiep", "khac",
)  # fmt: skip
FALLBACK = "khac"

LEXICON: dict[str, tuple[str, ...]] = {
    "dat_dai": (
        "đất đai", "sổ đỏ", "sổ hồng", "quyền sử dụng đất", "giấy chứng nhận quyền sử dụng",
        "thu hồi đất", "bồi thường", "giải phóng mặt bằng", "tái định cư", "đền bù",
        "tranh chấp đất", "lấn chiếm đất", "giá đất", "bảng giá đất", "thửa đất", "địa chính",
        "chuyển mục đích sử dụng đất", "cấp sổ", "đo đạc", "ranh giới đất", "đất ở",
        "đất nông nghiệp", "đất công", "giao đất", "lô đất", "đấu giá đất", "tiền sử dụng đất",
        "trích đo", "tách thửa", "hợp thửa", "đất rừng",
    ),
    "xay_dung_do_thi": (
        "xây dựng trái phép", "xây dựng không phép", "giấy phép xây dựng", "xây sai phép",
        "lấn chiếm vỉa hè", "vỉa hè", "lòng đường", "buôn bán lấn chiếm", "bán hàng rong",
        "quảng cáo", "biển quảng cáo", "quy hoạch", "quy hoạch treo", "trật tự đô thị",
        "chỉnh trang đô thị", "công trình xây dựng", "xây nhà", "cơi nới", "xây lấn",
        "tháo dỡ", "cưỡng chế công trình", "chung cư", "mỹ quan đô thị", "hẻm",
        "dự án khu đô thị", "khu dân cư mới", "nhà tạm", "vật liệu xây dựng",
    ),
    "giao_thong": (
        "giao thông", "đường hư hỏng", "ổ gà", "ổ voi", "mặt đường", "nâng cấp đường",
        "mở rộng đường", "làm đường", "cây cầu", "cầu tạm", "cầu dân sinh", "cầu cống",
        "đèn tín hiệu", "đèn giao thông",
        "biển báo", "an toàn giao thông", "tai nạn giao thông", "gờ giảm tốc", "xe buýt",
        "vạch kẻ đường", "xe quá tải", "xe tải", "ùn tắc", "kẹt xe", "đường tỉnh",
        "quốc lộ", "đường liên thôn", "bê tông hóa", "dải phân cách", "đường sắt",
        "bến xe", "điểm đỗ", "xe ben", "nút giao", "vòng xoay", "lái xe",
    ),
    "ha_tang_dien_nuoc": (
        "mất điện", "cúp điện", "cắt điện", "điện lực", "công tơ", "hóa đơn tiền điện",
        "tiền điện", "đèn đường", "chiếu sáng", "điện chiếu sáng", "nước sạch", "mất nước",
        "cúp nước", "nước máy", "tiền nước", "đồng hồ nước", "cấp nước", "thoát nước",
        "mương thoát nước", "cống thoát nước", "ngập úng", "ngập nước", "nắp cống", "hố ga",
        "trạm biến áp", "dây điện", "cột điện", "điện yếu", "áp lực nước", "nước đục",
        "đường ống nước", "ống nước",
    ),
    "moi_truong": (
        "môi trường", "ô nhiễm", "rác thải", "rác", "thu gom rác", "đổ rác", "bãi rác",
        "mùi hôi", "hôi thối", "khói bụi", "bụi", "nước thải", "xả thải", "chăn nuôi",
        "chất thải", "đốt rác", "đốt rơm", "cây xanh", "công viên", "chặt cây", "tiếng ồn",
        "vệ sinh môi trường", "xác động vật", "ruồi muỗi", "phân heo", "trại heo",
        "cá chết", "nước sông ô nhiễm", "khu xử lý", "công ty môi trường",
    ),
    "an_ninh_trat_tu": (
        "an ninh", "trật tự", "trộm", "trộm cắp", "cướp", "cướp giật", "ma túy", "nghiện",
        "cờ bạc", "đánh bạc", "số đề", "đánh nhau", "ẩu đả", "tín dụng đen", "cho vay nặng lãi",
        "lừa đảo", "karaoke", "loa kẹo kéo", "hát karaoke", "gây ồn", "tụ tập", "đua xe",
        "say xỉn", "công an", "côn đồ", "đe dọa", "hành hung", "tệ nạn", "mại dâm",
        "trộm chó", "nhậu nhẹt", "quấy rối", "gây rối",
    ),
    "an_sinh_xa_hoi": (
        "hộ nghèo", "cận nghèo", "hộ cận nghèo", "trợ cấp", "bảo trợ xã hội", "người có công",
        "thương binh", "liệt sĩ", "người cao tuổi", "người khuyết tật", "bảo hiểm xã hội",
        "lương hưu", "việc làm", "thất nghiệp", "tiền lương", "nợ lương", "nhà đại đoàn kết",
        "gia đình chính sách", "cứu trợ", "mẹ việt nam anh hùng",
        "trợ cấp xã hội", "chế độ", "lao động", "công nhân", "người lao động", "xuất khẩu lao động",
    ),
    "y_te": (
        "y tế", "bệnh viện", "trạm y tế", "bác sĩ", "khám bệnh", "chữa bệnh", "bảo hiểm y tế",
        "thẻ bảo hiểm y tế", "thiếu thuốc", "cấp thuốc", "sốt xuất huyết", "dịch bệnh",
        "tiêm chủng", "vắc xin",
        "an toàn thực phẩm", "ngộ độc thực phẩm", "phòng khám", "điều dưỡng", "cấp cứu",
        "khám chữa bệnh", "dịch sốt", "phun thuốc muỗi", "nhà thuốc", "bệnh nhân",
    ),
    "giao_duc": (
        "giáo dục", "trường học", "học sinh", "giáo viên", "cô giáo", "thầy giáo",
        "học phí", "dạy thêm", "học thêm", "tuyển sinh", "lớp học", "phòng học", "mầm non",
        "tiểu học", "trung học", "sách giáo khoa", "các khoản thu", "quỹ phụ huynh",
        "ban đại diện cha mẹ", "bán trú", "điểm trường", "nhà trường", "đồng phục",
    ),
    "hanh_chinh_can_bo": (
        "thủ tục hành chính", "thủ tục", "hồ sơ", "một cửa", "dịch vụ công", "trễ hẹn",
        "chứng thực", "hộ tịch", "khai sinh", "đăng ký kết hôn", "cư trú", "căn cước",
        "thái độ", "cán bộ", "hách dịch", "gây khó khăn", "nhũng nhiễu", "chậm trễ",
        "ủy ban nhân dân phường", "tiếp dân", "giải quyết đơn", "trả kết quả", "công chức",
        "sáp nhập", "con dấu", "giấy tờ", "trực tuyến",
    ),
    "tham_nhung_tieu_cuc": (
        "tham nhũng", "tiêu cực", "hối lộ", "nhận hối lộ", "phong bì", "bôi trơn",
        "lãng phí", "tham ô", "biển thủ", "ăn chặn", "ăn bớt", "rút ruột", "chia chác",
        "lợi ích nhóm", "lạm quyền", "lợi dụng chức vụ", "sai phạm", "thất thoát",
        "người nhà cán bộ", "con ông cháu cha", "chạy chức", "chạy việc", "vòi tiền",
        "bỏ hoang", "tài sản công", "trụ sở bỏ hoang", "khuất tất", "gian lận",
    ),
    "kinh_te_nong_nghiep": (
        "nông nghiệp", "nông dân", "thủy lợi", "kênh mương", "tưới tiêu", "ruộng lúa", "trồng lúa",
        "ruộng", "giống", "phân bón", "vật nuôi", "chăn nuôi", "dịch tả", "cây trồng",
        "giá cả", "sạp chợ", "ban quản lý chợ", "tiểu thương", "kinh doanh", "doanh nghiệp", "ocop",
        "ngư dân",
        "tàu cá", "đánh bắt", "nuôi trồng thủy sản", "hợp tác xã", "tiêu thụ", "mất mùa",
        "khuyến nông", "vay vốn", "sản xuất", "hộ kinh doanh", "thuế khoán",
    ),
    "khac": (
        "văn hóa", "thể thao", "lễ hội", "tôn giáo", "chùa", "nhà thờ", "di tích", "khen ngợi",
        "cảm ơn", "biểu dương", "góp ý", "nhà văn hóa", "thư viện", "sân chơi", "du lịch",
        "tín ngưỡng", "đình làng", "nghĩa trang", "văn nghệ", "bóng đá", "đề xuất chung",
    ),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class KeywordScores:
    """Keyword hits per category (phrase length weighted), best first."""

    ranked: tuple[tuple[str, float], ...]

    @property
    def best(self) -> str:
        return self.ranked[0][0] if self.ranked and self.ranked[0][1] > 0 else FALLBACK


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """One alternation per category over folded phrases, longest first."""
    result = []
    for category, phrases in LEXICON.items():
        folded = sorted({fold(p) for p in phrases}, key=len, reverse=True)
        alternation = "|".join(re.escape(p) for p in folded)
        result.append((category, re.compile(rf"\b(?:{alternation})\b")))
    return tuple(result)


def hits(folded_text: str) -> dict[str, float]:
    """Weighted keyword hits per category in already folded text."""
    scores: dict[str, float] = {}
    for category, pattern in _patterns():
        total = sum(len(m.group(0).split()) for m in pattern.finditer(folded_text))
        if total:
            scores[category] = float(total)
    return scores


def score(text: str) -> KeywordScores:
    """Rank categories by keyword hits; no hit at all ranks nothing (→ khac)."""
    found = hits(fold(normalize(text)))
    order = {c: i for i, c in enumerate(CATEGORIES)}
    ranked = sorted(found.items(), key=lambda kv: (-kv[1], order.get(kv[0], 99)))
    return KeywordScores(tuple(ranked))


def classify(text: str) -> str:
    """The keyword baseline: the category with the most keyword weight, else khac."""
    return score(text).best
