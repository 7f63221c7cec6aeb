"""The labelling rules of nlp/data/README.md as patterns, to catch staff labels that break them.

A staff label joins the next model's training data.  When a petition's words
fall under exactly one rule of the border table (a sổ đỏ is land, a building
permit is urban construction, a pension is social welfare, a health-insurance
card is health...) and staff chose another field, the label is held for
review: an admin accepts it (the rules do not fit this petition) or excludes
it.  Texts under two rules or none are left alone: the main request decides
there, which only a person can judge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nlp.normalize import fold, normalize

RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("dat_dai", ("sổ đỏ", "sổ hồng", "giấy chứng nhận quyền sử dụng đất", "tranh chấp đất",
                 "thu hồi đất", "tái định cư", "giải phóng mặt bằng", "giá đất",
                 "tiền bồi thường")),
    ("xay_dung_do_thi", ("giấy phép xây dựng", "xây dựng trái phép", "xây dựng không phép",
                         "xây không phép", "sai phép", "quy hoạch treo", "lấn chiếm vỉa hè",
                         "bán hàng rong", "trật tự đô thị")),
    ("giao_thong", ("ổ gà", "ổ voi", "gờ giảm tốc", "xe buýt", "an toàn giao thông")),
    ("ha_tang_dien_nuoc", ("mất điện", "cúp điện", "đèn đường", "nước sạch", "mất nước",
                           "ngập úng", "cống thoát nước")),
    ("kinh_te_nong_nghiep", ("kênh mương", "thủy lợi", "đường nội đồng", "giống cây trồng")),
    ("an_sinh_xa_hoi", ("bảo hiểm xã hội", "lương hưu", "trợ cấp", "hộ nghèo", "hộ cận nghèo",
                        "nợ lương", "người có công", "thất nghiệp")),
    ("y_te", ("thẻ bảo hiểm y tế", "bệnh viện", "trạm y tế", "sốt xuất huyết", "tiêm chủng")),
    ("hanh_chinh_can_bo", ("khai sinh", "chứng thực", "hộ tịch", "đăng ký kết hôn", "một cửa")),
    ("tham_nhung_tieu_cuc", ("hối lộ", "tham ô", "ăn chặn", "ăn bớt", "biển thủ", "vòi tiền",
                             "rút ruột", "chạy chức")),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class RuleHit:
    """The field the rules give a text, and the words that decided it."""

    category: str
    words: str


@lru_cache(maxsize=1)
def _phrases() -> dict[str, str]:
    """Folded phrase → the phrase as written in the rules (shown to the reviewer)."""
    return {fold(p): p for _, phrases in RULES for p in phrases}


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    out = []
    for category, phrases in RULES:
        alternation = "|".join(re.escape(fold(p)) for p in sorted(phrases, key=len, reverse=True))
        out.append((category, re.compile(rf"\b(?:{alternation})\b")))
    return tuple(out)


def rule_category(text: str) -> RuleHit | None:
    """The one field the border rules give ``text``, or None (no rule, or rules disagree)."""
    folded = fold(normalize(text[:5_000]))
    hits: dict[str, list[str]] = {}
    for category, pattern in _patterns():
        found = sorted({_phrases()[m.group(0)] for m in pattern.finditer(folded)})
        if found:
            hits[category] = found
    if len(hits) != 1:
        return None
    ((category, words),) = hits.items()
    return RuleHit(category, ", ".join(words)[:200])


def contradicts(text: str, label: str) -> RuleHit | None:
    """The rule a staff ``label`` contradicts for ``text``, or None."""
    hit = rule_category(text)
    return hit if hit is not None and hit.category != label else None
