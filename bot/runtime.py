"""The composition root: every process builds its long-lived parts here, once, from Settings.

The web app, the worker, the scheduler and the CLI share one typed `Runtime`: the database,
the clock, the services handed to handlers and jobs, the inbound router, the Zalo layer and
the job table. `runtime_of(app)` is the one way to reach it from a Flask app.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy.orm import Session, sessionmaker

import handlers.conversation.dispatch  # noqa: F401 - puts `converse` on the inbound router
from bot.clock import system_clock
from bot.zalo.jobs import zalo_jobs
from bot.zalo.services import ZaloServices
from bot.zalo.services import build as build_zalo
from config import Settings
from handlers import retention, signin
from handlers.audit.query import purge_job as audit_purge
from handlers.clock import Clock
from handlers.conversation.config import ConversationConfig, parse_office_hours
from handlers.conversation.jobs import JOBS as CONVERSATION_JOBS
from handlers.inbound import Router
from handlers.inbound import router as default_router
from handlers.jobs import JobContext, JobFn, sync_holidays
from handlers.nlp_models import ModelStore
from handlers.nlp_models.jobs import JOBS as NLP_MODEL_JOBS
from handlers.privacy.jobs import JOBS as PRIVACY_JOBS
from handlers.reminders.config import ReminderConfig
from handlers.reminders.jobs import JOBS as REMINDER_JOBS
from handlers.reports.jobs import JOBS as REPORT_JOBS
from handlers.services import Services
from storage.db import Database

#: The handlers layer's jobs; the Zalo layer adds its own (bot.zalo.jobs).
HANDLER_JOBS: Mapping[str, JobFn] = {
    **REMINDER_JOBS,
    **REPORT_JOBS,
    **CONVERSATION_JOBS,
    **NLP_MODEL_JOBS,
    **PRIVACY_JOBS,
    "inbound-purge": retention.purge_job,
    "audit-purge": audit_purge,
    "signin-purge": signin.purge_job,
    "holidays-sync": sync_holidays,
}

_KEY = "pakn"


@dataclass
class Runtime:
    """One process's parts; the Zalo layer is built on first use (after any test rebinding)."""

    settings: Settings
    clock: Clock
    db: Database
    services: Services
    router: Router
    _zalo: ZaloServices | None = field(default=None, repr=False)

    @property
    def zalo(self) -> ZaloServices:
        """The Zalo layer on this runtime's sessions, clock and router."""
        if self._zalo is None:
            self._zalo = build_zalo(
                self.settings,
                self.db.sessions,
                router=self.router,
                services=self.services,
                clock=self.clock,
                deferred=self.db.deferred,
            )
        return self._zalo

    @property
    def jobs(self) -> Mapping[str, JobFn]:
        """Every job this process can run, by its stable name."""
        return {**HANDLER_JOBS, **zalo_jobs(self.zalo)}

    def job_context(self, now: datetime | None = None) -> JobContext:
        """A job run at `now` (default: the clock's reading)."""
        return JobContext(self.db.sessions, now or self.clock(), self.services)

    def use_clock(self, clock: Clock) -> None:
        """Run on another clock (`--now`: a catch-up or a replay)."""
        self.clock = clock
        self._zalo = None

    def use_sessions(self, sessions: sessionmaker[Session]) -> None:
        """Run on another session factory (tests: their rolled-back connection)."""
        self.db.use(sessions)
        self._zalo = None

    def reconfigure(self, **changes: Any) -> None:
        """Change settings after start-up (the demo points Zalo at its stand-in)."""
        self.settings = self.settings.with_overrides(**changes)
        self.services = services_from(self.settings)
        self._zalo = None


def conversation_config(settings: Settings) -> ConversationConfig:
    """The conversation's tunables from the settings."""
    return replace(
        ConversationConfig(),
        gather_seconds=settings.conversation_gather_ms / 1000,
        draft_ttl_hours=settings.conversation_draft_ttl_hours,
        hold_minutes=settings.conversation_hold_minutes,
        rate_limit_messages=settings.conversation_rate_limit,
        abuse_flag_after=settings.conversation_abuse_flag_after,
        office_hours=parse_office_hours(settings.conversation_office_hours),
        consent_version=settings.consent_version,
        code_prefix=settings.petition_code_prefix,
        attachment_dir=settings.attachment_dir,
    )


def reminder_config(settings: Settings) -> ReminderConfig:
    """The reminder jobs' folders, batch sizes and links from the settings."""
    return ReminderConfig(
        letter_dir=settings.letter_dir,
        letter_template_dir=settings.letter_template_dir,
        batch_size=settings.reminder_batch_size,
        admin_url=settings.admin_base_url.rstrip("/") + "/admin",
        auto_close_per_run=settings.reminder_auto_close_per_run,
    )


def services_from(settings: Settings) -> Services:
    """What handlers and jobs are given, from the settings."""
    return Services(
        conversation=conversation_config(settings),
        reminders=reminder_config(settings),
        raw_retention_days=settings.inbound_raw_retention_days,
        anonymise_months=settings.anonymise_after_months,
        nlp_models=ModelStore(Path(settings.nlp_model_dir)),
    )


def build_runtime(
    settings: Settings,
    *,
    clock: Clock = system_clock,
    router: Router | None = None,
    db: Database | None = None,
) -> Runtime:
    """Every part of a process, from its settings."""
    return Runtime(
        settings=settings,
        clock=clock,
        db=db or Database.connect(settings.database_url),
        services=services_from(settings),
        router=router or default_router,
    )


def attach(app: Flask, runtime: Runtime) -> None:
    """Make `runtime` the app's (the app factory does this once)."""
    app.extensions[_KEY] = runtime


def runtime_of(app: Flask | None = None) -> Runtime:
    """The runtime of `app`, or of the current app."""
    runtime: Runtime = (app or current_app).extensions[_KEY]
    return runtime
