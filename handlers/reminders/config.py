"""What the reminder jobs need from the process (the bot layer builds it from Settings)."""

from __future__ import annotations

from dataclasses import dataclass, field

from handlers.reminders.ladder import DEFAULT_LADDER, LadderPolicy


@dataclass(frozen=True)
class ReminderConfig:
    """Folders, batch size and links; defaults suit tests and the demo."""

    letter_dir: str = "instance/letters"
    letter_template_dir: str = ""
    batch_size: int = 2000
    admin_url: str = "http://127.0.0.1:5000/admin"
    # Working days the agency gets, in a letter, to send its result.
    letter_reply_wd: int = 5
    # Auto-closes go through the workflow one by one (~5 ms each, audit and notice included):
    # at most this many per run, in transactions of close_batch, so a backlog never holds the
    # SQLite writer for long; the rest close at the next run (the job runs several times a day).
    auto_close_per_run: int = 500
    close_batch: int = 100
    ladder: LadderPolicy = field(default_factory=lambda: DEFAULT_LADDER)
