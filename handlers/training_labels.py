"""Staff-confirmed classifications as training examples for the next NLP model.

The export has the corpus's format, so `python -m nlp train --extra FILE` takes it as is.
Personal data is masked on the way out: a model needs the words, not the phone numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from nlp.pii import mask
from storage.models import ClassificationLabel, Petition, Ward


def labelled_examples(session: Session) -> Iterator[dict[str, Any]]:
    """One example per petition whose category staff confirmed or corrected."""
    wards = {code: name for code, name in session.execute(select(Ward.code, Ward.name))}
    labels: dict[int, dict[str, str]] = {}
    for label in session.scalars(select(ClassificationLabel).order_by(ClassificationLabel.id)):
        labels.setdefault(label.petition_id, {})[label.field] = label.value
    for petition_id, fields in sorted(labels.items()):
        petition = session.get(Petition, petition_id)
        if "category" not in fields or petition is None or not petition.text.strip():
            continue
        yield {
            "text": mask(petition.text),
            "category": fields["category"],
            "urgent": fields.get("urgent", "1" if petition.urgent else "0") == "1",
            "ward": wards.get(fields.get("ward", "")),
            "legal_type": fields.get("legal_type") or petition.legal_type or "phan_anh",
        }
