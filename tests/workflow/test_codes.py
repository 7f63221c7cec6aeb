"""Tracking codes stay unique and gap-free when submits race (real commits, both databases)."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import workflow as wf
from handlers.seed import seed_reference
from storage import migrate
from storage.db import make_engine, make_sessionmaker, transaction
from storage.models import Petition
from tests.support import fresh_database
from tests.workflow import helpers as h

THREADS, EACH = 4, 8


def test_concurrent_submits_get_distinct_consecutive_codes(
    database_url: str, tmp_path: Path
) -> None:
    with fresh_database(database_url, tmp_path) as url:
        engine = make_engine(url)
        try:
            migrate.upgrade(engine)
            with Session(engine) as s, s.begin():
                seed_reference(s)
            sessions = make_sessionmaker(engine)
            errors: list[BaseException] = []

            def worker() -> None:
                try:
                    for _ in range(EACH):
                        with transaction(sessions) as s:
                            person = h.citizen(s)  # the first statement writes
                            wf.submit(s, h.draft(s, person=person), now=h.ORDINARY_MONDAY)
                except BaseException as exc:  # noqa: BLE001 - reported below
                    errors.append(exc)

            threads = [threading.Thread(target=worker) for _ in range(THREADS)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=60)
            assert errors == []
            with Session(engine) as s:
                codes = sorted(s.scalars(select(Petition.code)).all())  # type: ignore[type-var]
            expected = [f"TK-{h.MONDAY:%y%m}-{n:06d}" for n in range(1, THREADS * EACH + 1)]
            assert codes == expected
        finally:
            engine.dispose()
