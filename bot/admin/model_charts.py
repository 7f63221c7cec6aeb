"""Server-rendered SVG for the model page: the confusion matrix and the monthly corrections.

Plain SVG strings (every label escaped), scaled by their viewBox, nothing loaded
from elsewhere; each chart carries a <title> and the page repeats its numbers
in a table for screen readers and phones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

SHORT = {
    "dat_dai": "Đất đai", "xay_dung_do_thi": "Xây dựng", "giao_thong": "Giao thông",
    "ha_tang_dien_nuoc": "Điện nước", "moi_truong": "Môi trường", "an_ninh_trat_tu": "An ninh",
    "an_sinh_xa_hoi": "An sinh", "y_te": "Y tế", "giao_duc": "Giáo dục",
    "hanh_chinh_can_bo": "Hành chính", "tham_nhung_tieu_cuc": "Tham nhũng",
    "kinh_te_nong_nghiep": "Kinh tế", "khac": "Khác",
}  # fmt: skip
CELL, LEFT, TOP = 34, 92, 96
MONTH_SLOTS = 12


def _shade(share: float, diagonal: bool) -> str:
    """Green for right answers, red for confusions; stronger for a larger share of the row."""
    alpha = round(0.08 + 0.82 * share, 3) if share else 0
    return f"rgba(30,107,52,{alpha})" if diagonal else f"rgba(179,38,30,{alpha})"


def confusion_svg(confusion: Mapping[str, Mapping[str, int]], labels: Sequence[str]) -> Markup:
    """A gold-by-predicted grid; each cell shows its count, shaded by its share of the row."""
    size = len(labels)
    width, height = LEFT + CELL * size + 8, TOP + CELL * size + 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="chart confusion" role="img" aria-labelledby="cm-title">',
        '<title id="cm-title">Ma trận nhầm lẫn: hàng là lĩnh vực đúng, '
        "cột là lĩnh vực mô hình gợi ý</title>",
    ]
    for j, label in enumerate(labels):
        x = LEFT + CELL * j + CELL / 2
        parts.append(
            f'<text x="{x}" y="{TOP - 6}" transform="rotate(-55 {x} {TOP - 6})" '
            f'font-size="11">{escape(SHORT.get(label, label))}</text>'
        )
    for i, gold in enumerate(labels):
        row = confusion.get(gold, {})
        total = sum(row.values())
        y = TOP + CELL * i
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + CELL / 2 + 4}" text-anchor="end" font-size="11">'
            f"{escape(SHORT.get(gold, gold))}</text>"
        )
        for j, predicted in enumerate(labels):
            count = int(row.get(predicted, 0))
            x = LEFT + CELL * j
            fill = _shade(count / total if total else 0.0, i == j)
            parts.append(
                f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="{fill or "#fff"}" '
                f'stroke="#d0d7de"><title>{escape(SHORT.get(gold, gold))} → '
                f"{escape(SHORT.get(predicted, predicted))}: {count}</title></rect>"
            )
            if count:
                parts.append(
                    f'<text x="{x + CELL / 2}" y="{y + CELL / 2 + 4}" text-anchor="middle" '
                    f'font-size="11">{count}</text>'
                )
    parts.append(
        f'<text x="{LEFT}" y="{height - 6}" font-size="11" fill="#555">'
        "Hàng: lĩnh vực đúng · Cột: mô hình gợi ý</text></svg>"
    )
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped


def drift_svg(months: Sequence[tuple[str, int, int]]) -> Markup:
    """One bar per month: the share of suggested fields that staff corrected."""
    bar, gap, height, base = 44, 12, 160, 130
    width = max(MONTH_SLOTS, len(months)) * (bar + gap) + 40  # bars keep their size
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="chart drift" role="img" aria-labelledby="drift-title">',
        '<title id="drift-title">Tỷ lệ gợi ý lĩnh vực bị cán bộ sửa theo tháng</title>',
        f'<line x1="30" y1="{base}" x2="{width}" y2="{base}" stroke="#888"/>',
        f'<text x="0" y="{base - 100 + 4}" font-size="10">100%</text>',
        f'<line x1="30" y1="{base - 100}" x2="{width}" y2="{base - 100}" stroke="#eee"/>',
    ]
    for k, (month, judged, corrected) in enumerate(months):
        share = corrected / judged if judged else 0.0
        x = 36 + k * (bar + gap)
        h = round(100 * share, 1)
        parts.append(
            f'<rect x="{x}" y="{base - h}" width="{bar}" height="{h}" fill="#b3261e">'
            f"<title>{escape(month)}: {corrected}/{judged}</title></rect>"
            f'<text x="{x + bar / 2}" y="{base - h - 4}" text-anchor="middle" font-size="11">'
            f"{round(100 * share)}%</text>"
            f'<text x="{x + bar / 2}" y="{base + 14}" text-anchor="middle" font-size="10">'
            f"{escape(month[5:])}/{escape(month[2:4])}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped
