"""Suggest the legal type (loại đơn) of a petition; staff confirm it.

The type decides the legal deadline and confidentiality (a tố cáo's author is
protected).  Explicit rules first, a model for the matters of tone, in order:
- tố cáo: the citizen denounces wrongdoing (the word itself, or an official
  taking bribes, embezzling, skimming support money...);
- khiếu nại: the citizen contests a decision or act of an authority;
- then the legal-type model (trained on the corpus's legal_type labels) picks
  hỏi đáp, kiến nghị or phản ánh; without it, rules: a question with no
  complaint or request is hỏi đáp, a request is kiến nghị, else phản ánh.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp import registry
from nlp.features import extract
from nlp.normalize import fold, has_diacritics_mostly, normalize

LEGAL_TYPES: tuple[str, ...] = ("khieu_nai", "to_cao", "kien_nghi", "phan_anh", "hoi_dap")


@dataclass(frozen=True, slots=True)
class _Rule:
    """A pattern with diacritics and its folded twin for text typed without them."""

    accented: re.Pattern[str]
    folded: re.Pattern[str]

    def search(self, view: _View) -> bool:
        pattern = self.accented if view.accented else self.folded
        return pattern.search(view.text) is not None


@dataclass(frozen=True, slots=True)
class _View:
    text: str  # lowercase, with diacritics when ``accented``, folded otherwise
    accented: bool


def _pattern(source: str) -> _Rule:
    """Compile ``source`` twice; folded matching only for text typed without diacritics."""
    return _Rule(re.compile(rf"\b(?:{source})\b"), re.compile(rf"\b(?:{fold(source)})\b"))


def _view(raw: str, clean: str) -> _View:
    """Judge diacritics on what the citizen typed: expanded teencode adds some."""
    accented = has_diacritics_mostly(raw)
    return _View(clean.lower() if accented else fold(clean), accented)


_TO_CAO = _pattern(
    r"tố cáo|tố giác|nhận hối lộ|đưa hối lộ|hối lộ|tham ô|biển thủ|ăn chặn|ăn bớt|ăn chia|"
    r"chiếm đoạt|rút ruột|vòi tiền|đòi tiền|bôi trơn|phong bì|lợi dụng chức vụ|"
    r"lạm dụng chức vụ|bao che|thu tiền sai quy định|làm giả|khai khống|móc ngoặc|"
    r"cấu kết|bảo kê|nhận tiền (?:của|để|mới)|tư lợi|ưu ái người nhà"
)
_KHIEU_NAI = _pattern(
    r"khiếu nại|không đồng ý với (?:quyết định|việc|kết luận|phương án|mức|giá)|"
    r"không đồng ý (?:quyết định|phương án)|đề nghị (?:xem xét|rà soát) lại|"
    r"quyết định (?:\w+ ){0,4}(?:sai|không đúng|trái)|xử phạt (?:sai|oan|không đúng)|"
    r"phạt oan|bị từ chối (?:cấp|giải quyết|tiếp nhận)|từ chối (?:cấp|giải quyết|tiếp nhận)|"
    r"áp giá (?:thấp|sai|không đúng)|tính (?:sai|thiếu) (?:diện tích|tiền)"
)
_QUESTION = _pattern(
    r"cho (?:tôi |em |cháu |mình |con )?hỏi|xin hỏi|hỏi (?:thăm|giúp|chút)|muốn hỏi|"
    r"có được không|được không|như thế nào|thế nào|ra sao|làm sao|ở đâu|bao lâu|bao giờ|"
    r"bao nhiêu|khi nào|(?:những )?(?:giấy tờ|thủ tục|hồ sơ) gì|gì không|hay không|phải không|"
    r"có phải|không ạ|chưa ạ|vậy ạ|nào ạ|đúng không|là gì|có còn"
)
_REQUEST = _pattern(
    r"kiến nghị|đề nghị|đề xuất|yêu cầu|mong (?:muốn|được|các|cơ quan|chính quyền|phường|"
    r"mặt trận|lãnh đạo|sớm|ủy ban)|xin (?:được|cho|phép|hỗ trợ|cấp|xem xét)|kính mong|"
    r"nguyện vọng|tha thiết|nên (?:có|lắp|làm|xây|mở|bố trí|tổ chức)|"
    r"sớm (?:có|cho|xem xét|bố trí|đầu tư)"
)
_GRIEVANCE = _pattern(
    r"phản ánh|bức xúc|không chịu|mãi không|vẫn chưa|chậm|sai|ô nhiễm|hư hỏng|"
    r"xuống cấp|gây|lấn chiếm|trái phép|nhũng nhiễu|hách dịch"
)


def _is_question(clean: str, view: _View) -> bool:
    """A question: asks, and does not also complain."""
    asks = clean.rstrip().endswith("?") or _QUESTION.search(view)
    return bool(asks) and not _GRIEVANCE.search(view) and not _REQUEST.search(view)


def _by_rules(clean: str, view: _View) -> str:
    if _is_question(clean, view):
        return "hoi_dap"
    if _REQUEST.search(view):
        return "kien_nghi"
    return "phan_anh"


def suggest(text: str) -> str:
    """Return one of ``LEGAL_TYPES`` for ``text`` (phan_anh when nothing stands out).

    The explicit tố cáo and khiếu nại rules go first; the rest (kiến nghị vs
    phản ánh vs hỏi đáp is a matter of tone) is left to the legal-type model
    when one is trained, and to the rules above otherwise.
    """
    if not isinstance(text, str) or not text.strip():
        return "phan_anh"
    clean = normalize(text[:20_000])
    view = _view(text[:20_000], clean)
    if _TO_CAO.search(view):
        return "to_cao"
    if _KHIEU_NAI.search(view):
        return "khieu_nai"
    model = registry.bundle().legal_type
    if model is None:
        return _by_rules(clean, view)
    return model.proba(extract(text, model.config))[0][0]
