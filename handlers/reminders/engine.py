"""One reminder pass: read the candidates, plan the rungs, claim and act group by group.

Reading happens once, in its own short transaction. Acting happens per ward (the Front
committee that owns the work) in chunks of `batch_size`: each chunk is one transaction that
claims its ledger rows and queues its digests, letters and messages, so an interrupted pass
leaves whole chunks behind and the next pass does the rest.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.jobs import JobContext
from handlers.office_settings import ladder_overrides
from handlers.reminders.audience import Audience
from handlers.reminders.config import ReminderConfig
from handlers.reminders.ladder import Step, reached
from handlers.reminders.ledger import Rung, claim, existing_keys
from handlers.workflow.calendar import WorkCalendar, local_date
from storage.db import transaction
from storage.models import Agency, Category, OrgUnit, Ward

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AgencyInfo:
    """What letters and emails say about an agency."""

    id: int
    name: str
    contact_email: str | None
    head_title: str | None
    head_email: str | None


@dataclass
class Pass:
    """Everything a pass reads once: the clock, the calendar, people and names."""

    now: datetime
    today: date
    cal: WorkCalendar
    config: ReminderConfig
    audience: Audience
    wards: dict[int, str]
    units: dict[int | None, str]
    agencies: dict[int, AgencyInfo]
    categories: dict[int, str]

    def ward_name(self, ward_id: int | None) -> str:
        """'phường Tam Kỳ' (or the whole area for petitions without a ward)."""
        return f"phường {self.wards[ward_id]}" if ward_id in self.wards else "khu vực Tam Kỳ"

    def unit_name(self, ward_id: int | None) -> str:
        """The Front committee that owns the ward's petitions."""
        return self.units.get(ward_id) or self.units.get(None) or "Ủy ban MTTQ Việt Nam"

    def category(self, category_id: int | None) -> str:
        return self.categories.get(category_id or -1, "Khác")

    def link(self, path: str = "") -> str:
        return self.config.admin_url.rstrip("/") + path


@dataclass
class Item:
    """A candidate: a petition (and maybe a forward), its ladder, and the row it came from."""

    petition_id: int
    ward_id: int | None
    steps: Sequence[Step]
    key_of: Callable[[Step], str]
    row: Any
    forward_id: int | None = None


@dataclass
class Planned:
    """The rung to act on for an item, and the lower rungs a catch-up slept through."""

    item: Item
    act: Rung
    superseded: list[Rung] = field(default_factory=list)


Handler = Callable[[Session, Pass, Hashable, list[Planned]], Mapping[str, int]]


def by_rung(acted: Iterable[Planned]) -> defaultdict[str, list[Planned]]:
    """The acted-on items of one group, by the rung each reached."""
    grouped: defaultdict[str, list[Planned]] = defaultdict(list)
    for pl in acted:
        grouped[pl.act.rung].append(pl)
    return grouped


def ward_of(group: Hashable) -> int | None:
    """The ward id a handler's group stands for (None: petitions without a ward)."""
    return group if isinstance(group, int) else None


def open_pass(session: Session, ctx: JobContext) -> Pass:
    """Read what every job of this run needs (a few small tables)."""
    cal = WorkCalendar.load(session)
    units: dict[int | None, str] = {}
    for ward_id, name in session.execute(select(OrgUnit.ward_id, OrgUnit.name)):
        units.setdefault(ward_id, name)
    return Pass(
        now=ctx.now,
        today=local_date(ctx.now),
        cal=cal,
        config=_with_staff_ladder(session, ctx.services.reminders),
        audience=Audience.load(session),
        wards={k: v for k, v in session.execute(select(Ward.id, Ward.name))},
        units=units,
        agencies={
            a.id: AgencyInfo(a.id, a.name, a.contact_email, a.head_title, a.head_email)
            for a in session.scalars(select(Agency))
        },
        categories={k: v for k, v in session.execute(select(Category.id, Category.name))},
    )


def _with_staff_ladder(session: Session, config: ReminderConfig) -> ReminderConfig:
    """The process's ladder with the offsets the office changed on the settings screen."""
    changed = ladder_overrides(session)
    return replace(config, ladder=replace(config.ladder, **changed)) if changed else config


def plan(session: Session, items: Iterable[Item], today: date) -> list[Planned]:
    """Act on the highest rung reached that the ledger lacks; supersede the lower ones."""
    candidates = [(item, reached(item.steps, today)) for item in items]
    candidates = [(item, steps) for item, steps in candidates if steps]
    known = existing_keys(session, (item.key_of(s) for item, steps in candidates for s in steps))
    planned: list[Planned] = []
    for item, steps in candidates:
        top = steps[-1]
        if item.key_of(top) in known:
            continue
        act = _rung(item, top, {})
        lower = [
            _rung(item, s, {"superseded_by": top.rung})
            for s in steps[:-1]
            if item.key_of(s) not in known
        ]
        planned.append(Planned(item, act, lower))
    return planned


def _rung(item: Item, step: Step, data: dict[str, Any]) -> Rung:
    return Rung(
        key=item.key_of(step),
        rung=step.rung,
        petition_id=item.petition_id,
        forward_id=item.forward_id,
        due_on=step.due_on,
        data=data,
    )


def act(
    ctx: JobContext,
    p: Pass,
    planned: Sequence[Planned],
    handler: Handler,
    *,
    group_of: Callable[[Planned], Hashable] = lambda pl: pl.item.ward_id,
    prepare: Callable[[Pass, Planned], None] | None = None,
    batch_size: int | None = None,
) -> Counter[str]:
    """Claim and act, one transaction per group chunk; return the counts."""
    groups: dict[Hashable, list[Planned]] = defaultdict(list)
    for pl in planned:
        groups[group_of(pl)].append(pl)
    counts: Counter[str] = Counter()
    size = max(1, min(batch_size or p.config.batch_size, p.config.batch_size))
    for group in sorted(groups, key=lambda g: (g is None, str(g))):
        members = groups[group]
        for start in range(0, len(members), size):
            chunk = members[start : start + size]
            if prepare is not None:
                for pl in chunk:
                    prepare(p, pl)
            with transaction(ctx.sessions) as session:
                rungs = [r for pl in chunk for r in (*pl.superseded, pl.act)]
                created = {r.key for r in claim(session, rungs, now=p.now)}
                acted = [pl for pl in chunk if pl.act.key in created]
                counts["superseded"] += sum(r.key in created for pl in chunk for r in pl.superseded)
                counts["acted"] += len(acted)
                if acted:
                    counts.update(handler(session, p, group, acted))
    return counts


def run(
    ctx: JobContext,
    collect: Callable[[Session, Pass], Iterable[Item]],
    handler: Handler,
    *,
    limit: Callable[[Pass, list[Planned]], list[Planned]] | None = None,
    **options: Any,
) -> dict[str, Any]:
    """A whole pass: skip days off, read, plan, (bound,) act."""
    with transaction(ctx.sessions) as session:
        p = open_pass(session, ctx)
        if not p.cal.is_working_day(p.today):
            return {"skipped": "not a working day", "date": p.today.isoformat()}
        planned = plan(session, collect(session, p), p.today)
    due = len(planned)
    if limit is not None:
        planned = limit(p, planned)
    counts = act(ctx, p, planned, handler, **options)
    deferred = {"deferred": due - len(planned)} if due > len(planned) else {}
    return {"date": p.today.isoformat(), "due": due, **deferred, **counts}
