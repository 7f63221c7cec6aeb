"""Category prediction with a calibrated confidence and top-3 suggestions for staff.

Below ``CONFIDENCE_THRESHOLD`` the petition is marked ``needs_manual``.  The
probabilities are calibrated (temperature fitted by cross-validation; on the
real petitions of the dev set a 0.85 confidence is right 85% of the time), and
at 0.6 about four in five petitions pass with ~86% accuracy while the rest,
right only about half the time, go to staff (docs/benchmarks.md, NLP).
Without a trained model the keyword baseline answers, always ``needs_manual``.

A petition that raises two problems gets a second suggestion: each sentence or
clause (nlp/segments.py) is classified on its own, and a part read confidently
as another field than the whole names that field, so staff can split the
petition.  The threshold was chosen on pairs of corpus petitions joined
together, scored by models that had not seen them (docs/nlp.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from nlp import keywords, registry, segments
from nlp.features import MAX_CHARS, extract
from nlp.model import LinearModel

CONFIDENCE_THRESHOLD = 0.6
MIN_WORDS = 4  # "đồng ý" can look confidently like anything: too short to classify
KEYWORDS_VERSION = "keywords"
SECOND_PART_CONFIDENCE = 0.7  # a part read this surely as another field is a second problem
NO_SECOND = ("khac",)  # "other" is never worth splitting a petition for
MAX_PARTS = 12  # a long petition's later parts are read with its beginning only


@dataclass(frozen=True, slots=True)
class CategoryPrediction:
    """The best category, its probability and the three best with theirs."""

    category: str
    confidence: float
    top3: tuple[tuple[str, float], ...]
    needs_manual: bool
    model_version: str
    second: tuple[str, float] | None = None


def _from_model(model: LinearModel, text: str, threshold: float) -> CategoryPrediction:
    names = extract(text, model.config)
    ranked = model.proba(names)
    top3 = tuple((c, round(p, 4)) for c, p in ranked[:3])
    best, confidence = top3[0]
    too_short = sum(name.startswith("w=") for name in names) < MIN_WORDS
    return CategoryPrediction(
        best,
        confidence,
        top3,
        confidence < threshold or too_short,
        model.version,
        None if too_short else second_problem(model, text, best),
    )


def second_problem(
    model: LinearModel, text: str, main: str, threshold: float = SECOND_PART_CONFIDENCE
) -> tuple[str, float] | None:
    """Another field a part of ``text`` is surely about, with that part's confidence."""
    found: dict[str, float] = {}
    pieces = segments.parts(text[:MAX_CHARS])
    if len(pieces) < 2:
        return None
    for piece in pieces[:MAX_PARTS]:
        category, probability = model.proba(extract(piece, model.config))[0]
        if category != main and category not in NO_SECOND and probability >= threshold:
            found[category] = max(found.get(category, 0.0), probability)
    if not found:
        return None
    category = max(sorted(found), key=found.__getitem__)
    return category, round(found[category], 4)


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
