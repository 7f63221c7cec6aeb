"""The report tests' month, built through the real workflow, and its hand count.

The month is the one before last (relative to today); D is its first Monday on or after the
2nd, and D+2 (a Wednesday) is made a holiday. Petitions, at 09:00 local unless said:

P1  received D, forwarded Tue D+1 to UBND Tam Kỳ with the default deadline (phản ánh, 3
    working days: Wed is the holiday, so Thu, Fri, Mon → D+7); answered D+7 16:00 → on time
    (late if the holiday were ignored); result sent D+8 → settled.
P2  received D, forwarded D to Sở Xây dựng due D+3; extended on D+3 to D+10; answered D+9
    → on time (late against the first deadline). Still with the Front: carried out.
P3  received D+1, forwarded D+1 to Sở Xây dựng due D+4 (a Friday); paused (need_info) D+3,
    resumed D+8: five days later → due D+9 (Tue); answered D+9 → on time. Carried out.
P4  received D+7, forwarded D+7 to UBND Tam Kỳ due D+9, never answered → overdue, open.
P5  received 2 days before the month ends, forwarded to Sở NN-MT due 5 days into the next
    month: not yet due at the month's end → not overdue, no rate for that agency (not 0 %).
P6  received D, the Front answers D+1 (on time), the citizen is not satisfied D+3 → reopened,
    answered again D+4, satisfied D+5 → closed (resolved). Settled twice, reopened once.
P7  received D+2 (the holiday), merged into P1 on D+3 → settled, closed as a duplicate.
P8  received 10 days before the month, forwarded then to UBND Tam Kỳ due D+1, answered
    D+2 → late. Carried in and out (the result is not sent yet).
P9  received D at the desk (walk-in), phường Quảng Phú, giao thông, kiến nghị; nobody acts:
    the Front's 10-day decision clock ran out on D+10 → overdue, open (the Front's).
P10 received and withdrawn before the month: settled throughout, counts nowhere.
P11 received after the month: counts nowhere.

Totals: carried in 1 (P8); received 8 (P1–P7, P9); reopened 1 (P6); settled 4 (P1, P6 ×2,
P7); carried out 6 (P2, P3, P4, P5, P8, P9) = 1 + 8 + 1 − 4. Forwarded 5 (P1–P5; P8's was
sent the month before). Answered 6 (P6 ×2 by the Front; P1, P2, P3, P8 by agencies), on time
5, late 1 (P8); overdue open 2 (P4, P9); overdue 3; rate 5 / (6 + 2) = 62.5 %.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from handlers import workflow as wf
from handlers.reports.periods import Period
from storage.models.enums import Channel, LegalType
from tests.reports.helpers import Flow, at, closed_month, first_monday, own_holidays
from tests.workflow import helpers as h


def build_month(db_session: Session) -> tuple[Period, datetime]:
    """Build the fixture; return the month and the clock the report is read with."""
    now = datetime.now(UTC)
    period = closed_month(now)
    d = first_monday(period)
    s = db_session
    own_holidays(s, period, d + timedelta(days=2))
    f = Flow(s, h.staff(s, "supervisor"))
    day = lambda n: d + timedelta(days=n)  # noqa: E731

    p1 = f.triaged(at(d))
    f.forward(p1, day(1), "ubnd_tam_ky")
    assert wf.active_forward(s, p1).handler_due_on == day(7)  # type: ignore[union-attr]
    f.answer(p1, at(day(7), 16))
    wf.send_result(s, p1, actor=f.officer, result_text="Đã dọn sạch.", now=at(day(8)))

    p2 = f.triaged(at(d), category="xay_dung_do_thi")
    f.forward(p2, d, "so_xay_dung", due=day(3))
    wf.extend_deadline(s, p2, actor=f.officer, new_due_on=day(10), note="CV 5/SXD", now=at(day(3)))
    f.answer(p2, at(day(9)))

    p3 = f.triaged(at(day(1)))
    f.forward(p3, day(1), "so_xay_dung", due=day(4))
    wf.request_info(s, p3, actor=f.officer, what="Số nhà cụ thể?", now=at(day(3)))
    wf.add_citizen_info(s, p3, now=at(day(8)))
    assert wf.active_forward(s, p3).handler_due_on == day(9)  # type: ignore[union-attr]
    f.answer(p3, at(day(9), 10))

    p4 = f.triaged(at(day(7)))
    f.forward(p4, day(7), "ubnd_tam_ky", due=day(9))

    late_day = period.after - timedelta(days=2)
    p5 = f.triaged(at(late_day))
    f.forward(p5, late_day, "so_nn_mt", due=period.after + timedelta(days=5))

    p6 = f.received(at(d))
    wf.answer_directly(s, p6, actor=f.officer, answer="Hướng dẫn thủ tục.", now=at(day(1)))
    wf.record_feedback(s, p6, satisfied=False, rating=2, now=at(day(3)))
    wf.answer_directly(s, p6, actor=f.officer, answer="Đã làm việc lại.", now=at(day(4)))
    wf.record_feedback(s, p6, satisfied=True, rating=5, now=at(day(5)))

    p7 = f.received(at(day(2)))
    wf.merge(s, p7, actor=f.officer, master=p1, now=at(day(3)))

    before = period.first - timedelta(days=10)
    p8 = f.triaged(at(before))
    f.forward(p8, before, "ubnd_tam_ky", due=day(1))
    f.answer(p8, at(day(2), 10))

    kw = {"ward": "quang_phu", "category": "giao_thong", "legal_type": LegalType.KIEN_NGHI}
    f.received(at(d), channel=Channel.WALK_IN, **kw)

    p10 = f.received(at(period.first - timedelta(days=20)))
    wf.withdraw(s, p10, now=at(period.first - timedelta(days=15)))
    f.received(at(period.after + timedelta(days=1)))
    s.commit()
    return period, now
