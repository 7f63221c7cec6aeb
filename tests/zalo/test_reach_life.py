"""The simulated life of bench/reach.py meets the target, on both databases.

Citizens file on day 0 and never write again; agencies answer between day 8 and day 45.
Target: every status message reaches every follower and every citizen with a consented
phone; none is sent twice; what cannot reach the others is listed for staff with a reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bench.reach import KINDS, next_monday, simulate
from bot.zalo.standin import StandIn
from handlers.seed import seed_reference
from storage import migrate
from storage.db import make_engine, make_sessionmaker
from tests.conftest import make_settings
from tests.support import fresh_database


@pytest.fixture
def life_sessions(database_url: str, tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    """A migrated, seeded database of its own: the simulation commits for real."""
    with fresh_database(database_url, tmp_path, "pakn_life") as url:
        engine = make_engine(url)
        migrate.upgrade(engine)
        sessions = make_sessionmaker(engine)
        with sessions() as s:
            seed_reference(s)
            s.commit()
        yield sessions
        engine.dispose()


def test_every_status_message_reaches_followers_and_consented_phones_once(
    life_sessions: sessionmaker[Session], standin: StandIn, tmp_path: Path
) -> None:
    settings = make_settings(
        "sqlite:////unused.sqlite3",
        tmp_path,
        zalo_api_base=standin.base_url,
        zalo_oauth_base=standin.base_url,
        zns_api_base=standin.base_url,
    )
    start = next_monday(datetime.now(UTC).date() + timedelta(days=7))
    figures = simulate(
        life_sessions, standin, settings, start=start, citizens=40, letter_dir=tmp_path / "l"
    )
    for group in ("follower", "phone", "both"):
        assert figures.share(group) == 1.0, figures.table()
    assert figures.sent_twice == 0
    assert figures.without_reason == 0
    assert sum(figures.waiting.values()) > 0  # the others wait, listed with their reason
    assert {reason for _, reason in figures.waiting} == {"window,not_follower,no_phone"}
    queued = {kind for (_, kind), n in figures.queued.items() if n}
    assert queued == set(KINDS)  # every kind of status message happened in the life
    vias = {via for (_, _, via) in figures.reached}
    assert vias == {"cs", "template", "zns"}
