"""Classification metrics without numpy: accuracy, macro-F1, per-class figures, confusion,
and the calibration of a confidence (reliability table, expected calibration error)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any


def _ratio(num: float, den: float) -> float:
    return round(num / den, 4) if den else 0.0


def per_class(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    """Precision, recall, F1 and support of each label."""
    pairs = Counter(zip(gold, pred, strict=True))
    gold_n = Counter(gold)
    pred_n = Counter(pred)
    result: dict[str, Any] = {}
    for label in labels:
        tp = pairs[(label, label)]
        precision = _ratio(tp, pred_n[label])
        recall = _ratio(tp, gold_n[label])
        f1 = _ratio(2 * precision * recall, precision + recall)
        support = gold_n[label]
        result[label] = {"precision": precision, "recall": recall, "f1": f1, "support": support}
    return result


def macro_f1(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> float:
    """Unweighted mean F1 over the labels that occur in ``gold``."""
    table = per_class(gold, pred, labels)
    present = [table[label]["f1"] for label in labels if table[label]["support"]]
    return round(sum(present) / len(present), 4) if present else 0.0


def accuracy(gold: Sequence[Any], pred: Sequence[Any]) -> float:
    """Share of equal pairs."""
    return _ratio(sum(g == p for g, p in zip(gold, pred, strict=True)), len(gold))


def confusion(
    gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]
) -> dict[str, dict[str, int]]:
    """gold label → predicted label → count, zero cells left out."""
    pairs = Counter(zip(gold, pred, strict=True))
    return {
        g: {p: pairs[(g, p)] for p in labels if pairs[(g, p)]}
        for g in labels
        if any(pairs[(g, p)] for p in labels)
    }


def binary(gold: Sequence[bool], pred: Sequence[bool]) -> tuple[float, float]:
    """Precision and recall of the positive class."""
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    return _ratio(tp, sum(pred)), _ratio(tp, sum(gold))


def category_report(
    gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]
) -> dict[str, Any]:
    """The category block of the evaluation output."""
    return {
        "category_accuracy": accuracy(gold, pred),
        "category_macro_f1": macro_f1(gold, pred, labels),
        "per_category": per_class(gold, pred, labels),
        "confusion": confusion(gold, pred, labels),
    }


Confidence = tuple[float, bool]  # (confidence of the top label, whether it was right)
ECE_BINS = 10


def _bin(confidence: float, bins: int) -> int:
    return min(int(confidence * bins), bins - 1)


def _grouped(pairs: Sequence[Confidence], bins: int) -> dict[int, list[Confidence]]:
    grouped: dict[int, list[Confidence]] = {}
    for confidence, right in pairs:
        grouped.setdefault(_bin(confidence, bins), []).append((confidence, right))
    return grouped


def reliability_table(pairs: Sequence[Confidence], bins: int = ECE_BINS) -> list[dict[str, Any]]:
    """Per equal-width confidence bin: count, mean confidence, accuracy (empty bins left out)."""
    grouped = _grouped(pairs, bins)
    rows = []
    for k in sorted(grouped):
        hits = grouped[k]
        rows.append(
            {
                "bin": f"{k / bins:.1f}–{(k + 1) / bins:.1f}",
                "n": len(hits),
                "mean_confidence": _ratio(sum(c for c, _ in hits), len(hits)),
                "accuracy": _ratio(sum(ok for _, ok in hits), len(hits)),
            }
        )
    return rows


def expected_calibration_error(pairs: Sequence[Confidence], bins: int = ECE_BINS) -> float:
    """Sum over bins of (share of examples) × |accuracy − mean confidence|."""
    if not pairs:
        return 0.0
    gap = sum(
        abs(sum(ok for _, ok in hits) - sum(c for c, _ in hits))
        for hits in _grouped(pairs, bins).values()
    )
    return round(gap / len(pairs), 4)
