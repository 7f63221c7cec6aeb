"""Score how likely an open petition reports the same thing as a new one.

The caller has already narrowed ``others`` to open petitions of the same
ward and category, so what is left is "same problem, same spot?".  The score
is the cosine of folded word and word-pair sets with function words removed:
two residents describing the same flooded street share its name and the key
nouns, in any order and with or without diacritics.  Cheap enough to score a
few hundred candidates per message.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from nlp.normalize import fold, normalize

DEFAULT_THRESHOLD = 0.25
_TOKEN = re.compile(r"[a-z0-9]+")
# Frequent words that say nothing about which problem it is (folded).
_STOP = frozenset(
    """a ai anh ba bi bo cac cai cho chi chu cua cung da dang day de den deu di do duoc em gi
    gio ha hay hon khi khong la lai lam len luc ma moi mot minh nay neu nguoi nha nhe nhieu
    nhung nhu noi o oi ong qua ra rat roi sau se so ta tai than thi thoi toi trong tu tung va
    van vao vay ve vi voi xin kinh gui de nghi phan anh mong cam on ubnd phuong xa thon khoi
    pho cu moi hien nay dan nguoi dan chung toi ho gia dinh""".split()
)


def signature(text: str) -> frozenset[str]:
    """The content words and word pairs of ``text``, folded."""
    words = [w for w in _TOKEN.findall(fold(normalize(text[:5_000]))) if w not in _STOP]
    pairs = (f"{a}_{b}" for a, b in zip(words, words[1:], strict=False))
    return frozenset([*words, *pairs])


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Cosine of two binary sets, 0.0 when either is empty."""
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def candidates(
    text: str,
    others: Iterable[tuple[int, str]],
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = 5,
) -> list[tuple[int, float]]:
    """Return up to ``limit`` (id, score) pairs scoring at least ``threshold``, best first."""
    if not isinstance(text, str) or limit <= 0:
        return []
    mine = signature(text)
    if not mine:
        return []
    scored = []
    for pid, other in others:
        if not isinstance(other, str):
            continue
        score = round(similarity(mine, signature(other)), 4)
        if score >= threshold:
            scored.append((pid, score))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored[:limit]
