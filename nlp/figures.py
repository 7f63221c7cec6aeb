"""The figures a model version is judged and shown by, and the team's held-out evaluation set.

Every version is measured on the same slice of the team corpus, which no
version trains on: one petition in ten, chosen by a hash of its text (so the
slice does not move when petitions are added elsewhere).  A corpus too small to
spare a slice (tests, a fresh install) has none.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from nlp import classifier, metrics
from nlp.corpus import Petition
from nlp.keywords import CATEGORIES
from nlp.model import LinearModel

EVAL_ONE_IN = 10
MIN_CORPUS_FOR_EVAL = 500


def held_out(text: str) -> bool:
    """Whether a corpus petition belongs to the team's evaluation set."""
    return hashlib.sha256(text.encode("utf-8")).digest()[0] % EVAL_ONE_IN == 0


def split(petitions: Sequence[Petition]) -> tuple[list[Petition], list[Petition]]:
    """(training part, evaluation part) of the team corpus."""
    if len(petitions) < MIN_CORPUS_FOR_EVAL:
        return list(petitions), []
    train = [p for p in petitions if not held_out(p.text)]
    evaluation = [p for p in petitions if held_out(p.text)]
    return train, evaluation


def figures(model: LinearModel | None, records: Sequence[Petition]) -> dict[str, Any]:
    """Accuracy, macro-F1, per-category P/R/F1, confusion and calibration on ``records``."""
    predictions = [classifier.predict(r.text, model) for r in records]
    gold = [r.category for r in records]
    predicted = [p.category for p in predictions]
    pairs = [(p.confidence, p.category == g) for p, g in zip(predictions, gold, strict=True)]
    return {
        "n": len(records),
        **metrics.category_report(gold, predicted, CATEGORIES),
        "ece": metrics.expected_calibration_error(pairs),
        "reliability_table": metrics.reliability_table(pairs),
    }
