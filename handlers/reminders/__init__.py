"""Scheduled reminders on unresolved petitions; importing the package registers the jobs."""

from handlers.reminders import agency, front, housekeeping, satisfaction, todo_mail

__all__ = ["agency", "front", "housekeeping", "satisfaction", "todo_mail"]
