"""When each rung of each ladder fires, in working days (pure functions over a WorkCalendar).

A deadline "due on D" runs out at the end of D (handlers.workflow.calendar), so a rung that
says "the deadline passed" fires on the first working day after D. Jobs act only on working
days, and a catch-up acts only on the highest rung reached: the lower ones it slept through are
recorded as superseded, never sent (digests, not floods).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from handlers.workflow.calendar import WorkCalendar


@dataclass(frozen=True)
class Step:
    """One rung of a ladder: its name, the deadline it belongs to, the day it fires."""

    rung: str
    due_on: date
    fires_on: date


@dataclass(frozen=True)
class LadderPolicy:
    """The ladder's offsets (petition-workflow.md); working days unless said otherwise."""

    agency_remind_before: int = 2
    second_letter_after: int = 10
    agenda_after: int = 20
    decision_warn_before: int = 2
    feedback_remind_after: int = 5
    feedback_close_after: int = 10


DEFAULT_LADDER = LadderPolicy()

# Rung names (also the `rung` column and part of the ledger key).
TRIAGE = "triage"
TRIAGE_HARD = "triage-hard"
DECISION_WARN = "decision-warn"
DECISION_LATE = "decision-late"
AGENCY_REMIND = "remind"
AGENCY_OVERDUE = "overdue"
AGENCY_LETTER2 = "letter2"
AGENCY_AGENDA = "agenda"
RELAY = "relay"
FEEDBACK_REMIND = "feedback-remind"
FEEDBACK_CLOSE = "auto-close"


def after(cal: WorkCalendar, due: date) -> date:
    """The first working day after a deadline ran out."""
    return cal.add_working_days(due, 1)


@lru_cache(maxsize=4096)
def triage_steps(cal: WorkCalendar, target: date | None, hard: date | None) -> tuple[Step, ...]:
    """Target missed → ward staff; hard limit reached (that morning) → supervisor."""
    steps = []
    if target is not None:
        steps.append(Step(TRIAGE, target, after(cal, target)))
    if hard is not None:
        steps.append(Step(TRIAGE_HARD, hard, cal.next_working_day(hard)))
    return tuple(steps)


@lru_cache(maxsize=4096)
def decision_steps(
    cal: WorkCalendar, due: date | None, policy: LadderPolicy = DEFAULT_LADDER
) -> tuple[Step, ...]:
    """Two working days before the 10-day notice → staff; once it has passed → supervisor."""
    if due is None:
        return ()
    return (
        Step(DECISION_WARN, due, cal.add_working_days(due, -policy.decision_warn_before)),
        Step(DECISION_LATE, due, after(cal, due)),
    )


@lru_cache(maxsize=4096)
def agency_steps(
    cal: WorkCalendar, due: date, policy: LadderPolicy = DEFAULT_LADDER
) -> tuple[Step, ...]:
    """−2 reminder, overdue + first letter, +10 second letter, +20 supervision agenda."""
    return (
        Step(AGENCY_REMIND, due, cal.add_working_days(due, -policy.agency_remind_before)),
        Step(AGENCY_OVERDUE, due, after(cal, due)),
        Step(AGENCY_LETTER2, due, cal.add_working_days(due, policy.second_letter_after)),
        Step(AGENCY_AGENDA, due, cal.add_working_days(due, policy.agenda_after)),
    )


@lru_cache(maxsize=4096)
def relay_steps(cal: WorkCalendar, due: date | None) -> tuple[Step, ...]:
    """The agency's answer was not relayed to the citizen within its 2 working days."""
    return () if due is None else (Step(RELAY, due, after(cal, due)),)


@lru_cache(maxsize=4096)
def feedback_steps(
    cal: WorkCalendar, sent_on: date | None, policy: LadderPolicy = DEFAULT_LADDER
) -> tuple[Step, ...]:
    """A reminder to the citizen, then auto-close once the 10 working days have run out."""
    if sent_on is None:
        return ()
    close_due = cal.add_working_days(sent_on, policy.feedback_close_after)
    return (
        Step(FEEDBACK_REMIND, sent_on, cal.add_working_days(sent_on, policy.feedback_remind_after)),
        Step(FEEDBACK_CLOSE, close_due, after(cal, close_due)),
    )


def reached(steps: Sequence[Step], today: date) -> list[Step]:
    """The rungs whose day has come, in ladder order."""
    return [s for s in steps if s.fires_on <= today]
