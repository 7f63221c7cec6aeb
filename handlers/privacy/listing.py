"""Who asked, as the request list shows it: enough for an officer to tell one resident from
another (a masked name and their latest petition code), not the full personal data, which
the request's own page shows and audits as a view of personal data."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Citizen, Petition
from storage.models.enums import PetitionState


@dataclass(frozen=True)
class Asker:
    """A resident in the list: masked name (or what stands for it) and latest petition code."""

    name: str
    code: str | None


def mask_name(name: str | None) -> str:
    """The given name in full, the other words by their first letter («N***** V** An»).

    Vietnamese names end with the given name, which alone is common enough not to identify
    anyone; with the initials it tells the officer which resident this is. A one-word Zalo
    name keeps its first two letters.
    """
    words = unicodedata.normalize("NFC", name or "").split()
    if not words:
        return ""
    if len(words) == 1:
        word = words[0]
        keep = 2 if len(word) > 3 else 1
        return word[:keep] + "*" * (len(word) - keep)
    return " ".join([*(w[0] + "*" * (len(w) - 1) for w in words[:-1]), words[-1]])


def askers(session: Session, citizens: Iterable[Citizen]) -> dict[int, Asker]:
    """Each citizen's list entry by id (one query for the codes of all of them)."""
    people = {c.id: c for c in citizens}
    latest: dict[int, str] = {}
    rows = session.execute(
        select(Petition.citizen_id, Petition.code)
        .where(
            Petition.citizen_id.in_(list(people)),
            Petition.state != PetitionState.DRAFT,
            Petition.code.is_not(None),
        )
        .order_by(Petition.id)
    )
    for citizen_id, code in rows:
        if citizen_id is not None and code:
            latest[citizen_id] = code
    return {
        cid: Asker(
            name="Đã ẩn danh"
            if c.anonymised_at is not None
            else mask_name(c.display_name) or "Chưa có tên",
            code=latest.get(cid),
        )
        for cid, c in people.items()
    }
