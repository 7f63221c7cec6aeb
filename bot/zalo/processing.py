"""Processing after the commit: inbound rows → typed events → the handlers, exactly once.

Workers take due rows with a lease (`claim_due`: the oldest open event of each sender, so a
citizen's messages stay in order however many workers run). Each event is processed in one
transaction that first claims its row (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: an
UPDATE as the first statement, which takes the write lock), then runs the handlers in a
savepoint and marks the row processed. The handlers' changes and the mark commit together,
so an event is applied once even if two processes try, and a crash before the commit leaves
it pending for the next run. A handler error marks the row failed with a back-off; after
INBOUND_MAX_ATTEMPTS it is parked for staff. A payload that cannot be parsed is parked at
once (retrying cannot help).
"""

from __future__ import annotations

import logging
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import system_clock
from bot.zalo import downloads
from bot.zalo.media import Downloader
from bot.zalo.parse import ParseError, load, parse_event
from handlers.clock import Clock
from handlers.events import Event, MessageEvent
from handlers.inbound import HandlerContext, Router, StoredFile
from handlers.services import Services
from storage.db import transaction
from storage.models import InboundEvent
from storage.models.enums import InboundState

logger = logging.getLogger(__name__)

_OPEN = (InboundState.PENDING, InboundState.FAILED)


@dataclass
class Processor:
    """Turns stored deliveries into handler calls."""

    sessions: sessionmaker[Session]
    router: Router
    services: Services
    downloader: Downloader | None = None
    max_attempts: int = 8
    lease: timedelta = timedelta(seconds=120)
    clock: Clock = system_clock
    rng: random.Random = field(default_factory=random.Random)

    def process(
        self, inbound_id: int, *, now: datetime | None = None, download: bool = True
    ) -> str:
        """Process one stored delivery; say what happened (processed, failed, parked, skipped).

        Without `download`, evidence is left "not downloaded" for the download pass, so a slow
        file server never holds up a reply.
        """
        now = now or self.clock()
        with transaction(self.sessions) as session:
            row = session.get(InboundEvent, inbound_id)
            if row is None or row.state not in _OPEN:
                return "skipped"
            raw = row.raw_body
        try:
            event = parse_event(load(raw), inbound_event_id=inbound_id)
        except ParseError as exc:
            return self._park(inbound_id, f"unparseable: {exc}", now)
        downloads = self._download(event) if download else {}
        ctx = HandlerContext(now=now, services=self.services, downloads=downloads)
        return self._apply(inbound_id, event, ctx)

    def claim_due(self, *, now: datetime, limit: int) -> list[int]:
        """Take due deliveries for this process for `lease`: the oldest open one of each sender.

        A sender's later events wait until the earlier one is done, so several workers keep
        each citizen's messages in order; a dead worker's claims run out with the lease.
        """
        heads = (
            select(InboundEvent.id)
            .where(
                InboundEvent.state.in_(_OPEN),
                func.coalesce(InboundEvent.next_attempt_at, InboundEvent.received_at) <= now,
                or_(InboundEvent.subject.is_(None), InboundEvent.id.in_(_sender_heads())),
            )
            .order_by(InboundEvent.id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=InboundEvent)
        )
        with transaction(self.sessions) as session:
            ids = session.scalars(
                update(InboundEvent)
                .where(InboundEvent.id.in_(heads.scalar_subquery()))
                .values(next_attempt_at=now + self.lease)
                .returning(InboundEvent.id)
                .execution_options(synchronize_session=False)
            ).all()
        return sorted(ids)

    def process_due(
        self, *, now: datetime | None = None, limit: int = 200, download: bool = True
    ) -> Counter[str]:
        """Claim and process due deliveries, oldest first, until none is left or `limit`."""
        outcomes: Counter[str] = Counter()
        while outcomes.total() < limit:
            moment = now or self.clock()
            ids = self.claim_due(now=moment, limit=min(8, limit - outcomes.total()))
            if not ids:
                break
            for inbound_id in ids:
                outcomes[self.process(inbound_id, now=now, download=download)] += 1
        return outcomes

    def _download(self, event: Event) -> dict[str, StoredFile]:
        if self.downloader is None or not isinstance(event, MessageEvent):
            return {}
        return {m.url: self.downloader.fetch(m) for m in event.attachments if m.is_evidence}

    def _apply(self, inbound_id: int, event: Event, ctx: HandlerContext) -> str:
        with transaction(self.sessions) as session:
            if not claim(session, inbound_id):
                return "skipped"
            row = session.get(InboundEvent, inbound_id, populate_existing=True)
            assert row is not None  # noqa: S101 - claimed just now
            try:
                with session.begin_nested():
                    self.router.dispatch(session, event, ctx)
            except Exception as exc:  # any handler bug: keep the event, retry later
                logger.exception("inbound %s (%s) failed", inbound_id, event.event_name)
                return self._failed(row, exc, ctx.now)
            row.state = InboundState.PROCESSED
            row.processed_at = ctx.now
            row.next_attempt_at = None
            row.last_error = None
        return "processed"

    def _failed(self, row: InboundEvent, exc: Exception, now: datetime) -> str:
        row.last_error = f"{type(exc).__name__}: {str(exc)[:300]}"
        if row.attempts >= self.max_attempts:
            row.state = InboundState.PARKED
            row.next_attempt_at = None
            logger.error("inbound %s parked after %s attempts", row.id, row.attempts)
            return "parked"
        row.state = InboundState.FAILED
        row.next_attempt_at = now + backoff(row.attempts, self.rng)
        return "failed"

    def _park(self, inbound_id: int, reason: str, now: datetime) -> str:
        with transaction(self.sessions) as session:
            if not claim(session, inbound_id):
                return "skipped"
            session.execute(
                update(InboundEvent)
                .where(InboundEvent.id == inbound_id)
                .values(state=InboundState.PARKED, last_error=reason[:500], next_attempt_at=None)
            )
        logger.warning("inbound %s parked: %s", inbound_id, reason)
        return "parked"

    def fetch_downloads(self, *, now: datetime | None = None, limit: int = 20) -> int:
        """Download evidence not stored yet (new, or failed for a transient reason), one
        claimed attachment at a time; say how many were stored."""
        if self.downloader is None:
            return 0
        lease = self.lease + timedelta(seconds=self.downloader.deadline)
        done = 0
        for _ in range(limit):
            moment = now or self.clock()
            claimed = downloads.claim_one(self.sessions, moment, lease)
            if claimed is None:
                break
            url = claimed.media.url
            stored = downloads.earlier_result(self.sessions, claimed.id, url, moment)
            stored = stored or self.downloader.fetch(claimed.media)
            retry_at = claimed.retry_at(now or self.clock(), backoff(1, self.rng))
            done += downloads.record(self.sessions, claimed.id, stored, retry_at)
        return done


