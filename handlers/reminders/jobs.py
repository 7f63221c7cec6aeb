"""The reminder jobs, by their stable names (the scheduler's job ids)."""

from __future__ import annotations

from collections.abc import Mapping

from handlers.jobs import JobFn
from handlers.reminders import agency, front, housekeeping, satisfaction, todo_mail

JOBS: Mapping[str, JobFn] = {
    "reminders-triage": front.triage,
    "reminders-decision": front.decision,
    "reminders-relay": front.relay,
    "reminders-agency": agency.agency_ladder,
    "reminders-satisfaction": satisfaction.satisfaction,
    "supervisors-digest": housekeeping.supervisors_digest,
    # Việc cần làm by email: new urgent items at once, each reader's morning digest.
    "tasks-alert": todo_mail.alert,
    "tasks-digest": todo_mail.digest,
}
