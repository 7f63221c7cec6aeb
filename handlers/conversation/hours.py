"""Office hours: whether staff are at work now, and when they next will be."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from handlers.conversation.config import ConversationConfig
from handlers.conversation.replies import text
from handlers.conversation.state import Turn
from handlers.messages import render
from handlers.office_settings import effective
from handlers.workflow import LOCAL_TZ, WorkCalendar
from storage.models import Petition

WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def next_office_time(
    now: datetime, config: ConversationConfig, calendar: WorkCalendar
) -> datetime | None:
    """None during office hours; otherwise the local moment staff next start work."""
    local = now.astimezone(LOCAL_TZ)
    day = local.date()
    for offset in range(0, 40):
        d = day + timedelta(days=offset)
        if not calendar.is_working_day(d):
            continue
        for start, end in config.office_hours:
            opens = datetime.combine(d, start, LOCAL_TZ)
            closes = datetime.combine(d, end, LOCAL_TZ)
            if offset == 0 and opens <= local < closes:
                return None
            if opens > local:
                return opens
    return None


def describe(session: Session, moment: datetime) -> str:
    """'7 giờ 30 thứ Hai, ngày 03/11/2026' in the catalogue's words."""
    local = moment.astimezone(LOCAL_TZ)
    hour = f"{local.hour} giờ" + (f" {local.minute:02d}" if local.minute else "")
    return render(
        session,
        "bot.when",
        time=hour,
        weekday=WEEKDAYS[local.weekday()],
        date=local.strftime("%d/%m/%Y"),
    )


def after_hours_note(session: Session, now: datetime, config: ConversationConfig) -> str | None:
    """The 'outside working hours — staff will look at …' sentence, or None in office hours."""
    opens = _opens(session, now, config)
    return _note(session, opens) if opens is not None else None


def _opens(session: Session, now: datetime, config: ConversationConfig) -> datetime | None:
    hours = effective(session, "office_hours", config.office_hours)  # the settings screen's
    return next_office_time(now, replace(config, office_hours=hours), WorkCalendar.load(session))


def _note(session: Session, opens: datetime) -> str:
    return render(session, "bot.after_hours", when=describe(session, opens))


def tell_after_hours(turn: Turn, petition: Petition) -> None:
    """Outside office hours, say when staff will read it: once per closed period (the
    conversation remembers the opening it announced), not after every message."""
    opens = _opens(turn.session, turn.now, turn.config)
    if opens is None or opens.isoformat() == turn.state.after_hours_told:
        return
    text(turn, _note(turn.session, opens), petition=petition, tag="bot.after_hours")
    turn.state.after_hours_told = opens.isoformat()