def _sender_heads() -> Select[int]:
    """The oldest open event of each sender: one pass over the open rows, however many a
    sender has queued (a per-row "no earlier open event" test costs the square of that)."""
    return (
        select(func.min(InboundEvent.id))
        .where(InboundEvent.state.in_(_OPEN), InboundEvent.subject.is_not(None))
        .group_by(InboundEvent.subject)
    )


def claim(session: Session, inbound_id: int) -> bool:
    """Take an open row for this transaction; False if it is done already.

    The UPDATE waits for a row lock another transaction holds: with SKIP LOCKED, a row this
    worker had just leased was skipped whenever another worker's claim scan touched it at that
    moment, and then waited out the whole lease (two minutes) before anyone answered it.
    """
    result = session.execute(
        update(InboundEvent)
        .where(InboundEvent.id == inbound_id, InboundEvent.state.in_(_OPEN))
        .values(attempts=InboundEvent.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def backoff(attempts: int, rng: random.Random, *, base: float = 30, cap: float = 3600) -> timedelta:
    """Exponential back-off with jitter: about base·2^(n-1), at most cap, never below half."""
    ceiling = min(cap, base * 2 ** max(attempts - 1, 0))
    return timedelta(seconds=ceiling * (0.5 + rng.random() / 2))


def parked(session: Session, *, limit: int = 100) -> list[InboundEvent]:
    """Events staff must look at (unparseable, or failing every time), newest first."""
    return list(
        session.scalars(
            select(InboundEvent)
            .where(InboundEvent.state == InboundState.PARKED)
            .order_by(InboundEvent.id.desc())
            .limit(limit)
        )
    )


def requeue(session: Session, inbound_id: int, *, now: datetime) -> bool:
    """Staff fixed the cause: process a parked event again."""
    result = session.execute(
        update(InboundEvent)
        .where(InboundEvent.id == inbound_id, InboundEvent.state == InboundState.PARKED)
        .values(state=InboundState.PENDING, attempts=0, next_attempt_at=now, last_error=None)
    )
    return bool(getattr(result, "rowcount", 0))
