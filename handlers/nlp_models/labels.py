"""Staff labels as training data: review of rule-breaking ones, and the train/held-out split.

A category label is usable unless its review is pending or excluded.  One
petition in five (by id) is held out of training: the loop measures the
installed version and the candidate on those labels, the real petitions staff
judged, which neither has seen.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.workflow.calendar import local_date
from nlp import corpus
from nlp.keywords import CATEGORIES
from nlp.label_rules import contradicts
from nlp.pii import mask
from storage.models import ClassificationLabel, LabelReview, Petition

HELD_OUT_ONE_IN = 5
PENDING, ACCEPTED, EXCLUDED = "pending", "accepted", "excluded"


@dataclass(frozen=True)
class StaffLabels:
    """Usable staff labels, split; and how many wait for review or were excluded."""

    train: list[corpus.Petition]
    held_out: list[corpus.Petition]
    waiting: int
    excluded: int


def _category_labels(session: Session) -> list[tuple[ClassificationLabel, Petition]]:
    rows = session.execute(
        select(ClassificationLabel, Petition)
        .join(Petition, Petition.id == ClassificationLabel.petition_id)
        .where(ClassificationLabel.field == "category")
        .order_by(ClassificationLabel.id)
    ).all()
    return [(label, petition) for label, petition in rows if label.value in CATEGORIES]


def sync_reviews(session: Session, now: datetime) -> int:
    """Hold every new label that overrode the model against the labelling rules.

    A label that confirms the model's own suggestion is not held even where a rule
    disagrees: two readers agreeing are rarely both wrong, and holding them would
    bury the admin in right labels (in the simulated year, four in five held labels
    were right before this condition, bench/learning_year.py).
    """
    reviewed = set(session.scalars(select(LabelReview.label_id)))
    added = 0
    for label, petition in _category_labels(session):
        if label.id in reviewed or label.predicted == label.value:
            continue
        hit = contradicts(petition.text or "", label.value)
        if hit is not None:
            session.add(
                LabelReview(
                    label_id=label.id,
                    rule_category=hit.category,
                    rule=hit.words,
                    status=PENDING,
                    created_at=now,
                )
            )
            added += 1
    session.flush()
    return added


def queue(session: Session) -> list[tuple[LabelReview, ClassificationLabel, Petition]]:
    """Labels waiting for an admin's decision, oldest first."""
    rows = session.execute(
        select(LabelReview, ClassificationLabel, Petition)
        .join(ClassificationLabel, ClassificationLabel.id == LabelReview.label_id)
        .join(Petition, Petition.id == ClassificationLabel.petition_id)
        .where(LabelReview.status == PENDING)
        .order_by(LabelReview.id)
    ).all()
    return [(r, label, p) for r, label, p in rows]


def decide(
    session: Session, review_id: int, accept: bool, staff_id: int | None, now: datetime
) -> bool:
    """Accept (train on it) or exclude a held label; False when there is no such review."""
    review = session.get(LabelReview, review_id)
    if review is None or review.status != PENDING:
        return False
    review.status = ACCEPTED if accept else EXCLUDED
    review.reviewed_by, review.reviewed_at = staff_id, now
    session.flush()
    return True


def usable(session: Session) -> StaffLabels:
    """The labels the next run may use, as corpus petitions (personal data masked)."""
    status = dict(session.execute(select(LabelReview.label_id, LabelReview.status)).all())
    counts: Counter[str] = Counter()
    train: list[corpus.Petition] = []
    held: list[corpus.Petition] = []
    for label, petition in _category_labels(session):
        state = status.get(label.id, ACCEPTED)
        counts[state] += 1
        if state != ACCEPTED or not (petition.text or "").strip():
            continue
        example = corpus.Petition(text=mask(petition.text), category=label.value)
        (held if petition.id % HELD_OUT_ONE_IN == 0 else train).append(example)
    return StaffLabels(train, held, counts[PENDING], counts[EXCLUDED])


def corrected_by_month(session: Session, months: int = 12) -> list[tuple[str, int, int]]:
    """(YYYY-MM, suggestions judged, of which staff corrected) for the last ``months``."""
    judged: Counter[str] = Counter()
    corrected: Counter[str] = Counter()
    rows = session.execute(
        select(
            ClassificationLabel.created_at, ClassificationLabel.predicted, ClassificationLabel.value
        ).where(ClassificationLabel.field == "category", ClassificationLabel.predicted.is_not(None))
    )
    for created_at, predicted, value in rows:
        month = local_date(created_at).strftime("%Y-%m")
        judged[month] += 1
        corrected[month] += predicted != value
    return [(m, judged[m], corrected[m]) for m in sorted(judged)[-months:]]
