"""The reports the Front sends upward: figures, versions, the .docx and .xlsx files, the
monthly job (listed in `handlers.reports.jobs.JOBS`)."""

from handlers.reports.figures import compute
from handlers.reports.periods import BadPeriod, Period, parse_period, previous_month
from handlers.reports.versions import (
    AREA,
    Report,
    ReportError,
    Scope,
    build,
    create_draft,
    refresh,
    save_text,
    scope_of,
    send,
    sent_covering,
    versions,
    ward_scopes,
)

__all__ = [
    "AREA",
    "BadPeriod",
    "Period",
    "Report",
    "ReportError",
    "Scope",
    "build",
    "compute",
    "create_draft",
    "parse_period",
    "previous_month",
    "refresh",
    "save_text",
    "scope_of",
    "send",
    "sent_covering",
    "versions",
    "ward_scopes",
]
