"""Turn a petition into the sparse features the category model reads.

Features are folded (no diacritics) syllable unigrams and bigrams plus one
feature per keyword-lexicon category hit, weighted by sublinear TF-IDF and
L2-normalised.  Folding makes text typed without diacritics look to the model
exactly like text typed with them, and bigrams restore most of what folding
loses ("duong ngap" is a flooded road).  The alternatives were measured on
cross-validation and on the dev set (docs/benchmarks.md, NLP): accented
features with diacritics-stripped copies, trigrams, character n-grams,
underthesea word segments and chi-square selection were no better, and word
segmentation alone costs about as much as the whole pipeline.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from nlp import keywords
from nlp.normalize import fold, normalize

_TOKEN = re.compile(r"[a-z]+|\d+")
MAX_CHARS = 5_000  # a petition longer than this is classified on its beginning


@dataclass(frozen=True, slots=True)
class FeatureConfig:
    """What to extract; stored in the model manifest so training and serving agree."""

    bigrams: bool = True
    keywords: bool = True

    def as_dict(self) -> dict[str, bool]:
        return {"bigrams": self.bigrams, "keywords": self.keywords}


def tokens(folded_text: str) -> list[str]:
    """Folded syllables with every number collapsed to "0"."""
    return ["0" if t[0].isdigit() else t for t in _TOKEN.findall(folded_text)]


def extract(text: str, config: FeatureConfig = FeatureConfig()) -> tuple[str, ...]:
    """Return the feature names of raw ``text``, one entry per occurrence."""
    return _extract(text[:MAX_CHARS], config)


@lru_cache(maxsize=128)  # category, legal type and intent all read the same message
def _extract(text: str, config: FeatureConfig) -> tuple[str, ...]:
    folded = fold(normalize(text))
    words = tokens(folded)
    names = [f"w={w}" for w in words]
    if config.bigrams:
        names.extend(f"b={a}_{b}" for a, b in zip(words, words[1:], strict=False))
    if config.keywords:
        names.extend(f"k={c}" for c in keywords.hits(folded))
    return tuple(names)


def vectorize(names: Iterable[str], idf: Mapping[str, float]) -> dict[str, float]:
    """Sublinear TF-IDF, L2-normalised; features outside ``idf`` are dropped."""
    counts = Counter(name for name in names if name in idf)
    vector = {name: (1.0 + math.log(n)) * idf[name] for name, n in counts.items()}
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {name: v / norm for name, v in vector.items()} if norm else {}
