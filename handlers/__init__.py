"""Use cases: what each event means, the petition workflow, reminders. Plain Python, no HTTP."""
