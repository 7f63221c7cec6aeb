"""Builders for the report tests: a month relative to today with a holiday of our own, and
petitions moved through the real workflow at chosen local times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from handlers import workflow as wf
from handlers.reports.periods import Period, current_month
from handlers.workflow.calendar import LOCAL_TZ
from storage.models import Holiday, Petition, StaffUser
from storage.models.enums import Channel, LegalType
from tests.workflow import helpers as h


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """A local time in Vietnam as an aware UTC instant."""
    return datetime.combine(day, time(hour, minute), LOCAL_TZ).astimezone(UTC)


def first_monday(period: Period) -> date:
    """The first Monday on or after the period's 2nd day (never later than the 8th)."""
    day = period.first + timedelta(days=1)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def closed_month(now: datetime) -> Period:
    """The month before last: over and done, whatever today is."""
    return current_month(now).previous().previous()


def own_holidays(s: Session, period: Period, *days: date) -> None:
    """Clear the seeded holidays around the period and make `days` its only days off."""
    s.execute(
        delete(Holiday).where(
            Holiday.day >= period.first - timedelta(days=60),
            Holiday.day < period.after + timedelta(days=30),
        )
    )
    for day in days:
        s.add(Holiday(day=day, name="Ngày nghỉ của bài kiểm thử", source="test"))
    s.flush()


@dataclass
class Flow:
    """Moves petitions through the workflow as one officer (a supervisor sees every ward)."""

    s: Session
    officer: StaffUser

    def received(
        self,
        when: datetime,
        *,
        ward: str = "tam_ky",
        category: str = "moi_truong",
        legal_type: str = LegalType.PHAN_ANH,
        channel: str = Channel.ZALO,
    ) -> Petition:
        draft = h.draft(
            self.s, ward_code=ward, category_code=category, legal_type=legal_type, channel=channel
        )
        return wf.submit(self.s, draft, now=when)

    def triaged(self, when: datetime, **kw: str) -> Petition:
        p = self.received(when, **kw)
        return wf.triage(
            self.s, p, actor=self.officer, category_id=p.category_id, ward_id=p.ward_id,
            legal_type=p.legal_type, urgent=False, now=when,
        )  # fmt: skip

    def forward(
        self, p: Petition, sent: date, agency: str, due: date | None = None, hour: int = 10
    ) -> None:
        wf.forward(
            self.s, p, actor=self.officer, agency=h.agency(self.s, agency), channel="van_ban",
            document_number="01/MTTQ", sent_on=sent, now=at(sent, hour), handler_due_on=due,
        )  # fmt: skip

    def answer(self, p: Petition, when: datetime) -> None:
        wf.record_agency_answer(self.s, p, actor=self.officer, text="Đã xử lý.", now=when)
