"""The report's short narrative, drafted from its figures for the officer to edit.

Plain sentences in the register of a Front report; every number comes from the figures, so
the text and the tables never disagree until the officer chooses to change the text.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from handlers.reports.periods import Period
from handlers.workflow.calendar import local_date


def rate(totals: dict[str, int]) -> float | None:
    """On-time answers over answers given plus deadlines missed without an answer."""
    due = totals.get("answered", 0) + totals.get("overdue_open", 0)
    return totals.get("on_time", 0) / due if due else None


def percent(value: float | None) -> str:
    """ "87,5%" (Vietnamese decimal comma), or "—"."""
    if value is None:
        return "—"
    text = f"{value * 100:.1f}".replace(".", ",")
    return (text[:-2] if text.endswith(",0") else text) + "%"


def compare(now_n: int, before_n: int | None, previous: Period) -> str:
    """ "tăng 5 so với tháng 10 năm 2026", "giảm 2 …", "bằng …"."""
    if before_n is None:
        return ""
    if now_n > before_n:
        return f"tăng {now_n - before_n} so với {previous.label}"
    if now_n < before_n:
        return f"giảm {before_n - now_n} so với {previous.label}"
    return f"bằng {previous.label}"


def _lower(name: str) -> str:
    """ "Trực tiếp" → "trực tiếp" inside a sentence; a proper name (Zalo) keeps its capital."""
    return name if name == "Zalo" else name[:1].lower() + name[1:]


def last_day(figures: dict[str, Any]) -> date:
    """The last local date the figures cover (the period's last day once it has ended)."""
    return local_date(datetime.fromisoformat(figures["as_of"]) - timedelta(microseconds=1))


def _top(rows: list[dict[str, Any]], measure: str, n: int = 3) -> str:
    ranked = sorted((r for r in rows if r.get(measure)), key=lambda r: (-r[measure], r["name"]))
    return ", ".join(f"{r['name']} ({r[measure]})" for r in ranked[:n])


def draft(
    figures: dict[str, Any],
    previous: dict[str, Any] | None,
    period: Period,
    unit_name: str,
) -> str:
    """The narrative of a report, one paragraph per line."""
    t = figures["totals"]
    before = previous["totals"] if previous else None
    as_of = last_day(figures)
    paragraphs = [_received(figures, before, period, unit_name)]
    fields = _top(figures["by_field"], "received")
    if fields:
        paragraphs.append(f"Các lĩnh vực được phản ánh nhiều nhất: {fields}.")
    paragraphs.append(_answers(figures, before))
    if t["overdue_open"]:
        where = _top(figures["by_agency"], "overdue_open")
        paragraphs.append(
            f"Đến hết ngày {as_of:%d/%m/%Y}, còn {t['overdue_open']} trường hợp đã quá hạn "
            f"giải quyết nhưng chưa được trả lời ({where}); Mặt trận đã và đang đôn đốc."
        )
    else:
        paragraphs.append(
            f"Đến hết ngày {as_of:%d/%m/%Y}, không có trường hợp quá hạn chưa được trả lời."
        )
    paragraphs.append(_settled(t))
    if t["overdue_open"]:
        paragraphs.append(
            "Kiến nghị: đề nghị các cơ quan, đơn vị còn phản ánh, kiến nghị quá hạn khẩn trương "
            "giải quyết, trả lời Nhân dân và thông báo kết quả cho Mặt trận."
        )
    return "\n".join(paragraphs)


def _received(
    figures: dict[str, Any], before: dict[str, int] | None, period: Period, unit: str
) -> str:
    t = figures["totals"]
    delta = compare(t["received"], before["received"] if before else None, period.previous())
    channels = ", ".join(
        f"{_lower(r['name'])} {r['received']}" for r in figures["by_channel"] if r["received"]
    )
    text = (
        f"Trong {period.label}, {unit} tiếp nhận {t['received']} phản ánh, kiến nghị của Nhân dân"
    )
    text += f" ({delta})" if delta else ""
    text += f", trong đó qua {channels}" if channels else ""
    text += "."
    if t["merged"]:
        text += f" Có {t['merged']} trường hợp trùng nội dung đã được gộp để giải quyết chung."
    return text


def _answers(figures: dict[str, Any], before: dict[str, int] | None) -> str:
    t = figures["totals"]
    agencies = sum(1 for r in figures["by_agency"] if r["forwarded"])
    if not t["forwarded"] and not t["answered"]:
        return "Trong kỳ chưa có phản ánh, kiến nghị nào được chuyển cơ quan hoặc được trả lời."
    text = (
        f"Mặt trận đã chuyển {t['forwarded']} lượt phản ánh, kiến nghị đến {agencies} cơ quan, "
        f"đơn vị có thẩm quyền; trong kỳ có {t['answered']} lượt được trả lời (Mặt trận trực tiếp "
        f"trả lời {t['answered_front']}, cơ quan trả lời {t['answered_agency']}), trong đó "
        f"{t['on_time']} lượt đúng hạn; tỷ lệ trả lời đúng hạn {percent(rate(t))}"
    )
    if before is not None and rate(before) is not None:
        text += f" (kỳ trước {percent(rate(before))})"
    return text + "."


def _settled(t: dict[str, int]) -> str:
    text = f"Trong kỳ đã giải quyết xong, kết thúc {t['settled']} trường hợp"
    if t.get("withdrawn"):
        text += f" (trong đó {t['withdrawn']} trường hợp người gửi rút đơn)"
    if t["feedback"]:
        text += f"; {t['satisfied']}/{t['feedback']} người gửi cho biết hài lòng với kết quả"
    text += (
        f". Kỳ trước chuyển sang {t['carried_in']}, mở lại {t['reopened']}; "
        f"còn {t['carried_out']} trường hợp chuyển sang kỳ sau tiếp tục theo dõi, giải quyết."
    )
    return text
