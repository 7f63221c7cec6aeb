"""Two problems in one message: "đường ngập..., ngoài ra đèn đường hỏng..." → two parts.

Only an explicit joint splits ("ngoài ra", "thêm nữa", "còn nữa", "với lại", "thứ hai",
"1) … 2) …"), and only when both parts are substantial and the classifier puts them in
different fields; otherwise the message is one petition, as the citizen wrote it.
"""

from __future__ import annotations

import re

from nlp import classifier
from nlp.normalize import fold

_JOINT = re.compile(
    r"(?:^|[.,;!?\n]\s*|\s)(?:ngoai ra|them nua|con nua|voi lai|ben canh do|mot viec nua|"
    r"viec thu hai|thu hai la|van de thu hai|them mot viec|2[).:/-])\s*[,:]?\s*"
)
_LEADING = re.compile(r"^\s*(?:1[).:/-]|thu nhat(?: la)?)\s*[,:]?\s*")
MIN_WORDS = 5


def split(text: str) -> list[str]:
    """The two problems of a message, or [] when it holds one (or the joint is unclear)."""
    if not isinstance(text, str) or len(text) > 3_000:
        return []
    folded = fold(text)
    if len(folded) != len(text.lower()):
        return []  # folding changed the length (rare characters): positions would not match
    joints = list(_JOINT.finditer(folded))
    if len(joints) != 1:
        return []
    cut = joints[0]
    first = _LEADING.sub("", text[: cut.start()]).strip(" ,.;")
    second = text[cut.end() :].strip(" ,.;")
    if min(len(first.split()), len(second.split())) < MIN_WORDS:
        return []
    if classifier.predict(first).category == classifier.predict(second).category:
        return []
    return [first, second]
