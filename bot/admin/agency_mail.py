"""The agency-email context of this process (admin address for links, the files folder)."""

from __future__ import annotations

from pathlib import Path

from bot.admin.blueprint import settings
from handlers.agencies.flows import MailContext


def mail_context() -> MailContext:
    """Built from the app's settings; handlers never read configuration themselves."""
    cfg = settings()
    return MailContext(base_url=cfg.admin_base_url, files_dir=Path(cfg.attachment_dir))
