"""Match a question to the closest of a few hundred short documents, by meaning of words.

TF-IDF over three kinds of features of the folded text: syllables, syllable pairs and
character trigrams inside words (so "mấy giờ" meets "giờ làm việc", and "sdt" meets
"số điện thoại" only through the documents' own phrasings). Stop syllables that carry
no topic are dropped. Everything is computed in pure Python from the documents given;
nothing is downloaded or trained elsewhere.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from nlp.normalize import fold, normalize

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    "a ah a oi cho hoi xin vui long lam on em toi minh anh chi ong ba chau con tui co khong "
    "ko k duoc dc gi vay the nao nhi nha nhe la va voi cua thi ma o tai de can muon biet "
    "ad admin ban oi ah u da vang nay do kia ai".split()
)
_EXPAND = {"sdt": "so dien thoai", "dt": "dien thoai", "mttq": "mat tran to quoc",
           "ubnd": "uy ban nhan dan", "t7": "thu bay", "cn": "chu nhat"}  # fmt: skip


def features(text: str) -> dict[str, float]:
    """Weighted features of a text: syllables, syllable pairs, trigrams inside syllables."""
    words: list[str] = []
    for w in _WORD.findall(fold(normalize(text[:2_000]))):
        words.extend(_EXPAND.get(w, w).split())
    words = [w for w in words if w not in _STOP]
    out: defaultdict[str, float] = defaultdict(float)
    for w in words:
        out["w:" + w] += 1.0
        padded = f"_{w}_"
        for i in range(len(padded) - 2):
            out["c:" + padded[i : i + 3]] += 0.3
    for a, b in zip(words, words[1:], strict=False):
        out[f"b:{a} {b}"] += 1.5
    return dict(out)


@dataclass(frozen=True, slots=True)
class Hit:
    """A document and how close the query came to it (cosine, 0–1)."""

    index: int
    score: float


class Index:
    """A TF-IDF index of documents; `best` returns the closest ones to a query."""

    def __init__(self, documents: Sequence[str]) -> None:
        counts = [features(d) for d in documents]
        df: Counter[str] = Counter()
        for c in counts:
            df.update(c.keys())
        n = len(documents)
        self._idf = {f: math.log((1 + n) / (1 + k)) + 1.0 for f, k in df.items()}
        self._vectors = [self._weigh(c) for c in counts]

    def _weigh(self, counts: dict[str, float]) -> dict[str, float]:
        vector = {f: (1 + math.log(v)) * self._idf.get(f, 0.0) for f, v in counts.items() if v}
        norm = math.sqrt(sum(x * x for x in vector.values())) or 1.0
        return {f: x / norm for f, x in vector.items() if x}

    def best(self, query: str, limit: int = 3) -> list[Hit]:
        """The closest documents to the query, best first (scores above zero only)."""
        q = self._weigh(features(query))
        scores = [
            Hit(i, round(sum(q[f] * v.get(f, 0.0) for f in q), 4))
            for i, v in enumerate(self._vectors)
        ]
        return sorted((h for h in scores if h.score > 0), key=lambda h: -h.score)[:limit]
