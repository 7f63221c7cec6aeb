"""One call that gives the bot and the triage inbox everything nlp knows about a message."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from nlp import classifier, intent, legal_type, pii, urgency, wards
from nlp.pii import PiiSpan
from nlp.wards import WardMatch


@dataclass(frozen=True, slots=True)
class Analysis:
    """Suggestions for one petition text; staff confirm or correct them."""

    category: str
    confidence: float
    top3: tuple[tuple[str, float], ...]
    needs_manual: bool
    ward: WardMatch | None
    urgent: bool
    urgency_reasons: tuple[str, ...]
    legal_type: str
    pii: tuple[PiiSpan, ...]
    intent: str
    model_version: str
    second: tuple[str, float] | None = None  # another field the petition raises


def analyse(text: str, extra_wards: Mapping[str, str] | None = None) -> Analysis:
    """Analyse ``text``; never raises on a string, however odd."""
    if not isinstance(text, str):
        text = ""
    prediction = classifier.predict(text)
    found = urgency.detect(text)
    return Analysis(
        category=prediction.category,
        confidence=prediction.confidence,
        top3=prediction.top3,
        needs_manual=prediction.needs_manual,
        ward=wards.resolve(text, extra_wards),
        urgent=found.urgent,
        urgency_reasons=found.reasons,
        legal_type=legal_type.suggest(text),
        pii=tuple(pii.find(text)),
        intent=intent.detect(text),
        model_version=prediction.model_version,
        second=prediction.second,
    )
