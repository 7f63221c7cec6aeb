"""Category prediction with a calibrated confidence and top-3 suggestions for staff.

Below ``CONFIDENCE_THRESHOLD`` the petition is marked ``needs_manual``.  The
probabilities are calibrated (temperature fitted by cross-validation; on the
real petitions of the dev set a 0.85 confidence is right 85% of the time), and
at 0.6 about four in five petitions pass with ~86% accuracy while the rest,
right only about half the time, go to staff (docs/benchmarks.md, NLP).
Without a trained model the keyword baseline answers, always ``needs_manual``.
"""

from __future__ import annotations

from dataclasses import dataclass

from nlp import keywords, registry
from nlp.features import extract
from nlp.model import LinearModel

CONFIDENCE_THRESHOLD = 0.6
MIN_WORDS = 4  # "đồng ý" can look confidently like anything: too short to classify
KEYWORDS_VERSION = "keywords"


@dataclass(frozen=True, slots=True)
class CategoryPrediction:
    """The best category, its probability and the three best with theirs."""

    category: str
    confidence: float
    top3: tuple[tuple[str, float], ...]
    needs_manual: bool
    model_version: str


def _from_model(model: LinearModel, text: str, threshold: float) -> CategoryPrediction:
    names = extract(text, model.config)
    ranked = model.proba(names)
    top3 = tuple((c, round(p, 4)) for c, p in ranked[:3])
    best, confidence = top3[0]
    too_short = sum(name.startswith("w=") for name in names) < MIN_WORDS
    return CategoryPrediction(
        best, confidence, top3, confidence < threshold or too_short, model.version
    )


def baseline(text: str) -> CategoryPrediction:
    """The keyword baseline as a prediction (confidence = share of keyword weight)."""
    ranked = keywords.score(text).ranked
    total = sum(s for _, s in ranked)
    top3 = tuple((c, round(s / total, 4)) for c, s in ranked[:3])
    if not top3:
        top3 = ((keywords.FALLBACK, 0.0),)
    best, confidence = top3[0]
    return CategoryPrediction(best, confidence, top3, True, KEYWORDS_VERSION)


def predict(
    text: str, model: LinearModel | None = None, threshold: float = CONFIDENCE_THRESHOLD
) -> CategoryPrediction:
    """Classify ``text`` with ``model`` (default: the process-wide trained model)."""
    if not isinstance(text, str):
        text = ""
    model = model or registry.bundle().category
    if model is None:
        return baseline(text)
    return _from_model(model, text, threshold)
