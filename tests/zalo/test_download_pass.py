"""The download pass fetches each link once and spaces out retries of a failing one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.zalo.services import ZaloServices
from storage.models import Attachment
from storage.models.base import utcnow
from tests.zalo.media_server import MediaServer, media_server


@pytest.fixture
def files() -> Iterator[MediaServer]:
    with media_server("127.0.0.1") as server:
        yield server


def _waiting(session: Session, url: str, count: int, age: timedelta = timedelta()) -> None:
    for _ in range(count):
        session.add(
            Attachment(
                kind="image",
                source_url=url,
                download_error="not downloaded",
                created_at=utcnow() - age,
            )
        )
    session.flush()


def test_the_same_link_in_several_messages_is_fetched_once(
    zalo: ZaloServices, db_session: Session, files: MediaServer
) -> None:
    _waiting(db_session, f"{files.base_url}/file/same.jpg", 3)
    assert zalo.processor.fetch_downloads() == 3
    assert files.hits == {"/file/same.jpg": 1}
    paths = set(db_session.scalars(select(Attachment.storage_path)))
    assert len(paths) == 1 and None not in paths


def test_a_link_that_keeps_failing_waits_longer_each_time(
    zalo: ZaloServices, db_session: Session, files: MediaServer
) -> None:
    _waiting(db_session, f"{files.base_url}/file/x.jpg", 1, age=timedelta(days=2))
    files.shutdown()  # the server is gone: a network error, worth another try later
    files.server_close()
    now = utcnow()
    assert zalo.processor.fetch_downloads(now=now) == 0
    row = db_session.scalar(select(Attachment))
    assert row is not None and (row.download_error or "").startswith("network")
    assert row.fetch_after is not None
    wait = row.fetch_after.replace(tzinfo=now.tzinfo) - now
    assert timedelta(hours=23) < wait <= timedelta(days=1, minutes=1)
    assert zalo.processor.fetch_downloads(now=now + timedelta(hours=1)) == 0
