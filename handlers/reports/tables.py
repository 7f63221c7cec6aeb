"""The report's tables, once: the page, the .docx and the .xlsx all render these rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from handlers.reports.figures import FRONT
from handlers.reports.narrative import rate
from handlers.reports.versions import Report

Cell = int | float | str | None


@dataclass(frozen=True, slots=True)
class Table:
    """A titled table; `percent` names the columns holding a share (0–1, None = none due)."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[Cell]]
    percent: frozenset[int] = field(default_factory=frozenset)


def _dmy(iso: str | None) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""


SUMMARY = (
    ("carried_in", "Kỳ trước chuyển sang"),
    ("received", "Tiếp nhận mới trong kỳ"),
    ("merged", "   trong đó: trùng nội dung, đã gộp"),
    ("reopened", "Mở lại trong kỳ"),
    ("forwarded", "Đã chuyển cơ quan, đơn vị giải quyết (lượt)"),
    ("answered", "Đã được trả lời (lượt)"),
    ("on_time", "   trong đó: trả lời đúng hạn"),
    ("overdue", "Quá hạn (trả lời quá hạn và đang quá hạn)"),
    ("overdue_open", "   trong đó: đã quá hạn, chưa được trả lời"),
    ("rate", "Tỷ lệ trả lời đúng hạn"),
    ("settled", "Đã giải quyết xong, kết thúc trong kỳ"),
    ("withdrawn", "   trong đó: người gửi rút đơn"),
    ("satisfied", "Người gửi hài lòng / số ý kiến phản hồi"),
    ("carried_out", "Tồn chuyển kỳ sau"),
)


def _summary_value(totals: dict[str, int], key: str) -> Cell:
    if key == "rate":
        return rate(totals)
    if key == "satisfied":
        return f"{totals['satisfied']}/{totals['feedback']}"
    return totals.get(key, "—")  # a version sent before the measure existed lacks it


def summary(report: Report) -> Table:
    """The period's chain and answers beside the previous period's."""
    now, before = report.figures["totals"], report.previous["totals"] if report.previous else None
    rows: list[list[Cell]] = []
    for key, label in SUMMARY:
        this = _summary_value(now, key)
        prev = _summary_value(before, key) if before else None
        delta: Cell = None
        if isinstance(this, int) and isinstance(prev, int):
            delta = f"{this - prev:+d}" if this != prev else "0"
        rows.append([label, this, prev if prev is not None else "—", delta or ""])
    title = "Bảng 1. Số liệu tổng hợp"
    headers = [
        "Chỉ tiêu",
        report.period.short,
        report.period.previous().short,
        "Tăng (+), giảm (−)",
    ]
    return Table("summary", title, headers, rows, frozenset({1, 2}))


def by_channel(report: Report) -> Table:
    rows: list[list[Cell]] = [
        [r["name"], r["received"]] for r in report.figures["by_channel"] if r["received"]
    ]
    return Table(
        "by_channel",
        "Bảng 2. Tiếp nhận theo kênh",
        ["Kênh tiếp nhận", "Số phản ánh, kiến nghị"],
        rows,
    )


def by_type(report: Report) -> Table:
    rows: list[list[Cell]] = [
        [r["name"], r["received"]] for r in report.figures["by_type"] if r["received"]
    ]
    return Table(
        "by_type", "Bảng 3. Tiếp nhận theo loại đơn", ["Loại đơn", "Số phản ánh, kiến nghị"], rows
    )


def by_field(report: Report) -> Table:
    rows: list[list[Cell]] = [
        [
            r["name"],
            r["received"],
            r["forwarded"],
            r["answered"],
            r["on_time"],
            r["overdue"],
            r["carried_out"],
        ]
        for r in report.figures["by_field"]
        if any(r[m] for m in ("received", "forwarded", "answered", "overdue", "carried_out"))
    ]
    headers = [
        "Lĩnh vực",
        "Tiếp nhận",
        "Đã chuyển",
        "Đã trả lời",
        "Đúng hạn",
        "Quá hạn",
        "Tồn cuối kỳ",
    ]
    return Table("by_field", "Bảng 4. Theo lĩnh vực", headers, rows)


