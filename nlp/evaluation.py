"""Evaluate the models on a labelled JSONL file in the evaluation format of taxonomy.md.

Category figures (accuracy, macro-F1, per category, confusion), the
calibration of the confidence (expected calibration error over ten equal
bins, and the reliability table behind it), ward and urgency figures, and
the keyword baseline's category figures under ``baseline``.
``strip_diacritics`` evaluates the same records typed without diacritics.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nlp import classifier, keywords, metrics, urgency, wards
from nlp.corpus import Petition, read_petitions
from nlp.model import LinearModel
from nlp.normalize import fold


def _texts(records: Sequence[Petition], strip_diacritics: bool) -> list[str]:
    return [fold(r.text) if strip_diacritics else r.text for r in records]


def ward_figures(records: Sequence[Petition], texts: Sequence[str]) -> dict[str, float]:
    """Accuracy over records naming a ward; false-positive rate over those naming none."""
    named = total_none = right = wrong = 0
    for record, text in zip(records, texts, strict=True):
        found = wards.resolve(text)
        if record.ward:
            named += 1
            right += found is not None and fold(found.name) == fold(record.ward)
        else:
            total_none += 1
            wrong += found is not None
    return {
        "ward_accuracy": round(right / named, 4) if named else 0.0,
        "ward_false_positive_rate": round(wrong / total_none, 4) if total_none else 0.0,
    }


def urgent_figures(records: Sequence[Petition], texts: Sequence[str]) -> dict[str, float]:
    """Precision and recall of the urgency rules."""
    predicted = [urgency.detect(t).urgent for t in texts]
    precision, recall = metrics.binary([r.urgent for r in records], predicted)
    return {"urgent_precision": precision, "urgent_recall": recall}


def evaluate_records(
    records: Sequence[Petition],
    strip_diacritics: bool = False,
    model: LinearModel | None = None,
) -> dict[str, Any]:
    """All figures for ``records``; ``model`` defaults to the process-wide one."""
    texts = _texts(records, strip_diacritics)
    gold = [r.category for r in records]
    predictions = [classifier.predict(t, model) for t in texts]
    predicted = [p.category for p in predictions]
    baseline = [keywords.classify(t) for t in texts]
    labels = keywords.CATEGORIES
    pairs = [(p.confidence, p.category == g) for p, g in zip(predictions, gold, strict=True)]
    return {
        "n": len(records),
        **metrics.category_report(gold, predicted, labels),
        "category_ece": metrics.expected_calibration_error(pairs),
        "reliability_table": metrics.reliability_table(pairs),
        **ward_figures(records, texts),
        **urgent_figures(records, texts),
        "baseline": metrics.category_report(gold, baseline, labels),
    }


def evaluate(path: Path, strip_diacritics: bool = False) -> dict[str, Any]:
    """Evaluate the current models on the JSONL file at ``path``."""
    return evaluate_records(read_petitions(path), strip_diacritics)


def calibration(
    records: Sequence[Petition], edges: Sequence[float] = (0.0, 0.4, 0.6, 0.8, 0.9, 1.01)
) -> list[dict[str, Any]]:
    """Mean confidence against accuracy per confidence bin (calibrated: they agree)."""
    pairs = [(classifier.predict(r.text), r.category) for r in records]
    rows = []
    for low, high in zip(edges, edges[1:], strict=False):
        hits = [(p.confidence, p.category == g) for p, g in pairs if low <= p.confidence < high]
        if hits:
            rows.append(
                {
                    "bin": f"[{low}, {min(high, 1.0)}]",
                    "n": len(hits),
                    "mean_confidence": round(sum(c for c, _ in hits) / len(hits), 4),
                    "accuracy": round(sum(ok for _, ok in hits) / len(hits), 4),
                }
            )
    return rows


def reliability(
    records: Sequence[Petition], bins: Sequence[float] = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
) -> list[dict[str, float]]:
    """For each threshold: share of petitions passed automatically and their accuracy."""
    predictions = [classifier.predict(r.text) for r in records]
    rows = []
    for threshold in bins:
        passed = [
            p.category == r.category
            for p, r in zip(predictions, records, strict=True)
            if p.confidence >= threshold
        ]
        rows.append(
            {
                "threshold": threshold,
                "auto_share": round(len(passed) / len(records), 4) if records else 0.0,
                "auto_accuracy": round(sum(passed) / len(passed), 4) if passed else 0.0,
            }
        )
    return rows
