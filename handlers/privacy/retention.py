"""The retention period: closed petitions are anonymised N months after closing.

Run by the nightly job `privacy-anonymise`. A petition is done once (`anonymised_at`), so a
second run finds nothing new. A petition an agency still works on (an active forward) or that
is the master of a duplicate still open is skipped, and the report says how many and why.
The same pass erases citizens with no petition left and no contact for the period, blanks the
messages already sent to erased citizens, and brings back postponed deletions whose holds
have ended.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session, aliased

from handlers.messages import render
from handlers.privacy.erase import anonymise_citizen, anonymise_petition, scrubber_for
from handlers.privacy.holds import holds
from handlers.privacy.limits import DELETE, KINDS
from handlers.privacy.requests import PENDING, POSTPONED, item_key
from handlers.tasks import raise_item
from handlers.workflow.calendar import LOCAL_TZ, start_of_day
from storage.models import Citizen, DataRequest, Forward, OutboxMessage, Petition
from storage.models.enums import OutboxState, PetitionState

SKIP_REASONS = {
    "forward_active": "cơ quan vẫn đang giải quyết (phiếu chuyển còn hiệu lực)",
    "duplicate_open": "là hồ sơ chính của hồ sơ trùng chưa đóng",
}


@dataclass
class RetentionReport:
    """What one run did: counts for the job record and the privacy screen."""

    months: int
    anonymised: int = 0
    citizens: int = 0
    outbox_blanked: int = 0
    deletions_ready: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "months": self.months,
            "anonymised": self.anonymised,
            "citizens": self.citizens,
            "outbox_blanked": self.outbox_blanked,
            "deletions_ready": self.deletions_ready,
            "skipped": dict(self.skipped),
        }


def months_before(now: datetime, months: int) -> datetime:
    """The start of the local day `months` calendar months before `now` (day clamped)."""
    today = now.astimezone(LOCAL_TZ).date()
    index = today.year * 12 + today.month - 1 - months
    year, month = divmod(index, 12)
    for day in range(today.day, 0, -1):
        try:
            return start_of_day(date(year, month + 1, day))
        except ValueError:
            continue
    raise ValueError("no such month")


def run(session: Session, *, now: datetime, months: int, files_root: str) -> RetentionReport:
    """One pass of the retention policy; the caller owns the transaction."""
    report = RetentionReport(months=months)
    cutoff = months_before(now, months)
    for petition, reason in _candidates(session, cutoff):
        if reason:
            report.skipped[reason] += 1
            continue
        scrub = scrubber_for(petition.citizen, [petition])
        anonymise_petition(session, petition, scrub, now=now, files_root=files_root)
        report.anonymised += 1
    session.flush()
    for citizen in _idle_citizens(session, cutoff):
        anonymise_citizen(session, citizen, now=now, files_root=files_root)
        report.citizens += 1
    report.outbox_blanked = _blank_sent(session)
    report.deletions_ready = _wake_postponed(session, now)
    return report


def _candidates(session: Session, cutoff: datetime) -> list[tuple[Petition, str | None]]:
    dup = aliased(Petition)
    forward_active = exists().where(Forward.petition_id == Petition.id, Forward.active.is_(True))
    duplicate_open = exists().where(
        dup.duplicate_of_id == Petition.id, dup.state != PetitionState.CLOSED
    )
    rows = session.execute(
        select(Petition, forward_active, duplicate_open)
        .where(
            Petition.state == PetitionState.CLOSED,
            Petition.closed_at < cutoff,
            Petition.anonymised_at.is_(None),
        )
        .order_by(Petition.id)
    ).all()
    return [
        (p, "forward_active" if active else "duplicate_open" if dup_open else None)
        for p, active, dup_open in rows
    ]


def _idle_citizens(session: Session, cutoff: datetime) -> list[Citizen]:
    """Not erased yet, no petition left, no pending request, no contact since the cutoff."""
    return list(
        session.scalars(
            select(Citizen).where(
                Citizen.anonymised_at.is_(None),
                or_(
                    Citizen.last_interaction_at < cutoff,
                    Citizen.last_interaction_at.is_(None) & (Citizen.created_at < cutoff),
                ),
                ~exists().where(Petition.citizen_id == Citizen.id),
                ~exists().where(
                    DataRequest.citizen_id == Citizen.id, DataRequest.state.in_(PENDING)
                ),
            )
        )
    )


def _blank_sent(session: Session) -> int:
    """Messages that reached an erased citizen since: only their kind and time stay."""
    rows = session.scalars(
        select(OutboxMessage)
        .join(Citizen, Citizen.id == OutboxMessage.citizen_id)
        .where(Citizen.anonymised_at.is_not(None), OutboxMessage.state == OutboxState.SENT)
    ).all()
    for row in rows:
        row.recipient, row.payload, row.citizen_id = "", {"anonymised": True}, None
    return len(rows)


def _wake_postponed(session: Session, now: datetime) -> int:
    """A postponed deletion whose petitions are all closed goes back on the list."""
    count = 0
    for request in session.scalars(
        select(DataRequest).where(DataRequest.kind == DELETE, DataRequest.state == POSTPONED)
    ):
        if holds(session, request.citizen_id):
            continue
        item = raise_item(
            session,
            kind=KINDS[DELETE].item_kind,
            title=render(
                session,
                "staff.data_request_title",
                what=KINDS[DELETE].label,
                due=f"{request.due_on:%d/%m/%Y}",
            ),
            body=render(session, "staff.data_request_ready", citizen_id=request.citizen_id),
            now=now,
            ward_id=request.citizen.ward_id,
            key=item_key(request),
            link=f"/privacy/{request.id}",
            again_when_done=True,
        )
        count += item.done_at is None and item.created_at == now
    return count


def summary(detail: Mapping[str, Any]) -> str:
    """A job record's counts in one Vietnamese line, for the privacy screen."""
    skipped = detail.get("skipped")
    if not isinstance(skipped, Mapping):  # records kept before the scheduler stored nested counts
        skipped = {}
    line = (
        f"Ẩn danh {detail.get('anonymised', 0)} hồ sơ đã đóng quá "
        f"{detail.get('months', '?')} tháng, {detail.get('citizens', 0)} người dân"
    )
    if skipped:
        line += "; bỏ qua " + ", ".join(
            f"{n} hồ sơ ({SKIP_REASONS.get(k, k)})" for k, n in sorted(skipped.items())
        )
    return line + "."
