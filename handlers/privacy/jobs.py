"""The privacy package's scheduled job: the retention pass (handlers.privacy.retention)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from handlers.jobs import JobContext, JobFn
from handlers.office_settings import effective
from handlers.privacy.retention import run
from storage.db import transaction


def anonymise_job(ctx: JobContext) -> Mapping[str, Any]:
    """Nightly: anonymise petitions closed longer ago than the retention period."""
    with transaction(ctx.sessions) as session:
        months = int(
            effective(session, "retention.anonymise_months", ctx.services.anonymise_months)
        )
        report = run(
            session,
            now=ctx.now,
            months=months,
            files_root=ctx.services.conversation.attachment_dir,
        )
    return report.as_dict()


JOBS: Mapping[str, JobFn] = {"privacy-anonymise": anonymise_job}
