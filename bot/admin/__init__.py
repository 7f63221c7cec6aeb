"""The staff's admin view: server-rendered Vietnamese pages behind one sign-in guard.

Importing the view modules registers their routes on `bp`; the app registers `bp`.
"""

from bot.admin import (
    actions,
    actions_agency,
    auth,
    files,
    views_agencies,
    views_audit,
    views_categories,
    views_delivery,
    views_entry,
    views_holidays,
    views_inbox,
    views_knowledge,
    views_manage,
    views_password,
    views_personal,
    views_petition,
    views_places,
    views_reports,
    views_routing,
    views_settings,
    views_templates,
    views_users,
)
from bot.admin.blueprint import bp

__all__ = [
    "actions",
    "actions_agency",
    "auth",
    "bp",
    "files",
    "views_audit",
    "views_categories",
    "views_delivery",
    "views_entry",
    "views_holidays",
    "views_inbox",
    "views_knowledge",
    "views_personal",
    "views_manage",
    "views_password",
    "views_petition",
    "views_places",
    "views_reports",
    "views_agencies",
    "views_routing",
    "views_settings",
    "views_templates",
    "views_users",
]