def by_ward(report: Report) -> Table:
    rows: list[list[Cell]] = [
        [
            r["name"],
            r["carried_in"],
            r["received"],
            r.get("reopened", "—"),  # a version sent before the column was shown lacks it
            r["settled"],
            r["overdue"],
            r["carried_out"],
        ]
        for r in report.figures["by_ward"]
    ]
    # «Mở lại» belongs in the row: without it a ward that reopened petitions settles more
    # than it received and the row does not add up to what it carries out.
    headers = [
        "Phường",
        "Kỳ trước chuyển sang",
        "Tiếp nhận",
        "Mở lại",
        "Giải quyết xong",
        "Quá hạn",
        "Tồn cuối kỳ",
    ]
    return Table("by_ward", "Bảng 5. Theo phường", headers, rows)


def by_agency(report: Report) -> Table:
    rows: list[list[Cell]] = []
    for r in report.figures["by_agency"]:
        share = rate(r)
        rows.append(
            [
                r["name"],
                r["forwarded"] if r["key"] != FRONT else "—",
                r["answered"],
                r["on_time"],
                r["late"],
                r["overdue_open"],
                share,
            ]
        )
    headers = [
        "Cơ quan, đơn vị",
        "Tiếp nhận (được chuyển)",
        "Đã trả lời",
        "Đúng hạn",
        "Trả lời quá hạn",
        "Đang quá hạn",
        "Tỷ lệ đúng hạn",
    ]
    number = 6 if report.scope.ward is not None else 6
    return Table(
        "by_agency",
        f"Bảng {number}. Kết quả giải quyết theo cơ quan, đơn vị",
        headers,
        rows,
        frozenset({6}),
    )


def overdue(report: Report) -> Table:
    rows: list[list[Cell]] = []
    for i, r in enumerate(report.figures["overdue_list"], 1):
        if r["status"] == "open":
            state = f"Chưa trả lời, quá {r['days_late']} ngày làm việc"
        else:
            state = f"Trả lời ngày {_dmy(r['answered_on'])} (quá hạn)"
        rows.append([i, r["code"], r["field"], r["ward"], r["agency"], _dmy(r["due_on"]), state])
    headers = [
        "STT",
        "Mã hồ sơ",
        "Lĩnh vực",
        "Phường",
        "Cơ quan, đơn vị",
        "Hạn giải quyết",
        "Tình trạng",
    ]
    title = "Bảng 7. Danh sách phản ánh, kiến nghị quá hạn"
    total = report.figures["totals"]["overdue"]
    if total > len(rows):
        title += f" ({len(rows)} trường hợp có hạn sớm nhất trong tổng số {total})"
    return Table("overdue", title, headers, rows)


def reasons(report: Report) -> Table:
    rows: list[list[Cell]] = [
        [r["name"][:1].upper() + r["name"][1:], r["closed"]]
        for r in report.figures["closed_by_reason"]
    ]
    return Table(
        "reasons", "Bảng 8. Hồ sơ kết thúc trong kỳ theo lý do đóng", ["Lý do", "Số hồ sơ"], rows
    )


def all_tables(report: Report) -> list[Table]:
    """Every table of the report, numbered in reading order (the ward table only for the area)."""
    tables = [summary(report), by_channel(report), by_type(report), by_field(report)]
    if report.scope.ward is None:
        tables.append(by_ward(report))
    tables += [by_agency(report), overdue(report), reasons(report)]
    return [
        Table(t.key, f"Bảng {i}." + t.title.split(".", 1)[1], t.headers, t.rows, t.percent)
        for i, t in enumerate(tables, 1)
    ]


LISTING = (
    ("code", "Mã hồ sơ"),
    ("received_on", "Ngày tiếp nhận"),
    ("channel", "Kênh"),
    ("field", "Lĩnh vực"),
    ("ward", "Phường"),
    ("type", "Loại đơn"),
    ("state", "Tình trạng cuối kỳ"),
    ("agency", "Cơ quan giải quyết"),
    ("due_on", "Hạn giải quyết"),
    ("answered_on", "Ngày cơ quan trả lời"),
    ("result", "Đúng hạn / quá hạn"),
)


def listing_rows(report: Report) -> list[list[Any]]:
    """The list of petitions of the period, dates as dd/mm/yyyy."""
    dates = {"received_on", "due_on", "answered_on"}
    return [
        [_dmy(p[k]) if k in dates else p[k] for k, _ in LISTING]
        for p in report.figures["petitions"]
    ]
