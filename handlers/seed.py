"""Load the reference data (wards, units, categories, agencies, routing, holidays).

Idempotent: rows are matched by their natural key and only missing ones are added, so an
administrator's later edits survive a re-run.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import holidays as holiday_calendars
from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.knowledge import seed_knowledge
from nlp.normalize import fold
from storage import reference_data as ref
from storage.models import (
    Agency,
    Category,
    Holiday,
    OrgUnit,
    RoutingRule,
    Ward,
    WardAlias,
)
from storage.models.enums import UnitKind

_SUBSTITUTE = re.compile(r"thay cho ngày (\d{2})/(\d{2})/(\d{4})")


def seed_reference(session: Session) -> Counter[str]:
    """Add whatever reference data is missing; return how many rows of each kind were added."""
    added: Counter[str] = Counter()
    wards = _seed_wards(session, added)
    _seed_units(session, wards, added)
    categories = _seed_categories(session, added)
    agencies = _seed_agencies(session, wards, added)
    _seed_routing(session, wards, categories, agencies, added)
    seed_holidays(session, ref.HOLIDAY_YEARS, added)
    added.update(seed_knowledge(session))
    session.flush()
    return added


def _seed_wards(session: Session, added: Counter[str]) -> dict[str, Ward]:
    existing = {w.code: w for w in session.scalars(select(Ward))}
    for order, (code, name, old_names) in enumerate(ref.WARDS):
        ward = existing.get(code)
        if ward is None:
            ward = Ward(code=code, name=name, full_name=f"phường {name}", sort_order=order)
            session.add(ward)
            existing[code] = ward
            added["wards"] += 1
        known = {a.folded for a in ward.aliases}
        for old in old_names:
            if fold(old) not in known:
                ward.aliases.append(WardAlias(name=old, folded=fold(old), kind="old_unit"))
                added["ward_aliases"] += 1
    session.flush()
    return existing


def _seed_units(session: Session, wards: dict[str, Ward], added: Counter[str]) -> None:
    existing = {u.code: u for u in session.scalars(select(OrgUnit))}
    city_code, city_name = ref.CITY_UNIT
    city = existing.get(city_code)
    if city is None:
        city = OrgUnit(code=city_code, name=city_name, kind=UnitKind.CITY_FRONT)
        session.add(city)
        session.flush()
        added["org_units"] += 1
    for code, ward in wards.items():
        if code not in existing:
            session.add(
                OrgUnit(
                    code=code,
                    name=f"Ủy ban MTTQ Việt Nam phường {ward.name}",
                    kind=UnitKind.WARD_FRONT,
                    parent_id=city.id,
                    ward_id=ward.id,
                )
            )
            added["org_units"] += 1


def _seed_categories(session: Session, added: Counter[str]) -> dict[str, Category]:
    existing = {c.code: c for c in session.scalars(select(Category))}
    for order, (code, name, description) in enumerate(ref.CATEGORIES):
        if code not in existing:
            existing[code] = Category(
                code=code,
                name=name,
                description=description,
                confidential=code in ref.CONFIDENTIAL_CATEGORIES,
                sort_order=order,
            )
            session.add(existing[code])
            added["categories"] += 1
    session.flush()
    return existing


def _seed_agencies(
    session: Session, wards: dict[str, Ward], added: Counter[str]
) -> dict[str, Agency]:
    existing = {a.code: a for a in session.scalars(select(Agency))}
    wanted: list[Agency] = [
        Agency(code=code, name=name, kind=kind, head_title=head, notes=_note(note))
        for code, name, kind, head, note in ref.CITY_AGENCIES
    ]
    for prefix, pattern, kind, head, note in ref.WARD_AGENCIES:
        for ward_code, ward in wards.items():
            wanted.append(
                Agency(
                    code=f"{prefix}_{ward_code}",
                    name=pattern.format(ward=ward.name),
                    kind=kind,
                    ward_id=ward.id,
                    head_title=head.format(ward=ward.name),
                    notes=_note(note),
                )
            )
    for agency in wanted:
        if agency.code not in existing:
            agency.confirmed = False  # no address is guessed: an administrator confirms
            session.add(agency)
            existing[agency.code] = agency
            added["agencies"] += 1
    session.flush()
    return existing


def _note(note: str) -> str:
    return " ".join(filter(None, (note, ref.UNCONFIRMED)))


def _seed_routing(
    session: Session,
    wards: dict[str, Ward],
    categories: dict[str, Category],
    agencies: dict[str, Agency],
    added: Counter[str],
) -> None:
    existing = {
        (r.category_id, r.ward_id, r.agency_id, r.keywords)
        for r in session.scalars(select(RoutingRule))
    }
    for category_code, rules in ref.ROUTING.items():
        category = categories[category_code]
        for keywords, targets, note in rules:
            for ward_id, agency, priority in _targets(wards, agencies, targets):
                key = (category.id, ward_id, agency.id, keywords)
                if key in existing:
                    continue
                session.add(
                    RoutingRule(
                        category_id=category.id,
                        ward_id=ward_id,
                        agency_id=agency.id,
                        priority=priority,
                        keywords=keywords,
                        note=note,
                    )
                )
                existing.add(key)
                added["routing_rules"] += 1


def _targets(
    wards: dict[str, Ward], agencies: dict[str, Agency], targets: tuple[str, ...]
) -> list[tuple[int | None, Agency, int]]:
    """(ward id, agency, priority) rows of one seeded rule.

    A rule naming a ward's own agency ("ubnd") becomes one rule per ward, in which the
    city-wide agencies keep their place; a rule of city-wide agencies only is one rule.
    """
    if not any(t in ref.WARD_PREFIXES for t in targets):
        return [(None, agencies[t], n) for n, t in enumerate(targets)]
    return [
        (ward.id, agencies[f"{t}_{code}" if t in ref.WARD_PREFIXES else t], n)
        for code, ward in wards.items()
        for n, t in enumerate(targets)
    ]


def seed_holidays(session: Session, years: tuple[int, ...], added: Counter[str]) -> None:
    """Vietnamese public holidays (Tết, substitute days) and compensating working Saturdays."""
    known = set(session.scalars(select(Holiday.day)))
    for day, name, working in _official_days(years):
        if day not in known:
            session.add(Holiday(day=day, name=name, working_day=working, source="holidays"))
            known.add(day)
            added["holidays"] += 1


def _official_days(years: tuple[int, ...]) -> list[tuple[date, str, bool]]:
    """Days off from the `holidays` package, plus the Saturdays worked in exchange."""
    calendar = holiday_calendars.country_holidays("VN", years=years, language="vi")
    days: list[tuple[date, str, bool]] = []
    for day, name in sorted(calendar.items()):
        days.append((day, name, False))
        swap = _SUBSTITUTE.search(name)
        if swap:
            dd, mm, yyyy = (int(g) for g in swap.groups())
            days.append((date(yyyy, mm, dd), f"Làm bù cho ngày nghỉ {day:%d/%m/%Y}", True))
    return days
