"""The outbox: every message to a citizen or an agency, queued in the caller's transaction.

Callers queue with `queue_zalo` / `queue_email` in the same transaction as the change that
caused the message, and never talk to Zalo or SMTP themselves. The sender (`bot.zalo.sender`)
drains the table with the state functions in `claims`, each taking the session first and never
committing:

    pending ──claim──▶ sending ──complete──▶ sent
       ▲                 │ fail (back-off)      ▲
       └─────────────────┤ hold (7-day window) ─┴─ release_held (citizen writes again)
                         └ dead_letter (permanent; staff see it, `requeue` puts it back)

Zalo messages to one citizen leave in the order they were queued: a row is not claimed while
an older row for the same recipient is pending, sending or held.

A claim is identified by (attempts, claimed_until). Every change a sender makes to a row it
claimed names that claim (`held=`), and before each send it confirms the claim
(`confirm_claim`), so a sender whose row was taken over (`take_over_stale`, after its lease
ran out) neither sends it nor changes it. On PostgreSQL the confirmation also locks the row
until the sender commits, and a takeover skips locked rows: a row is never taken over while
its part is on the wire.
"""

from handlers.outbox.claims import (
    UNSURE,
    ClaimLost,
    claim,
    complete,
    confirm_claim,
    dead_letter,
    extend_claim,
    fail,
    hold,
    record_progress,
    release,
    release_held_for_citizen,
    replace_payload,
    requeue,
    take_over_stale,
)
from handlers.outbox.queueing import (
    HELD_UNREACHABLE,
    HELD_WINDOW,
    Button,
    OutboxError,
    queue_email,
    queue_zalo,
)
from handlers.outbox.views import counts, dead_letters, held_messages

__all__ = [
    "HELD_UNREACHABLE",
    "HELD_WINDOW",
    "UNSURE",
    "Button",
    "ClaimLost",
    "OutboxError",
    "claim",
    "complete",
    "confirm_claim",
    "counts",
    "dead_letter",
    "dead_letters",
    "extend_claim",
    "fail",
    "held_messages",
    "hold",
    "queue_email",
    "queue_zalo",
    "record_progress",
    "release",
    "release_held_for_citizen",
    "replace_payload",
    "requeue",
    "take_over_stale",
]
