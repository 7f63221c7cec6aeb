"""Staff reply templates (ResponseTemplate rows keyed reply.*), filled for one petition."""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from storage.models import Petition, ResponseTemplate

if TYPE_CHECKING:
    from bot.admin.lookups import Lookups

REPLY_PREFIX = "reply."


class _Keep(dict[str, Any]):
    """Unknown placeholders stay as typed, so staff see what is missing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(body: str, values: Mapping[str, Any]) -> str:
    """Fill {placeholders}; a malformed template is returned unchanged."""
    try:
        return string.Formatter().vformat(body, (), _Keep(values))
    except (ValueError, IndexError):
        return body


def reply_templates(session: Session, p: Petition, names: Lookups) -> list[tuple[str, str]]:
    """(title, text) of the active reply templates for this petition's field (or any field)."""
    rows = session.scalars(
        select(ResponseTemplate)
        .where(
            ResponseTemplate.key.startswith(REPLY_PREFIX),
            ResponseTemplate.active.is_(True),
            or_(
                ResponseTemplate.category_id.is_(None),
                ResponseTemplate.category_id == p.category_id,
            ),
        )
        .order_by(ResponseTemplate.title)
    ).all()
    ward = names.wards.get(p.ward_id or 0)
    category = names.categories.get(p.category_id or 0)
    values = {
        "code": p.code or "",
        "ward": ward.name if ward else "",
        "category": category.name if category else "",
        "summary": p.summary or "",
    }
    return [(t.title or t.key, fill(t.body, values)) for t in rows]
