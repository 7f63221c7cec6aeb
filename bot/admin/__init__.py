"""The staff's admin view: server-rendered Vietnamese pages behind one sign-in guard.

Importing the view modules registers their routes on `bp`; the app registers `bp`.
"""

from bot.admin import (
    actions,
    auth,
    files,
    views_bulk,
    views_delivery,
    views_entry,
    views_holidays,
    views_inbox,
    views_letters,
    views_petition,
    views_reports,
    views_tasks,
    views_templates,
    views_today,
)
from bot.admin.blueprint import bp

__all__ = [
    "actions",
    "auth",
    "bp",
    "files",
    "views_bulk",
    "views_delivery",
    "views_entry",
    "views_holidays",
    "views_inbox",
    "views_letters",
    "views_petition",
    "views_reports",
    "views_tasks",
    "views_templates",
    "views_today",
]
