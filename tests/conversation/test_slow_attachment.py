"""A slow attachment server holds up no one: replies flow, the file is fetched once.

The whole service on loopback (real HTTP, the Zalo stand-in, a worker) and a real file server
that sends one byte every half second and never finishes. One citizen's photo points at it;
another citizen's greeting must be answered while that download is still under way (not
timed against a budget: a loaded runner is slow at everything), the download must end at its
deadline, and no later pass, by this worker or another one, may fetch the file again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import select

from bot.runtime import runtime_of
from bot.zalo.downloads import NOT_YET
from storage.models import Attachment
from tests.conversation.service import Service, own_database, running_service
from tests.zalo.media_server import media_server

DEADLINE = 8  # seconds: long enough that only a blocked reply waits for it


def _until(check: Callable[[], bool], timeout: float) -> None:
    stop = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < stop, "condition not met in time"
        time.sleep(0.05)


def _error(service: Service) -> str | None:
    with service.db() as session:
        return session.scalar(select(Attachment.download_error))


def test_a_slow_download_delays_no_reply_and_runs_once(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("slow")
    with (
        media_server("127.0.0.1", drip=0.5, drip_for=30) as slow,
        own_database(database_url, folder) as url,
        running_service(url, folder, attachment_download_deadline_seconds=DEADLINE) as service,
    ):
        sender = service.phone()
        sender.photo(url=f"{slow.base_url}/slow/p.jpg")
        _until(lambda: slow.hits.total() == 1, timeout=10)  # the download is under way
        other_worker = runtime_of(service.app).zalo.processor
        rival = threading.Thread(target=other_worker.fetch_downloads)
        rival.start()

        greeter = service.phone()
        started = time.monotonic()
        greeter.say("Xin chào")
        greeter.expect(2, timeout=DEADLINE * 3)
        answered_in = time.monotonic() - started
        still_downloading = _error(service) == NOT_YET and slow.hits.total() == 1

        rival.join(timeout=DEADLINE * 3)
        _until(lambda: (_error(service) or "").startswith("too slow"), timeout=DEADLINE * 3)
        assert other_worker.fetch_downloads() == 0
    print(f"greeting answered in {answered_in:.2f} s while a download dripped")
    assert still_downloading  # a reply that waited for the download comes after its error
    assert slow.hits == {"/slow/p.jpg": 1}
