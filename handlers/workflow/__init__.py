"""The petition workflow: the single place a petition changes state.

Every transition checks who may act and from which state, writes a PetitionEvent in the
caller's transaction, queues the citizen's notification in the outbox and keeps the clocks
(working days, Asia/Ho_Chi_Minh) and `next_due_at` in step. Callers own the transaction.
"""

from handlers.workflow.actors import SYSTEM, Actor, as_actor
from handlers.workflow.agency_side import decide_extension, request_extension, return_forward
from handlers.workflow.calendar import (
    LOCAL_TZ,
    WorkCalendar,
    add_days,
    end_of_day,
    local_date,
    start_of_day,
)
from handlers.workflow.citizen import (
    add_citizen_info,
    record_feedback,
    submit,
    withdraw,
    within_reopen_window,
)
from handlers.workflow.clocks import (
    CLOCKED_STATES,
    DEFAULT_POLICY,
    FEEDBACK_STATES,
    OLDEST_RECEIPT,
    DeadlinePolicy,
    handler_deadline,
    is_overdue,
    next_due_on,
    overdue_clause,
    refresh_next_due,
)
from handlers.workflow.codes import DEFAULT_CODE_PREFIX, next_code
from handlers.workflow.days_off import move_off_day
from handlers.workflow.errors import (
    InvalidInput,
    InvalidState,
    NotAllowed,
    OutOfScope,
    WorkflowError,
)
from handlers.workflow.forwarding import (
    FORWARD_CHANNELS,
    acknowledge,
    default_due,
    extend_deadline,
    forward,
    record_agency_answer,
    send_result,
)
from handlers.workflow.labels import citizen_state_label
from handlers.workflow.notify import parse_feedback
from handlers.workflow.queries import (
    active_forward,
    duplicates_of,
    entered_at,
    forwards_of,
    latest_forward,
)
from handlers.workflow.rules import allowed_actions, in_scope, scope_clause
from handlers.workflow.search import refresh_search_text, search_key
from handlers.workflow.staff import (
    add_note,
    answer_directly,
    assign,
    classify,
    close,
    merge,
    redact,
    reopen,
    request_info,
    triage,
)
from handlers.workflow.suggest import apply_suggestions

__all__ = [
    "CLOCKED_STATES",
    "DEFAULT_CODE_PREFIX",
    "DEFAULT_POLICY",
    "FEEDBACK_STATES",
    "FORWARD_CHANNELS",
    "LOCAL_TZ",
    "OLDEST_RECEIPT",
    "SYSTEM",
    "Actor",
    "DeadlinePolicy",
    "InvalidInput",
    "InvalidState",
    "NotAllowed",
    "OutOfScope",
    "WorkCalendar",
    "WorkflowError",
    "acknowledge",
    "active_forward",
    "add_citizen_info",
    "add_days",
    "add_note",
    "allowed_actions",
    "answer_directly",
    "apply_suggestions",
    "as_actor",
    "assign",
    "citizen_state_label",
    "classify",
    "close",
    "decide_extension",
    "default_due",
    "duplicates_of",
    "end_of_day",
    "entered_at",
    "extend_deadline",
    "forward",
    "forwards_of",
    "handler_deadline",
    "in_scope",
    "is_overdue",
    "move_off_day",
    "latest_forward",
    "local_date",
    "merge",
    "next_code",
    "next_due_on",
    "overdue_clause",
    "parse_feedback",
    "record_agency_answer",
    "record_feedback",
    "redact",
    "refresh_next_due",
    "refresh_search_text",
    "reopen",
    "request_extension",
    "request_info",
    "return_forward",
    "scope_clause",
    "search_key",
    "send_result",
    "start_of_day",
    "submit",
    "triage",
    "withdraw",
    "within_reopen_window",
]
