"""What the workflow refuses, translated at the edge (a 403/404/409 page, a bot reply)."""

from __future__ import annotations


class WorkflowError(Exception):
    """Base of the workflow's refusals; the message is safe to show staff (Vietnamese)."""


class NotAllowed(WorkflowError):
    """This actor may not do this to this petition (role or scope)."""


class OutOfScope(NotAllowed):
    """The petition lies outside the actor's wards or agency: shown as 'not found'."""


class InvalidState(WorkflowError):
    """The action is not possible from the petition's current state."""


class InvalidInput(WorkflowError):
    """A required value is missing or wrong (a close reason, an agency, a date)."""
