"""An agency's open requests on a forward (extensions): read them, and close them when the
forward ends (answered, returned, re-routed) so no decision is asked on a dead forward."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import ExtensionRequest, Forward

PENDING = "pending"
APPROVED = "approved"
REFUSED = "refused"
WITHDRAWN = "withdrawn"


def pending_extension(session: Session, forward: Forward) -> ExtensionRequest | None:
    """The forward's extension request still waiting for the Front (at most one)."""
    return session.scalar(
        select(ExtensionRequest)
        .where(ExtensionRequest.forward_id == forward.id, ExtensionRequest.state == PENDING)
        .order_by(ExtensionRequest.id.desc())
        .limit(1)
    )


def withdraw_requests(session: Session, forward: Forward, now: datetime) -> None:
    """The forward ended: its pending requests need no decision any more."""
    session.execute(
        update(ExtensionRequest)
        .where(ExtensionRequest.forward_id == forward.id, ExtensionRequest.state == PENDING)
        .values(state=WITHDRAWN, decided_at=now)
        .execution_options(synchronize_session="fetch")
    )
