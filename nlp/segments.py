"""Split a petition into the parts that may each raise a problem.

A citizen who reports two things ("đèn đường hỏng cả tháng; rác không ai thu
gom") usually puts them in separate sentences or clauses joined by "và",
"còn", "ngoài ra".  Parts too short to classify are merged into the one
before, so a part always carries a few words of its own.
"""

from __future__ import annotations

import re

_BREAK = re.compile(
    r"[.!?;\n]+|,?\s+(?:ngoài ra|bên cạnh đó|thêm nữa|đồng thời|mặt khác|còn|ngoai ra|con)\s+"
    r"|\s+và\s+(?=tình trạng|việc|vấn đề|ở|tại)",
    re.IGNORECASE,
)
MIN_WORDS = 5


def parts(text: str, min_words: int = MIN_WORDS) -> list[str]:
    """Sentences and clauses of ``text`` with at least ``min_words`` words each."""
    out: list[str] = []
    for piece in _BREAK.split(text):
        piece = piece.strip(" ,:-–")
        if not piece:
            continue
        if out and len(out[-1].split()) < min_words:
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    if len(out) > 1 and len(out[-1].split()) < min_words:
        last = out.pop()
        out[-1] = f"{out[-1]} {last}"
    return out
