"""Routing rules: field × ward (× keywords) → candidate agencies in order, and the proposal
the forward form shows, each candidate with the reasons it was proposed.

A rule is the set of rows sharing (category, ward, keywords); a row's `priority` is its place
in the rule. A rule with keywords applies only when one of them occurs in the petition
(summary, text, place), compared without diacritics. More specific rules come first:
keywords matched, then the petition's own ward, then any ward.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from handlers.agencies.audit import record_change
from handlers.agencies.directory import check_manager
from handlers.workflow import Actor, InvalidInput
from nlp.normalize import fold
from storage.models import Agency, Category, Forward, Petition, RoutingRule, Ward

MAX_KEYWORDS = 300
MAX_TARGETS = 5


@dataclass
class Proposal:
    """A candidate agency and why it is proposed (shown beside it on the forward form)."""

    agency: Agency
    reasons: list[str] = field(default_factory=list)
    rank: tuple[int, int, int] = (9, 9, 99)


@dataclass(frozen=True)
class RuleGroup:
    """One rule as staff edit it."""

    category_id: int
    ward_id: int | None
    keywords: str
    note: str
    active: bool
    rows: tuple[RoutingRule, ...]

    @property
    def key(self) -> str:
        """A stable handle for the edit and delete forms."""
        return f"{self.category_id}:{self.ward_id or 0}:{self.rows[0].id}"


def keyword_list(keywords: str) -> list[str]:
    """The keywords of a rule, as staff typed them."""
    return [k.strip() for k in re.split(r"[,;\n]+", keywords or "") if fold(k)]


def _matched(keywords: str, haystack: str) -> str | None:
    """The first keyword found in the folded text (whole words, no diacritics), or None."""
    for word in keyword_list(keywords):
        if re.search(r"(?<!\w)" + re.escape(fold(word)) + r"(?!\w)", haystack):
            return word
    return None


def petition_text(petition: Petition) -> str:
    """What keywords are searched in: summary, text and place, folded."""
    return fold(" ".join(filter(None, (petition.summary, petition.text, petition.place))))


def propose(session: Session, petition: Petition) -> list[Proposal]:
    """The candidate agencies for this petition, best first, each with its reasons."""
    if petition.category_id is None:
        return []
    haystack = petition_text(petition)
    returned = _returned_by(session, petition)
    found: dict[int, Proposal] = {}
    for rule in _rules_for(session, petition):
        agency = rule.agency
        if not agency.active or (agency.ward_id and agency.ward_id != petition.ward_id):
            continue
        word = _matched(rule.keywords, haystack) if rule.keywords.strip() else ""
        if word is None:
            continue
        rank = (0 if word else 1, 0 if rule.ward_id else 1, rule.priority)
        reason = _reason(petition, rule, word)
        current = found.get(agency.id)
        if current is None:
            found[agency.id] = Proposal(agency, [reason], rank)
        else:
            current.reasons.append(reason)
            current.rank = min(current.rank, rank)
    _add_suggested(session, petition, found)
    for agency_id, note in returned.items():
        if agency_id in found:
            found[agency_id].reasons.append(note)
            found[agency_id].rank = (8, *found[agency_id].rank[1:])
    return sorted(found.values(), key=lambda p: (p.rank, p.agency.name))


def _rules_for(session: Session, petition: Petition) -> Sequence[RoutingRule]:
    ward_ok = or_(RoutingRule.ward_id.is_(None), RoutingRule.ward_id == petition.ward_id)
    return session.scalars(
        select(RoutingRule)
        .where(
            RoutingRule.category_id == petition.category_id,
            RoutingRule.active.is_(True),
            ward_ok,
        )
        .order_by(RoutingRule.priority, RoutingRule.id)
    ).all()


def _reason(petition: Petition, rule: RoutingRule, word: str) -> str:
    parts = [f"Lĩnh vực «{petition.category.name if petition.category else '—'}»"]
    parts.append("phường của hồ sơ" if rule.ward_id else "mọi phường")
    if word:
        parts.append(f"có từ khóa «{word}»")
    parts.append(f"thứ tự {rule.priority + 1}")
    text = ", ".join(parts)
    return f"{text}: {rule.note}" if rule.note else text


def _returned_by(session: Session, petition: Petition) -> dict[int, str]:
    """Agencies that already returned this petition (they drop to the end of the list)."""
    rows = session.execute(
        select(Forward.agency_id, Forward.return_reason).where(
            Forward.petition_id == petition.id, Forward.returned_at.is_not(None)
        )
    )
    return {aid: f"Đã trả lại: {reason or 'không thuộc thẩm quyền'}" for aid, reason in rows}


def _add_suggested(session: Session, petition: Petition, found: dict[int, Proposal]) -> None:
    """The competent body named by the agency that returned the petition goes first."""
    last = session.scalar(
        select(Forward)
        .where(Forward.petition_id == petition.id, Forward.returned_at.is_not(None))
        .order_by(Forward.id.desc())
        .limit(1)
    )
    if last is None or last.suggested_agency_id is None:
        return
    agency = session.get(Agency, last.suggested_agency_id)
    if agency is None or not agency.active:
        return
    reason = f"{last.agency.name} đề nghị chuyển đến cơ quan này"
    proposal = found.setdefault(agency.id, Proposal(agency, []))
    proposal.reasons.insert(0, reason)
    proposal.rank = (-1, 0, 0)


# ---------------------------------------------------------------- editing


def rule_groups(session: Session, category_id: int | None = None) -> list[RuleGroup]:
    """Every rule, grouped as staff edit them, in category, ward, keywords order."""
    query = select(RoutingRule).order_by(
        RoutingRule.category_id, RoutingRule.ward_id, RoutingRule.keywords, RoutingRule.priority
    )
    if category_id is not None:
        query = query.where(RoutingRule.category_id == category_id)
    groups: dict[tuple[int, int | None, str], list[RoutingRule]] = {}
    for row in session.scalars(query):
        groups.setdefault((row.category_id, row.ward_id, row.keywords), []).append(row)
    return [
        RuleGroup(cat, ward, kw, rows[0].note, rows[0].active, tuple(rows))
        for (cat, ward, kw), rows in groups.items()
    ]


def find_group(session: Session, key: str) -> RuleGroup | None:
    """The rule a form names by its key."""
    parts = key.split(":")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    first = session.get(RoutingRule, int(parts[2]))
    if first is None:
        return None
    for group in rule_groups(session, first.category_id):
        if first in group.rows:
            return group
    return None


def save_rule(
    session: Session,
    actor: Actor,
    *,
    category_id: int,
    ward_id: int | None,
    keywords: str,
    agency_ids: Iterable[int],
    note: str,
    active: bool = True,
    now: datetime,
    replacing: RuleGroup | None = None,
) -> list[RoutingRule]:
    """Create a rule (or replace one) with its candidates in the given order; audited."""
    check_manager(actor)
    if session.get(Category, category_id) is None:
        raise InvalidInput("Lĩnh vực không tồn tại.")
    if ward_id is not None and session.get(Ward, ward_id) is None:
        raise InvalidInput("Phường không tồn tại.")
    targets = _targets(session, agency_ids)
    words = ", ".join(dict.fromkeys(w.strip() for w in re.split(r"[,;\n]+", keywords) if w.strip()))
    if len(words) > MAX_KEYWORDS:
        raise InvalidInput("Danh sách từ khóa quá dài (tối đa 300 ký tự).")
    _check_unique(session, category_id, ward_id, words, replacing)
    before = _describe(replacing) if replacing else {}
    if replacing is not None:
        for row in replacing.rows:
            session.delete(row)
        session.flush()
    rows = [
        RoutingRule(
            category_id=category_id,
            ward_id=ward_id,
            agency_id=agency.id,
            priority=n,
            keywords=words,
            note=" ".join(note.split())[:300],
            active=active,
        )
        for n, agency in enumerate(targets)
    ]
    session.add_all(rows)
    session.flush()
    after = {
        "category_id": category_id,
        "ward_id": ward_id,
        "keywords": words,
        "agencies": [a.id for a in targets],
        "note": rows[0].note,
        "active": active,
    }
    record_change(
        session,
        actor,
        entity="routing",
        entity_id=category_id,
        action="update" if replacing else "create",
        detail={"before": before, "after": after},
        now=now,
    )
    return rows


def _targets(session: Session, agency_ids: Iterable[int]) -> list[Agency]:
    ids = list(dict.fromkeys(agency_ids))
    if not ids:
        raise InvalidInput("Cần chọn ít nhất một cơ quan.")
    if len(ids) > MAX_TARGETS:
        raise InvalidInput(f"Tối đa {MAX_TARGETS} cơ quan cho một quy tắc.")
    agencies = [session.get(Agency, i) for i in ids]
    if any(a is None for a in agencies):
        raise InvalidInput("Cơ quan không tồn tại.")
    return [a for a in agencies if a is not None]


def _check_unique(
    session: Session, category_id: int, ward_id: int | None, words: str, replacing: RuleGroup | None
) -> None:
    for group in rule_groups(session, category_id):
        same = group.ward_id == ward_id and fold(group.keywords) == fold(words)
        if same and (replacing is None or group.key != replacing.key):
            raise InvalidInput(
                "Đã có quy tắc cho lĩnh vực, phường và từ khóa này: hãy sửa quy tắc đó."
            )


def _describe(group: RuleGroup) -> dict[str, object]:
    return {
        "category_id": group.category_id,
        "ward_id": group.ward_id,
        "keywords": group.keywords,
        "agencies": [r.agency_id for r in group.rows],
        "note": group.note,
        "active": group.active,
    }


def delete_rule(session: Session, actor: Actor, group: RuleGroup, *, now: datetime) -> None:
    """Remove a rule; audited."""
    check_manager(actor)
    for row in group.rows:
        session.delete(row)
    record_change(
        session,
        actor,
        entity="routing",
        entity_id=group.category_id,
        action="delete",
        detail={"before": _describe(group)},
        now=now,
    )
