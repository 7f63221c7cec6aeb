"""The NLP's suggestions stored on the petition (what the inbox and the triage panel show)."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Category, Petition, Ward

logger = logging.getLogger(__name__)


def as_suggestions(analysis: Any) -> dict[str, Any]:
    """A JSON-able dict of an nlp.pipeline Analysis (shape documented in nlp)."""
    ward = getattr(analysis, "ward", None)
    return {
        "category": getattr(analysis, "category", None),
        "confidence": _float(getattr(analysis, "confidence", None)),
        "top3": [[str(c), _float(p)] for c, p in (getattr(analysis, "top3", None) or [])],
        "needs_manual": bool(getattr(analysis, "needs_manual", False)),
        "ward": (
            {"code": ward.code, "name": ward.name, "matched": getattr(ward, "matched", "")}
            if ward is not None
            else None
        ),
        "urgent": bool(getattr(analysis, "urgent", False)),
        "urgency_reasons": list(getattr(analysis, "urgency_reasons", None) or []),
        "legal_type": getattr(analysis, "legal_type", None),
        "model_version": str(getattr(analysis, "model_version", "") or ""),
        "second": _pair(getattr(analysis, "second", None)),
    }


def _pair(value: Any) -> list[Any] | None:
    """``(category, probability)`` as a JSON list, or None."""
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        return None
    return [str(value[0]), _float(value[1])]


def apply_suggestions(session: Session, petition: Petition, analysis: Any | None = None) -> None:
    """Store suggestions and prefill fields the conversation did not set (staff confirm later)."""
    if analysis is None:
        from nlp.pipeline import analyse  # heavy model: loaded only when needed

        analysis = analyse(petition.text or petition.summary or "")
    data = as_suggestions(analysis)
    petition.suggestions = data
    petition.category_confidence = data["confidence"]
    petition.needs_manual_classification = data["needs_manual"]
    if petition.category_id is None and data["category"]:
        petition.category_id = session.scalar(
            select(Category.id).where(Category.code == data["category"])
        )
    if petition.ward_id is None and data["ward"]:
        petition.ward_id = session.scalar(select(Ward.id).where(Ward.code == data["ward"]["code"]))
    if petition.legal_type is None:
        petition.legal_type = data["legal_type"] or _category_default_type(session, petition)
    petition.urgent = petition.urgent or data["urgent"]


def _category_default_type(session: Session, petition: Petition) -> str | None:
    """The category's default legal type (categories screen), when the NLP suggests none."""
    if petition.category_id is None:
        return None
    return session.scalar(
        select(Category.default_legal_type).where(Category.id == petition.category_id)
    )


def top_suggestions(petition: Petition) -> list[tuple[str, float]]:
    """The top-3 fields with their probabilities, whatever shape was stored."""
    raw = (petition.suggestions or {}).get("top3") or []
    out: list[tuple[str, float]] = []
    for item in raw:
        if isinstance(item, (list, tuple)) and len(item) == 2:
            out.append((str(item[0]), _float(item[1]) or 0.0))
        elif isinstance(item, dict) and "code" in item:
            out.append((str(item["code"]), _float(item.get("p") or item.get("score")) or 0.0))
    return out[:3]


def second_suggestion(petition: Petition) -> tuple[str, float] | None:
    """Another field the petition seems to raise (staff may split it), if the NLP saw one."""
    pair = _pair((petition.suggestions or {}).get("second"))
    return (pair[0], pair[1] or 0.0) if pair else None


def _float(value: Any) -> float | None:
    try:
        return None if value is None else round(float(value), 4)
    except (TypeError, ValueError):
        return None


def duplicate_candidates(
    session: Session, petition: Petition, *, pool: int = 300, limit: int = 5
) -> list[tuple[Petition, float]]:
    """Open petitions of the same ward and field that read like this one, best first."""
    from nlp.duplicates import candidates
    from storage.models.enums import OPEN_STATES

    query = select(Petition.id, Petition.text).where(
        Petition.id != petition.id,
        Petition.state.in_(sorted(OPEN_STATES)),
        Petition.duplicate_of_id.is_(None),
    )
    if petition.ward_id is not None:
        query = query.where(Petition.ward_id == petition.ward_id)
    if petition.category_id is not None:
        query = query.where(Petition.category_id == petition.category_id)
    others = [
        (pid, text)
        for pid, text in session.execute(query.order_by(Petition.received_at.desc()).limit(pool))
    ]
    scored = candidates(petition.text or "", others, limit=limit)
    found = {
        p.id: p
        for p in session.scalars(
            select(Petition).where(Petition.id.in_([pid for pid, _ in scored]))
        )
    }
    return [(found[pid], score) for pid, score in scored if pid in found]
