"""Scheduled reminders on unresolved petitions, in working days, never twice for one thing."""
