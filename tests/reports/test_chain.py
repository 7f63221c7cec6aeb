"""A year of generated petitions: the period figures chain, month after month, and add up
to the quarter, the year and the wards; the last month's end matches the petitions as they
stand, counted independently of the report code."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers import workflow as wf
from handlers.reports import compute, ward_scopes
from handlers.reports.figures import compute_scopes
from handlers.reports.history import SETTLED
from handlers.reports.periods import Period, current_month
from handlers.workflow.calendar import WorkCalendar, start_of_day
from storage.models import Petition
from storage.models.enums import Channel, CloseReason
from storage.models.enums import PetitionState as S
from tests.reports.helpers import Flow
from tests.workflow import helpers as h

WARDS = ("tam_ky", "quang_phu", "ban_thach", "huong_tra")
FIELDS = ("moi_truong", "giao_thong", "an_ninh_trat_tu", "y_te")
AGENCIES = ("ubnd_tam_ky", "so_xay_dung", "so_nn_mt", "dien_luc")


class Life:
    """Moves one petition step by step until its time runs out (before `stop`)."""

    def __init__(self, f: Flow, rng: random.Random, stop: datetime, cal: WorkCalendar) -> None:
        self.f, self.rng, self.stop, self.cal = f, rng, stop, cal

    def later(self, t: datetime) -> datetime | None:
        nxt = t + timedelta(hours=self.rng.randint(2, 24 * 9))
        return nxt if nxt < self.stop else None

    def live(self, p: Petition, t: datetime | None, masters: list[Petition]) -> None:
        s, officer, rng = self.f.s, self.f.officer, self.rng
        for _ in range(12):
            t = self.later(t) if t else None
            if t is None:
                return
            state = p.state
            roll = rng.random()
            if state in (S.RECEIVED, S.REOPENED):
                if roll < 0.06 and masters and masters[-1].id != p.id:
                    wf.merge(s, p, actor=officer, master=masters[-1], now=t)
                elif roll < 0.12:
                    wf.close(s, p, actor=officer, reason=CloseReason.NOT_IN_SCOPE, now=t)
                elif roll < 0.3:
                    wf.answer_directly(
                        s, p, actor=officer, answer="Trả lời.", now=t, calendar=self.cal
                    )
                else:
                    wf.triage(
                        s, p, actor=officer, category_id=p.category_id, ward_id=p.ward_id,
                        legal_type=p.legal_type, urgent=False, now=t, calendar=self.cal,
                    )  # fmt: skip
            elif state == S.TRIAGED:
                if roll < 0.1:
                    wf.request_info(s, p, actor=officer, what="Địa chỉ?", now=t)
                else:
                    agency = h.agency(s, rng.choice(AGENCIES))
                    wf.forward(
                        s, p, actor=officer, agency=agency, channel="van_ban", document_number="1",
                        sent_on=wf.local_date(t), now=t, calendar=self.cal,
                    )  # fmt: skip
            elif state == S.NEED_INFO:
                wf.add_citizen_info(s, p, now=t, calendar=self.cal)
            elif state in (S.FORWARDED, S.AGENCY_ACKNOWLEDGED):
                if roll < 0.1:
                    wf.request_info(s, p, actor=officer, what="Ảnh hiện trường?", now=t)
                elif roll < 0.75:
                    wf.record_agency_answer(
                        s, p, actor=officer, text="Xong.", now=t, calendar=self.cal
                    )
                elif roll < 0.8:
                    wf.withdraw(s, p, now=t)
            elif state == S.AGENCY_ANSWERED:
                wf.send_result(
                    s, p, actor=officer, result_text="Kết quả.", now=t, calendar=self.cal
                )
            elif state in (S.RESULT_SENT, S.ANSWERED_BY_FRONT):
                if roll < 0.6:
                    wf.record_feedback(
                        s,
                        p,
                        satisfied=roll < 0.45,
                        rating=rng.randint(1, 5),
                        now=t,
                        calendar=self.cal,
                    )
            elif state == S.CLOSED and roll < 0.08:
                wf.reopen(s, p, actor=officer, note="Có tình tiết mới.", now=t, calendar=self.cal)


def _generate(s: Session, months: list[Period], stop: datetime) -> None:
    rng = random.Random(20261207)
    cal = WorkCalendar.load(s)
    f = Flow(s, h.staff(s, "supervisor"))
    life = Life(f, rng, stop, cal)
    start = start_of_day(months[0].first)
    span = (stop - start).total_seconds()
    masters: list[Petition] = []
    for _ in range(220):
        when = start + timedelta(seconds=rng.uniform(0, span * 0.97))
        channel = rng.choice((Channel.ZALO, Channel.ZALO, Channel.WALK_IN, Channel.PHONE))
        draft = h.draft(
            s, ward_code=rng.choice(WARDS), category_code=rng.choice(FIELDS), channel=channel
        )
        p = wf.submit(s, draft, now=when, calendar=cal)
        life.live(p, when, masters)
        masters.append(p)
    s.commit()


def test_a_year_of_petitions_chains_month_after_month(db_session: Session) -> None:
    now = datetime.now(UTC)
    this_month = current_month(now)
    months = [this_month]
    for _ in range(12):
        months.insert(0, months[0].previous())
    months = months[:-1]  # the twelve months before this one
    stop = start_of_day(this_month.first) - timedelta(hours=1)
    _generate(db_session, months, stop)

    figures = [compute(db_session, m, ward=None, now=now) for m in months]
    assert figures[0]["totals"]["carried_in"] == 0
    for before, after in zip(figures, figures[1:], strict=False):
        assert after["totals"]["carried_in"] == before["totals"]["carried_out"]
    for f in figures:
        t = f["totals"]
        assert t["carried_in"] + t["received"] + t["reopened"] - t["settled"] == t["carried_out"]
        assert t["overdue"] == t["late"] + t["overdue_open"]
        assert t["answered"] == t["on_time"] + t["late"]
    totals = [f["totals"] for f in figures]
    assert sum(t["received"] for t in totals) == 220
    assert sum(t["reopened"] for t in totals) > 0 and sum(t["merged"] for t in totals) > 0

    # Independently: what stands open now (nothing happened this month) is last month's tồn.
    open_now = db_session.scalar(
        select(func.count())
        .select_from(Petition)
        .where(Petition.received_at.is_not(None), Petition.state.not_in(sorted(SETTLED)))
    )
    assert totals[-1]["carried_out"] == open_now
    per_month = [
        db_session.scalar(
            select(func.count())
            .select_from(Petition)
            .where(
                Petition.received_at >= start_of_day(m.first),
                Petition.received_at < start_of_day(m.after),
            )
        )
        for m in months
    ]
    assert [t["received"] for t in totals] == per_month

    # The quarter holding the month half a year back adds up its three months.
    middle = months[6]
    quarter = Period(middle.year, "quarter", (middle.number - 1) // 3 + 1)
    inside = [
        f["totals"] for m, f in zip(months, figures, strict=True) if quarter.contains(m.first)
    ]
    q = compute(db_session, quarter, ward=None, now=now)["totals"]
    assert len(inside) == 3
    assert (
        q["carried_in"] == inside[0]["carried_in"] and q["carried_out"] == inside[-1]["carried_out"]
    )
    for measure in ("received", "reopened", "settled", "forwarded", "answered", "on_time", "late"):
        assert q[measure] == sum(t[measure] for t in inside), measure

    # The wards add up to the area (every generated petition has a ward).
    last = months[-1]
    singles = [compute(db_session, last, ward=w.ward, now=now) for w in ward_scopes(db_session)]
    wards = [w["totals"] for w in singles]
    for measure in ("carried_in", "received", "settled", "carried_out", "overdue_open"):
        assert sum(w[measure] for w in wards) == totals[-1][measure], measure

    # One read for several scopes gives what one read per scope gives (the monthly job).
    together = compute_scopes(
        db_session, last, [None, *(w.ward for w in ward_scopes(db_session))], now=now
    )
    assert together == [figures[-1], *singles]
