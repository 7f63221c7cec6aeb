"""Small charts drawn on the server as inline SVG (nothing loaded from elsewhere; the CSP
allows no inline style, so colours are SVG attributes)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from markupsafe import Markup, escape

RECEIVED, CLOSED, LATE = "#2b6cb0", "#2f855a", "#b3261e"


def weekly_bars(rows: Sequence[tuple[date, int, int]], title: str) -> Markup:
    """Received and closed per week: two bars a week, the week's Monday under them."""
    width, height, top, bottom, left = 640, 230, 28, 40, 8
    plot = height - top - bottom
    peak = max([1, *(max(r, c) for _, r, c in rows)])
    group = (width - left * 2) / max(1, len(rows))
    bar = group * 0.34
    parts = [_open(width, height, title)]
    for i, (monday, received, closed) in enumerate(rows):
        x = left + i * group + group * 0.14
        for j, (value, colour) in enumerate(((received, RECEIVED), (closed, CLOSED))):
            h = plot * value / peak
            bx, by = x + j * bar, top + plot - h
            if value:  # a zero is the absence of a bar, not a label
                parts.append(
                    f'<rect x="{bx:.1f}" y="{by:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                    f'fill="{colour}"><title>{value}</title></rect>'
                    f'<text x="{bx + bar / 2:.1f}" y="{by - 4:.1f}" text-anchor="middle" '
                    f'font-size="12">{value}</text>'
                )
        parts.append(
            f'<text x="{x + bar:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'font-size="12">{monday:%d/%m}</text>'
        )
    parts.append(_legend(height - 8, (("Tiếp nhận", RECEIVED), ("Đã đóng", CLOSED))))
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is a number or escaped


def agency_bars(
    rows: Sequence[tuple[str, int]], title: str, link: Callable[[int], str] | None = None
) -> Markup:
    """One horizontal bar per agency (name, overdue forwards), most late first."""
    width, line, label = 640, 30, 300
    height = max(1, len(rows)) * line + 8
    peak = max([1, *(n for _, n in rows)])
    parts = [_open(width, height, title)]
    for i, (name, count) in enumerate(rows):
        y = 4 + i * line
        w = (width - label - 50) * count / peak
        short = name if len(name) <= 42 else name[:41] + "…"
        row = (
            f'<text x="{label - 8}" y="{y + 19}" text-anchor="end" font-size="13">'
            f"{escape(short)}<title>{escape(name)}</title></text>"
            f'<rect x="{label}" y="{y + 5}" width="{w:.1f}" height="{line - 10}" fill="{LATE}"/>'
            f'<text x="{label + w + 6:.1f}" y="{y + 19}" font-size="13">{count}</text>'
        )
        parts.append(f'<a href="{escape(link(i))}">{row}</a>' if link else row)
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - names are escaped


def _open(width: int, height: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="chart" role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    )


def _legend(y: int, entries: Sequence[tuple[str, str]]) -> str:
    out, x = [], 8
    for name, colour in entries:
        out.append(
            f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16}" y="{y}" font-size="12">{escape(name)}</text>'
        )
        x += 16 + 9 * len(name) + 20
    return "".join(out)
