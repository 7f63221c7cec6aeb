"""The evidence download pass: each attachment claimed, fetched once, recorded.

An attachment is claimed alone, for longer than a download may take (the downloader's
deadline plus the lease), so no other pass or worker fetches it meanwhile; a link already
fetched for another attachment (the same photo sent twice) is reused, not fetched again.
Only transient failures (network, 5xx, 429) come back, after a back-off that grows with the
attachment's age (half of it, at least `retry`), so a link that keeps failing is tried a few
dozen times in its week, not every half minute; a refused link or a server too slow for the
deadline is final.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.zalo.media import TRANSIENT
from handlers.events import Media
from handlers.inbound import StoredFile
from storage.db import transaction
from storage.models import Attachment

MEDIA_LIFETIME = timedelta(days=7)
#: What handlers.inbound writes when the reply path left the file for this pass.
NOT_YET = "not downloaded"


def _retryable() -> Any:
    return or_(
        Attachment.download_error.is_(None),
        Attachment.download_error == NOT_YET,
        *(Attachment.download_error.startswith(p) for p in TRANSIENT),
    )


@dataclass(frozen=True)
class Claimed:
    """An attachment this pass holds: its id, its link, when it arrived."""

    id: int
    media: Media
    created_at: datetime

    def retry_at(self, now: datetime, least: timedelta) -> datetime:
        """When to try a transient failure again: half the attachment's age from now."""
        return now + max(least, (now - _aware(self.created_at)) / 2)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def claim_one(sessions: sessionmaker[Session], now: datetime, lease: timedelta) -> Claimed | None:
    """Claim the oldest fetchable attachment for `lease` (an UPDATE first: SQLite's lock)."""
    due = (
        select(Attachment.id)
        .where(
            Attachment.storage_path.is_(None),
            Attachment.source_url.is_not(None),
            Attachment.created_at > now - MEDIA_LIFETIME,
            func.coalesce(Attachment.fetch_after, Attachment.created_at) <= now,
            _retryable(),
        )
        .order_by(Attachment.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    with transaction(sessions) as session:
        row = session.execute(
            update(Attachment)
            .where(Attachment.id.in_(due.scalar_subquery()))
            .values(fetch_after=now + lease)
            .returning(
                Attachment.id,
                Attachment.kind,
                Attachment.source_url,
                Attachment.original_name,
                Attachment.created_at,
            )
            .execution_options(synchronize_session=False)
        ).first()
    if row is None:
        return None
    attachment_id, kind, url, name, created = row
    return Claimed(attachment_id, Media(kind=kind, url=url or "", name=name), created)


def earlier_result(
    sessions: sessionmaker[Session], attachment_id: int, url: str, now: datetime
) -> StoredFile | None:
    """What fetching `url` gave for another attachment lately (stored, or failed for good)."""
    with transaction(sessions) as session:
        row = session.execute(
            select(
                Attachment.sha256,
                Attachment.storage_path,
                Attachment.size,
                Attachment.mime_type,
                Attachment.download_error,
            )
            .where(
                Attachment.source_url == url,
                Attachment.id != attachment_id,
                Attachment.created_at > now - MEDIA_LIFETIME,
                or_(Attachment.storage_path.is_not(None), ~_retryable()),
            )
            .order_by(Attachment.storage_path.is_(None), Attachment.id.desc())
            .limit(1)
        ).first()
    if row is None:
        return None
    sha, path, size, mime, error = row
    return StoredFile(sha, path, size, mime, error=None if path else error)


def record(
    sessions: sessionmaker[Session], attachment_id: int, stored: StoredFile, retry_at: datetime
) -> bool:
    """Write the outcome; a failure worth another try waits until `retry_at`."""
    values: dict[str, Any] = {"download_error": stored.error}
    if stored.path:
        values.update(
            sha256=stored.sha256,
            storage_path=stored.path,
            size=stored.size,
            mime_type=stored.mime,
            fetch_after=None,
        )
    else:
        values["fetch_after"] = retry_at
    with transaction(sessions) as session:
        session.execute(update(Attachment).where(Attachment.id == attachment_id).values(**values))
    return bool(stored.path)
