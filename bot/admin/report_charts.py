"""SVG charts drawn on the server: nothing loaded from elsewhere, no script, no inline style
(the page's CSP forbids both); every label is escaped. Each chart scales to its box."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

COLOURS = {
    "main": "#1f5fa8",
    "prev": "#a9bfd8",
    "ok": "#2e7d32",
    "late": "#e08a00",
    "open": "#c62828",
}
WIDTH = 640
LABEL_W = 260
ROW_H = 26


def _svg(height: int, title: str, body: list[str]) -> Markup:
    head = (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    )
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704 - every text above is escaped


def _label(x: float, y: float, text: str, *, anchor: str = "start", size: int = 12) -> str:
    short = text if len(text) <= 32 else text[:31] + "…"
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="#222">{escape(short)}</text>'
    )


def _rect(x: float, y: float, w: float, h: float, colour: str) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{COLOURS[colour]}"/>'
    )


def _empty(title: str) -> Markup:
    return _svg(40, title, [_label(WIDTH / 2, 25, "Không có số liệu.", anchor="middle")])


def bars(title: str, rows: Sequence[tuple[str, int]]) -> Markup:
    """Horizontal bars, one per row, value at the bar's end."""
    rows = [r for r in rows if r[1]]
    if not rows:
        return _empty(title)
    top = max(v for _, v in rows)
    span = WIDTH - LABEL_W - 50
    body = []
    for i, (name, value) in enumerate(rows):
        y = 8 + i * ROW_H
        w = max(2.0, span * value / top)
        body.append(_label(LABEL_W - 8, y + 15, name, anchor="end"))
        body.append(_rect(LABEL_W, y + 3, w, 16, "main"))
        body.append(_label(LABEL_W + w + 6, y + 16, str(value)))
    return _svg(16 + len(rows) * ROW_H, title, body)


def stacked(title: str, rows: Sequence[tuple[str, Sequence[tuple[int, str]]]]) -> Markup:
    """Horizontal stacked bars (e.g. on time / late / overdue per agency) with a legend."""
    rows = [r for r in rows if sum(v for v, _ in r[1])]
    if not rows:
        return _empty(title)
    top = max(sum(v for v, _ in parts) for _, parts in rows)
    span = WIDTH - LABEL_W - 50
    body = []
    for i, (name, parts) in enumerate(rows):
        y = 8 + i * ROW_H
        x = float(LABEL_W)
        body.append(_label(LABEL_W - 8, y + 15, name, anchor="end"))
        for value, colour in parts:
            if value:
                w = span * value / top
                body.append(_rect(x, y + 3, w, 16, colour))
                x += w
        body.append(_label(x + 6, y + 16, str(sum(v for v, _ in parts))))
    height = 16 + len(rows) * ROW_H
    legend = (("ok", "Đúng hạn"), ("late", "Trả lời quá hạn"), ("open", "Đang quá hạn"))
    for j, (colour, text) in enumerate(legend):
        x = LABEL_W + j * 130
        body.append(f'<rect x="{x}" y="{height}" width="12" height="12" fill="{COLOURS[colour]}"/>')
        body.append(_label(x + 16, height + 11, text, size=12))
    return _svg(height + 20, title, body)


def compare(
    title: str, items: Sequence[tuple[str, int, int | None]], now: str, before: str
) -> Markup:
    """Pairs of columns: this period beside the previous one, per figure."""
    if not items:
        return _empty(title)
    top = max(max(a, b or 0) for _, a, b in items) or 1
    chart_h, base = 150, 175
    slot = (WIDTH - 40) / len(items)
    body = []
    for i, (name, this, prev) in enumerate(items):
        x = 30 + i * slot
        for j, (value, colour) in enumerate(((prev, "prev"), (this, "main"))):
            if value is None:
                continue
            h = chart_h * value / top
            bx = x + slot / 2 - 22 + j * 22
            body.append(_rect(bx, base - h, 20, h, colour))
            body.append(_label(bx + 10, base - h - 4, str(value), anchor="middle", size=11))
        body.append(_label(x + slot / 2, base + 16, name, anchor="middle", size=12))
    body.append(f'<rect x="30" y="{base + 28}" width="12" height="12" fill="{COLOURS["prev"]}"/>')
    body.append(_label(46, base + 39, before, size=12))
    body.append(f'<rect x="200" y="{base + 28}" width="12" height="12" fill="{COLOURS["main"]}"/>')
    body.append(_label(216, base + 39, now, size=12))
    return _svg(base + 46, title, body)


def columns(title: str, rows: Sequence[tuple[str, int]]) -> Markup:
    """Vertical columns (petitions received month by month)."""
    if not rows or not any(v for _, v in rows):
        return _empty(title)
    top = max(v for _, v in rows)
    chart_h, base = 150, 175
    slot = (WIDTH - 40) / len(rows)
    body = []
    for i, (name, value) in enumerate(rows):
        x = 30 + i * slot
        h = chart_h * value / top
        body.append(_rect(x + slot * 0.2, base - h, slot * 0.6, h, "main"))
        body.append(_label(x + slot / 2, base - h - 4, str(value), anchor="middle", size=11))
        body.append(
            _label(
                x + slot / 2,
                base + 16,
                name[:2] if len(rows) > 3 else name,
                anchor="middle",
                size=11,
            )
        )
    return _svg(base + 24, title, body)
