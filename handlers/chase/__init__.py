"""Chase letters (văn bản đôn đốc) and supervision proposals the agency ladder drafts: the
letters screen's lists, recording one as sent, and what follows (`letter_sent`)."""

from handlers.chase.listing import TABS, LetterRow, count_pending, letter_for, letters_for
from handlers.chase.records import describe_sent, letter_sent, record_sent
from handlers.reminders.drafting import KIND_LABELS

__all__ = [
    "KIND_LABELS",
    "TABS",
    "LetterRow",
    "count_pending",
    "describe_sent",
    "letter_for",
    "letter_sent",
    "letters_for",
    "record_sent",
]
